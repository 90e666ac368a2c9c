//! `maillage-admin tenant export`: a workspace's whole data as one zip archive, read in
//! one consistent snapshot and written as it is read (never whole in memory).
//!
//! ```text
//! manifest.json            the workspace, when, the schema version, each table's file and rows
//! tables/{table}.ndjson    every row of every tenant table, one JSON object per line
//! people.csv               people and organisations for a spreadsheet
//! organisations.csv
//! ```
//!
//! The tables are those of the catalog with a `tenant_id` column: a table added later is
//! exported without a change here.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use futures::TryStreamExt;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// What was written: each table and its rows.
pub struct Exported {
    pub tables: Vec<(String, u64)>,
}

pub async fn export(pool: &PgPool, slug: &str, out: &Path) -> anyhow::Result<Exported> {
    let mut conn = pool.acquire().await?;
    // One snapshot for every table: the archive is consistent even while people work.
    sqlx::query("begin isolation level repeatable read read only")
        .execute(&mut *conn)
        .await?;
    let exported = write_archive(&mut conn, slug, out).await;
    sqlx::query("rollback").execute(&mut *conn).await?;
    exported
}

async fn write_archive(
    conn: &mut PgConnection,
    slug: &str,
    out: &Path,
) -> anyhow::Result<Exported> {
    let workspace = sqlx::query!(
        "select id, slug, name, kind, status, locale, time_zone, created_at from tenants where slug = $1",
        slug
    )
    .fetch_optional(&mut *conn)
    .await?
    .with_context(|| format!("no workspace {slug}"))?;
    // Row-level security shows the workspace's rows to the owner once it is chosen.
    sqlx::query("select set_config('app.tenant_id', $1, true)")
        .bind(workspace.id.to_string())
        .execute(&mut *conn)
        .await?;
    // sqlx's own table: not in the schema the queries are checked against.
    let schema: Option<i64> = sqlx::query_scalar("select max(version) from _sqlx_migrations")
        .fetch_one(&mut *conn)
        .await?;

    let file = File::create(out).with_context(|| format!("cannot write {}", out.display()))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let options = SimpleFileOptions::default();
    let mut tables = Vec::new();
    for table in tenant_tables(conn).await? {
        zip.start_file(format!("tables/{table}.ndjson"), options)?;
        let rows = write_table(conn, &table, workspace.id, &mut zip).await?;
        tables.push((table, rows));
    }
    zip.start_file("people.csv", options)?;
    write_people(conn, workspace.id, &mut zip).await?;
    zip.start_file("organisations.csv", options)?;
    write_organisations(conn, workspace.id, &mut zip).await?;

    zip.start_file("manifest.json", options)?;
    let manifest = json!({
        "format": "maillage-workspace-export",
        "version": 1,
        "exported_at": chrono::Utc::now(),
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
        "tables": tables.iter().map(|(table, rows)| json!({
            "name": table,
            "file": format!("tables/{table}.ndjson"),
            "rows": rows,
        })).collect::<Vec<_>>(),
        "spreadsheets": ["people.csv", "organisations.csv"],
    });
    serde_json::to_writer_pretty(&mut zip, &manifest)?;
    zip.finish()?.flush()?;
    Ok(Exported { tables })
}

/// Every table of the schema that holds tenants' rows.
async fn tenant_tables(conn: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar!(
        r#"select c.relname::text as "name!" from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'r'
             and exists (select 1 from pg_attribute a
                         where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
           order by 1"#
    )
    .fetch_all(conn)
    .await?)
}

/// Writes the workspace's rows of `table`, one JSON object per line; how many.
async fn write_table(
    conn: &mut PgConnection,
    table: &str,
    tenant_id: Uuid,
    out: &mut impl Write,
) -> anyhow::Result<u64> {
    // The name comes from the catalog, quoted all the same.
    let statement = format!(
        "select to_jsonb(t)::text from {} t where tenant_id = $1",
        quote_identifier(table)
    );
    let mut rows = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(statement))
        .bind(tenant_id)
        .fetch(conn);
    let mut count = 0;
    while let Some(row) = rows.try_next().await? {
        out.write_all(row.as_bytes())?;
        out.write_all(b"\n")?;
        count += 1;
    }
    Ok(count)
}

fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn write_people(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "id",
        "family_name",
        "given_name",
        "email",
        "phone",
        "notes",
        "in_bin",
    ])?;
    let mut rows = sqlx::query!(
        r#"select id, family_name, given_name, email, phone, notes, deleted_at is not null as "in_bin!"
           from people where tenant_id = $1 order by family_name, given_name, id"#,
        tenant_id
    )
    .fetch(conn);
    while let Some(p) = rows.try_next().await? {
        csv.write_record([
            p.id.to_string(),
            p.family_name,
            p.given_name,
            p.email.unwrap_or_default(),
            p.phone.unwrap_or_default(),
            p.notes,
            p.in_bin.to_string(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}

async fn write_organisations(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "id",
        "name",
        "kind",
        "email",
        "phone",
        "website",
        "sector",
        "territory",
        "notes",
        "in_bin",
    ])?;
    let mut rows = sqlx::query!(
        r#"select id, name, kind, email, phone, website, sector, territory, notes,
                  deleted_at is not null as "in_bin!"
           from organisations where tenant_id = $1 order by name, id"#,
        tenant_id
    )
    .fetch(conn);
    while let Some(o) = rows.try_next().await? {
        csv.write_record([
            o.id.to_string(),
            o.name,
            o.kind,
            o.email.unwrap_or_default(),
            o.phone.unwrap_or_default(),
            o.website.unwrap_or_default(),
            o.sector,
            o.territory,
            o.notes,
            o.in_bin.to_string(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}
