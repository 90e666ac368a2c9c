//! The XLSX workbook: days and instants as the spreadsheet's own dates (sorted and
//! filtered as such), the header in bold and kept in view, a filter on each column.
//! Written by rust_xlsxwriter in its constant-memory mode (each row goes to a temporary
//! file as it is complete) on a blocking thread fed page by page, then sent from its
//! file: a workbook is a zip whose index comes last, so it is sent once whole. Text is
//! written as text cells, which a spreadsheet shows and never runs.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use futures::{Stream, StreamExt};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::io::ReaderStream;

use super::{Cell, Export, FileLocale, attachment, cell_text};
use crate::Error;

pub(super) const MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A worksheet's rows, its header's included.
const MAX_ROWS: u32 = 1_048_576;
/// A cell's characters.
const MAX_CELL: usize = 32_767;

pub(super) async fn file(
    export: Export,
    locale: FileLocale,
    first: Vec<Value>,
    rest: impl Stream<Item = Result<Vec<Value>, Error>> + Send + 'static,
    name: &str,
) -> Result<Response, Error> {
    let (pages, mut received) = mpsc::channel::<Vec<Value>>(2);
    let writing = tokio::task::spawn_blocking(move || write(export, locale, &mut received));
    let mut rest = std::pin::pin!(futures::stream::once(async { Ok(first) }).chain(rest));
    while let Some(page) = rest.next().await {
        // A writer that stopped has said why: its answer is read below.
        if pages.send(page?).await.is_err() {
            break;
        }
    }
    drop(pages);
    let file = writing
        .await
        .map_err(|error| Error::Export(error.to_string()))??;
    let length = file
        .metadata()
        .map_err(|error| Error::Export(error.to_string()))?
        .len();
    Ok((
        [
            (header::CONTENT_TYPE, MEDIA_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, attachment(name)),
            (header::CONTENT_LENGTH, length.to_string()),
        ],
        Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file))),
    )
        .into_response())
}

/// The workbook of the pages received, in a temporary file read from its start.
fn write(
    export: Export,
    locale: FileLocale,
    pages: &mut mpsc::Receiver<Vec<Value>>,
) -> Result<std::fs::File, Error> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(failed)?;
    sheet.set_name(locale.lang.t(export.file)).map_err(failed)?;
    let last_column = u16::try_from(export.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    for (column, (title, cell)) in (0_u16..).zip(export.columns) {
        sheet
            .write_string_with_format(0, column, locale.lang.t(title), &formats.header)
            .map_err(failed)?;
        sheet
            .set_column_width(column, width(*cell))
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    let mut row = 0_u32;
    while let Some(items) = pages.blocking_recv() {
        for item in &items {
            row += 1;
            if row >= MAX_ROWS {
                return Err(Error::Export(
                    "plus d'un million de lignes : trop pour un classeur, exportez en CSV".into(),
                ));
            }
            for (column, (_, cell)) in (0_u16..).zip(export.columns) {
                write_cell(sheet, (row, column), item, *cell, locale, &formats)?;
            }
        }
    }
    sheet.autofilter(0, 0, row, last_column).map_err(failed)?;
    let mut file = tempfile::tempfile().map_err(|error| Error::Export(error.to_string()))?;
    workbook.save_to_writer(&mut file).map_err(failed)?;
    std::io::Seek::rewind(&mut file).map_err(|error| Error::Export(error.to_string()))?;
    Ok(file)
}

struct Formats {
    header: Format,
    day: Format,
    instant: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold(),
            day: Format::new().set_num_format("dd/mm/yyyy"),
            instant: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
        }
    }
}

/// One cell: a day or an instant as a date (in the workspace's time zone), anything
/// else as the text the CSV holds, cut to what a cell takes.
fn write_cell(
    sheet: &mut Worksheet,
    (row, column): (u32, u16),
    item: &Value,
    cell: Cell,
    locale: FileLocale,
    formats: &Formats,
) -> Result<(), Error> {
    let at = |pointer: &str| item.pointer(pointer).and_then(Value::as_str);
    let date = match cell {
        Cell::Day(pointer) => at(pointer)
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .and_then(|d| excel_date(d.and_time(chrono::NaiveTime::MIN)))
            .map(|d| (d, &formats.day)),
        Cell::Instant(pointer) => at(pointer)
            .and_then(|d| d.parse::<DateTime<Utc>>().ok())
            .and_then(|d| excel_date(d.with_timezone(&locale.zone).naive_local()))
            .map(|d| (d, &formats.instant)),
        _ => None,
    };
    if let Some((date, format)) = date {
        sheet
            .write_datetime_with_format(row, column, &date, format)
            .map_err(failed)?;
        return Ok(());
    }
    let text = cell_text(item, cell, locale);
    if !text.is_empty() {
        let text: String = text.chars().take(MAX_CELL).collect();
        sheet.write_string(row, column, text).map_err(failed)?;
    }
    Ok(())
}

/// A moment as the spreadsheet counts it; none for one it cannot hold (before 1900).
fn excel_date(at: NaiveDateTime) -> Option<ExcelDateTime> {
    let year = u16::try_from(at.year()).ok()?;
    let (month, day) = (u8::try_from(at.month()).ok()?, u8::try_from(at.day()).ok()?);
    let (hour, minute) = (
        u16::try_from(at.hour()).ok()?,
        u8::try_from(at.minute()).ok()?,
    );
    ExcelDateTime::from_ymd(year, month, day)
        .ok()?
        .and_hms(hour, minute, at.second())
        .ok()
}

/// A column wide enough for what it usually holds.
fn width(cell: Cell) -> f64 {
    match cell {
        Cell::Day(_) => 12.0,
        Cell::Instant(_) => 17.0,
        Cell::YesNo(_) => 10.0,
        _ => 24.0,
    }
}

fn failed(error: XlsxError) -> Error {
    Error::Export(error.to_string())
}
