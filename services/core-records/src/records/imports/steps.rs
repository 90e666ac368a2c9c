//! What the two passes over the file share (see [`super::check`] and [`super::run`]):
//! the import's settings, its file read a batch at a time, each batch read through the
//! mapping and planned, and the import's progress.

use std::ops::ControlFlow;

use maillage_domain::import::{DuplicateDecision, ImportCounts, ImportStatus};
use maillage_import::{FileDefect, ImportedRow, Mapping, Row, Source, Transforms};
use sqlx::{PgConnection, PgPool};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::plan::{self, Decisions, Memory, Plan};
use super::{file, queries};
use crate::Error;

/// Rows planned and written together: large enough that a statement per kind of record
/// costs little per row, small enough that a batch commits in well under a second.
pub(super) const BATCH_ROWS: usize = 1000;

/// What the import needs to know about itself for a pass.
pub(super) struct Settings {
    pub(super) file_name: String,
    /// The member the import's changes are made in the name of.
    pub(super) created_by: Uuid,
    pub(super) mapping: Vec<String>,
    pub(super) transforms: Vec<String>,
    pub(super) decisions: Decisions,
    pub(super) committed_line: i64,
    pub(super) counts: ImportCounts,
    pub(super) status: ImportStatus,
}

pub(super) async fn settings(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
) -> Result<Settings, Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let row = sqlx::query!(
        r#"select file_name, created_by, mapping, transforms, duplicates, committed_line, counts, status
           from imports
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        import_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let by_line = sqlx::query!(
        r#"select line, decision as "decision!" from import_duplicates
           where tenant_id = $1 and import_id = $2 and decision is not null"#,
        tenant_id,
        import_id,
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.line, DuplicateDecision::parse(&r.decision)))
    .collect();
    tx.commit().await?;
    Ok(Settings {
        file_name: row.file_name,
        created_by: row.created_by,
        mapping: row.mapping,
        transforms: row.transforms,
        decisions: Decisions {
            default: DuplicateDecision::parse(&row.duplicates),
            by_line,
        },
        committed_line: row.committed_line,
        counts: serde_json::from_value(row.counts).unwrap_or_default(),
        status: queries::status_of(&row.status),
    })
}

/// The file's rows, read on a blocking thread a batch at a time: at most two batches
/// wait in memory, whatever the file's size.
pub(super) struct Batches {
    pub(super) source: Source,
    pub(super) receiver: mpsc::Receiver<Result<Vec<Row>, FileDefect>>,
}

pub(super) async fn open(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
) -> Result<Result<Batches, FileDefect>, Error> {
    let temporary = file::to_temporary_file(pool, tenant_id, import_id).await?;
    let path = temporary.path().to_owned();
    let opened = tokio::task::spawn_blocking(move || Source::open(&path))
        .await
        .map_err(|e| FileDefect::Io(e.to_string()));
    let source = match opened {
        Ok(Ok(source)) => source,
        Ok(Err(defect)) | Err(defect) => return Ok(Err(defect)),
    };
    let (sender, receiver) = mpsc::channel(2);
    let reading = source.clone();
    tokio::task::spawn_blocking(move || {
        // The temporary file lives as long as it is read.
        let _file = temporary;
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let read = reading.rows(|row| {
            batch.push(row);
            if batch.len() == BATCH_ROWS {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                if sender.blocking_send(Ok(full)).is_err() {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        let last = match read {
            Ok(()) => Ok(batch),
            Err(defect) => Err(defect),
        };
        let _ = sender.blocking_send(last);
    });
    Ok(Ok(Batches { source, receiver }))
}

/// A row the import cannot take: its line, the header of its first bad column, the
/// reasons, and its cells as read.
pub(super) type Problem = (i64, Option<String>, String, Vec<String>);

/// A batch's rows read through the mapping: those that carry records, and the others'
/// problems — rows of nothing are counted aside.
struct Read {
    rows: Vec<(i64, ImportedRow)>,
    problems: Vec<Problem>,
    empty: u64,
}

/// How a batch's rows are read: each column's field and transform, and its header.
pub(super) type Reading<'a> = (&'a Mapping, &'a Transforms, &'a [String]);

fn read_batch(batch: Vec<Row>, (mapping, transforms, headers): Reading<'_>) -> Read {
    let mut read = Read {
        rows: Vec::with_capacity(batch.len()),
        problems: Vec::new(),
        empty: 0,
    };
    for row in batch {
        let line = i64::try_from(row.line).unwrap_or(i64::MAX);
        match maillage_import::read_row(&row.cells, mapping, transforms) {
            Ok(Some(imported)) => read.rows.push((line, imported)),
            Ok(None) => read.empty += 1,
            Err(errors) => {
                let column = errors.first().and_then(|e| headers.get(e.column)).cloned();
                let reason = errors
                    .iter()
                    .map(|e| match headers.get(e.column) {
                        Some(header) if errors.len() > 1 => format!("{header} : {}", e.reason),
                        _ => e.reason.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ; ");
                read.problems.push((line, column, reason, row.cells));
            }
        }
    }
    read
}

/// A batch read through the mapping and planned, its rows counted into `counts`; the
/// plan, and the problems of the rows it cannot take (listed by the check, skipped by
/// the run).
pub(super) async fn plan_batch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    batch: Vec<Row>,
    reading: Reading<'_>,
    counts: &mut ImportCounts,
    memory: &mut Memory,
    decisions: &Decisions,
) -> Result<(Plan, Vec<Problem>), Error> {
    counts.rows += batch.len() as u64;
    let read = read_batch(batch, reading);
    counts.rejected += read.problems.len() as u64;
    counts.skipped += read.empty;
    let plan = plan::plan(conn, tenant_id, &read.rows, memory, decisions).await?;
    add(counts, &plan.counts);
    Ok((plan, read.problems))
}

fn add(counts: &mut ImportCounts, plan: &ImportCounts) {
    counts.skipped += plan.skipped;
    counts.people_created += plan.people_created;
    counts.people_updated += plan.people_updated;
    counts.people_matched += plan.people_matched;
    counts.organisations_created += plan.organisations_created;
    counts.organisations_matched += plan.organisations_matched;
    counts.affiliations_created += plan.affiliations_created;
    counts.tags_created += plan.tags_created;
    counts.tags_attached += plan.tags_attached;
    counts.likely_duplicates += plan.likely_duplicates;
    counts.activities_created += plan.activities_created;
    counts.activities_matched += plan.activities_matched;
    counts.engagements_created += plan.engagements_created;
    counts.engagements_matched += plan.engagements_matched;
}

/// The file cannot be read: the import says why, and the file goes.
pub(super) async fn refuse(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
    defect: &FileDefect,
) -> Result<(), Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    sqlx::query!(
        r#"update imports set status = 'refused', error = $3, claimed_at = null, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        import_id,
        defect.to_string(),
    )
    .execute(&mut *tx)
    .await?;
    file::drop_parts(&mut tx, tenant_id, import_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Rows read so far, and a sign of life of the importer.
pub(super) async fn progress(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    rows: u64,
) -> Result<(), Error> {
    sqlx::query!(
        "update imports set progress_rows = $3, claimed_at = now() where tenant_id = $1 and id = $2",
        tenant_id,
        import_id,
        i64::try_from(rows).unwrap_or(i64::MAX),
    )
    .execute(conn)
    .await?;
    Ok(())
}
