//! A partnership as the API shows it, its agreement, and where its lifecycle may go.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::records::Checks;

/// Where a partnership may go from each status.
pub(super) fn next_statuses(status: &str) -> &'static [&'static str] {
    match status {
        "prospect" => &["negotiating", "closed"],
        "negotiating" => &["prospect", "active", "closed"],
        "active" => &["evaluating", "closed"],
        "evaluating" => &["active", "closed"],
        _ => &[],
    }
}

/// What the partners agreed on. Every part is optional text, the budget aside.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Agreement {
    #[schema(max_length = 10_000)]
    pub shared_values: String,
    #[schema(max_length = 10_000)]
    pub purpose: String,
    /// Who does what, for each party.
    #[schema(max_length = 10_000)]
    pub roles: String,
    #[schema(max_length = 10_000)]
    pub phasing: String,
    #[schema(max_length = 10_000)]
    pub means: String,
    pub budget: Option<AgreementBudget>,
    #[schema(max_length = 10_000)]
    pub regulation_mode: String,
    #[schema(max_length = 10_000)]
    pub evaluation_method: String,
}

impl Agreement {
    /// Each part checked as text, and trimmed.
    pub(super) fn checked(mut self, checks: &mut Checks) -> Self {
        for (field, part) in [
            ("agreement.shared_values", &mut self.shared_values),
            ("agreement.purpose", &mut self.purpose),
            ("agreement.roles", &mut self.roles),
            ("agreement.phasing", &mut self.phasing),
            ("agreement.means", &mut self.means),
            ("agreement.regulation_mode", &mut self.regulation_mode),
            ("agreement.evaluation_method", &mut self.evaluation_method),
        ] {
            *part = checks.text(field, part, false, 10_000);
        }
        self
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementBudget {
    /// In cents, to keep money exact.
    #[schema(minimum = 0)]
    pub amount_cents: i64,
    /// ISO 4217, e.g. EUR.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Partner {
    pub organisation_id: Uuid,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Partnership {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub status: String,
    /// The statuses it may move to next.
    pub next_statuses: &'static [&'static str],
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// When the next evaluation (interim or final) is due: its responsibles are reminded.
    pub next_evaluation_on: Option<NaiveDate>,
    pub agreement: Agreement,
    pub partners: Vec<Partner>,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}
