//! The header search.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Stack, TestResult};

/// The field in every page's header finds people, organisations and projects of the
/// workspace (only of it), accents and typing mistakes forgiven.
#[tokio::test]
async fn the_header_search_finds_records_forgiving_accents_and_typos() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let mut ids = Vec::new();
    for (collection, body) in [
        (
            "people",
            json!({"family_name": "Dupré", "given_name": "Hélène", "email": "helene@exemple.fr"}),
        ),
        (
            "organisations",
            json!({"name": "Maison des Jeunes", "kind": "association"}),
        ),
        (
            "projects",
            json!({"name": "Jardins partagés", "territory": "Quartier Nord"}),
        ),
    ] {
        let (status, created) = browser
            .api(
                reqwest::Method::POST,
                &format!("/api/v1/t/asso-demo/{collection}"),
                Some(body),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        ids.push(format!(
            "/t/asso-demo/{collection}/{}",
            created["id"].as_str().unwrap_or_default()
        ));
    }
    let other = stack.db.create_tenant("autre-asso").await?;
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name) values ($1, $2, 'Secret', 'Hélène')",
    )
    .bind(other)
    .bind(Uuid::now_v7())
    .execute(&stack.db.owner)
    .await?;

    let home = browser.page("/t/asso-demo/").await?;
    assert!(
        home.contains("action=\"/t/asso-demo/search\""),
        "the header has the field"
    );
    let found = |q: &'static str| {
        let browser = &browser;
        async move {
            let response = browser.get(&format!("/t/asso-demo/search?q={q}")).await?;
            anyhow::Ok((response.status(), response.text().await?))
        }
    };
    let (status, html) = found("helene").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&ids[0]) && html.contains("Dupré Hélène"),
        "{html}"
    );
    assert!(html.contains("helene@exemple.fr"));
    assert!(
        html.contains("value=\"helene\""),
        "the field keeps the search"
    );
    assert!(
        !html.contains("Secret"),
        "another workspace's people are not found"
    );
    assert!(!html.contains("Aucun résultat exact"));
    let (_, html) = found("MAISON%20jeu").await?;
    assert!(
        html.contains(&ids[1]) && html.contains("Organisations"),
        "{html}"
    );
    let (_, html) = found("jardin").await?;
    assert!(
        html.contains(&ids[2]) && html.contains("Quartier Nord"),
        "{html}"
    );
    let (_, html) = found("duprez").await?;
    assert!(html.contains("Aucun résultat exact"), "{html}");
    assert!(html.contains(&ids[0]), "a typo still finds her: {html}");
    let (status, html) = found("zzzzqx").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Aucune personne, organisation ni projet ne correspond"));
    let (status, html) = found("%21%21%21").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("au moins une lettre ou un chiffre"), "{html}");
    let (status, html) = found("").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Les accents et les fautes de frappe sont pardonnés"));
    Ok(())
}
