//! The workspace's retention rule (`/t/{slug}/settings/retention`): how many years a
//! person may stay without any sign of life, who that would erase today, and whether
//! the keeper erases them each day. Admins only.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maillage_domain::privacy::{RETENTION_YEARS, RetentionPreview, RetentionRule};
use maillage_i18n::Lang;
use maillage_problem::Query;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::{FormErrors, Layout, page_with_status, tenant_zone};
use crate::Error;
use crate::membership::{Admin, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/t/{slug}/settings/retention", get(show).post(save))
}

#[derive(Debug, Default, Deserialize)]
struct RetentionQuery {
    /// Years to try before saving them.
    years: Option<String>,
    saved: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RetentionForm {
    #[serde(default)]
    years: String,
    purge_scheduled: Option<String>,
}

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage {
    layout: Layout,
    rule: RetentionRule,
    /// The rule's moments written out: set, last purge.
    set_at: Option<String>,
    last_purge_at: Option<String>,
    /// What the form shows: the years tried or saved, the box.
    years: String,
    scheduled: bool,
    /// Who the years shown would erase today, each with the day of their last sign of
    /// life.
    preview: Option<(RetentionPreview, Vec<String>)>,
    saved: bool,
    errors: FormErrors,
}

async fn show(
    State(state): State<AppState>,
    Admin(member): Admin,
    Query(query): Query<RetentionQuery>,
) -> Result<Response, Error> {
    let rule: RetentionRule = state.core.get(&member, "/v1/retention").await?;
    let years = match query.years {
        Some(years) => years.trim().to_owned(),
        None => rule
            .inactive_years
            .map(|y| y.to_string())
            .unwrap_or_default(),
    };
    let scheduled = rule.purge_scheduled;
    render(
        &state,
        &member,
        rule,
        (years, scheduled),
        query.saved.is_some(),
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    Admin(member): Admin,
    Form(form): Form<RetentionForm>,
) -> Result<Response, Error> {
    let years = form.years.trim();
    let scheduled = form.purge_scheduled.is_some();
    let body = if years.is_empty() {
        json!({ "inactive_years": null })
    } else {
        match years.parse::<i32>() {
            Ok(years) => json!({ "inactive_years": years, "purge_scheduled": scheduled }),
            Err(_) => json!({ "inactive_years": -1 }),
        }
    };
    match state
        .core
        .send::<RetentionRule>(&member, Method::PUT, "/v1/retention", &body, None)
        .await?
    {
        Ok(_) => {
            let path = format!("/t/{}/settings/retention?saved=1", member.tenant.slug);
            Ok(Redirect::to(&path).into_response())
        }
        Err(problem) if problem.status == StatusCode::UNPROCESSABLE_ENTITY.as_u16() => {
            let rule: RetentionRule = state.core.get(&member, "/v1/retention").await?;
            let errors = FormErrors::field(
                "years",
                &years_expected(member.lang(), "retention-years-or-nothing"),
            );
            let mut page = page_of(&member, rule, (years.to_owned(), scheduled), false);
            page.errors = errors;
            page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// The page, with who the years shown would erase.
async fn render(
    state: &AppState,
    member: &Member,
    rule: RetentionRule,
    (years, scheduled): (String, bool),
    saved: bool,
) -> Result<Response, Error> {
    let mut page = page_of(member, rule, (years, scheduled), saved);
    match page.years.parse::<i32>() {
        Ok(years) if RETENTION_YEARS.contains(&years) => {
            let preview: RetentionPreview = state
                .core
                .get(
                    member,
                    &format!("/v1/retention/preview?inactive_years={years}"),
                )
                .await?;
            let zone = tenant_zone(member);
            let days = preview
                .people
                .iter()
                .map(|p| {
                    member
                        .lang()
                        .date(p.last_sign_of_life.with_timezone(&zone).date_naive())
                })
                .collect();
            page.preview = Some((preview, days));
        }
        _ if page.years.is_empty() => {}
        _ => {
            page.errors = FormErrors::field(
                "years",
                &years_expected(member.lang(), "retention-years-expected"),
            );
            return page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    }
    page_with_status(StatusCode::OK, &page)
}

/// The years a rule may keep people, said by the message `id`.
fn years_expected(lang: Lang, id: &str) -> String {
    lang.t_with(
        id,
        &[
            ("min", (*RETENTION_YEARS.start()).into()),
            ("max", (*RETENTION_YEARS.end()).into()),
        ],
    )
}

fn page_of(
    member: &Member,
    rule: RetentionRule,
    (years, scheduled): (String, bool),
    saved: bool,
) -> RetentionPage {
    let zone = tenant_zone(member);
    RetentionPage {
        layout: Layout::of(member, "retention"),
        set_at: rule.set_at.map(|at| member.lang().date_time(at, zone)),
        last_purge_at: rule
            .last_purge_at
            .map(|at| member.lang().date_time(at, zone)),
        rule,
        years,
        scheduled,
        preview: None,
        saved,
        errors: FormErrors::default(),
    }
}
