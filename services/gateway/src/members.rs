//! Members of a tenant: everyone sees who belongs; admins invite, change roles and
//! remove; only owners make owners, and a tenant never loses its last owner.

use axum::extract::State;
use axum::http::StatusCode;
use maillage_domain::{EmailAddress, Role};
use maillage_problem::{FieldError, Json, Path, Problem};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/api/v1/t/{slug}/members",
            list,
            Doc::new("members", "Membres de l'espace et invitations en attente")
                .returns::<Members>(),
        )
        .post(
            "/api/v1/t/{slug}/members/invitations",
            invite,
            Doc::new("members", "Inviter quelqu'un par e-mail (administrateurs)")
                .body::<InvitationInput>()
                .created()
                .returns::<InvitationView>(),
        )
        .patch(
            "/api/v1/t/{slug}/members/{user_id}",
            change_role,
            Doc::new(
                "members",
                "Changer le rôle d'un membre (administrateurs ; propriétaires pour le rôle owner)",
            )
            .body::<RoleInput>()
            .returns::<MemberView>(),
        )
        .delete(
            "/api/v1/t/{slug}/members/{user_id}",
            remove,
            Doc::new("members", "Retirer un membre de l'espace (administrateurs)").no_content(),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationView {
    pub email: String,
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Members {
    pub members: Vec<MemberView>,
    pub pending_invitations: Vec<InvitationView>,
}

fn forbidden() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "Votre rôle ne permet pas cette action.",
    )
}

/// The roles a member may be given, for the document.
fn role_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(&Role::ALL.map(Role::as_str))
}

fn invalid(field: &str, message: &str) -> Problem {
    Problem::validation(vec![FieldError::new(field, message)])
}

/// A workspace without an owner could not be managed any more: the change is refused
/// as a conflict with the workspace's state, not as a bad input.
fn last_owner() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "last-owner",
        "L'espace doit garder au moins un propriétaire.",
    )
    .with_detail("Nommez d'abord un autre propriétaire.")
}

/// Admins manage members; only owners hand out or take away the owner role.
fn may_manage(
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

/// The tenant's members, by name: who a report can fall to.
pub async fn names(state: &AppState, tenant_id: Uuid) -> Result<Vec<(Uuid, String)>, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let rows = sqlx::query!(
        r#"select u.id, u.display_name
           from memberships m join users u on u.id = m.user_id
           where m.tenant_id = $1 order by u.display_name, u.email"#,
        tenant_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
}

async fn list(State(state): State<AppState>, member: Member) -> Result<Json<Members>, Error> {
    Ok(Json(members_of(&state, member.tenant.id).await?))
}

/// The workspace's members by name, and the invitations waiting.
pub async fn members_of(state: &AppState, tenant_id: Uuid) -> Result<Members, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let members = sqlx::query_as!(
        MemberView,
        r#"select u.id as user_id, u.email, u.display_name, m.role
           from memberships m join users u on u.id = m.user_id
           where m.tenant_id = $1 order by u.display_name, u.email"#,
        tenant_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let pending_invitations = sqlx::query_as!(
        InvitationView,
        "select email, role from invitations where tenant_id = $1 and accepted_at is null order by email",
        tenant_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Members {
        members,
        pending_invitations,
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct InvitationInput {
    #[schema(format = Email)]
    email: String,
    #[schema(schema_with = role_schema)]
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    member: Member,
    Json(input): Json<InvitationInput>,
) -> Result<Result<(StatusCode, Json<InvitationView>), Problem>, Error> {
    Ok(invite_by_email(&state, &member, &input.email, &input.role)
        .await?
        .map(|invited| (StatusCode::CREATED, Json(invited))))
}

/// Invites someone by email; the invitation becomes a membership at their first login.
pub async fn invite_by_email(
    state: &AppState,
    member: &Member,
    email: &str,
    role: &str,
) -> Result<Result<InvitationView, Problem>, Error> {
    let Ok(role) = role.parse::<Role>() else {
        return Ok(Err(invalid(
            "role",
            "doit valoir owner, admin, editor ou viewer",
        )));
    };
    if let Err(problem) = may_manage(member.role, None, Some(role)) {
        return Ok(Err(problem));
    }
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(Err(invalid("email", "n'est pas une adresse e-mail valide")));
    };
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let already = sqlx::query_scalar!(
        r#"select exists(select 1 from memberships m join users u on u.id = m.user_id
                         where m.tenant_id = $1 and lower(u.email) = lower($2)) as "already!""#,
        member.tenant.id,
        email.as_str(),
    )
    .fetch_one(&mut *tx)
    .await?;
    if already {
        return Ok(Err(Problem::new(
            StatusCode::CONFLICT,
            "already-member",
            "Cette personne est déjà membre de l'espace.",
        )));
    }
    sqlx::query!(
        r#"insert into invitations (tenant_id, email, role) values ($1, $2, $3)
           on conflict (tenant_id, email) do update set role = excluded.role, accepted_at = null, created_at = now()"#,
        member.tenant.id,
        email.as_str(),
        role.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    let invited = json!({ "email": email.as_str(), "role": role.as_str() });
    let record = Audited::Invitation(email.as_str());
    audit(&mut tx, member, "create", record, None, Some(invited)).await?;
    tx.commit().await?;
    tracing::info!(tenant = %member.tenant.slug, %role, "member invited");
    Ok(Ok(InvitationView {
        email: email.into(),
        role: role.as_str().into(),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RoleInput {
    #[schema(schema_with = role_schema)]
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, user_id)): Path<(String, Uuid)>,
    Json(input): Json<RoleInput>,
) -> Result<Result<Json<MemberView>, Problem>, Error> {
    Ok(set_role(&state, &member, user_id, &input.role)
        .await?
        .map(Json))
}

/// Gives a member another role: admins manage, only owners touch owners, and the last
/// owner stays one.
pub async fn set_role(
    state: &AppState,
    member: &Member,
    user_id: Uuid,
    role: &str,
) -> Result<Result<MemberView, Problem>, Error> {
    let Ok(role) = role.parse::<Role>() else {
        return Ok(Err(invalid(
            "role",
            "doit valoir owner, admin, editor ou viewer",
        )));
    };
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let current = current_role(&mut tx, member.tenant.id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if let Err(problem) = may_manage(member.role, Some(current), Some(role)) {
        return Ok(Err(problem));
    }
    if current == Role::Owner
        && role != Role::Owner
        && owners(&mut tx, member.tenant.id).await? <= 1
    {
        return Ok(Err(last_owner()));
    }
    let changed = sqlx::query_as!(
        MemberView,
        r#"update memberships m set role = $3 from users u
           where m.tenant_id = $1 and m.user_id = $2 and u.id = m.user_id
           returning u.id as user_id, u.email, u.display_name, m.role"#,
        member.tenant.id,
        user_id,
        role.as_str(),
    )
    .fetch_one(&mut *tx)
    .await?;
    let before = json!({ "email": changed.email, "role": current.as_str() });
    let after = json!({ "email": changed.email, "role": changed.role });
    let record = Audited::Member(user_id);
    audit(&mut tx, member, "update", record, Some(before), Some(after)).await?;
    tx.commit().await?;
    Ok(Ok(changed))
}

async fn remove(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, user_id)): Path<(String, Uuid)>,
) -> Result<Result<StatusCode, Problem>, Error> {
    Ok(remove_member(&state, &member, user_id)
        .await?
        .map(|()| StatusCode::NO_CONTENT))
}

/// Takes someone out of the workspace (their next request there finds no workspace);
/// the last owner stays.
pub async fn remove_member(
    state: &AppState,
    member: &Member,
    user_id: Uuid,
) -> Result<Result<(), Problem>, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let current = current_role(&mut tx, member.tenant.id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if let Err(problem) = may_manage(member.role, Some(current), None) {
        return Ok(Err(problem));
    }
    if current == Role::Owner && owners(&mut tx, member.tenant.id).await? <= 1 {
        return Ok(Err(last_owner()));
    }
    sqlx::query!(
        "delete from memberships where tenant_id = $1 and user_id = $2",
        member.tenant.id,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    let before = json!({ "role": current.as_str() });
    let record = Audited::Member(user_id);
    audit(&mut tx, member, "delete", record, Some(before), None).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// What a member-management change is about, in the audit log.
enum Audited<'a> {
    Member(Uuid),
    /// Invitations have no id: their email stands for it.
    Invitation(&'a str),
}

/// Writes a member-management change to the tenant's audit log, in its transaction
/// (which `begin_tenant` scoped to the tenant).
async fn audit(
    conn: &mut sqlx::PgConnection,
    actor: &Member,
    action: &str,
    record: Audited<'_>,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), Error> {
    let (record_type, record_id, key) = match record {
        Audited::Member(user_id) => ("member", Some(user_id), String::new()),
        Audited::Invitation(email) => ("invitation", None, email.to_lowercase()),
    };
    sqlx::query!(
        r#"insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, before, after)
           values ($1, $2, $3, $4, $5, $6, coalesce($7, md5('invitation:' || $8)::uuid), $9, $10)"#,
        actor.tenant.id,
        Uuid::now_v7(),
        actor.user.id,
        actor.request_id,
        action,
        record_type,
        record_id,
        key,
        before,
        after,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The member's role, locked until the transaction ends.
async fn current_role(
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

async fn owners(conn: &mut sqlx::PgConnection, tenant_id: Uuid) -> Result<i64, Error> {
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
