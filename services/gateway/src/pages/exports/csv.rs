//! The CSV file: sent as it is written, page after page. It opens in the reader's
//! spreadsheet as it is (UTF-8 with its byte-order mark, `;` between cells in French,
//! `,` in English, as each one's spreadsheets expect), and no cell
//! can run as a formula there: one that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is written after an apostrophe (OWASP's advice on CSV injection).

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use serde_json::Value;

use maillage_i18n::Lang;

use super::{Export, FileLocale, attachment, cell_text};
use crate::Error;

pub(super) fn file(
    export: Export,
    locale: FileLocale,
    first: Vec<Value>,
    rest: impl Stream<Item = Result<Vec<Value>, Error>> + Send + 'static,
    name: &str,
) -> Result<Response, Error> {
    let mut head = Vec::from("\u{feff}".as_bytes());
    head.extend(rows(&export, &first, locale, true)?);
    let pages =
        rest.map(move |page| Ok::<_, Error>(Bytes::from(rows(&export, &page?, locale, false)?)));
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
fn rows(
    export: &Export,
    items: &[Value],
    locale: FileLocale,
    header: bool,
) -> Result<Vec<u8>, Error> {
    let delimiter = match locale.lang {
        // A French spreadsheet reads `,` as the decimal mark.
        Lang::Fr => b';',
        Lang::En => b',',
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Export(e.to_string());
    if header {
        writer
            .write_record(export.columns.iter().map(|(id, _)| locale.lang.t(id)))
            .map_err(failed)?;
    }
    for item in items {
        writer
            .write_record(
                export
                    .columns
                    .iter()
                    .map(|(_, cell)| inert(&cell_text(item, *cell, locale))),
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

    use maillage_i18n::Lang;

    use super::super::{Cell, Export, FileLocale};
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
    fn records_become_lines_of_cells_in_the_readers_words() -> Result<(), crate::Error> {
        let export = Export {
            collection: "partnerships",
            filters: &crate::pages::lists::Filters::NONE,
            file: "export-file-partnerships",
            summary: "",
            summary_xlsx: "",
            columns: &[
                ("export-column-title", Cell::Text("/title")),
                (
                    "export-column-status",
                    Cell::Label(
                        "/status",
                        maillage_domain::kinds::PartnershipStatus::MESSAGE_PREFIX,
                    ),
                ),
                ("export-column-start", Cell::Day("/starts_on")),
                ("export-column-partners", Cell::Names("/partners")),
                ("export-column-accepts-emails", Cell::YesNo("/open")),
                ("export-column-updated", Cell::Instant("/updated_at")),
            ],
        };
        let items = [json!({
            "title": "Contrat; \"ville\", 2026", "status": "active", "starts_on": "2026-01-31",
            "partners": [{"name": "Région"}, {"name": "=Mairie"}], "open": true,
            "updated_at": "2026-06-30T22:30:00Z"
        })];
        let written = |lang| {
            let locale = FileLocale {
                zone: chrono_tz::Europe::Paris,
                lang,
            };
            rows(&export, &items, locale, true)
                .map(|csv| String::from_utf8(csv).unwrap_or_default())
        };
        assert_eq!(
            written(Lang::Fr)?,
            "Intitulé;État;Début;Partenaires;Accepte les e-mails;Modifiée le\n\"Contrat; \"\"ville\"\", 2026\";Actif;31/01/2026;Région, =Mairie;Oui;01/07/2026 00:30\n"
        );
        assert_eq!(
            written(Lang::En)?,
            "Title,Status,Start,Partners,Accepts emails,Changed on\n\"Contrat; \"\"ville\"\", 2026\",Active,31/01/2026,\"Région, =Mairie\",Yes,01/07/2026 00:30\n"
        );
        Ok(())
    }
}
