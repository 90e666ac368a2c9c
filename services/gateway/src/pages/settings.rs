//! The workspace's settings (`/t/{slug}/settings`): its name, language and time zone
//! (changed by admins, by the rules of `crate::workspace_settings`), and the way to
//! every other setting: members, sign-in, reminders, the workspace's own fields. The
//! logo is sent from here too (by the rules of `crate::workspace_logo`).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use maillage_domain::Role;
use maillage_problem::{Problem, Query};
use serde::Deserialize;

use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;
use crate::workspace_logo;
use crate::workspace_settings::{self, WorkspaceSettingsInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/settings", get(show).post(save))
        .route(
            "/t/{slug}/settings/logo",
            // The file's size is checked as it arrives (`workspace_logo::receive`).
            post(upload_logo).layer(DefaultBodyLimit::disable()),
        )
        .route("/t/{slug}/settings/logo/remove", post(remove_logo))
}

/// The languages a workspace speaks, by name.
const LOCALES: [(&str, &str); 2] = [("fr-FR", "Français"), ("en-GB", "English")];

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    form: SettingsForm,
    locales: Vec<Choice>,
    errors: FormErrors,
    admin: bool,
    saved: bool,
    /// Why the image just sent was refused.
    logo_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    time_zone: String,
}

#[derive(Debug, Default, Deserialize)]
struct Saved {
    saved: Option<String>,
}

fn page(member: &Member, form: SettingsForm, errors: FormErrors, saved: bool) -> SettingsPage {
    SettingsPage {
        layout: Layout::of(member, "settings"),
        locales: Choice::list(LOCALES.iter().copied(), &form.locale),
        form,
        errors,
        admin: member.role >= Role::Admin,
        saved,
        logo_error: None,
    }
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<Saved>,
) -> Result<Response, Error> {
    page_with_status(
        StatusCode::OK,
        &page(
            &member,
            stored(&state, &member).await?,
            FormErrors::default(),
            query.saved.is_some(),
        ),
    )
}

/// The settings as stored, in the form.
async fn stored(state: &AppState, member: &Member) -> Result<SettingsForm, Error> {
    let current = workspace_settings::view(state, member.tenant.id).await?;
    Ok(SettingsForm {
        name: current.name,
        locale: current.locale,
        time_zone: current.time_zone,
    })
}

async fn save(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<SettingsForm>,
) -> Result<Response, Error> {
    let input = WorkspaceSettingsInput {
        name: Some(form.name.clone()),
        locale: Some(form.locale.clone()),
        time_zone: Some(form.time_zone.clone()),
    };
    match workspace_settings::save(&state, &member, &input).await? {
        Ok(_) => Ok(
            Redirect::to(&format!("/t/{}/settings?saved=1", member.tenant.slug)).into_response(),
        ),
        Err(problem) => {
            let (status, errors) = FormErrors::refusal(problem);
            page_with_status(status, &page(&member, form, errors, false))
        }
    }
}

/// The form's `logo` file: stored, then the page again (its header shows the new logo);
/// refused, the page says why beside the file input.
async fn upload_logo(
    State(state): State<AppState>,
    member: Member,
    mut form: Multipart,
) -> Result<Response, Error> {
    let mut received = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("logo") {
            received = Some(workspace_logo::receive(field).await?);
            break;
        }
    }
    let stored_logo = match received {
        Some(Ok(bytes)) => workspace_logo::store(&state, &member, bytes).await?,
        Some(Err(problem)) => Err(problem),
        None => Err(Problem::refused_fields([("logo", "refused-image")])),
    };
    match stored_logo {
        Ok(_) => Ok(
            Redirect::to(&format!("/t/{}/settings?saved=1", member.tenant.slug)).into_response(),
        ),
        Err(problem) => logo_refused(&state, &member, problem).await,
    }
}

async fn remove_logo(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    match workspace_logo::remove(&state, &member).await? {
        Ok(_) => Ok(
            Redirect::to(&format!("/t/{}/settings?saved=1", member.tenant.slug)).into_response(),
        ),
        Err(problem) => logo_refused(&state, &member, problem).await,
    }
}

/// The page again, with the reason beside the logo's input (or, for a refusal that is
/// not the image's, in the summary).
async fn logo_refused(
    state: &AppState,
    member: &Member,
    problem: Problem,
) -> Result<Response, Error> {
    let logo_error = problem
        .errors
        .iter()
        .find(|error| error.field == "logo")
        .map(|error| error.message.clone())
        .or_else(|| {
            problem
                .detail
                .clone()
                .map(|detail| format!("{} {detail}", problem.title))
        });
    let (status, errors) = FormErrors::refusal(problem);
    let mut page = page(member, stored(state, member).await?, errors, false);
    page.logo_error = logo_error;
    page_with_status(status, &page)
}
