//! The network page: the photograph of a day, its figures, its filters, what changed
//! since another day, and every tie listed (the page without JavaScript).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

const PAGE: &str = "/t/asso-demo/network";

#[tokio::test]
async fn the_network_page_shows_the_ties_of_a_day_and_what_changed_since_another() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let region = created(
        &camille,
        "organisations",
        json!({"name": "Région Sud", "kind": "public_body", "territory": "Marseille"}),
    )
    .await?;
    let fondation = created(
        &camille,
        "organisations",
        json!({"name": "Fondation Abbé", "kind": "funder"}),
    )
    .await?;
    let voisins = created(
        &camille,
        "organisations",
        json!({"name": "Les Voisins", "kind": "association"}),
    )
    .await?;
    created(
        &camille,
        "organisations",
        json!({"name": "Seule au monde", "kind": "other"}),
    )
    .await?;
    let alice = created(
        &camille,
        "people",
        json!({"given_name": "Alice", "family_name": "Girard"}),
    )
    .await?;
    created(
        &camille,
        "affiliations",
        json!({"person_id": alice, "organisation_id": region, "starts_on": "2023-01-01"}),
    )
    .await?;
    let contrat = created(&camille, "partnerships", json!({
        "title": "Contrat de ville", "kind": "funding", "status": "active", "starts_on": "2024-01-01",
        "partners": [{"organisation_id": region}]})).await?;
    created(
        &camille,
        "partnerships",
        json!({
        "title": "Convention 2020", "kind": "funding", "status": "closed",
        "starts_on": "2020-01-01", "ends_on": "2022-12-31",
        "partners": [{"organisation_id": fondation}]}),
    )
    .await?;
    created(&camille, "partnerships", json!({
        "title": "Fête de quartier", "kind": "operational", "status": "negotiating", "starts_on": "2025-06-01",
        "partners": [{"organisation_id": voisins}]})).await?;
    let jardins = created(
        &camille,
        "projects",
        json!({
        "name": "Jardins partagés", "status": "running", "starts_on": "2024-03-01",
        "partners": [{"partnership_id": contrat}, {"organisation_id": voisins}]}),
    )
    .await?;
    // The foundation sponsored the gardens once: a tie for the year after.
    created(
        &camille,
        "engagements",
        json!({"kind": "sponsorship", "organisation_id": fondation,
        "project_id": jardins, "amount_cents": 500000, "occurred_on": "2025-02-01"}),
    )
    .await?;
    // Someone met the region this month: its tie is not dormant.
    created(
        &camille,
        "activities",
        json!({"kind": "meeting", "subject": "Comité",
        "occurred_at": chrono::Utc::now(), "links": {"partnerships": [contrat]}}),
    )
    .await?;

    // Today: five ties among six records; the foundation's have ended.
    let today = camille.page(PAGE).await?;
    for expected in [
        "<strong>6</strong> fiches liées",
        "<strong>5</strong> liens",
        "<strong>2</strong> organisations isolées",
        "<strong>1</strong> lien en sommeil",
        "Alice Girard</a> — membre de — <a href=\"/t/asso-demo/organisations/",
        "Région Sud</a> — partenaire de — <a href=\"/t/asso-demo/partnerships/",
        "Contrat de ville</a> — travaille sur — <a href=\"/t/asso-demo/projects/",
        "Seule au monde",
        "data-source=\"/api/v1/t/asso-demo/network/photograph?\"",
        "<script src=\"/static/vendor/cytoscape.min.js\"></script>",
    ] {
        assert!(today.contains(expected), "{expected}:\n{today}");
    }
    assert!(!today.contains("Convention 2020</a>"), "ended in 2022");

    // As it was in 2025, and what changed since 2021.
    let then = camille.page(&format!("{PAGE}?on=2025-06-15")).await?;
    assert!(then.contains("Fondation Abbé</a> — finance — "), "{then}");
    let compared = camille
        .page(&format!("{PAGE}?compare_with=2021-06-01"))
        .await?;
    assert!(
        compared.contains("Apparus (5)") && compared.contains("Disparus (1)"),
        "{compared}"
    );
    assert!(
        compared.contains("<li class=\"disappeared\"><a href=\"/t/asso-demo/organisations/")
            && compared.contains("Fondation Abbé</a> — partenaire de — "),
        "{compared}"
    );

    // Filters: a kind of partnership, a project (and two ties around it), a territory.
    let photograph = |query: &'static str| {
        let camille = &camille;
        async move {
            camille
                .read(&format!("/api/v1/t/asso-demo/network/photograph?{query}"))
                .await
        }
    };
    let labels = |photo: &serde_json::Value| -> Vec<String> {
        let mut labels: Vec<String> = photo["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["label"].as_str().map(str::to_owned))
            .collect();
        labels.sort();
        labels
    };
    let operational = photograph("partnership_kind=operational").await?;
    assert!(!labels(&operational).contains(&"Contrat de ville".to_owned()));
    assert!(labels(&operational).contains(&"Fête de quartier".to_owned()));
    let around_project = camille
        .read(&format!(
            "/api/v1/t/asso-demo/network/photograph?project_id={jardins}"
        ))
        .await?;
    assert_eq!(
        labels(&around_project),
        [
            "Contrat de ville",
            "Fête de quartier",
            "Jardins partagés",
            "Les Voisins",
            "Région Sud"
        ],
        "Alice is three ties away"
    );
    let marseille = photograph("territory=marseille").await?;
    assert_eq!(
        labels(&marseille),
        ["Alice Girard", "Contrat de ville", "Région Sud"]
    );
    let filtered = camille
        .page(&format!(
            "{PAGE}?partnership_kind=operational&project_id=&tag="
        ))
        .await?;
    assert!(
        filtered.contains("<option value=\"operational\" selected>"),
        "the form keeps the filters"
    );

    // What the document cannot say is refused in words; nothing leaks between workspaces.
    let (status, problem) = camille
        .api(
            Method::GET,
            "/api/v1/t/asso-demo/network/photograph?on=hier",
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let refused = camille.get(&format!("{PAGE}?on=hier")).await?;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let said = refused.text().await?;
    assert!(said.contains("doit être une date"), "{problem}\n{said}");
    let other = stack.db.create_tenant("autre-asso").await?;
    let dominique = stack
        .member_of(other, "autre-asso", "dominique", "admin")
        .await?;
    let theirs = dominique.page("/t/autre-asso/network").await?;
    assert!(theirs.contains("<strong>0</strong> lien") && !theirs.contains("Région Sud"));
    Ok(())
}
