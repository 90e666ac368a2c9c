//! The transactional outbox: an event is written in the same transaction as the change
//! it announces, so either both happen or neither. The notification service relays it.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

/// A reporting deadline was created, changed or deleted: its reminders need recomputing.
pub const DEADLINE_CHANGED: &str = "deadline.changed";

pub async fn emit(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    topic: &str,
    aggregate_id: Uuid,
) -> Result<(), Error> {
    sqlx::query!(
        "insert into outbox (tenant_id, id, topic, aggregate_id) values ($1, $2, $3, $4)",
        tenant_id,
        Uuid::now_v7(),
        topic,
        aggregate_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}
