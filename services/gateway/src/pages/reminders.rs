//! Reminder settings: how I am reminded (every member), and the tenant's policy (shown
//! to all, changed by admins).

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maillage_i18n::Lang;
use maillage_problem::Query;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// How a member may be told of their deadlines, named in the catalogues
/// (`reminders-mode-…`).
const MODES: [&str; 4] = ["each", "daily", "weekly", "off"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/settings/reminders", get(show))
        .route("/t/{slug}/settings/reminders/mine", post(change_mine))
        .route("/t/{slug}/settings/reminders/policy", post(change_policy))
        .route(
            "/t/{slug}/settings/reminders/calendar",
            post(change_calendar),
        )
}

#[derive(Debug, Deserialize)]
struct CalendarFeed {
    path: String,
}

/// As core-records returns them.
#[derive(Debug, Deserialize)]
struct Preferences {
    mode: String,
    version: i64,
}

#[derive(Debug, Deserialize)]
struct Policy {
    days_before: Vec<i64>,
    on_due_day: bool,
    overdue_every_days: i64,
    escalate_after_days: Option<i64>,
    send_at: String,
    quiet_hours_start: String,
    quiet_hours_end: String,
    version: i64,
}

/// The policy form, as typed: "30, 7, 1", "14" or "" (never), "08:00".
#[derive(Debug, Deserialize)]
struct PolicyForm {
    #[serde(default)]
    days_before: String,
    #[serde(default)]
    on_due_day: Option<String>,
    #[serde(default)]
    overdue_every_days: String,
    #[serde(default)]
    escalate_after_days: String,
    #[serde(default)]
    send_at: String,
    #[serde(default)]
    quiet_hours_start: String,
    #[serde(default)]
    quiet_hours_end: String,
    version: i64,
}

impl PolicyForm {
    fn of(policy: &Policy) -> Self {
        let days: Vec<String> = policy.days_before.iter().map(i64::to_string).collect();
        Self {
            days_before: days.join(", "),
            on_due_day: policy.on_due_day.then(|| "on".into()),
            overdue_every_days: policy.overdue_every_days.to_string(),
            escalate_after_days: policy
                .escalate_after_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            send_at: hour_minute(&policy.send_at),
            quiet_hours_start: hour_minute(&policy.quiet_hours_start),
            quiet_hours_end: hour_minute(&policy.quiet_hours_end),
            version: policy.version,
        }
    }

    /// The API body, or the fields that cannot be read.
    fn body(&self, lang: Lang) -> Result<Value, FormErrors> {
        let days: Result<Vec<i64>, _> = self
            .days_before
            .split([',', ';', ' '])
            .filter(|d| !d.is_empty())
            .map(str::parse)
            .collect();
        let days = days.map_err(|_| {
            FormErrors::field("days_before", &lang.t("reminders-days-before-refused"))
        })?;
        let every: i64 = self.overdue_every_days.trim().parse().map_err(|_| {
            FormErrors::field(
                "overdue_every_days",
                &lang.t("reminders-overdue-every-refused"),
            )
        })?;
        let escalate = match self.escalate_after_days.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                FormErrors::field("escalate_after_days", &lang.t("reminders-escalate-refused"))
            })?),
        };
        let time = |field: &str, raw: &str| {
            chrono::NaiveTime::parse_from_str(raw.trim(), "%H:%M")
                .map(|t| t.format("%H:%M:%S").to_string())
                .map_err(|_| FormErrors::field(field, &lang.t("reminders-time-refused")))
        };
        Ok(json!({
            "days_before": days,
            "on_due_day": self.on_due_day.is_some(),
            "overdue_every_days": every,
            "escalate_after_days": escalate,
            "send_at": time("send_at", &self.send_at)?,
            "quiet_hours_start": time("quiet_hours_start", &self.quiet_hours_start)?,
            "quiet_hours_end": time("quiet_hours_end", &self.quiet_hours_end)?,
        }))
    }
}

/// "08:00:00" → "08:00".
fn hour_minute(time: &str) -> String {
    time.get(..5).unwrap_or(time).to_owned()
}

#[derive(Template)]
#[template(path = "reminder_settings.html")]
struct SettingsPage {
    layout: Layout,
    modes: Vec<Choice>,
    preferences_version: i64,
    policy: PolicyForm,
    /// The full URL of my calendar feed, if I made one.
    calendar_url: Option<String>,
    can_manage: bool,
    saved: bool,
    errors: FormErrors,
}

#[derive(Deserialize)]
struct ShowQuery {
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    member: &Member,
    policy: Option<PolicyForm>,
    saved: bool,
    errors: FormErrors,
) -> Result<Response, Error> {
    let preferences: Preferences = state
        .core
        .get(member, "/v1/notification-preferences")
        .await?;
    let policy = match policy {
        Some(form) => form,
        None => PolicyForm::of(&state.core.get(member, "/v1/reminder-policy").await?),
    };
    let calendar_url = match state
        .core
        .get::<CalendarFeed>(member, "/v1/calendar-feed")
        .await
    {
        Ok(feed) => Some(format!("{}{}", state.public_base_url, feed.path)),
        Err(Error::NotFound) => None,
        Err(other) => return Err(other),
    };
    // A refused change is shown again with its errors.
    let status = if errors.summary.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page_with_status(
        status,
        &SettingsPage {
            layout: Layout::of(member, "reminders"),
            modes: Choice::named(
                member.lang(),
                None,
                "reminders-mode",
                MODES,
                &preferences.mode,
            ),
            preferences_version: preferences.version,
            policy,
            calendar_url,
            can_manage: member.role >= maillage_domain::Role::Admin,
            saved,
            errors,
        },
    )
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<ShowQuery>,
) -> Result<Response, Error> {
    render(
        &state,
        &member,
        None,
        query.saved.is_some(),
        FormErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
struct ModeForm {
    mode: String,
    version: i64,
}

fn saved(member: &Member) -> Response {
    Redirect::to(&format!(
        "/t/{}/settings/reminders?saved=1",
        member.tenant.slug
    ))
    .into_response()
}

async fn change_mine(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<ModeForm>,
) -> Result<Response, Error> {
    let body = json!({ "mode": form.mode });
    match state
        .core
        .send::<Value>(
            &member,
            Method::PATCH,
            "/v1/notification-preferences",
            &body,
            Some(form.version),
        )
        .await?
    {
        Ok(_) => Ok(saved(&member)),
        Err(problem) => {
            render(
                &state,
                &member,
                None,
                false,
                FormErrors::from_problem(problem, &[]),
            )
            .await
        }
    }
}

async fn change_policy(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<PolicyForm>,
) -> Result<Response, Error> {
    let body = match form.body(member.lang()) {
        Ok(body) => body,
        Err(errors) => return render(&state, &member, Some(form), false, errors).await,
    };
    match state
        .core
        .send::<Value>(
            &member,
            Method::PATCH,
            "/v1/reminder-policy",
            &body,
            Some(form.version),
        )
        .await?
    {
        Ok(_) => Ok(saved(&member)),
        Err(problem) => {
            let errors = FormErrors::from_problem(problem, &[]);
            render(&state, &member, Some(form), false, errors).await
        }
    }
}

#[derive(Deserialize)]
struct CalendarForm {
    /// `renew` (create, or replace the address) or `revoke`.
    action: String,
}

async fn change_calendar(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<CalendarForm>,
) -> Result<Response, Error> {
    let method = if form.action == "revoke" {
        Method::DELETE
    } else {
        Method::POST
    };
    let response = state
        .core
        .request(&member, method, "/v1/calendar-feed")?
        .send()
        .await?;
    response.error_for_status()?;
    Ok(saved(&member))
}

#[cfg(test)]
mod modes {
    use maillage_i18n::Lang;

    #[test]
    fn every_way_of_being_told_is_named_in_both_languages() {
        for mode in super::MODES {
            for lang in Lang::ALL {
                assert!(
                    lang.has(&format!("reminders-mode-{mode}")),
                    "{mode} ({lang})"
                );
            }
        }
    }
}
