//! The workspace's settings (`/t/{slug}/settings`): its name, language and time zone
//! (changed by admins, by the rules of `crate::workspace_settings`), and the way to
//! every other setting: members, sign-in, reminders, the workspace's own fields.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use maillage_domain::Role;
use maillage_problem::Query;
use serde::Deserialize;

use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;
use crate::workspace_settings::{self, WorkspaceSettingsInput};

pub fn router() -> Router<AppState> {
    Router::new().route("/t/{slug}/settings", get(show).post(save))
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
    }
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<Saved>,
) -> Result<Response, Error> {
    let current = workspace_settings::view(&state, member.tenant.id).await?;
    let form = SettingsForm {
        name: current.name,
        locale: current.locale,
        time_zone: current.time_zone,
    };
    page_with_status(
        StatusCode::OK,
        &page(&member, form, FormErrors::default(), query.saved.is_some()),
    )
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
