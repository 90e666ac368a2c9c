//! What a person or an organisation gave, from their page: a donation, a membership
//! fee, volunteering hours, a subscription, a purchase, a sponsorship; recorded, then
//! corrected or deleted from the record's list of engagements.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{NaiveDate, Utc};
use maillage_domain::kinds::EngagementKind;
use maillage_i18n::Lang;
use maillage_problem::Path;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::{Added, EntryPages, FormTarget, RecordForm, add, blank_is_none, entry_routes};
use super::record_parts::{Listing, record_name};
use super::{
    Choice, FormErrors, Layout, cents_typed, duration, page_with_status, tenant_zone, typed_cents,
    typed_minutes,
};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

/// Who gives: the collection in the web and API paths, and the engagement's field.
const CONTRIBUTORS: [(&str, &str); 2] = [
    ("people", "person_id"),
    ("organisations", "organisation_id"),
];

pub fn router() -> Router<AppState> {
    let mut router = Router::new().merge(entry_routes::<EngagementForm>());
    for contributor in CONTRIBUTORS {
        router = router.route(
            &format!("/t/{{slug}}/{}/{{id}}/engagements/new", contributor.0),
            get(move |state, member, path| new_form(contributor, state, member, path)).post(
                move |state, member, path, form| create(contributor, state, member, path, form),
            ),
        );
    }
    router
}

/// The form as typed: an amount in euros, or for volunteering a duration.
#[derive(Debug, Deserialize)]
pub struct EngagementForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    duration: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    notes: String,
    /// Correcting one: the version it was made from, and the page to go back to.
    version: Option<String>,
    back: Option<String>,
}

impl EngagementForm {
    /// A donation, today.
    fn new(member: &Member) -> Self {
        Self {
            kind: "donation".into(),
            occurred_on: Utc::now()
                .with_timezone(&tenant_zone(member))
                .format("%Y-%m-%d")
                .to_string(),
            amount: String::new(),
            duration: String::new(),
            project_id: String::new(),
            campaign: String::new(),
            notes: String::new(),
            version: None,
            back: None,
        }
    }
}

/// An engagement as core-records answers it.
#[derive(Debug, Deserialize)]
pub struct Engagement {
    kind: String,
    amount_cents: Option<i64>,
    minutes: Option<i32>,
    occurred_on: NaiveDate,
    project_id: Option<Uuid>,
    campaign: String,
    notes: String,
    version: i64,
}

impl RecordForm for EngagementForm {
    type Stored = Engagement;

    fn labels() -> Vec<(&'static str, &'static str)> {
        vec![
            ("kind", "engagement-form-kind"),
            ("occurred_on", "engagement-form-date"),
            ("amount", "engagement-form-amount"),
            ("duration", "engagement-form-duration"),
            ("project_id", "engagement-form-project"),
            ("campaign", "engagement-form-campaign"),
            ("notes", "form-notes"),
        ]
    }

    fn of(stored: Engagement, _member: &Member) -> (Self, i64) {
        let form = Self {
            kind: stored.kind,
            occurred_on: stored.occurred_on.to_string(),
            amount: stored.amount_cents.map(cents_typed).unwrap_or_default(),
            duration: stored
                .minutes
                .map(|m| duration(m.into()))
                .unwrap_or_default(),
            project_id: stored
                .project_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            campaign: stored.campaign,
            notes: stored.notes,
            version: None,
            back: None,
        };
        (form, stored.version)
    }

    /// An amount for anything but volunteering, a duration for it; who gave is not the
    /// form's to change.
    fn body(&self, _member: &Member) -> (serde_json::Value, FormErrors) {
        let mut refused = FormErrors::default();
        let mut body = json!({
            "kind": self.kind,
            "occurred_on": blank_is_none(&self.occurred_on),
            "project_id": blank_is_none(&self.project_id),
            "campaign": self.campaign.trim(),
            "notes": self.notes,
        });
        if self.kind == "volunteering" {
            let minutes = refused.keep(
                typed_minutes(&self.duration)
                    .map_err(|()| FormErrors::field("duration", "refused-duration")),
            );
            body["minutes"] = json!(minutes);
        } else {
            let cents = refused.keep(
                typed_cents(&self.amount)
                    .map_err(|()| FormErrors::field("amount", "refused-amount")),
            );
            body["amount_cents"] = json!(cents);
        }
        (body, refused)
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        vec![
            ("kind", self.kind.clone()),
            ("occurred_on", self.occurred_on.clone()),
            ("amount", self.amount.clone()),
            ("duration", self.duration.clone()),
            ("project_id", self.project_id.clone()),
            ("campaign", self.campaign.clone()),
            ("notes", self.notes.clone()),
        ]
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

/// API field names and the form's, where they differ.
const RENAMES: [(&str, &str); 2] = [("amount_cents", "amount"), ("minutes", "duration")];

impl EntryPages for EngagementForm {
    const COLLECTION: &'static str = "engagements";
    const CORRECTING: &'static str = "engagement-form-correcting";
    const ANCHOR: &'static str = "engagements";
    const DELETING: &'static str = "engagement-delete-explanation";
    const RENAMES: &'static [(&'static str, &'static str)] = &RENAMES;

    type Page = EngagementFormPage;

    fn back(&self) -> Option<&str> {
        self.back.as_deref()
    }

    fn delete_question(stored: &Engagement, lang: Lang) -> String {
        lang.t_with(
            "engagement-delete-question",
            &[("date", lang.date(stored.occurred_on).into())],
        )
    }

    async fn page(
        state: &AppState,
        member: &Member,
        target: FormTarget,
        form: Self,
        errors: FormErrors,
    ) -> Result<EngagementFormPage, Error> {
        EngagementFormPage::new(state, member, ("home", target), form, errors).await
    }
}

#[derive(Debug, Deserialize)]
struct ProjectRow {
    id: Uuid,
    name: String,
}

#[derive(Template)]
#[template(path = "engagement_form.html")]
pub struct EngagementFormPage {
    layout: Layout,
    target: FormTarget,
    kinds: Vec<Choice>,
    projects: Vec<Choice>,
    form: EngagementForm,
    errors: FormErrors,
}

impl EngagementFormPage {
    async fn new(
        state: &AppState,
        member: &Member,
        (section, target): (&'static str, FormTarget),
        form: EngagementForm,
        errors: FormErrors,
    ) -> Result<Self, Error> {
        let projects: Listing<ProjectRow> =
            state.core.get(member, "/v1/projects?limit=200").await?;
        let projects: Vec<(String, String)> = projects
            .items
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect();
        Ok(Self {
            layout: Layout::of(member, section),
            kinds: Choice::named(
                member.lang(),
                None,
                EngagementKind::MESSAGE_PREFIX,
                EngagementKind::VALUES.iter().copied(),
                &form.kind,
            ),
            projects: Choice::list(
                std::iter::once(("", "— Aucun —"))
                    .chain(projects.iter().map(|(v, l)| (v.as_str(), l.as_str()))),
                &form.project_id,
            ),
            target,
            form,
            errors,
        })
    }
}

/// The heading of the form, before the record's name.
const RECORDING: &str = "record-engagements-add";

async fn new_form(
    (collection, _): (&'static str, &'static str),
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let name = record_name(&state, &member, collection, id).await?;
    let target = FormTarget::adding_to(&member, (collection, id), RECORDING, &name);
    let form = EngagementForm::new(&member);
    let page = EngagementFormPage::new(
        &state,
        &member,
        (collection, target),
        form,
        FormErrors::default(),
    )
    .await?;
    page_with_status(StatusCode::OK, &page)
}

async fn create(
    (collection, contributor): (&'static str, &'static str),
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<EngagementForm>,
) -> Result<Response, Error> {
    let attach = |body: &mut serde_json::Value| body[contributor] = json!(id);
    let errors = match add(&state, &member, ("engagements", &form), &RENAMES, attach).await? {
        Added::Saved(_) => {
            let back = format!("/t/{}/{collection}/{id}#engagements", member.tenant.slug);
            return Ok(Redirect::to(&back).into_response());
        }
        Added::Refused(errors) => errors,
    };
    let name = record_name(&state, &member, collection, id).await?;
    let target = FormTarget::adding_to(&member, (collection, id), RECORDING, &name);
    let page = EngagementFormPage::new(&state, &member, (collection, target), form, errors).await?;
    page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
