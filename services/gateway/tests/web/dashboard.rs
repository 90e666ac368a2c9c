//! The workspace's home is its dashboard: its figures match the records, for the
//! workspace and for "me", and each leads to the list behind it, filtered.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Stack, TestResult};

const HOME: &str = "/t/asso-demo/";

/// Creates a record of "asso-demo" as `browser`; its id.
async fn made(
    browser: &maillage_testkit::Browser,
    collection: &str,
    body: Value,
) -> anyhow::Result<String> {
    let record = browser
        .create(&format!("/api/v1/t/asso-demo/{collection}"), body)
        .await?;
    Ok(record["id"].as_str().unwrap_or_default().to_owned())
}

fn day(offset: i64) -> NaiveDate {
    (Utc::now() + Duration::days(offset)).date_naive()
}

#[tokio::test]
async fn the_dashboard_counts_what_the_workspace_holds_and_leads_to_each_list() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "admin")
        .await?;
    let empty = camille.page(HOME).await?;
    assert!(
        empty.contains("Aucun rapport en retard ni à rendre")
            && empty.contains("<strong>0</strong> partenaire<"),
        "{empty}"
    );

    // Reports: one of Camille's three days late, one of Sacha's due in ten days, one
    // beyond the month.
    let now = Utc::now();
    made(
        &camille,
        "deadlines",
        json!({"title": "Bilan CAF", "due_at": now - Duration::days(3)}),
    )
    .await?;
    made(
        &sacha,
        "deadlines",
        json!({"title": "Compte rendu FDVA", "due_at": now + Duration::days(10)}),
    )
    .await?;
    made(
        &sacha,
        "deadlines",
        json!({"title": "Rapport annuel", "due_at": now + Duration::days(60)}),
    )
    .await?;

    // The network: three partners in partnerships under way, one partnership closed.
    let region = made(
        &camille,
        "organisations",
        json!({"name": "Région Sud", "kind": "public_body"}),
    )
    .await?;
    let fondation = made(
        &camille,
        "organisations",
        json!({"name": "Fondation Abbé", "kind": "funder"}),
    )
    .await?;
    let voisins = made(
        &camille,
        "organisations",
        json!({"name": "Les Voisins", "kind": "association"}),
    )
    .await?;
    let january = NaiveDate::from_ymd_opt(Utc::now().year(), 1, 1);
    let contrat = made(
        &camille,
        "partnerships",
        json!({
        "title": "Contrat de ville", "kind": "funding", "status": "active",
        "starts_on": january, "ends_on": day(40), "next_evaluation_on": day(-3),
        "partners": [{"organisation_id": region, "role": "financeur"}]}),
    )
    .await?;
    made(
        &camille,
        "partnerships",
        json!({
        "title": "Convention historique", "kind": "funding", "status": "active",
        "starts_on": "2020-01-01", "partners": [{"organisation_id": fondation}]}),
    )
    .await?;
    made(
        &camille,
        "partnerships",
        json!({
        "title": "Fête de quartier", "kind": "operational", "status": "negotiating",
        "partners": [{"organisation_id": voisins}]}),
    )
    .await?;
    made(
        &camille,
        "partnerships",
        json!({
        "title": "Ancien accord", "kind": "network", "status": "closed",
        "partners": [{"organisation_id": fondation}]}),
    )
    .await?;

    // A project of Camille's, one milestone of two reached, a quarter of its budget spent.
    let jardins = made(
        &camille,
        "projects",
        json!({
        "name": "Jardins partagés", "status": "running",
        "milestones": [{"title": "Diagnostic", "due_on": day(-20), "done_on": day(-21)},
                       {"title": "Plantation", "due_on": day(30)}],
        "budget_lines": [{"label": "Outils", "planned_cents": 100000, "actual_cents": 25000}]}),
    )
    .await?;
    made(
        &sacha,
        "projects",
        json!({"name": "Festival", "status": "planned"}),
    )
    .await?;

    // Sacha met the region (so it is not dormant); Camille has a task.
    made(
        &sacha,
        "activities",
        json!({
        "kind": "meeting", "subject": "Comité de pilotage", "occurred_at": now - Duration::days(1),
        "links": {"partnerships": [contrat]}}),
    )
    .await?;
    made(
        &camille,
        "activities",
        json!({
        "kind": "task", "subject": "Relancer la fondation", "occurred_at": now,
        "due_at": now + Duration::days(2), "links": {"projects": [jardins]}}),
    )
    .await?;

    let home = camille.page(HOME).await?;
    for expected in [
        // Reports, for the workspace and for me.
        "deadlines?status=late\"><strong>1</strong> en retard",
        "deadlines?status=late&amp;mine=1\">1 pour moi",
        "deadlines?status=upcoming&amp;within=30\"><strong>1</strong> à rendre sous 30 jours",
        "en retard de 3 jours",
        "Compte rendu FDVA",
        // Projects.
        "projects?status=running\"><strong>1</strong> en cours",
        "projects?status=running&amp;mine=1\">1 dont je suis responsable",
        "projects?status=planned\"><strong>1</strong> prévu<",
        "Jalons : 1 sur 2",
        "250,00\u{a0}€ dépensés sur 1\u{202f}000,00\u{a0}€",
        // Partnerships.
        "partnerships?status=active\"><strong>2</strong> actif",
        "partnerships?status=negotiating\"><strong>1</strong> en négociation",
        "partnerships?status=closed\"><strong>1</strong> clos",
        "Contrat de ville",
        "évaluation attendue depuis le",
        // The network.
        "network\"><strong>3</strong> partenaires",
        "organisations?kind=funder\"><strong>1</strong> financeur",
        "<strong>2</strong> nouveaux cette année",
        "<strong>2</strong> en sommeil",
        "Fondation Abbé",
        // Colleagues and me.
        "Comité de pilotage",
        "Réunion · Sacha Petit · Contrat de ville",
        "Relancer la fondation",
        "· Jardins partagés",
    ] {
        assert!(home.contains(expected), "{expected}:\n{home}");
    }
    assert!(!home.contains("Rapport annuel"), "beyond the month");
    assert!(
        !home.contains("Réunion · Camille"),
        "colleagues' activity, not mine"
    );

    // The API says the same.
    let dashboard = camille.read("/api/v1/t/asso-demo/dashboard").await?;
    assert_eq!(dashboard["reports"]["late"], 1, "{dashboard}");
    assert_eq!(dashboard["network"]["dormant"], 2, "{dashboard}");

    // Each figure leads to its list, filtered, and says so.
    let late = camille
        .page("/t/asso-demo/deadlines?status=late&mine=1")
        .await?;
    assert!(
        late.contains("Filtré : En retard · les miens") && late.contains("Bilan CAF"),
        "{late}"
    );
    assert!(!late.contains("Compte rendu FDVA"));
    let soon = camille
        .page("/t/asso-demo/deadlines?status=upcoming&within=30")
        .await?;
    assert!(
        soon.contains("Filtré : À venir · à rendre sous 30 jours")
            && soon.contains("Compte rendu FDVA"),
        "{soon}"
    );
    assert!(!soon.contains("Rapport annuel"), "beyond the month: {soon}");
    let active = camille
        .page("/t/asso-demo/partnerships?status=active")
        .await?;
    assert!(active.contains("Contrat de ville") && active.contains("Convention historique"));
    assert!(!active.contains("Fête de quartier") && !active.contains("Ancien accord"));
    let funders = camille
        .page("/t/asso-demo/organisations?kind=funder")
        .await?;
    assert!(funders.contains("Fondation Abbé") && !funders.contains("Région Sud"));
    let mine = camille
        .page("/t/asso-demo/projects?status=running&mine=1")
        .await?;
    assert!(mine.contains("Jardins partagés") && !mine.contains("Festival"));
    // A filter the page does not offer is said so, in words.
    let refused = camille.get("/t/asso-demo/deadlines?status=perdu").await?;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await?.contains("ne se filtre pas ainsi"));
    for refused in [
        "/t/asso-demo/organisations?mine=1",
        "/t/asso-demo/organisations?within=30",
        "/t/asso-demo/deadlines?within=0",
        "/t/asso-demo/deadlines?within=trente",
        "/t/asso-demo/deadlines?within=100000",
    ] {
        let response = camille.get(refused).await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
    }

    // Another workspace's dashboard counts none of it.
    let other = stack.db.create_tenant("autre-asso").await?;
    let dominique = stack
        .member_of(other, "autre-asso", "dominique", "admin")
        .await?;
    let theirs = dominique.page("/t/autre-asso/").await?;
    assert!(
        theirs.contains("<strong>0</strong> partenaire<") && !theirs.contains("Contrat de ville"),
        "{theirs}"
    );
    let (status, _) = dominique
        .api(Method::GET, "/api/v1/t/asso-demo/dashboard", None)
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}
