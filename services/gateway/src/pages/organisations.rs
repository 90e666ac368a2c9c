//! Organisations: the list, an organisation's page (details, people, timeline) and the
//! form to add one.

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
use super::{Choice, FormErrors, Layout, page, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/organisations", get(list))
        .route("/t/{slug}/organisations/new", get(new_form).post(create))
        .route("/t/{slug}/organisations/{id}", get(show))
}

/// The kinds of organisation, with their French names, in the order forms offer them.
pub const KINDS: [(&str, &str); 6] = [
    ("funder", "Financeur"),
    ("public_body", "Organisme public"),
    ("association", "Association"),
    ("company", "Entreprise"),
    ("network", "Réseau"),
    ("other", "Autre"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, label)| *label)
        .unwrap_or("Autre")
}

#[derive(Debug, Deserialize)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub email: Option<String>,
    pub website: Option<String>,
}

impl OrganisationRow {
    pub fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    layout: Layout,
    list: ListPage<OrganisationRow>,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<ListPageQuery>,
) -> Result<Response, Error> {
    page(&OrganisationsPage {
        list: query.fetch(&state, &member, "organisations").await?,
        layout: Layout::of(&member, "organisations"),
    })
}

#[derive(Debug, Deserialize, Serialize)]
pub struct OrganisationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    territory: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
}

impl Default for OrganisationForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: "funder".into(),
            sector: String::new(),
            territory: String::new(),
            email: String::new(),
            website: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
struct OrganisationFormPage {
    layout: Layout,
    form: OrganisationForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

async fn new_form(member: Member) -> Result<Response, Error> {
    page(&OrganisationFormPage {
        layout: Layout::of(&member, "organisations"),
        kinds: Choice::list(KINDS, "funder"),
        form: OrganisationForm::default(),
        errors: FormErrors::default(),
    })
}

async fn create(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, Error> {
    let outcome = state
        .core
        .send::<OrganisationRow>(&member, Method::POST, "/v1/organisations", &form, None)
        .await?;
    match outcome {
        Ok(_) => Ok(
            Redirect::to(&format!("/t/{}/organisations?added=1", member.tenant.slug))
                .into_response(),
        ),
        Err(problem) => {
            let errors = FormErrors::from_problem(problem, &[]);
            let kinds = Choice::list(KINDS, &form.kind);
            page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &OrganisationFormPage {
                    layout: Layout::of(&member, "organisations"),
                    form,
                    kinds,
                    errors,
                },
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct OrganisationDetail {
    name: String,
    kind: String,
    sector: String,
    territory: String,
    website: Option<String>,
    emails: Vec<EmailEntry>,
    phones: Vec<PhoneEntry>,
    address: Option<Address>,
    notes: String,
}

impl OrganisationDetail {
    fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    layout: Layout,
    organisation: OrganisationDetail,
    affiliations: Vec<AffiliationRow>,
    engagements: Vec<EngagementTotal>,
    around: Surroundings,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let record = format!("/v1/organisations/{id}");
    let owner = format!("organisation_id={id}");
    // Independent reads of core-records, made at the same time.
    let (organisation, affiliations, engagements, around): (OrganisationDetail, _, _, _) = tokio::try_join!(
        state.core.get(&member, &record),
        affiliations(&state, &member, &record),
        engagement_totals(&state, &member, &owner),
        Surroundings::of(&state, &member, &record),
    )?;
    page(&OrganisationPage {
        layout: Layout::of(&member, "organisations"),
        organisation,
        affiliations,
        engagements,
        around,
    })
}
