//! Importing an archive into an empty workspace, in the caller's transaction (all of it
//! or nothing). The zip is read on a thread of its own, a batch of rows at a time, and
//! each batch handed to the database (`import_table_rows`): an archive of any size is
//! never whole in memory. Tables the database rebuilds as records go in (the search
//! index, the outbox) are not loaded: the records' triggers make them again.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use serde_json::Value;
use sqlx::PgConnection;
use tokio::sync::mpsc;
use uuid::Uuid;
use zip::ZipArchive;

use crate::{Error, FORMAT, FORMAT_VERSION};

/// Rows handed to the database at once.
const BATCH: usize = 500;

/// Rebuilt by the database from the records, never loaded.
const REBUILT: [&str; 3] = ["outbox", "search_terms", "search_vocabulary"];

/// What an import did: per table, the rows the archive held and those that went in (a
/// row the workspace had already, such as its first owner's invitation, stays).
#[derive(Debug, Default)]
pub struct Imported {
    pub tables: Vec<ImportedTable>,
    /// The people the archive named, and how many of them had an account here already
    /// under another id.
    pub users: u64,
    pub users_recognised: u64,
}

#[derive(Debug)]
pub struct ImportedTable {
    pub name: String,
    pub in_archive: u64,
    pub inserted: u64,
}

impl Imported {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.inserted).sum()
    }
}

/// What the reading thread hands over.
enum Batch {
    Users(Vec<Value>),
    Rows { table: String, rows: Vec<Value> },
}

/// Imports the archive in `file` into the empty workspace `tenant_id`, whose database
/// follows schema `schema`.
pub async fn import_archive(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    schema: i64,
    file: File,
) -> Result<Imported, Error> {
    let (manifest, file) = tokio::task::spawn_blocking(move || read_manifest(file))
        .await
        .map_err(|e| Error::NotAnArchive(e.to_string()))??;
    let archive_schema = manifest["schema_version"].as_i64().unwrap_or(i64::MAX);
    if archive_schema > schema {
        return Err(Error::NewerSchema {
            archive: archive_schema,
            here: schema,
        });
    }
    let empty: bool = sqlx::query_scalar("select workspace_is_empty($1)")
        .bind(tenant_id)
        .fetch_one(&mut *conn)
        .await?;
    if !empty {
        return Err(Error::NotEmpty);
    }
    // The archive's rows bring their own histories (a person's consent): the triggers
    // that keep them for changes made here stand aside while it loads.
    sqlx::query("select set_config('app.loading_archive', 'on', true)")
        .execute(&mut *conn)
        .await?;
    let in_archive: Vec<String> = manifest["tables"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect();
    let order: Vec<String> = sqlx::query_scalar("select name from tenant_tables_in_load_order()")
        .fetch_all(&mut *conn)
        .await?;
    let tables: Vec<String> = order
        .into_iter()
        .filter(|t| in_archive.contains(t) && !REBUILT.contains(&t.as_str()))
        .collect();

    let (batches, mut received) = mpsc::channel(2);
    let reading = {
        let tables = tables.clone();
        tokio::task::spawn_blocking(move || read_batches(file, &tables, &batches))
    };
    let mut imported = Imported {
        tables: tables
            .iter()
            .map(|name| ImportedTable {
                name: name.clone(),
                in_archive: 0,
                inserted: 0,
            })
            .collect(),
        ..Imported::default()
    };
    let mut renamed = Value::Object(serde_json::Map::new());
    while let Some(batch) = received.recv().await {
        match batch {
            Batch::Users(users) => {
                imported.users += users.len() as u64;
                let more: Value = sqlx::query_scalar("select import_users($1)")
                    .bind(Value::Array(users))
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(|e| refused("users", e))?;
                if let (Value::Object(all), Value::Object(more)) = (&mut renamed, more) {
                    imported.users_recognised += more.len() as u64;
                    all.extend(more);
                }
            }
            Batch::Rows { table, rows } => {
                let count = rows.len() as u64;
                let inserted: i32 = sqlx::query_scalar("select import_table_rows($1, $2, $3, $4)")
                    .bind(tenant_id)
                    .bind(&table)
                    .bind(Value::Array(rows))
                    .bind(&renamed)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(|e| refused(&table, e))?;
                if let Some(done) = imported.tables.iter_mut().find(|t| t.name == table) {
                    done.in_archive += count;
                    done.inserted += u64::try_from(inserted).unwrap_or(0);
                }
            }
        }
    }
    reading
        .await
        .map_err(|e| Error::NotAnArchive(e.to_string()))??;
    Ok(imported)
}

/// A value of the wrong kind or a broken link (SQLSTATE classes 22 and 23) is the
/// archive's fault, said as such; anything else is the database's.
fn refused(table: &str, error: sqlx::Error) -> Error {
    match &error {
        sqlx::Error::Database(db)
            if db
                .code()
                .is_some_and(|code| code.starts_with("22") || code.starts_with("23")) =>
        {
            Error::Refused {
                table: table.to_owned(),
                reason: db.message().to_owned(),
            }
        }
        _ => Error::Database(error),
    }
}

fn read_manifest(file: File) -> Result<(Value, File), Error> {
    let mut archive =
        ZipArchive::new(file).map_err(|e| Error::NotAnArchive(format!("not a zip file: {e}")))?;
    let mut text = String::new();
    archive
        .by_name("manifest.json")
        .map_err(|_| Error::NotAnArchive("no manifest.json".into()))?
        .read_to_string(&mut text)?;
    let manifest: Value = serde_json::from_str(&text)
        .map_err(|e| Error::NotAnArchive(format!("manifest.json: {e}")))?;
    if manifest["format"] != FORMAT || manifest["version"].as_u64() != Some(FORMAT_VERSION) {
        return Err(Error::NotAnArchive(format!(
            "manifest.json names no {FORMAT} version {FORMAT_VERSION}"
        )));
    }
    Ok((manifest, archive.into_inner()))
}

/// Reads the users, then each table, in batches, until the receiver hangs up.
fn read_batches(file: File, tables: &[String], out: &mpsc::Sender<Batch>) -> Result<(), Error> {
    let mut archive = ZipArchive::new(file).map_err(|e| Error::NotAnArchive(e.to_string()))?;
    read_file(&mut archive, "users.ndjson", out, Batch::Users)?;
    for table in tables {
        let file = format!("tables/{table}.ndjson");
        read_file(&mut archive, &file, out, |rows| Batch::Rows {
            table: table.clone(),
            rows,
        })?;
    }
    Ok(())
}

fn read_file(
    archive: &mut ZipArchive<File>,
    name: &str,
    out: &mpsc::Sender<Batch>,
    batch: impl Fn(Vec<Value>) -> Batch,
) -> Result<(), Error> {
    let entry = archive
        .by_name(name)
        .map_err(|_| Error::NotAnArchive(format!("{name} is missing")))?;
    let mut rows = Vec::with_capacity(BATCH);
    for (number, line) in BufReader::new(entry).lines().enumerate() {
        // A damaged entry (its checksum, its compression) fails here.
        let line = line.map_err(|e| Error::BadRow {
            file: name.to_owned(),
            line: number as u64 + 1,
            reason: e.to_string(),
        })?;
        if line.is_empty() {
            continue;
        }
        let row: Value = serde_json::from_str(&line).map_err(|e| Error::BadRow {
            file: name.to_owned(),
            line: number as u64 + 1,
            reason: e.to_string(),
        })?;
        if !row.is_object() {
            return Err(Error::BadRow {
                file: name.to_owned(),
                line: number as u64 + 1,
                reason: "not a JSON object".into(),
            });
        }
        rows.push(row);
        if rows.len() == BATCH && out.blocking_send(batch(std::mem::take(&mut rows))).is_err() {
            return Ok(());
        }
    }
    if !rows.is_empty() {
        // The receiver gone means the import stopped on an error of its own.
        let _ = out.blocking_send(batch(rows));
    }
    Ok(())
}
