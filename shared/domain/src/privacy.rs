//! A person's rights over what a workspace holds about them (RGPD): the history of their
//! consent, the copy of everything held (subject access, article 15) and what an erasure
//! took away (article 17). Gathered by core-records, shown by the gateway.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::contact::{Address, EmailEntry, PhoneEntry};
use crate::kinds::{ActivityKind, EngagementKind};

/// A person's consent as it was over time, the latest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentHistory {
    pub changes: Vec<ConsentChange>,
}

/// One state of a person's consent, from the moment it was recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentChange {
    pub changed_at: DateTime<Utc>,
    /// The member who made the change (by name); none for the state known when the
    /// history began.
    pub changed_by: Option<String>,
    pub email_consent: bool,
    pub consent_basis: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub consent_source: String,
}

/// Everything a workspace holds about one person, as the person may ask to receive it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalData {
    pub produced_at: DateTime<Utc>,
    /// The workspace (the data controller) that holds it.
    pub workspace: String,
    pub person: HeldPerson,
    pub consent_history: Vec<ConsentChange>,
    pub tags: Vec<String>,
    pub organisations: Vec<HeldAffiliation>,
    pub activities: Vec<HeldActivity>,
    pub engagements: Vec<HeldEngagement>,
    /// Emails Maillage sent to one of the person's addresses (a person who is also a
    /// member of the workspace receives its reminders).
    pub emails_sent: Vec<SentEmail>,
    /// The imports that created or changed the record.
    pub imports: Vec<HeldImport>,
    /// Every change made to the record, with its content before and after.
    pub audit: Vec<HeldChange>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldPerson {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub emails: Vec<EmailEntry>,
    pub phones: Vec<PhoneEntry>,
    pub address: Option<Address>,
    pub email_consent: bool,
    pub consent_basis: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub consent_source: String,
    pub notes: String,
    /// The workspace's own fields that hold something, in their order.
    pub custom: Vec<HeldValue>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the record is in the bin.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A value of one of the workspace's own fields, written out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldValue {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldAffiliation {
    pub organisation: String,
    pub role: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldActivity {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldEngagement {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: EngagementKind,
    pub occurred_on: NaiveDate,
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
    pub minutes: Option<i32>,
    pub campaign: String,
    pub project: Option<String>,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentEmail {
    pub to: String,
    pub subject: String,
    pub sent_at: Option<DateTime<Utc>>,
    /// sent, pending, failed…
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldImport {
    pub file_name: String,
    pub imported_at: DateTime<Utc>,
    /// True when the import created the record, false when it changed it.
    pub created: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldChange {
    pub at: DateTime<Utc>,
    /// create, update, delete, restore, merge, access.
    pub action: String,
    /// The member who made it, by name.
    pub by: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What an erasure took away, or would: counts only, never what was there. The audit
/// log keeps this and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erasure {
    pub tags: i64,
    pub affiliations: i64,
    pub engagements: i64,
    /// Activities about the person alone, removed with them.
    pub activities_removed: i64,
    /// Activities shared with other records: kept, without the person.
    pub activities_unlinked: i64,
    pub consent_changes: i64,
    /// Texts elsewhere (notes, activities, targets) where the person's name, address or
    /// number was replaced by « [personne effacée] ».
    pub mentions_replaced: i64,
    /// Entries of the audit log whose content was blanked, their fact kept.
    pub audit_entries_blanked: i64,
    /// Lines of imports' reports and duplicates that held the person.
    pub import_traces: i64,
}

/// The years of silence a retention rule may count: core-records checks a rule against
/// them, the gateway's form says them.
pub const RETENTION_YEARS: std::ops::RangeInclusive<i32> = 1..=30;

/// How long the workspace keeps people it no longer deals with (`/v1/retention`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionRule {
    /// A person with no sign of life for this many years goes; none: no rule.
    pub inactive_years: Option<i32>,
    /// Whether they are erased each day, or only shown.
    pub purge_scheduled: bool,
    /// The admin who set the rule, by name, and when.
    pub set_by: Option<String>,
    pub set_at: Option<DateTime<Utc>>,
    /// The last daily pass, and how many people it erased.
    pub last_purge_at: Option<DateTime<Utc>>,
    pub last_purge_erased: Option<i32>,
}

/// Who a rule of so many years would erase today.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionPreview {
    pub inactive_years: i32,
    /// How many people the rule would erase.
    pub count: i64,
    /// The first of them, the longest silent first.
    pub people: Vec<InactivePerson>,
}

/// A person silent for long: the last time anything happened with them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InactivePerson {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    /// Their record changed, an activity with them, an engagement, their consent given:
    /// the latest.
    pub last_sign_of_life: DateTime<Utc>,
}

/// The workspace's register of processing activities (registre des traitements, RGPD
/// article 30), drawn from what it really holds today.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessingRegister {
    pub produced_at: DateTime<Utc>,
    /// The data controller.
    pub workspace: String,
    /// Its owners and admins, who answer for it: name and address.
    pub answerable: Vec<String>,
    pub activities: Vec<Processing>,
    /// How the workspace protects what it holds.
    pub security: Vec<String>,
    /// The people's requests answered: copies handed out, erasures (by hand and by the
    /// retention rule).
    pub copies_given: i64,
    pub erasures: i64,
    pub erasures_by_retention: i64,
}

/// One processing activity of the register.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Processing {
    pub name: String,
    pub purpose: String,
    /// Whose data, and how many of them.
    pub subjects: String,
    /// What is held about them.
    pub data: Vec<String>,
    /// On what legal basis, with how many people on each.
    pub legal_bases: Vec<String>,
    /// Who reads it.
    pub recipients: String,
    /// How long it is kept.
    pub retention: String,
}
