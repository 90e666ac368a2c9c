//! Projects: the list, a project's page (milestones, budget, partners, timeline) and the
//! form to add one.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::record_parts::{
    EngagementTotal, ListPage, ListPageQuery, Surroundings, engagement_totals, period,
};
use super::{Choice, FormErrors, Layout, money, page, page_with_status, short_date};
use crate::Error;
use crate::membership::Member;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/projects", get(list))
        .route("/t/{slug}/projects/new", get(new_form).post(create))
        .route("/t/{slug}/projects/{id}", get(show))
}

/// A project's statuses, with their French names, in the order forms offer them.
const STATUSES: [(&str, &str); 5] = [
    ("planned", "Prévu"),
    ("running", "En cours"),
    ("suspended", "Suspendu"),
    ("completed", "Terminé"),
    ("cancelled", "Abandonné"),
];

fn status_label(status: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(s, _)| *s == status)
        .map_or("Abandonné", |(_, label)| *label)
}

#[derive(Debug, Deserialize)]
struct Milestone {
    phase: String,
    title: String,
    due_on: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
}

impl Milestone {
    fn when(&self) -> String {
        match (self.done_on, self.due_on) {
            (Some(done), _) => format!("fait le {}", short_date(done)),
            (None, Some(due)) => format!("prévu le {}", short_date(due)),
            (None, None) => "sans date".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct BudgetLine {
    label: String,
    planned_cents: i64,
    actual_cents: i64,
}

#[derive(Debug, Deserialize)]
struct Budget {
    planned_cents: i64,
    actual_cents: i64,
    lines: Vec<BudgetLine>,
}

#[derive(Debug, Deserialize)]
struct ProjectPartner {
    organisation_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
    name: String,
    role: String,
}

#[derive(Debug, Deserialize)]
struct Project {
    id: Uuid,
    name: String,
    description: String,
    status: String,
    target_population: String,
    territory: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    milestones: Vec<Milestone>,
    budget: Budget,
    partners: Vec<ProjectPartner>,
}

impl Project {
    fn status_label(&self) -> &'static str {
        status_label(&self.status)
    }

    fn period(&self) -> String {
        period(self.starts_on, self.ends_on)
    }
}

impl BudgetLine {
    fn planned(&self) -> String {
        money(self.planned_cents, "EUR")
    }

    fn actual(&self) -> String {
        money(self.actual_cents, "EUR")
    }
}

impl Budget {
    fn planned(&self) -> String {
        money(self.planned_cents, "EUR")
    }

    fn actual(&self) -> String {
        money(self.actual_cents, "EUR")
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    layout: Layout,
    list: ListPage<Project>,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<ListPageQuery>,
) -> Result<Response, Error> {
    page(&ProjectsPage {
        list: query.fetch(&state, &member, "projects").await?,
        layout: Layout::of(&member, "projects"),
    })
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    layout: Layout,
    project: Project,
    engagements: Vec<EngagementTotal>,
    around: Surroundings,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let record = format!("/v1/projects/{id}");
    let owner = format!("project_id={id}");
    // Independent reads of core-records, made at the same time.
    let (project, engagements, around): (Project, _, _) = tokio::try_join!(
        state.core.get(&member, &record),
        engagement_totals(&state, &member, &owner),
        Surroundings::of(&state, &member, &record),
    )?;
    page(&ProjectPage {
        layout: Layout::of(&member, "projects"),
        project,
        engagements,
        around,
    })
}

/// The form to add a project, as typed.
#[derive(Debug, Default, Deserialize)]
struct ProjectForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    territory: String,
    #[serde(default)]
    target_population: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    description: String,
}

/// What the API is sent: a date left blank is no date.
#[derive(Serialize)]
struct NewProject<'a> {
    name: &'a str,
    status: &'a str,
    territory: &'a str,
    target_population: &'a str,
    starts_on: Option<&'a str>,
    ends_on: Option<&'a str>,
    description: &'a str,
}

impl ProjectForm {
    fn body(&self) -> NewProject<'_> {
        NewProject {
            name: &self.name,
            status: &self.status,
            territory: &self.territory,
            target_population: &self.target_population,
            starts_on: blank_is_none(&self.starts_on),
            ends_on: blank_is_none(&self.ends_on),
            description: &self.description,
        }
    }
}

fn blank_is_none(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

#[derive(Template)]
#[template(path = "project_form.html")]
struct ProjectFormPage {
    layout: Layout,
    form: ProjectForm,
    statuses: Vec<Choice>,
    errors: FormErrors,
}

async fn new_form(member: Member) -> Result<Response, Error> {
    page(&ProjectFormPage {
        layout: Layout::of(&member, "projects"),
        statuses: Choice::list(STATUSES, "planned"),
        form: ProjectForm::default(),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct Created {
    id: Uuid,
}

async fn create(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<ProjectForm>,
) -> Result<Response, Error> {
    let outcome = state
        .core
        .send::<Created>(&member, Method::POST, "/v1/projects", &form.body(), None)
        .await?;
    match outcome {
        Ok(project) => Ok(Redirect::to(&format!(
            "/t/{}/projects/{}",
            member.tenant.slug, project.id
        ))
        .into_response()),
        Err(problem) => {
            let statuses = Choice::list(STATUSES, &form.status);
            page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ProjectFormPage {
                    layout: Layout::of(&member, "projects"),
                    errors: FormErrors::from_problem(problem, &[]),
                    form,
                    statuses,
                },
            )
        }
    }
}
