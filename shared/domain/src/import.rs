//! Imports of spreadsheets and CSV files (`/v1/imports`): the fields a column may fill,
//! an import's steps, and what it reports. Run by core-records, shown by the gateway.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A field of Maillage that a column of the file may fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    GivenName,
    FamilyName,
    /// "Camille Martin" or "MARTIN Camille", split into given and family names.
    FullName,
    Email,
    Phone,
    Mobile,
    Street,
    PostalCode,
    City,
    /// "Oui/Non": may we write to this person.
    EmailConsent,
    /// The day consent was given (31/12/2025 or 2025-12-31).
    ConsentOn,
    Notes,
    OrganisationName,
    OrganisationKind,
    OrganisationEmail,
    OrganisationPhone,
    OrganisationWebsite,
    OrganisationSector,
    OrganisationTerritory,
    /// The person's role in the organisation of the same row.
    Role,
    /// Several, separated by commas or semicolons.
    Tags,
    /// The day of an activity of the row's person (or organisation): a meeting, a call…
    ActivityOn,
    /// Réunion, appel, e-mail, événement or note (a note when not said).
    ActivityKind,
    ActivitySubject,
    /// What was said or done, at length.
    ActivityBody,
    /// Don, cotisation, bénévolat, abonnement, achat or mécénat (a donation when not said).
    EngagementKind,
    /// In euros, written the French way ("1 234,50 €") or not.
    EngagementAmount,
    /// Hours of volunteering ("2,5", "2h30", "1:15").
    EngagementHours,
    EngagementOn,
    EngagementCampaign,
}

impl ImportField {
    pub const ALL: [Self; 30] = [
        Self::GivenName,
        Self::FamilyName,
        Self::FullName,
        Self::Email,
        Self::Phone,
        Self::Mobile,
        Self::Street,
        Self::PostalCode,
        Self::City,
        Self::EmailConsent,
        Self::ConsentOn,
        Self::Notes,
        Self::OrganisationName,
        Self::OrganisationKind,
        Self::OrganisationEmail,
        Self::OrganisationPhone,
        Self::OrganisationWebsite,
        Self::OrganisationSector,
        Self::OrganisationTerritory,
        Self::Role,
        Self::Tags,
        Self::ActivityOn,
        Self::ActivityKind,
        Self::ActivitySubject,
        Self::ActivityBody,
        Self::EngagementKind,
        Self::EngagementAmount,
        Self::EngagementHours,
        Self::EngagementOn,
        Self::EngagementCampaign,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::FullName => "full_name",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Mobile => "mobile",
            Self::Street => "street",
            Self::PostalCode => "postal_code",
            Self::City => "city",
            Self::EmailConsent => "email_consent",
            Self::ConsentOn => "consent_on",
            Self::Notes => "notes",
            Self::OrganisationName => "organisation_name",
            Self::OrganisationKind => "organisation_kind",
            Self::OrganisationEmail => "organisation_email",
            Self::OrganisationPhone => "organisation_phone",
            Self::OrganisationWebsite => "organisation_website",
            Self::OrganisationSector => "organisation_sector",
            Self::OrganisationTerritory => "organisation_territory",
            Self::Role => "role",
            Self::Tags => "tags",
            Self::ActivityOn => "activity_on",
            Self::ActivityKind => "activity_kind",
            Self::ActivitySubject => "activity_subject",
            Self::ActivityBody => "activity_body",
            Self::EngagementKind => "engagement_kind",
            Self::EngagementAmount => "engagement_amount",
            Self::EngagementHours => "engagement_hours",
            Self::EngagementOn => "engagement_on",
            Self::EngagementCampaign => "engagement_campaign",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// In the mapping form, after "Personne :" or "Organisation :".
    pub fn label(self) -> &'static str {
        match self {
            Self::GivenName => "Personne : prénom",
            Self::FamilyName => "Personne : nom",
            Self::FullName => "Personne : nom complet (prénom et nom)",
            Self::Email => "Personne : e-mail",
            Self::Phone => "Personne : téléphone",
            Self::Mobile => "Personne : mobile",
            Self::Street => "Personne : adresse (rue)",
            Self::PostalCode => "Personne : code postal",
            Self::City => "Personne : ville",
            Self::EmailConsent => "Personne : accepte les e-mails (Oui/Non)",
            Self::ConsentOn => "Personne : date du consentement",
            Self::Notes => "Personne : notes",
            Self::OrganisationName => "Organisation : nom",
            Self::OrganisationKind => "Organisation : type",
            Self::OrganisationEmail => "Organisation : e-mail",
            Self::OrganisationPhone => "Organisation : téléphone",
            Self::OrganisationWebsite => "Organisation : site web",
            Self::OrganisationSector => "Organisation : secteur",
            Self::OrganisationTerritory => "Organisation : territoire",
            Self::Role => "Lien : fonction dans l'organisation",
            Self::Tags => "Étiquettes",
            Self::ActivityOn => "Historique : date de l'activité",
            Self::ActivityKind => "Historique : type d'activité (réunion, appel…)",
            Self::ActivitySubject => "Historique : objet de l'activité",
            Self::ActivityBody => "Historique : compte rendu de l'activité",
            Self::EngagementKind => "Historique : type d'engagement (don, cotisation…)",
            Self::EngagementAmount => "Historique : montant (€)",
            Self::EngagementHours => "Historique : heures de bénévolat",
            Self::EngagementOn => "Historique : date de l'engagement",
            Self::EngagementCampaign => "Historique : campagne",
        }
    }
}

/// A change made to a column's cells before they are read, chosen per column where the
/// file writes a field in a way that cannot be told from the cells alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ColumnTransform {
    /// "DUPONT" or "jean-pierre" written "Dupont", "Jean-Pierre".
    Capitalise,
    /// Full names written family name first in any case: "Martin Camille".
    FamilyNameFirst,
    /// Dates written month first, as American exports do: 12/31/2025.
    MonthFirst,
    /// "Oui" means no: a column such as "Ne pas contacter" or CiviCRM's "Do Not Email".
    Negate,
}

impl ColumnTransform {
    pub const ALL: [Self; 4] = [
        Self::Capitalise,
        Self::FamilyNameFirst,
        Self::MonthFirst,
        Self::Negate,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Capitalise => "capitalise",
            Self::FamilyNameFirst => "family_name_first",
            Self::MonthFirst => "month_first",
            Self::Negate => "negate",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    /// In the mapping form, beside the column's field.
    pub fn label(self) -> &'static str {
        match self {
            Self::Capitalise => "Majuscule initiale (DUPONT → Dupont)",
            Self::FamilyNameFirst => "Nom de famille d'abord (Martin Camille)",
            Self::MonthFirst => "Mois avant le jour (12/31/2025)",
            Self::Negate => "Inverser Oui et Non (« Ne pas contacter »)",
        }
    }

    /// Whether it means something for a column of `field`.
    pub fn fits(self, field: ImportField) -> bool {
        use ImportField as F;
        match self {
            Self::Capitalise => matches!(
                field,
                F::GivenName | F::FamilyName | F::FullName | F::City | F::OrganisationName
            ),
            Self::FamilyNameFirst => field == F::FullName,
            Self::MonthFirst => matches!(field, F::ConsentOn | F::ActivityOn | F::EngagementOn),
            Self::Negate => field == F::EmailConsent,
        }
    }
}

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// The file is being read and tried (the dry run), in the background.
    Checking,
    /// Tried: the dry run's counts and errors wait for a decision.
    Checked,
    /// The file cannot be read at all (see `error`).
    Refused,
    /// Asked to run; waits for an importer.
    Queued,
    Running,
    Done,
    /// Stopped by an error; what it had written was taken back.
    Failed,
    /// Asked to be undone; waits for an importer.
    Undoing,
    Undone,
}

impl ImportStatus {
    pub const ALL: [Self; 9] = [
        Self::Checking,
        Self::Checked,
        Self::Refused,
        Self::Queued,
        Self::Running,
        Self::Done,
        Self::Failed,
        Self::Undoing,
        Self::Undone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checking => "checking",
            Self::Checked => "checked",
            Self::Refused => "refused",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Undoing => "undoing",
            Self::Undone => "undone",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Checking => "vérification en cours",
            Self::Checked => "vérifié, en attente de votre accord",
            Self::Refused => "fichier refusé",
            Self::Queued => "en file d'attente",
            Self::Running => "import en cours",
            Self::Done => "importé",
            Self::Failed => "échec, rien n'a été gardé",
            Self::Undoing => "annulation en cours",
            Self::Undone => "annulé",
        }
    }

    /// Whether an importer is, or will soon be, working on it: the page refreshes.
    pub fn in_progress(self) -> bool {
        matches!(
            self,
            Self::Checking | Self::Queued | Self::Running | Self::Undoing
        )
    }
}

/// What to do with a row whose person looks like one already in the records (same name
/// and organisation, accents and case aside) though no email says so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateDecision {
    /// Take it as that person: fill what they lack.
    #[default]
    Match,
    /// A namesake: create another person.
    Create,
    /// Leave the row out.
    Skip,
}

impl DuplicateDecision {
    /// As the API and the database write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Match => "match",
            Self::Create => "create",
            Self::Skip => "skip",
        }
    }

    /// Read back from `as_str`; anything else is the default (match).
    pub fn parse(key: &str) -> Self {
        [Self::Create, Self::Skip]
            .into_iter()
            .find(|d| d.as_str() == key)
            .unwrap_or_default()
    }
}

/// Counts of what an import would do (the dry run) or did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ImportCounts {
    /// Rows read, the header aside.
    pub rows: u64,
    /// Rows left out: empty, refused, or skipped as duplicates.
    pub skipped: u64,
    pub rejected: u64,
    pub people_created: u64,
    /// Already known (by email, or as a likely duplicate taken as them), given what they lacked.
    pub people_updated: u64,
    /// Already known, nothing to add.
    pub people_matched: u64,
    pub organisations_created: u64,
    pub organisations_matched: u64,
    pub affiliations_created: u64,
    pub tags_created: u64,
    pub tags_attached: u64,
    pub activities_created: u64,
    /// Already in the records (same day, kind and subject, for the same person).
    pub activities_matched: u64,
    pub engagements_created: u64,
    /// Already in the records (same contributor, kind, day and amount or hours).
    pub engagements_matched: u64,
    /// Rows whose person looks like someone already in the records.
    pub likely_duplicates: u64,
    /// Once undone: records the undoing kept, because someone changed or linked to them
    /// since the import.
    pub kept_after_undo: u64,
}

/// A row the import cannot take, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    /// The file's line (1 is the header).
    pub line: u64,
    /// The column's header, when one column is at fault.
    pub column: Option<String>,
    pub reason: String,
}

/// A row whose person looks like someone already there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LikelyDuplicate {
    pub line: u64,
    /// The row's person, as written in the file.
    pub row_name: String,
    pub person_id: Uuid,
    pub person_name: String,
    pub decision: DuplicateDecision,
}

/// How many records of each kind the workspace held, before the import and after it:
/// the "indicateurs de reprise" a migration is signed off with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecordTotals {
    pub people: i64,
    pub organisations: i64,
    pub affiliations: i64,
    pub tags: i64,
    pub activities: i64,
    pub engagements: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ColumnMapping {
    /// The column's header in the file.
    pub header: String,
    /// The field it fills; none: left out.
    pub field: Option<ImportField>,
    /// How its cells are changed before they are read; none: as written.
    pub transform: Option<ColumnTransform>,
    /// A few of its values, to recognise it.
    pub examples: Vec<String>,
}

/// A mapping saved to be used again: a file of the same headers takes it at once, in
/// whatever order its columns come.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportTemplate {
    pub id: Uuid,
    pub name: String,
    /// Each header it was made for (folded: lower case, no accents), with its field and
    /// transform.
    pub columns: Vec<TemplateColumn>,
    pub duplicates: DuplicateDecision,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateColumn {
    pub header: String,
    pub field: Option<ImportField>,
    pub transform: Option<ColumnTransform>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Import {
    pub id: Uuid,
    pub file_name: String,
    pub file_bytes: i64,
    pub status: ImportStatus,
    /// The file's shape: "CSV, Windows-1252, séparateur « ; »".
    pub file_shape: Option<String>,
    /// The export the headers were recognised as (Google Contacts, Outlook…).
    pub recognised_source: Option<String>,
    /// The saved template whose mapping was applied, by its name.
    pub template_name: Option<String>,
    /// Why the file was refused, or why the import failed.
    pub error: Option<String>,
    pub columns: Vec<ColumnMapping>,
    /// The decision for rows whose person looks like someone already there, unless a
    /// row has its own.
    pub duplicates: DuplicateDecision,
    /// The dry run's counts while checked; what it did once done.
    pub counts: ImportCounts,
    /// Rows read so far by the current step.
    pub progress_rows: u64,
    /// The first row problems (all of them in `rejected.csv`).
    pub problems: Vec<RowProblem>,
    pub likely_duplicates: Vec<LikelyDuplicate>,
    pub totals_before: Option<RecordTotals>,
    pub totals_after: Option<RecordTotals>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub undone_at: Option<DateTime<Utc>>,
}
