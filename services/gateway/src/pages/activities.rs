//! Activities from a record's page: the form to note a meeting, a call, an email, an
//! event, a note or a task on a person, an organisation, a project or a partnership; the
//! same form to correct one; the button that marks a task done; and deleting one, once
//! confirmed.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use maillage_domain::kinds::ActivityKind;
use maillage_i18n::Lang;
use maillage_problem::Path;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::{Added, EntryPages, FormTarget, RecordForm, add, entry_routes};
use super::record_parts::{activity_label, record_name};
use super::{
    Choice, FormErrors, Layout, back_in_workspace, page, page_with_status, tenant_zone,
    typed_instant,
};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

/// The records an activity can be noted on: their collection (in the web path, the API
/// path and the activity's links alike) and their navigation section.
const RECORDS: [&str; 4] = ["people", "organisations", "projects", "partnerships"];

pub fn router() -> Router<AppState> {
    let mut router = Router::new()
        .route("/t/{slug}/activities/{id}/done", post(mark_done))
        .merge(entry_routes::<ActivityForm>());
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
pub struct ActivityForm {
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
    /// Changing one: the version it was made from, and the page to go back to.
    version: Option<String>,
    back: Option<String>,
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
            version: None,
            back: None,
        }
    }
}

/// An activity as core-records answers it.
#[derive(Debug, Deserialize)]
pub struct Activity {
    kind: String,
    occurred_at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    subject: String,
    body: String,
    version: i64,
}

impl RecordForm for ActivityForm {
    type Stored = Activity;

    fn labels() -> Vec<(&'static str, &'static str)> {
        vec![
            ("kind", "activity-form-kind"),
            ("subject", "activity-form-subject"),
            ("date", "activity-form-date"),
            ("time", "activity-form-time"),
            ("body", "activity-form-body"),
        ]
    }

    fn of(stored: Activity, member: &Member) -> (Self, i64) {
        let when = match (stored.kind.as_str(), stored.due_at) {
            ("task", Some(due)) => due,
            _ => stored.occurred_at,
        }
        .with_timezone(&tenant_zone(member));
        let form = Self {
            date: when.format("%Y-%m-%d").to_string(),
            time: when.format("%H:%M").to_string(),
            kind: stored.kind,
            subject: stored.subject,
            body: stored.body,
            version: None,
            back: None,
        };
        (form, stored.version)
    }

    /// A task is due at the date and time typed (and noted when it was); anything else
    /// took place then, and has no due date nor done state.
    fn body(&self, member: &Member) -> (serde_json::Value, FormErrors) {
        let mut refused = FormErrors::default();
        let when = refused.keep(typed_instant(
            member,
            (&self.date, "date"),
            (&self.time, "time"),
        ));
        let mut body = json!({
            "kind": self.kind,
            "subject": self.subject.trim(),
            "body": self.body,
        });
        if self.kind == "task" {
            body["due_at"] = json!(when);
        } else {
            body["occurred_at"] = json!(when);
            body["due_at"] = json!(null);
            body["done"] = json!(false);
        }
        (body, refused)
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        vec![
            ("kind", activity_label(&self.kind).to_owned()),
            ("subject", self.subject.clone()),
            ("date", self.date.clone()),
            ("time", self.time.clone()),
            ("body", self.body.clone()),
        ]
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

/// API field names and the form's, where they differ.
const RENAMES: [(&str, &str); 2] = [("occurred_at", "date"), ("due_at", "date")];

impl EntryPages for ActivityForm {
    const COLLECTION: &'static str = "activities";
    const CORRECTING: &'static str = "activity-form-correcting";
    const ANCHOR: &'static str = "historique";
    const DELETING: &'static str = "activity-delete-explanation";
    const RENAMES: &'static [(&'static str, &'static str)] = &RENAMES;

    type Page = ActivityFormPage;

    fn back(&self) -> Option<&str> {
        self.back.as_deref()
    }

    fn delete_question(stored: &Activity, lang: Lang) -> String {
        lang.t_with(
            "activity-delete-question",
            &[("subject", stored.subject.as_str().into())],
        )
    }

    async fn page(
        _state: &AppState,
        member: &Member,
        target: FormTarget,
        form: Self,
        errors: FormErrors,
    ) -> Result<ActivityFormPage, Error> {
        Ok(ActivityFormPage::new(member, "home", target, form, errors))
    }
}

#[derive(Template)]
#[template(path = "activity_form.html")]
pub struct ActivityFormPage {
    layout: Layout,
    target: FormTarget,
    kinds: Vec<Choice>,
    form: ActivityForm,
    errors: FormErrors,
}

impl ActivityFormPage {
    fn new(
        member: &Member,
        section: &'static str,
        target: FormTarget,
        form: ActivityForm,
        errors: FormErrors,
    ) -> Self {
        Self {
            layout: Layout::of(member, section),
            kinds: Choice::named(
                member.lang(),
                None,
                ActivityKind::MESSAGE_PREFIX,
                ActivityKind::VALUES.iter().copied(),
                &form.kind,
            ),
            target,
            form,
            errors,
        }
    }
}

/// The heading of the form, before the record's name.
const NOTING: &str = "record-note-activity";

async fn new_form(
    collection: &'static str,
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let name = record_name(&state, &member, collection, id).await?;
    let target = FormTarget::adding_to(&member, (collection, id), NOTING, &name);
    let form = ActivityForm::new(&member);
    page(&ActivityFormPage::new(
        &member,
        collection,
        target,
        form,
        FormErrors::default(),
    ))
}

async fn create(
    collection: &'static str,
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<ActivityForm>,
) -> Result<Response, Error> {
    let attach = |body: &mut serde_json::Value| body["links"] = json!({ collection: [id] });
    let errors = match add(&state, &member, ("activities", &form), &RENAMES, attach).await? {
        Added::Saved(_) => {
            let back = format!("/t/{}/{collection}/{id}#historique", member.tenant.slug);
            return Ok(Redirect::to(&back).into_response());
        }
        Added::Refused(errors) => errors,
    };
    let name = record_name(&state, &member, collection, id).await?;
    let target = FormTarget::adding_to(&member, (collection, id), NOTING, &name);
    page_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ActivityFormPage::new(&member, collection, target, form, errors),
    )
}

/// A button's form: the version the page showed, and the page it was on.
#[derive(Debug, Deserialize)]
struct ButtonForm {
    version: i64,
    back: Option<String>,
}

async fn mark_done(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<ButtonForm>,
) -> Result<Response, Error> {
    let back = back_in_workspace(&member, form.back.as_deref());
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
        // Changed meanwhile (done by someone else, edited): back to the page too, which
        // shows it as it is now.
        Ok(_) => Ok(Redirect::to(&format!("{back}#historique")).into_response()),
        Err(problem) if problem.status == StatusCode::CONFLICT.as_u16() => {
            Ok(Redirect::to(&format!("{back}#historique")).into_response())
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}
