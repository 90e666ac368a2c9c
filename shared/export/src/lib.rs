//! A workspace's whole data as one zip archive, for the platform console, its API and
//! `maillage-admin tenant export`: read in one snapshot (the caller's transaction),
//! written as it is read, never whole in memory.
//!
//! ```text
//! manifest.json            the workspace, when, the schema version, each table's file and rows
//! tables/{table}.ndjson    every row of every tenant table, one JSON object per line
//! users.ndjson             the people those rows name (members, authors, recipients)
//! people.csv               people and organisations, for a spreadsheet
//! organisations.csv
//! ```
//!
//! The tables are those of the catalog with a `tenant_id` column (`tenant_tables()` in
//! SQL), read through `export_table_rows`: a table added later is exported unchanged.
//! The secrets of links (invitations, calendar feeds, unsubscribing) stay out.
//!
//! `import` loads such an archive into an empty workspace: the same records, links,
//! history and reminders, in another workspace or another installation.

mod archive;
mod import;

pub use archive::write_archive;
pub use import::{Imported, import_archive};

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What the manifest says the archive is.
pub const FORMAT: &str = "maillage-workspace-export";
pub const FORMAT_VERSION: u64 = 1;

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
    /// What was given to import is no archive of a workspace (or a damaged one).
    #[error("not a workspace archive: {0}")]
    NotAnArchive(String),
    /// An archive written by a newer Maillage than this one.
    #[error("the archive follows schema {archive}, newer than this installation's {here}")]
    NewerSchema { archive: i64, here: i64 },
    /// Archives go into empty workspaces only: records are never merged.
    #[error("the workspace already holds records")]
    NotEmpty,
    /// A table's rows the database refused (a value of the wrong kind, a broken link).
    #[error("{table}: {reason}")]
    Refused { table: String, reason: String },
    #[error("{file}, line {line}: {reason}")]
    BadRow {
        file: String,
        line: u64,
        reason: String,
    },
}

impl Error {
    /// Whether the archive itself is at fault (rather than the database or the disk).
    pub fn is_the_archives(&self) -> bool {
        matches!(
            self,
            Self::NotAnArchive(_)
                | Self::NewerSchema { .. }
                | Self::Refused { .. }
                | Self::BadRow { .. }
        )
    }
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
    /// The people the rows name.
    pub users: u64,
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
