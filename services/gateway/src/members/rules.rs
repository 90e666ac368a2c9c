//! Who may change what among members, and the audit of every change: admins manage,
//! only owners hand out or take away the owner role, and a workspace keeps an owner.

use axum::http::StatusCode;
use maillage_domain::Role;
use maillage_problem::{FieldError, Problem};
use serde_json::Value;
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;

pub(super) fn forbidden() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "Votre rôle ne permet pas cette action.",
    )
}

pub(super) fn invalid(field: &str, message: &str) -> Problem {
    Problem::validation(vec![FieldError::new(field, message)])
}

/// The role a form or a body names, or the problem saying which ones exist.
pub(super) fn parse_role(role: &str) -> Result<Role, Problem> {
    role.parse::<Role>()
        .map_err(|_| invalid("role", "doit valoir owner, admin, editor ou viewer"))
}

/// A workspace without an owner could not be managed any more: the change is refused
/// as a conflict with the workspace's state, not as a bad input.
pub(super) fn last_owner() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "last-owner",
        "L'espace doit garder au moins un propriétaire.",
    )
    .with_detail("Nommez d'abord un autre propriétaire.")
}

/// Admins manage members; only owners hand out or take away the owner role.
pub(super) fn may_manage(
    actor: Role,
    target_before: Option<Role>,
    target_after: Option<Role>,
) -> Result<(), Problem> {
    if actor < Role::Admin {
        return Err(forbidden());
    }
    let touches_owner = target_before == Some(Role::Owner) || target_after == Some(Role::Owner);
    if touches_owner && actor != Role::Owner {
        return Err(forbidden());
    }
    Ok(())
}

/// What a member-management change is about, in the audit log.
pub(super) enum Audited {
    Member(Uuid),
    Invitation(Uuid),
}

/// Writes a member-management change to the tenant's audit log, in its transaction
/// (which `begin_tenant` scoped to the tenant).
pub(super) async fn audit(
    conn: &mut sqlx::PgConnection,
    actor: &Member,
    action: &str,
    record: Audited,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), Error> {
    let (record_type, record_id) = match record {
        Audited::Member(user_id) => ("member", user_id),
        Audited::Invitation(id) => ("invitation", id),
    };
    sqlx::query!(
        r#"insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, before, after)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        actor.tenant.id,
        Uuid::now_v7(),
        actor.user.id,
        actor.request_id,
        action,
        record_type,
        record_id,
        before,
        after,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The member's role, locked until the transaction ends.
pub(super) async fn current_role(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Role>, Error> {
    let role = sqlx::query_scalar!(
        "select role from memberships where tenant_id = $1 and user_id = $2 for update",
        tenant_id,
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(role.and_then(|r| r.parse().ok()))
}

pub(super) async fn owners(conn: &mut sqlx::PgConnection, tenant_id: Uuid) -> Result<i64, Error> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from memberships where tenant_id = $1 and role = 'owner'"#,
        tenant_id
    )
    .fetch_one(conn)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_and_only_owners_touch_owners() {
        assert!(may_manage(Role::Editor, Some(Role::Viewer), Some(Role::Editor)).is_err());
        assert!(may_manage(Role::Admin, Some(Role::Viewer), Some(Role::Editor)).is_ok());
        assert!(may_manage(Role::Admin, None, Some(Role::Admin)).is_ok());
        assert!(may_manage(Role::Admin, Some(Role::Owner), Some(Role::Admin)).is_err());
        assert!(may_manage(Role::Admin, None, Some(Role::Owner)).is_err());
        assert!(may_manage(Role::Owner, Some(Role::Owner), Some(Role::Admin)).is_ok());
    }
}
