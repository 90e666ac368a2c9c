//! Activities noted from a record's page: the form to note a meeting, a call, an email,
//! an event, a note or a task on a person, an organisation, a project or a partnership,
//! and the button that marks a task done.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::record_parts::{ACTIVITY_KINDS, record_name};
use super::{Choice, FormErrors, Layout, page_with_status, tenant_zone, typed_instant};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::startup::AppState;

/// The records an activity can be noted on: their collection (in the web path, the API
/// path and the activity's links alike) and their navigation section.
const RECORDS: [&str; 4] = ["people", "organisations", "projects", "partnerships"];

pub fn router() -> Router<AppState> {
    let mut router = Router::new().route("/t/{slug}/activities/{id}/done", post(mark_done));
    for collection in RECORDS {
        router = router.route(
            &format!("/t/{{slug}}/{collection}/{{id}}/activities/new"),
            get(move |state, member, path| new_form(collection, state, member, path)).post(
                move |state, member, path, form| create(collection, state, member, path, form),
            ),
        );
    }
    router
}

/// The form as typed. For a task, the date and time say when it is due (it is noted
/// now); for anything else, when it took place.
#[derive(Debug, Deserialize)]
struct ActivityForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

impl ActivityForm {
    /// A meeting, now, in the tenant's time zone.
    fn new(member: &Member) -> Self {
        let now = Utc::now().with_timezone(&tenant_zone(member));
        Self {
            kind: "meeting".into(),
            date: now.format("%Y-%m-%d").to_string(),
            time: now.format("%H:%M").to_string(),
            subject: String::new(),
            body: String::new(),
        }
    }
}

/// What the API is sent.
#[derive(Serialize)]
struct NewActivity<'a> {
    kind: &'a str,
    occurred_at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    subject: &'a str,
    body: &'a str,
    links: serde_json::Value,
}

#[derive(Template)]
#[template(path = "activity_form.html")]
struct ActivityFormPage {
    layout: Layout,
    record_name: String,
    record_path: String,
    kinds: Vec<Choice>,
    form: ActivityForm,
    errors: FormErrors,
}

impl ActivityFormPage {
    fn answer(self, status: StatusCode) -> Result<Response, Error> {
        page_with_status(status, &self)
    }
}

async fn new_form(
    collection: &'static str,
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let form = ActivityForm::new(&member);
    ActivityFormPage {
        record_name: record_name(&state, &member, collection, id).await?,
        record_path: format!("/t/{}/{collection}/{id}", member.tenant.slug),
        kinds: Choice::list(ACTIVITY_KINDS, &form.kind),
        layout: Layout::of(&member, collection),
        form,
        errors: FormErrors::default(),
    }
    .answer(StatusCode::OK)
}

async fn create(
    collection: &'static str,
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<ActivityForm>,
) -> Result<Response, Error> {
    let record_path = format!("/t/{}/{collection}/{id}", member.tenant.slug);
    let when = typed_instant(&member, (&form.date, "date"), (&form.time, "time"));
    let errors = match when {
        Ok(when) => {
            let is_task = form.kind == "task";
            let body = NewActivity {
                kind: &form.kind,
                occurred_at: if is_task { Utc::now() } else { when },
                due_at: is_task.then_some(when),
                subject: &form.subject,
                body: &form.body,
                links: json!({ collection: [id] }),
            };
            match state
                .core
                .send::<serde_json::Value>(&member, Method::POST, "/v1/activities", &body, None)
                .await?
            {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("{record_path}#historique")).into_response());
                }
                Err(problem) if problem.status == StatusCode::UNPROCESSABLE_ENTITY.as_u16() => {
                    FormErrors::from_problem(
                        problem,
                        &[("occurred_at", "date"), ("due_at", "date")],
                    )
                }
                Err(problem) => return Err(Error::Refused(problem)),
            }
        }
        Err(errors) => errors,
    };
    ActivityFormPage {
        record_name: record_name(&state, &member, collection, id).await?,
        record_path,
        kinds: Choice::list(ACTIVITY_KINDS, &form.kind),
        layout: Layout::of(&member, collection),
        form,
        errors,
    }
    .answer(StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Debug, Deserialize)]
struct DoneForm {
    version: i64,
    /// The record page the button was on, where the answer leads back.
    back: String,
}

async fn mark_done(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<DoneForm>,
) -> Result<Response, Error> {
    // Only back to a page of this workspace: never a redirect to somewhere else.
    let workspace = format!("/t/{}/", member.tenant.slug);
    let back = if form.back.starts_with(&workspace) && !form.back.contains("//") {
        form.back
    } else {
        workspace
    };
    let path = format!("/v1/activities/{id}");
    match state
        .core
        .send::<serde_json::Value>(
            &member,
            Method::PATCH,
            &path,
            &json!({ "done": true }),
            Some(form.version),
        )
        .await?
    {
        // Changed meanwhile (done by someone else, edited): the page shows it as it is.
        Ok(_) => Ok(Redirect::to(&format!("{back}#historique")).into_response()),
        Err(problem) if problem.status == StatusCode::CONFLICT.as_u16() => {
            Ok(Redirect::to(&format!("{back}#historique")).into_response())
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}
