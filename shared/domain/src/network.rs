//! The partner network as it was on a day (`GET /v1/network/photograph`): its records
//! as nodes, its ties by relation with their dates, its figures, and what changed since
//! an earlier day. Read by core-records, drawn by the gateway's network page.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How ties are named, in the order the page's legend gives them.
pub const RELATIONS: [(&str, &str); 4] = [
    ("partner_in", "partenaire de"),
    ("affiliated_to", "membre de"),
    ("works_on", "travaille sur"),
    ("funds", "finance"),
];

/// A kind of node, and its name in the legend.
pub const NODE_KINDS: [(&str, &str); 4] = [
    ("organisation", "Organisations"),
    ("person", "Personnes"),
    ("partnership", "Partenariats"),
    ("project", "Projets"),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photograph {
    /// The day it shows.
    pub on: NaiveDate,
    pub nodes: Vec<NetworkNode>,
    pub ties: Vec<NetworkTie>,
    pub figures: NetworkShape,
    /// What appeared and disappeared since an earlier day, when one was asked for.
    pub comparison: Option<Comparison>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkNode {
    pub id: Uuid,
    /// organisation, person, partnership or project.
    pub kind: String,
    pub label: String,
    /// How many others it is tied to.
    pub degree: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkTie {
    pub source: Uuid,
    pub target: Uuid,
    /// partner_in, affiliated_to, works_on or funds.
    pub relation: String,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkShape {
    pub nodes: u64,
    pub ties: u64,
    /// Ties drawn over ties possible, between 0 and 1.
    pub density: f64,
    /// The organisations tied to the most others, five at most.
    pub most_connected: Vec<NetworkNode>,
    /// Organisations tied to nothing on that day.
    pub isolated: u64,
    /// Ten of them, by name.
    pub isolated_items: Vec<NamedRecord>,
    /// Partners in a partnership with no activity about them in the twelve months
    /// before that day.
    pub dormant_ties: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedRecord {
    pub id: Uuid,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub earlier: NaiveDate,
    pub nodes_then: u64,
    pub ties_then: u64,
    /// Ties in force on the day shown and not on the earlier one.
    pub appeared: Vec<TieLine>,
    /// Ties in force on the earlier day and no longer.
    pub disappeared: Vec<TieLine>,
}

/// A tie told in words: "Région Sud — partenaire de — Contrat de ville".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TieLine {
    pub source: Uuid,
    pub source_kind: String,
    pub source_label: String,
    pub relation: String,
    pub target: Uuid,
    pub target_kind: String,
    pub target_label: String,
}
