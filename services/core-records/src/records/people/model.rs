//! A person as the API shows it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use crate::records::contact::{Address, EmailEntry, PhoneEntry};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    /// The primary email and phone, from the lists below.
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(value_type = Vec<EmailEntry>)]
    pub emails: JsonColumn<Vec<EmailEntry>>,
    #[schema(value_type = Vec<PhoneEntry>)]
    pub phones: JsonColumn<Vec<PhoneEntry>>,
    #[schema(value_type = Option<Address>)]
    pub address: Option<JsonColumn<Address>>,
    /// May the tenant write to this person? With the GDPR legal basis, when and how.
    pub email_consent: bool,
    pub consent_basis: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub consent_source: String,
    /// The tenant's own fields (see /v1/custom-fields), by key.
    pub custom: serde_json::Value,
    pub notes: String,
    /// The organisations the person belongs to today (an affiliation begun and not
    /// ended), by name: what a list of people shows beside each.
    #[schema(value_type = Vec<OrganisationName>)]
    pub current_organisations: JsonColumn<Vec<OrganisationName>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the record is in the bin.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// An organisation named where a person is shown.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrganisationName {
    pub id: Uuid,
    pub name: String,
}
