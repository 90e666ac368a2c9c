//! Writing a workspace's archive.

use std::io::{Seek, Write};

use chrono::Utc;
use futures::TryStreamExt;
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::{Error, FORMAT, FORMAT_VERSION, Summary, Workspace};

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
    let mut summary = Summary {
        tables: Vec::new(),
        users: 0,
    };
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
    zip.start_file("users.ndjson", options)?;
    let mut users = sqlx::query_scalar::<_, String>("select export_tenant_users($1)")
        .bind(workspace.id)
        .fetch(&mut *conn);
    let mut named = 0;
    while let Some(user) = users.try_next().await? {
        zip.write_all(user.as_bytes())?;
        zip.write_all(b"\n")?;
        named += 1;
    }
    drop(users);
    summary.users = named;
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
        "format": FORMAT,
        "version": FORMAT_VERSION,
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
        "users": { "file": "users.ndjson", "rows": summary.users },
        "spreadsheets": ["people.csv", "organisations.csv"],
    })
}
