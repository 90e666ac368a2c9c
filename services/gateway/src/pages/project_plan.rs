//! A project's plan from its page: its milestones (phase, title, due and done dates) and
//! its budget lines (planned and actual, in euros), changed as a whole. A line left
//! without title or label is removed; blank lines are offered to add more.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use chrono::NaiveDate;
use maillage_problem::Path;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::{Edited, FormTarget, RecordForm, blank_is_none, save, stored_form};
use super::{FormErrors, Layout, cents_typed, page, page_with_status, typed_cents};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/t/{slug}/projects/{id}/plan", get(edit_form).post(update))
}

/// Blank lines offered beyond those already there.
const BLANK_LINES: usize = 2;

#[derive(Debug, Deserialize)]
struct StoredMilestone {
    id: Uuid,
    phase: String,
    title: String,
    due_on: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
struct StoredLine {
    label: String,
    planned_cents: i64,
    actual_cents: i64,
}

#[derive(Debug, Deserialize)]
struct StoredBudget {
    lines: Vec<StoredLine>,
}

/// A project as core-records answers it, as far as its plan goes.
#[derive(Debug, Deserialize)]
struct ProjectPlan {
    name: String,
    milestones: Vec<StoredMilestone>,
    budget: StoredBudget,
    version: i64,
}

/// The form as typed: one list per column, a line per index.
#[derive(Debug, Default, Deserialize)]
struct PlanForm {
    #[serde(default)]
    milestone_id: Vec<String>,
    #[serde(default)]
    milestone_phase: Vec<String>,
    #[serde(default)]
    milestone_title: Vec<String>,
    #[serde(default)]
    milestone_due_on: Vec<String>,
    #[serde(default)]
    milestone_done_on: Vec<String>,
    #[serde(default)]
    budget_label: Vec<String>,
    #[serde(default)]
    budget_planned: Vec<String>,
    #[serde(default)]
    budget_actual: Vec<String>,
    version: Option<String>,
    /// Filled from the stored project: its name, for the heading.
    #[serde(skip)]
    name: String,
}

/// One line of a column, blank when the form sent fewer.
fn cell(column: &[String], index: usize) -> &str {
    column.get(index).map_or("", |v| v.trim())
}

/// A milestone line of the form.
struct MilestoneLine<'a> {
    number: usize,
    id: &'a str,
    phase: &'a str,
    title: &'a str,
    due_on: &'a str,
    done_on: &'a str,
}

/// A budget line of the form.
struct BudgetLine<'a> {
    number: usize,
    label: &'a str,
    planned: &'a str,
    actual: &'a str,
}

impl PlanForm {
    /// The milestone lines filled in, and `blank` empty ones.
    fn milestone_lines(&self, blank: usize) -> Vec<MilestoneLine<'_>> {
        let filled = self
            .milestone_title
            .iter()
            .enumerate()
            .filter(|(_, title)| !title.trim().is_empty())
            .map(|(i, _)| i);
        let count = self.milestone_title.len();
        filled
            .chain(count..count + blank)
            .enumerate()
            .map(|(n, i)| MilestoneLine {
                number: n + 1,
                id: cell(&self.milestone_id, i),
                phase: cell(&self.milestone_phase, i),
                title: cell(&self.milestone_title, i),
                due_on: cell(&self.milestone_due_on, i),
                done_on: cell(&self.milestone_done_on, i),
            })
            .collect()
    }

    /// The budget lines filled in, and `blank` empty ones.
    fn budget_lines(&self, blank: usize) -> Vec<BudgetLine<'_>> {
        let filled = self
            .budget_label
            .iter()
            .enumerate()
            .filter(|(_, label)| !label.trim().is_empty())
            .map(|(i, _)| i);
        let count = self.budget_label.len();
        filled
            .chain(count..count + blank)
            .enumerate()
            .map(|(n, i)| BudgetLine {
                number: n + 1,
                label: cell(&self.budget_label, i),
                planned: cell(&self.budget_planned, i),
                actual: cell(&self.budget_actual, i),
            })
            .collect()
    }
}

impl RecordForm for PlanForm {
    type Stored = ProjectPlan;

    fn of(stored: ProjectPlan, _member: &Member) -> (Self, i64) {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let m = &stored.milestones;
        let b = &stored.budget.lines;
        let form = Self {
            milestone_id: m.iter().map(|m| m.id.to_string()).collect(),
            milestone_phase: m.iter().map(|m| m.phase.clone()).collect(),
            milestone_title: m.iter().map(|m| m.title.clone()).collect(),
            milestone_due_on: m.iter().map(|m| date(m.due_on)).collect(),
            milestone_done_on: m.iter().map(|m| date(m.done_on)).collect(),
            budget_label: b.iter().map(|l| l.label.clone()).collect(),
            budget_planned: b.iter().map(|l| cents_typed(l.planned_cents)).collect(),
            budget_actual: b.iter().map(|l| cents_typed(l.actual_cents)).collect(),
            version: None,
            name: stored.name,
        };
        (form, stored.version)
    }

    /// Milestones keep their identity (and their reminders) by their id; an amount that
    /// is not one is refused on its line.
    fn body(&self, member: &Member) -> (serde_json::Value, FormErrors) {
        let mut refused = FormErrors::default();
        let not_an_amount = member.lang().t("plan-amount-refused");
        let milestones: Vec<serde_json::Value> = self
            .milestone_lines(0)
            .iter()
            .map(|m| {
                json!({
                    "id": blank_is_none(m.id),
                    "phase": m.phase,
                    "title": m.title,
                    "due_on": blank_is_none(m.due_on),
                    "done_on": blank_is_none(m.done_on),
                })
            })
            .collect();
        let mut budget_lines = Vec::new();
        for line in self.budget_lines(0) {
            let amount = |typed: &str, field: &str| {
                typed_cents(typed)
                    .map(Option::unwrap_or_default)
                    .map_err(|()| {
                        FormErrors::field(&format!("{field}_{}", line.number), &not_an_amount)
                    })
            };
            budget_lines.push(json!({
                "label": line.label,
                "planned_cents": refused.keep(amount(line.planned, "budget_planned")),
                "actual_cents": refused.keep(amount(line.actual, "budget_actual")),
            }));
        }
        let body = json!({ "milestones": milestones, "budget_lines": budget_lines });
        (body, refused)
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        let milestones: Vec<String> = self
            .milestone_lines(0)
            .iter()
            .map(|m| {
                format!("{} {} {}", m.title, m.due_on, m.done_on)
                    .trim()
                    .to_owned()
            })
            .collect();
        let budget: Vec<String> = self
            .budget_lines(0)
            .iter()
            .map(|l| {
                let amount = |typed: &str| {
                    typed_cents(typed)
                        .ok()
                        .flatten()
                        .map(cents_typed)
                        .unwrap_or_default()
                };
                format!("{} {} / {}", l.label, amount(l.planned), amount(l.actual))
            })
            .collect();
        vec![
            ("milestones", milestones.join(" ; ")),
            ("budget", budget.join(" ; ")),
        ]
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

#[derive(Template)]
#[template(path = "project_plan.html")]
struct PlanPage<'a> {
    layout: Layout,
    target: FormTarget,
    milestones: Vec<MilestoneLine<'a>>,
    budget: Vec<BudgetLine<'a>>,
    errors: FormErrors,
}

/// Changing the plan of the project `id`, from `version`.
fn planning(member: &Member, id: Uuid, version: i64, name: &str) -> FormTarget {
    FormTarget {
        heading: format!("{} · {name}", member.lang().t("plan-heading")),
        back: format!("/t/{}/projects/{id}", member.tenant.slug),
        version: Some(version),
        record: Some(id),
        similar: Vec::new(),
        base: None,
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let (form, version) = stored_form::<PlanForm>(&state, &member, "projects", id).await?;
    page(&PlanPage {
        layout: Layout::of(&member, "projects"),
        target: planning(&member, id, version, &form.name),
        milestones: form.milestone_lines(BLANK_LINES),
        budget: form.budget_lines(BLANK_LINES),
        errors: FormErrors::default(),
    })
}

/// API field names and the form's: each list's errors are shown above it.
const RENAMES: [(&str, &str); 5] = [
    ("milestones.title", "milestones"),
    ("milestones.phase", "milestones"),
    ("milestones.id", "milestones"),
    ("budget_lines", "budget"),
    ("budget_lines.label", "budget"),
];

async fn update(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<PlanForm>,
) -> Result<Response, Error> {
    match save(&state, &member, ("projects", id), (&form, None), &RENAMES).await? {
        Edited::Saved => Ok(Redirect::to(&format!(
            "/t/{}/projects/{id}#jalons",
            member.tenant.slug
        ))
        .into_response()),
        Edited::Refused {
            status,
            errors,
            version,
            ..
        } => {
            let (stored, _) = stored_form::<PlanForm>(&state, &member, "projects", id).await?;
            page_with_status(
                status,
                &PlanPage {
                    layout: Layout::of(&member, "projects"),
                    target: planning(&member, id, version, &stored.name),
                    milestones: form.milestone_lines(BLANK_LINES),
                    budget: form.budget_lines(BLANK_LINES),
                    errors,
                },
            )
        }
    }
}
