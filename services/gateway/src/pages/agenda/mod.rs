//! The agenda: everything dated the workspace must not forget (reports, milestones,
//! tasks, partnership ends and evaluations), as a list (late first, then soonest first;
//! reminder emails about anything but a report link here, to the item's anchor) or as
//! a month (`month`).

mod month;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use maillage_problem::Query;
use serde::Deserialize;
use uuid::Uuid;

use super::record_parts::Listing;
use super::{Layout, page, tenant_zone};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/agenda", get(agenda))
        .route("/t/{slug}/agenda/month", get(month::show))
}

/// An agenda item as core-records returns it.
#[derive(Debug, Deserialize)]
struct Item {
    subject: String,
    id: Uuid,
    title: String,
    context: Option<String>,
    due_at: DateTime<Utc>,
    all_day: bool,
    /// Still to do.
    open: bool,
    late: bool,
    mine: bool,
    /// The page of the record it belongs to.
    record_path: Option<String>,
}

/// An agenda item as the page shows it.
struct Row {
    /// The anchor reminder emails link to: `milestone-<id>`…
    anchor: String,
    kind: &'static str,
    title: String,
    context: Option<String>,
    due: String,
    late: bool,
    mine: bool,
    /// The page of its record: the report, the milestone's project, the partnership,
    /// what a task is about.
    href: Option<String>,
}

/// The message naming what an entry of the agenda is: a report, a milestone…
fn kind_label(subject: &str) -> &'static str {
    match subject {
        "deadline" => "agenda-kind-deadline",
        "milestone" => "agenda-kind-milestone",
        "task" => "agenda-kind-task",
        "partnership-end" => "agenda-kind-partnership-end",
        "partnership-evaluation" => "agenda-kind-partnership-evaluation",
        _ => "agenda-kind-other",
    }
}

impl Row {
    fn of(item: Item, member: &Member) -> Self {
        let zone = tenant_zone(member);
        let lang = member.lang();
        let due = if item.all_day {
            lang.long_date(item.due_at.with_timezone(&zone).date_naive())
        } else {
            lang.date_time(item.due_at, zone)
        };
        let href = item
            .record_path
            .map(|path| format!("/t/{}/{path}", member.tenant.slug));
        Self {
            anchor: format!("{}-{}", item.subject, item.id),
            kind: kind_label(&item.subject),
            title: item.title,
            context: item.context,
            due,
            late: item.late,
            mine: item.mine,
            href,
        }
    }
}

#[derive(Deserialize)]
struct AgendaQuery {
    /// "1": only what I answer for.
    mine: Option<String>,
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    layout: Layout,
    rows: Vec<Row>,
    only_mine: bool,
}

async fn agenda(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<AgendaQuery>,
) -> Result<Response, Error> {
    let only_mine = query.mine.as_deref() == Some("1");
    let agenda: Listing<Item> = state
        .core
        .get(&member, &format!("/v1/agenda?mine={only_mine}&limit=500"))
        .await?;
    let items = agenda.items;
    // Late first (the oldest first), then what comes, soonest first.
    let (late, coming): (Vec<Item>, Vec<Item>) = items.into_iter().partition(|i| i.late);
    let rows = late
        .into_iter()
        .chain(coming)
        .map(|item| Row::of(item, &member))
        .collect();
    page(&AgendaPage {
        layout: Layout::of(&member, "agenda"),
        rows,
        only_mine,
    })
}

#[cfg(test)]
mod kind_names {
    use maillage_i18n::Lang;

    /// What each entry is, named in both languages (the ids are built here, not in a
    /// template the catalogue test reads).
    #[test]
    fn every_kind_of_entry_is_named_in_both_languages() {
        let subjects = [
            "deadline",
            "milestone",
            "task",
            "partnership-end",
            "partnership-evaluation",
            "something-new",
        ];
        for subject in subjects {
            for lang in Lang::ALL {
                assert!(lang.has(super::kind_label(subject)), "{subject} in {lang}");
            }
        }
    }
}
