//! An organisation as the API shows it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use crate::records::contact::{Address, EmailEntry, PhoneEntry};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    /// Its field of action: social, culture, sport, housing…
    pub sector: String,
    /// The territory it covers: a district, a town, a département…
    pub territory: String,
    pub website: Option<String>,
    /// The primary email and phone, from the lists below.
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(value_type = Vec<EmailEntry>)]
    pub emails: JsonColumn<Vec<EmailEntry>>,
    #[schema(value_type = Vec<PhoneEntry>)]
    pub phones: JsonColumn<Vec<PhoneEntry>>,
    #[schema(value_type = Option<Address>)]
    pub address: Option<JsonColumn<Address>>,
    /// The tenant's own fields (see /v1/custom-fields), by key.
    pub custom: serde_json::Value,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the record is in the bin.
    pub deleted_at: Option<DateTime<Utc>>,
}
