//! Lists exported as CSV from their pages and from the API: every record across pages,
//! the list's filters, cells in words, none that a spreadsheet would run, and nothing
//! of another workspace.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

/// The file's lines as cells (`;` between them, as in French), its byte-order mark
/// checked and left out.
fn cells(body: &str) -> anyhow::Result<Vec<Vec<String>>> {
    cells_between(body, b';')
}

/// The same, cells separated by `delimiter`.
fn cells_between(body: &str, delimiter: u8) -> anyhow::Result<Vec<Vec<String>>> {
    let body = body
        .strip_prefix('\u{feff}')
        .ok_or_else(|| anyhow::anyhow!("no byte-order mark: {body:.80}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(body.as_bytes());
    Ok(reader
        .records()
        .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
        .collect::<Result<_, _>>()?)
}

/// 250 people in the demo workspace: more than a page of the list holds.
async fn more_people_than_a_page(stack: &Stack) -> anyhow::Result<()> {
    sqlx::query(
        "insert into people (tenant_id, id, given_name, family_name)
         select $1, gen_random_uuid(), 'Prénom' || i, 'Nom' || i from generate_series(1, 250) i",
    )
    .bind(stack.tenant_id)
    .execute(&stack.db.owner)
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_list_and_its_filters_are_exported_whole_with_no_cell_a_spreadsheet_would_run()
-> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    more_people_than_a_page(&stack).await?;
    let alice = created(
        &camille,
        "people",
        json!({"given_name": "Alice", "family_name": "=cmd|' /C calc'!A0",
               "notes": "Dit \"bonjour\"; revient mardi", "email_consent": true,
               "consent_basis": "consent", "consent_on": "2026-01-15"}),
    )
    .await?;
    let centre = created(
        &camille,
        "organisations",
        json!({"name": "Centre social Nord", "kind": "association"}),
    )
    .await?;
    created(
        &camille,
        "affiliations",
        json!({"person_id": alice, "organisation_id": centre}),
    )
    .await?;

    let file = camille.get("/t/asso-demo/people/export.csv").await?;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.headers()[reqwest::header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let disposition = file.headers()[reqwest::header::CONTENT_DISPOSITION].to_str()?;
    assert!(
        disposition.starts_with("attachment; filename=\"personnes-"),
        "{disposition}"
    );
    let lines = cells(&file.text().await?)?;
    assert_eq!(lines.len(), 1 + 251, "the header and every person");
    assert_eq!(lines[0][..3], ["Prénom", "Nom", "E-mail"]);
    let alice = lines
        .iter()
        .find(|l| l[0] == "Alice")
        .ok_or_else(|| anyhow::anyhow!("Alice is missing"))?;
    assert_eq!(alice[1], "'=cmd|' /C calc'!A0", "shown, never run");
    assert_eq!(alice[4], "Centre social Nord", "her organisation today");
    assert_eq!(alice[5], "Oui");
    assert_eq!(alice[8], "Dit \"bonjour\"; revient mardi");

    // The list's filters, from the page's address and from the API's parameters.
    for (name, kind) in [
        ("Région Sud", "public_body"),
        ("Fondation Abbé", "funder"),
        ("+Fonds", "funder"),
    ] {
        created(
            &camille,
            "organisations",
            json!({"name": name, "kind": kind}),
        )
        .await?;
    }
    for path in [
        "/t/asso-demo/organisations/export.csv?kind=funder",
        "/api/v1/t/asso-demo/exports/organisations.csv?kind=funder&limit=1",
    ] {
        let file = camille.get(path).await?;
        assert_eq!(file.status(), StatusCode::OK, "{path}");
        let lines = cells(&file.text().await?)?;
        let names: Vec<(&str, &str)> = lines[1..]
            .iter()
            .map(|l| (l[0].as_str(), l[1].as_str()))
            .collect();
        assert_eq!(
            names,
            [("'+Fonds", "Financeur"), ("Fondation Abbé", "Financeur")],
            "{path}"
        );
    }
    let list = camille
        .page("/t/asso-demo/organisations?kind=funder")
        .await?;
    assert!(
        list.contains("/t/asso-demo/organisations/export.csv?&#38;kind=funder"),
        "the list links to its export, filtered: {list}"
    );

    // A filter the list does not offer is refused before anything is written.
    let refused = camille
        .get("/t/asso-demo/organisations/export.csv?kind=inconnu")
        .await?;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await?.contains("ne se filtre pas ainsi"));
    let refused = camille
        .get("/api/v1/t/asso-demo/exports/organisations.csv?sort=au-hasard")
        .await?;
    assert!(refused.status().is_client_error(), "{}", refused.status());
    assert_eq!(
        refused.headers()[reqwest::header::CONTENT_TYPE],
        "application/problem+json"
    );

    // The API's document describes each export.
    let document = camille.read("/api/v1/openapi.json").await?;
    for collection in [
        "people",
        "organisations",
        "partnerships",
        "projects",
        "deadlines",
    ] {
        let path = format!("/api/v1/t/{{slug}}/exports/{collection}.csv");
        assert!(
            document["paths"][&path]["get"]["responses"]["200"]["content"]["text/csv"].is_object(),
            "{path}"
        );
    }

    // A viewer exports too, in their own language (sacha reads English: headings,
    // values and the file's name in English, cells between commas as English
    // spreadsheets expect); another workspace's member gets none of it.
    let sacha = stack.viewer().await?;
    let file = sacha.get("/t/asso-demo/organisations/export.csv").await?;
    let disposition = file.headers()[reqwest::header::CONTENT_DISPOSITION].to_str()?;
    assert!(
        disposition.starts_with("attachment; filename=\"organisations-"),
        "{disposition}"
    );
    let english = cells_between(&file.text().await?, b',')?;
    assert_eq!(english.len(), 5);
    assert_eq!(english[0][..2], ["Name", "Type"]);
    assert!(
        english.iter().any(|row| row[1] == "Funder"),
        "a kind in English: {english:?}"
    );
    let book = sacha.get("/t/asso-demo/projects/export.xlsx").await?;
    let (sheet, cells_of_book, _) = workbook(book.bytes().await?.to_vec())?;
    assert_eq!(sheet, "projects");
    assert_eq!(
        cells_of_book.rows().next().map(|r| r[1].to_string()),
        Some("Status".to_owned())
    );
    let other = stack.db.create_tenant("autre-asso").await?;
    let dominique = stack
        .member_of(other, "autre-asso", "dominique", "admin")
        .await?;
    let theirs = dominique.get("/t/autre-asso/people/export.csv").await?;
    assert_eq!(cells(&theirs.text().await?)?.len(), 1, "the header alone");
    let ours = dominique.get("/t/asso-demo/people/export.csv").await?;
    assert_ne!(ours.status(), StatusCode::OK);
    Ok(())
}

/// The workbook's first sheet, as a spreadsheet program reads it: its name, its cells,
/// its formulas.
fn workbook(
    bytes: Vec<u8>,
) -> anyhow::Result<(
    String,
    calamine::Range<calamine::Data>,
    calamine::Range<String>,
)> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no sheet"))?;
    let cells = book.worksheet_range(&name)?;
    let formulas = book.worksheet_formula(&name)?;
    Ok((name, cells, formulas))
}

#[tokio::test]
async fn a_list_is_exported_as_a_workbook_with_dates_as_dates_and_no_formula() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    more_people_than_a_page(&stack).await?;
    created(
        &camille,
        "people",
        json!({"given_name": "Alice", "family_name": "=HYPERLINK(\"http://evil\")",
               "email_consent": true, "consent_basis": "consent", "consent_on": "2026-01-15"}),
    )
    .await?;

    let file = camille.get("/t/asso-demo/people/export.xlsx").await?;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.headers()[reqwest::header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = file.headers()[reqwest::header::CONTENT_DISPOSITION].to_str()?;
    assert!(
        disposition.starts_with("attachment; filename=\"personnes-")
            && disposition.ends_with(".xlsx\""),
        "{disposition}"
    );
    let (sheet, cells, formulas) = workbook(file.bytes().await?.to_vec())?;
    assert_eq!(sheet, "personnes");
    assert_eq!(cells.height(), 1 + 251, "the header and every person");
    assert_eq!(
        cells
            .rows()
            .next()
            .map(|r| r[..3].iter().map(|c| c.to_string()).collect::<Vec<_>>()),
        Some(vec!["Prénom".to_owned(), "Nom".into(), "E-mail".into()])
    );
    let alice = cells
        .rows()
        .find(|r| r[0] == "Alice")
        .ok_or_else(|| anyhow::anyhow!("Alice is missing"))?;
    assert_eq!(
        alice[1],
        calamine::Data::String("=HYPERLINK(\"http://evil\")".into()),
        "a text cell, shown as typed"
    );
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );
    assert_eq!(alice[4].to_string(), "", "no organisation today");
    assert_eq!(alice[5].to_string(), "Oui");
    let consent_on = match &alice[7] {
        calamine::Data::DateTime(date) => date.as_datetime().map(|d| d.date()),
        other => anyhow::bail!("the consent's day is not a date: {other:?}"),
    };
    assert_eq!(consent_on, chrono::NaiveDate::from_ymd_opt(2026, 1, 15));

    // The API's export, with the list's filters.
    for (name, kind) in [("Région Sud", "public_body"), ("Fondation Abbé", "funder")] {
        created(
            &camille,
            "organisations",
            json!({"name": name, "kind": kind}),
        )
        .await?;
    }
    let file = camille
        .get("/api/v1/t/asso-demo/exports/organisations.xlsx?kind=funder")
        .await?;
    assert_eq!(file.status(), StatusCode::OK);
    let (_, cells, _) = workbook(file.bytes().await?.to_vec())?;
    let names: Vec<String> = cells.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(names, ["Fondation Abbé"]);
    let document = camille.read("/api/v1/openapi.json").await?;
    let path = "/api/v1/t/{slug}/exports/organisations.xlsx";
    assert!(
        document["paths"][path]["get"]["responses"]["200"]["content"]
            ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
            .is_object(),
        "{path}"
    );
    let list = camille
        .page("/t/asso-demo/organisations?kind=funder")
        .await?;
    assert!(
        list.contains("/t/asso-demo/organisations/export.xlsx?&#38;kind=funder"),
        "the list links to its workbook, filtered"
    );
    Ok(())
}
