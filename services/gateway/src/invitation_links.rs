//! The link of an invitation email (`/invitations/{tenant_id}/{token}`): it says which
//! workspace invites whom and as what, asks the person to sign in, and lets them join.
//! It works once, until the invitation expires, and only for the invited address; a
//! revoked invitation, or one sent again since (a new link), leaves it dead. Following it
//! changes nothing (a mail scanner may follow it): joining is a POST.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maillage_problem::{Path, Problem};
use uuid::Uuid;

use maillage_i18n::Lang;

use crate::Error;
use crate::lang::ReaderLang;
use crate::pages::page_with_status;
use crate::session::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/invitations/{tenant_id}/{token}", get(show).post(accept))
}

/// What the link leads to, as its page tells it.
#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    lang: Lang,
    state: LinkState,
    tenant_name: String,
    role: String,
    /// The invited address, and the one signed in when they differ.
    invited_email: String,
    signed_in_as: Option<String>,
    expires: String,
    login: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkState {
    /// Nobody signed in: sign in first.
    SignIn,
    /// The invited person, signed in: join.
    Join,
    /// Someone else signed in.
    OtherAccount,
    Expired,
    AlreadyUsed,
}

/// The invitation a link names, as it stands.
struct Invitation {
    id: Uuid,
    tenant_id: Uuid,
    tenant_slug: String,
    tenant_name: String,
    zone: String,
    email: String,
    role: String,
    expires_at: DateTime<Utc>,
    expired: bool,
    accepted_by: Option<Uuid>,
    accepted: bool,
    /// The workspace has its own provider: its members sign in there.
    own_sign_in: bool,
}

/// A token is 64 hexadecimal digits (`new_invitation_token`): anything else is no link
/// of ours, and is not looked up.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn find(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    token: &str,
) -> Result<Option<Invitation>, Error> {
    if !well_formed(token) {
        return Ok(None);
    }
    Ok(sqlx::query_as!(
        Invitation,
        r#"select i.id, i.tenant_id, t.slug as tenant_slug, t.name as tenant_name, t.time_zone as zone,
                  i.email, i.role, i.expires_at, i.expires_at <= now() as "expired!",
                  i.accepted_by, i.accepted_at is not null as "accepted!",
                  exists (select 1 from workspace_identity_providers w
                          where w.tenant_id = i.tenant_id) as "own_sign_in!"
           from invitations i join tenants t on t.id = i.tenant_id
           where i.tenant_id = $1 and i.token_hash = sha256(convert_to($2, 'UTF8'))
           for update of i"#,
        tenant_id,
        token,
    )
    .fetch_optional(conn)
    .await?)
}

/// How the link stands for whoever follows it. Signed in through another provider than
/// the workspace's is as good as not signed in here.
fn state_for(invitation: &Invitation, user: Option<&CurrentUser>) -> LinkState {
    let tenant_id = invitation.tenant_id;
    let user = user.filter(|user| match user.via_workspace {
        None => !invitation.own_sign_in,
        Some(workspace) => invitation.own_sign_in && workspace == tenant_id,
    });
    match user {
        _ if invitation.accepted => LinkState::AlreadyUsed,
        _ if invitation.expired => LinkState::Expired,
        None => LinkState::SignIn,
        Some(user) if user.email.eq_ignore_ascii_case(&invitation.email) => LinkState::Join,
        Some(_) => LinkState::OtherAccount,
    }
}

/// A link that names no invitation: mistyped, revoked, or replaced by a newer one.
fn dead_link(lang: Lang) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "invitation-link-dead",
        lang.t("invitation-dead"),
    )
    .with_detail(lang.t("invitation-dead-detail"))
    .in_language(lang.code())
    .into_response()
}

async fn show(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    user: Option<CurrentUser>,
    Path((tenant_id, token)): Path<(Uuid, String)>,
) -> Result<Response, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let found = find(&mut tx, tenant_id, &token).await?;
    tx.commit().await?;
    let Some(invitation) = found else {
        return Ok(dead_link(lang));
    };
    // Signing in with the invited address accepts it (at login): the person is in.
    if let (true, Some(user)) = (invitation.accepted, &user)
        && invitation.accepted_by == Some(user.id)
    {
        return Ok(Redirect::to(&format!("/t/{}/", invitation.tenant_slug)).into_response());
    }
    let link_state = state_for(&invitation, user.as_ref());
    answer(
        lang,
        link_state,
        &invitation,
        user.as_ref(),
        (&tenant_id, &token),
    )
}

fn answer(
    lang: Lang,
    link_state: LinkState,
    invitation: &Invitation,
    user: Option<&CurrentUser>,
    (tenant_id, token): (&Uuid, &str),
) -> Result<Response, Error> {
    let status = match link_state {
        LinkState::SignIn | LinkState::Join => StatusCode::OK,
        LinkState::OtherAccount => StatusCode::FORBIDDEN,
        LinkState::Expired | LinkState::AlreadyUsed => StatusCode::GONE,
    };
    let zone = invitation
        .zone
        .parse::<Tz>()
        .unwrap_or(chrono_tz::Europe::Paris);
    let here = format!("/invitations/{tenant_id}/{token}");
    let login = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("return_to", &here)
        .finish();
    page_with_status(
        status,
        &InvitationPage {
            lang,
            state: link_state,
            tenant_name: invitation.tenant_name.clone(),
            role: crate::pages::role_name(lang, &invitation.role),
            invited_email: invitation.email.clone(),
            signed_in_as: user.map(|user| user.email.clone()),
            expires: lang.date_time(invitation.expires_at, zone),
            login: format!("/login?{login}"),
        },
    )
}

async fn accept(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    user: CurrentUser,
    extensions: Extensions,
    Path((tenant_id, token)): Path<(Uuid, String)>,
) -> Result<Response, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let Some(invitation) = find(&mut tx, tenant_id, &token).await? else {
        return Ok(dead_link(lang));
    };
    let link_state = state_for(&invitation, Some(&user));
    if link_state != LinkState::Join {
        tx.commit().await?;
        return answer(
            lang,
            link_state,
            &invitation,
            Some(&user),
            (&tenant_id, &token),
        );
    }
    sqlx::query!(
        "insert into memberships (tenant_id, user_id, role) values ($1, $2, $3) on conflict do nothing",
        tenant_id,
        user.id,
        invitation.role,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"update invitations set accepted_at = now(), accepted_by = $3, email_token = null,
                  email_due_at = null
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        invitation.id,
        user.id,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, after)
           values ($1, $2, $3, $7, 'create', 'member', $3,
                   jsonb_build_object('email', $4::text, 'role', $5::text, 'invitation', $6::uuid))"#,
        tenant_id,
        Uuid::now_v7(),
        user.id,
        invitation.email,
        invitation.role,
        invitation.id,
        maillage_runtime::request_id_of(&extensions),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(%tenant_id, invitation = %invitation.id, "invitation accepted through its link");
    Ok(Redirect::to(&format!("/t/{}/", invitation.tenant_slug)).into_response())
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn only_tokens_of_our_shape_are_looked_up() {
        assert!(well_formed(&"a1".repeat(32)));
        assert!(!well_formed(&"a1".repeat(31)));
        assert!(!well_formed(&format!("{}zz", "a1".repeat(31))));
        assert!(!well_formed(""));
    }
}
