//! Affiliations and engagements recorded from a record's page; a person found and
//! linked.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Stack, TestResult, created};

/// From a person's page she is linked to an organisation (role, dates); from a person's
/// or an organisation's page what they gave is recorded: an amount typed in euros, or
/// volunteering hours typed as people say them.
#[tokio::test]
async fn affiliations_and_engagements_are_recorded_from_a_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let mut paths = Vec::new();
    for (collection, body) in [
        (
            "people",
            json!({"family_name": "Girard", "given_name": "Noël"}),
        ),
        (
            "organisations",
            json!({"name": "Club de lecture", "kind": "association"}),
        ),
        ("projects", json!({"name": "Jardins partagés"})),
    ] {
        let created = browser
            .create(&format!("/api/v1/t/asso-demo/{collection}"), body)
            .await?;
        paths.push((
            collection,
            created["id"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    let (person, club, project) = (paths[0].1.clone(), paths[1].1.clone(), paths[2].1.clone());
    let person_page = format!("/t/asso-demo/people/{person}");
    let club_page = format!("/t/asso-demo/organisations/{club}");
    let page = browser.page(&person_page).await?;
    assert!(page.contains(&format!("{person_page}/affiliations/new")));
    assert!(page.contains(&format!("{person_page}/engagements/new")));
    let page = browser
        .page(&format!("/t/asso-demo/projects/{project}"))
        .await?;
    assert!(
        !page.contains("/engagements/new"),
        "a project receives, it does not give"
    );

    // Linked to the club: the organisation is required, the dates in order.
    let link = format!("{person_page}/affiliations/new");
    let form = browser.page(&link).await?;
    assert!(form.contains(&format!(
        "<option value=\"{club}\">Club de lecture</option>"
    )));
    let mut fields = vec![
        ("organisation_id", ""),
        ("role", "Animateur"),
        ("starts_on", "2026-09-01"),
        ("ends_on", "2026-06-30"),
    ];
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await?
            .contains("id=\"organisation_id-error\"")
    );
    fields[0].1 = &club;
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"ends_on-error\""), "{html}");
    assert!(
        html.contains(&format!("<option value=\"{club}\" selected>")),
        "kept"
    );
    fields[3].1 = "";
    let response = browser.submit(&link, &fields).await?;
    assert_eq!(response, format!("{person_page}#affiliations"));
    let page = browser.page(&club_page).await?;
    assert!(
        page.contains("Noël Girard") || page.contains("Girard Noël"),
        "{page}"
    );
    assert!(page.contains("Animateur"));

    // Volunteering hours, then a donation to a project, then the club's sponsorship.
    let give = format!("{person_page}/engagements/new");
    let volunteering = [
        ("kind", "volunteering"),
        ("occurred_on", "2026-04-05"),
        ("amount", ""),
        ("duration", "2 h 30"),
        ("project_id", ""),
        ("campaign", ""),
        ("notes", ""),
    ];
    browser.submit(&give, &volunteering).await?;
    let mut donation = vec![
        ("kind", "donation"),
        ("occurred_on", "2026-05-01"),
        ("amount", "douze"),
        ("duration", ""),
        ("project_id", project.as_str()),
        ("campaign", "Appel de printemps"),
        ("notes", ""),
    ];
    let response = browser.post_form(&give, &donation).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"amount-error\""), "{html}");
    assert!(html.contains("value=\"Appel de printemps\""), "kept");
    donation[2].1 = "50";
    browser.submit(&give, &donation).await?;
    let sponsorship = [
        ("kind", "sponsorship"),
        ("occurred_on", "2026-06-01"),
        ("amount", "1 500"),
        ("duration", ""),
        ("project_id", ""),
        ("campaign", ""),
        ("notes", ""),
    ];
    browser
        .submit(&format!("{club_page}/engagements/new"), &sponsorship)
        .await?;

    let listing = browser
        .read(&format!(
            "/api/v1/t/asso-demo/engagements?person_id={person}&sort=occurred_on"
        ))
        .await?;
    let items = listing["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{listing}");
    assert_eq!(items[0]["minutes"], 150);
    assert_eq!(items[1]["amount_cents"], 5000);
    assert_eq!(items[1]["project_id"], project.as_str());
    let page = browser.page(&person_page).await?;
    assert!(
        page.contains("2 h 30") && page.contains("50,00\u{a0}€"),
        "{page}"
    );
    let page = browser.page(&club_page).await?;
    assert!(page.contains("1\u{202f}500,00\u{a0}€"), "{page}");

    // A viewer gets none of these forms; another workspace's person is not found.
    let sacha = stack.viewer().await?;
    for form in [&link, &give] {
        assert_eq!(sacha.get(form).await?.status(), StatusCode::FORBIDDEN);
    }
    let response = sacha.post_form(&give, &volunteering).await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let stranger = Uuid::now_v7();
    let foreign = format!("/t/asso-demo/people/{stranger}/engagements/new");
    assert_eq!(browser.get(&foreign).await?.status(), StatusCode::NOT_FOUND);
    let response = browser.post_form(&foreign, &volunteering).await?;
    assert_ne!(response.status(), StatusCode::SEE_OTHER);
    let given: i64 = sqlx::query_scalar("select count(*) from engagements")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(given, 3);
    Ok(())
}

/// From an organisation's page a person is found by name and linked to it, with a role.
#[tokio::test]
async fn a_person_is_found_and_linked_from_an_organisations_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let person = created(
        &browser,
        "people",
        json!({"family_name": "Girard", "given_name": "Noël", "email": "noel@exemple.fr"}),
    )
    .await?;
    let club = created(
        &browser,
        "organisations",
        json!({"name": "Club de lecture", "kind": "association"}),
    )
    .await?;
    let club_page = format!("/t/asso-demo/organisations/{club}");
    let link = format!("{club_page}/affiliations/new");
    let page = browser.page(&club_page).await?;
    assert!(page.contains(&link), "{page}");
    let found = browser.page(&format!("{link}?q=noel")).await?;
    assert!(found.contains(&format!("value=\"{person}\"")), "{found}");
    assert!(found.contains("noel@exemple.fr"));

    let mut fields = vec![
        ("q", "noel"),
        ("role", "Président"),
        ("starts_on", "2025-09-01"),
        ("ends_on", ""),
    ];
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"person_id-error\""), "{html}");
    assert!(
        html.contains(&format!("value=\"{person}\"")),
        "the people found stay"
    );
    fields.push(("person_id", person.as_str()));
    let response = browser.submit(&link, &fields).await?;
    assert_eq!(response, format!("{club_page}#affiliations"));
    let page = browser.page(&club_page).await?;
    assert!(
        page.contains("Président") && page.contains("Girard"),
        "{page}"
    );
    Ok(())
}

/// An engagement entered wrongly is corrected from the record's list of engagements, or
/// deleted once confirmed; the yearly totals follow.
#[tokio::test]
async fn an_engagement_is_corrected_or_deleted_from_the_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let person = created(&browser, "people", json!({"family_name": "Girard"})).await?;
    let donation = created(
        &browser,
        "engagements",
        json!({"kind": "donation", "person_id": person, "amount_cents": 5000, "occurred_on": "2026-05-01", "campaign": "Appel de printemps"}),
    )
    .await?;
    let page_path = format!("/t/asso-demo/people/{person}");
    let page = browser.page(&page_path).await?;
    let link = format!("/t/asso-demo/engagements/{donation}/edit?back={page_path}");
    assert!(
        page.contains(&link) && page.contains("Appel de printemps"),
        "{page}"
    );
    let form = browser.page(&link).await?;
    assert!(
        form.contains("value=\"50,00\"") && form.contains("value=\"2026-05-01\""),
        "{form}"
    );

    let edit_path = format!("/t/asso-demo/engagements/{donation}/edit");
    let mut fields = vec![
        ("version", "1"),
        ("back", page_path.as_str()),
        ("kind", "donation"),
        ("occurred_on", "2026-05-01"),
        ("amount", "75"),
        ("duration", ""),
        ("project_id", ""),
        ("campaign", "Appel de printemps"),
        ("notes", ""),
    ];
    let response = browser.submit(&edit_path, &fields).await?;
    assert_eq!(response, format!("{page_path}#engagements"));
    let api_path = format!("/api/v1/t/asso-demo/engagements/{donation}");
    let stored = browser.read(&api_path).await?;
    assert_eq!(stored["amount_cents"], 7500);
    let page = browser.page(&page_path).await?;
    assert!(page.contains("75,00\u{a0}€"), "the totals follow: {page}");
    fields[4].1 = "80";
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "made from version 1"
    );
    assert!(
        response
            .text()
            .await?
            .contains("actuellement enregistré : « 75,00 »")
    );

    let delete_path = format!("/t/asso-demo/engagements/{donation}/delete");
    let response = browser
        .post_form(&delete_path, &[("version", "2"), ("back", &page_path)])
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await?
            .contains("Supprimer cet engagement du 01/05/2026 ?")
    );
    browser
        .submit(
            &delete_path,
            &[("version", "2"), ("back", &page_path), ("confirmed", "1")],
        )
        .await?;
    let (status, _) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let page = browser.page(&page_path).await?;
    assert!(page.contains("Aucun engagement enregistré."), "{page}");
    Ok(())
}
