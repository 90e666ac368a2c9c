//! The file itself: what it is, and its rows one after the other.

use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use calamine::{DataRef, Reader, Xlsx};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::MAX_ROWS;

/// How much of the file its encoding and delimiter are guessed from.
const SAMPLE_BYTES: usize = 64 * 1024;
/// An XLSX is a zip: what its parts may weigh once inflated, all together, and how much
/// bigger than its compressed size one part may be. A real sheet of a million rows
/// stays well within both; a zip bomb does not.
const MAX_INFLATED_BYTES: u64 = 2 << 30;
const MAX_INFLATION_RATIO: u64 = 200;
/// The most columns a row may have: more is not a table of contacts.
const MAX_COLUMNS: usize = 500;
/// The longest cell: a note of several pages, not a file pasted into one cell.
const MAX_CELL_CHARS: usize = 100_000;

/// Why a file cannot be read, in the words shown to the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileDefect {
    #[error("le fichier est vide")]
    Empty,
    #[error(
        "ce fichier n'est ni un CSV ni un classeur XLSX (fichier binaire ou d'un autre format)"
    )]
    NotATable,
    #[error("le classeur XLSX est illisible ou tronqué : {0}")]
    BrokenWorkbook(String),
    #[error(
        "le classeur XLSX se décompresse en bien plus que sa taille : refusé par précaution (bombe de décompression)"
    )]
    ZipBomb,
    #[error("le classeur ne contient aucune feuille")]
    NoSheet,
    #[error("le fichier CSV est illisible à la ligne {line} : {reason}")]
    BrokenCsv { line: u64, reason: String },
    #[error("le fichier dépasse {MAX_ROWS} lignes : découpez-le en plusieurs imports")]
    TooManyRows,
    #[error("la ligne {line} a plus de {MAX_COLUMNS} colonnes")]
    TooManyColumns { line: u64 },
    #[error("la ligne {line} contient une cellule de plus de {MAX_CELL_CHARS} caractères")]
    CellTooLong { line: u64 },
    #[error("le fichier n'a pas de ligne d'en-tête")]
    NoHeader,
    #[error("lecture du fichier : {0}")]
    Io(String),
}

impl From<std::io::Error> for FileDefect {
    fn from(error: std::io::Error) -> Self {
        Self::Io(error.to_string())
    }
}

/// One row of the file: its line (1 for the header) and its cells as text, trailing
/// empty cells removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Csv {
        encoding: &'static Encoding,
        /// Latin-1 is read as Windows-1252, its superset; the name says which was seen.
        encoding_name: &'static str,
        delimiter: u8,
    },
    Xlsx {
        sheet: String,
    },
}

/// A file received for an import, its format known.
#[derive(Debug, Clone)]
pub struct Source {
    path: PathBuf,
    pub format: Format,
}

impl Source {
    /// Looks at the file: a zip is read as XLSX, anything else as text (CSV), unless it
    /// holds what no text file does.
    pub fn open(path: &Path) -> Result<Self, FileDefect> {
        let mut sample = Vec::with_capacity(SAMPLE_BYTES);
        File::open(path)?
            .take(SAMPLE_BYTES as u64)
            .read_to_end(&mut sample)?;
        let format = if sample.is_empty() {
            return Err(FileDefect::Empty);
        } else if sample.starts_with(b"PK\x03\x04") {
            Format::Xlsx {
                sheet: first_sheet(path)?,
            }
        } else {
            let whole = sample.len() < SAMPLE_BYTES;
            csv_format(&sample, whole)?
        };
        Ok(Self {
            path: path.to_owned(),
            format,
        })
    }

    /// The file's shape in a few words, for the import's page.
    pub fn describe(&self) -> String {
        match &self.format {
            Format::Csv {
                encoding_name,
                delimiter,
                ..
            } => {
                let delimiter = match delimiter {
                    b'\t' => "tabulation".to_owned(),
                    other => format!("« {} »", char::from(*other)),
                };
                format!("CSV, {encoding_name}, séparateur {delimiter}")
            }
            Format::Xlsx { sheet } => format!("classeur XLSX, feuille « {sheet} »"),
        }
    }

    /// Gives each non-empty row to `visit`, header first, until the file ends or
    /// `visit` breaks. The file is read as it goes.
    pub fn rows(&self, visit: impl FnMut(Row) -> ControlFlow<()>) -> Result<(), FileDefect> {
        let mut limits = Limits { visit, rows: 0 };
        match &self.format {
            Format::Csv {
                encoding,
                delimiter,
                ..
            } => csv_rows(&self.path, encoding, *delimiter, &mut limits),
            Format::Xlsx { sheet } => xlsx_rows(&self.path, sheet, &mut limits),
        }
    }
}

/// The checks every row passes, whatever the format, before it is visited.
struct Limits<F> {
    visit: F,
    rows: u64,
}

impl<F: FnMut(Row) -> ControlFlow<()>> Limits<F> {
    fn take(&mut self, line: u64, mut cells: Vec<String>) -> Result<ControlFlow<()>, FileDefect> {
        while cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(ControlFlow::Continue(()));
        }
        if cells.len() > MAX_COLUMNS {
            return Err(FileDefect::TooManyColumns { line });
        }
        if cells.iter().any(|c| c.chars().count() > MAX_CELL_CHARS) {
            return Err(FileDefect::CellTooLong { line });
        }
        self.rows += 1;
        // The header row and a million rows after it.
        if self.rows > MAX_ROWS + 1 {
            return Err(FileDefect::TooManyRows);
        }
        Ok((self.visit)(Row { line, cells }))
    }
}

/// The encoding and delimiter of a text file, from its first bytes (`whole`: all of it).
fn csv_format(sample: &[u8], whole: bool) -> Result<Format, FileDefect> {
    let (encoding, encoding_name) = if sample.starts_with(b"\xEF\xBB\xBF") {
        (UTF_8, "UTF-8")
    } else if sample.starts_with(b"\xFF\xFE") {
        (UTF_16LE, "UTF-16")
    } else if sample.starts_with(b"\xFE\xFF") {
        (UTF_16BE, "UTF-16")
    } else if sample.contains(&0) {
        return Err(FileDefect::NotATable);
    } else {
        match std::str::from_utf8(sample) {
            Ok(_) => (UTF_8, "UTF-8"),
            // Cut in the middle of a character by the sample's end: still UTF-8.
            Err(e) if e.error_len().is_none() => (UTF_8, "UTF-8"),
            // Bytes 0x80–0x9F are letters and signs in Windows-1252 (€, œ, ’), controls
            // in Latin-1: their presence tells the two apart.
            Err(_) if sample.iter().any(|b| (0x80..0xA0).contains(b)) => {
                (WINDOWS_1252, "Windows-1252")
            }
            Err(_) => (WINDOWS_1252, "Latin-1 (ISO-8859-1)"),
        }
    };
    let (text, _, _) = encoding.decode(sample);
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{1A}'))
    {
        return Err(FileDefect::NotATable);
    }
    Ok(Format::Csv {
        encoding,
        encoding_name,
        delimiter: delimiter_of(&text, whole),
    })
}

/// The delimiter that cuts the first lines into the same number of cells most often,
/// the most cells breaking ties; `,` when none cuts anything.
fn delimiter_of(text: &str, whole: bool) -> u8 {
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(21)
        .collect();
    // A sample cut short may end mid-line.
    if !whole && lines.len() > 1 {
        lines.pop();
    }
    let whole = &lines[..lines.len().min(20)];
    let mut best = (b',', 0usize, 0usize);
    for delimiter in [b';', b',', b'\t', b'|'] {
        let counts: Vec<usize> = whole.iter().map(|line| cells_in(line, delimiter)).collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == first).count();
        if (agreeing, first) > (best.1, best.2) {
            best = (delimiter, agreeing, first);
        }
    }
    best.0
}

/// How many times `delimiter` appears in `line` outside double quotes.
fn cells_in(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == delimiter && !quoted
        })
        .count()
}

fn csv_rows<F: FnMut(Row) -> ControlFlow<()>>(
    path: &Path,
    encoding: &'static Encoding,
    delimiter: u8,
    limits: &mut Limits<F>,
) -> Result<(), FileDefect> {
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_sniffing(true)
        .strip_bom(true)
        .build(BufReader::new(File::open(path)?));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                // A record's position is where the previous one ended, before any blank
                // lines; the reader's, after this one: the record's own first line is
                // the latter less the line breaks it holds and its own.
                let ended_before = record.position().map_or(1, csv::Position::line);
                let breaks: usize = record.iter().map(|f| f.matches('\n').count()).sum();
                let line =
                    ended_before.max(reader.position().line().saturating_sub(breaks as u64 + 1));
                let cells = record.iter().map(str::to_owned).collect();
                if limits.take(line, cells)?.is_break() {
                    return Ok(());
                }
            }
            Err(error) => {
                return Err(FileDefect::BrokenCsv {
                    line: error.position().map_or(0, csv::Position::line),
                    reason: error.to_string(),
                });
            }
        }
    }
}

/// The workbook's first sheet, once its parts are known to inflate reasonably.
fn first_sheet(path: &Path) -> Result<String, FileDefect> {
    let broken = |e: &dyn std::fmt::Display| FileDefect::BrokenWorkbook(e.to_string());
    let mut zip = zip::ZipArchive::new(File::open(path)?).map_err(|e| broken(&e))?;
    let mut inflated: u64 = 0;
    for index in 0..zip.len() {
        let part = zip.by_index_raw(index).map_err(|e| broken(&e))?;
        inflated = inflated.saturating_add(part.size());
        if part.size() > 1 << 20
            && part.size() / part.compressed_size().max(1) > MAX_INFLATION_RATIO
        {
            return Err(FileDefect::ZipBomb);
        }
    }
    if inflated > MAX_INFLATED_BYTES {
        return Err(FileDefect::ZipBomb);
    }
    let workbook: Xlsx<_> = Xlsx::new(BufReader::new(File::open(path)?)).map_err(|e| broken(&e))?;
    workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(FileDefect::NoSheet)
}

fn xlsx_rows<F: FnMut(Row) -> ControlFlow<()>>(
    path: &Path,
    sheet: &str,
    limits: &mut Limits<F>,
) -> Result<(), FileDefect> {
    let broken = |e: calamine::XlsxError| FileDefect::BrokenWorkbook(e.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::new(File::open(path)?)).map_err(broken)?;
    let mut cells = workbook.worksheet_cells_reader(sheet).map_err(broken)?;
    let mut row: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(broken)? {
        let (r, c) = cell.get_position();
        if c as usize >= MAX_COLUMNS {
            return Err(FileDefect::TooManyColumns {
                line: u64::from(r) + 1,
            });
        }
        if row.as_ref().is_some_and(|(current, _)| *current != r)
            && let Some((line, done)) = row.take()
            && limits.take(u64::from(line) + 1, done)?.is_break()
        {
            return Ok(());
        }
        let (_, values) = row.get_or_insert_with(|| (r, Vec::new()));
        let column = c as usize;
        if values.len() <= column {
            values.resize(column + 1, String::new());
        }
        values[column] = cell_text(cell.get_value());
    }
    if let Some((line, done)) = row {
        // The last row: whether the visitor would stop after it changes nothing.
        let _ = limits.take(u64::from(line) + 1, done)?;
    }
    Ok(())
}

/// A cell as the text a person would read in it: whole numbers without ".0", dates as
/// ISO dates, errors empty.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(true) => "Oui".into(),
        DataRef::Bool(false) => "Non".into(),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.date().to_string(),
            Some(at) => at.to_string(),
            None => d.as_f64().to_string(),
        },
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}
