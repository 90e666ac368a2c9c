//! What a record is connected to, for its page (`GET /v1/{collection}/{id}/connections`):
//! the partnerships and projects it takes part in (directly, or through an
//! organisation), and the reports owed for it or to it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connections {
    pub partnerships: Vec<ConnectedPartnership>,
    pub projects: Vec<ConnectedProject>,
    /// Soonest first.
    pub deadlines: Vec<ConnectedDeadline>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectedPartnership {
    pub id: Uuid,
    pub title: String,
    /// prospect, negotiating, active, evaluating or closed.
    pub status: String,
    /// The role the organisation plays in it, as recorded (may be empty).
    pub role: String,
    /// For a person: the organisation through which they take part.
    pub through: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectedProject {
    pub id: Uuid,
    pub name: String,
    /// planned, running, suspended, completed or cancelled.
    pub status: String,
    pub role: String,
    /// The organisation or partnership through which it is connected, if not directly.
    pub through: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectedDeadline {
    pub id: Uuid,
    pub title: String,
    pub due_at: DateTime<Utc>,
    /// upcoming, late, submitted or waived.
    pub status: String,
    /// How it is connected: funder (owed to the organisation), partnership or project
    /// (owed for it).
    pub relation: String,
    /// The partnership's or project's name, for a report owed for one of them.
    pub for_name: Option<String>,
}
