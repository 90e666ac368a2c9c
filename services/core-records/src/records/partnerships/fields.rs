//! What a partnership's form or body may set, and the checks each field passes (a
//! status moves only along the lifecycle).

use chrono::NaiveDate;
use maillage_domain::kinds::{PartnershipKind, PartnershipStatus};
use serde::Deserialize;
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::model::{Agreement, Partnership, next_statuses};
use crate::Error;
use crate::error::ResultExt;
use crate::language::{one_of, reader, said};
use crate::records::{Checks, present};

/// The kinds of partnership, for the document.
fn kind_schema() -> Object {
    maillage_runtime::api::one_of_or_null(PartnershipKind::VALUES)
}

/// The statuses of a partnership, for the document.
fn status_schema() -> Object {
    maillage_runtime::api::one_of_or_null(PartnershipStatus::VALUES)
}

/// A status as a message names it: in the reader's words, with its code, "en
/// négociation (negotiating)".
fn status_said(status: &str) -> String {
    let named = said(&format!("partnership-status-{status}")).to_lowercase();
    if named == status {
        named
    } else {
        format!("{named} ({status})")
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    organisation_id: Uuid,
    #[serde(default)]
    #[schema(max_length = 200)]
    role: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnershipInput {
    #[schema(min_length = 1, max_length = 300)]
    title: Option<String>,
    #[schema(schema_with = kind_schema)]
    kind: Option<String>,
    #[schema(schema_with = status_schema)]
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    ends_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    next_evaluation_on: Option<Option<NaiveDate>>,
    agreement: Option<Agreement>,
    /// Replaces the whole list of partners.
    #[schema(min_items = 1)]
    partners: Option<Vec<PartnerInput>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

pub(super) struct PartnershipFields {
    pub(super) title: String,
    pub(super) kind: String,
    pub(super) status: String,
    pub(super) starts_on: Option<NaiveDate>,
    pub(super) ends_on: Option<NaiveDate>,
    pub(super) next_evaluation_on: Option<NaiveDate>,
    pub(super) agreement: Agreement,
    /// None: keep the current partners.
    pub(super) partners: Option<Vec<PartnerInput>>,
    pub(super) notes: String,
}

impl PartnershipFields {
    pub(super) fn merge(
        previous: Option<&Partnership>,
        input: PartnershipInput,
    ) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let title = input
            .title
            .or(previous.map(|p| p.title.clone()))
            .unwrap_or_default();
        let kind = input
            .kind
            .or(previous.map(|p| p.kind.clone()))
            .unwrap_or_default();
        if !PartnershipKind::VALUES.contains(&kind.as_str()) {
            checks.push("kind", &one_of(PartnershipKind::VALUES));
        }
        let status = match (previous, input.status) {
            (None, status) => {
                let status = status.unwrap_or_else(|| "prospect".into());
                if !PartnershipStatus::VALUES.contains(&status.as_str()) {
                    checks.push("status", &one_of(PartnershipStatus::VALUES));
                }
                status
            }
            (Some(previous), Some(status)) if status != previous.status => {
                let allowed = next_statuses(&previous.status);
                if !allowed.contains(&status.as_str()) {
                    let message = if allowed.is_empty() {
                        reader().t1(
                            "check-status-final",
                            "status",
                            status_said(&previous.status),
                        )
                    } else {
                        let allowed: Vec<String> = allowed.iter().map(|s| status_said(s)).collect();
                        reader().t2(
                            "check-status-moves",
                            "status",
                            status_said(&previous.status),
                            "allowed",
                            allowed.join(", "),
                        )
                    };
                    checks.push("status", &message);
                }
                status
            }
            (Some(previous), _) => previous.status.clone(),
        };
        let starts_on = input
            .starts_on
            .unwrap_or(previous.and_then(|p| p.starts_on));
        let ends_on = input.ends_on.unwrap_or(previous.and_then(|p| p.ends_on));
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            checks.push("ends_on", &said("check-after-start"));
        }
        let next_evaluation_on = input
            .next_evaluation_on
            .unwrap_or(previous.and_then(|p| p.next_evaluation_on));
        let agreement = input
            .agreement
            .or(previous.map(|p| p.agreement.clone()))
            .unwrap_or_default();
        if let Some(budget) = &agreement.budget {
            if budget.amount_cents < 0 {
                checks.push("agreement.budget.amount_cents", &said("check-negative"));
            }
            if budget.currency.len() != 3
                || !budget.currency.chars().all(|c| c.is_ascii_uppercase())
            {
                checks.push("agreement.budget.currency", &said("check-currency"));
            }
        }
        match (&input.partners, previous) {
            (None, None) => checks.push("partners", &said("check-partner-required")),
            (Some(partners), _) if partners.is_empty() => {
                checks.push("partners", &said("check-partner-required"))
            }
            (Some(partners), _) => {
                let mut ids: Vec<Uuid> = partners.iter().map(|p| p.organisation_id).collect();
                ids.sort();
                ids.dedup();
                if ids.len() != partners.len() {
                    checks.push("partners", &said("check-partner-once"));
                }
            }
            _ => {}
        }
        let mut partners = input.partners;
        for partner in partners.iter_mut().flatten() {
            partner.role = checks.text("partners.role", &partner.role, false, 200);
        }
        let agreement = agreement.checked(&mut checks);
        let notes = input
            .notes
            .or(previous.map(|p| p.notes.clone()))
            .unwrap_or_default();
        let fields = Self {
            title: checks.text("title", &title, true, 300),
            kind,
            status,
            starts_on,
            ends_on,
            next_evaluation_on,
            agreement,
            partners,
            notes: checks.text("notes", &notes, false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }

    /// Replaces the partners, when the input named them.
    pub(super) async fn save_partners(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> Result<(), Error> {
        let Some(partners) = &self.partners else {
            return Ok(());
        };
        sqlx::query!(
            "delete from partnership_partners where tenant_id = $1 and partnership_id = $2",
            tenant_id,
            id
        )
        .execute(&mut *conn)
        .await?;
        let organisations: Vec<Uuid> = partners.iter().map(|p| p.organisation_id).collect();
        let roles: Vec<String> = partners.iter().map(|p| p.role.clone()).collect();
        sqlx::query!(
            r#"insert into partnership_partners (tenant_id, partnership_id, organisation_id, role)
               select $1, $2, organisation_id, role from unnest($3::uuid[], $4::text[]) as p (organisation_id, role)"#,
            tenant_id,
            id,
            &organisations,
            &roles,
        )
        .execute(&mut *conn)
        .await
        .on_constraint("partnership_partners_organisation_fkey", || {
            Error::field("partners", &said("check-an-organisation-elsewhere"))
        })?;
        Ok(())
    }
}
