//! The workspace's sign-in page (`/t/{slug}/settings/sign-in`): through the platform's
//! provider, or the workspace's own; owners change it, by the rules of
//! `crate::workspace_sign_in` (the provider checked before it is saved, the members
//! carried over).

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maillage_domain::Role;
use maillage_problem::{Problem, Query};
use serde::Deserialize;

use super::{FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;
use crate::workspace_sign_in::{self, SignInInput, SignInView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/settings/sign-in", get(show).post(save))
        .route("/t/{slug}/settings/sign-in/remove", post(remove))
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    settings: SignInView,
    form: SignInForm,
    errors: FormErrors,
    owner: bool,
    notice: Option<&'static str>,
}

/// The form as typed: the domains one per line or separated by commas; the secret
/// blank to keep the stored one.
#[derive(Debug, Default, Deserialize)]
struct SignInForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    allowed_domains: String,
    #[serde(default)]
    acr_values: String,
}

impl SignInForm {
    fn of(settings: &SignInView) -> Self {
        Self {
            label: settings.label.clone().unwrap_or_default(),
            issuer: settings.issuer.clone().unwrap_or_default(),
            client_id: settings.client_id.clone().unwrap_or_default(),
            client_secret: String::new(),
            allowed_domains: settings.allowed_domains.join("\n"),
            acr_values: settings.acr_values.clone().unwrap_or_default(),
        }
    }

    fn input(&self) -> SignInInput {
        SignInInput {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: Some(self.client_secret.clone()).filter(|s| !s.is_empty()),
            allowed_domains: self
                .allowed_domains
                .split([',', '\n', ';', ' '])
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect(),
            acr_values: Some(self.acr_values.clone()).filter(|a| !a.trim().is_empty()),
            label: self.label.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Notice {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    member: &Member,
    form: Option<SignInForm>,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<SignInPage, Error> {
    let settings = workspace_sign_in::settings::view(state, member.tenant.id).await?;
    Ok(SignInPage {
        layout: Layout::of(member, "sign-in"),
        form: form.unwrap_or_else(|| SignInForm::of(&settings)),
        settings,
        errors,
        owner: member.role == Role::Owner,
        notice,
    })
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<Notice>,
) -> Result<Response, Error> {
    if member.role < Role::Admin {
        return Err(Error::Refused(
            Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                member.lang().t("sign-in-admins-only"),
            )
            .in_language(member.lang().code()),
        ));
    }
    let notice = match query.done.as_deref() {
        Some("saved") => Some("sign-in-saved"),
        Some("removed") => Some("sign-in-removed"),
        _ => None,
    };
    page_with_status(
        StatusCode::OK,
        &page(&state, &member, None, FormErrors::default(), notice).await?,
    )
}

async fn answer(
    state: &AppState,
    member: &Member,
    outcome: Result<&'static str, Problem>,
    form: Option<SignInForm>,
) -> Result<Response, Error> {
    match outcome {
        Ok(done) => Ok(Redirect::to(&format!(
            "/t/{}/settings/sign-in?done={done}",
            member.tenant.slug
        ))
        .into_response()),
        Err(problem) => {
            let (status, errors) = FormErrors::refusal(problem);
            page_with_status(status, &page(state, member, form, errors, None).await?)
        }
    }
}

async fn save(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<SignInForm>,
) -> Result<Response, Error> {
    let outcome = workspace_sign_in::settings::save(&state, &member, form.input())
        .await?
        .map(|_| "saved");
    // The secret is never sent back to the page.
    let typed = SignInForm {
        client_secret: String::new(),
        ..form
    };
    answer(&state, &member, outcome, Some(typed)).await
}

async fn remove(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    let outcome = workspace_sign_in::settings::remove(&state, &member)
        .await?
        .map(|_| "removed");
    answer(&state, &member, outcome, None).await
}
