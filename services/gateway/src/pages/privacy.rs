//! A person's rights, from their page: the copy of everything held about them, to print
//! or download, and their erasure, previewed then confirmed. Both for the workspace's
//! admins (core-records refuses the others, and the person's page offers neither).

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maillage_domain::privacy::{Erasure, HeldChange, PersonalData};
use maillage_problem::Path;
use reqwest::Method;
use serde::Deserialize;
use uuid::Uuid;

use super::record_parts::record_name;
use super::{Layout, duration, page, page_with_status, tenant_zone};
use crate::Error;
use crate::membership::{Admin, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/people/{id}/personal-data", get(personal_data))
        .route(
            "/t/{slug}/people/{id}/erasure",
            get(erasure_preview).post(erase),
        )
}

#[derive(Template)]
#[template(path = "personal_data.html")]
struct PersonalDataPage {
    layout: Layout,
    person_path: String,
    download_path: String,
    produced: String,
    full_name: String,
    data: PersonalData,
    /// Each audit entry, its moment written out.
    changes: Vec<(String, HeldChange)>,
}

impl PersonalDataPage {
    fn date(&self, date: &chrono::NaiveDate) -> String {
        self.layout.lang.date(*date)
    }

    fn money(&self, cents: &i64, currency: &Option<String>) -> String {
        self.layout
            .lang
            .money(*cents, currency.as_deref().unwrap_or("EUR"))
    }

    fn yes_no(&self, yes: &bool) -> String {
        self.layout.t(if *yes { "record-yes" } else { "record-no" })
    }

    /// A legal basis's name; one the catalogue does not know, as stored.
    fn basis(&self, basis: &Option<String>) -> String {
        match basis {
            None => self.layout.t("record-basis-not-given"),
            Some(value) => self.layout.value_name("consent-basis", value),
        }
    }

    /// What an audit entry did; an action the catalogue does not know, as stored.
    fn action(&self, action: &str) -> String {
        self.layout.value_name("privacy-action", action)
    }

    fn duration(&self, minutes: &i32) -> String {
        duration(i64::from(*minutes))
    }

    fn json(&self, value: &Option<serde_json::Value>) -> String {
        value
            .as_ref()
            .and_then(|v| serde_json::to_string_pretty(v).ok())
            .unwrap_or_default()
    }
}

/// The copy, as a page to read and print; reading it is written in the audit log.
async fn personal_data(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let slug = &member.tenant.slug;
    let data: PersonalData = state
        .core
        .get(&member, &format!("/v1/people/{id}/personal-data"))
        .await?;
    let zone = tenant_zone(&member);
    let changes = data
        .audit
        .iter()
        .map(|change| (member.lang().date_time(change.at, zone), change.clone()))
        .collect();
    page(&PersonalDataPage {
        person_path: format!("/t/{slug}/people/{id}"),
        download_path: format!("/api/v1/t/{slug}/people/{id}/personal-data"),
        produced: member.lang().date_time(data.produced_at, zone),
        full_name: format!("{} {}", data.person.given_name, data.person.family_name),
        changes,
        data,
        layout: Layout::of(&member, "people"),
    })
}

#[derive(Template)]
#[template(path = "erasure.html")]
struct ErasurePage {
    layout: Layout,
    name: String,
    person_path: String,
    preview: Erasure,
    /// Sent without the box ticked.
    unconfirmed: bool,
}

async fn erasure_preview(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    preview_page(&state, &member, id, false).await
}

/// What the erasure would take away, and the form that does it.
async fn preview_page(
    state: &AppState,
    member: &Member,
    id: Uuid,
    unconfirmed: bool,
) -> Result<Response, Error> {
    let path = format!("/v1/people/{id}/erasure");
    let (name, preview) = tokio::try_join!(
        record_name(state, member, "people", id),
        state.core.get::<Erasure>(member, &path),
    )?;
    let status = if unconfirmed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page_with_status(
        status,
        &ErasurePage {
            person_path: format!("/t/{}/people/{id}", member.tenant.slug),
            layout: Layout::of(member, "people"),
            name,
            preview,
            unconfirmed,
        },
    )
}

#[derive(Debug, Deserialize)]
struct ErasureForm {
    /// The box that says the admin understood it cannot be undone.
    confirmed: Option<String>,
}

/// Erases once the box is ticked, then back to the list, which says so; unticked, the
/// preview again, saying what is missing.
async fn erase(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<ErasureForm>,
) -> Result<Response, Error> {
    if form.confirmed.is_none() {
        return preview_page(&state, &member, id, true).await;
    }
    let path = format!("/v1/people/{id}/erasure");
    match state
        .core
        .send::<Erasure>(&member, Method::POST, &path, &serde_json::json!({}), None)
        .await?
    {
        Ok(_) => {
            let list = format!("/t/{}/people?erased=1", member.tenant.slug);
            Ok(Redirect::to(&list).into_response())
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}
