//! Linking a person to an organisation, with a role and dates: from the person's page
//! (the organisation chosen in a list), or from the organisation's page (the person
//! found by search: there may be thousands).

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maillage_problem::{Path, Query};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::blank_is_none;
use super::organisations::{organisation_choices, tenant_organisations};
use super::record_parts::record_name;
use super::search::{Hit, hits_of_kind};
use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/t/{slug}/people/{id}/affiliations/new",
            get(from_person).post(link_from_person),
        )
        .route(
            "/t/{slug}/organisations/{id}/affiliations/new",
            get(from_organisation).post(link_from_organisation),
        )
}

/// The form as typed: the side chosen (the other is the page's record), the role, the
/// dates, and on an organisation's page the search that found the person.
#[derive(Debug, Default, Deserialize)]
struct AffiliationForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    q: String,
}

/// Links `person` and `organisation` as the form says; the errors to show when refused.
async fn link(
    state: &AppState,
    member: &Member,
    (person, organisation): (Uuid, Uuid),
    form: &AffiliationForm,
) -> Result<Option<FormErrors>, Error> {
    let body = json!({
        "person_id": person,
        "organisation_id": organisation,
        "role": form.role.trim(),
        "starts_on": blank_is_none(&form.starts_on),
        "ends_on": blank_is_none(&form.ends_on),
    });
    match state
        .core
        .send::<serde_json::Value>(member, Method::POST, "/v1/affiliations", &body, None)
        .await?
    {
        Ok(_) => Ok(None),
        Err(problem) if problem.status == 422 => Ok(Some(FormErrors::from_problem(problem, &[]))),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

#[derive(Template)]
#[template(path = "affiliation_form.html")]
struct FromPersonPage {
    layout: Layout,
    person_name: String,
    person_path: String,
    organisations: Vec<Choice>,
    form: AffiliationForm,
    errors: FormErrors,
}

impl FromPersonPage {
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

async fn from_person(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let form = AffiliationForm::default();
    let page = FromPersonPage::new(&state, &member, id, form, FormErrors::default()).await?;
    page_with_status(StatusCode::OK, &page)
}

async fn link_from_person(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<AffiliationForm>,
) -> Result<Response, Error> {
    let errors = match form.organisation_id.trim().parse::<Uuid>() {
        Err(_) => FormErrors::field("organisation_id", "refused-organisation"),
        Ok(organisation) => match link(&state, &member, (id, organisation), &form).await? {
            None => {
                let back = format!("/t/{}/people/{id}#affiliations", member.tenant.slug);
                return Ok(Redirect::to(&back).into_response());
            }
            Some(errors) => errors,
        },
    };
    let page = FromPersonPage::new(&state, &member, id, form, errors).await?;
    page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "affiliation_person_form.html")]
struct FromOrganisationPage {
    layout: Layout,
    organisation_name: String,
    organisation_path: String,
    /// The people the search found; none before a search.
    people: Option<Vec<Hit>>,
    form: AffiliationForm,
    errors: FormErrors,
}

impl FromOrganisationPage {
    /// The page, with the people `form.q` finds.
    async fn new(
        state: &AppState,
        member: &Member,
        organisation_id: Uuid,
        form: AffiliationForm,
        mut errors: FormErrors,
    ) -> Result<Self, Error> {
        let q = form.q.trim();
        let people = if q.is_empty() {
            None
        } else {
            match hits_of_kind(state, member, q, "person").await? {
                Ok(hits) => Some(hits),
                Err(refused) => {
                    errors = refused;
                    None
                }
            }
        };
        Ok(Self {
            layout: Layout::of(member, "organisations"),
            organisation_name: record_name(state, member, "organisations", organisation_id).await?,
            organisation_path: format!("/t/{}/organisations/{organisation_id}", member.tenant.slug),
            people,
            form,
            errors,
        })
    }
}

async fn from_organisation(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Query(form): Query<AffiliationForm>,
) -> Result<Response, Error> {
    let page = FromOrganisationPage::new(&state, &member, id, form, FormErrors::default()).await?;
    let status = if page.errors.summary.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page_with_status(status, &page)
}

async fn link_from_organisation(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<AffiliationForm>,
) -> Result<Response, Error> {
    let errors = match form.person_id.trim().parse::<Uuid>() {
        Err(_) => FormErrors::field("person_id", "refused-person"),
        Ok(person) => match link(&state, &member, (person, id), &form).await? {
            None => {
                let back = format!("/t/{}/organisations/{id}#affiliations", member.tenant.slug);
                return Ok(Redirect::to(&back).into_response());
            }
            Some(errors) => errors,
        },
    };
    let page = FromOrganisationPage::new(&state, &member, id, form, errors).await?;
    page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
