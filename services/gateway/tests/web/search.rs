//! The header search.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Stack, TestResult, created};

/// The field in every page's header finds people, organisations, projects,
/// partnerships, deadlines and activities of the workspace (only of it), accents and
/// typing mistakes forgiven; an activity leads to the history of a record it is about.
#[tokio::test]
async fn the_header_search_finds_records_forgiving_accents_and_typos() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let person = created(
        &browser,
        "people",
        json!({"family_name": "Dupré", "given_name": "Hélène", "email": "helene@exemple.fr"}),
    )
    .await?;
    let organisation = created(
        &browser,
        "organisations",
        json!({"name": "Maison des Jeunes", "kind": "association"}),
    )
    .await?;
    let project = created(
        &browser,
        "projects",
        json!({"name": "Jardins partagés", "territory": "Quartier Nord"}),
    )
    .await?;
    let partnership = created(&browser, "partnerships", json!({"title": "Contrat de ville", "kind": "funding", "partners": [{"organisation_id": organisation}]})).await?;
    let deadline = created(
        &browser,
        "deadlines",
        json!({"title": "Bilan du contrat de ville", "due_at": "2027-06-30T15:00:00Z"}),
    )
    .await?;
    created(
        &browser,
        "activities",
        json!({"kind": "call", "subject": "Appel pour le contrat", "links": {"people": [person]}}),
    )
    .await?;
    let ids = [
        format!("/t/asso-demo/people/{person}"),
        format!("/t/asso-demo/organisations/{organisation}"),
        format!("/t/asso-demo/projects/{project}"),
        format!("/t/asso-demo/partnerships/{partnership}"),
        format!("/t/asso-demo/deadlines/{deadline}"),
    ];
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
    let (_, html) = found("contrat").await?;
    for shown in [
        "Partenariats",
        &format!("href=\"{}\">Contrat de ville</a>", ids[3]),
        "Échéances",
        &format!("href=\"{}\">Bilan du contrat de ville</a>", ids[4]),
        "Activités",
        &format!("href=\"{}#historique\">Appel pour le contrat</a>", ids[0]),
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    let (_, html) = found("duprez").await?;
    assert!(html.contains("Aucun résultat exact"), "{html}");
    assert!(html.contains(&ids[0]), "a typo still finds her: {html}");
    let (status, html) = found("zzzzqx").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Aucune fiche ne correspond"));
    let (status, html) = found("%21%21%21").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("au moins une lettre ou un chiffre"), "{html}");
    let (status, html) = found("").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Les accents et les fautes de frappe sont pardonnés"));
    Ok(())
}
