//! Reporting deadlines: what is owed, to whom, by when; entering one; marking it done.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::organisations::{organisation_choices, tenant_organisations};
use super::record_parts::Listing;
use super::{
    Choice, FormErrors, Layout, local_datetime, page, page_with_status, tenant_zone, typed_instant,
};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/deadlines", get(list))
        .route("/t/{slug}/deadlines/new", get(new_form).post(create))
        .route("/t/{slug}/deadlines/{id}", get(show))
        .route("/t/{slug}/deadlines/{id}/status", post(change_status))
}

/// A deadline as core-records returns it.
#[derive(Debug, Deserialize)]
struct Deadline {
    id: Uuid,
    title: String,
    funder_name: Option<String>,
    due_at: DateTime<Utc>,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
    submission_reference: Option<String>,
    notes: String,
    occurrence: Option<i64>,
    recurrence: Option<String>,
    version: i64,
}

/// A deadline as pages show it: dates in the tenant's zone, status in words.
pub struct DeadlineRow {
    pub id: Uuid,
    pub title: String,
    pub funder_name: Option<String>,
    pub due: String,
    pub status: String,
    pub status_label: &'static str,
    pub submitted: Option<String>,
    pub submission_reference: Option<String>,
    pub notes: String,
    /// "Occurrence 2 d'une série trimestrielle", for a recurring report.
    pub series: Option<String>,
    pub version: i64,
}

fn recurrence_label(frequency: &str) -> &'static str {
    match frequency {
        "monthly" => "mensuelle",
        "quarterly" => "trimestrielle",
        "yearly" => "annuelle",
        _ => "à dates fixées",
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "upcoming" => "À venir",
        "late" => "En retard",
        "submitted" => "Rendu",
        "waived" => "Dispensé",
        _ => "Inconnu",
    }
}

impl DeadlineRow {
    fn of(deadline: Deadline, member: &Member) -> Self {
        let zone = tenant_zone(member);
        Self {
            id: deadline.id,
            title: deadline.title,
            funder_name: deadline.funder_name,
            due: local_datetime(deadline.due_at, zone),
            status_label: status_label(&deadline.status),
            status: deadline.status,
            submitted: deadline.submitted_at.map(|at| local_datetime(at, zone)),
            submission_reference: deadline.submission_reference,
            notes: deadline.notes,
            series: deadline
                .occurrence
                .zip(deadline.recurrence)
                .map(|(n, f)| format!("Échéance n° {n} d'une série {}", recurrence_label(&f))),
            version: deadline.version,
        }
    }

    /// The first `limit` deadlines with this status (upcoming, late…), soonest first.
    pub async fn list(
        state: &AppState,
        member: &Member,
        status: &str,
        limit: u32,
    ) -> Result<Vec<Self>, Error> {
        let listing: Listing<Deadline> = state
            .core
            .get(
                member,
                &format!("/v1/deadlines?status={status}&limit={limit}"),
            )
            .await?;
        Ok(listing
            .items
            .into_iter()
            .map(|d| Self::of(d, member))
            .collect())
    }
}

#[derive(Deserialize)]
struct ListQuery {
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage {
    layout: Layout,
    deadlines: Vec<DeadlineRow>,
    next: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<ListQuery>,
) -> Result<Response, Error> {
    let after = query
        .after
        .map(|a| format!("&after={a}"))
        .unwrap_or_default();
    let listing: Listing<Deadline> = state
        .core
        .get(&member, &format!("/v1/deadlines?limit=50{after}"))
        .await?;
    let deadlines = listing
        .items
        .into_iter()
        .map(|d| DeadlineRow::of(d, &member))
        .collect();
    page(&DeadlinesPage {
        layout: Layout::of(&member, "deadlines"),
        deadlines,
        next: listing.next,
    })
}

#[derive(Debug, Deserialize)]
pub struct DeadlineForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    funder_id: String,
    /// `YYYY-MM-DD` and `HH:MM`, as date and time inputs send them, in the tenant's zone.
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    due_time: String,
    #[serde(default)]
    notes: String,
    /// Empty (once), monthly, quarterly or yearly.
    #[serde(default)]
    repeat: String,
    /// `YYYY-MM-DD`: the last day a repeated report may fall on.
    #[serde(default)]
    repeat_until: String,
}

impl Default for DeadlineForm {
    fn default() -> Self {
        Self {
            title: String::new(),
            funder_id: String::new(),
            due_date: String::new(),
            due_time: "12:00".into(),
            notes: String::new(),
            repeat: String::new(),
            repeat_until: String::new(),
        }
    }
}

#[derive(Serialize)]
struct NewDeadline<'a> {
    title: &'a str,
    funder_id: Option<Uuid>,
    due_at: DateTime<Utc>,
    notes: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    recurrence: Option<serde_json::Value>,
}

impl DeadlineForm {
    /// The due date-time as an instant, read in the tenant's time zone.
    fn due_at(&self, member: &Member) -> Result<DateTime<Utc>, FormErrors> {
        typed_instant(
            member,
            (&self.due_date, "due_date"),
            (&self.due_time, "due_time"),
        )
    }
}

#[derive(Template)]
#[template(path = "deadline_form.html")]
struct DeadlineFormPage {
    layout: Layout,
    form: DeadlineForm,
    funders: Vec<Choice>,
    repeats: Vec<Choice>,
    errors: FormErrors,
}

/// How often a report can be repeated, `selected` preselected.
fn repeats(selected: &str) -> Vec<Choice> {
    Choice::list(
        [
            ("", "Une seule fois"),
            ("monthly", "Chaque mois"),
            ("quarterly", "Chaque trimestre"),
            ("yearly", "Chaque année"),
        ],
        selected,
    )
}

/// The organisations a report can be owed to, funders first, `selected` preselected.
async fn funders(state: &AppState, member: &Member, selected: &str) -> Result<Vec<Choice>, Error> {
    let mut organisations = tenant_organisations(state, member).await?;
    organisations.sort_by_key(|o| o.kind != "funder");
    Ok(organisation_choices(&organisations, selected))
}

async fn new_form(
    State(state): State<AppState>,
    Editor(member): Editor,
) -> Result<Response, Error> {
    page(&DeadlineFormPage {
        layout: Layout::of(&member, "deadlines"),
        funders: funders(&state, &member, "").await?,
        repeats: repeats(""),
        form: DeadlineForm::default(),
        errors: FormErrors::default(),
    })
}

async fn create(
    State(state): State<AppState>,
    Editor(member): Editor,
    Form(form): Form<DeadlineForm>,
) -> Result<Response, Error> {
    let refused =
        |form: DeadlineForm, errors: FormErrors, funders: Vec<Choice>, member: &Member| {
            page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &DeadlineFormPage {
                    layout: Layout::of(member, "deadlines"),
                    repeats: repeats(&form.repeat),
                    form,
                    funders,
                    errors,
                },
            )
        };
    let due_at = match form.due_at(&member).and_then(|due_at| {
        if !form.repeat.is_empty() && form.repeat_until.trim().is_empty() {
            Err(FormErrors::field(
                "repeat_until",
                "indiquez jusqu'à quelle date répéter l'échéance",
            ))
        } else {
            Ok(due_at)
        }
    }) {
        Ok(due_at) => due_at,
        Err(errors) => {
            let funders = funders(&state, &member, &form.funder_id).await?;
            return refused(form, errors, funders, &member);
        }
    };
    let body = NewDeadline {
        title: &form.title,
        funder_id: form.funder_id.parse().ok(),
        due_at,
        notes: &form.notes,
        recurrence: (!form.repeat.is_empty()).then(|| {
            json!({"frequency": form.repeat, "until": Some(form.repeat_until.trim()).filter(|u| !u.is_empty())})
        }),
    };
    match state
        .core
        .send::<Deadline>(&member, Method::POST, "/v1/deadlines", &body, None)
        .await?
    {
        Ok(created) => Ok(Redirect::to(&format!(
            "/t/{}/deadlines/{}",
            member.tenant.slug, created.id
        ))
        .into_response()),
        Err(problem) => {
            let errors = FormErrors::from_problem(
                problem,
                &[
                    ("due_at", "due_date"),
                    ("recurrence", "repeat_until"),
                    ("recurrence.until", "repeat_until"),
                    ("recurrence.frequency", "repeat"),
                ],
            );
            let funders = funders(&state, &member, &form.funder_id).await?;
            refused(form, errors, funders, &member)
        }
    }
}

#[derive(Template)]
#[template(path = "deadline.html")]
struct DeadlinePage {
    layout: Layout,
    deadline: DeadlineRow,
    errors: FormErrors,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let deadline: Deadline = state
        .core
        .get(&member, &format!("/v1/deadlines/{id}"))
        .await?;
    page(&DeadlinePage {
        layout: Layout::of(&member, "deadlines"),
        deadline: DeadlineRow::of(deadline, &member),
        errors: FormErrors::default(),
    })
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    status: String,
    #[serde(default)]
    submission_reference: String,
    version: i64,
}

async fn change_status(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, Error> {
    let path = format!("/v1/deadlines/{id}");
    let reference = Some(form.submission_reference.trim()).filter(|r| !r.is_empty());
    let body = json!({ "status": form.status, "submission_reference": reference });
    match state
        .core
        .send::<Deadline>(&member, Method::PATCH, &path, &body, Some(form.version))
        .await?
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/t/{}/deadlines/{id}", member.tenant.slug)).into_response())
        }
        Err(problem) => {
            let deadline: Deadline = state.core.get(&member, &path).await?;
            page_with_status(
                StatusCode::CONFLICT,
                &DeadlinePage {
                    layout: Layout::of(&member, "deadlines"),
                    deadline: DeadlineRow::of(deadline, &member),
                    errors: FormErrors::from_problem(problem, &[]),
                },
            )
        }
    }
}
