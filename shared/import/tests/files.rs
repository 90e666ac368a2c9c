//! The files people send, well made or not: each is read as it is, or refused with the
//! reason, never half read.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

use maillage_import::source::Format;
use maillage_import::{FileDefect, Row, Source};
use tempfile::TempDir;

struct Files(TempDir);

impl Files {
    fn new() -> Self {
        Self(tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}")))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {name}: {e}"));
        path
    }
}

fn rows(source: &Source) -> Result<Vec<Row>, FileDefect> {
    let mut rows = Vec::new();
    source.rows(|row| {
        rows.push(row);
        ControlFlow::Continue(())
    })?;
    Ok(rows)
}

fn cells(rows: &[Row]) -> Vec<Vec<&str>> {
    rows.iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect()
}

#[test]
fn csv_files_are_read_whatever_their_encoding_and_delimiter() {
    let files = Files::new();
    let utf8 = files.write(
        "utf8.csv",
        "\u{feff}Prénom;Nom;Ville\nAnaïs;Lefèvre;Saint-Étienne\n\n\"Zoé\";\"D'Arc; dite \"\"la Pucelle\"\"\";\"Orléans\"\n".as_bytes(),
    );
    let source = Source::open(&utf8).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(source.describe(), "CSV, UTF-8, séparateur « ; »");
    let read = rows(&source).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cells(&read),
        [
            vec!["Prénom", "Nom", "Ville"],
            vec!["Anaïs", "Lefèvre", "Saint-Étienne"],
            vec!["Zoé", "D'Arc; dite \"la Pucelle\"", "Orléans"],
        ]
    );
    assert_eq!(read.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2, 4]);

    // "Cotisation 15 €" and "Cœur" in Windows-1252: € is 0x80, œ is 0x9C.
    let windows = files.write(
        "windows.csv",
        b"Nom,Notes\nC\x9Cur,Cotisation 15 \x80\nH\xE9l\xE8ne,\n",
    );
    let source = Source::open(&windows).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(source.describe(), "CSV, Windows-1252, séparateur « , »");
    assert_eq!(
        cells(&rows(&source).unwrap_or_default()),
        [
            vec!["Nom", "Notes"],
            vec!["Cœur", "Cotisation 15 €"],
            vec!["Hélène"]
        ]
    );

    let latin1 = files.write("latin1.tsv", b"Pr\xE9nom\tNom\nFran\xE7ois\tMa\xEEtre\n");
    let source = Source::open(&latin1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        source.describe(),
        "CSV, Latin-1 (ISO-8859-1), séparateur tabulation"
    );
    assert_eq!(
        cells(&rows(&source).unwrap_or_default())[1],
        ["François", "Maître"]
    );

    let pipes = files.write("pipes.csv", b"a|b|c\n1|2|3\n4|5|6\n");
    assert!(matches!(
        Source::open(&pipes).map(|s| s.format),
        Ok(Format::Csv {
            delimiter: b'|',
            ..
        })
    ));
}

#[test]
fn workbooks_are_read_cell_by_cell_with_their_dates_and_numbers() {
    let files = Files::new();
    let path = files.0.path().join("contacts.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let date =
        rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 15).unwrap_or_else(|e| panic!("{e}"));
    let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let written = (|| -> Result<(), rust_xlsxwriter::XlsxError> {
        let sheet = workbook.add_worksheet().set_name("Contacts")?;
        sheet.write(0, 0, "Nom")?;
        sheet.write(0, 1, "Téléphone")?;
        sheet.write(0, 3, "Consentement le")?;
        sheet.write(1, 0, "Lefèvre")?;
        sheet.write(1, 1, 612345678)?;
        sheet.write_datetime_with_format(1, 3, &date, &format)?;
        sheet.write(3, 0, "Durand")?;
        sheet.write(3, 1, 0.5)?;
        workbook.save(&path)
    })();
    written.unwrap_or_else(|e| panic!("{e}"));
    let source = Source::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(source.describe(), "classeur XLSX, feuille « Contacts »");
    let read = rows(&source).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cells(&read),
        [
            vec!["Nom", "Téléphone", "", "Consentement le"],
            vec!["Lefèvre", "612345678", "", "2024-03-15"],
            vec!["Durand", "0.5"],
        ]
    );
    assert_eq!(read[2].line, 4);
}

#[test]
fn files_that_are_not_tables_are_refused_with_their_reason() {
    let files = Files::new();
    let empty = files.write("empty.csv", b"");
    assert_eq!(Source::open(&empty).err(), Some(FileDefect::Empty));

    let png = files.write("photo.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    assert_eq!(Source::open(&png).err(), Some(FileDefect::NotATable));

    let controls = files.write("controls.csv", b"Nom\n\x01\x02\x03\x04binary\n");
    assert_eq!(Source::open(&controls).err(), Some(FileDefect::NotATable));

    // A workbook cut in half, as a failed download leaves it.
    let path = files.0.path().join("whole.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for row in 0..2000u32 {
        sheet
            .write(row, 0, format!("Personne {row}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    workbook.save(&path).unwrap_or_else(|e| panic!("{e}"));
    let whole = std::fs::read(&path).unwrap_or_default();
    let truncated = files.write("truncated.xlsx", &whole[..whole.len() / 2]);
    assert!(matches!(
        Source::open(&truncated),
        Err(FileDefect::BrokenWorkbook(_))
    ));

    let not_a_workbook = files.write("archive.xlsx", &zip_of(&[("readme.txt", b"hello")]));
    assert!(matches!(
        Source::open(&not_a_workbook),
        Err(FileDefect::BrokenWorkbook(_))
    ));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let files = Files::new();
    let zeros = vec![0u8; 64 << 20];
    let bomb = files.write(
        "bomb.xlsx",
        &zip_of(&[("xl/worksheets/sheet1.xml", &zeros)]),
    );
    assert!(
        std::fs::metadata(&bomb)
            .map(|m| m.len())
            .unwrap_or(u64::MAX)
            < 1 << 20
    );
    assert_eq!(Source::open(&bomb).err(), Some(FileDefect::ZipBomb));
}

#[test]
fn rows_too_wide_or_cells_too_long_stop_the_reading() {
    let files = Files::new();
    let wide = files.write(
        "wide.csv",
        format!("a;b\n{}\n", "x;".repeat(600)).as_bytes(),
    );
    let source = Source::open(&wide).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rows(&source).err(),
        Some(FileDefect::TooManyColumns { line: 2 })
    );

    let long = files.write(
        "long.csv",
        format!("Nom\n{}\n", "x".repeat(200_000)).as_bytes(),
    );
    let source = Source::open(&long).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rows(&source).err(),
        Some(FileDefect::CellTooLong { line: 2 })
    );
}

/// A zip of `entries`, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    for (name, bytes) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(false);
        zip.start_file(*name, options)
            .and_then(|()| zip.write_all(bytes).map_err(Into::into))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}"));
    buffer.into_inner()
}
