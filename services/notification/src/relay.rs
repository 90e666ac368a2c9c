//! The outbox relay: moves committed events from PostgreSQL into the events stream.
//!
//! Rows are marked published in the same transaction that locked them, after Redis took
//! them: a crash in between publishes them again, which the planner tolerates (planning
//! a deadline twice gives the same reminders). An event published but still not
//! processed by the planner after `REPUBLISH_AFTER` (Redis restarted without its data)
//! is published again: Redis may lose work, PostgreSQL keeps it.

use chrono::{DateTime, Duration, Utc};
use maillage_db::begin_platform_scan;
use redis::aio::ConnectionManager;
use sqlx::PgPool;
use uuid::Uuid;

use crate::Error;
use maillage_queue::WorkStream;

const BATCH: i64 = 200;
/// Time enough for a planner to act on an event, even behind a backlog.
pub const REPUBLISH_AFTER: Duration = Duration::minutes(10);

/// Relays one batch; returns how many events it moved.
pub async fn relay_batch(
    pool: &PgPool,
    redis: &mut ConnectionManager,
    events: &WorkStream,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let mut tx = begin_platform_scan(pool).await?;
    let rows = sqlx::query!(
        r#"select tenant_id, id, topic, aggregate_id from outbox
           where processed_at is null and (published_at is null or published_at < $2)
           order by created_at
           limit $1
           for update skip locked"#,
        BATCH,
        now - REPUBLISH_AFTER,
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &rows {
        events
            .publish(
                redis,
                &[
                    ("tenant_id", row.tenant_id.to_string()),
                    ("event_id", row.id.to_string()),
                    ("topic", row.topic.clone()),
                    ("aggregate_id", row.aggregate_id.to_string()),
                ],
            )
            .await?;
    }
    let (tenants, ids): (Vec<Uuid>, Vec<Uuid>) = rows.iter().map(|r| (r.tenant_id, r.id)).unzip();
    sqlx::query!(
        r#"update outbox set published_at = $3
           where (tenant_id, id) in (select * from unnest($1::uuid[], $2::uuid[]))"#,
        &tenants,
        &ids,
        now,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows.len())
}
