//! A workspace's export, downloaded: the archive `maillage_export` writes, from one
//! snapshot, into a temporary file (never whole in memory), then streamed.

use std::io::{BufWriter, Seek};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_export::Workspace;
use maillage_problem::Path;
use tokio_util::io::ReaderStream;

use super::{PlatformAdmin, audit};
use crate::Error;
use crate::state::AppState;

pub(super) async fn export(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    // In a task of its own: a client that goes away does not cut the snapshot's
    // transaction short (it ends, and the temporary file goes, with the task).
    let pool = state.pool.clone();
    let archive = tokio::spawn(async move { write_archive(&pool, &slug).await })
        .await
        .map_err(|error| Error::Export(error.to_string()))??;
    let (workspace, rows, mut file) = archive;
    file.rewind()
        .map_err(|error| Error::Export(error.to_string()))?;
    let mut tx = maillage_db::begin(&state.pool).await?;
    audit(
        &mut tx,
        &admin,
        "tenant.export",
        &workspace.slug,
        serde_json::json!({ "rows": rows }),
    )
    .await?;
    tx.commit().await?;
    let name = maillage_export::file_name(&workspace.slug, chrono::Utc::now());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let body = Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file)));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// The archive of `slug`, in a temporary file: the workspace, its rows, the file.
async fn write_archive(
    pool: &sqlx::PgPool,
    slug: &str,
) -> Result<(Workspace, u64, std::fs::File), Error> {
    let mut tx = pool
        .begin_with("begin isolation level repeatable read read only")
        .await?;
    let workspace = sqlx::query_as!(
        Workspace,
        "select id, slug, name, kind, status, locale, time_zone, created_at from tenants where slug = $1",
        slug
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let mut file = tempfile::tempfile().map_err(|error| Error::Export(error.to_string()))?;
    let summary = maillage_export::write_archive(
        &mut tx,
        &workspace,
        maillage_db::schema_version(),
        BufWriter::new(&mut file),
    )
    .await
    .map_err(|error| Error::Export(error.to_string()))?;
    tx.rollback().await?;
    Ok((workspace, summary.rows(), file))
}
