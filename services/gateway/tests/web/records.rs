//! Records created through pages and the API, their pages, the bin, merging duplicates.

use maillage_testkit::location;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

#[tokio::test]
async fn people_organisations_and_deadlines_are_created_through_pages_and_api() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;

    browser
        .submit(
            "/t/asso-demo/people/new",
            &[
                ("family_name", "Durand"),
                ("given_name", "Hélène"),
                ("email", "helene@example.org"),
            ],
        )
        .await?;
    let list = browser.page("/t/asso-demo/people").await?;
    assert!(list.contains("Durand Hélène"), "{list}");
    let created = browser
        .post_form(
            "/t/asso-demo/people/new",
            &[("family_name", "Zidane"), ("given_name", "Ali")],
        )
        .await?;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    // Alphabetical by default; the newest change first when asked.
    let position = |page: &str, name: &str| page.find(name).unwrap_or(usize::MAX);
    let list = browser.page("/t/asso-demo/people").await?;
    assert!(
        position(&list, "Durand Hélène") < position(&list, "Zidane Ali"),
        "{list}"
    );
    let recent = browser.page("/t/asso-demo/people?sort=recent").await?;
    assert!(
        position(&recent, "Zidane Ali") < position(&recent, "Durand Hélène"),
        "{recent}"
    );
    assert!(
        recent.contains("récemment modifiées d'abord</strong>"),
        "{recent}"
    );

    let refused = browser
        .post_form(
            "/t/asso-demo/people/new",
            &[("family_name", ""), ("email", "nope")],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = refused.text().await?;
    assert!(
        form.contains("est obligatoire") && form.contains("pas une adresse e-mail valide"),
        "{form}"
    );
    assert!(form.contains("value=\"nope\""), "what was typed is kept");

    let organisation = browser
        .post_form(
            "/t/asso-demo/organisations/new",
            &[
                ("name", "Fondation Lumière"),
                ("kind", "funder"),
                ("sector", "Culture"),
                ("territory", "Occitanie"),
                ("email", ""),
                ("website", ""),
            ],
        )
        .await?;
    assert_eq!(organisation.status(), StatusCode::SEE_OTHER);
    let (status, organisations) = browser
        .api(
            reqwest::Method::GET,
            "/api/v1/t/asso-demo/organisations",
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            &organisations["items"][0]["sector"],
            &organisations["items"][0]["territory"]
        ),
        (&json!("Culture"), &json!("Occitanie"))
    );
    let funder_id = organisations["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let deadline = browser
        .post_form(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Bilan annuel"),
                ("funder_id", &funder_id),
                ("due_date", "2030-06-30"),
                ("due_time", "17:00"),
                ("notes", ""),
            ],
        )
        .await?;
    assert_eq!(deadline.status(), StatusCode::SEE_OTHER);
    let page_path = location(&deadline)?;
    let page = browser.page(&page_path).await?;
    assert!(page.contains("Bilan annuel") && page.contains("Fondation Lumière"));
    assert!(
        page.contains("dimanche 30 juin 2030 à 17:00"),
        "shown in the tenant's time: {page}"
    );
    let stored = browser.read("/api/v1/t/asso-demo/deadlines").await?;
    assert_eq!(
        stored["items"][0]["due_at"], "2030-06-30T15:00:00Z",
        "17:00 in Paris in summer"
    );

    let (status, person) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": "Martin"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{person}");
    let (status, problem) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": 7})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "/problems/invalid-body");

    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where tenant_id = $1")
        .bind(stack.tenant_id)
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(audited, 5, "each creation is audited, with the acting user");
    Ok(())
}

#[tokio::test]
async fn a_persons_and_an_organisations_pages_show_details_links_and_history() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let person = browser.create("/api/v1/t/asso-demo/people", json!({"family_name": "Girard", "given_name": "Noël", "emails": [{"address": "noel@exemple.fr", "label": "perso"}],
                    "address": {"street": "3 rue des Lilas", "postal_code": "31000", "city": "Toulouse"}})).await?;
    let person_id = person["id"].as_str().unwrap_or_default().to_owned();
    let club = browser
        .create(
            "/api/v1/t/asso-demo/organisations",
            json!({"name": "Club de lecture", "kind": "association"}),
        )
        .await?;
    browser.api(reqwest::Method::POST, "/api/v1/t/asso-demo/affiliations",
        Some(json!({"person_id": person_id, "organisation_id": club["id"], "role": "Animateur", "starts_on": "2025-09-01"})),
    )
    .await?;
    browser.api(reqwest::Method::POST, "/api/v1/t/asso-demo/activities",
        Some(json!({"kind": "meeting", "subject": "Point rentrée", "occurred_at": "2026-09-02T10:00:00+02:00",
                    "links": {"people": [person_id], "organisations": [club["id"]]}})),
    )
    .await?;
    browser
        .api(
            reqwest::Method::PUT,
            &format!("/api/v1/t/asso-demo/people/{person_id}/tags"),
            Some(json!({"tags": ["Bénévole"]})),
        )
        .await?;
    for engagement in [
        json!({"kind": "donation", "person_id": person_id, "amount_cents": 5000, "occurred_on": "2026-03-01"}),
        json!({"kind": "volunteering", "person_id": person_id, "minutes": 150, "occurred_on": "2026-04-05"}),
        json!({"kind": "grant", "person_id": person_id, "amount_cents": 120000, "occurred_on": "2026-05-02"}),
    ] {
        let (status, created) = browser
            .api(
                reqwest::Method::POST,
                "/api/v1/t/asso-demo/engagements",
                Some(engagement),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }

    let list = browser.page("/t/asso-demo/people").await?;
    assert!(
        list.contains(&format!("/t/asso-demo/people/{person_id}")),
        "the list links to the page"
    );
    let page = browser
        .get(&format!("/t/asso-demo/people/{person_id}"))
        .await?;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    for expected in [
        "Noël Girard",
        "noel@exemple.fr",
        "31000 Toulouse",
        "Club de lecture",
        "Animateur",
        "depuis le 01/09/2025",
        "Réunion",
        "Point rentrée",
        "mercredi 2 septembre 2026 à 10:00",
        "Bénévole",
        "<td>Don</td>",
        "50,00\u{a0}€",
        // Each kind by its own name ("Subvention" once read "Mécénat").
        "<td>Subvention</td>",
        "1\u{202f}200,00\u{a0}€",
        "Bénévolat",
        "2 h 30",
    ] {
        assert!(html.contains(expected), "{expected} missing from the page");
    }
    let club_id = club["id"].as_str().unwrap_or_default();
    let club_page = format!("/t/asso-demo/organisations/{club_id}");
    assert!(
        html.contains(&club_page),
        "the person's page links to the organisation's"
    );
    let list = browser.page("/t/asso-demo/organisations").await?;
    assert!(list.contains(&club_page), "the list links to the page");
    let page = browser.get(&club_page).await?;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    for expected in [
        "Club de lecture",
        "Association",
        "Girard Noël",
        &format!("/t/asso-demo/people/{person_id}"),
        "Animateur",
        "En cours, depuis le 01/09/2025",
        "Point rentrée",
    ] {
        assert!(
            html.contains(expected),
            "{expected} missing from the club's page"
        );
    }
    for missing in ["people", "organisations"] {
        assert_eq!(
            browser
                .get(&format!("/t/asso-demo/{missing}/{}", uuid::Uuid::new_v4()))
                .await?
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    Ok(())
}

/// A person, an organisation, a project or a partnership goes to the bin from its form,
/// once confirmed; the bin lists them, most recently deleted first, and restores them.
#[tokio::test]
async fn records_go_to_the_bin_from_their_form_and_come_back_from_it() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let club = browser
        .create(
            "/api/v1/t/asso-demo/organisations",
            json!({"name": "Club de lecture", "kind": "association"}),
        )
        .await?;
    let person = browser
        .create(
            "/api/v1/t/asso-demo/people",
            json!({"family_name": "Girard", "given_name": "Noël"}),
        )
        .await?;
    let bin = browser.page("/t/asso-demo/bin").await?;
    assert!(bin.contains("La corbeille est vide."), "{bin}");

    for (collection, record, name) in [
        ("organisations", &club, "Club de lecture"),
        ("people", &person, "Noël Girard"),
    ] {
        let page_path = format!(
            "/t/asso-demo/{collection}/{}",
            record["id"].as_str().unwrap_or_default()
        );
        let form = browser.page(&format!("{page_path}/edit")).await?;
        assert!(form.contains("Mettre cette fiche à la corbeille"), "{form}");
        let delete = format!("{page_path}/delete");
        let response = browser.post_form(&delete, &[("version", "1")]).await?;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response
                .text()
                .await?
                .contains(&format!("Mettre « {name} » à la corbeille ?"))
        );
        assert_eq!(
            browser.get(&page_path).await?.status(),
            StatusCode::OK,
            "asked first"
        );
        let response = browser
            .submit(&delete, &[("version", "1"), ("confirmed", "1")])
            .await?;
        assert_eq!(response, "/t/asso-demo/bin?binned=1");
        assert_eq!(
            browser.get(&page_path).await?.status(),
            StatusCode::NOT_FOUND
        );
    }
    let bin = browser.page("/t/asso-demo/bin?binned=1").await?;
    assert!(bin.contains("La fiche est dans la corbeille"), "{bin}");
    let (girard, club_at) = (bin.find("Noël Girard"), bin.find("Club de lecture"));
    assert!(
        girard.zip(club_at).is_some_and(|(g, c)| g < c),
        "most recently deleted first: {bin}"
    );
    let people = browser.page("/t/asso-demo/people").await?;
    assert!(!people.contains("Girard"), "gone from the list");

    let person_id = person["id"].as_str().unwrap_or_default();
    let restore = format!("/t/asso-demo/people/{person_id}/restore");
    assert!(bin.contains(&restore));
    let response = browser.submit(&restore, &[]).await?;
    assert_eq!(response, format!("/t/asso-demo/people/{person_id}"));
    let page = browser
        .get(&format!("/t/asso-demo/people/{person_id}"))
        .await?;
    assert_eq!(page.status(), StatusCode::OK);
    let bin = browser.page("/t/asso-demo/bin").await?;
    assert!(
        !bin.contains("Noël Girard") && bin.contains("Club de lecture"),
        "{bin}"
    );

    // A viewer sees the bin, not the buttons, and restores nothing.
    let sacha = stack.viewer().await?;
    let bin = sacha.page("/t/asso-demo/bin").await?;
    assert!(
        bin.contains("Club de lecture") && !bin.contains("/restore"),
        "{bin}"
    );
    let club_id = club["id"].as_str().unwrap_or_default();
    let response = sacha
        .post_form(
            &format!("/t/asso-demo/organisations/{club_id}/restore"),
            &[],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    Ok(())
}

/// A duplicate is found from the kept person's page, merged once confirmed: what it
/// held moves to the kept one, and it goes to the bin.
#[tokio::test]
async fn a_duplicate_is_found_and_merged_from_the_kept_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let kept = created(
        &browser,
        "people",
        json!({"family_name": "Girard", "given_name": "Noël", "email": "noel@exemple.fr"}),
    )
    .await?;
    let duplicate = created(
        &browser,
        "people",
        json!({"family_name": "Girard", "given_name": "Noel", "phone": "05 61 00 00 00"}),
    )
    .await?;
    let club = created(
        &browser,
        "organisations",
        json!({"name": "Club de lecture", "kind": "association"}),
    )
    .await?;
    let (status, _) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/affiliations",
            Some(json!({"person_id": duplicate, "organisation_id": club, "role": "Trésorier"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let kept_page = format!("/t/asso-demo/people/{kept}");
    let merge_path = format!("{kept_page}/merge");
    let page = browser.page(&kept_page).await?;
    assert!(page.contains(&merge_path), "{page}");

    let found = browser.page(&format!("{merge_path}?q=girard")).await?;
    assert!(found.contains(&format!("value=\"{duplicate}\"")), "{found}");
    assert!(!found.contains(&format!("value=\"{kept}\"")), "not itself");
    let response = browser
        .post_form(&merge_path, &[("duplicate_id", duplicate.as_str())])
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await?
            .contains("Fusionner « Noel Girard » dans « Noël Girard » ?")
    );
    let duplicate_page = format!("/t/asso-demo/people/{duplicate}");
    assert_eq!(
        browser.get(&duplicate_page).await?.status(),
        StatusCode::OK,
        "asked first"
    );

    let response = browser
        .submit(
            &merge_path,
            &[("duplicate_id", duplicate.as_str()), ("confirmed", "1")],
        )
        .await?;
    assert_eq!(response, kept_page);
    let page = browser.page(&kept_page).await?;
    assert!(
        page.contains("05 61 00 00 00"),
        "the phone it lacked: {page}"
    );
    assert!(
        page.contains("Club de lecture") && page.contains("Trésorier"),
        "{page}"
    );
    assert!(
        page.contains("y a fusionné un doublon"),
        "told in its changes"
    );
    assert_eq!(
        browser.get(&duplicate_page).await?.status(),
        StatusCode::NOT_FOUND
    );
    let bin = browser.page("/t/asso-demo/bin").await?;
    assert!(bin.contains("Noel Girard"), "{bin}");

    let sacha = stack.viewer().await?;
    assert_eq!(
        sacha.get(&merge_path).await?.status(),
        StatusCode::FORBIDDEN
    );
    Ok(())
}
