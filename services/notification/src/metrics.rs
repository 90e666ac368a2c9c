//! `GET /metrics`: what the reminders are doing, in Prometheus' text format. What is
//! waiting is sampled in the background, from PostgreSQL through the partial indexes of
//! the statuses still in play (never the whole reminders table, which only grows) and
//! from the Redis streams; what was done is counted by this instance as it does it
//! (counters, summed across instances by Prometheus). A scrape reads neither.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::{DateTime, Utc};
use maillage_db::begin_platform_scan;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use redis::streams::StreamPendingReply;
use sqlx::PgPool;

use crate::Error;
use crate::dead_letters;
use crate::delivery::Outcome;
use maillage_queue::WorkStream;

/// What this instance did since it started.
#[derive(Default)]
pub struct Counters {
    pub sent: AtomicU64,
    /// SMTP failures that will be tried again.
    pub retried: AtomicU64,
    pub dead_lettered: AtomicU64,
    /// Sends made again, their first one cut short (same Message-ID).
    pub resent: AtomicU64,
}

impl Counters {
    /// Counts what a delivery came to.
    pub fn count(&self, outcome: &Outcome) {
        let counter = match outcome {
            Outcome::Sent => &self.sent,
            Outcome::RetryLater { .. } => &self.retried,
            Outcome::DeadLettered { .. } => &self.dead_lettered,
            _ => return,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

pub struct Sources<'a> {
    pub pool: &'a PgPool,
    pub redis: &'a mut ConnectionManager,
    pub namespace: &'a str,
    pub streams: [&'a WorkStream; 2],
}

/// What is waiting, read at one moment: a scrape serves the latest sample instead of
/// reading PostgreSQL and Redis itself, so that it costs the same at any size and however
/// often it comes (several Prometheus servers, a curious operator in a loop).
pub struct Gauges {
    pending: i64,
    queued: i64,
    sending: i64,
    failed: i64,
    lag_seconds: f64,
    outbox_waiting: i64,
    outbox_oldest_seconds: f64,
    /// Per consumer group: entries delivered and not yet acknowledged.
    stream_pending: Vec<(&'static str, usize)>,
    dead_letters: usize,
    sampled_at: Instant,
}

/// Reads the gauges: the statuses still in play, each through its partial index, and
/// the work streams.
pub async fn sample(sources: Sources<'_>, now: DateTime<Utc>) -> Result<Gauges, Error> {
    let mut tx = begin_platform_scan(sources.pool).await?;
    // Each query's condition is a partial index's: reminders_due_idx, reminders_lease_idx,
    // reminders_failed_idx.
    // Only those already due: the reminders planned for later are most of the table.
    // Counted and dated in one read of the due index: the lag is the oldest of either.
    let waiting = sqlx::query!(
        r#"select status, count(*) as "count!",
                  extract(epoch from $1 - min(next_attempt_at))::float8 as "late_seconds!"
           from reminders
           where status in ('pending', 'queued') and next_attempt_at <= $1 group by status"#,
        now,
    )
    .fetch_all(&mut *tx)
    .await?;
    let sending = sqlx::query_scalar!(
        r#"select count(*) as "count!" from reminders where status = 'sending'"#
    )
    .fetch_one(&mut *tx)
    .await?;
    let failed = sqlx::query_scalar!(
        r#"select count(*) as "count!" from reminders where status = 'failed'"#
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
    let count_of = |status: &str| {
        waiting
            .iter()
            .find(|row| row.status == status)
            .map_or(0, |row| row.count)
    };

    let mut stream_pending = Vec::new();
    for stream in sources.streams {
        let reply: StreamPendingReply = sources
            .redis
            .xpending(&stream.key, stream.group)
            .await
            .unwrap_or(StreamPendingReply::Empty);
        stream_pending.push((stream.group, reply.count()));
    }
    let dead_letters: usize = sources
        .redis
        .xlen(dead_letters::stream_key(sources.namespace))
        .await?;
    Ok(Gauges {
        pending: count_of("pending"),
        queued: count_of("queued"),
        sending,
        failed,
        lag_seconds: waiting
            .iter()
            .map(|row| row.late_seconds)
            .fold(0.0, f64::max),
        outbox_waiting: outbox.waiting,
        outbox_oldest_seconds: outbox.oldest_seconds.unwrap_or(0.0).max(0.0),
        stream_pending,
        dead_letters,
        sampled_at: Instant::now(),
    })
}

/// The page: the latest gauges, how old they are, and this instance's counters.
pub fn render(gauges: &Gauges, counters: &Counters) -> String {
    let mut out = String::new();
    let mut metric = |name: &str, help: &str, kind: &str, samples: &[(String, f64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, value) in samples {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    let one = |value: f64| [(String::new(), value)];
    let statuses: Vec<(String, f64)> = [
        ("pending", gauges.pending),
        ("queued", gauges.queued),
        ("sending", gauges.sending),
        ("failed", gauges.failed),
    ]
    .into_iter()
    .map(|(status, count)| (format!("{{status=\"{status}\"}}"), count as f64))
    .collect();
    metric(
        "maillage_reminders",
        "Reminders due and not yet sent (pending, queued), being sent, or failed (dead-lettered).",
        "gauge",
        &statuses,
    );
    let counted = |counter: &AtomicU64| one(counter.load(Ordering::Relaxed) as f64);
    metric(
        "maillage_reminders_sent_total",
        "Reminders this instance sent.",
        "counter",
        &counted(&counters.sent),
    );
    metric(
        "maillage_reminder_retries_total",
        "SMTP failures this instance will try again.",
        "counter",
        &counted(&counters.retried),
    );
    metric(
        "maillage_reminders_dead_lettered_total",
        "Reminders this instance gave up on (refused, or too many failures).",
        "counter",
        &counted(&counters.dead_lettered),
    );
    metric(
        "maillage_reminders_resent_total",
        "Sends this instance made again because their first was cut short (same Message-ID).",
        "counter",
        &counted(&counters.resent),
    );
    metric(
        "maillage_reminder_lag_seconds",
        "How late the oldest due and still unsent reminder is (0 when none).",
        "gauge",
        &one(gauges.lag_seconds),
    );
    metric(
        "maillage_outbox_unprocessed",
        "Outbox events the planner has not acted on yet.",
        "gauge",
        &one(gauges.outbox_waiting as f64),
    );
    metric(
        "maillage_outbox_oldest_unprocessed_seconds",
        "Age of the oldest such event (0 when none).",
        "gauge",
        &one(gauges.outbox_oldest_seconds),
    );
    let pending: Vec<(String, f64)> = gauges
        .stream_pending
        .iter()
        .map(|(group, count)| (format!("{{stream=\"{group}\"}}"), *count as f64))
        .collect();
    metric(
        "maillage_stream_pending",
        "Stream entries delivered to a consumer and not yet acknowledged.",
        "gauge",
        &pending,
    );
    metric(
        "maillage_dead_letter_stream_length",
        "Announcements on the dead-letter stream (capped).",
        "gauge",
        &one(gauges.dead_letters as f64),
    );
    metric(
        "maillage_gauges_age_seconds",
        "How long ago the gauges above were read (they are sampled in the background; a growing age means the database or Redis does not answer).",
        "gauge",
        &one(gauges.sampled_at.elapsed().as_secs_f64()),
    );
    out
}
