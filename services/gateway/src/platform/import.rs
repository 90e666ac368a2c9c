//! A workspace's archive uploaded into an empty workspace (`maillage_export::import_archive`):
//! the body is written to a temporary file as it arrives (never whole in memory, and no
//! larger than `MAX_ARCHIVE_BYTES`), then loaded in one transaction with its audit line.

use std::io::{Seek, Write};

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use futures::TryStreamExt;
use maillage_problem::{Json, Path, Problem};
use serde::Serialize;

use super::{PlatformAdmin, audit};
use crate::Error;
use crate::state::AppState;

/// The largest archive taken: a workspace of a million records exports to a few
/// hundred megabytes.
pub const MAX_ARCHIVE_BYTES: u64 = 2 << 30;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Rows loaded, all tables together.
    pub rows: u64,
    pub tables: Vec<ImportedTableView>,
    /// The people the archive names (members, authors), and those of them who had an
    /// account here already.
    pub people: u64,
    pub people_already_here: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportedTableView {
    pub name: String,
    pub in_archive: u64,
    pub loaded: u64,
}

pub(super) async fn import(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
    body: Body,
) -> Result<Result<Json<ImportReport>, Problem>, Error> {
    let file = match receive(body.into_data_stream()).await? {
        Ok(file) => file,
        Err(problem) => return Ok(Err(problem)),
    };
    Ok(load(&state, admin, &slug, file).await?.map(Json))
}

/// Loads the archive in `file` into the workspace `slug`, with its audit line: what it
/// did, or the problem of an archive that could not go in (nothing changed then). The
/// API and the console's upload alike.
pub async fn load(
    state: &AppState,
    admin: PlatformAdmin,
    slug: &str,
    file: std::fs::File,
) -> Result<Result<ImportReport, Problem>, Error> {
    let workspace = super::workspace(state, slug).await?;
    let slug = slug.to_owned();
    // In a task of its own: a client that goes away does not cut the import short.
    let pool = state.pool.clone();
    let loading = tokio::spawn(async move {
        let mut tx = maillage_db::begin(&pool).await?;
        let imported = maillage_export::import_archive(
            &mut tx,
            workspace.id,
            maillage_db::schema_version(),
            file,
        )
        .await;
        match imported {
            Ok(imported) => {
                let detail =
                    serde_json::json!({ "rows": imported.rows(), "people": imported.users });
                audit(&mut tx, &admin, "tenant.import", &slug, detail).await?;
                tx.commit().await?;
                Ok(Ok(imported))
            }
            Err(error) => Ok(Err(error)),
        }
    });
    let imported = match loading
        .await
        .map_err(|error| Error::Export(error.to_string()))?
    {
        Err(error) => return Err(error),
        Ok(Ok(imported)) => imported,
        Ok(Err(error)) => return refusal(error).map(Err),
    };
    Ok(Ok(ImportReport {
        rows: imported.rows(),
        people: imported.users,
        people_already_here: imported.users_recognised,
        tables: imported
            .tables
            .into_iter()
            .map(|t| ImportedTableView {
                name: t.name,
                in_archive: t.in_archive,
                loaded: t.inserted,
            })
            .collect(),
    }))
}

/// Bytes as they arrive (a request's body, an uploaded file) in a temporary file, or
/// the problem of too many.
pub async fn receive<E>(
    chunks: impl futures::Stream<Item = Result<axum::body::Bytes, E>>,
) -> Result<Result<std::fs::File, Problem>, Error> {
    let io = |error: std::io::Error| Error::Export(error.to_string());
    let mut file = tempfile::tempfile().map_err(io)?;
    let mut received = 0_u64;
    let mut chunks = std::pin::pin!(chunks);
    loop {
        let chunk = match chunks.try_next().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            // The client's side: a transfer cut short, a form that is not one.
            Err(_) => {
                return Ok(Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "upload-cut-short",
                    "L'envoi n'a pas abouti : l'archive est arrivée incomplète. Réessayez.",
                )));
            }
        };
        received += chunk.len() as u64;
        if received > MAX_ARCHIVE_BYTES {
            return Ok(Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "archive-too-large",
                "L'archive dépasse la taille acceptée.",
            )
            .with_detail(format!(
                "Au plus {} Go ; importez-la avec `maillage-admin tenant import`.",
                MAX_ARCHIVE_BYTES >> 30
            ))));
        }
        file.write_all(&chunk).map_err(io)?;
    }
    file.rewind().map_err(io)?;
    Ok(Ok(file))
}

/// How an import that did not happen is told: the archive's fault in words, anything
/// else as the server's.
fn refusal(error: maillage_export::Error) -> Result<Problem, Error> {
    use maillage_export::Error as Import;
    let problem = match &error {
        Import::NotEmpty => Problem::new(
            StatusCode::CONFLICT,
            "workspace-not-empty",
            "L'espace contient déjà des fiches : une archive ne s'importe que dans un espace vide.",
        ),
        Import::NewerSchema { archive, here } => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "archive-too-new",
            "Cette archive vient d'une version plus récente de Maillage.",
        )
        .with_detail(format!(
            "Elle suit le schéma {archive}, cette installation le {here} : mettez Maillage à jour, puis importez-la."
        )),
        _ if error.is_the_archives() => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "archive-invalid",
            "Cette archive ne peut pas être importée ; rien n'a été changé.",
        )
        .with_detail(invalid_archive_detail(&error)),
        _ => return Err(Error::Export(error.to_string())),
    };
    Ok(problem)
}

/// Why an archive could not go in, for the person who gave it: in their words, with the
/// technical reason after it for whoever they ask for help.
fn invalid_archive_detail(error: &maillage_export::Error) -> String {
    use maillage_export::Error as Import;
    match error {
        Import::Refused { table, reason } => format!(
            "Des lignes de « {table} » ne peuvent pas entrer dans la base (détail technique : {reason})."
        ),
        Import::BadRow { file, line, reason } => format!(
            "Le fichier « {file} » de l'archive est illisible à la ligne {line} (détail technique : {reason})."
        ),
        _ => format!(
            "Ce fichier n'est pas l'archive d'un espace Maillage, ou elle est abîmée : téléchargez-la à nouveau depuis l'export (détail technique : {error})."
        ),
    }
}
