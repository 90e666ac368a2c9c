//! A project as the API shows it, with its milestones, budget and partners.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Set by the server. Send it back with the milestone to keep its identity (its
    /// reminders, its calendar event) when the list is replaced; a milestone sent
    /// without one is new.
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub phase: String,
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    #[schema(min_length = 1, max_length = 200)]
    pub label: String,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub planned_cents: i64,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub actual_cents: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectBudget {
    pub lines: Vec<BudgetLine>,
    pub planned_cents: i64,
    pub actual_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPartnerInput {
    pub organisation_id: Option<Uuid>,
    pub partnership_id: Option<Uuid>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectPartner {
    pub organisation_id: Option<Uuid>,
    pub partnership_id: Option<Uuid>,
    /// The organisation's name, or the partnership's title.
    pub name: String,
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub status: String,
    pub owner_user_id: Option<Uuid>,
    pub target_population: String,
    pub territory: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub milestones: Vec<Milestone>,
    pub budget: ProjectBudget,
    pub partners: Vec<ProjectPartner>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}
