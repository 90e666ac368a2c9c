//! The check (dry run): the file read through its mapping, every row planned without
//! writing, what the import would do counted, the rows it cannot take and the likely
//! duplicates kept for the page.

use maillage_domain::import::{DuplicateDecision, ImportCounts};
use maillage_import::{FileDefect, Mapping, Transforms};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::plan::{Decisions, Memory, Plan};
use super::steps::{self, Problem};
use super::{queries, templates};
use crate::Error;

/// Examples of each column shown in the mapping form.
const EXAMPLES: usize = 3;

/// How a file's columns are first read.
struct Chosen {
    mapping: Mapping,
    transforms: Transforms,
    /// The export its headers were recognised as.
    recognised: Option<&'static str>,
    /// The saved template applied: its name, and its decision for likely duplicates.
    template: Option<(String, DuplicateDecision)>,
}

/// A file's first mapping: the saved template made for its headers, if one is, else
/// the one suggested by them.
async fn first_mapping(
    pool: &PgPool,
    tenant_id: Uuid,
    headers: &[String],
) -> Result<Chosen, Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let fitting = templates::fitting(&mut tx, tenant_id, headers).await?;
    tx.commit().await?;
    Ok(match fitting {
        Some(found) => {
            let (mapping, transforms) = found.template.apply(headers);
            Chosen {
                mapping,
                transforms,
                recognised: None,
                template: Some((found.name, found.duplicates)),
            }
        }
        None => {
            let suggestion = maillage_import::suggest(headers);
            Chosen {
                mapping: suggestion.mapping,
                transforms: suggestion.transforms,
                recognised: suggestion.source,
                template: None,
            }
        }
    })
}

/// The dry run: the file read through its mapping (a saved template's or suggested from
/// the headers the first time), every row planned without writing, what it would do counted, its problems and
/// likely duplicates kept for the page.
pub(super) async fn check(pool: &PgPool, tenant_id: Uuid, import_id: Uuid) -> Result<(), Error> {
    let settings = steps::settings(pool, tenant_id, import_id).await?;
    let mut batches = match steps::open(pool, tenant_id, import_id).await? {
        Ok(batches) => batches,
        Err(defect) => return steps::refuse(pool, tenant_id, import_id, &defect).await,
    };
    let mut first = match batches.receiver.recv().await {
        Some(Ok(rows)) => rows,
        Some(Err(defect)) => return steps::refuse(pool, tenant_id, import_id, &defect).await,
        None => Vec::new(),
    };
    if first.is_empty() {
        return steps::refuse(pool, tenant_id, import_id, &FileDefect::NoHeader).await;
    }
    let headers = first.remove(0).cells;
    let chosen = if settings.mapping.len() == headers.len() {
        Chosen {
            mapping: queries::mapping_of(&settings.mapping),
            transforms: queries::transforms_of(&settings.transforms),
            recognised: None,
            template: None,
        }
    } else {
        first_mapping(pool, tenant_id, &headers).await?
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
        let (template_name, template_duplicates) = chosen.template.unzip();
        sqlx::query!(
            r#"update imports set headers = $3, mapping = $4, transforms = $5, examples = $6, file_shape = $7,
                      recognised_source = coalesce($8, recognised_source),
                      template_name = coalesce($9, template_name), duplicates = coalesce($10, duplicates),
                      error = null
               where tenant_id = $1 and id = $2"#,
            tenant_id,
            import_id,
            &headers,
            &queries::mapping_keys(&chosen.mapping),
            &queries::transform_keys(&chosen.transforms),
            json!(examples),
            batches.source.describe(),
            chosen.recognised,
            template_name,
            template_duplicates.map(DuplicateDecision::as_str),
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
            Err(defect) => return steps::refuse(pool, tenant_id, import_id, &defect).await,
        };
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        let (plan, problems) = steps::plan_batch(
            &mut tx,
            tenant_id,
            batch,
            (&chosen.mapping, &chosen.transforms, &headers),
            &mut counts,
            &mut memory,
            &settings.decisions,
        )
        .await?;
        keep_problems(&mut tx, tenant_id, import_id, problems).await?;
        keep_duplicates(&mut tx, tenant_id, import_id, &plan, &settings.decisions).await?;
        steps::progress(&mut tx, tenant_id, import_id, counts.rows).await?;
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
