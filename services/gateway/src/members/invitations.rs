//! Invitations by email. An admin invites someone; the notification service sends the
//! email, whose link (`crate::invitation_links`) works once, until the invitation
//! expires. An admin may send it again (a new link and a new expiry: the older link
//! stops working) or revoke it. The invited person also joins by signing in with the
//! invited, verified address (`accept_invitations` at login), while it is valid.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use maillage_domain::EmailAddress;
use maillage_problem::Problem;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::rules::{Audited, audit, may_manage, parse_role};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// How long an invitation's link works.
pub const VALID_FOR_DAYS: i32 = 14;

/// An invitation's email is sent at most this often: a second "resend" within it would
/// only fill the invited person's inbox.
const RESEND_AFTER_SECONDS: f64 = 60.0;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationView {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    /// The link stops working then.
    pub expires_at: DateTime<Utc>,
    /// Where its email stands.
    #[schema(schema_with = email_status_schema)]
    pub email_status: String,
    pub email_sent_at: Option<DateTime<Utc>>,
}

/// Where an invitation's email stands, as `InvitationView::email_status` says it.
const EMAIL_STATUSES: [&str; 5] = ["queued", "sent", "failed", "not_sent", "expired"];

fn email_status_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(&EMAIL_STATUSES)
}

/// The invitations of a tenant still waiting to be accepted, by email.
pub(super) async fn pending(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
) -> Result<Vec<InvitationView>, Error> {
    Ok(sqlx::query_as!(
        InvitationView,
        r#"select id, email, role, expires_at, email_sent_at,
                  case when expires_at <= now() then 'expired'
                       when email_error is not null then 'failed'
                       when email_due_at is not null then 'queued'
                       when email_sent_at is not null then 'sent'
                       else 'not_sent' end as "email_status!"
           from invitations where tenant_id = $1 and accepted_at is null order by email"#,
        tenant_id
    )
    .fetch_all(conn)
    .await?)
}

/// Invites someone by email (again, if they were: a new link, a new expiry).
pub async fn invite_by_email(
    state: &AppState,
    member: &Member,
    email: &str,
    role: &str,
) -> Result<Result<InvitationView, Problem>, Error> {
    let role = match parse_role(role) {
        Ok(role) => role,
        Err(problem) => return Ok(Err(problem)),
    };
    if let Err(problem) = may_manage(member.role, None, Some(role)) {
        return Ok(Err(problem));
    }
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(Err(super::rules::invalid(
            "email",
            "n'est pas une adresse e-mail valide",
        )));
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
    let invited = sqlx::query_as!(
        InvitationView,
        r#"insert into invitations (tenant_id, email, role, invited_by, expires_at, email_due_at)
           values ($1, lower($2), $3, $4, now() + make_interval(days => $5), now())
           on conflict (tenant_id, email) do update
           set role = excluded.role, invited_by = excluded.invited_by, created_at = now(),
               expires_at = excluded.expires_at, accepted_at = null, accepted_by = null,
               email_token = new_invitation_token(), email_due_at = now(), email_attempts = 0,
               email_sent_at = null, email_error = null
           returning id, email, role, expires_at, email_sent_at, 'queued' as "email_status!""#,
        member.tenant.id,
        email.as_str(),
        role.as_str(),
        member.user.id,
        VALID_FOR_DAYS,
    )
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({ "email": invited.email, "role": invited.role });
    let record = Audited::Invitation(invited.id);
    audit(&mut tx, member, "create", record, None, Some(after)).await?;
    tx.commit().await?;
    tracing::info!(tenant = %member.tenant.slug, %role, "member invited");
    Ok(Ok(invited))
}

/// Sends an invitation's email again, with a new link and a new expiry.
pub async fn resend(
    state: &AppState,
    member: &Member,
    invitation_id: Uuid,
) -> Result<Result<InvitationView, Problem>, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let Some(current) = waiting(&mut tx, member.tenant.id, invitation_id).await? else {
        return Err(Error::NotFound);
    };
    if let Err(problem) = may_manage(member.role, None, Some(current.role)) {
        return Ok(Err(problem));
    }
    if current.just_sent {
        return Ok(Err(Problem::new(
            StatusCode::CONFLICT,
            "invitation-just-sent",
            "Cette invitation vient d'être envoyée.",
        )
        .with_detail("Attendez une minute avant de l'envoyer de nouveau.")));
    }
    let sent_again = sqlx::query_as!(
        InvitationView,
        r#"update invitations
           set email_token = new_invitation_token(), expires_at = now() + make_interval(days => $3),
               email_due_at = now(), email_attempts = 0, email_error = null, invited_by = $4
           where tenant_id = $1 and id = $2
           returning id, email, role, expires_at, email_sent_at, 'queued' as "email_status!""#,
        member.tenant.id,
        invitation_id,
        VALID_FOR_DAYS,
        member.user.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({ "email": sent_again.email, "resent": true });
    let record = Audited::Invitation(invitation_id);
    audit(&mut tx, member, "update", record, None, Some(after)).await?;
    tx.commit().await?;
    Ok(Ok(sent_again))
}

/// Takes an invitation back: its link stops working at once.
pub async fn revoke(
    state: &AppState,
    member: &Member,
    invitation_id: Uuid,
) -> Result<Result<(), Problem>, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let Some(current) = waiting(&mut tx, member.tenant.id, invitation_id).await? else {
        return Err(Error::NotFound);
    };
    if let Err(problem) = may_manage(member.role, None, Some(current.role)) {
        return Ok(Err(problem));
    }
    sqlx::query!(
        "delete from invitations where tenant_id = $1 and id = $2",
        member.tenant.id,
        invitation_id
    )
    .execute(&mut *tx)
    .await?;
    let before = json!({ "email": current.email, "role": current.role.as_str() });
    let record = Audited::Invitation(invitation_id);
    audit(&mut tx, member, "delete", record, Some(before), None).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// An invitation not yet accepted, locked until the transaction ends.
struct Waiting {
    email: String,
    role: maillage_domain::Role,
    /// Its email is on its way, or went less than a minute ago.
    just_sent: bool,
}

async fn waiting(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    invitation_id: Uuid,
) -> Result<Option<Waiting>, Error> {
    let row = sqlx::query!(
        r#"select email, role,
                  (email_due_at is not null
                   or email_sent_at > now() - make_interval(secs => $3)) as "just_sent!"
           from invitations where tenant_id = $1 and id = $2 and accepted_at is null
           for update"#,
        tenant_id,
        invitation_id,
        RESEND_AFTER_SECONDS,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|row| {
        Some(Waiting {
            role: row.role.parse().ok()?,
            email: row.email,
            just_sent: row.just_sent,
        })
    }))
}
