//! Reporting deadlines: what is owed, to whom, by when; entering one; marking it done.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use maillage_i18n::Lang;
use maillage_problem::{Path, Query};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::{FormPages, FormTarget, RecordForm, blank_is_none, form_routes};
use super::lists::{Choices, FilterBar, FilterQuery, Filtered, Filters, ListSpec};
use super::organisations::{organisation_choices, tenant_organisations};
use super::record_parts::Listing;
use super::{Choice, FormErrors, Layout, page, page_with_status, tenant_zone, typed_instant};
use crate::Error;
use crate::members;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/deadlines", get(list))
        .route("/t/{slug}/deadlines/{id}", get(show))
        .merge(form_routes::<DeadlineForm>())
        .route("/t/{slug}/deadlines/{id}/status", post(change_status))
        .route("/t/{slug}/deadlines/{id}/delete", post(delete))
}

/// A deadline as core-records returns it.
#[derive(Debug, Deserialize)]
pub struct Deadline {
    id: Uuid,
    title: String,
    funder_id: Option<Uuid>,
    funder_name: Option<String>,
    project_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
    due_at: DateTime<Utc>,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
    submission_reference: Option<String>,
    waiver_reason: Option<String>,
    notes: String,
    occurrence: Option<i64>,
    recurrence: Option<String>,
    responsible_user_ids: Vec<Uuid>,
    version: i64,
}

impl Deadline {
    /// "Échéance n° 2 d'une série trimestrielle", for one of a series.
    fn series(&self) -> Option<String> {
        self.series_in(Lang::Fr)
    }

    /// "Deadline no. 2 of a quarterly series", in `lang`.
    fn series_in(&self, lang: Lang) -> Option<String> {
        self.occurrence
            .zip(self.recurrence.as_deref())
            .map(|(n, frequency)| {
                lang.t_with(
                    "deadline-series",
                    &[("number", n.into()), ("frequency", frequency.into())],
                )
            })
    }
}

/// A deadline as pages show it: dates in the tenant's zone, status in words.
pub struct DeadlineRow {
    pub id: Uuid,
    pub title: String,
    pub funder_name: Option<String>,
    pub due: String,
    pub status: String,
    pub submitted: Option<String>,
    pub submission_reference: Option<String>,
    /// Why it was cancelled, when it was.
    pub waiver_reason: Option<String>,
    pub notes: String,
    /// "Occurrence 2 d'une série trimestrielle", for a recurring report.
    pub series: Option<String>,
    /// Who it falls to (reminded before it is due).
    pub responsible_user_ids: Vec<Uuid>,
    pub version: i64,
}

/// A deadline's states, as the list filters and shows them.
pub const STATUSES: &[(&str, &str)] = &[
    ("upcoming", "À venir"),
    ("late", "En retard"),
    ("submitted", "Rendu"),
    ("waived", "Annulée"),
];

/// Who a deadline is "mine" for: its responsibles.
pub const FILTERS: Filters = Filters {
    status: Some(Choices {
        list: "deadline-status",
        values: STATUSES,
    }),
    owner: Some("responsible_user_id"),
    within: Some("due_within_days"),
    ..Filters::NONE
};

/// The list of deadlines, for its filter bar (its columns are fixed, its order the due
/// date's).
static DEADLINES: ListSpec = ListSpec {
    collection: "deadlines",
    filters: FILTERS,
    columns: &[],
    assign: None,
    tags: false,
};

impl DeadlineRow {
    fn of(deadline: Deadline, member: &Member) -> Self {
        let zone = tenant_zone(member);
        let lang = member.lang();
        Self {
            series: deadline.series_in(lang),
            id: deadline.id,
            title: deadline.title,
            funder_name: deadline.funder_name,
            due: member.lang().date_time(deadline.due_at, zone),
            status: deadline.status,
            submitted: deadline.submitted_at.map(|at| lang.date_time(at, zone)),
            submission_reference: deadline.submission_reference,
            waiver_reason: deadline.waiver_reason,
            notes: deadline.notes,
            responsible_user_ids: deadline.responsible_user_ids,
            version: deadline.version,
        }
    }
}

#[derive(Deserialize)]
struct ListQuery {
    after: Option<String>,
    #[serde(flatten)]
    filter: FilterQuery,
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage {
    layout: Layout,
    deadlines: Vec<DeadlineRow>,
    next: Option<String>,
    filter: Filtered,
    bar: FilterBar,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<ListQuery>,
) -> Result<Response, Error> {
    let filter = query.filter.check(&FILTERS, &state, &member).await?;
    let bar = FilterBar::of(&state, &member, &DEADLINES, &filter).await?;
    let after = query
        .after
        .map(|a| format!("&after={a}"))
        .unwrap_or_default();
    let listing: Listing<Deadline> = state
        .core
        .get(
            &member,
            &format!("/v1/deadlines?limit=50{after}{}", filter.api),
        )
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
        filter,
        bar,
    })
}

/// The form to add or change a report deadline, as typed.
#[derive(Debug, Deserialize)]
pub struct DeadlineForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    funder_id: String,
    /// The project or partnership it is owed for (blank: none).
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    partnership_id: String,
    /// `YYYY-MM-DD` and `HH:MM`, as date and time inputs send them, in the tenant's zone.
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    due_time: String,
    #[serde(default)]
    notes: String,
    /// Adding: empty (once), monthly, quarterly or yearly.
    #[serde(default)]
    repeat: String,
    /// Adding: `YYYY-MM-DD`, the last day a repeated report may fall on.
    #[serde(default)]
    repeat_until: String,
    /// Adding a series: occurrences on a weekend or a public holiday move to the working
    /// day before (a checkbox).
    working_days: Option<String>,
    /// Changing one of a series: "following" passes the title, funder and notes on to
    /// the later ones.
    scope: Option<String>,
    /// The members it falls to, by user id (checkboxes).
    #[serde(default)]
    responsible: Vec<String>,
    /// Set by the form that lists the members: none checked then means none, and is
    /// refused; a form that does not list them leaves them as they are (on a new
    /// report: whoever enters it).
    responsibles_listed: Option<String>,
    /// The version an edit was made from.
    version: Option<String>,
    /// Filled from the stored deadline: "Échéance n° 2 d'une série trimestrielle".
    #[serde(skip)]
    series: Option<String>,
}

impl Default for DeadlineForm {
    fn default() -> Self {
        Self {
            title: String::new(),
            funder_id: String::new(),
            project_id: String::new(),
            partnership_id: String::new(),
            due_date: String::new(),
            due_time: "12:00".into(),
            notes: String::new(),
            repeat: String::new(),
            repeat_until: String::new(),
            // A report is rarely expected on a Sunday: proposed, and can be unticked.
            working_days: Some("1".into()),
            scope: None,
            responsible: Vec::new(),
            responsibles_listed: None,
            version: None,
            series: None,
        }
    }
}

impl RecordForm for DeadlineForm {
    type Stored = Deadline;

    fn labels() -> Vec<(&'static str, &'static str)> {
        vec![
            ("title", "deadline-form-title"),
            ("funder_id", "deadline-form-funder"),
            ("project_id", "deadline-form-project"),
            ("partnership_id", "deadline-form-partnership"),
            ("responsible", "deadline-responsibles"),
            ("due_date", "deadline-form-due-date"),
            ("due_time", "deadline-form-due-time"),
            ("repeat", "deadline-form-repeat"),
            ("repeat_until", "deadline-form-repeat-until"),
            ("notes", "form-notes"),
        ]
    }

    fn of(stored: Deadline, member: &Member) -> (Self, i64) {
        let due = stored.due_at.with_timezone(&tenant_zone(member));
        let version = stored.version;
        let form = Self {
            due_date: due.format("%Y-%m-%d").to_string(),
            due_time: due.format("%H:%M").to_string(),
            funder_id: stored
                .funder_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            project_id: stored
                .project_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            partnership_id: stored
                .partnership_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            responsible: stored
                .responsible_user_ids
                .iter()
                .map(Uuid::to_string)
                .collect(),
            series: stored.series(),
            title: stored.title,
            notes: stored.notes,
            ..Self::default()
        };
        (form, version)
    }

    /// The due date-time read in the tenant's zone; a series when adding a repeated one.
    fn body(&self, member: &Member) -> (serde_json::Value, FormErrors) {
        let mut refused = FormErrors::default();
        let due_at = refused.keep(typed_instant(
            member,
            (&self.due_date, "due_date"),
            (&self.due_time, "due_time"),
        ));
        let mut body = json!({
            "title": self.title.trim(),
            "funder_id": blank_is_none(&self.funder_id),
            "project_id": blank_is_none(&self.project_id),
            "partnership_id": blank_is_none(&self.partnership_id),
            "due_at": due_at,
            "notes": self.notes,
        });
        if self.responsibles_listed.is_some() {
            let chosen: Vec<Uuid> = self
                .responsible
                .iter()
                .filter_map(|id| id.parse().ok())
                .collect();
            body["responsible_user_ids"] = json!(chosen);
        }
        if !self.repeat.is_empty() {
            let until = blank_is_none(&self.repeat_until);
            if until.is_none() {
                refused.insert("repeat_until", "refused-repeat-until".into());
            }
            body["recurrence"] = json!({
                "frequency": self.repeat,
                "until": until,
                "working_days": self.working_days.is_some(),
            });
        }
        (body, refused)
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        vec![
            ("title", self.title.clone()),
            ("funder_id", self.funder_id.clone()),
            ("project_id", self.project_id.clone()),
            ("partnership_id", self.partnership_id.clone()),
            ("due_date", self.due_date.clone()),
            ("due_time", self.due_time.clone()),
            ("notes", self.notes.clone()),
        ]
    }

    fn edit_query(&self) -> &'static str {
        if self.scope.as_deref() == Some("following") {
            "?scope=following"
        } else {
            ""
        }
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

#[derive(Template)]
#[template(path = "deadline_form.html")]
pub struct DeadlineFormPage {
    layout: Layout,
    /// The members, those it falls to checked.
    responsibles: Vec<Choice>,
    target: FormTarget,
    form: DeadlineForm,
    funders: Vec<Choice>,
    projects: Vec<Choice>,
    partnerships: Vec<Choice>,
    repeats: Vec<Choice>,
    errors: FormErrors,
}

impl FormPages for DeadlineForm {
    const COLLECTION: &'static str = "deadlines";
    const ADDING: &'static str = "deadline-form-adding";
    const RENAMES: &'static [(&'static str, &'static str)] = &[
        ("due_at", "due_date"),
        ("recurrence", "repeat_until"),
        ("recurrence.until", "repeat_until"),
        ("recurrence.frequency", "repeat"),
        ("responsible_user_ids", "responsible"),
    ];

    type Page = DeadlineFormPage;

    fn name(&self) -> String {
        self.title.trim().to_owned()
    }

    async fn page(
        state: &AppState,
        member: &Member,
        target: FormTarget,
        mut form: Self,
        errors: FormErrors,
    ) -> Result<DeadlineFormPage, Error> {
        // A form sent back (it carries its version) does not say whether it is one of a
        // series: the stored deadline does. One filled from it already knows.
        if let (Some(id), Some(_)) = (target.record, &form.version) {
            let stored: Deadline = state
                .core
                .get(member, &format!("/v1/deadlines/{id}"))
                .await?;
            form.series = stored.series();
        }
        // A new report falls to whoever enters it, unless they choose otherwise.
        if target.record.is_none() && form.responsible.is_empty() && errors.summary.is_none() {
            form.responsible = vec![member.user.id.to_string()];
        }
        let responsibles = members::names(state, member.tenant.id)
            .await?
            .into_iter()
            .map(|(id, name)| {
                let id = id.to_string();
                Choice {
                    selected: form.responsible.contains(&id),
                    value: id,
                    label: name,
                }
            })
            .collect();
        Ok(DeadlineFormPage {
            layout: Layout::of(member, "deadlines"),
            responsibles,
            funders: funders(state, member, &form.funder_id).await?,
            projects: owed_for(state, member, "projects", &form.project_id, "Aucun projet").await?,
            partnerships: owed_for(
                state,
                member,
                "partnerships",
                &form.partnership_id,
                "Aucun partenariat",
            )
            .await?,
            repeats: repeats(&form.repeat),
            target,
            form,
            errors,
        })
    }
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

/// What a report can be owed for: the workspace's projects or partnerships, by name,
/// after "none". The one it is linked to stays among them even when the list would
/// leave it out (in the bin, past the first 200), so that saving never unlinks it.
async fn owed_for(
    state: &AppState,
    member: &Member,
    collection: &str,
    selected: &str,
    none: &str,
) -> Result<Vec<Choice>, Error> {
    let listing: Listing<Linkable> = state
        .core
        .get(member, &format!("/v1/{collection}?limit=200"))
        .await?;
    let mut options: Vec<(String, String)> = listing
        .items
        .into_iter()
        .map(|record| {
            (
                record.id.to_string(),
                record.name.or(record.title).unwrap_or_default(),
            )
        })
        .collect();
    if !selected.is_empty() && !options.iter().any(|(id, _)| id == selected) {
        options.push((selected.to_owned(), "(celui d'aujourd'hui)".to_owned()));
    }
    Ok(Choice::list(
        std::iter::once(("", none)).chain(
            options
                .iter()
                .map(|(id, name)| (id.as_str(), name.as_str())),
        ),
        selected,
    ))
}

/// A project (its name) or a partnership (its title).
#[derive(Deserialize)]
struct Linkable {
    id: Uuid,
    name: Option<String>,
    title: Option<String>,
}

#[derive(Template)]
#[template(path = "deadline.html")]
struct DeadlinePage {
    layout: Layout,
    deadline: DeadlineRow,
    /// Who it falls to, by name.
    responsibles: String,
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
    page(&DeadlinePage::new(&state, &member, deadline, FormErrors::default()).await?)
}

impl DeadlinePage {
    /// The deadline's page, its responsibles by name.
    async fn new(
        state: &AppState,
        member: &Member,
        deadline: Deadline,
        errors: FormErrors,
    ) -> Result<Self, Error> {
        let deadline = DeadlineRow::of(deadline, member);
        let responsibles = members::names(state, member.tenant.id)
            .await?
            .into_iter()
            .filter(|(id, _)| deadline.responsible_user_ids.contains(id))
            .map(|(_, name)| name)
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Self {
            layout: Layout::of(member, "deadlines"),
            deadline,
            responsibles,
            errors,
        })
    }
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    status: String,
    #[serde(default)]
    submission_reference: String,
    /// Why it is cancelled (status waived): required by the page.
    #[serde(default)]
    waiver_reason: String,
    version: i64,
}

/// Marks the deadline submitted, cancelled (with its reason: reminders stop) or owed again.
async fn change_status(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, Error> {
    let path = format!("/v1/deadlines/{id}");
    let refused = |errors: FormErrors| async {
        let deadline: Deadline = state.core.get(&member, &path).await?;
        page_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &DeadlinePage::new(&state, &member, deadline, errors).await?,
        )
    };
    let reason = blank_is_none(&form.waiver_reason);
    if form.status == "waived" && reason.is_none() {
        return refused(FormErrors::field("waiver_reason", "refused-waiver-reason")).await;
    }
    let mut body = json!({
        "status": form.status,
        "submission_reference": blank_is_none(&form.submission_reference),
    });
    if form.status == "waived" {
        body["waiver_reason"] = json!(reason);
    }
    match state
        .core
        .send::<Deadline>(&member, Method::PATCH, &path, &body, Some(form.version))
        .await?
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/t/{}/deadlines/{id}", member.tenant.slug)).into_response())
        }
        Err(problem) => {
            let (status, errors) = FormErrors::refusal(problem);
            let deadline: Deadline = state.core.get(&member, &path).await?;
            page_with_status(
                status,
                &DeadlinePage::new(&state, &member, deadline, errors).await?,
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    /// "following": this deadline and the later ones of its series.
    #[serde(default)]
    scope: String,
    /// Set once the person confirmed.
    confirmed: Option<String>,
}

/// The page that asks before a deadline entered by mistake is deleted for good.
#[derive(Template)]
#[template(path = "deadline_delete.html")]
struct DeleteDeadlinePage {
    layout: Layout,
    deadline: DeadlineRow,
}

/// Deleting is for good (audited, reminders withdrawn): the first press asks to confirm
/// (and, for one of a series, whether the following go too), the second deletes.
async fn delete(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, Error> {
    let path = format!("/v1/deadlines/{id}");
    if form.confirmed.is_none() {
        let deadline: Deadline = state.core.get(&member, &path).await?;
        return page(&DeleteDeadlinePage {
            layout: Layout::of(&member, "deadlines"),
            deadline: DeadlineRow::of(deadline, &member),
        });
    }
    let scope = if form.scope == "following" {
        "?scope=following"
    } else {
        ""
    };
    match state
        .core
        .delete(&member, &format!("{path}{scope}"), None)
        .await?
    {
        Ok(()) => Ok(Redirect::to(&format!("/t/{}/deadlines", member.tenant.slug)).into_response()),
        Err(problem) => Err(Error::Refused(problem)),
    }
}
