//! A reporting deadline as the API shows it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    pub id: Uuid,
    pub title: String,
    pub funder_id: Option<Uuid>,
    pub funder_name: Option<String>,
    pub due_at: DateTime<Utc>,
    /// upcoming, late, submitted or waived.
    pub status: String,
    #[serde(skip)]
    pub recorded_status: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submission_reference: Option<String>,
    /// Why a waived (cancelled) deadline is no longer owed.
    pub waiver_reason: Option<String>,
    /// The members who answer for it and are reminded of it.
    pub responsible_user_ids: Vec<Uuid>,
    /// The project or partnership the report is owed for, if any.
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    pub partnership_id: Option<Uuid>,
    pub partnership_title: Option<String>,
    /// For a recurring report: its series, this deadline's rank in it (from 1) and how
    /// the series recurs (monthly, quarterly, yearly or dates).
    pub series_id: Option<Uuid>,
    pub occurrence: Option<i32>,
    pub recurrence: Option<String>,
    /// For a series: whether its occurrences are kept on working days.
    pub working_days: Option<bool>,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
