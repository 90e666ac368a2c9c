//! Linking a person to an organisation from the person's page: which organisation, the
//! role, the dates.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::blank_is_none;
use super::organisations::{organisation_choices, tenant_organisations};
use super::record_parts::record_name;
use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/t/{slug}/people/{id}/affiliations/new",
        get(new_form).post(create),
    )
}

/// The form as typed.
#[derive(Debug, Default, Deserialize)]
struct AffiliationForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

#[derive(Template)]
#[template(path = "affiliation_form.html")]
struct AffiliationFormPage {
    layout: Layout,
    person_name: String,
    person_path: String,
    organisations: Vec<Choice>,
    form: AffiliationForm,
    errors: FormErrors,
}

impl AffiliationFormPage {
    async fn new(
        state: &AppState,
        member: &Member,
        person_id: Uuid,
        form: AffiliationForm,
        errors: FormErrors,
    ) -> Result<Self, Error> {
        let (person_name, organisations) = tokio::try_join!(
            record_name(state, member, "people", person_id),
            tenant_organisations(state, member),
        )?;
        Ok(Self {
            layout: Layout::of(member, "people"),
            person_name,
            person_path: format!("/t/{}/people/{person_id}", member.tenant.slug),
            organisations: organisation_choices(&organisations, &form.organisation_id),
            form,
            errors,
        })
    }
}

async fn new_form(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let form = AffiliationForm::default();
    let page = AffiliationFormPage::new(&state, &member, id, form, FormErrors::default()).await?;
    page_with_status(StatusCode::OK, &page)
}

async fn create(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<AffiliationForm>,
) -> Result<Response, Error> {
    let errors = match form.organisation_id.trim().parse::<Uuid>() {
        Err(_) => FormErrors::field("organisation_id", "choisissez une organisation"),
        Ok(organisation_id) => {
            let body = json!({
                "person_id": id,
                "organisation_id": organisation_id,
                "role": form.role.trim(),
                "starts_on": blank_is_none(&form.starts_on),
                "ends_on": blank_is_none(&form.ends_on),
            });
            match state
                .core
                .send::<serde_json::Value>(&member, Method::POST, "/v1/affiliations", &body, None)
                .await?
            {
                Ok(_) => {
                    let back = format!("/t/{}/people/{id}#affiliations", member.tenant.slug);
                    return Ok(Redirect::to(&back).into_response());
                }
                Err(problem) if problem.status == 422 => FormErrors::from_problem(problem, &[]),
                Err(problem) => return Err(Error::Refused(problem)),
            }
        }
    };
    let page = AffiliationFormPage::new(&state, &member, id, form, errors).await?;
    page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
