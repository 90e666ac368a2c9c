//! Projects: the list, a project's page (milestones, budget, partners, timeline) and the
//! form to add one or change it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::kinds::ProjectStatus;
use maillage_i18n::Lang;
use maillage_problem::{FormQuery, Path, Query};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::{FormPages, FormTarget, RecordForm, blank_is_none, form_routes};
use super::lists::{FilterQuery, ListPage, ListPageQuery, PROJECTS};
use super::record_parts::{Engagements, Listing, Surroundings, engagements};
use super::{Choice, FormErrors, Layout, label_in, page};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/projects", get(list))
        .route("/t/{slug}/projects/{id}", get(show))
        .merge(form_routes::<ProjectForm>())
}

fn status_label(status: &str) -> &'static str {
    label_in(ProjectStatus::CHOICES, status, "Abandonné")
}

#[derive(Debug, Deserialize)]
struct Milestone {
    phase: String,
    title: String,
    due_on: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
}

impl Milestone {
    /// "done on …", "due on …" or "no date", in `lang`.
    fn when(&self, lang: impl std::borrow::Borrow<Lang>) -> String {
        let lang = *lang.borrow();
        let on = |id: &str, day: NaiveDate| lang.t_with(id, &[("date", lang.date(day).into())]);
        match (self.done_on, self.due_on) {
            (Some(done), _) => on("project-milestone-done", done),
            (None, Some(due)) => on("project-milestone-due", due),
            (None, None) => lang.t("project-milestone-no-date"),
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
pub struct Project {
    id: Uuid,
    name: String,
    description: String,
    status: String,
    target_population: String,
    territory: String,
    owner_user_id: Option<Uuid>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    milestones: Vec<Milestone>,
    budget: Budget,
    partners: Vec<ProjectPartner>,
    version: i64,
    updated_at: DateTime<Utc>,
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    layout: Layout,
    list: ListPage<Project>,
}

impl ProjectsPage {
    /// The name of the member who owns `project`, if any.
    fn owner_name(&self, project: &Project) -> String {
        project
            .owner_user_id
            .and_then(|owner| {
                self.list
                    .bar
                    .members
                    .iter()
                    .find(|member| member.value == owner.to_string())
            })
            .map(|member| member.label.clone())
            .unwrap_or_default()
    }
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    FormQuery(query): FormQuery<ListPageQuery>,
    Query(filter): Query<FilterQuery>,
) -> Result<Response, Error> {
    page(&ProjectsPage {
        list: query.fetch(&state, &member, &PROJECTS, filter).await?,
        layout: Layout::of(&member, "projects"),
    })
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    layout: Layout,
    project: Project,
    engagements: Engagements,
    around: Surroundings,
    /// Organisations' names, offered as a partner's name is typed.
    organisation_names: Vec<String>,
    /// The partnerships that may join as a whole.
    partnerships: Vec<Choice>,
    errors: FormErrors,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Titled {
    id: Uuid,
    title: String,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let record = format!("/v1/projects/{id}");
    let owner = format!("project_id={id}");
    // Independent reads of core-records, made at the same time.
    let (project, engagements, around, organisations, partnerships): (
        Project,
        _,
        _,
        Listing<Named>,
        Listing<Titled>,
    ) = tokio::try_join!(
        state.core.get(&member, &record),
        engagements(&state, &member, &owner),
        Surroundings::of(&state, &member, &record),
        state.core.get(&member, "/v1/organisations?limit=200"),
        state.core.get(&member, "/v1/partnerships?limit=200"),
    )?;
    let ids: Vec<String> = partnerships
        .items
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    page(&ProjectPage {
        layout: Layout::of(&member, "projects"),
        project,
        engagements,
        around,
        organisation_names: organisations.items.into_iter().map(|o| o.name).collect(),
        partnerships: Choice::list(
            std::iter::once(("", "—")).chain(
                ids.iter()
                    .zip(&partnerships.items)
                    .map(|(id, p)| (id.as_str(), p.title.as_str())),
            ),
            "",
        ),
        errors: FormErrors::default(),
    })
}

/// The form to add or change a project, as typed.
#[derive(Debug, Deserialize)]
pub struct ProjectForm {
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
    /// The version an edit was made from.
    version: Option<String>,
}

impl Default for ProjectForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            status: "planned".into(),
            territory: String::new(),
            target_population: String::new(),
            starts_on: String::new(),
            ends_on: String::new(),
            description: String::new(),
            version: None,
        }
    }
}

impl RecordForm for ProjectForm {
    type Stored = Project;

    fn labels() -> Vec<(&'static str, &'static str)> {
        vec![
            ("name", "project-form-name"),
            ("status", "project-form-status"),
            ("territory", "project-form-territory"),
            ("target_population", "project-form-target-population"),
            ("starts_on", "form-starts-on"),
            ("ends_on", "form-ends-on"),
            ("description", "project-form-description"),
        ]
    }

    fn of(stored: Project, _member: &Member) -> (Self, i64) {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let form = Self {
            starts_on: date(stored.starts_on),
            ends_on: date(stored.ends_on),
            name: stored.name,
            status: stored.status,
            territory: stored.territory,
            target_population: stored.target_population,
            description: stored.description,
            version: None,
        };
        (form, stored.version)
    }

    /// A date left blank is no date.
    fn body(&self, _member: &Member) -> (serde_json::Value, FormErrors) {
        let body = json!({
            "name": self.name.trim(),
            "status": self.status,
            "territory": self.territory.trim(),
            "target_population": self.target_population.trim(),
            "starts_on": blank_is_none(&self.starts_on),
            "ends_on": blank_is_none(&self.ends_on),
            "description": self.description,
        });
        (body, FormErrors::default())
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("status", status_label(&self.status).to_owned()),
            ("territory", self.territory.clone()),
            ("target_population", self.target_population.clone()),
            ("starts_on", self.starts_on.clone()),
            ("ends_on", self.ends_on.clone()),
            ("description", self.description.clone()),
        ]
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

#[derive(Template)]
#[template(path = "project_form.html")]
pub struct ProjectFormPage {
    layout: Layout,
    target: FormTarget,
    statuses: Vec<Choice>,
    form: ProjectForm,
    errors: FormErrors,
}

impl FormPages for ProjectForm {
    const COLLECTION: &'static str = "projects";
    const ADDING: &'static str = "project-form-adding";

    type Page = ProjectFormPage;

    fn name(&self) -> String {
        self.name.trim().to_owned()
    }

    async fn page(
        _state: &AppState,
        member: &Member,
        target: FormTarget,
        form: Self,
        errors: FormErrors,
    ) -> Result<ProjectFormPage, Error> {
        Ok(ProjectFormPage {
            layout: Layout::of(member, "projects"),
            statuses: Choice::named(
                member.lang(),
                None,
                ProjectStatus::MESSAGE_PREFIX,
                ProjectStatus::VALUES.iter().copied(),
                &form.status,
            ),
            target,
            form,
            errors,
        })
    }
}
