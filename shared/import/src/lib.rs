//! Spreadsheets and CSV files read for an import: the file's shape found (format,
//! encoding, delimiter), its columns matched to Maillage's fields, and each row turned
//! into the records it carries, or into the reasons it cannot be.
//!
//! Nothing here touches the database: core-records' importer reads rows through
//! [`Source::rows`] a batch at a time, looks the records up and writes them.
//!
//! - [`source`]: CSV (any delimiter; UTF-8, Windows-1252 or Latin-1) and XLSX, read
//!   row by row, never whole in memory, refused with a [`FileDefect`] when they are not
//!   what they claim (binary, truncated, a zip bomb).
//! - [`mapping`]: the field each column most likely holds, from its header in French or
//!   English, including the exports of CiviCRM, Twenty, Google Contacts and Outlook.
//! - [`row`]: one row's cells turned into a person, an organisation, the link between
//!   them and tags, with the transforms a migration needs (full names split, phones in
//!   E.164, French dates, "Oui/Non"), and those chosen per column.
//! - [`history`]: the activity and the engagement a row may carry (a meeting, a
//!   donation), amounts and hours read the French way.

pub mod history;
pub mod mapping;
pub mod row;
pub mod source;

pub use history::{ActivityPart, EngagementPart};
pub use mapping::{Mapping, Suggestion, Template, Transforms, suggest};
pub use row::{CellError, ImportedRow, OrganisationPart, PersonPart, read_row};
pub use source::{FileDefect, Row, Source};

/// The most rows one file may hold, its header aside.
pub const MAX_ROWS: u64 = 1_000_000;
