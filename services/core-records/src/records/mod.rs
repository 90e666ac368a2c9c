//! The tenant's records, one module per resource: its routes, its types and its SQL.

/// `Record` for a resource type with a `version` field kept in `$table`, whose module
/// reads one with `fetch(conn, tenant_id, id)`: then also `Deletable`. With `binnable`,
/// one with a bin, read with `fetch(conn, tenant_id, id, in_bin)`: then `Binnable`
/// instead, so that deleting such a record for good does not compile.
macro_rules! record {
    ($type:ty, $table:literal, $name:literal) => {
        record!(@record $type, $table, $name;);

        impl super::Deletable for $type {
            const DELETE_SQL: &'static str =
                concat!("delete from ", $table, " where tenant_id = $1 and id = $2");
        }
    };
    ($type:ty, $table:literal, $name:literal, binnable) => {
        record!(@record $type, $table, $name; false);

        impl super::Binnable for $type {
            const BIN_SQL: &'static str = concat!(
                "update ", $table, " set deleted_at = case when $3 then now() end, ",
                "version = version + 1, updated_at = now() where tenant_id = $1 and id = $2"
            );

            fn fetch_binned(
                conn: &mut sqlx::PgConnection,
                tenant_id: uuid::Uuid,
                id: uuid::Uuid,
            ) -> impl Future<Output = Result<Self, crate::Error>> + Send {
                fetch(conn, tenant_id, id, true)
            }
        }
    };
    (@record $type:ty, $table:literal, $name:literal; $($in_bin:expr)?) => {
        impl super::Record for $type {
            const LOCK_SQL: &'static str = super::lock_sql!($table);
            const RECORD_TYPE: &'static str = $name;
            type Key = uuid::Uuid;

            fn fetch(
                conn: &mut sqlx::PgConnection,
                tenant_id: uuid::Uuid,
                id: uuid::Uuid,
            ) -> impl Future<Output = Result<Self, crate::Error>> + Send {
                fetch(conn, tenant_id, id $(, $in_bin)?)
            }

            fn version(&self) -> i32 {
                self.version
            }
        }
    };
}

/// The statement that locks one record of `$table` (see `lock`).
macro_rules! lock_sql {
    ($table:literal) => {
        concat!(
            "select 1 from ",
            $table,
            " where tenant_id = $1 and id = $2 for update"
        )
    };
}
use lock_sql;

mod activities;
mod affiliations;
mod agenda;
mod audit_trail;
mod bin;
mod calendar;
mod contact;
mod custom_fields;
mod deadlines;
mod engagements;
mod evaluations;
mod network;
mod notification_preferences;
mod organisations;
mod partnerships;
mod people;
mod projects;
mod reminder_policy;
pub(crate) mod search;
mod tags;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use maillage_domain::{EmailAddress, text};
use maillage_problem::{FieldError, Json, Path};
use maillage_runtime::api::ApiRouter;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::state::AppState;

/// Every route of the records, each with its OpenAPI description.
pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .merge(people::router())
        .merge(organisations::router())
        .merge(deadlines::router())
        .merge(search::router())
        .merge(affiliations::router())
        .merge(partnerships::router())
        .merge(audit_trail::router())
        .merge(bin::router())
        .merge(tags::router())
        .merge(activities::router())
        .merge(engagements::router())
        .merge(projects::router())
        .merge(network::router())
        .merge(evaluations::router())
        .merge(custom_fields::router())
        .merge(reminder_policy::router())
        .merge(notification_preferences::router())
        .merge(calendar::router())
        .merge(agenda::router())
}

/// Locks one record of the tenant until the transaction ends, so that the version
/// check and the write that follows cannot interleave with a colleague's.
async fn lock<T: Record>(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<(), Error> {
    sqlx::query(T::LOCK_SQL)
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|_| ())
        .ok_or(Error::NotFound)
}

/// A record of the tenant that the API reads, updates and deletes by id.
trait Record: Serialize + Send + Sized + 'static {
    /// Locks one by tenant and id (`lock`).
    const LOCK_SQL: &'static str;
    /// Its name in the audit log.
    const RECORD_TYPE: &'static str;
    /// What names one in its URL: its id, or its parent's id and its own.
    type Key: RecordKey;

    /// The live record (not in a bin) of the tenant, or `NotFound`.
    fn fetch(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        key: Self::Key,
    ) -> impl Future<Output = Result<Self, Error>> + Send;

    fn version(&self) -> i32;
}

/// The path parameters naming one record.
trait RecordKey: Copy + Send + Sync + DeserializeOwned + 'static {
    /// The record's own id.
    fn id(self) -> Uuid;
}

impl RecordKey for Uuid {
    fn id(self) -> Uuid {
        self
    }
}

/// A record that belongs to another, named by the other's id and then its own
/// (`/v1/partnerships/{id}/evaluations/{evaluation_id}`).
impl RecordKey for (Uuid, Uuid) {
    fn id(self) -> Uuid {
        self.1
    }
}

/// Records that go to a bin when deleted and can be restored from it (people,
/// organisations, partnerships, projects): deleting one by mistake loses nothing.
trait Binnable: Record<Key = Uuid> {
    /// Sets or clears `deleted_at` ($3: into the bin or out of it).
    const BIN_SQL: &'static str;

    fn fetch_binned(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> impl Future<Output = Result<Self, Error>> + Send;
}

/// Records deleted for good (their before kept in the audit log).
trait Deletable: Record {
    const DELETE_SQL: &'static str;
}

/// The one record a read by id found (from its module's `fetch_many`), or `NotFound`.
fn the_one<T>(mut found: Vec<T>) -> Result<T, Error> {
    found.pop().ok_or(Error::NotFound)
}

/// `GET /v1/{records}/{id}`.
async fn read<T: Record>(
    State(state): State<AppState>,
    identity: Identity,
    Path(key): Path<T::Key>,
) -> Result<(HeaderMap, Json<T>), Error> {
    let mut tx = identity.begin(&state).await?;
    let record = T::fetch(&mut tx, identity.0.tenant_id, key).await?;
    tx.commit().await?;
    Ok((etag(record.version()), Json(record)))
}

/// `DELETE /v1/{records}/{id}` for records without a bin: gone, with its before in the audit log.
async fn delete<T: Deletable>(
    State(state): State<AppState>,
    identity: Identity,
    Path(key): Path<T::Key>,
) -> Result<StatusCode, Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let id = key.id();
    let mut tx = identity.begin(&state).await?;
    lock::<T>(&mut tx, tenant_id, id).await?;
    let before = T::fetch(&mut tx, tenant_id, key).await?;
    sqlx::query(T::DELETE_SQL)
        .bind(tenant_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Delete,
        T::RECORD_TYPE,
        id,
        Some(&before),
        None::<&T>,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Answers a creation: reads the new record, audits it, commits, and returns it with
/// its `ETag` (201).
async fn created<T: Record>(
    mut tx: Transaction<'static, Postgres>,
    identity: &Identity,
    key: T::Key,
) -> Result<(StatusCode, HeaderMap, Json<T>), Error> {
    let record = T::fetch(&mut tx, identity.0.tenant_id, key).await?;
    audit::record(
        &mut tx,
        identity,
        Action::Create,
        T::RECORD_TYPE,
        key.id(),
        None,
        Some(&record),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, etag(record.version()), Json(record)))
}

/// A change to one record, made from the version its editor last read (`If-Match`):
/// opened with the record locked and its version checked, so that a colleague's
/// change cannot slip in between; committed with its before and after in the audit log.
struct Change<'a, T: Record> {
    /// The request's transaction, for the handler's writes.
    tx: Transaction<'static, Postgres>,
    identity: &'a Identity,
    key: T::Key,
    /// The record as it was.
    before: T,
}

impl<'a, T: Record> Change<'a, T> {
    async fn begin(
        state: &AppState,
        identity: &'a Identity,
        key: T::Key,
        headers: &HeaderMap,
    ) -> Result<Self, Error> {
        identity.require_editor()?;
        let expected = expected_version(headers)?;
        let tenant_id = identity.0.tenant_id;
        let mut tx = identity.begin(state).await?;
        lock::<T>(&mut tx, tenant_id, key.id()).await?;
        let before = T::fetch(&mut tx, tenant_id, key).await?;
        check_version(expected, before.version())?;
        Ok(Self {
            tx,
            identity,
            key,
            before,
        })
    }

    fn tenant_id(&self) -> Uuid {
        self.identity.0.tenant_id
    }

    fn id(&self) -> Uuid {
        self.key.id()
    }

    /// Reads the record as it now is, audits the change and commits it.
    async fn commit(mut self) -> Result<(HeaderMap, Json<T>), Error> {
        let tenant_id = self.tenant_id();
        let after = T::fetch(&mut self.tx, tenant_id, self.key).await?;
        audit::record(
            &mut self.tx,
            self.identity,
            Action::Update,
            T::RECORD_TYPE,
            self.key.id(),
            Some(&self.before),
            Some(&after),
        )
        .await?;
        self.tx.commit().await?;
        Ok((etag(after.version()), Json(after)))
    }
}

/// Moves a live record to the bin (`binned`), or a binned one back; audited.
async fn set_binned<T: Binnable>(
    state: &AppState,
    identity: &Identity,
    id: Uuid,
    binned: bool,
) -> Result<T, Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(state).await?;
    lock::<T>(&mut tx, tenant_id, id).await?;
    let before = if binned {
        T::fetch(&mut tx, tenant_id, id).await?
    } else {
        T::fetch_binned(&mut tx, tenant_id, id).await?
    };
    sqlx::query(T::BIN_SQL)
        .bind(tenant_id)
        .bind(id)
        .bind(binned)
        .execute(&mut *tx)
        .await?;
    let after = if binned {
        T::fetch_binned(&mut tx, tenant_id, id).await?
    } else {
        T::fetch(&mut tx, tenant_id, id).await?
    };
    let action = if binned {
        Action::Delete
    } else {
        Action::Restore
    };
    audit::record(
        &mut tx,
        identity,
        action,
        T::RECORD_TYPE,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// `DELETE /v1/{records}/{id}`: into the bin.
async fn bin<T: Binnable>(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, Error> {
    set_binned::<T>(&state, &identity, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/{records}/{id}/restore`: out of the bin.
async fn restore<T: Binnable>(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<(HeaderMap, Json<T>), Error> {
    let restored = set_binned::<T>(&state, &identity, id, false).await?;
    Ok((etag(restored.version()), Json(restored)))
}

/// `POST /v1/{records}/{id}/merge`: the record named in the body is the duplicate; its
/// links move to the one in the URL, which survives, and it goes to the bin.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct MergeInput {
    duplicate_id: Uuid,
}

impl MergeInput {
    /// Locks both records, in a fixed order so that two opposite merges cannot deadlock.
    async fn lock_both<T: Record>(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        survivor: Uuid,
    ) -> Result<(), Error> {
        if self.duplicate_id == survivor {
            return Err(Error::field(
                "duplicate_id",
                "une fiche ne peut pas être fusionnée avec elle-même",
            ));
        }
        let (first, second) = if survivor < self.duplicate_id {
            (survivor, self.duplicate_id)
        } else {
            (self.duplicate_id, survivor)
        };
        lock::<T>(&mut *conn, tenant_id, first).await?;
        lock::<T>(conn, tenant_id, second).await
    }
}

/// The version the client last read, from `If-Match: "3"` (weak or strong).
fn expected_version(headers: &HeaderMap) -> Result<i32, Error> {
    let raw = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or(Error::PreconditionRequired)?;
    raw.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| {
            Error::field(
                "If-Match",
                "doit contenir la version de la fiche, par exemple \"3\"",
            )
        })
}

/// An `ETag` header carrying the record's version, to send back in `If-Match`.
fn etag(version: i32) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        headers.insert(header::ETAG, value);
    }
    headers
}

/// Fails with 409 when the client edited an older version than the stored one.
fn check_version(expected: i32, current: i32) -> Result<(), Error> {
    if expected == current {
        Ok(())
    } else {
        Err(Error::VersionConflict { current })
    }
}

/// For PATCH bodies: tells "absent" (`None`) from "set to null" (`Some(None)`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Collects every field error of an input, so the user sees them all at once.
#[derive(Default)]
struct Checks(Vec<FieldError>);

impl Checks {
    /// Trimmed text of at most `max` characters, required or not. Invisible characters
    /// around it are trimmed too (a name of zero-width spaces is no name), and text that
    /// PostgreSQL cannot store or that would change how it displays is refused.
    ///
    /// Defects and length are judged on the text as sent, as the API document says.
    fn text(&mut self, field: &str, sent: &str, required: bool, max: usize) -> String {
        let value = text::trim_blank(sent);
        if let Some(defect) = text::defect(sent) {
            self.0.push(FieldError::new(field, defect.message()));
        } else if required && value.is_empty() {
            self.0.push(FieldError::new(field, "est obligatoire"));
        } else if sent.chars().count() > max {
            self.0.push(FieldError::new(
                field,
                format!("ne doit pas dépasser {max} caractères"),
            ));
        }
        value.to_owned()
    }

    /// Optional text: blank becomes absent.
    fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        value
            .map(|v| self.text(field, v, false, max))
            .filter(|v| !v.is_empty())
    }

    fn optional_email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        match EmailAddress::parse(value) {
            Ok(email) => Some(email.into()),
            Err(_) => {
                self.0.push(FieldError::new(
                    field,
                    "n'est pas une adresse e-mail valide",
                ));
                None
            }
        }
    }

    fn push(&mut self, field: &str, message: &str) {
        self.0.push(FieldError::new(field, message));
    }

    fn finish(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    /// Two types given one schema name would leave one of them described by the other's
    /// schema in the OpenAPI document.
    #[test]
    fn every_schema_of_the_document_has_a_name_of_its_own() {
        assert_eq!(super::router().schema_conflicts(), Vec::<String>::new());
    }
}
