//! Activities (the timeline) and engagements (gifts, volunteering).

use maillage_domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, id_of};

#[tokio::test]
async fn activities_make_up_the_timeline_of_every_record_they_touch() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let person = app.person(&editor, json!({"family_name": "Morel"})).await?;
    let funder = app.organisation(&editor, "CAF", "funder").await?;
    let project = app
        .create(&editor, "/v1/projects", json!({"name": "Jardins partagés"}))
        .await?;

    app.create(&editor, "/v1/activities", json!({
            "kind": "meeting", "occurred_at": "2026-10-01T09:30:00+02:00", "subject": "Comité de pilotage",
            "links": {"people": [person["id"]], "organisations": [funder["id"]], "projects": [project["id"]]}
        })).await?;
    let call = app.create(&editor, "/v1/activities", json!({
            "kind": "call", "occurred_at": "2026-10-15T14:00:00+02:00", "subject": "Relance dossier",
            "links": {"organisations": [funder["id"]]}
        })).await?;
    let task = app.create(&editor, "/v1/activities", json!({
            "kind": "task", "occurred_at": "2026-10-16T08:00:00Z", "subject": "Envoyer les pièces",
            "due_at": "2026-10-30T17:00:00+01:00", "links": {"people": [person["id"]]}
        })).await?;

    let subjects = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["subject"].as_str().map(str::to_owned))
            .collect()
    };
    let funder_timeline = app
        .read(
            &editor,
            &format!("/v1/organisations/{}/timeline", id_of(&funder)),
        )
        .await?;
    assert_eq!(
        subjects(&funder_timeline),
        ["Relance dossier", "Comité de pilotage"],
        "newest first"
    );
    let person_timeline = format!("/v1/people/{}/timeline", id_of(&person));
    let first = app
        .read(&editor, &format!("{person_timeline}?limit=1"))
        .await?;
    assert_eq!(subjects(&first), ["Envoyer les pièces"]);
    let next = first["next"].as_str().unwrap_or_default().to_owned();
    let second = app
        .read(&editor, &format!("{person_timeline}?limit=1&after={next}"))
        .await?;
    assert_eq!(subjects(&second), ["Comité de pilotage"], "paginated");
    let oldest_first = app
        .read(&editor, &format!("{person_timeline}?sort=occurred_at"))
        .await?;
    assert_eq!(
        subjects(&oldest_first),
        ["Comité de pilotage", "Envoyer les pièces"]
    );
    let (status, problem) = app
        .get(&editor, &format!("{person_timeline}?sort=subject"))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "sort");

    // A project has its timeline too, and the tenant's whole list filters by any link
    // (every one named must hold), by kind and by what is still to do.
    let project_timeline = format!("/v1/projects/{}/timeline", id_of(&project));
    let on_project = app.read(&editor, &project_timeline).await?;
    assert_eq!(subjects(&on_project), ["Comité de pilotage"]);
    assert_eq!(
        on_project["items"][0]["links"]["projects"],
        json!([project["id"]])
    );
    let everything = app.read(&editor, "/v1/activities").await?;
    assert_eq!(
        subjects(&everything),
        [
            "Envoyer les pièces",
            "Relance dossier",
            "Comité de pilotage"
        ]
    );
    let both = app
        .read(
            &editor,
            &format!(
                "/v1/activities?organisation_id={}&person_id={}",
                id_of(&funder),
                id_of(&person)
            ),
        )
        .await?;
    assert_eq!(subjects(&both), ["Comité de pilotage"]);
    let to_do = app
        .read(&editor, "/v1/activities?kind=task&done=false")
        .await?;
    assert_eq!(subjects(&to_do), ["Envoyer les pièces"]);

    let task_path = format!("/v1/activities/{}", id_of(&task));
    let (status, done) = app
        .patch(&editor, &task_path, "\"1\"", json!({"done": true}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done["done_at"].is_string());
    let to_do = app
        .read(&editor, "/v1/activities?kind=task&done=false")
        .await?;
    assert_eq!(subjects(&to_do), Vec::<String>::new());
    let (status, problem) = app
        .patch(
            &editor,
            &format!("/v1/activities/{}", id_of(&call)),
            "\"1\"",
            json!({"due_at": "2026-11-01T00:00:00Z"}),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only tasks are due: {problem}"
    );

    let (status, problem) = app
        .post(
            &other,
            "/v1/activities",
            json!({
                "kind": "note", "subject": "Fuite", "links": {"people": [person["id"]]}
            }),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "links.people");
    let (status, problem) = app
        .post(
            &other,
            "/v1/activities",
            json!({
                "kind": "note", "subject": "Fuite", "links": {"projects": [project["id"]]}
            }),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "links.projects");
    for timeline in [&person_timeline, &project_timeline] {
        let (status, _) = app.get(&other, timeline).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let theirs = app
        .read(
            &other,
            &format!("/v1/activities?person_id={}", id_of(&person)),
        )
        .await?;
    assert_eq!(subjects(&theirs), Vec::<String>::new());
    let (status, _) = app.get(&other, &task_path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn engagements_record_gifts_and_volunteering_with_yearly_totals() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let person = app
        .person(&editor, json!({"family_name": "Fournier"}))
        .await?;
    let company = app.organisation(&editor, "Boulangerie", "company").await?;
    let project = app
        .create(&editor, "/v1/projects", json!({"name": "Jardins partagés"}))
        .await?;
    for body in [
        json!({"kind": "donation", "person_id": person["id"], "amount_cents": 5000, "occurred_on": "2025-12-20"}),
        json!({"kind": "donation", "person_id": person["id"], "amount_cents": 7500, "occurred_on": "2026-03-01", "campaign": "Printemps", "project_id": project["id"]}),
        json!({"kind": "membership_fee", "person_id": person["id"], "amount_cents": 2000, "occurred_on": "2026-01-10"}),
        json!({"kind": "volunteering", "person_id": person["id"], "minutes": 150, "occurred_on": "2026-04-05"}),
        json!({"kind": "sponsorship", "organisation_id": company["id"], "amount_cents": 100000, "occurred_on": "2026-05-01", "project_id": project["id"]}),
    ] {
        app.create(&editor, "/v1/engagements", body).await?;
    }
    let totals = app
        .read(
            &editor,
            &format!("/v1/engagements/totals?person_id={}", id_of(&person)),
        )
        .await?;
    let rows: Vec<(i64, String, i64, i64)> = totals["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["year"].as_i64().unwrap_or(0),
                t["kind"].as_str().unwrap_or("").to_owned(),
                t["amount_cents"].as_i64().unwrap_or(-1),
                t["minutes"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (2026, "donation".into(), 7500, 0),
            (2026, "membership_fee".into(), 2000, 0),
            (2026, "volunteering".into(), 0, 150),
            (2025, "donation".into(), 5000, 0),
        ]
    );
    let listed = app
        .read(
            &editor,
            &format!("/v1/engagements?person_id={}", id_of(&person)),
        )
        .await?;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        listed["items"][0]["kind"], "volunteering",
        "most recent first"
    );
    let on_dates = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["occurred_on"].as_str().map(str::to_owned))
            .collect()
    };
    let oldest_first = format!(
        "/v1/engagements?person_id={}&sort=occurred_on&limit=3",
        id_of(&person)
    );
    let first = app.read(&editor, &oldest_first).await?;
    assert_eq!(on_dates(&first), ["2025-12-20", "2026-01-10", "2026-03-01"]);
    let next = first["next"].as_str().unwrap_or_default();
    let rest = app
        .read(&editor, &format!("{oldest_first}&after={next}"))
        .await?;
    assert_eq!(
        on_dates(&rest),
        ["2026-04-05"],
        "the next page, still oldest first"
    );

    // What a project received: its engagements and their totals.
    let for_project = app
        .read(
            &editor,
            &format!("/v1/engagements?project_id={}", id_of(&project)),
        )
        .await?;
    assert_eq!(on_dates(&for_project), ["2026-05-01", "2026-03-01"]);
    let project_totals = app
        .read(
            &editor,
            &format!("/v1/engagements/totals?project_id={}", id_of(&project)),
        )
        .await?;
    let sums: Vec<(&str, i64)> = project_totals["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| Some((t["kind"].as_str()?, t["amount_cents"].as_i64()?)))
        .collect();
    assert_eq!(sums, [("donation", 7500), ("sponsorship", 100000)]);
    let donation = &for_project["items"][1];
    let (status, detached) = app
        .patch(
            &editor,
            &format!("/v1/engagements/{}", id_of(donation)),
            "\"1\"",
            json!({"project_id": null}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{detached}");
    assert_eq!(detached["project_id"], Value::Null);
    assert_eq!(detached["campaign"], "Printemps", "the rest unchanged");
    let (status, problem) = app
        .get(&editor, "/v1/engagements?sort=amount_cents")
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "sort");

    for (body, field) in [
        (
            json!({"kind": "donation", "person_id": person["id"], "occurred_on": "2026-01-01"}),
            "amount_cents",
        ),
        (
            json!({"kind": "volunteering", "person_id": person["id"], "occurred_on": "2026-01-01"}),
            "minutes",
        ),
        (
            json!({"kind": "donation", "amount_cents": 1, "occurred_on": "2026-01-01"}),
            "person_id",
        ),
        (
            json!({"kind": "donation", "person_id": person["id"], "organisation_id": company["id"], "amount_cents": 1, "occurred_on": "2026-01-01"}),
            "person_id",
        ),
        (
            json!({"kind": "donation", "person_id": person["id"], "amount_cents": 1, "currency": "€", "occurred_on": "2026-01-01"}),
            "currency",
        ),
        (
            json!({"kind": "donation", "person_id": person["id"], "amount_cents": 1, "occurred_on": "2026-01-01", "project_id": Uuid::new_v4()}),
            "project_id",
        ),
    ] {
        let (status, problem) = app.post(&editor, "/v1/engagements", body).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let (status, problem) = app.post(&other, "/v1/engagements", json!({"kind": "donation", "person_id": person["id"], "amount_cents": 1, "occurred_on": "2026-01-01"}))
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another tenant's person: {problem}"
    );
    let theirs = app.read(&other, "/v1/engagements/totals").await?;
    assert_eq!(theirs["items"], json!([]));
    Ok(())
}
