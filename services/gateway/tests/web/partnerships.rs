//! Partnerships added, changed and evaluated from their pages.

use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{Stack, TestResult};

/// A partnership is added and changed from its form: partners chosen among the
/// organisations with their role, the agreement's parts, a budget typed the French way;
/// its status offers only where it may go, and a stale form names the stored partners.
#[tokio::test]
async fn partnerships_are_added_and_changed_from_their_form() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let mut ids = Vec::new();
    for name in ["Région Occitanie", "Ville de Toulouse"] {
        let created = browser
            .create(
                "/api/v1/t/asso-demo/organisations",
                json!({"name": name, "kind": "public_body"}),
            )
            .await?;
        ids.push(created["id"].as_str().unwrap_or_default().to_owned());
    }
    let (region, ville) = (ids[0].as_str(), ids[1].as_str());
    let list = browser.page("/t/asso-demo/partnerships").await?;
    assert!(list.contains("/t/asso-demo/partnerships/new"), "{list}");
    let form = browser.page("/t/asso-demo/partnerships/new").await?;
    assert!(form.contains(&format!(
        "<option value=\"{region}\">Région Occitanie</option>"
    )));
    assert_eq!(
        form.matches("name=\"partner_id\"").count(),
        2,
        "two blank lines"
    );
    let count = || async {
        let listing = browser.read("/api/v1/t/asso-demo/partnerships").await?;
        anyhow::Ok(listing["items"].as_array().map_or(0, Vec::len))
    };

    let mut fields = vec![
        ("title", "Contrat de ville"),
        ("kind", "funding"),
        ("status", "negotiating"),
        ("partner_id", ""),
        ("partner_role", ""),
        ("partner_id", ""),
        ("partner_role", ""),
        ("starts_on", "2026-01-01"),
        ("ends_on", "2028-12-31"),
        ("next_evaluation_on", ""),
        ("purpose", "Animer le quartier Nord"),
        ("budget", "douze mille"),
        ("notes", ""),
    ];
    let response = browser
        .post_form("/t/asso-demo/partnerships/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"budget-error\""));
    fields[11].1 = "45 000";
    let response = browser
        .post_form("/t/asso-demo/partnerships/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"partners-error\""), "{html}");
    assert!(
        html.contains("Animer le quartier Nord"),
        "what was typed stays"
    );
    assert_eq!(count().await?, 0, "nothing written");

    fields[3].1 = region;
    fields[4].1 = "financeur";
    let response = browser
        .submit("/t/asso-demo/partnerships/new", &fields)
        .await?;
    let page_path = response;
    let id = page_path.rsplit('/').next().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/partnerships/{id}");
    let stored = browser.read(&api_path).await?;
    assert_eq!(stored["status"], "negotiating");
    assert_eq!(
        stored["partners"],
        json!([{"organisation_id": region, "name": "Région Occitanie", "role": "financeur"}])
    );
    assert_eq!(
        stored["agreement"]["budget"],
        json!({"amount_cents": 4_500_000, "currency": "EUR"})
    );
    let page = browser.page(&page_path).await?;
    assert!(page.contains("45\u{202f}000,00\u{a0}€"), "{page}");

    // Changed: offered only where it may go from "negotiating"; a partner added.
    let edit_path = format!("{page_path}/edit");
    let form = browser.page(&edit_path).await?;
    for status in ["negotiating", "prospect", "active", "closed"] {
        assert!(
            form.contains(&format!("<option value=\"{status}\"")),
            "{status}"
        );
    }
    assert!(!form.contains("<option value=\"evaluating\""), "{form}");
    assert!(form.contains("value=\"45000,00\""), "{form}");
    assert!(form.contains(&format!("<option value=\"{region}\" selected>")));
    assert_eq!(form.matches("name=\"partner_id\"").count(), 3);
    let edit = |status: &'static str, version: &'static str| {
        vec![
            ("version", version),
            ("title", "Contrat de ville"),
            ("kind", "funding"),
            ("status", status),
            ("partner_id", region),
            ("partner_role", "financeur"),
            ("partner_id", ville),
            ("partner_role", "co-porteur"),
            ("partner_id", ""),
            ("partner_role", ""),
            ("starts_on", "2026-01-01"),
            ("ends_on", "2028-12-31"),
            ("purpose", "Animer le quartier Nord"),
            ("budget", "45000,00"),
        ]
    };
    browser.submit(&edit_path, &edit("active", "1")).await?;
    let stored = browser.read(&api_path).await?;
    assert_eq!(stored["status"], "active");
    assert_eq!(stored["partners"][1]["role"], "co-porteur");
    assert_eq!(stored["agreement"]["purpose"], "Animer le quartier Nord");

    // Back to "prospect" from "active" is not a way it may go: the field says so.
    let response = browser
        .post_form(&edit_path, &edit("prospect", "2"))
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"status-error\""), "{html}");
    assert!(
        html.contains(
            "seuls ces statuts sont possibles : en évaluation (evaluating), clos (closed)"
        ),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"evaluating\""),
        "offered from active"
    );

    // Someone drops the second partner meanwhile; a form from version 2 is stale.
    let response = browser
        .http
        .patch(format!("{}{api_path}", stack.base))
        .header(header::IF_MATCH, "\"2\"")
        .json(&json!({"partners": [{"organisation_id": region, "role": "financeur"}]}))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let response = browser
        .post_form(&edit_path, &edit("evaluating", "2"))
        .await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(
        html.contains("actuellement enregistré : « Région Occitanie (financeur) »"),
        "{html}"
    );
    let stored = browser.read(&api_path).await?;
    assert_eq!(stored["status"], "active", "nothing saved");
    Ok(())
}

/// A partnership is evaluated from its page: each criterion scored 1 to 5 with what
/// justifies it; a missing score is named and nothing is written.
#[tokio::test]
async fn a_partnership_is_evaluated_from_its_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let caf = browser
        .create(
            "/api/v1/t/asso-demo/organisations",
            json!({"name": "CAF", "kind": "funder"}),
        )
        .await?;
    let partnership = browser.create("/api/v1/t/asso-demo/partnerships", json!({"title": "Convention CAF", "kind": "funding", "partners": [{"organisation_id": caf["id"]}]})).await?;
    let id = partnership["id"].as_str().unwrap_or_default().to_owned();
    let page_path = format!("/t/asso-demo/partnerships/{id}");
    let form_path = format!("{page_path}/evaluations/new");
    let page = browser.page(&page_path).await?;
    assert!(page.contains(&form_path), "{page}");
    let form = browser.page(&form_path).await?;
    for criterion in ["Efficacité", "Efficience", "Impact"] {
        assert!(
            form.contains(&format!("<legend>{criterion}</legend>")),
            "{form}"
        );
    }

    let mut fields = vec![
        ("stage", "interim"),
        ("evaluated_on", "2026-06-30"),
        ("objectives_set", "Accueillir 40 familles"),
        ("objectives_reached", "38 familles accueillies"),
        ("effectiveness_score", "4"),
        ("effectiveness_notes", "Objectifs presque tenus"),
        ("efficiency_score", ""),
        ("efficiency_notes", ""),
        ("impact_score", "5"),
        ("impact_notes", ""),
    ];
    let response = browser.post_form(&form_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"efficiency_score-error\""), "{html}");
    assert!(
        html.contains("<option value=\"4\" selected>"),
        "kept: {html}"
    );
    let listing = browser
        .read(&format!(
            "/api/v1/t/asso-demo/partnerships/{id}/evaluations"
        ))
        .await?;
    assert_eq!(listing["items"], json!([]), "nothing written");

    fields[6].1 = "3";
    let response = browser.submit(&form_path, &fields).await?;
    assert_eq!(response, format!("{page_path}#evaluations"));
    let page = browser.page(&page_path).await?;
    assert!(
        page.contains("Évaluation intermédiaire du 30/06/2026"),
        "{page}"
    );
    assert!(page.contains("4/5 — Objectifs presque tenus"), "{page}");
    assert!(page.contains("38 familles accueillies"));

    let sacha = stack.viewer().await?;
    assert_eq!(sacha.get(&form_path).await?.status(), StatusCode::FORBIDDEN);
    Ok(())
}
