//! The file sent: kept in PostgreSQL in parts of a mebibyte while the import may read it
//! (every core-records instance can then take the work), copied to a temporary file to
//! be read, and dropped once the import is over.

use std::io::Write;

use axum::body::Bytes;
use futures::{Stream, StreamExt};
use sqlx::{PgConnection, PgPool};
use tempfile::NamedTempFile;
use uuid::Uuid;

use crate::Error;
use crate::language::{reader, said};

/// The largest file taken: a million rows of a dozen columns.
pub(super) const MAX_FILE_BYTES: i64 = 512 << 20;
const PART_BYTES: usize = 1 << 20;

/// The file's name, as shown on the import's page.
pub(super) fn checked_name(name: &str) -> Result<String, Error> {
    let name = maillage_domain::text::trim_blank(name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::field("file_name", &said("check-file-name")));
    }
    if let Some(defect) = maillage_domain::text::defect(name) {
        return Err(Error::field("file_name", &said(defect.message_id())));
    }
    Ok(name.to_owned())
}

/// Writes the body into the import's parts as it arrives; its size.
pub(super) async fn store<E: std::fmt::Display>(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    mut body: impl Stream<Item = Result<Bytes, E>> + Unpin,
) -> Result<i64, Error> {
    let mut part = Vec::with_capacity(PART_BYTES);
    let mut index = 0;
    let mut total: i64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            Error::field(
                "file",
                &reader().t1("check-file-cut", "error", e.to_string()),
            )
        })?;
        total += i64::try_from(chunk.len()).unwrap_or(i64::MAX);
        if total > MAX_FILE_BYTES {
            return Err(Error::field(
                "file",
                &reader().t1("check-file-too-large", "megabytes", MAX_FILE_BYTES >> 20),
            ));
        }
        let mut rest = &chunk[..];
        while !rest.is_empty() {
            let room = PART_BYTES - part.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            part.extend_from_slice(now);
            rest = later;
            if part.len() == PART_BYTES {
                write_part(&mut *conn, tenant_id, import_id, index, &part).await?;
                part.clear();
                index += 1;
            }
        }
    }
    if !part.is_empty() {
        write_part(&mut *conn, tenant_id, import_id, index, &part).await?;
    }
    if total == 0 {
        return Err(Error::field("file", &said("check-file-empty")));
    }
    Ok(total)
}

async fn write_part(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    part: i32,
    bytes: &[u8],
) -> Result<(), Error> {
    sqlx::query!(
        "insert into import_file_parts (tenant_id, import_id, part, bytes) values ($1, $2, $3, $4)",
        tenant_id,
        import_id,
        part,
        bytes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The file, copied part by part into a temporary file (removed when dropped).
pub(super) async fn to_temporary_file(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
) -> Result<NamedTempFile, Error> {
    let mut file = NamedTempFile::new().map_err(io)?;
    let mut part = 0;
    loop {
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        let bytes = sqlx::query_scalar!(
            r#"select bytes from import_file_parts
               where tenant_id = $1 and import_id = $2 and part = $3"#,
            tenant_id,
            import_id,
            part,
        )
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let Some(bytes) = bytes else {
            break;
        };
        file.write_all(&bytes).map_err(io)?;
        part += 1;
    }
    file.flush().map_err(io)?;
    Ok(file)
}

/// The file is no longer needed: the import ran, failed or was refused.
pub(super) async fn drop_parts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
) -> Result<(), Error> {
    sqlx::query!(
        "delete from import_file_parts where tenant_id = $1 and import_id = $2",
        tenant_id,
        import_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A local file that cannot be written is the machine's trouble, reported as such.
fn io(error: std::io::Error) -> Error {
    Error::Database(sqlx::Error::Io(error))
}
