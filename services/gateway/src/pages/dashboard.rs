//! The workspace's home: its dashboard (`/t/{slug}/`), read whole from core-records
//! (`maillage_domain::dashboard`) and told in words, each figure a link to the list
//! behind it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::dashboard::{About, Dashboard, SOON_DAYS};

use super::{Layout, page, record_path, tenant_zone};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "tenant_home.html")]
struct DashboardPage {
    layout: Layout,
    soon_days: i32,
    reports: Vec<ReportLine>,
    late: u64,
    late_mine: u64,
    due_soon: u64,
    due_soon_mine: u64,
    projects: Vec<ProjectLine>,
    running_projects: u64,
    planned_projects: u64,
    my_running_projects: u64,
    partnerships_by_status: Vec<Figure>,
    ending_soon: Vec<Line>,
    evaluation_due: Vec<Line>,
    partners: i64,
    partners_by_kind: Vec<Figure>,
    new_partners: i64,
    dormant: i64,
    dormant_partners: Vec<Line>,
    recent_activity: Vec<Line>,
    my_tasks: Vec<Line>,
}

/// A count, what it counts, and the list behind it.
struct Figure {
    count: i64,
    label: String,
    href: String,
}

/// One row of a short list: what, where it leads, and what to know about it.
struct Line {
    title: String,
    href: String,
    said: String,
    warn: bool,
}

struct ReportLine {
    line: Line,
    funder_name: Option<String>,
    mine: bool,
}

struct ProjectLine {
    name: String,
    href: String,
    status: String,
    milestones_done: i64,
    milestones: i64,
    budget: Option<String>,
    /// Spent over planned, as a percentage (for the bar), when there is a budget.
    budget_used: Option<i64>,
    over_budget: bool,
    mine: bool,
}

pub async fn show(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    let dashboard: Dashboard = state.core.get(&member, "/v1/dashboard").await?;
    page(&DashboardPage::of(dashboard, &member))
}

impl DashboardPage {
    fn of(d: Dashboard, member: &Member) -> Self {
        let slug = &member.tenant.slug;
        let zone = tenant_zone(member);
        let record = |about: &About| record_path(slug, &about.kind, about.id);
        let layout = Layout::of(member, "home");
        let lang = layout.lang;
        let day = |at: DateTime<Utc>| lang.date(at.with_timezone(&zone).date_naive());
        let dated = |id: &str, date: NaiveDate| layout.t1(id, "date", lang.date(date));
        Self {
            soon_days: SOON_DAYS,
            late: d.reports.late,
            late_mine: d.reports.late_mine,
            due_soon: d.reports.due_soon,
            due_soon_mine: d.reports.due_soon_mine,
            reports: d
                .reports
                .items
                .into_iter()
                .map(|r| ReportLine {
                    line: Line {
                        href: format!("/t/{slug}/deadlines/{}", r.id),
                        said: if r.days_late > 0 {
                            layout.t1("home-late-by", "days", r.days_late)
                        } else {
                            layout.t1("home-due-on", "when", lang.date_time(r.due_at, zone))
                        },
                        warn: r.days_late > 0,
                        title: r.title,
                    },
                    funder_name: r.funder_name,
                    mine: r.mine,
                })
                .collect(),
            running_projects: d.projects.running,
            planned_projects: d.projects.planned,
            my_running_projects: d.projects.running_mine,
            projects: d
                .projects
                .items
                .into_iter()
                .map(|p| {
                    let planned = p.budget_planned_cents;
                    ProjectLine {
                        href: format!("/t/{slug}/projects/{}", p.id),
                        name: p.name,
                        status: layout.value_name("project-status", &p.status),
                        milestones_done: p.milestones_done,
                        milestones: p.milestones,
                        budget: (planned > 0).then(|| {
                            layout.t2(
                                "home-spent-of",
                                "spent",
                                lang.money(p.budget_actual_cents, "EUR"),
                                "planned",
                                lang.money(planned, "EUR"),
                            )
                        }),
                        budget_used: (planned > 0).then(|| {
                            (p.budget_actual_cents.saturating_mul(100) / planned).min(100)
                        }),
                        over_budget: p.budget_actual_cents > planned && planned > 0,
                        mine: p.mine,
                    }
                })
                .collect(),
            partnerships_by_status: d
                .partnerships
                .by_status
                .into_iter()
                .map(|c| Figure {
                    label: layout.value_name("partnership-status", &c.key),
                    href: format!("/t/{slug}/partnerships?status={}", c.key),
                    count: c.count,
                })
                .collect(),
            ending_soon: d
                .partnerships
                .ending_soon
                .into_iter()
                .map(|p| Line {
                    href: format!("/t/{slug}/partnerships/{}", p.id),
                    said: dated("home-ends-on", p.on),
                    warn: false,
                    title: p.title,
                })
                .collect(),
            evaluation_due: d
                .partnerships
                .evaluation_due
                .into_iter()
                .map(|p| Line {
                    href: format!("/t/{slug}/partnerships/{}", p.id),
                    said: if p.overdue {
                        dated("home-evaluation-overdue", p.on)
                    } else {
                        dated("home-evaluation-on", p.on)
                    },
                    warn: p.overdue,
                    title: p.title,
                })
                .collect(),
            partners: d.network.partners,
            partners_by_kind: d
                .network
                .partners_by_kind
                .into_iter()
                .map(|c| Figure {
                    label: layout.value_name("organisation-kind", &c.key),
                    href: format!("/t/{slug}/organisations?kind={}", c.key),
                    count: c.count,
                })
                .collect(),
            new_partners: d.network.new_this_year,
            dormant: d.network.dormant,
            dormant_partners: d
                .network
                .dormant_items
                .into_iter()
                .map(|p| Line {
                    href: format!("/t/{slug}/organisations/{}", p.id),
                    said: p.last_activity_at.map_or_else(
                        || layout.t("home-no-activity"),
                        |at| layout.t1("home-last-activity", "date", day(at)),
                    ),
                    warn: false,
                    title: p.name,
                })
                .collect(),
            recent_activity: d
                .recent_activity
                .into_iter()
                .map(|a| Line {
                    href: a.about.as_ref().map(&record).unwrap_or_default(),
                    said: format!(
                        "{} · {}{} · {}",
                        layout.value_name("activity-kind", &a.kind),
                        a.author_name,
                        a.about
                            .as_ref()
                            .map(|about| format!(" · {}", about.label))
                            .unwrap_or_default(),
                        day(a.occurred_at)
                    ),
                    warn: false,
                    title: a.subject,
                })
                .collect(),
            my_tasks: d
                .my_tasks
                .into_iter()
                .map(|t| Line {
                    href: t.about.as_ref().map(&record).unwrap_or_default(),
                    said: match t.due_at {
                        Some(due) if t.overdue => layout.t1("home-task-late", "date", day(due)),
                        Some(due) => layout.t1("home-task-on", "date", day(due)),
                        None => layout.t("home-task-undated"),
                    } + &t
                        .about
                        .as_ref()
                        .map(|about| format!(" · {}", about.label))
                        .unwrap_or_default(),
                    warn: t.overdue,
                    title: t.subject,
                })
                .collect(),
            layout,
        }
    }
}
