//! Making one's own workspace (`/workspaces/new`), where the operator allows it:
//! `crate::platform::create_own` says who may and makes it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use axum_extra::extract::Form;
use maillage_domain::TenantKind;
use maillage_i18n::Lang;
use serde::Deserialize;

use super::{Choice, ConsoleWords, FormErrors, page_with_status};

use crate::Error;
use crate::lang::ReaderLang;
use crate::platform::{OwnWorkspaceInput, create_own};
use crate::rate_limit::ClientAddress;
use crate::session::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/workspaces/new", get(show).post(create))
}

#[derive(Template)]
#[template(path = "own_workspace.html")]
struct OwnWorkspacePage {
    form: OwnWorkspaceForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
    /// What `_errors.html` says its words with.
    layout: ConsoleWords,
}

#[derive(Debug, Default, Deserialize)]
struct OwnWorkspaceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    time_zone: String,
}

fn page(
    lang: Lang,
    form: OwnWorkspaceForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, Error> {
    let kinds = Choice::named(
        lang,
        None,
        TenantKind::MESSAGE_PREFIX,
        TenantKind::VALUES.iter().copied(),
        &form.kind,
    );
    page_with_status(
        status,
        &OwnWorkspacePage {
            layout: ConsoleWords { lang },
            form,
            kinds,
            errors,
        },
    )
}

async fn show(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    user: CurrentUser,
) -> Result<Response, Error> {
    if !crate::platform::may_create_own(&state, &user).await? {
        return Ok(Redirect::to("/").into_response());
    }
    let form = OwnWorkspaceForm {
        kind: "association".into(),
        time_zone: "Europe/Paris".into(),
        ..OwnWorkspaceForm::default()
    };
    page(lang, form, FormErrors::default(), StatusCode::OK)
}

async fn create(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    user: CurrentUser,
    client: Option<Extension<ClientAddress>>,
    Form(form): Form<OwnWorkspaceForm>,
) -> Result<Response, Error> {
    let input = OwnWorkspaceInput {
        slug: form.slug.trim().to_owned(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        locale: None,
        time_zone: Some(form.time_zone.clone()).filter(|z| !z.trim().is_empty()),
    };
    let client = client.map(|Extension(ClientAddress(address))| address);
    match create_own(&state, &user, client.as_deref(), &input).await? {
        Ok(made) => Ok(Redirect::to(&format!("/t/{}/", made.slug)).into_response()),
        Err(problem) => {
            let (status, errors) = FormErrors::refusal(problem);
            page(lang, form, errors, status)
        }
    }
}
