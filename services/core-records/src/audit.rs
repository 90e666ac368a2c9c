//! The audit log: one row per change, with the record before and after.

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;

#[derive(Debug, Clone, Copy)]
pub enum Action {
    Create,
    Update,
    Delete,
    Restore,
    Merge,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Restore => "restore",
            Self::Merge => "merge",
        }
    }
}

pub async fn record<T: Serialize>(
    conn: &mut PgConnection,
    actor: &Identity,
    action: Action,
    record_type: &str,
    record_id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), Error> {
    let to_json = |value: Option<&T>| value.map(serde_json::to_value).transpose();
    let (before, after) = (
        to_json(before).map_err(|e| sqlx::Error::Encode(Box::new(e)))?,
        to_json(after).map_err(|e| sqlx::Error::Encode(Box::new(e)))?,
    );
    sqlx::query!(
        r#"insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, before, after)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        actor.0.tenant_id,
        Uuid::now_v7(),
        actor.0.user_id,
        actor.0.request_id,
        action.as_str(),
        record_type,
        record_id,
        before,
        after,
    )
    .execute(conn)
    .await?;
    Ok(())
}
