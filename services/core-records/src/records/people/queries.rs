//! Reading people.

use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use super::model::Person;
use crate::Error;
use crate::records::contact::{Address, EmailEntry, PhoneEntry};
use crate::records::the_one;

/// One record of the tenant, from the bin when `in_bin`, otherwise from the live ones.
pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Person, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These people, in the order of `ids`, live or in the bin.
pub(super) async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Person>, Error> {
    Ok(sqlx::query_as!(
        Person,
        r#"select id, given_name, family_name, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                  phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                  email_consent, consent_basis, consent_on, consent_source,
                  notes, version, created_at, updated_at, deleted_at
           from people where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(conn)
    .await?)
}
