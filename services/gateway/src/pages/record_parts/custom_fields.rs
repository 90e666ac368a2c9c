//! The fields a tenant added to people or organisations: on pages and in forms.

use chrono::NaiveDate;
use maillage_i18n::Lang;
use serde::Deserialize;

use super::listing::Listing;
use crate::Error;
use crate::membership::Member;
use crate::pages::{Choice, FormErrors};
use crate::state::AppState;

/// A field the tenant added to people or organisations, as core-records defines it.
#[derive(Debug, Deserialize)]
pub struct CustomField {
    record_type: String,
    key: String,
    label: String,
    field_type: String,
    choices: Vec<String>,
    required: bool,
}

/// The tenant's custom fields of one record type (person, organisation), in order.
pub async fn custom_fields(
    state: &AppState,
    member: &Member,
    record_type: &str,
) -> Result<Vec<CustomField>, Error> {
    let fields: Listing<CustomField> = state.core.get(member, "/v1/custom-fields").await?;
    Ok(fields
        .items
        .into_iter()
        .filter(|f| f.record_type == record_type)
        .collect())
}

/// A custom field's input on a form. Its name says its type (`custom.number.children`)
/// so that what is typed is sent as what the field holds (a number as a number).
pub struct CustomInput {
    pub name: String,
    /// Where the API's refusal of it is found: `custom.children`.
    pub error_key: String,
    pub label: String,
    /// text, number, date or choice.
    pub kind: String,
    pub choices: Vec<Choice>,
    pub value: String,
}

/// What a record's custom fields say, as its page lists them: label and value.
pub fn custom_facts(
    fields: &[CustomField],
    values: &serde_json::Map<String, serde_json::Value>,
    lang: Lang,
) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|field| {
            let value = CustomValues::shown(values.get(&field.key)?);
            let value = match (
                field.field_type.as_str(),
                NaiveDate::parse_from_str(&value, "%Y-%m-%d"),
            ) {
                ("date", Ok(date)) => lang.date(date),
                _ => value,
            };
            Some((field.label.clone(), value))
        })
        .collect()
}

/// The custom values a person's or an organisation's form holds: its `custom.{type}.{key}`
/// entries as typed, or `custom..{key}` when filled from the stored record.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct CustomValues(std::collections::HashMap<String, String>);

impl CustomValues {
    /// The form filled with the stored values.
    pub fn of(stored: &serde_json::Map<String, serde_json::Value>) -> Self {
        Self(
            stored
                .iter()
                .map(|(key, value)| (format!("custom..{key}"), Self::shown(value)))
                .collect(),
        )
    }

    /// A stored value as a field shows it: "2", "Nord", "2026-01-10".
    fn shown(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    /// (type, key, value) of each entry; the type is empty when filled from the record.
    fn entries(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.0.iter().filter_map(|(name, value)| {
            let (kind, key) = name.strip_prefix("custom.")?.split_once('.')?;
            Some((kind, key, value.as_str()))
        })
    }

    fn get(&self, key: &str) -> &str {
        self.entries()
            .find(|(_, k, _)| *k == key)
            .map_or("", |(_, _, value)| value)
    }

    /// Adds `custom` to an API body: each value as its field holds it, a blank one
    /// removed; a number that is none is refused on its field.
    pub fn add_to(
        &self,
        body: &mut serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), FormErrors> {
        let mut custom = serde_json::Map::new();
        for (kind, key, value) in self.entries() {
            let value = value.trim();
            let typed = if value.is_empty() {
                serde_json::Value::Null
            } else if kind == "number" {
                // A whole number stays whole ("2", not "2.0"); a decimal comma is a point.
                let typed = value.replace(',', ".");
                match (typed.parse::<i64>(), typed.parse::<f64>()) {
                    (Ok(whole), _) => serde_json::json!(whole),
                    (_, Ok(number)) if number.is_finite() => serde_json::json!(number),
                    _ => {
                        return Err(FormErrors::field(
                            &format!("custom.{key}"),
                            "refused-number",
                        ));
                    }
                }
            } else {
                value.into()
            };
            custom.insert(key.to_owned(), typed);
        }
        if !custom.is_empty() {
            body.insert("custom".into(), custom.into());
        }
        Ok(())
    }

    /// The inputs of `fields`, filled with these values.
    pub fn inputs(&self, fields: &[CustomField]) -> Vec<CustomInput> {
        fields
            .iter()
            .map(|field| {
                let value = self.get(&field.key).to_owned();
                let none = if field.required {
                    "— Choisir —"
                } else {
                    "— Aucune —"
                };
                let choices = Choice::list(
                    std::iter::once(("", none))
                        .chain(field.choices.iter().map(|c| (c.as_str(), c.as_str()))),
                    &value,
                );
                CustomInput {
                    name: format!("custom.{}.{}", field.field_type, field.key),
                    error_key: format!("custom.{}", field.key),
                    label: if field.required {
                        format!("{} (obligatoire)", field.label)
                    } else {
                        field.label.clone()
                    },
                    kind: field.field_type.clone(),
                    choices,
                    value,
                }
            })
            .collect()
    }
}
