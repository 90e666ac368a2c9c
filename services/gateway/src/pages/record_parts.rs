//! What the pages of records share: list pages (sorted, a page at a time), contact
//! details and affiliations (people and organisations), tags and the timeline (every
//! record).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{local_datetime, money, short_date, tenant_zone};
use crate::Error;
use crate::membership::Member;
use crate::startup::AppState;

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

/// The kinds of activity, with their French names, in the order forms offer them.
pub const ACTIVITY_KINDS: [(&str, &str); 6] = [
    ("meeting", "Réunion"),
    ("call", "Appel"),
    ("email", "E-mail"),
    ("event", "Événement"),
    ("note", "Note"),
    ("task", "Tâche"),
];

pub fn activity_label(kind: &str) -> &'static str {
    ACTIVITY_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Note", |(_, label)| *label)
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
        None => format!("{} h {:02}", minutes / 60, minutes % 60),
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
