//! Imports from the pages: a workbook sent from the form, the mapping shown and changed,
//! the dry run's counts, the run's report and the undoing; the same through the API.

use std::time::Duration;

use reqwest::{Method, StatusCode};

use crate::helpers::{Stack, TestResult};

/// A workbook as a spreadsheet saves it: headers, then a person per row.
fn workbook(rows: &[[&str; 4]]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Adhérents")?;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write(u32::try_from(r)?, u16::try_from(c)?, *cell)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// The import's page once it says `status`.
async fn page_when(
    browser: &maillage_testkit::Browser,
    path: &str,
    status: &str,
) -> anyhow::Result<String> {
    let found = maillage_testkit::eventually(Duration::from_secs(30), || async {
        let html = browser.page(path).await.ok()?;
        html.contains(status).then_some(html)
    })
    .await;
    match found {
        Some(html) => Ok(html),
        None => anyhow::bail!("{path} never said {status}: {}", browser.page(path).await?),
    }
}

#[tokio::test]
async fn a_workbook_is_sent_checked_mapped_imported_and_undone_from_the_pages() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let file = workbook(&[
        ["Prénom", "Nom", "Adresse mail", "Quartier"],
        ["Anaïs", "Lefèvre", "anais@exemple.fr", "Nord"],
        ["Bruno", "Petit", "pas une adresse", "Sud"],
        ["Chloé", "Roux", "chloe@exemple.fr", "Centre"],
    ])?;
    let sent = camille
        .upload("/t/asso-demo/imports", "file", "adhérents.xlsx", &file)
        .await?;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let path = maillage_testkit::location(&sent)?;
    assert!(path.starts_with("/t/asso-demo/imports/"), "{path}");

    let html = page_when(&camille, &path, "Vérifié, en attente de votre accord").await?;
    assert!(
        html.contains("classeur XLSX, feuille « Adhérents »"),
        "{html}"
    );
    assert!(html.contains("Essai à blanc : ce que l&#39;import ferait"));
    assert!(
        html.contains("anais@exemple.fr · pas une adresse · chloe@exemple.fr"),
        "examples of each column"
    );
    assert!(
        html.contains(r#"<option value="email" selected>"#),
        "'Adresse mail' is the email"
    );
    assert!(html.contains("pas une adresse"), "the refused row is shown");
    assert!(
        html.contains("<th scope=\"row\">Personnes créées</th><td>2</td>"),
        "{html}"
    );

    // The fourth column, left out, becomes the notes.
    let change = camille
        .submit(
            &path,
            &[
                ("column_0", "given_name"),
                ("column_1", "family_name"),
                ("column_2", "email"),
                ("column_3", "notes"),
            ],
        )
        .await?;
    assert_eq!(change, path);
    let html = page_when(&camille, &path, "Vérifié, en attente de votre accord").await?;
    assert!(html.contains(r#"<option value="notes" selected>"#));

    let rejected = camille.get(&format!("{path}/rejected.csv")).await?;
    assert_eq!(rejected.status(), StatusCode::OK);
    let rejected = rejected.text().await?;
    assert!(rejected.contains("3;Adresse mail;"), "{rejected}");

    camille.submit(&format!("{path}/run"), &[]).await?;
    let html = page_when(&camille, &path, "Importé").await?;
    assert!(html.contains("Indicateurs de reprise"));
    assert!(
        html.contains("<th scope=\"row\">Personnes</th><td>0</td><td>2</td>"),
        "{html}"
    );
    let people = camille.read("/api/v1/t/asso-demo/people").await?;
    let notes: Vec<&str> = people["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["notes"].as_str())
        .collect();
    assert_eq!(notes, ["Nord", "Centre"]);

    camille.submit(&format!("{path}/undo"), &[]).await?;
    page_when(&camille, &path, "Annulé").await?;
    let people = camille.read("/api/v1/t/asso-demo/people").await?;
    assert_eq!(people["items"], serde_json::json!([]));
    let list = camille.page("/t/asso-demo/imports").await?;
    assert!(list.contains("adhérents.xlsx"));
    Ok(())
}

#[tokio::test]
async fn transforms_chosen_in_the_page_are_saved_as_a_template_the_next_file_takes() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sent = camille
        .upload(
            "/t/asso-demo/imports",
            "file",
            "mairie.csv",
            "Nom complet;Ville\nMartin Camille;SAINT-ÉTIENNE\n".as_bytes(),
        )
        .await?;
    let path = maillage_testkit::location(&sent)?;
    let html = page_when(&camille, &path, "Vérifié, en attente de votre accord").await?;
    assert!(
        html.contains(r#"<option value="family_name_first">Nom de famille"#),
        "a full name offers its transforms: {html}"
    );
    let change = camille
        .submit(
            &path,
            &[
                ("column_0", "full_name"),
                ("transform_0", "family_name_first"),
                ("column_1", "city"),
                ("transform_1", "capitalise"),
            ],
        )
        .await?;
    assert_eq!(change, path);
    let html = page_when(&camille, &path, "Vérifié, en attente de votre accord").await?;
    assert!(html.contains(r#"<option value="family_name_first" selected>"#));
    assert!(html.contains(r#"<option value="capitalise" selected>"#));
    let saved = camille
        .submit(
            &format!("{path}/template"),
            &[("name", "Export de la mairie")],
        )
        .await?;
    assert_eq!(saved, format!("{path}#modele"));

    let sent = camille
        .upload(
            "/t/asso-demo/imports",
            "file",
            "mairie-2.csv",
            "VILLE;nom complet\nLYON;Durand Hélène\n".as_bytes(),
        )
        .await?;
    let next = maillage_testkit::location(&sent)?;
    let html = page_when(&camille, &next, "Vérifié, en attente de votre accord").await?;
    assert!(
        html.contains("correspondance du modèle « Export de la mairie »"),
        "{html}"
    );
    camille.submit(&format!("{next}/run"), &[]).await?;
    page_when(&camille, &next, "Importé").await?;
    let people = camille.read("/api/v1/t/asso-demo/people").await?;
    assert_eq!(people["items"][0]["given_name"], "Hélène");
    assert_eq!(people["items"][0]["family_name"], "Durand");
    assert_eq!(people["items"][0]["address"]["city"], "Lyon");

    let list = camille.page("/t/asso-demo/imports").await?;
    assert!(list.contains("Modèles de correspondance"), "{list}");
    assert!(
        list.contains("nom complet → Personne : nom complet"),
        "{list}"
    );
    let templates = camille.read("/api/v1/t/asso-demo/import-templates").await?;
    let template_id = templates["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    camille
        .submit(
            &format!("/t/asso-demo/import-templates/{template_id}/delete"),
            &[],
        )
        .await?;
    let list = camille.page("/t/asso-demo/imports").await?;
    assert!(!list.contains("Export de la mairie"));
    Ok(())
}

#[tokio::test]
async fn the_api_takes_a_file_as_its_body_and_viewers_send_none() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let (status, import) = camille
        .send_file(
            Method::POST,
            "/api/v1/t/asso-demo/imports?file_name=contacts.csv",
            b"Nom;Courriel
Martin;camille@exemple.fr
"
            .to_vec(),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{import}");
    let id = import["id"].as_str().unwrap_or_default();
    let checked = maillage_testkit::eventually(Duration::from_secs(30), || async {
        let import = camille
            .read(&format!("/api/v1/t/asso-demo/imports/{id}"))
            .await
            .ok()?;
        (import["status"] == "checked").then_some(import)
    })
    .await;
    assert_eq!(
        checked.map(|i| i["counts"]["people_created"].clone()),
        Some(serde_json::json!(1))
    );

    let missing = camille
        .upload("/t/asso-demo/imports", "file", "", b"")
        .await?;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .text()
            .await?
            .contains("choisissez le fichier à importer")
    );

    let viewer = stack.viewer().await?;
    let page = viewer.page("/t/asso-demo/imports").await?;
    assert!(
        !page.contains("enctype=\"multipart/form-data\""),
        "no form for a viewer"
    );
    let refused = viewer
        .upload("/t/asso-demo/imports", "file", "x.csv", b"Nom\nA\n")
        .await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (status, _) = viewer
        .send_file(
            Method::POST,
            "/api/v1/t/asso-demo/imports?file_name=x.csv",
            b"Nom\nA\n".to_vec(),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    Ok(())
}
