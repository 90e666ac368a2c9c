//! Partnerships, their evaluations, and the network graph.

use maillage_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, each, id_of};

#[tokio::test]
async fn partnerships_follow_their_lifecycle_and_keep_their_agreement() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let region = app.organisation(&editor, "Région", "funder").await?;
    let centre = app
        .organisation(&editor, "Centre social", "association")
        .await?;

    let (status, problem) = app
        .post(
            &editor,
            "/v1/partnerships",
            json!({"title": "Sans partenaire", "kind": "funding"}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "partners");

    let (status, created) = app.post(&editor, "/v1/partnerships", json!({
            "title": "Contrat de ville 2026", "kind": "funding",
            "partners": [{"organisation_id": region["id"], "role": "financeur"}, {"organisation_id": centre["id"], "role": "opérateur"}],
            "agreement": {"purpose": "Accompagner les familles", "budget": {"amount_cents": 4_500_000, "currency": "EUR"},
                          "evaluation_method": "Bilan annuel partagé"}
        }))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "prospect");
    assert_eq!(created["next_statuses"], json!(["negotiating", "closed"]));
    assert_eq!(created["agreement"]["budget"]["amount_cents"], 4_500_000);
    assert_eq!(created["partners"][0]["name"], "Centre social");
    let path = format!("/v1/partnerships/{}", id_of(&created));

    // prospect → active skips the negotiation: refused, naming what is possible.
    let (status, problem) = app
        .patch(&editor, &path, "\"1\"", json!({"status": "active"}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "status");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("en négociation (negotiating), clos (closed)"),
        "{problem}"
    );

    let mut version = 1;
    for next in ["negotiating", "active", "evaluating", "closed"] {
        let (status, moved) = app
            .patch(
                &editor,
                &path,
                &format!("\"{version}\""),
                json!({"status": next}),
            )
            .await?;
        assert_eq!(status, StatusCode::OK, "{next}: {moved}");
        assert_eq!(moved["status"], next);
        version += 1;
    }
    let (status, problem) = app
        .patch(
            &editor,
            &path,
            &format!("\"{version}\""),
            json!({"status": "active"}),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a closed partnership stays closed: {problem}"
    );

    let read = app.read(&editor, &path).await?;
    assert_eq!(
        read["agreement"]["purpose"], "Accompagner les familles",
        "the agreement survives status changes"
    );
    assert_eq!(read["partners"].as_array().map(Vec::len), Some(2));

    let (status, problem) = app
        .patch(
            &editor,
            &path,
            &format!("\"{version}\""),
            json!({"partners": [{"organisation_id": Uuid::new_v4()}]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "partners");
    let (status, problem) = app
        .patch(
            &editor,
            &path,
            &format!("\"{version}\""),
            json!({"agreement": {"budget": {"amount_cents": 10, "currency": "euros"}}}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "agreement.budget.currency");

    let closed = app.read(&editor, "/v1/partnerships?status=closed").await?;
    assert_eq!(closed["items"].as_array().map(Vec::len), Some(1));
    for (method, route) in [
        (Method::GET, path.clone()),
        (Method::DELETE, path.clone()),
        (Method::POST, format!("{path}/restore")),
    ] {
        let (status, _) = app.send(&other, method.clone(), &route, None).await?;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{method} {route} from another tenant"
        );
    }
    let theirs = app.read(&other, "/v1/partnerships").await?;
    assert_eq!(theirs["items"], json!([]));

    let (status, _) = app.delete(&editor, &path).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&editor, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, restored) = app
        .send(&editor, Method::POST, &format!("{path}/restore"), None)
        .await?;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(
        restored["partners"].as_array().map(Vec::len),
        Some(2),
        "partners come back with it"
    );
    Ok(())
}

#[tokio::test]
async fn the_network_graph_joins_partnerships_shared_projects_and_affiliations() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let organisation = |name: &'static str| {
        let app = &app;
        async move {
            let o = app
                .create(
                    &editor,
                    "/v1/organisations",
                    json!({"name": name, "kind": "association"}),
                )
                .await?;
            Ok::<_, anyhow::Error>(o)
        }
    };
    let (region, centre, mjc) = (
        organisation("Région").await?,
        organisation("Centre social").await?,
        organisation("MJC").await?,
    );
    let person = app
        .person(
            &editor,
            json!({"family_name": "Petit", "given_name": "Léa"}),
        )
        .await?;
    app.post(
        &editor,
        "/v1/affiliations",
        json!({"person_id": person["id"], "organisation_id": centre["id"], "role": "Directrice"}),
    )
    .await?;
    app.post(&editor, "/v1/partnerships", json!({"title": "Convention", "kind": "funding", "status": "active", "partners": [{"organisation_id": region["id"]}]})).await?;
    let project = app
        .create(
            &editor,
            "/v1/projects",
            json!({"name": "Fête de quartier",
            "partners": [{"organisation_id": centre["id"]}, {"organisation_id": mjc["id"]}]}),
        )
        .await?;

    let graph = app.read(&editor, "/v1/network").await?;
    let edges: Vec<(String, String)> = graph["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or("").to_owned(),
                e["label"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(
        edges.contains(&("partnership".into(), "Convention".into())),
        "{edges:?}"
    );
    assert!(edges.contains(&("project".into(), "Fête de quartier".into())));
    assert!(edges.contains(&("affiliation".into(), "Directrice".into())));
    let kinds: Vec<&str> = each(&graph["nodes"], "kind");
    assert_eq!(kinds.iter().filter(|k| **k == "organisation").count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == "person").count(), 1);

    let only_project = app
        .read(
            &editor,
            &format!("/v1/network?project_id={}", id_of(&project)),
        )
        .await?;
    let labels: Vec<&str> = each(&only_project["edges"], "label");
    assert_eq!(
        labels,
        ["Fête de quartier", "Directrice"],
        "the project, and the people of its partners"
    );
    let networks = app
        .read(&editor, "/v1/network?partnership_kind=network")
        .await?;
    assert_eq!(networks["edges"], json!([]));
    let (status, _) = app
        .get(&editor, "/v1/network?from=2026-05-01&to=2026-01-01")
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let theirs = app.read(&other, "/v1/network").await?;
    assert_eq!(theirs, json!({"nodes": [], "edges": []}));
    Ok(())
}

#[tokio::test]
async fn partnerships_are_evaluated_interim_and_once_final() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let region = app.organisation(&editor, "Région", "funder").await?;
    let partnership = app.create(&editor, "/v1/partnerships", json!({"title": "Convention", "kind": "funding", "partners": [{"organisation_id": region["id"]}]})).await?;
    let evaluations = format!("/v1/partnerships/{}/evaluations", id_of(&partnership));
    let interim = json!({
        "stage": "interim", "evaluated_on": "2026-06-30", "objectives_set": "200 familles", "objectives_reached": "120 familles",
        "effectiveness_score": 3, "efficiency_score": 4, "impact_score": 3, "impact_notes": "Bonne dynamique de quartier"
    });
    let created = app.create(&editor, &evaluations, interim).await?;
    let final_one = json!({"stage": "final", "evaluated_on": "2026-12-15", "effectiveness_score": 4, "efficiency_score": 4, "impact_score": 5});
    let (status, _) = app.post(&editor, &evaluations, final_one.clone()).await?;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) = app.post(&editor, &evaluations, final_one).await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one final evaluation: {problem}"
    );
    assert_eq!(problem["errors"][0]["field"], "stage");
    let (status, problem) = app.post(&editor, &evaluations, json!({"evaluated_on": "2026-07-01", "effectiveness_score": 6, "efficiency_score": 1, "impact_score": 1}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "effectiveness_score");

    let listed = app.read(&editor, &evaluations).await?;
    let stages: Vec<&str> = each(&listed["items"], "stage");
    assert_eq!(stages, ["interim", "final"]);
    let one = format!("{evaluations}/{}", id_of(&created));
    let (status, updated) = app
        .patch(
            &editor,
            &one,
            "\"1\"",
            json!({"objectives_reached": "150 familles"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["effectiveness_score"], 3);
    let (status, _) = app.get(&other, &evaluations).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.delete(&other, &one).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}
