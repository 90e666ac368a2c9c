//! Reading partnerships, each with its partners.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use super::model::{Agreement, Partner, Partnership, next_statuses};
use crate::Error;
use crate::records::the_one;

struct PartnershipRow {
    id: Uuid,
    title: String,
    kind: String,
    status: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    next_evaluation_on: Option<NaiveDate>,
    agreement: JsonColumn<Agreement>,
    notes: String,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl PartnershipRow {
    pub(super) fn with_partners(self, partners: Vec<Partner>) -> Partnership {
        Partnership {
            next_statuses: next_statuses(&self.status),
            id: self.id,
            title: self.title,
            kind: self.kind,
            status: self.status,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            next_evaluation_on: self.next_evaluation_on,
            agreement: self.agreement.0,
            partners,
            notes: self.notes,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        }
    }
}

/// One partnership of the tenant, from the bin when `in_bin`, otherwise a live one.
pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Partnership, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These partnerships, in the order of `ids`, live or in the bin, each with its
/// partners: two queries whatever their number.
pub(super) async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Partnership>, Error> {
    let rows = sqlx::query_as!(
        PartnershipRow,
        r#"select id, title, kind, status, starts_on, ends_on, next_evaluation_on, agreement as "agreement: JsonColumn<Agreement>",
                  notes, version, created_at, updated_at, deleted_at
           from partnerships
           where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut partners: HashMap<Uuid, Vec<Partner>> = HashMap::new();
    for partner in sqlx::query!(
        r#"select pp.partnership_id, pp.organisation_id, o.name, pp.role
           from partnership_partners pp
           join organisations o on o.tenant_id = pp.tenant_id and o.id = pp.organisation_id
           where pp.tenant_id = $1 and pp.partnership_id = any($2)
           order by o.name"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?
    {
        partners
            .entry(partner.partnership_id)
            .or_default()
            .push(Partner {
                organisation_id: partner.organisation_id,
                name: partner.name,
                role: partner.role,
            });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let partners = partners.remove(&row.id).unwrap_or_default();
            row.with_partners(partners)
        })
        .collect())
}
