//! People: the list, a person's page (details, affiliations, timeline) and the form to
//! add someone.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::record_parts::{
    Address, AffiliationRow, EmailEntry, EngagementTotal, ListPage, ListPageQuery, PhoneEntry,
    Surroundings, affiliations, engagement_totals,
};
use super::{FormErrors, Layout, page, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/people", get(list))
        .route("/t/{slug}/people/new", get(new_form).post(create))
        .route("/t/{slug}/people/{id}", get(show))
}

#[derive(Debug, Deserialize)]
pub struct PersonRow {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    list: ListPage<PersonRow>,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<ListPageQuery>,
) -> Result<Response, Error> {
    page(&PeoplePage {
        list: query.fetch(&state, &member, "people").await?,
        layout: Layout::of(&member, "people"),
    })
}

/// The form as typed: strings, checked by core-records.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct PersonForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    layout: Layout,
    form: PersonForm,
    errors: FormErrors,
}

async fn new_form(member: Member) -> Result<Response, Error> {
    page(&PersonFormPage {
        layout: Layout::of(&member, "people"),
        form: PersonForm::default(),
        errors: FormErrors::default(),
    })
}

async fn create(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<PersonForm>,
) -> Result<Response, Error> {
    let outcome = state
        .core
        .send::<PersonRow>(&member, Method::POST, "/v1/people", &form, None)
        .await?;
    match outcome {
        Ok(_) => {
            Ok(Redirect::to(&format!("/t/{}/people?added=1", member.tenant.slug)).into_response())
        }
        Err(problem) => {
            let errors = FormErrors::from_problem(problem, &[]);
            page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PersonFormPage {
                    layout: Layout::of(&member, "people"),
                    form,
                    errors,
                },
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct PersonDetail {
    given_name: String,
    family_name: String,
    emails: Vec<EmailEntry>,
    phones: Vec<PhoneEntry>,
    address: Option<Address>,
    email_consent: bool,
    notes: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    person: PersonDetail,
    affiliations: Vec<AffiliationRow>,
    engagements: Vec<EngagementTotal>,
    around: Surroundings,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let record = format!("/v1/people/{id}");
    let owner = format!("person_id={id}");
    // Independent reads of core-records, made at the same time.
    let (person, affiliations, engagements, around): (PersonDetail, _, _, _) = tokio::try_join!(
        state.core.get(&member, &record),
        affiliations(&state, &member, &record),
        engagement_totals(&state, &member, &owner),
        Surroundings::of(&state, &member, &record),
    )?;
    page(&PersonPage {
        layout: Layout::of(&member, "people"),
        person,
        affiliations,
        engagements,
        around,
    })
}
