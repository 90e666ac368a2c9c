//! What every record kind shares: read, create, change (`If-Match`, locked, audited),
//! delete for good or move to the bin and back, merge two into one.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use maillage_problem::{Json, Path};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

/// Locks one record of the tenant until the transaction ends, so that the version
/// check and the write that follows cannot interleave with a colleague's.
pub(super) async fn lock<T: Record>(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<(), Error> {
    sqlx::query(T::LOCK_SQL)
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|_| ())
        .ok_or(Error::NotFound)
}

/// `lock` for a change `identity` asks, except when it is only checked: its read-only
/// transaction may not lock rows, and it writes nothing the lock would protect.
pub(super) async fn lock_for<T: Record>(
    conn: &mut PgConnection,
    identity: &Identity,
    id: Uuid,
) -> Result<(), Error> {
    if identity.checks_only() {
        return Ok(());
    }
    lock::<T>(conn, identity.0.tenant_id, id).await
}

/// A record of the tenant that the API reads, updates and deletes by id.
pub(super) trait Record: Serialize + Send + Sync + Sized + 'static {
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
pub(super) trait RecordKey: Copy + Send + Sync + DeserializeOwned + 'static {
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
pub(super) trait Binnable: Record<Key = Uuid> {
    /// Sets or clears `deleted_at` ($3: into the bin or out of it).
    const BIN_SQL: &'static str;

    fn fetch_binned(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> impl Future<Output = Result<Self, Error>> + Send;
}

/// Records of which two can become one (people, organisations): the duplicate's links
/// move to the survivor, its details fill the survivor's blanks, and it goes to the bin.
pub(super) trait Mergeable: Binnable {
    /// The message id said of a `duplicate_id` that names no live record of this kind
    /// in the tenant.
    const NO_SUCH_DUPLICATE: &'static str;

    /// Fills the survivor's blanks from the duplicate and moves every link of the
    /// duplicate to the survivor (where both had one, one is enough).
    fn absorb(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        survivor: Uuid,
        duplicate: Uuid,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

/// Records deleted for good (their before kept in the audit log).
pub(super) trait Deletable: Record {
    const DELETE_SQL: &'static str;
}

/// The one record a read by id found (from its module's `fetch_many`), or `NotFound`.
pub(super) fn the_one<T>(mut found: Vec<T>) -> Result<T, Error> {
    found.pop().ok_or(Error::NotFound)
}

/// `GET /v1/{records}/{id}`.
pub(super) async fn read<T: Record>(
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
pub(super) async fn delete<T: Deletable>(
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
pub(super) async fn created<T: Record>(
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
pub(super) struct Change<'a, T: Record> {
    /// The request's transaction, for the handler's writes.
    pub(super) tx: Transaction<'static, Postgres>,
    pub(super) identity: &'a Identity,
    pub(super) key: T::Key,
    /// The record as it was.
    pub(super) before: T,
}

impl<'a, T: Record> Change<'a, T> {
    pub(super) async fn begin(
        state: &AppState,
        identity: &'a Identity,
        key: T::Key,
        headers: &HeaderMap,
    ) -> Result<Self, Error> {
        identity.require_editor()?;
        let expected = expected_version(headers)?;
        let tenant_id = identity.0.tenant_id;
        let mut tx = identity.begin(state).await?;
        lock_for::<T>(&mut tx, identity, key.id()).await?;
        let before = T::fetch(&mut tx, tenant_id, key).await?;
        check_version(expected, before.version())?;
        Ok(Self {
            tx,
            identity,
            key,
            before,
        })
    }

    pub(super) fn tenant_id(&self) -> Uuid {
        self.identity.0.tenant_id
    }

    pub(super) fn id(&self) -> Uuid {
        self.key.id()
    }

    /// Reads the record as it now is, audits the change and commits it.
    pub(super) async fn commit(mut self) -> Result<(HeaderMap, Json<T>), Error> {
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

/// `POST /v1/{records}/{id}/merge`: the duplicate named in the body merges into this
/// record, both locked, both audited.
pub(super) async fn merge<T: Mergeable>(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Json(input): Json<MergeInput>,
) -> Result<(HeaderMap, Json<T>), Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let duplicate_id = input.duplicate_id;
    let mut tx = identity.begin(&state).await?;
    input.lock_both::<T>(&mut tx, tenant_id, id).await?;
    let before = T::fetch(&mut tx, tenant_id, id).await?;
    let duplicate = T::fetch(&mut tx, tenant_id, duplicate_id)
        .await
        .map_err(|_| Error::field("duplicate_id", &said(T::NO_SUCH_DUPLICATE)))?;
    T::absorb(&mut tx, tenant_id, id, duplicate_id).await?;
    sqlx::query(T::BIN_SQL)
        .bind(tenant_id)
        .bind(duplicate_id)
        .bind(true)
        .execute(&mut *tx)
        .await?;
    let after = T::fetch(&mut tx, tenant_id, id).await?;
    let binned = T::fetch_binned(&mut tx, tenant_id, duplicate_id).await?;
    for (id, before, after) in [(id, &before, &after), (duplicate_id, &duplicate, &binned)] {
        audit::record(
            &mut tx,
            &identity,
            Action::Merge,
            T::RECORD_TYPE,
            id,
            Some(before),
            Some(after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok((etag(after.version()), Json(after)))
}

/// Moves a live record to the bin (`binned`), or a binned one back; audited.
pub(super) async fn set_binned<T: Binnable>(
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
pub(super) async fn bin<T: Binnable>(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, Error> {
    set_binned::<T>(&state, &identity, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/{records}/{id}/restore`: out of the bin.
pub(super) async fn restore<T: Binnable>(
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
pub(super) struct MergeInput {
    pub(super) duplicate_id: Uuid,
}

impl MergeInput {
    /// Locks both records, in a fixed order so that two opposite merges cannot deadlock.
    pub(super) async fn lock_both<T: Record>(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        survivor: Uuid,
    ) -> Result<(), Error> {
        if self.duplicate_id == survivor {
            return Err(Error::field("duplicate_id", &said("check-merge-itself")));
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
pub(super) fn expected_version(headers: &HeaderMap) -> Result<i32, Error> {
    let raw = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or(Error::PreconditionRequired)?;
    raw.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| Error::field("If-Match", &said("check-if-match")))
}

/// An `ETag` header carrying the record's version, to send back in `If-Match`.
pub(super) fn etag(version: i32) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        headers.insert(header::ETAG, value);
    }
    headers
}

/// Fails with 409 when the client edited an older version than the stored one.
pub(super) fn check_version(expected: i32, current: i32) -> Result<(), Error> {
    if expected == current {
        Ok(())
    } else {
        Err(Error::VersionConflict { current })
    }
}
