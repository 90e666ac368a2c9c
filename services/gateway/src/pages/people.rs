//! People: the list, a person's page (details, affiliations, timeline) and the form to
//! add someone.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{FormErrors, Layout, local_datetime, page, tenant_zone};
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

#[derive(Deserialize)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

#[derive(Deserialize)]
struct ListQuery {
    after: Option<String>,
    /// "recent": most recently changed first; otherwise alphabetical.
    sort: Option<String>,
    added: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    /// Most recently changed first, rather than alphabetical.
    recent: bool,
    people: Vec<PersonRow>,
    next: Option<String>,
    added: bool,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<ListQuery>,
) -> Result<Response, Error> {
    let recent = query.sort.as_deref() == Some("recent");
    let after = query
        .after
        .map(|a| format!("&after={a}"))
        .unwrap_or_default();
    let listing: Listing<PersonRow> = state
        .core
        .get(
            &member,
            &format!(
                "/v1/people?limit=50{after}{}",
                if recent { "&sort=-updated_at" } else { "" }
            ),
        )
        .await?;
    page(&PeoplePage {
        layout: Layout::of(&member, "people"),
        recent,
        people: listing.items,
        next: listing.next,
        added: query.added.is_some(),
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
            let mut response = page(&PersonFormPage {
                layout: Layout::of(&member, "people"),
                form,
                errors,
            })?;
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

#[derive(Debug, Deserialize)]
struct EmailEntry {
    address: String,
    label: String,
    primary: bool,
}

#[derive(Debug, Deserialize)]
struct PhoneEntry {
    number: String,
    label: String,
    primary: bool,
}

#[derive(Debug, Deserialize)]
struct Address {
    street: String,
    postal_code: String,
    city: String,
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

#[derive(Debug, Deserialize)]
struct AffiliationRow {
    organisation_name: String,
    role: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    current: bool,
}

impl AffiliationRow {
    fn period(&self) -> String {
        let date = |d: &NaiveDate| d.format("%d/%m/%Y").to_string();
        match (&self.starts_on, &self.ends_on) {
            (Some(start), Some(end)) => format!("du {} au {}", date(start), date(end)),
            (Some(start), None) => format!("depuis le {}", date(start)),
            (None, Some(end)) => format!("jusqu'au {}", date(end)),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ActivityRow {
    kind: String,
    occurred_at: DateTime<Utc>,
    subject: String,
    body: String,
}

/// An activity as the timeline shows it.
struct TimelineEntry {
    kind: &'static str,
    when: String,
    subject: String,
    body: String,
}

fn activity_label(kind: &str) -> &'static str {
    match kind {
        "meeting" => "Réunion",
        "call" => "Appel",
        "email" => "E-mail",
        "event" => "Événement",
        "task" => "Tâche",
        _ => "Note",
    }
}

#[derive(Debug, Deserialize)]
struct Tags {
    tags: Vec<String>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    person: PersonDetail,
    tags: Vec<String>,
    affiliations: Vec<AffiliationRow>,
    timeline: Vec<TimelineEntry>,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let person: PersonDetail = state.core.get(&member, &format!("/v1/people/{id}")).await?;
    let tags: Tags = state
        .core
        .get(&member, &format!("/v1/people/{id}/tags"))
        .await?;
    let affiliations: Listing<AffiliationRow> = state
        .core
        .get(&member, &format!("/v1/people/{id}/affiliations"))
        .await?;
    let activities: Listing<ActivityRow> = state
        .core
        .get(&member, &format!("/v1/people/{id}/timeline?limit=20"))
        .await?;
    let zone = tenant_zone(&member);
    let timeline = activities
        .items
        .into_iter()
        .map(|a| TimelineEntry {
            kind: activity_label(&a.kind),
            when: local_datetime(a.occurred_at, zone),
            subject: a.subject,
            body: a.body,
        })
        .collect();
    page(&PersonPage {
        layout: Layout::of(&member, "people"),
        person,
        tags: tags.tags,
        affiliations: affiliations.items,
        timeline,
    })
}
