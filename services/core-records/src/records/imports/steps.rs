//! The two passes over the file: the check (dry run), which counts what the import
//! would do and lists every row it cannot take; and the run, which writes it a batch per
//! transaction, each batch's last line committed with it so that a run cut short by a
//! crash goes on where it stopped.

use std::ops::ControlFlow;

use maillage_domain::import::{DuplicateDecision, ImportCounts, ImportField, ImportStatus};
use maillage_import::{FileDefect, ImportedRow, Mapping, Row, Source};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::plan::{self, Decisions, Memory, Plan};
use super::{file, queries, undo, write};
use crate::Error;

/// Rows planned and written together: large enough that a statement per kind of record
/// costs little per row, small enough that a batch commits in well under a second.
const BATCH_ROWS: usize = 1000;
/// Examples of each column shown in the mapping form.
const EXAMPLES: usize = 3;

/// What the import needs to know about itself for a pass.
struct Settings {
    file_name: String,
    /// The member the import's changes are made in the name of.
    created_by: Uuid,
    mapping: Vec<String>,
    decisions: Decisions,
    committed_line: i64,
    counts: ImportCounts,
    status: ImportStatus,
}

async fn settings(pool: &PgPool, tenant_id: Uuid, import_id: Uuid) -> Result<Settings, Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let row = sqlx::query!(
        r#"select file_name, created_by, mapping, duplicates, committed_line, counts, status from imports
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
struct Batches {
    source: Source,
    receiver: mpsc::Receiver<Result<Vec<Row>, FileDefect>>,
}

async fn open(
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

/// The mapping stored as field keys, read back.
fn mapping_of(keys: &[String]) -> Mapping {
    keys.iter().map(|k| ImportField::from_key(k)).collect()
}

/// A row the import cannot take: its line, the header of its first bad column, the
/// reasons, and its cells as read.
type Problem = (i64, Option<String>, String, Vec<String>);

/// A batch's rows read through the mapping: those that carry records, and the others'
/// problems — rows of nothing are counted aside.
struct Read {
    rows: Vec<(i64, ImportedRow)>,
    problems: Vec<Problem>,
    empty: u64,
}

fn read_batch(batch: Vec<Row>, mapping: &Mapping, headers: &[String]) -> Read {
    let mut read = Read {
        rows: Vec::with_capacity(batch.len()),
        problems: Vec::new(),
        empty: 0,
    };
    for row in batch {
        let line = i64::try_from(row.line).unwrap_or(i64::MAX);
        match maillage_import::read_row(&row.cells, mapping) {
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
async fn plan_batch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    (batch, mapping, headers): (Vec<Row>, &Mapping, &[String]),
    counts: &mut ImportCounts,
    memory: &mut Memory,
    decisions: &Decisions,
) -> Result<(Plan, Vec<Problem>), Error> {
    counts.rows += batch.len() as u64;
    let read = read_batch(batch, mapping, headers);
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
}

/// The dry run: the file read through its mapping (suggested from the headers the first
/// time), every row planned without writing, what it would do counted, its problems and
/// likely duplicates kept for the page.
pub(super) async fn check(pool: &PgPool, tenant_id: Uuid, import_id: Uuid) -> Result<(), Error> {
    let settings = settings(pool, tenant_id, import_id).await?;
    let mut batches = match open(pool, tenant_id, import_id).await? {
        Ok(batches) => batches,
        Err(defect) => return refuse(pool, tenant_id, import_id, &defect).await,
    };
    let mut first = match batches.receiver.recv().await {
        Some(Ok(rows)) => rows,
        Some(Err(defect)) => return refuse(pool, tenant_id, import_id, &defect).await,
        None => Vec::new(),
    };
    if first.is_empty() {
        return refuse(pool, tenant_id, import_id, &FileDefect::NoHeader).await;
    }
    let headers = first.remove(0).cells;
    let (mapping, recognised) = if settings.mapping.len() == headers.len() {
        (mapping_of(&settings.mapping), None)
    } else {
        let suggestion = maillage_import::suggest(&headers);
        (suggestion.mapping, suggestion.source)
    };
    let examples: Vec<Vec<String>> = (0..headers.len())
        .map(|column| {
            let mut values: Vec<String> = Vec::new();
            for row in &first {
                if let Some(cell) = row.cells.get(column).map(|c| c.trim())
                    && !cell.is_empty()
                    && values.len() < EXAMPLES
                    && !values.iter().any(|v| v == cell)
                {
                    values.push(cell.chars().take(80).collect());
                }
            }
            values
        })
        .collect();
    {
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        sqlx::query!(
            r#"update imports set headers = $3, mapping = $4, examples = $5, file_shape = $6,
                      recognised_source = coalesce($7, recognised_source), error = null
               where tenant_id = $1 and id = $2"#,
            tenant_id,
            import_id,
            &headers,
            &queries::mapping_keys(&mapping),
            json!(examples),
            batches.source.describe(),
            recognised,
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "delete from import_problems where tenant_id = $1 and import_id = $2",
            tenant_id,
            import_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "delete from import_duplicates where tenant_id = $1 and import_id = $2",
            tenant_id,
            import_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    let mut counts = ImportCounts::default();
    let mut memory = Memory::default();
    let mut next = Some(Ok(first));
    while let Some(batch) = next {
        let batch = match batch {
            Ok(batch) => batch,
            Err(defect) => return refuse(pool, tenant_id, import_id, &defect).await,
        };
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        let (plan, problems) = plan_batch(
            &mut tx,
            tenant_id,
            (batch, &mapping, &headers),
            &mut counts,
            &mut memory,
            &settings.decisions,
        )
        .await?;
        keep_problems(&mut tx, tenant_id, import_id, problems).await?;
        keep_duplicates(&mut tx, tenant_id, import_id, &plan, &settings.decisions).await?;
        progress(&mut tx, tenant_id, import_id, counts.rows).await?;
        tx.commit().await?;
        next = batches.receiver.recv().await;
    }
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let totals = queries::totals(&mut tx, tenant_id).await?;
    sqlx::query!(
        r#"update imports set status = 'checked', counts = $3, totals_before = $4, claimed_at = null,
                  updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        import_id,
        json!(counts),
        json!(totals),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The file cannot be read: the import says why, and the file goes.
async fn refuse(
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

async fn keep_problems(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    problems: Vec<Problem>,
) -> Result<(), Error> {
    for (line, column, reason, cells) in problems {
        sqlx::query!(
            r#"insert into import_problems (tenant_id, import_id, line, column_name, reason, cells)
               values ($1, $2, $3, $4, $5, $6) on conflict do nothing"#,
            tenant_id,
            import_id,
            line,
            column,
            reason,
            &cells,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn keep_duplicates(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    plan: &Plan,
    decisions: &Decisions,
) -> Result<(), Error> {
    for found in &plan.duplicates {
        sqlx::query!(
            r#"insert into import_duplicates (tenant_id, import_id, line, row_name, person_id, person_name, decision)
               values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing"#,
            tenant_id,
            import_id,
            found.line,
            found.row_name,
            found.person_id,
            found.person_name,
            decisions.by_line.get(&found.line).map(|d| d.as_str()),
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Rows read so far, and a sign of life of the importer.
async fn progress(
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

/// The run: the file read again, each batch planned and written in one transaction with
/// the line it ends on. A run taken over after a crash skips the lines already written,
/// its counts so far being those committed with them.
pub(super) async fn run(pool: &PgPool, tenant_id: Uuid, import_id: Uuid) -> Result<(), Error> {
    let mut settings = settings(pool, tenant_id, import_id).await?;
    if settings.status == ImportStatus::Queued {
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        let totals = queries::totals(&mut tx, tenant_id).await?;
        sqlx::query!(
            r#"update imports set status = 'running', committed_line = 0, counts = '{}', totals_before = $3,
                      progress_rows = 0, claimed_at = now(), updated_at = now()
               where tenant_id = $1 and id = $2"#,
            tenant_id,
            import_id,
            json!(totals),
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        settings.committed_line = 0;
        settings.counts = ImportCounts::default();
    }
    match write_all(pool, tenant_id, import_id, &settings).await {
        Ok(Ok(())) => finish(pool, tenant_id, import_id, &settings.file_name).await,
        Ok(Err(reason)) => undo::fail(pool, tenant_id, import_id, &reason).await,
        Err(error @ Error::Database(sqlx::Error::Database(_))) => {
            // The database refused a row (a constraint, a value out of range): the run
            // cannot go on, and what it wrote is taken back.
            tracing::error!(%error, %import_id, "import stopped by the database");
            undo::fail(
                pool,
                tenant_id,
                import_id,
                "une ligne a été refusée par la base de données",
            )
            .await
        }
        Err(error) => Err(error),
    }
}

/// Writes every batch after the committed line; `Ok(Err(reason))` when the file can no
/// longer be read as it was checked.
async fn write_all(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
    settings: &Settings,
) -> Result<Result<(), String>, Error> {
    let mut batches = match open(pool, tenant_id, import_id).await? {
        Ok(batches) => batches,
        Err(defect) => return Ok(Err(defect.to_string())),
    };
    let mapping = mapping_of(&settings.mapping);
    let mut headers: Option<Vec<String>> = None;
    let mut counts = settings.counts.clone();
    let mut memory = Memory::default();
    // Rows written when the tables' statistics are next refreshed: as they double.
    let mut refresh_at = BATCH_ROWS as u64;
    while let Some(batch) = batches.receiver.recv().await {
        let mut batch = match batch {
            Ok(batch) => batch,
            Err(defect) => return Ok(Err(defect.to_string())),
        };
        let headers = match &headers {
            Some(headers) => headers,
            None if batch.is_empty() => continue,
            None => headers.insert(batch.remove(0).cells),
        };
        batch.retain(|row| i64::try_from(row.line).unwrap_or(i64::MAX) > settings.committed_line);
        let Some(last_line) = batch
            .last()
            .map(|r| i64::try_from(r.line).unwrap_or(i64::MAX))
        else {
            continue;
        };
        let mut tx = maillage_db::begin_tenant_as(pool, tenant_id, settings.created_by).await?;
        let (plan, _problems) = plan_batch(
            &mut tx,
            tenant_id,
            (batch, &mapping, headers),
            &mut counts,
            &mut memory,
            &settings.decisions,
        )
        .await?;
        write::write(&mut tx, tenant_id, import_id, &settings.file_name, &plan).await?;
        sqlx::query!(
            r#"update imports set committed_line = $3, counts = $4, progress_rows = $5, claimed_at = now()
               where tenant_id = $1 and id = $2"#,
            tenant_id,
            import_id,
            last_line,
            json!(counts),
            i64::try_from(counts.rows).unwrap_or(i64::MAX),
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if counts.rows >= refresh_at {
            sqlx::query!("select refresh_record_statistics()")
                .execute(pool)
                .await?;
            refresh_at = counts.rows * 2;
        }
    }
    Ok(Ok(()))
}

/// The run is over: its report, its audit line, and the file goes.
async fn finish(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
    file_name: &str,
) -> Result<(), Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let totals = queries::totals(&mut tx, tenant_id).await?;
    let row = sqlx::query!(
        r#"update imports set status = 'done', totals_after = $3, finished_at = now(), claimed_at = null,
                  updated_at = now()
           where tenant_id = $1 and id = $2
           returning created_by, counts"#,
        tenant_id,
        import_id,
        json!(totals),
    )
    .fetch_one(&mut *tx)
    .await?;
    file::drop_parts(&mut tx, tenant_id, import_id).await?;
    undo::audit(
        &mut tx,
        tenant_id,
        import_id,
        row.created_by,
        "import",
        json!({ "file_name": file_name, "counts": row.counts, "totals_after": totals }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
