//! Members of a tenant: everyone sees who belongs; admins invite (`invitations`),
//! change roles and remove, by the rules of `rules`.

mod invitations;
mod rules;

use axum::extract::State;
use axum::http::StatusCode;
use maillage_domain::Role;
use maillage_problem::{Json, Path, Problem};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub use self::invitations::{InvitationView, VALID_FOR_DAYS, invite_by_email, resend, revoke};
use self::rules::{Audited, audit, current_role, last_owner, may_manage, owners, parse_role};

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
        .post(
            "/api/v1/t/{slug}/members/invitations/{invitation_id}/resend",
            resend_invitation,
            Doc::new(
                "members",
                "Renvoyer une invitation : un nouveau lien, une nouvelle échéance (administrateurs)",
            )
            .returns::<InvitationView>(),
        )
        .delete(
            "/api/v1/t/{slug}/members/invitations/{invitation_id}",
            revoke_invitation,
            Doc::new("members", "Annuler une invitation : son lien ne sert plus (administrateurs)")
                .no_content(),
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
pub struct Members {
    pub members: Vec<MemberView>,
    pub pending_invitations: Vec<InvitationView>,
}

/// The roles a member may be given, for the document.
fn role_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(&Role::ALL.map(Role::as_str))
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
    let pending_invitations = invitations::pending(&mut tx, tenant_id).await?;
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
    let role = match parse_role(role) {
        Ok(role) => role,
        Err(problem) => return Ok(Err(problem)),
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

async fn resend_invitation(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, invitation_id)): Path<(String, Uuid)>,
) -> Result<Result<Json<InvitationView>, Problem>, Error> {
    Ok(resend(&state, &member, invitation_id).await?.map(Json))
}

async fn revoke_invitation(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, invitation_id)): Path<(String, Uuid)>,
) -> Result<Result<StatusCode, Problem>, Error> {
    Ok(revoke(&state, &member, invitation_id)
        .await?
        .map(|()| StatusCode::NO_CONTENT))
}
