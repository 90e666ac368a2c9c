//! Records changed from their forms (a stale form says what is stored), custom fields,
//! tags.

use reqwest::{StatusCode, header};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Stack, TestResult, created};

/// A person's, an organisation's and a project's details are changed from their forms:
/// what is not on the form is kept, a refused form names its field and changes nothing,
/// and a form made from a version changed since says what is stored now.
#[tokio::test]
async fn records_are_changed_from_their_forms_and_a_stale_form_says_what_is_stored() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let (status, person) = browser.api(reqwest::Method::POST, "/api/v1/t/asso-demo/people",
        Some(json!({"family_name": "Girard", "given_name": "Noël",
                    "emails": [{"address": "noel@exemple.fr", "label": "perso"}, {"address": "n.girard@mairie.fr", "label": "travail"}],
                    "phone": "05 61 00 00 00",
                    "address": {"street": "3 rue des Lilas", "postal_code": "31000", "city": "Toulouse", "country": "FR"}})),
    )
    .await?;
    assert_eq!(status, StatusCode::CREATED, "{person}");
    let id = person["id"].as_str().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/people/{id}");
    let page_path = format!("/t/asso-demo/people/{id}");
    let edit_path = format!("{page_path}/edit");
    let stored = || async {
        let person = browser.read(&api_path).await?;
        anyhow::Ok(person)
    };

    let page = browser.page(&page_path).await?;
    assert!(page.contains(&edit_path), "the page links to its form");
    let form = browser.page(&edit_path).await?;
    for shown in [
        "value=\"Girard\"",
        "value=\"noel@exemple.fr\"",
        "value=\"05 61 00 00 00\"",
        "value=\"Toulouse\"",
        // Countries are chosen by name.
        "<option value=\"FR\" selected>France</option>",
        "<option value=\"BE\">Belgique</option>",
        "name=\"version\" value=\"1\"",
    ] {
        assert!(form.contains(shown), "{shown}: {form}");
    }

    let mut fields = vec![
        ("version", "1"),
        ("family_name", "Girard-Martin"),
        ("given_name", "Noël"),
        ("email", "noel@exemple.fr"),
        ("phone", "05 61 00 00 00"),
        ("street", "3 rue des Lilas"),
        ("postal_code", "31700"),
        ("city", "Blagnac"),
        ("country", "BE"),
        ("email_consent", "on"),
        ("consent_basis", ""),
        ("consent_on", ""),
        ("consent_source", ""),
        ("notes", "Préfère le téléphone."),
    ];
    // Refused: consent without its legal basis; an email that is none.
    let set = |fields: &mut Vec<(&'static str, &'static str)>, name, value| {
        if let Some(field) = fields.iter_mut().find(|(f, _)| *f == name) {
            field.1 = value;
        }
    };
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"consent_basis-error\""), "{html}");
    assert!(
        html.contains("value=\"Girard-Martin\""),
        "what was typed stays"
    );
    set(&mut fields, "email", "pas-une-adresse");
    set(&mut fields, "consent_basis", "consent");
    set(&mut fields, "consent_on", "2026-03-01");
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"email-error\""));
    assert_eq!(stored().await?["version"], 1, "nothing changed");

    set(&mut fields, "email", "noel@exemple.fr");
    set(&mut fields, "consent_source", "Bulletin d'adhésion");
    let response = browser.submit(&edit_path, &fields).await?;
    assert_eq!(response, page_path);
    let person = stored().await?;
    assert_eq!(person["version"], 2);
    assert_eq!(person["family_name"], "Girard-Martin");
    assert_eq!(person["address"]["city"], "Blagnac");
    assert_eq!(person["address"]["country"], "BE");
    assert_eq!(person["email_consent"], true);
    assert_eq!(person["consent_basis"], "consent");
    assert_eq!(person["consent_on"], "2026-03-01");
    assert_eq!(person["notes"], "Préfère le téléphone.");
    assert_eq!(
        person["emails"],
        json!([{"address": "noel@exemple.fr", "label": "perso", "primary": true},
               {"address": "n.girard@mairie.fr", "label": "travail", "primary": false}]),
        "the primary email sent back unchanged keeps its label, the other stays"
    );

    // The page tells who changed what, newest first; the country by its name.
    let page = browser.page(&page_path).await?;
    assert!(page.contains("31700 Blagnac<br>Belgique"), "{page}");
    let changes = page
        .split("Modifications de la fiche")
        .nth(1)
        .unwrap_or_default();
    let (modified, created) = (
        changes.find("Camille Martin a modifié : adresse, consentement, nom, notes"),
        changes.find("Camille Martin a créé la fiche"),
    );
    assert!(
        modified.zip(created).is_some_and(|(m, c)| m < c),
        "{changes}"
    );

    // Someone else changes the city meanwhile; a form made from version 1 is stale.
    let response = browser
        .http
        .patch(format!("{}{api_path}", stack.base))
        .header(header::IF_MATCH, "\"2\"")
        .json(&json!({"address": {"street": "3 rue des Lilas", "postal_code": "31700", "city": "Cornebarrieu", "country": "FR"}}))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    set(&mut fields, "notes", "Joignable le matin.");
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(html.contains("a modifié cette fiche pendant que"), "{html}");
    assert!(
        html.contains("actuellement enregistré : « Cornebarrieu »"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Joignable le matin.\"")
            || html.contains(">Joignable le matin.</textarea>")
    );
    assert!(html.contains("name=\"version\" value=\"3\""), "{html}");
    assert_eq!(
        stored().await?["notes"],
        "Préfère le téléphone.",
        "nothing saved"
    );
    // Sent again from the page it answered: what was typed is kept, on purpose.
    set(&mut fields, "version", "3");
    browser.submit(&edit_path, &fields).await?;
    let person = stored().await?;
    assert_eq!(person["notes"], "Joignable le matin.");
    assert_eq!(person["address"]["city"], "Blagnac");

    // An organisation: kept what the form does not show (its tags), refused a bad site.
    let club = browser
        .create(
            "/api/v1/t/asso-demo/organisations",
            json!({"name": "Club de lecture", "kind": "association", "sector": "culture"}),
        )
        .await?;
    let club_id = club["id"].as_str().unwrap_or_default().to_owned();
    browser
        .api(
            reqwest::Method::PUT,
            &format!("/api/v1/t/asso-demo/organisations/{club_id}/tags"),
            Some(json!({"tags": ["Partenaire"]})),
        )
        .await?;
    let club_edit = format!("/t/asso-demo/organisations/{club_id}/edit");
    let form = browser.page(&club_edit).await?;
    assert!(form.contains("value=\"culture\""), "{form}");
    assert!(
        form.contains("<option value=\"association\" selected>"),
        "{form}"
    );
    let mut club_fields = vec![
        ("version", "1"),
        ("name", "Club de lecture du Mirail"),
        ("kind", "association"),
        ("sector", "culture"),
        ("territory", "Mirail"),
        ("email", ""),
        ("phone", ""),
        ("street", ""),
        ("postal_code", ""),
        ("city", ""),
        ("country", ""),
        ("website", "club-lecture.fr"),
        ("notes", ""),
    ];
    let response = browser.post_form(&club_edit, &club_fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"website-error\""));
    set(&mut club_fields, "website", "https://club-lecture.fr");
    browser.submit(&club_edit, &club_fields).await?;
    let page = browser
        .page(&format!("/t/asso-demo/organisations/{club_id}"))
        .await?;
    assert!(page.contains("Club de lecture du Mirail") && page.contains("Mirail"));
    assert!(page.contains("Partenaire"), "tags are kept: {page}");

    // A project: an end before its start is refused on the end; then saved.
    let project = browser.create("/api/v1/t/asso-demo/projects", json!({"name": "Jardins partagés", "milestones": [{"phase": "Diagnostic", "title": "Réunion publique"}]})).await?;
    let project_id = project["id"].as_str().unwrap_or_default().to_owned();
    let project_edit = format!("/t/asso-demo/projects/{project_id}/edit");
    assert_eq!(browser.get(&project_edit).await?.status(), StatusCode::OK);
    let mut project_fields = vec![
        ("version", "1"),
        ("name", "Jardins partagés"),
        ("status", "running"),
        ("territory", "Quartier Nord"),
        ("target_population", "Habitants"),
        ("starts_on", "2026-04-01"),
        ("ends_on", "2026-03-01"),
        ("description", ""),
    ];
    let response = browser.post_form(&project_edit, &project_fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"ends_on-error\""));
    set(&mut project_fields, "ends_on", "2027-03-31");
    browser.submit(&project_edit, &project_fields).await?;
    let project = browser
        .read(&format!("/api/v1/t/asso-demo/projects/{project_id}"))
        .await?;
    assert_eq!(project["status"], "running");
    assert_eq!(project["ends_on"], "2027-03-31");
    assert_eq!(
        project["milestones"].as_array().map(Vec::len),
        Some(1),
        "milestones kept"
    );

    // A viewer gets no form and changes nothing; another workspace's record is not found.
    let sacha = stack.viewer().await?;
    assert!(!sacha.page(&page_path).await?.contains(&edit_path));
    assert_eq!(sacha.get(&edit_path).await?.status(), StatusCode::FORBIDDEN);
    set(&mut fields, "version", "4");
    set(&mut fields, "family_name", "Lecture seule");
    let response = sacha.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored().await?["family_name"], "Girard-Martin");
    let other = stack.db.create_tenant("autre-asso").await?;
    let stranger = Uuid::now_v7();
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name) values ($1, $2, 'Secret', '')",
    )
    .bind(other)
    .bind(stranger)
    .execute(&stack.db.owner)
    .await?;
    let foreign = format!("/t/asso-demo/people/{stranger}/edit");
    assert_eq!(browser.get(&foreign).await?.status(), StatusCode::NOT_FOUND);
    let response = browser.post_form(&foreign, &fields).await?;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let name: String = sqlx::query_scalar("select family_name from people where id = $1")
        .bind(stranger)
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(name, "Secret");
    Ok(())
}

/// A record's tags are typed in one field on its page, separated by commas; a refusal
/// says why; a viewer cannot change them.
#[tokio::test]
async fn tags_are_edited_from_a_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let project = created(&browser, "projects", json!({"name": "Jardins partagés"})).await?;
    let page_path = format!("/t/asso-demo/projects/{project}");
    let tags_path = format!("{page_path}/tags");
    let page = browser.page(&page_path).await?;
    assert!(page.contains(&format!("action=\"{tags_path}\"")), "{page}");

    let response = browser
        .submit(&tags_path, &[("tags", " Écologie, Quartier Nord ,, ")])
        .await?;
    assert_eq!(response, page_path);
    let stored = browser
        .read(&format!("/api/v1/t/asso-demo/projects/{project}/tags"))
        .await?;
    assert_eq!(
        stored["tags"],
        json!(["Écologie", "Quartier Nord"]),
        "in the order French readers expect, accents aside"
    );
    let page = browser.page(&page_path).await?;
    assert!(page.contains("<li>Écologie</li>"), "{page}");

    let many: Vec<String> = (1..=51).map(|n| format!("tag {n}")).collect();
    let response = browser
        .post_form(&tags_path, &[("tags", &many.join(","))])
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("pas plus de 50 tags"));

    let sacha = stack.viewer().await?;
    assert!(!sacha.page(&page_path).await?.contains(&tags_path));
    let response = sacha.post_form(&tags_path, &[("tags", "")]).await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let stored = browser
        .read(&format!("/api/v1/t/asso-demo/projects/{project}/tags"))
        .await?;
    assert_eq!(
        stored["tags"].as_array().map(Vec::len),
        Some(2),
        "unchanged"
    );
    Ok(())
}

/// The fields a workspace added to people show on a person's form and page: typed as
/// their kind says (a number as a number, a choice among its values), checked, and
/// removed when emptied.
#[tokio::test]
async fn a_workspaces_own_fields_are_filled_from_the_form_and_shown() -> TestResult {
    let stack = Stack::start().await?;
    let admin = stack
        .member_of(stack.tenant_id, "asso-demo", "dominique", "admin")
        .await?;
    // The admin adds them from the settings page; a choice needs its values.
    let settings = "/t/asso-demo/settings/fields";
    let response = admin
        .post_form(
            settings,
            &[
                ("record_type", "person"),
                ("label", "Quartier"),
                ("field_type", "choice"),
                ("choices", " "),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"choices-error\""));
    for (record_type, label, field_type, choices) in [
        ("person", "Quartier", "choice", "Nord, Sud"),
        ("person", "Enfants", "number", ""),
        ("person", "Adhésion", "date", ""),
        ("organisation", "SIRET", "text", ""),
    ] {
        let response = admin
            .post_form(
                settings,
                &[
                    ("record_type", record_type),
                    ("label", label),
                    ("field_type", field_type),
                    ("choices", choices),
                ],
            )
            .await?;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{label}");
    }
    let page = admin.page(settings).await?;
    assert!(page.contains("Choix dans une liste : Nord, Sud"), "{page}");
    let browser = stack.editor().await?;
    let form = browser.page("/t/asso-demo/people/new").await?;
    assert!(form.contains("name=\"custom.choice.quartier\""), "{form}");
    assert!(form.contains("name=\"custom.number.enfants\""));
    assert!(
        !form.contains("siret"),
        "an organisation's field is not a person's"
    );

    let mut fields = vec![
        ("family_name", "Girard"),
        ("custom.choice.quartier", "Nord"),
        ("custom.number.enfants", "deux"),
        ("custom.date.adhesion", "2026-01-10"),
    ];
    let response = browser
        .post_form("/t/asso-demo/people/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(
        html.contains("id=\"custom.number.enfants-error\""),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"Nord\" selected>"),
        "kept: {html}"
    );
    fields[2].1 = "2";
    browser.submit("/t/asso-demo/people/new", &fields).await?;
    let listing = browser.read("/api/v1/t/asso-demo/people").await?;
    let id = listing["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let api_path = format!("/api/v1/t/asso-demo/people/{id}");
    let person = browser.read(&api_path).await?;
    assert_eq!(
        person["custom"],
        json!({"quartier": "Nord", "enfants": 2, "adhesion": "2026-01-10"})
    );
    let page_path = format!("/t/asso-demo/people/{id}");
    let page = browser.page(&page_path).await?;
    assert!(page.contains("<dt>Quartier</dt><dd>Nord</dd>"), "{page}");
    assert!(page.contains("<dt>Enfants</dt><dd>2</dd>"), "{page}");
    assert!(
        page.contains("<dt>Adhésion</dt><dd>10/01/2026</dd>"),
        "{page}"
    );

    // Changed from the filled form: a value emptied is removed.
    let form = browser.page(&format!("{page_path}/edit")).await?;
    assert!(
        form.contains("value=\"2026-01-10\"") && form.contains("<option value=\"Nord\" selected>"),
        "{form}"
    );
    browser
        .submit(
            &format!("{page_path}/edit"),
            &[
                ("version", "1"),
                ("family_name", "Girard"),
                ("custom.choice.quartier", "Sud"),
                ("custom.number.enfants", ""),
                ("custom.date.adhesion", "2026-01-10"),
            ],
        )
        .await?;
    let person = browser.read(&api_path).await?;
    assert_eq!(
        person["custom"],
        json!({"quartier": "Sud", "adhesion": "2026-01-10"})
    );

    // An editor sees the fields, cannot change them; the admin removes one, and its
    // values go with it.
    let page = browser.page(settings).await?;
    assert!(
        page.contains("Quartier") && !page.contains("Ajouter le champ"),
        "{page}"
    );
    let response = browser
        .post_form(
            settings,
            &[
                ("record_type", "person"),
                ("label", "Taille"),
                ("field_type", "text"),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let fields = admin.read("/api/v1/t/asso-demo/custom-fields").await?;
    let quartier = fields["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["key"] == "quartier")
        .map(|f| f["id"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    admin
        .submit(&format!("{settings}/{quartier}/delete"), &[])
        .await?;
    let person = browser.read(&api_path).await?;
    assert_eq!(person["custom"], json!({"adhesion": "2026-01-10"}));
    Ok(())
}
