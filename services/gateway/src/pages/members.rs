//! The members page (`/t/{slug}/settings/members`): who belongs with which role, the
//! invitations waiting; admins invite, change roles and remove, by the rules of
//! `crate::members` (only owners touch owners; the last owner stays).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use maillage_domain::Role;
use maillage_i18n::Lang;
use maillage_problem::{Path, Problem, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::members::{
    Members, VALID_FOR_DAYS, invite_by_email, members_of, remove_member, resend, revoke, set_role,
};
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/settings/members", get(show).post(invite))
        .route(
            "/t/{slug}/settings/members/{user_id}/role",
            post(change_role),
        )
        .route("/t/{slug}/settings/members/{user_id}/remove", post(remove))
        .route(
            "/t/{slug}/settings/members/invitations/{invitation_id}/resend",
            post(resend_invitation),
        )
        .route(
            "/t/{slug}/settings/members/invitations/{invitation_id}/revoke",
            post(revoke_invitation),
        )
}

/// Each role, most powerful first; its name is the message `role-{value}`.
const ROLES: [&str; 4] = ["owner", "admin", "editor", "viewer"];

/// A role's name in `lang`; a role the pages do not know reads as the least powerful.
pub(crate) fn role_name(lang: Lang, role: &str) -> String {
    let role = if ROLES.contains(&role) {
        role
    } else {
        "viewer"
    };
    lang.t(&format!("role-{role}"))
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    layout: Layout,
    members: Members,
    /// Whether the viewer may invite, change roles and remove.
    manages: bool,
    my_id: Uuid,
    zone: chrono_tz::Tz,
    notice: Option<String>,
    form: InvitationForm,
    errors: FormErrors,
}

impl MembersPage {
    /// A role's name in the reader's language.
    fn label(&self, role: &str) -> String {
        role_name(self.layout.lang, role)
    }

    /// Where an invitation's email stands, in words.
    fn email_status(&self, status: &str) -> String {
        let status = match status {
            "queued" | "sent" | "failed" | "expired" => status,
            _ => "none",
        };
        self.layout.t(&format!("members-email-{status}"))
    }

    fn until(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        self.layout.lang.date_time(*at, self.zone)
    }

    fn role_choices(&self, current: &str) -> Vec<Choice> {
        Choice::named(self.layout.lang, None, "role", ROLES, current)
    }
}

#[derive(Debug, Default, Deserialize)]
struct InvitationForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

#[derive(Debug, Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

#[derive(Debug, Default, Deserialize)]
struct Notice {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    member: &Member,
    form: InvitationForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<MembersPage, Error> {
    Ok(MembersPage {
        layout: Layout::of(member, "members"),
        members: members_of(state, member.tenant.id).await?,
        manages: member.role >= Role::Admin,
        my_id: member.user.id,
        zone: super::tenant_zone(member),
        notice,
        form,
        errors,
    })
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<Notice>,
) -> Result<Response, Error> {
    let lang = member.lang();
    let notice = match query.done.as_deref() {
        Some("invited") => {
            Some(lang.t_with("members-done-invited", &[("days", VALID_FOR_DAYS.into())]))
        }
        Some(done @ ("resent" | "revoked" | "role" | "removed")) => {
            Some(lang.t(&format!("members-done-{done}")))
        }
        _ => None,
    };
    let form = InvitationForm {
        role: "editor".into(),
        ..InvitationForm::default()
    };
    let page = page(&state, &member, form, FormErrors::default(), notice).await?;
    page_with_status(StatusCode::OK, &page)
}

/// Back to the page after a change, or the page again with what was refused.
async fn answer(
    state: &AppState,
    member: &Member,
    outcome: Result<&'static str, Problem>,
    form: InvitationForm,
) -> Result<Response, Error> {
    match outcome {
        Ok(done) => Ok(Redirect::to(&format!(
            "/t/{}/settings/members?done={done}",
            member.tenant.slug
        ))
        .into_response()),
        Err(problem) => {
            let (status, errors) = FormErrors::refusal(problem);
            let page = page(state, member, form, errors, None).await?;
            page_with_status(status, &page)
        }
    }
}

async fn invite(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<InvitationForm>,
) -> Result<Response, Error> {
    let outcome = invite_by_email(&state, &member, &form.email, &form.role)
        .await?
        .map(|_| "invited");
    answer(&state, &member, outcome, form).await
}

async fn change_role(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, user_id)): Path<(String, Uuid)>,
    Form(form): Form<RoleForm>,
) -> Result<Response, Error> {
    let outcome = set_role(&state, &member, user_id, &form.role)
        .await?
        .map(|_| "role");
    answer(&state, &member, outcome, InvitationForm::default()).await
}

async fn remove(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, user_id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let outcome = remove_member(&state, &member, user_id)
        .await?
        .map(|()| "removed");
    answer(&state, &member, outcome, InvitationForm::default()).await
}

async fn resend_invitation(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, invitation_id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let outcome = resend(&state, &member, invitation_id)
        .await?
        .map(|_| "resent");
    answer(&state, &member, outcome, InvitationForm::default()).await
}

async fn revoke_invitation(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, invitation_id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let outcome = revoke(&state, &member, invitation_id)
        .await?
        .map(|()| "revoked");
    answer(&state, &member, outcome, InvitationForm::default()).await
}

#[cfg(test)]
mod tests {
    use maillage_i18n::Lang;

    #[test]
    fn every_role_email_state_and_notice_is_said_in_both_languages() {
        let ids = super::ROLES
            .iter()
            .map(|role| format!("role-{role}"))
            .chain(
                ["queued", "sent", "failed", "expired", "none"]
                    .map(|status| format!("members-email-{status}")),
            )
            .chain(
                ["invited", "resent", "revoked", "role", "removed"]
                    .map(|done| format!("members-done-{done}")),
            );
        for id in ids {
            for lang in Lang::ALL {
                assert!(lang.has(&id), "{id} ({lang})");
            }
        }
    }
}
