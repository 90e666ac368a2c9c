//! The web pages: server-rendered, in French, usable without JavaScript.

mod account;
mod activities;
mod affiliations;
mod agenda;
mod bin;
mod console;
mod console_import;
mod custom_fields;
mod dashboard;
mod deadlines;
mod editing;
mod engagements;
mod evaluations;
mod exports;
mod form_errors;
mod home;
mod import_templates;
mod imports;
mod lists;
mod members;
mod merge;
#[cfg(test)]
mod messages_used;
mod network;
mod organisations;
mod own_workspace;
mod partnerships;
mod people;
mod privacy;
mod project_partners;
mod project_plan;
mod projects;
mod record_parts;
mod register;
mod reminders;
mod retention;
mod search;
mod settings;
mod sign_in;
mod tags;
mod targets;

pub use form_errors::FormErrors;
pub(crate) use members::role_name;

use std::borrow::Borrow;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use maillage_i18n::{FluentValue, Lang};

use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(stylesheet))
        .route(
            "/static/layout.js",
            get(|| script(include_str!("../../static/layout.js"))),
        )
        .route(
            "/static/network.js",
            get(|| script(include_str!("../../static/network.js"))),
        )
        .route(
            "/static/vendor/cytoscape.min.js",
            get(|| script(include_str!("../../static/vendor/cytoscape.min.js"))),
        )
        .route(
            "/static/vendor/cytoscape-fcose.js",
            get(|| script(include_str!("../../static/vendor/cytoscape-fcose.js"))),
        )
        .route(
            "/static/vendor/cose-base.js",
            get(|| script(include_str!("../../static/vendor/cose-base.js"))),
        )
        .route(
            "/static/vendor/layout-base.js",
            get(|| script(include_str!("../../static/vendor/layout-base.js"))),
        )
        .route(
            "/static/target.js",
            get(|| script(include_str!("../../static/target.js"))),
        )
        .route("/t/{slug}/network", get(network::show))
        .merge(account::router())
        .merge(home::router())
        .merge(console::router())
        .merge(console_import::router())
        .merge(own_workspace::router())
        .merge(people::router())
        .merge(lists::router())
        .merge(privacy::router())
        .merge(organisations::router())
        .merge(merge::router())
        .merge(members::router())
        .merge(projects::router())
        .merge(project_plan::router())
        .merge(project_partners::router())
        .merge(partnerships::router())
        .merge(activities::router())
        .merge(affiliations::router())
        .merge(custom_fields::router())
        .merge(deadlines::router())
        .merge(engagements::router())
        .merge(evaluations::router())
        .merge(agenda::router())
        .merge(bin::router())
        .merge(register::router())
        .merge(reminders::router())
        .merge(retention::router())
        .merge(search::router())
        .merge(sign_in::router())
        .merge(settings::router())
        .merge(tags::router())
        .merge(targets::router())
        .merge(imports::router())
        .merge(import_templates::router())
        .merge(exports::router())
}

/// The lists' exports through the API, served beside the API's other routes.
pub fn export_api_router() -> maillage_runtime::api::ApiRouter<AppState> {
    exports::api_router()
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// A script of the repository's (never a CDN's).
async fn script(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// Renders a page, or the error page if the template fails.
pub(crate) fn page(template: &impl Template) -> Result<Response, Error> {
    page_with_status(StatusCode::OK, template)
}

/// Renders a page answered with `status`: a refused form is 422, a stale one 409.
pub(crate) fn page_with_status(
    status: StatusCode,
    template: &impl Template,
) -> Result<Response, Error> {
    Ok((status, Html(template.render()?)).into_response())
}

/// What the layout shows around every tenant page.
pub struct Layout {
    pub tenant_name: String,
    pub tenant_slug: String,
    pub user_name: String,
    pub can_edit: bool,
    /// Which navigation entry is current.
    pub section: &'static str,
    /// What the header's search field holds: the search being shown, if any.
    pub query: String,
    /// The user's other workspaces (slug, name), to switch to.
    pub other_workspaces: Vec<(String, String)>,
    /// Where the workspace's logo is, if it has one.
    pub logo_url: Option<String>,
    /// The language the page speaks.
    pub lang: Lang,
    /// The workspace's time zone, that days are read in.
    pub zone: Tz,
}

impl Layout {
    pub fn of(member: &Member, section: &'static str) -> Self {
        Self {
            tenant_name: member.tenant.name.clone(),
            tenant_slug: member.tenant.slug.clone(),
            user_name: member.user.display_name.clone(),
            can_edit: member.role.can_edit_records(),
            section,
            query: String::new(),
            other_workspaces: member.other_workspaces.clone(),
            logo_url: member
                .tenant
                .logo_changed_at
                .map(|changed_at| crate::workspace_logo::address(&member.tenant.slug, changed_at)),
            lang: member.lang(),
            zone: tenant_zone(member),
        }
    }

    /// The day of `at` in the workspace's zone, the language's way: "27/11/2026".
    pub fn day(&self, at: impl Borrow<DateTime<Utc>>) -> String {
        self.lang
            .date(at.borrow().with_timezone(&self.zone).date_naive())
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    /// The name of `value` in the closed list `list` ("organisation-kind", "project-status"),
    /// in the page's language; the value itself when the catalogue has no name for it.
    pub fn value_name(&self, list: &str, value: &str) -> String {
        let id = format!("{list}-{value}");
        if self.lang.has(&id) {
            self.lang.t(&id)
        } else {
            value.to_owned()
        }
    }

    /// The country of `code` by its name in the page's language; a code the list does
    /// not know, as it is.
    pub fn country(&self, code: &str) -> String {
        maillage_domain::countries::by_code(code).map_or_else(
            || code.to_owned(),
            |c| record_parts::country_name(&c, self.lang).to_owned(),
        )
    }

    /// An amount in euros, the language's way: "1 500,00 €", "€1,500.00".
    /// (Templates hand values by reference, Rust by value: both are taken.)
    pub fn money(&self, cents: impl Borrow<i64>) -> String {
        self.lang.money(*cents.borrow(), "EUR")
    }

    /// "du 01/09/2025 au 30/06/2026", "since 01/09/2025"…; empty without dates.
    pub fn period(
        &self,
        starts_on: impl Borrow<Option<NaiveDate>>,
        ends_on: impl Borrow<Option<NaiveDate>>,
    ) -> String {
        period_in(self.lang, *starts_on.borrow(), *ends_on.borrow())
    }

    /// The message `id` with one argument: `layout.t1("home-partners", "count", partners)`.
    pub fn t1<'a>(&self, id: &str, name: &str, value: impl Into<FluentValue<'a>>) -> String {
        self.lang.t1(id, name, value)
    }

    /// The message `id` with two arguments.
    pub fn t2<'a, 'b>(
        &self,
        id: &str,
        first: &str,
        first_value: impl Into<FluentValue<'a>>,
        second: &str,
        second_value: impl Into<FluentValue<'b>>,
    ) -> String {
        self.lang.t2(id, first, first_value, second, second_value)
    }
}

/// The page of a record of `kind` (person, organisation, partnership or project), as
/// the dashboard and the network name records.
pub fn record_path(slug: &str, kind: &str, id: uuid::Uuid) -> String {
    let collection = match kind {
        "person" => "people",
        "organisation" => "organisations",
        "partnership" => "partnerships",
        _ => "projects",
    };
    format!("/t/{slug}/{collection}/{id}")
}

/// "du 01/09/2025 au 30/06/2026", "since 01/09/2025"…, in `lang`; empty without dates.
pub fn period_in(lang: Lang, starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) -> String {
    let date = |d: NaiveDate| FluentValue::from(lang.date(d));
    match (starts_on, ends_on) {
        (Some(start), Some(end)) => lang.t_with(
            "period-between",
            &[("start", date(start)), ("end", date(end))],
        ),
        (Some(start), None) => lang.t_with("period-from", &[("start", date(start))]),
        (None, Some(end)) => lang.t_with("period-until", &[("end", date(end))]),
        (None, None) => String::new(),
    }
}

/// "30/06/2026".
pub fn short_date(date: NaiveDate) -> String {
    Lang::Fr.date(date)
}

/// The instant a date and a time typed in a form name, read in the tenant's time zone;
/// a refusal names `date_field` or `time_field`.
pub fn typed_instant(
    member: &Member,
    (date, date_field): (&str, &str),
    (time, time_field): (&str, &str),
) -> Result<DateTime<Utc>, FormErrors> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| FormErrors::field(date_field, "refused-date"))?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .map_err(|_| FormErrors::field(time_field, "refused-time"))?;
    tenant_zone(member)
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| {
            FormErrors::field(
                time_field,
                "cette heure n'existe pas ce jour-là (changement d'heure)",
            )
        })
}

/// Cents from an amount in euros as people type it: "45 000", "1 500,50", "12.5";
/// `Ok(None)` when blank, `Err(())` when it is not an amount.
pub fn typed_cents(typed: &str) -> Result<Option<i64>, ()> {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let (units, fraction) = compact.split_once('.').unwrap_or((&compact, ""));
    let digits = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
    if !digits(units) || !(fraction.is_empty() || (digits(fraction) && fraction.len() <= 2)) {
        return Err(());
    }
    let units: i64 = units.parse().map_err(|_| ())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| ())?;
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .map(Some)
        .ok_or(())
}

/// Minutes from a duration as people type it: "3", "2,5" or "1.75" hours, "2h30",
/// "2 h 30", "45 min"; `Ok(None)` when blank, `Err(())` when it is not a duration.
pub fn typed_minutes(typed: &str) -> Result<Option<i32>, ()> {
    let compact: String = typed
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let number = |part: &str| -> Result<f64, ()> {
        let part = part.replace(',', ".");
        let valid = !part.is_empty()
            && part.chars().all(|c| c.is_ascii_digit() || c == '.')
            && part.matches('.').count() <= 1;
        if valid {
            part.parse().map_err(|_| ())
        } else {
            Err(())
        }
    };
    let minutes = if let Some(minutes) = compact.strip_suffix("min") {
        number(minutes)?
    } else if let Some((hours, minutes)) = compact.split_once('h') {
        let minutes = if minutes.is_empty() {
            0.0
        } else {
            number(minutes)?
        };
        if minutes >= 60.0 {
            return Err(());
        }
        number(hours)? * 60.0 + minutes
    } else {
        number(&compact)? * 60.0
    };
    let minutes = minutes.round();
    if (1.0..=f64::from(i32::MAX)).contains(&minutes) {
        // In range and whole: the conversion cannot truncate.
        Ok(Some(minutes as i32))
    } else {
        Err(())
    }
}

/// "2 h 30": minutes as pages show them, and as the duration field reads them back.
pub fn duration(minutes: i64) -> String {
    format!("{} h {:02}", minutes / 60, minutes % 60)
}

/// Cents as a form shows them back: "45000,00".
pub fn cents_typed(cents: i64) -> String {
    format!("{},{:02}", cents / 100, (cents % 100).abs())
}

/// The record page a form came from, where its answer leads back: only a page of this
/// workspace, never a redirect to somewhere else.
pub fn back_in_workspace(member: &Member, back: Option<&str>) -> String {
    let workspace = format!("/t/{}/", member.tenant.slug);
    match back {
        Some(back) if back.starts_with(&workspace) && !back.contains("//") => back.to_owned(),
        _ => workspace,
    }
}

pub fn tenant_zone(member: &Member) -> Tz {
    member
        .tenant
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris)
}

/// The French name of `value` in a table of (value, name) pairs, the order forms offer
/// them in; `otherwise` for a value the table lacks.
pub fn label_in(
    table: &[(&str, &'static str)],
    value: &str,
    otherwise: &'static str,
) -> &'static str {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(otherwise, |(_, label)| *label)
}

/// What a page outside any workspace (the platform's console, a public page) says its
/// words with: the `layout` of its template.
pub struct ConsoleWords {
    pub lang: Lang,
}

impl ConsoleWords {
    /// In the language `user` chose; French, the platform's own, otherwise.
    pub fn of(user: &crate::session::CurrentUser) -> Self {
        Self {
            lang: user
                .locale
                .as_deref()
                .and_then(Lang::from_tag)
                .unwrap_or_default(),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }
}

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// The values of a closed list named in `lang` (the catalogue's `{prefix}-{value}`),
    /// after `first` (a blank choice's words, if any), `current` selected.
    pub fn named(
        lang: Lang,
        first: Option<&str>,
        prefix: &str,
        values: impl IntoIterator<Item = &'static str>,
        current: &str,
    ) -> Vec<Self> {
        first
            .map(|words| (String::new(), lang.t(words)))
            .into_iter()
            .chain(
                values
                    .into_iter()
                    .map(|value| (value.to_owned(), lang.t(&format!("{prefix}-{value}")))),
            )
            .map(|(value, label)| Self {
                selected: value == current,
                value,
                label,
            })
            .collect()
    }

    pub fn list<'a>(
        options: impl IntoIterator<Item = (&'a str, &'a str)>,
        current: &str,
    ) -> Vec<Self> {
        options
            .into_iter()
            .map(|(value, label)| Self {
                value: value.to_owned(),
                label: label.to_owned(),
                selected: value == current,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{cents_typed, duration, typed_cents, typed_minutes};

    #[test]
    fn durations_are_read_as_people_type_them() {
        assert_eq!(typed_minutes("3"), Ok(Some(180)));
        assert_eq!(typed_minutes("2,5"), Ok(Some(150)));
        assert_eq!(typed_minutes("2 h 30"), Ok(Some(150)));
        assert_eq!(typed_minutes("2H"), Ok(Some(120)));
        assert_eq!(typed_minutes("45 min"), Ok(Some(45)));
        assert_eq!(typed_minutes(""), Ok(None));
        for wrong in ["deux heures", "2h75", "0", "-1", "1.2.3", "h30"] {
            assert_eq!(typed_minutes(wrong), Err(()), "{wrong}");
        }
        assert_eq!(typed_minutes(&duration(150)), Ok(Some(150)));
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(typed_cents("45 000"), Ok(Some(4_500_000)));
        assert_eq!(typed_cents("1\u{202f}500,5 €"), Ok(Some(150_050)));
        assert_eq!(typed_cents("12.05"), Ok(Some(1_205)));
        assert_eq!(typed_cents("  "), Ok(None));
        for wrong in [
            "douze",
            "12,345",
            "-5",
            "1.2.3",
            ",5",
            "99999999999999999999",
        ] {
            assert_eq!(typed_cents(wrong), Err(()), "{wrong}");
        }
        assert_eq!(typed_cents(&cents_typed(4_500_050)), Ok(Some(4_500_050)));
    }
}
