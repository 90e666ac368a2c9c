//! The agenda as a month: its weeks, Monday first, each day with what falls on it (in
//! the workspace's time zone), done or still to do; every entry links to its record.
//! `?month=2026-12` (this month by default), `&mine=1` for what I answer for.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, Days, Locale, Months, NaiveDate, Utc};
use maillage_problem::{FieldError, Problem, Query};
use serde::Deserialize;

use super::{Item, kind_label};
use crate::Error;
use crate::membership::Member;
use crate::pages::record_parts::Listing;
use crate::pages::{Layout, page, tenant_zone};
use crate::state::AppState;

#[derive(Deserialize)]
pub(super) struct MonthQuery {
    /// "2026-12".
    month: Option<String>,
    /// "1": only what I answer for.
    mine: Option<String>,
}

/// One thing dated on a day.
pub struct Entry {
    pub kind: &'static str,
    pub title: String,
    /// "14:00", unless dated by the day alone.
    pub time: Option<String>,
    pub href: Option<String>,
    pub late: bool,
    pub done: bool,
}

pub struct Day {
    pub number: u32,
    /// "lundi 7 décembre": what the day's cell is called for screen readers.
    pub name: String,
    pub in_month: bool,
    pub today: bool,
    pub entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "agenda_month.html")]
struct MonthPage {
    layout: Layout,
    /// "décembre 2026".
    title: String,
    /// "2026-12".
    month: String,
    /// The months before and after, as `?month=` takes them.
    previous: String,
    next: String,
    weeks: Vec<Vec<Day>>,
    only_mine: bool,
}

impl MonthPage {
    /// `&mine=1` when only what I answer for is shown, for the links to other months.
    fn mine_query(&self) -> &'static str {
        if self.only_mine { "&mine=1" } else { "" }
    }
}

/// The month `typed` names ("2026-12"), or the one `today` is in; its first day.
fn first_day(typed: Option<&str>, today: NaiveDate) -> Result<NaiveDate, Error> {
    let Some(typed) = typed.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(today.with_day(1).unwrap_or(today));
    };
    NaiveDate::parse_from_str(&format!("{typed}-01"), "%Y-%m-%d")
        .ok()
        .filter(|day| (1900..=2200).contains(&day.year()))
        .ok_or_else(|| {
            Error::Refused(Problem::validation(vec![FieldError::new(
                "month",
                "refused-month",
            )]))
        })
}

/// The days of the weeks that hold the month starting on `first`, Monday first.
fn weeks_of(first: NaiveDate) -> Vec<Vec<NaiveDate>> {
    let start = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
    let next_month = first + Months::new(1);
    let mut weeks = Vec::new();
    let mut monday = start;
    while monday < next_month {
        weeks.push((0..7).map(|i| monday + Days::new(i)).collect());
        monday = monday + Days::new(7);
    }
    weeks
}

pub(super) async fn show(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<MonthQuery>,
) -> Result<Response, Error> {
    let zone = tenant_zone(&member);
    let today = Utc::now().with_timezone(&zone).date_naive();
    let first = first_day(query.month.as_deref(), today)?;
    let only_mine = query.mine.as_deref() == Some("1");
    let weeks = weeks_of(first);
    let (grid_start, grid_end) = (
        weeks
            .first()
            .and_then(|w| w.first())
            .copied()
            .unwrap_or(first),
        weeks
            .last()
            .and_then(|w| w.last())
            .copied()
            .unwrap_or(first),
    );
    // Core-records counts days in UTC: a day more on each side covers every zone.
    let agenda: Listing<Item> = state
        .core
        .get(
            &member,
            &format!(
                "/v1/agenda?mine={only_mine}&include_done=true&limit=500&from={}&to={}",
                grid_start - Days::new(1),
                grid_end + Days::new(2)
            ),
        )
        .await?;
    let mut items = agenda.items;
    items.sort_by_key(|item| item.due_at);
    let slug = &member.tenant.slug;
    let weeks = weeks
        .into_iter()
        .map(|week| {
            week.into_iter()
                .map(|date| Day {
                    number: date.day(),
                    name: date
                        .format_localized("%A %-d %B", Locale::fr_FR)
                        .to_string(),
                    in_month: date.month() == first.month(),
                    today: date == today,
                    entries: items
                        .iter()
                        .filter(|item| item.due_at.with_timezone(&zone).date_naive() == date)
                        .map(|item| Entry {
                            kind: kind_label(&item.subject),
                            title: item.title.clone(),
                            time: (!item.all_day).then(|| {
                                item.due_at.with_timezone(&zone).format("%H:%M").to_string()
                            }),
                            href: item
                                .record_path
                                .as_ref()
                                .map(|path| format!("/t/{slug}/{path}")),
                            late: item.late,
                            done: !item.open,
                        })
                        .collect(),
                })
                .collect()
        })
        .collect();
    page(&MonthPage {
        layout: Layout::of(&member, "agenda"),
        title: member.lang().month(first),
        month: first.format("%Y-%m").to_string(),
        previous: (first - Months::new(1)).format("%Y-%m").to_string(),
        next: (first + Months::new(1)).format("%Y-%m").to_string(),
        weeks,
        only_mine,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_month_is_its_weeks_monday_first() {
        // December 2026 begins on a Tuesday and ends on a Thursday.
        let weeks = weeks_of(day("2026-12-01"));
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0], day("2026-11-30"));
        assert_eq!(weeks[4][6], day("2027-01-03"));
        assert!(weeks.iter().all(|week| week.len() == 7));
        // February 2027 begins on a Monday: four weeks exactly.
        let weeks = weeks_of(day("2027-02-01"));
        assert_eq!((weeks.len(), weeks[0][0]), (4, day("2027-02-01")));
    }

    #[test]
    fn the_month_asked_is_read_or_refused() {
        let today = day("2026-12-03");
        assert_eq!(first_day(None, today).ok(), Some(day("2026-12-01")));
        assert_eq!(
            first_day(Some(" 2027-02 "), today).ok(),
            Some(day("2027-02-01"))
        );
        for refused in ["2027-13", "décembre", "99999-01", "2026-12-05"] {
            assert!(first_day(Some(refused), today).is_err(), "{refused}");
        }
    }
}
