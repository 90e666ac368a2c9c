//! The run: the file written a batch per transaction, each batch's last line committed
//! with it so that a run cut short by a crash goes on where it stopped.

use maillage_domain::import::{ImportCounts, ImportStatus};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::plan::Memory;
use super::steps::{self, BATCH_ROWS, Settings};
use super::{file, queries, undo, write};
use crate::Error;
use crate::audit::{self, Action};

/// The run: the file read again, each batch planned and written in one transaction with
/// the line it ends on. A run taken over after a crash skips the lines already written,
/// its counts so far being those committed with them.
pub(super) async fn run(pool: &PgPool, tenant_id: Uuid, import_id: Uuid) -> Result<(), Error> {
    let mut settings = steps::settings(pool, tenant_id, import_id).await?;
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
    let mut batches = match steps::open(pool, tenant_id, import_id).await? {
        Ok(batches) => batches,
        Err(defect) => return Ok(Err(defect.to_string())),
    };
    let mapping = queries::mapping_of(&settings.mapping);
    let transforms = queries::transforms_of(&settings.transforms);
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
        let (plan, _problems) = steps::plan_batch(
            &mut tx,
            tenant_id,
            batch,
            (&mapping, &transforms, headers),
            &mut counts,
            &mut memory,
            &settings.decisions,
        )
        .await?;
        write::write(
            &mut tx,
            tenant_id,
            (import_id, &settings.file_name, settings.created_by),
            &plan,
        )
        .await?;
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
    let request_id = undo::request_id(import_id);
    let entry = audit::Entry {
        tenant_id,
        actor_user_id: row.created_by,
        request_id: &request_id,
    };
    let report = json!({ "file_name": file_name, "counts": row.counts, "totals_after": totals });
    entry
        .record(
            &mut tx,
            Action::Create,
            "import",
            import_id,
            None,
            Some(&report),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
