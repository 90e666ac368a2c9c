//! What an organisation's form or body may set, and the checks each field passes.

use maillage_domain::kinds::OrganisationKind;
use serde::Deserialize;
use utoipa::openapi::schema::Object;

use super::model::Organisation;
use crate::Error;
use crate::language::{one_of, said};
use crate::records::contact::{self, Address, EmailEntry, PhoneEntry};
use crate::records::{Checks, present};

/// Blank, or an http(s) address of at most 500 characters, or null.
fn website_schema() -> Object {
    maillage_runtime::api::string_or_null()
        .max_length(Some(500))
        .pattern(Some(maillage_domain::text::web_address_pattern()))
        .build()
}

/// The kinds of organisation, for the document.
fn kind_schema() -> Object {
    maillage_runtime::api::one_of_or_null(OrganisationKind::VALUES)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    #[schema(min_length = 1, max_length = 300)]
    name: Option<String>,
    #[schema(schema_with = kind_schema)]
    kind: Option<String>,
    #[schema(max_length = 200)]
    sector: Option<String>,
    #[schema(max_length = 200)]
    territory: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = website_schema)]
    website: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    phone: Option<Option<String>>,
    emails: Option<Vec<EmailEntry>>,
    phones: Option<Vec<PhoneEntry>>,
    #[serde(default, deserialize_with = "present")]
    address: Option<Option<Address>>,
    /// Custom values to set, by key; null removes one.
    custom: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

#[derive(Debug)]
pub(super) struct OrganisationFields {
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) sector: String,
    pub(super) territory: String,
    pub(super) website: Option<String>,
    pub(super) emails: Vec<EmailEntry>,
    pub(super) phones: Vec<PhoneEntry>,
    pub(super) address: Option<Address>,
    pub(super) custom: serde_json::Map<String, serde_json::Value>,
    pub(super) notes: String,
}

impl Default for OrganisationFields {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: "other".into(),
            sector: String::new(),
            territory: String::new(),
            website: None,
            emails: Vec::new(),
            phones: Vec::new(),
            address: None,
            custom: serde_json::Map::new(),
            notes: String::new(),
        }
    }
}

impl OrganisationFields {
    pub(super) fn of(organisation: &Organisation) -> Self {
        Self {
            name: organisation.name.clone(),
            kind: organisation.kind.clone(),
            sector: organisation.sector.clone(),
            territory: organisation.territory.clone(),
            website: organisation.website.clone(),
            emails: organisation.emails.0.clone(),
            phones: organisation.phones.0.clone(),
            address: organisation.address.as_ref().map(|a| a.0.clone()),
            notes: organisation.notes.clone(),
            custom: organisation.custom.as_object().cloned().unwrap_or_default(),
        }
    }

    pub(super) fn merge(self, input: OrganisationInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let kind = input.kind.unwrap_or(self.kind);
        if !OrganisationKind::VALUES.contains(&kind.as_str()) {
            checks.push("kind", &one_of(OrganisationKind::VALUES));
        }
        let website = checks.optional_text(
            "website",
            input.website.unwrap_or(self.website).as_deref(),
            500,
        );
        if website
            .as_deref()
            .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")))
        {
            checks.push("website", &said("check-website"));
        }
        let mut emails = input.emails.unwrap_or(self.emails);
        if let Some(email) = input.email {
            let email = checks.optional_email("email", email.as_deref());
            emails = contact::with_primary_email(emails, email);
        }
        let mut phones = input.phones.unwrap_or(self.phones);
        if let Some(phone) = input.phone {
            phones = contact::with_primary_phone(phones, phone);
        }
        let mut custom = self.custom;
        for (key, value) in input.custom.unwrap_or_default() {
            custom.insert(key, value);
        }
        let fields = Self {
            custom,
            name: checks.text("name", &input.name.unwrap_or(self.name), true, 300),
            kind,
            sector: checks.text("sector", &input.sector.unwrap_or(self.sector), false, 200),
            territory: checks.text(
                "territory",
                &input.territory.unwrap_or(self.territory),
                false,
                200,
            ),
            website,
            emails: contact::check_emails(&mut checks, emails),
            phones: contact::check_phones(&mut checks, phones),
            address: contact::check_address(&mut checks, input.address.unwrap_or(self.address)),
            notes: checks.text("notes", &input.notes.unwrap_or(self.notes), false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }
}
