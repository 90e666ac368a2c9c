//! The `imports` row: created, read, moved from step to step.

use maillage_domain::import::{
    ColumnMapping, ColumnTransform, DuplicateDecision, Import, ImportCounts, ImportField,
    ImportStatus, LikelyDuplicate, RecordTotals, RowProblem,
};
use maillage_import::{Mapping, Transforms};
use serde::de::DeserializeOwned;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::language::reader;

/// The first problems and likely duplicates shown with an import: all of them are in
/// `rejected.csv`, and the decisions apply by line.
const PROBLEMS_SHOWN: i64 = 100;
const DUPLICATES_SHOWN: i64 = 200;
/// The imports listed.
const LISTED: i64 = 50;

pub(super) async fn insert(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    file_name: &str,
    created_by: Uuid,
) -> Result<(), Error> {
    sqlx::query!(
        r#"insert into imports (tenant_id, id, file_name, file_bytes, status, created_by)
           values ($1, $2, $3, 0, 'checking', $4)"#,
        tenant_id,
        id,
        file_name,
        created_by,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn set_file_bytes(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    bytes: i64,
) -> Result<(), Error> {
    sqlx::query!(
        "update imports set file_bytes = $3 where tenant_id = $1 and id = $2",
        tenant_id,
        id,
        bytes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What a change of an import checks first, the row locked.
pub(super) struct Current {
    pub(super) status: ImportStatus,
    pub(super) headers: Vec<String>,
    pub(super) mapping: Mapping,
    pub(super) transforms: Transforms,
}

pub(super) async fn lock(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Current, Error> {
    let row = sqlx::query!(
        r#"select status, headers, mapping, transforms from imports
           where tenant_id = $1 and id = $2 for update"#,
        tenant_id,
        id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Current {
        status: status_of(&row.status),
        headers: row.headers,
        mapping: mapping_of(&row.mapping),
        transforms: transforms_of(&row.transforms),
    })
}

pub(super) async fn set_status(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    status: ImportStatus,
) -> Result<(), Error> {
    sqlx::query!(
        r#"update imports set status = $3, updated_at = now(), claimed_at = null, progress_rows = 0
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        status.as_str(),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets each column's field and transform; `template`: the template they come from.
pub(super) async fn set_mapping(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    (mapping, transforms): (&Mapping, &Transforms),
    template: Option<&str>,
) -> Result<(), Error> {
    sqlx::query!(
        r#"update imports set mapping = $3, transforms = $4, template_name = $5
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        &mapping_keys(mapping),
        &transform_keys(transforms),
        template,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A mapping as `imports.mapping` keeps it: each column's field key, '' for none.
pub(super) fn mapping_keys(mapping: &[Option<ImportField>]) -> Vec<String> {
    mapping
        .iter()
        .map(|f| f.map(ImportField::key).unwrap_or_default().to_owned())
        .collect()
}

/// The transforms as `imports.transforms` keeps them: each column's key, '' for none.
pub(super) fn transform_keys(transforms: &[Option<ColumnTransform>]) -> Vec<String> {
    transforms
        .iter()
        .map(|t| t.map(ColumnTransform::key).unwrap_or_default().to_owned())
        .collect()
}

/// The mapping stored as field keys, read back.
pub(super) fn mapping_of(keys: &[String]) -> Mapping {
    keys.iter().map(|k| ImportField::from_key(k)).collect()
}

/// The transforms stored as keys, read back.
pub(super) fn transforms_of(keys: &[String]) -> Transforms {
    keys.iter().map(|k| ColumnTransform::from_key(k)).collect()
}

pub(super) async fn set_duplicates(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    decision: DuplicateDecision,
) -> Result<(), Error> {
    sqlx::query!(
        "update imports set duplicates = $3 where tenant_id = $1 and id = $2",
        tenant_id,
        id,
        decision.as_str(),
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn set_line_decision(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    line: i64,
    decision: Option<DuplicateDecision>,
) -> Result<(), Error> {
    let updated = sqlx::query!(
        r#"update import_duplicates set decision = $4
           where tenant_id = $1 and import_id = $2 and line = $3"#,
        tenant_id,
        id,
        line,
        decision.map(DuplicateDecision::as_str),
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::field(
            "decisions",
            &reader().t1("check-not-duplicate", "line", line),
        ));
    }
    Ok(())
}

/// Removes an import and everything kept for it (file, problems, duplicates).
pub(super) async fn delete(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<(), Error> {
    sqlx::query!(
        "delete from imports where tenant_id = $1 and id = $2",
        tenant_id,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) fn status_of(key: &str) -> ImportStatus {
    ImportStatus::parse(key).unwrap_or(ImportStatus::Failed)
}

/// A JSON column written by this module, read back; a value it cannot read is the
/// default (an import from before a field existed).
fn json<T: DeserializeOwned + Default>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap_or_default()
}

pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Import, Error> {
    let mut import = fetch_many(&mut *conn, tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    import.problems = sqlx::query!(
        r#"select line, column_name, reason from import_problems
           where tenant_id = $1 and import_id = $2 order by line limit $3"#,
        tenant_id,
        id,
        PROBLEMS_SHOWN,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| RowProblem {
        line: u64::try_from(r.line).unwrap_or_default(),
        column: r.column_name,
        reason: r.reason,
    })
    .collect();
    import.likely_duplicates = sqlx::query!(
        r#"select line, row_name, person_id, person_name, decision from import_duplicates
           where tenant_id = $1 and import_id = $2 order by line limit $3"#,
        tenant_id,
        id,
        DUPLICATES_SHOWN,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| LikelyDuplicate {
        line: u64::try_from(r.line).unwrap_or_default(),
        row_name: r.row_name,
        person_id: r.person_id,
        person_name: r.person_name,
        decision: r
            .decision
            .as_deref()
            .map_or(import.duplicates, DuplicateDecision::parse),
    })
    .collect();
    Ok(import)
}

/// The latest imports, without their problems and duplicates.
pub(super) async fn latest(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Vec<Import>, Error> {
    fetch_many(conn, tenant_id, None).await
}

async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Option<Uuid>,
) -> Result<Vec<Import>, Error> {
    let rows = sqlx::query!(
        r#"select id, file_name, file_bytes, status, file_shape, recognised_source, template_name, error,
                  headers, examples, mapping, transforms, duplicates, counts, progress_rows, totals_before, totals_after,
                  created_at, finished_at, undone_at
           from imports
           where tenant_id = $1 and ($2::uuid is null or id = $2)
           order by created_at desc, id desc
           limit $3"#,
        tenant_id,
        id,
        LISTED,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let examples: Vec<Vec<String>> = json(r.examples);
            let columns = r
                .headers
                .into_iter()
                .enumerate()
                .map(|(i, header)| ColumnMapping {
                    header,
                    field: r.mapping.get(i).and_then(|k| ImportField::from_key(k)),
                    transform: r
                        .transforms
                        .get(i)
                        .and_then(|k| ColumnTransform::from_key(k)),
                    examples: examples.get(i).cloned().unwrap_or_default(),
                })
                .collect();
            Import {
                id: r.id,
                file_name: r.file_name,
                file_bytes: r.file_bytes,
                status: status_of(&r.status),
                file_shape: r.file_shape,
                recognised_source: r.recognised_source,
                template_name: r.template_name,
                error: r.error,
                columns,
                duplicates: DuplicateDecision::parse(&r.duplicates),
                counts: json::<ImportCounts>(r.counts),
                progress_rows: u64::try_from(r.progress_rows).unwrap_or_default(),
                problems: Vec::new(),
                likely_duplicates: Vec::new(),
                totals_before: r.totals_before.map(json::<RecordTotals>),
                totals_after: r.totals_after.map(json::<RecordTotals>),
                created_at: r.created_at,
                finished_at: r.finished_at,
                undone_at: r.undone_at,
            }
        })
        .collect())
}

/// How many live records of each kind the workspace holds.
pub(super) async fn totals(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> Result<RecordTotals, Error> {
    let row = sqlx::query!(
        r#"select
             (select count(*) from people where tenant_id = $1 and deleted_at is null) as "people!",
             (select count(*) from organisations where tenant_id = $1 and deleted_at is null) as "organisations!",
             (select count(*) from affiliations where tenant_id = $1) as "affiliations!",
             (select count(*) from tags where tenant_id = $1) as "tags!",
             (select count(*) from activities where tenant_id = $1) as "activities!",
             (select count(*) from engagements where tenant_id = $1) as "engagements!""#,
        tenant_id,
    )
    .fetch_one(conn)
    .await?;
    Ok(RecordTotals {
        people: row.people,
        organisations: row.organisations,
        affiliations: row.affiliations,
        tags: row.tags,
        activities: row.activities,
        engagements: row.engagements,
    })
}
