//! Reading organisations.

use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use super::model::Organisation;
use crate::Error;
use crate::records::contact::{Address, EmailEntry, PhoneEntry};
use crate::records::the_one;

/// One record of the tenant, from the bin when `in_bin`, otherwise from the live ones.
pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Organisation, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These organisations, in the order of `ids`, live or in the bin.
pub(super) async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Organisation>, Error> {
    Ok(sqlx::query_as!(
        Organisation,
        r#"select id, name, kind, sector, territory, website, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                  phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                  notes, version, created_at, updated_at, deleted_at
           from organisations where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(conn)
    .await?)
}
