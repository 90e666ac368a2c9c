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
    /// A copy of everything held about a person was handed out.
    Access,
    /// A person was erased: the entry keeps how much went, never what.
    Erase,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Restore => "restore",
            Self::Merge => "merge",
            Self::Access => "access",
            Self::Erase => "erase",
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
    let entry = Entry {
        tenant_id: actor.0.tenant_id,
        actor_user_id: actor.0.user_id,
        request_id: &actor.0.request_id,
    };
    entry
        .record(conn, action, record_type, record_id, before, after)
        .await
}

/// Who an entry is in the name of, outside a request: a background task's work (an
/// import, the retention keeper's erasures) is entered under the member who asked for it.
pub struct Entry<'a> {
    pub tenant_id: Uuid,
    pub actor_user_id: Uuid,
    /// What the change came from: a request's id, or the task's name.
    pub request_id: &'a str,
}

impl Entry<'_> {
    pub async fn record<T: Serialize>(
        &self,
        conn: &mut PgConnection,
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
            self.tenant_id,
            Uuid::now_v7(),
            self.actor_user_id,
            self.request_id,
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
}
