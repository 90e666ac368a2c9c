//! Recording what a person or an organisation gave from their page: a donation, a
//! membership fee, volunteering hours, a subscription, a purchase, a sponsorship.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::blank_is_none;
use super::record_parts::{Listing, record_name};
use super::{
    Choice, FormErrors, Layout, page_with_status, tenant_zone, typed_cents, typed_minutes,
};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::startup::AppState;

/// Who gives: the collection in the web and API paths, and the engagement's field.
const CONTRIBUTORS: [(&str, &str); 2] = [
    ("people", "person_id"),
    ("organisations", "organisation_id"),
];

/// The kinds of engagement, with their French names, in the order forms offer them.
const KINDS: [(&str, &str); 6] = [
    ("donation", "Don"),
    ("membership_fee", "Cotisation"),
    ("volunteering", "Bénévolat"),
    ("subscription", "Abonnement"),
    ("purchase", "Achat"),
    ("sponsorship", "Mécénat"),
];

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
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
struct EngagementForm {
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
        }
    }

    /// What the API is sent, or the field that cannot be read.
    fn body(&self, contributor: &str, id: Uuid) -> Result<serde_json::Value, FormErrors> {
        let mut body = json!({
            "kind": self.kind,
            contributor: id,
            "occurred_on": blank_is_none(&self.occurred_on),
            "project_id": blank_is_none(&self.project_id),
            "campaign": self.campaign.trim(),
            "notes": self.notes,
        });
        if self.kind == "volunteering" {
            let minutes = typed_minutes(&self.duration).map_err(|()| {
                FormErrors::field("duration", "indiquez une durée, par exemple 2 h 30 ou 1,5")
            })?;
            body["minutes"] = json!(minutes);
        } else {
            let cents = typed_cents(&self.amount).map_err(|()| {
                FormErrors::field(
                    "amount",
                    "indiquez un montant en euros, par exemple 50 ou 12,50",
                )
            })?;
            body["amount_cents"] = json!(cents);
        }
        Ok(body)
    }
}

#[derive(Debug, Deserialize)]
struct ProjectRow {
    id: Uuid,
    name: String,
}

#[derive(Template)]
#[template(path = "engagement_form.html")]
struct EngagementFormPage {
    layout: Layout,
    record_name: String,
    record_path: String,
    kinds: Vec<Choice>,
    projects: Vec<Choice>,
    form: EngagementForm,
    errors: FormErrors,
}

impl EngagementFormPage {
    async fn new(
        state: &AppState,
        member: &Member,
        (collection, id): (&'static str, Uuid),
        form: EngagementForm,
        errors: FormErrors,
    ) -> Result<Self, Error> {
        let (record_name, projects): (String, Listing<ProjectRow>) = tokio::try_join!(
            record_name(state, member, collection, id),
            state.core.get(member, "/v1/projects?limit=200"),
        )?;
        let projects: Vec<(String, String)> = projects
            .items
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect();
        Ok(Self {
            layout: Layout::of(member, collection),
            record_name,
            record_path: format!("/t/{}/{collection}/{id}", member.tenant.slug),
            kinds: Choice::list(KINDS, &form.kind),
            projects: Choice::list(
                std::iter::once(("", "— Aucun —"))
                    .chain(projects.iter().map(|(v, l)| (v.as_str(), l.as_str()))),
                &form.project_id,
            ),
            form,
            errors,
        })
    }
}

async fn new_form(
    (collection, _): (&'static str, &'static str),
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let form = EngagementForm::new(&member);
    let page = EngagementFormPage::new(
        &state,
        &member,
        (collection, id),
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
    let errors = match form.body(contributor, id) {
        Err(errors) => errors,
        Ok(body) => match state
            .core
            .send::<serde_json::Value>(&member, Method::POST, "/v1/engagements", &body, None)
            .await?
        {
            Ok(_) => {
                let back = format!("/t/{}/{collection}/{id}#engagements", member.tenant.slug);
                return Ok(Redirect::to(&back).into_response());
            }
            Err(problem) if problem.status == 422 => FormErrors::from_problem(
                problem,
                &[("amount_cents", "amount"), ("minutes", "duration")],
            ),
            Err(problem) => return Err(Error::Refused(problem)),
        },
    };
    let page = EngagementFormPage::new(&state, &member, (collection, id), form, errors).await?;
    page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
