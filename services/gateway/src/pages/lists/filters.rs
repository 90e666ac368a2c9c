//! What a list is filtered by: the values a page offers, checked against its address,
//! turned into core-records' parameters, the page's own links and words.

use chrono::{Datelike, NaiveDate, NaiveTime, SecondsFormat};
use maillage_domain::local_instant;
use maillage_i18n::Lang;
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;
use crate::pages::tenant_zone;
use crate::state::AppState;

/// The values a closed filter may take, with their French names, and the catalogue's
/// list that names them in any language (`{list}-{value}`).
pub struct Choices {
    pub list: &'static str,
    pub values: &'static [(&'static str, &'static str)],
}

/// The filters a list page offers.
pub struct Filters {
    pub status: Option<Choices>,
    pub kind: Option<Choices>,
    /// The API's parameter naming the member a record falls to (its owner, those
    /// responsible), when the list is filtered by one.
    pub owner: Option<&'static str>,
    /// The API's parameter that keeps the records due within a number of days.
    pub within: Option<&'static str>,
    /// By one of the workspace's tags.
    pub tag: bool,
    /// By territory, as typed (any case).
    pub territory: bool,
    /// The records changed on or after a day.
    pub since: bool,
}

impl Filters {
    pub const NONE: Self = Self {
        status: None,
        kind: None,
        owner: None,
        within: None,
        tag: false,
        territory: false,
        since: false,
    };
}

/// The longest "due within" a list page offers, in days.
const WITHIN_DAYS: std::ops::RangeInclusive<u16> = 1..=366;

/// The years a "changed since" day may fall in: none changed before Maillage, and a
/// year typed with five digits is a slip.
const SINCE_YEARS: std::ops::RangeInclusive<i32> = 2000..=9999;

/// The longest tag or territory a filter takes (as the API does).
const TEXT_FILTER_LENGTH: usize = 300;

/// The filters of a list page's address (`?status=late&mine=1&tag=Jeunesse`), as the
/// page's filter bar, the dashboard's figures and saved views link to them.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// Any value: the records that fall to the reader.
    pub mine: Option<String>,
    /// A member's id: the records that fall to them.
    pub owner: Option<String>,
    /// Due within this many days.
    pub within: Option<String>,
    pub tag: Option<String>,
    pub territory: Option<String>,
    /// A day (YYYY-MM-DD): the records changed on or after it, in the workspace's time.
    pub since: Option<String>,
}

/// Filters checked against what the page offers.
#[derive(Debug, Default)]
pub struct Filtered {
    /// The API's parameters (`&status=late&responsible_user_id=…`).
    pub api: String,
    /// The page's own, to keep in its other links (`&status=late&mine=1`).
    pub link: String,
    /// What the list is filtered by, in words; none when it is not.
    pub said: Option<String>,
    /// The values kept, by filter name, for the filter bar to show as chosen.
    pub chosen: Vec<(&'static str, String)>,
}

impl Filtered {
    /// The value chosen for the filter `name`, or "".
    pub fn value(&self, name: &str) -> &str {
        self.chosen
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn keep(&mut self, name: &'static str, api: (&str, &str), value: &str) {
        for (key, value, into) in [(api.0, api.1, &mut self.api), (name, value, &mut self.link)] {
            into.push('&');
            into.push_str(
                &url::form_urlencoded::Serializer::new(String::new())
                    .append_pair(key, value)
                    .finish(),
            );
        }
        self.chosen.push((name, value.to_owned()));
    }
}

impl FilterQuery {
    /// The filters, or the refusal of a value the page does not offer (a link typed by
    /// hand, an old bookmark, a colleague who left).
    pub async fn check(
        &self,
        filters: &Filters,
        state: &AppState,
        member: &Member,
    ) -> Result<Filtered, Error> {
        let lang = member.lang();
        let mut filtered = Filtered::default();
        let mut said = Vec::new();
        for (name, value, choices) in [
            ("status", &self.status, &filters.status),
            ("kind", &self.kind, &filters.kind),
        ] {
            let Some(value) = given(value) else { continue };
            let choices = choices.as_ref().ok_or_else(|| unknown_filter(name))?;
            let (value, _) = choices
                .values
                .iter()
                .find(|(v, _)| *v == value)
                .ok_or_else(|| unknown_filter(name))?;
            filtered.keep(name, (name, value), value);
            said.push(lang.t(&format!("{}-{value}", choices.list)));
        }
        // "me" is the filter bar's way of saying "mine".
        if given(&self.mine).is_some() || self.owner.as_deref() == Some("me") {
            let parameter = filters.owner.ok_or_else(|| unknown_filter("mine"))?;
            filtered.keep("mine", (parameter, &member.user.id.to_string()), "1");
            said.push(lang.t("list-filter-mine"));
        } else if let Some(owner) = given(&self.owner) {
            let parameter = filters.owner.ok_or_else(|| unknown_filter("owner"))?;
            let id = owner.parse::<Uuid>().map_err(|_| unknown_filter("owner"))?;
            let names = crate::members::names(state, member.tenant.id).await?;
            let (_, name) = names
                .iter()
                .find(|(member_id, _)| *member_id == id)
                .ok_or_else(|| unknown_filter("owner"))?;
            filtered.keep("owner", (parameter, &id.to_string()), &id.to_string());
            said.push(lang.t_with("list-filter-owner", &[("name", name.as_str().into())]));
        }
        if let Some(within) = given(&self.within) {
            let parameter = filters.within.ok_or_else(|| unknown_filter("within"))?;
            let days = within
                .parse::<u16>()
                .ok()
                .filter(|days| WITHIN_DAYS.contains(days))
                .ok_or_else(|| unknown_filter("within"))?;
            filtered.keep("within", (parameter, &days.to_string()), &days.to_string());
            said.push(lang.t_with("list-filter-within", &[("days", days.into())]));
        }
        for (name, value, offered, message) in [
            ("tag", &self.tag, filters.tag, "list-filter-tag"),
            (
                "territory",
                &self.territory,
                filters.territory,
                "list-filter-territory",
            ),
        ] {
            let Some(value) = given(value).map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            if !offered || value.chars().count() > TEXT_FILTER_LENGTH {
                return Err(unknown_filter(name));
            }
            filtered.keep(name, (name, value), value);
            said.push(lang.t_with(message, &[("value", value.into())]));
        }
        if let Some(since) = given(&self.since) {
            if !filters.since {
                return Err(unknown_filter("since"));
            }
            let day = NaiveDate::parse_from_str(since, "%Y-%m-%d")
                .ok()
                .filter(|day| SINCE_YEARS.contains(&day.year()))
                .ok_or_else(|| unknown_filter("since"))?;
            // The day begins at midnight where the workspace is, not in UTC.
            let from = local_instant(tenant_zone(member), day.and_time(NaiveTime::MIN));
            filtered.keep(
                "since",
                (
                    "changed_since",
                    &from.to_rfc3339_opts(SecondsFormat::Secs, true),
                ),
                &day.to_string(),
            );
            said.push(lang.t1("list-filter-since", "date", lang.date(day)));
        }
        filtered.said = (!said.is_empty()).then(|| said.join(" · "));
        Ok(filtered)
    }
}

/// A filter's value, when one was given (an empty one is none: a filter bar's "all").
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

fn unknown_filter(name: &str) -> Error {
    Error::Refused(
        maillage_problem::Problem::new(
            axum::http::StatusCode::BAD_REQUEST,
            "unknown-filter",
            "Cette liste ne se filtre pas ainsi.",
        )
        .with_detail(format!(
            "La valeur du filtre « {name} » n'existe pas ; la liste entière est à l'adresse sans filtre."
        )),
    )
}

/// The names of a filter's choices in `lang`, the chosen one marked, "all" first.
pub fn choices_in(lang: Lang, choices: &Choices, chosen: &str) -> Vec<super::super::Choice> {
    std::iter::once((String::new(), lang.t("list-filter-all")))
        .chain(choices.values.iter().map(|(value, _)| {
            (
                (*value).to_owned(),
                lang.t(&format!("{}-{value}", choices.list)),
            )
        }))
        .map(|(value, label)| super::super::Choice {
            selected: value == chosen,
            value,
            label,
        })
        .collect()
}
