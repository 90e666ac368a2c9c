//! `GET /metrics`: what the reminders are doing, in Prometheus' text format, read from
//! PostgreSQL (the truth) and the Redis streams (the work in flight).

use std::fmt::Write;

use chrono::{DateTime, Utc};
use maillage_db::begin_platform_scan;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use redis::streams::StreamPendingReply;
use sqlx::PgPool;

use crate::Error;
use crate::dead_letters;
use crate::streams::WorkStream;

pub struct Sources<'a> {
    pub pool: &'a PgPool,
    pub redis: &'a mut ConnectionManager,
    pub namespace: &'a str,
    pub streams: [&'a WorkStream; 2],
    /// Sends this instance made again since it started, their first one cut short.
    pub resent: u64,
}

pub async fn render(sources: Sources<'_>, now: DateTime<Utc>) -> Result<String, Error> {
    let mut tx = begin_platform_scan(sources.pool).await?;
    let by_status = sqlx::query!(
        r#"select status, count(*) as "count!" from reminders group by status order by status"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let work = sqlx::query!(
        r#"select count(*) filter (where attempts > 0) as "retried!",
                  coalesce(sum(attempts), 0)::bigint as "attempts!",
                  extract(epoch from $1 - min(coalesce(retry_at, fire_at))
                      filter (where status in ('pending', 'queued') and coalesce(retry_at, fire_at) <= $1))::float8
                      as lag_seconds
           from reminders"#,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    let outbox = sqlx::query!(
        r#"select count(*) as "waiting!",
                  extract(epoch from $1 - min(created_at))::float8 as oldest_seconds
           from outbox where processed_at is null"#,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;

    let mut out = String::new();
    let mut metric = |name: &str, help: &str, kind: &str, samples: &[(String, f64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    let statuses: Vec<(String, f64)> = by_status
        .iter()
        .map(|row| (format!("{{status=\"{}\"}}", row.status), row.count as f64))
        .collect();
    metric(
        "maillage_reminders",
        "Reminders by status (pending, queued, sent, failed: dead-lettered, skipped, cancelled).",
        "gauge",
        &statuses,
    );
    metric(
        "maillage_reminders_retried",
        "Reminders that needed more than one try.",
        "gauge",
        &[(String::new(), work.retried as f64)],
    );
    metric(
        "maillage_reminder_failed_attempts",
        "SMTP failures recorded across reminders.",
        "gauge",
        &[(String::new(), work.attempts as f64)],
    );
    metric(
        "maillage_reminder_lag_seconds",
        "How late the oldest due and still unsent reminder is (0 when none).",
        "gauge",
        &[(String::new(), work.lag_seconds.unwrap_or(0.0).max(0.0))],
    );
    metric(
        "maillage_outbox_unprocessed",
        "Outbox events the planner has not acted on yet.",
        "gauge",
        &[(String::new(), outbox.waiting as f64)],
    );
    metric(
        "maillage_outbox_oldest_unprocessed_seconds",
        "Age of the oldest such event (0 when none).",
        "gauge",
        &[(String::new(), outbox.oldest_seconds.unwrap_or(0.0).max(0.0))],
    );

    let mut pending = Vec::new();
    for stream in sources.streams {
        let reply: StreamPendingReply = sources
            .redis
            .xpending(&stream.key, stream.group)
            .await
            .unwrap_or(StreamPendingReply::Empty);
        pending.push((
            format!("{{stream=\"{}\"}}", stream.group),
            reply.count() as f64,
        ));
    }
    metric(
        "maillage_stream_pending",
        "Stream entries delivered to a consumer and not yet acknowledged.",
        "gauge",
        &pending,
    );
    metric(
        "maillage_reminders_resent_total",
        "Sends made again by this instance because their first was cut short (same Message-ID).",
        "counter",
        &[(String::new(), sources.resent as f64)],
    );
    let dead: usize = sources
        .redis
        .xlen(dead_letters::stream_key(sources.namespace))
        .await?;
    metric(
        "maillage_dead_letter_stream_length",
        "Announcements on the dead-letter stream (capped).",
        "gauge",
        &[(String::new(), dead as f64)],
    );
    Ok(out)
}
