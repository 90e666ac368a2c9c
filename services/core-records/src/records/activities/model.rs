//! An activity as the API shows it, and the records it is linked to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Links {
    #[schema(max_items = 100)]
    pub people: Vec<Uuid>,
    #[schema(max_items = 100)]
    pub organisations: Vec<Uuid>,
    #[schema(max_items = 100)]
    pub partnerships: Vec<Uuid>,
    #[schema(max_items = 100)]
    pub projects: Vec<Uuid>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Activity {
    pub id: Uuid,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub subject: String,
    pub body: String,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub author_user_id: Uuid,
    pub links: Links,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
