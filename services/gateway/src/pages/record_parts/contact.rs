//! Contact details and affiliations of people and organisations, and the contact
//! fields of their forms.

use std::borrow::Borrow;

use chrono::NaiveDate;
pub use maillage_domain::contact::{Address, EmailEntry, PhoneEntry};
use maillage_domain::countries;
use maillage_i18n::Lang;
use serde::Deserialize;
use uuid::Uuid;

use super::listing::Listing;
use crate::Error;
use crate::membership::Member;
use crate::pages::Choice;
use crate::state::AppState;

/// A link between a person and an organisation, as either page lists it.
#[derive(Debug, Deserialize)]
pub struct AffiliationRow {
    pub person_id: Uuid,
    pub person_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub role: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub current: bool,
}

impl AffiliationRow {
    pub fn period(&self) -> String {
        period(self.starts_on, self.ends_on)
    }
}

/// "du 01/09/2025 au 30/06/2026", "depuis le 01/09/2025"…; empty without dates.
/// (French, for the pages not yet in the reader's language.)
pub fn period(starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) -> String {
    crate::pages::period_in(maillage_i18n::Lang::Fr, starts_on, ends_on)
}

/// A person's organisations, or an organisation's people, current first.
pub async fn affiliations(
    state: &AppState,
    member: &Member,
    record: &str,
) -> Result<Vec<AffiliationRow>, Error> {
    let listing: Listing<AffiliationRow> = state
        .core
        .get(member, &format!("{record}/affiliations"))
        .await?;
    Ok(listing.items)
}

/// The contact fields of the person and organisation forms: the primary email and
/// phone, and the postal address.
#[derive(Debug, Default, Deserialize)]
pub struct ContactFields {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
}

impl ContactFields {
    /// API field names and the form's, where they differ.
    /// The contact fields' labels, in the form's order.
    pub const LABELS: [(&str, &str); 6] = [
        ("email", "form-primary-email"),
        ("phone", "form-primary-phone"),
        ("street", "form-street"),
        ("postal_code", "form-postal-code"),
        ("city", "form-city"),
        ("country", "form-country"),
    ];

    pub const RENAMES: [(&str, &str); 6] = [
        ("address.street", "street"),
        ("address.postal_code", "postal_code"),
        ("address.city", "city"),
        ("address.country", "country"),
        ("phones", "phone"),
        ("phones.number", "phone"),
    ];

    pub fn of(emails: &[EmailEntry], phones: &[PhoneEntry], address: Option<Address>) -> Self {
        let address = address.unwrap_or_default();
        Self {
            email: emails
                .iter()
                .find(|e| e.primary)
                .map(|e| e.address.clone())
                .unwrap_or_default(),
            phone: phones
                .iter()
                .find(|p| p.primary)
                .map(|p| p.number.clone())
                .unwrap_or_default(),
            street: address.street,
            postal_code: address.postal_code,
            city: address.city,
            country: address.country,
        }
    }

    /// Adds them to an API body: a blank email or phone removes the primary one, a blank
    /// address removes it.
    pub fn add_to(&self, body: &mut serde_json::Map<String, serde_json::Value>) {
        let address = [&self.street, &self.postal_code, &self.city, &self.country]
            .iter()
            .any(|part| !part.trim().is_empty())
            .then(|| {
                serde_json::json!({
                    "street": self.street.trim(), "postal_code": self.postal_code.trim(),
                    "city": self.city.trim(), "country": self.country.trim(),
                })
            });
        body.insert("email".into(), self.email.trim().into());
        body.insert("phone".into(), self.phone.trim().into());
        body.insert("address".into(), address.into());
    }

    /// The countries a form offers: the common ones (and the one stored, if another),
    /// the current one selected; then every country by its name in `lang`.
    pub fn countries(&self, lang: impl Borrow<Lang>) -> (Vec<Choice>, Vec<Choice>) {
        let lang = *lang.borrow();
        let current = countries::find(&self.country).map_or(self.country.trim(), |c| c.code);
        let mut common: Vec<Choice> = countries::COMMON
            .iter()
            .filter_map(|code| countries::by_code(code))
            .map(|c| choice(c, current, lang))
            .collect();
        if !current.is_empty() && !countries::COMMON.contains(&current) {
            common.push(countries::by_code(current).map_or_else(
                // A code the list no longer knows is kept as it is, never dropped.
                || Choice {
                    value: current.to_owned(),
                    label: current.to_owned(),
                    selected: true,
                },
                |c| choice(c, current, lang),
            ));
        }
        let all = countries::by_name(|c| country_name(c, lang))
            .into_iter()
            .map(|c| choice(c, "", lang))
            .collect();
        (common, all)
    }

    pub fn values(&self) -> [(&'static str, String); 6] {
        [
            ("email", self.email.clone()),
            ("phone", self.phone.clone()),
            ("street", self.street.clone()),
            ("postal_code", self.postal_code.clone()),
            ("city", self.city.clone()),
            ("country", self.country.clone()),
        ]
    }
}

fn choice(country: countries::Country, current: &str, lang: Lang) -> Choice {
    Choice {
        value: country.code.to_owned(),
        label: country_name(&country, lang).to_owned(),
        selected: country.code == current,
    }
}

/// A country's name in `lang`.
pub fn country_name(country: &countries::Country, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => country.fr,
        Lang::En => country.en,
    }
}
