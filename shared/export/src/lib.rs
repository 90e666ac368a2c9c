//! A workspace's whole data as one zip archive, for the platform console, its API and
//! `maillage-admin tenant export`: read in one snapshot (the caller's transaction),
//! written as it is read, never whole in memory.
//!
//! ```text
//! manifest.json            the workspace, when, the schema version, each table's file and rows
//! tables/{table}.ndjson    every row of every tenant table, one JSON object per line
//! people.csv               people and organisations, for a spreadsheet
//! organisations.csv
//! ```
//!
//! The tables are those of the catalog with a `tenant_id` column (`tenant_tables()` in
//! SQL), read through `export_table_rows`: a table added later is exported unchanged.

use std::io::{Seek, Write};

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
    #[error("a row is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("spreadsheet: {0}")]
    Csv(#[from] csv::Error),
}

/// The workspace exported, as the manifest describes it.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub locale: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

/// What an archive holds: each table and its rows.
#[derive(Debug)]
pub struct Summary {
    pub tables: Vec<(String, u64)>,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// The archive's name, as a download offers it: `{slug}-{date}.zip`.
pub fn file_name(slug: &str, at: DateTime<Utc>) -> String {
    format!("maillage-{slug}-{}.zip", at.format("%Y-%m-%d"))
}

/// Writes the archive of `workspace` to `out`, marked with the `schema` version (the
/// last migration) its tables follow. Run inside a repeatable-read transaction for one
/// snapshot of every table.
pub async fn write_archive<W: Write + Seek>(
    conn: &mut PgConnection,
    workspace: &Workspace,
    schema: i64,
    out: W,
) -> Result<Summary, Error> {
    let tables: Vec<String> = sqlx::query_scalar("select tenant_tables()")
        .fetch_all(&mut *conn)
        .await?;
    let mut zip = ZipWriter::new(out);
    let options = SimpleFileOptions::default();
    let mut summary = Summary { tables: Vec::new() };
    for table in tables {
        zip.start_file(format!("tables/{table}.ndjson"), options)?;
        let mut rows = rows_of(conn, workspace.id, &table);
        let mut count = 0;
        while let Some(row) = rows.try_next().await? {
            zip.write_all(row.as_bytes())?;
            zip.write_all(b"\n")?;
            count += 1;
        }
        summary.tables.push((table, count));
    }
    zip.start_file("people.csv", options)?;
    write_sheet(
        conn,
        workspace.id,
        "people",
        &[
            "id",
            "family_name",
            "given_name",
            "email",
            "phone",
            "notes",
            "deleted_at",
        ],
        &mut zip,
    )
    .await?;
    zip.start_file("organisations.csv", options)?;
    write_sheet(
        conn,
        workspace.id,
        "organisations",
        &[
            "id",
            "name",
            "kind",
            "email",
            "phone",
            "website",
            "sector",
            "territory",
            "notes",
            "deleted_at",
        ],
        &mut zip,
    )
    .await?;
    zip.start_file("manifest.json", options)?;
    serde_json::to_writer_pretty(&mut zip, &manifest(workspace, schema, &summary))?;
    zip.finish()?.flush()?;
    Ok(summary)
}

fn rows_of<'c>(
    conn: &'c mut PgConnection,
    tenant_id: Uuid,
    table: &str,
) -> futures::stream::BoxStream<'c, Result<String, sqlx::Error>> {
    sqlx::query_scalar("select export_table_rows($1, $2)")
        .bind(tenant_id)
        .bind(table.to_owned())
        .fetch(conn)
}

/// A table's rows as a spreadsheet of `columns` (a date or a number as JSON writes it).
async fn write_sheet(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    table: &str,
    columns: &[&str],
    out: &mut impl Write,
) -> Result<(), Error> {
    let mut sheet = csv::Writer::from_writer(out);
    sheet.write_record(columns)?;
    let mut rows = rows_of(conn, tenant_id, table);
    while let Some(row) = rows.try_next().await? {
        let row: Value = serde_json::from_str(&row)?;
        sheet.write_record(columns.iter().map(|column| match &row[*column] {
            Value::Null => String::new(),
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }))?;
    }
    sheet.flush()?;
    Ok(())
}

fn manifest(workspace: &Workspace, schema: i64, summary: &Summary) -> Value {
    json!({
        "format": "maillage-workspace-export",
        "version": 1,
        "exported_at": Utc::now(),
        "schema_version": schema,
        "workspace": {
            "id": workspace.id,
            "slug": workspace.slug,
            "name": workspace.name,
            "kind": workspace.kind,
            "status": workspace.status,
            "locale": workspace.locale,
            "time_zone": workspace.time_zone,
            "created_at": workspace.created_at,
        },
        "tables": summary.tables.iter().map(|(table, rows)| json!({
            "name": table,
            "file": format!("tables/{table}.ndjson"),
            "rows": rows,
        })).collect::<Vec<_>>(),
        "spreadsheets": ["people.csv", "organisations.csv"],
    })
}
