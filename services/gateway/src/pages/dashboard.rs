//! The workspace's home: its dashboard (`/t/{slug}/`), read whole from core-records
//! (`maillage_domain::dashboard`) and told in words, each figure a link to the list
//! behind it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::dashboard::{About, Dashboard, SOON_DAYS};
use maillage_domain::kinds::{ActivityKind, OrganisationKind, PartnershipStatus};

use super::{Layout, label_in, local_datetime, money, page, record_path, short_date, tenant_zone};
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
    label: &'static str,
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
    status: &'static str,
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
        Self {
            layout: Layout::of(member, "home"),
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
                            format!("en retard de {}", days(i64::from(r.days_late)))
                        } else {
                            format!("à rendre le {}", local_datetime(r.due_at, zone))
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
                        status: label_in(
                            maillage_domain::kinds::ProjectStatus::CHOICES,
                            &p.status,
                            "En cours",
                        ),
                        milestones_done: p.milestones_done,
                        milestones: p.milestones,
                        budget: (planned > 0).then(|| {
                            format!(
                                "{} dépensés sur {}",
                                money(p.budget_actual_cents, "EUR"),
                                money(planned, "EUR")
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
                    label: label_in(PartnershipStatus::CHOICES, &c.key, "Clos"),
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
                    said: format!("se termine le {}", short_date(p.on)),
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
                        format!("évaluation attendue depuis le {}", short_date(p.on))
                    } else {
                        format!("évaluation le {}", short_date(p.on))
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
                    label: label_in(OrganisationKind::CHOICES, &c.key, "Autre"),
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
                        || "aucune activité enregistrée".to_owned(),
                        |at| format!("dernière activité le {}", local_day(at, member)),
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
                        label_in(ActivityKind::CHOICES, &a.kind, "Note"),
                        a.author_name,
                        a.about
                            .as_ref()
                            .map(|about| format!(" · {}", about.label))
                            .unwrap_or_default(),
                        local_day(a.occurred_at, member)
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
                        Some(due) if t.overdue => {
                            format!("en retard : à faire le {}", local_day(due, member))
                        }
                        Some(due) => format!("à faire le {}", local_day(due, member)),
                        None => "sans date".to_owned(),
                    } + &t
                        .about
                        .as_ref()
                        .map(|about| format!(" · {}", about.label))
                        .unwrap_or_default(),
                    warn: t.overdue,
                    title: t.subject,
                })
                .collect(),
        }
    }
}

/// "1 jour", "12 jours".
fn days(count: i64) -> String {
    if count == 1 {
        "1 jour".to_owned()
    } else {
        format!("{count} jours")
    }
}

/// "30/06/2026", the day an instant falls on in the workspace.
fn local_day(at: DateTime<Utc>, member: &Member) -> String {
    let day: NaiveDate = at.with_timezone(&tenant_zone(member)).date_naive();
    short_date(day)
}
