//! The partnership-strategy target ("la cible", `/v1/targets`): stakeholders placed on
//! concentric rings by closeness, where they are on the day it is drawn and where they
//! should be, and the gap between the two. Kept by core-records, drawn by the gateway.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The rings of a new workspace's first target, the centre first.
pub const DEFAULT_RINGS: [&str; 4] = [
    "Partenaires stratégiques",
    "Partenaires réguliers",
    "Partenaires occasionnels",
    "Contacts",
];

/// How many rings a target may have.
pub const RINGS: std::ops::RangeInclusive<usize> = 2..=6;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Target {
    pub id: Uuid,
    pub name: String,
    /// The day it describes: today's places are those of that day.
    pub drawn_on: NaiveDate,
    /// A target for one project; none: the whole organisation's.
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    /// The rings' names, the centre (the closest) first.
    pub rings: Vec<String>,
    pub notes: String,
    /// By name.
    pub stakeholders: Vec<Stakeholder>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Someone the organisation could work with, on a target.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stakeholder {
    pub id: Uuid,
    pub target_id: Uuid,
    /// The organisation of the records; none for a prospect.
    pub organisation_id: Option<Uuid>,
    /// A prospect's name, kept apart from the records until it is promoted to one.
    pub prospect_name: Option<String>,
    /// The organisation's name, or the prospect's.
    pub label: String,
    /// The ring it is on the day of the target (0: the centre); none: outside.
    pub today_ring: Option<i16>,
    /// The ring it should be on; none: outside.
    pub ideal_ring: Option<i16>,
    /// Where around the target it is drawn, in degrees.
    pub angle: f32,
    /// Why we would work with them.
    pub our_reasons: String,
    /// Why they would work with us.
    pub their_reasons: String,
    /// How many rings it must come closer to be where it should (negative: move away).
    pub gap: i16,
    pub version: i32,
}

/// A target in a list: what it is, and how far it is from the ideal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetSummary {
    pub id: Uuid,
    pub name: String,
    pub drawn_on: NaiveDate,
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    pub stakeholders: i64,
    /// Stakeholders not where they should be.
    pub gaps: i64,
}

/// The workspace's targets, the latest drawn first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetList {
    pub items: Vec<TargetSummary>,
}

/// Two targets side by side (`GET /v1/targets/{id}/comparison?with=`): how each
/// stakeholder moved from the other one to this one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetComparison {
    pub target: TargetSummary,
    pub earlier: TargetSummary,
    /// The other target's rings, the centre first.
    pub earlier_rings: Vec<String>,
    pub rings: Vec<String>,
    /// Every stakeholder of either, by name: one found on both is the same
    /// organisation, or a prospect of the same name.
    pub moves: Vec<StakeholderMove>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StakeholderMove {
    pub label: String,
    pub organisation_id: Option<Uuid>,
    /// On the other target: false when it was not there.
    pub was_there: bool,
    /// On this one: false when it is no longer there.
    pub is_there: bool,
    pub today_then: Option<i16>,
    pub today_now: Option<i16>,
    pub ideal_then: Option<i16>,
    pub ideal_now: Option<i16>,
    /// How many rings closer it came today (negative: it moved away); none when it
    /// was not on both.
    pub came_closer: Option<i16>,
}
