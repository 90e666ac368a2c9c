//! What the pages of records share: list pages (sorted, a page at a time), contact
//! details and affiliations (people and organisations), tags and the timeline (every
//! record).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use maillage_domain::kinds::ActivityKind;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{
    Choice, FormErrors, duration, label_in, local_datetime, money, short_date, tenant_zone,
};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// A page of a list, as core-records answers it.
#[derive(Deserialize)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// The query of a list page.
#[derive(Deserialize)]
pub struct ListPageQuery {
    /// The cursor of the page to show, from the previous one.
    after: Option<String>,
    /// `recent`: most recently changed first; otherwise by name.
    sort: Option<String>,
    /// Set after a record was added from the list, which the page then says.
    added: Option<String>,
}

/// One page of a list of records, as the list templates show it.
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    /// Most recently changed first, rather than by name.
    pub recent: bool,
    pub added: bool,
}

impl ListPageQuery {
    /// The page asked for of `/v1/{collection}`, 50 records at most.
    pub async fn fetch<T: DeserializeOwned>(
        self,
        state: &AppState,
        member: &Member,
        collection: &str,
    ) -> Result<ListPage<T>, Error> {
        let recent = self.sort.as_deref() == Some("recent");
        let after = self
            .after
            .map(|a| format!("&after={a}"))
            .unwrap_or_default();
        let order = if recent { "&sort=-updated_at" } else { "" };
        let listing: Listing<T> = state
            .core
            .get(member, &format!("/v1/{collection}?limit=50{after}{order}"))
            .await?;
        Ok(ListPage {
            items: listing.items,
            next: listing.next,
            recent,
            added: self.added.is_some(),
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct EmailEntry {
    pub address: String,
    pub label: String,
    pub primary: bool,
}

#[derive(Debug, Deserialize)]
pub struct PhoneEntry {
    pub number: String,
    pub label: String,
    pub primary: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub city: String,
    #[serde(default)]
    pub country: String,
}

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
pub fn period(starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) -> String {
    match (starts_on, ends_on) {
        (Some(start), Some(end)) => format!("du {} au {}", short_date(start), short_date(end)),
        (Some(start), None) => format!("depuis le {}", short_date(start)),
        (None, Some(end)) => format!("jusqu'au {}", short_date(end)),
        (None, None) => String::new(),
    }
}

/// An activity as the timeline shows it.
pub struct TimelineEntry {
    pub id: Uuid,
    pub version: i64,
    pub kind: &'static str,
    pub when: String,
    pub subject: String,
    pub body: String,
    /// A task's state: "à faire pour le …", "faite le …"; none for other activities.
    pub task: Option<TaskState>,
}

pub struct TaskState {
    pub done: bool,
    pub said: String,
}

#[derive(Debug, Deserialize)]
struct ActivityRow {
    id: Uuid,
    version: i64,
    kind: String,
    occurred_at: DateTime<Utc>,
    subject: String,
    body: String,
    due_at: Option<DateTime<Utc>>,
    done_at: Option<DateTime<Utc>>,
}

impl ActivityRow {
    fn task_state(&self, zone: Tz) -> Option<TaskState> {
        if self.kind != "task" {
            return None;
        }
        Some(match (self.done_at, self.due_at) {
            (Some(done), _) => TaskState {
                done: true,
                said: format!("faite le {}", local_datetime(done, zone)),
            },
            (None, Some(due)) => TaskState {
                done: false,
                said: format!("à faire pour le {}", local_datetime(due, zone)),
            },
            (None, None) => TaskState {
                done: false,
                said: "à faire".into(),
            },
        })
    }
}

pub fn activity_label(kind: &str) -> &'static str {
    label_in(ActivityKind::CHOICES, kind, "Note")
}

#[derive(Debug, Deserialize)]
struct Tags {
    tags: Vec<String>,
}

/// One change of a record, as its page tells it.
pub struct ChangeEntry {
    pub when: String,
    pub who: String,
    pub what: String,
}

#[derive(Debug, Deserialize)]
struct AuditRow {
    at: DateTime<Utc>,
    actor_name: Option<String>,
    action: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

/// A record's field as people call it; none for what changes with every write.
fn field_said(field: &str) -> Option<&str> {
    Some(match field {
        "version" | "updated_at" | "created_at" | "deleted_at" | "id" | "next_statuses" => {
            return None;
        }
        "given_name" => "prénom",
        "family_name" => "nom",
        "name" => "nom",
        "title" => "intitulé",
        "email" | "emails" => "e-mails",
        "phone" | "phones" => "téléphones",
        "address" => "adresse",
        "email_consent" | "consent_basis" | "consent_on" | "consent_source" => "consentement",
        "notes" => "notes",
        "status" => "état",
        "kind" => "type",
        "sector" => "secteur",
        "territory" => "territoire",
        "website" => "site web",
        "starts_on" => "début",
        "ends_on" => "fin",
        "description" => "description",
        "target_population" => "public visé",
        "owner_user_id" => "responsable",
        "milestones" => "jalons",
        "budget" | "budget_lines" => "budget",
        "partners" => "partenaires",
        "agreement" => "convention",
        "next_evaluation_on" => "prochaine évaluation",
        "custom" => "champs personnalisés",
        other => other,
    })
}

impl AuditRow {
    /// "a modifié : nom, adresse", "a créé la fiche"…
    fn what(&self) -> String {
        match self.action.as_str() {
            "create" => "a créé la fiche".into(),
            "delete" => "a mis la fiche à la corbeille".into(),
            "restore" => "a restauré la fiche".into(),
            "merge" => "y a fusionné un doublon".into(),
            _ => {
                let (before, after) = (self.before.as_ref(), self.after.as_ref());
                let empty = serde_json::Map::new();
                let before = before.and_then(|b| b.as_object()).unwrap_or(&empty);
                let after = after.and_then(|a| a.as_object()).unwrap_or(&empty);
                let mut changed: Vec<&str> = before
                    .keys()
                    .chain(after.keys())
                    .filter(|key| before.get(*key) != after.get(*key))
                    .filter_map(|key| field_said(key))
                    .collect();
                let mut seen = Vec::new();
                changed.retain(|f| {
                    let first = !seen.contains(f);
                    seen.push(*f);
                    first
                });
                if changed.is_empty() {
                    "a modifié la fiche".into()
                } else {
                    format!("a modifié : {}", changed.join(", "))
                }
            }
        }
    }
}

/// The tags, latest activities and latest changes of one record: `record` is its API
/// path, `/v1/people/{id}`, `/v1/projects/{id}`…
pub struct Surroundings {
    pub tags: Vec<String>,
    pub timeline: Vec<TimelineEntry>,
    /// Newest first: who changed the record, when, what.
    pub changes: Vec<ChangeEntry>,
    /// The record's web page, `/t/{slug}/people/{id}`…, where its forms lead back.
    pub page_path: String,
}

impl Surroundings {
    pub async fn of(state: &AppState, member: &Member, record: &str) -> Result<Self, Error> {
        let id = record.rsplit('/').next().unwrap_or_default();
        let (tags_path, timeline_path, audit_path) = (
            format!("{record}/tags"),
            format!("{record}/timeline?limit=20"),
            format!("/v1/audit?record_id={id}&limit=10"),
        );
        let (tags, activities, audit): (Tags, Listing<ActivityRow>, Listing<AuditRow>) = tokio::try_join!(
            state.core.get(member, &tags_path),
            state.core.get(member, &timeline_path),
            state.core.get(member, &audit_path),
        )?;
        let zone = tenant_zone(member);
        let timeline = activities
            .items
            .into_iter()
            .map(|a| TimelineEntry {
                task: a.task_state(zone),
                id: a.id,
                version: a.version,
                kind: activity_label(&a.kind),
                when: local_datetime(a.occurred_at, zone),
                subject: a.subject,
                body: a.body,
            })
            .collect();
        let changes = audit
            .items
            .into_iter()
            .map(|row| ChangeEntry {
                when: local_datetime(row.at, zone),
                who: row.actor_name.clone().unwrap_or_else(|| "Quelqu'un".into()),
                what: row.what(),
            })
            .collect();
        Ok(Self {
            tags: tags.tags,
            timeline,
            changes,
            page_path: format!(
                "/t/{}{}",
                member.tenant.slug,
                record.trim_start_matches("/v1")
            ),
        })
    }
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

#[derive(Debug, Deserialize)]
struct YearTotal {
    year: i32,
    kind: String,
    currency: Option<String>,
    amount_cents: i64,
    minutes: i64,
    count: i64,
}

/// One line of a record's engagements, per year and kind: "2026 · Dons · 3 · 125,00 €".
pub struct EngagementTotal {
    pub year: i32,
    pub kind: &'static str,
    pub count: i64,
    /// An amount, or hours of volunteering.
    pub total: String,
}

fn engagement_label(kind: &str) -> &'static str {
    match kind {
        "donation" => "Dons",
        "membership_fee" => "Cotisations",
        "volunteering" => "Bénévolat",
        "subscription" => "Abonnements",
        "purchase" => "Achats",
        _ => "Mécénat",
    }
}

/// One engagement as a record's page lists it: "12/05/2026 · Don · 50,00 €".
pub struct EngagementLine {
    pub id: Uuid,
    pub when: String,
    pub kind: &'static str,
    /// An amount, or hours of volunteering.
    pub given: String,
    pub campaign: String,
}

#[derive(Debug, Deserialize)]
struct EngagementRow {
    id: Uuid,
    kind: String,
    amount_cents: Option<i64>,
    currency: Option<String>,
    minutes: Option<i64>,
    occurred_on: NaiveDate,
    campaign: String,
}

/// What a person or an organisation gave, or what a project received.
pub struct Engagements {
    /// Per year and kind.
    pub totals: Vec<EngagementTotal>,
    /// The latest, newest first.
    pub recent: Vec<EngagementLine>,
}

/// The engagements of one record: `owner` is the filter naming it, `person_id={id}`…
pub async fn engagements(
    state: &AppState,
    member: &Member,
    owner: &str,
) -> Result<Engagements, Error> {
    let (totals_path, recent_path) = (
        format!("/v1/engagements/totals?{owner}"),
        format!("/v1/engagements?{owner}&limit=20"),
    );
    let (totals, recent): (Listing<YearTotal>, Listing<EngagementRow>) = tokio::try_join!(
        state.core.get(member, &totals_path),
        state.core.get(member, &recent_path),
    )?;
    let given = |currency: Option<String>, cents: i64, minutes: i64| match currency {
        Some(currency) => money(cents, &currency),
        None => duration(minutes),
    };
    Ok(Engagements {
        totals: totals
            .items
            .into_iter()
            .map(|t| EngagementTotal {
                year: t.year,
                kind: engagement_label(&t.kind),
                count: t.count,
                total: given(t.currency, t.amount_cents, t.minutes),
            })
            .collect(),
        recent: recent
            .items
            .into_iter()
            .map(|e| EngagementLine {
                id: e.id,
                when: short_date(e.occurred_on),
                kind: engagement_label(&e.kind),
                given: given(
                    e.currency,
                    e.amount_cents.unwrap_or_default(),
                    e.minutes.unwrap_or_default(),
                ),
                campaign: e.campaign,
            })
            .collect(),
    })
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

/// Whatever names a record: a person's names, an organisation's or a project's name, a
/// partnership's title.
#[derive(Debug, Deserialize)]
struct RecordName {
    name: Option<String>,
    title: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
}

impl RecordName {
    fn said(self) -> String {
        match (self.name.or(self.title), self.given_name, self.family_name) {
            (Some(name), _, _) => name,
            (None, given, family) => [given, family]
                .into_iter()
                .flatten()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// The record's name (and a 404 when it is not one of the tenant's live records).
pub async fn record_name(
    state: &AppState,
    member: &Member,
    collection: &str,
    id: Uuid,
) -> Result<String, Error> {
    let record: RecordName = state
        .core
        .get(member, &format!("/v1/{collection}/{id}"))
        .await?;
    Ok(record.said())
}

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
) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|field| {
            let value = CustomValues::shown(values.get(&field.key)?);
            let value = match (
                field.field_type.as_str(),
                NaiveDate::parse_from_str(&value, "%Y-%m-%d"),
            ) {
                ("date", Ok(date)) => short_date(date),
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
                            "un nombre est attendu",
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
