//! The CSV file: sent as it is written, page after page. It opens in a French
//! spreadsheet as it is (UTF-8 with its byte-order mark, `;` between cells), and no cell
//! can run as a formula there: one that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is written after an apostrophe (OWASP's advice on CSV injection).

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use futures::{Stream, StreamExt};
use serde_json::Value;

use super::{Export, attachment, cell_text};
use crate::Error;

pub(super) fn file(
    export: Export,
    zone: Tz,
    first: Vec<Value>,
    rest: impl Stream<Item = Result<Vec<Value>, Error>> + Send + 'static,
    name: &str,
) -> Result<Response, Error> {
    let mut head = Vec::from("\u{feff}".as_bytes());
    head.extend(rows(&export, &first, zone, true)?);
    let pages =
        rest.map(move |page| Ok::<_, Error>(Bytes::from(rows(&export, &page?, zone, false)?)));
    let body = futures::stream::once(async move { Ok::<_, Error>(Bytes::from(head)) }).chain(pages);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, attachment(name)),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// The records as CSV lines (after the header line, for the first page).
fn rows(export: &Export, items: &[Value], zone: Tz, header: bool) -> Result<Vec<u8>, Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Export(e.to_string());
    if header {
        writer
            .write_record(export.columns.iter().map(|(name, _)| *name))
            .map_err(failed)?;
    }
    for item in items {
        writer
            .write_record(
                export
                    .columns
                    .iter()
                    .map(|(_, cell)| inert(&cell_text(item, *cell, zone))),
            )
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Export(e.to_string()))
}

/// A cell a spreadsheet will show, never run: one that would start a formula is
/// written after an apostrophe.
fn inert(cell: &str) -> String {
    maillage_domain::text::inert_in_spreadsheets(cell).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{Cell, Export};
    use super::{inert, rows};

    #[test]
    fn a_cell_that_would_run_as_a_formula_is_written_after_an_apostrophe() {
        for (typed, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Région Sud", "Région Sud"),
            ("", ""),
        ] {
            assert_eq!(inert(typed), written);
        }
    }

    #[test]
    fn records_become_lines_of_cells_in_words() -> Result<(), crate::Error> {
        let export = Export {
            collection: "partnerships",
            filters: &crate::pages::lists::Filters::NONE,
            file: "partenariats",
            summary: "",
            summary_xlsx: "",
            columns: &[
                ("Intitulé", Cell::Text("/title")),
                (
                    "État",
                    Cell::Label(
                        "/status",
                        maillage_domain::kinds::PartnershipStatus::CHOICES,
                    ),
                ),
                ("Début", Cell::Day("/starts_on")),
                ("Partenaires", Cell::Names("/partners")),
                ("Modifié", Cell::Instant("/updated_at")),
            ],
        };
        let items = [json!({
            "title": "Contrat; \"ville\"", "status": "active", "starts_on": "2026-01-31",
            "partners": [{"name": "Région"}, {"name": "=Mairie"}],
            "updated_at": "2026-06-30T22:30:00Z"
        })];
        let csv = String::from_utf8(rows(&export, &items, chrono_tz::Europe::Paris, true)?)
            .unwrap_or_default();
        assert_eq!(
            csv,
            "Intitulé;État;Début;Partenaires;Modifié\n\"Contrat; \"\"ville\"\"\";Actif;31/01/2026;Région, =Mairie;01/07/2026 00:30\n"
        );
        Ok(())
    }
}
