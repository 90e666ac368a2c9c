//! The workspace at a glance, as core-records reads it and the gateway's home page
//! shows it (`GET /v1/dashboard`). Each list is short; each count says how many there
//! are in all, for the list behind it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How far ahead "soon" looks, for reports and evaluations (days).
pub const SOON_DAYS: i32 = 30;
/// How far ahead a partnership's end is "soon" (days): time to renew it.
pub const ENDING_DAYS: i32 = 90;
/// A tie without activity for this long is dormant (months).
pub const DORMANT_MONTHS: i32 = 12;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// Today in the workspace's time zone.
    pub today: NaiveDate,
    pub reports: Reports,
    pub projects: Projects,
    pub partnerships: Partnerships,
    pub network: NetworkFigures,
    /// Colleagues' latest activities (not the caller's own), newest first.
    pub recent_activity: Vec<RecentActivity>,
    /// The caller's open tasks, soonest first.
    pub my_tasks: Vec<Task>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reports {
    pub late: u64,
    pub late_mine: u64,
    /// Due within 30 days, not late.
    pub due_soon: u64,
    pub due_soon_mine: u64,
    /// The late ones then the soonest, ten at most.
    pub items: Vec<ReportDue>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportDue {
    pub id: Uuid,
    pub title: String,
    pub funder_name: Option<String>,
    pub due_at: DateTime<Utc>,
    /// Days past due (0 when not late), counted in the workspace's calendar.
    pub days_late: i32,
    pub mine: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Projects {
    pub running: u64,
    pub planned: u64,
    /// Running, and the caller's.
    pub running_mine: u64,
    /// Running first, then by end date; eight at most.
    pub items: Vec<ProjectProgress>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectProgress {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub ends_on: Option<NaiveDate>,
    pub milestones_done: i64,
    pub milestones: i64,
    pub budget_planned_cents: i64,
    pub budget_actual_cents: i64,
    pub mine: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partnerships {
    /// How many in each status (prospect, negotiating, active, evaluating, closed); a
    /// status without any is left out.
    pub by_status: Vec<Count>,
    /// Not closed, ending within 90 days.
    pub ending_soon: Vec<DatedPartnership>,
    /// Not closed, evaluation due within 30 days or overdue.
    pub evaluation_due: Vec<DatedPartnership>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatedPartnership {
    pub id: Uuid,
    pub title: String,
    pub on: NaiveDate,
    /// The date is past.
    pub overdue: bool,
}

/// Partners are the organisations taking part in a partnership that is not closed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkFigures {
    pub partners: i64,
    /// How many of each kind of organisation (funder, public_body…).
    pub partners_by_kind: Vec<Count>,
    /// Partners whose first partnership began this year.
    pub new_this_year: i64,
    /// Partners with no activity (on them, their partnerships or their people) for
    /// twelve months.
    pub dormant: i64,
    /// The dormant partners longest without activity, eight at most.
    pub dormant_items: Vec<DormantPartner>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DormantPartner {
    pub id: Uuid,
    pub name: String,
    /// The last activity about them, if there ever was one.
    pub last_activity_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentActivity {
    pub id: Uuid,
    /// meeting, call, email, event, note or task.
    pub kind: String,
    pub subject: String,
    pub occurred_at: DateTime<Utc>,
    pub author_name: String,
    /// What it is about (its first link), if anything.
    pub about: Option<About>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct About {
    /// person, organisation, partnership or project.
    pub kind: String,
    pub id: Uuid,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Uuid,
    pub subject: String,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub about: Option<About>,
}
