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
use maillage_problem::{Path, Problem, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::members::{Members, invite_by_email, members_of, remove_member, set_role};
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
}

/// Each role with its French name, most powerful first.
const ROLES: [(&str, &str); 4] = [
    ("owner", "Propriétaire"),
    ("admin", "Administrateur"),
    ("editor", "Éditeur"),
    ("viewer", "Lecteur"),
];

fn role_label(role: &str) -> &'static str {
    ROLES
        .iter()
        .find(|(value, _)| *value == role)
        .map_or("Lecteur", |(_, label)| label)
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    layout: Layout,
    members: Members,
    /// Whether the viewer may invite, change roles and remove.
    manages: bool,
    my_id: Uuid,
    notice: Option<&'static str>,
    form: InvitationForm,
    errors: FormErrors,
}

impl MembersPage {
    fn label(&self, role: &str) -> &'static str {
        role_label(role)
    }

    fn role_choices(&self, current: &str) -> Vec<Choice> {
        Choice::list(ROLES.iter().copied(), current)
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
    notice: Option<&'static str>,
) -> Result<MembersPage, Error> {
    Ok(MembersPage {
        layout: Layout::of(member, "members"),
        members: members_of(state, member.tenant.id).await?,
        manages: member.role >= Role::Admin,
        my_id: member.user.id,
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
    let notice = match query.done.as_deref() {
        Some("invited") => Some(
            "L'invitation est enregistrée : elle prend effet à la première connexion de la personne.",
        ),
        Some("role") => Some("Le rôle est changé."),
        Some("removed") => Some("La personne ne fait plus partie de l'espace."),
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
            let status =
                StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let errors = FormErrors::from_problem(problem, &[]);
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
