//! Projects: the list and a project's page (milestones, budget, partners, timeline).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::record_parts::{
    EngagementTotal, ListPage, ListPageQuery, Surroundings, engagement_totals, period,
};
use super::{Layout, money, page, short_date};
use crate::Error;
use crate::membership::Member;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/projects", get(list))
        .route("/t/{slug}/projects/{id}", get(show))
}

/// A project's status, as the pages name it.
fn status_label(status: &str) -> &'static str {
    match status {
        "planned" => "Prévu",
        "running" => "En cours",
        "suspended" => "Suspendu",
        "completed" => "Terminé",
        _ => "Abandonné",
    }
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
    let project: Project = state.core.get(&member, &record).await?;
    let engagements = engagement_totals(&state, &member, &format!("project_id={id}")).await?;
    let around = Surroundings::of(&state, &member, &record).await?;
    page(&ProjectPage {
        layout: Layout::of(&member, "projects"),
        project,
        engagements,
        around,
    })
}
