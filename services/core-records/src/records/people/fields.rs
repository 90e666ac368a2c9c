//! What a person's form or body may set, and the checks each field passes.

use chrono::NaiveDate;
use maillage_domain::kinds::ConsentBasis;
use serde::Deserialize;
use utoipa::openapi::schema::Object;

use super::model::Person;
use crate::Error;
use crate::language::said;
use crate::records::contact::{self, Address, EmailEntry, PhoneEntry};
use crate::records::{Checks, present};

/// A create or PATCH body: absent fields keep their value (or the default on create).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    #[schema(max_length = 200)]
    given_name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    family_name: Option<String>,
    /// Sets the primary email (null removes it); `emails` replaces the whole list.
    #[serde(default, deserialize_with = "present")]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    phone: Option<Option<String>>,
    emails: Option<Vec<EmailEntry>>,
    phones: Option<Vec<PhoneEntry>>,
    #[serde(default, deserialize_with = "present")]
    address: Option<Option<Address>>,
    email_consent: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = consent_basis_schema)]
    consent_basis: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    consent_on: Option<Option<NaiveDate>>,
    #[schema(max_length = 200)]
    consent_source: Option<String>,
    /// Custom values to set, by key; null removes one.
    custom: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

/// The GDPR legal bases, for the document.
fn consent_basis_schema() -> Object {
    maillage_runtime::api::one_of_or_null(ConsentBasis::VALUES)
}

/// A person's editable fields, validated.
#[derive(Debug, Default)]
pub(super) struct PersonFields {
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) emails: Vec<EmailEntry>,
    pub(super) phones: Vec<PhoneEntry>,
    pub(super) address: Option<Address>,
    pub(super) email_consent: bool,
    pub(super) consent_basis: Option<String>,
    pub(super) consent_on: Option<NaiveDate>,
    pub(super) consent_source: String,
    pub(super) custom: serde_json::Map<String, serde_json::Value>,
    pub(super) notes: String,
}

impl PersonFields {
    pub(super) fn of(person: &Person) -> Self {
        Self {
            given_name: person.given_name.clone(),
            family_name: person.family_name.clone(),
            emails: person.emails.0.clone(),
            phones: person.phones.0.clone(),
            address: person.address.as_ref().map(|a| a.0.clone()),
            email_consent: person.email_consent,
            consent_basis: person.consent_basis.clone(),
            consent_on: person.consent_on,
            consent_source: person.consent_source.clone(),
            notes: person.notes.clone(),
            custom: person.custom.as_object().cloned().unwrap_or_default(),
        }
    }

    pub(super) fn merge(self, input: PersonInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let mut emails = input.emails.unwrap_or(self.emails);
        if let Some(email) = input.email {
            let email = checks.optional_email("email", email.as_deref());
            emails = contact::with_primary_email(emails, email);
        }
        let mut phones = input.phones.unwrap_or(self.phones);
        if let Some(phone) = input.phone {
            phones = contact::with_primary_phone(phones, phone);
        }
        let email_consent = input.email_consent.unwrap_or(self.email_consent);
        let consent_basis = input.consent_basis.unwrap_or(self.consent_basis);
        let consent_on = input.consent_on.unwrap_or(self.consent_on);
        if let Some(basis) = &consent_basis
            && basis.parse::<ConsentBasis>().is_err()
        {
            checks.push("consent_basis", &said("check-legal-basis"));
        }
        if email_consent && consent_basis.is_none() {
            checks.push("consent_basis", &said("check-basis-required"));
        }
        if consent_basis.as_deref() == Some("consent") && consent_on.is_none() {
            checks.push("consent_on", &said("check-consent-date"));
        }
        let mut custom = self.custom;
        for (key, value) in input.custom.unwrap_or_default() {
            custom.insert(key, value);
        }
        let fields = Self {
            custom,
            given_name: checks.text(
                "given_name",
                &input.given_name.unwrap_or(self.given_name),
                false,
                200,
            ),
            family_name: checks.text(
                "family_name",
                &input.family_name.unwrap_or(self.family_name),
                true,
                200,
            ),
            emails: contact::check_emails(&mut checks, emails),
            phones: contact::check_phones(&mut checks, phones),
            address: contact::check_address(&mut checks, input.address.unwrap_or(self.address)),
            email_consent,
            consent_basis,
            consent_on,
            consent_source: checks.text(
                "consent_source",
                &input.consent_source.unwrap_or(self.consent_source),
                false,
                200,
            ),
            notes: checks.text("notes", &input.notes.unwrap_or(self.notes), false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }
}
