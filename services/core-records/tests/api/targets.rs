//! The partnership-strategy target: stakeholders placed today and ideally, gaps turned
//! into tasks, prospects promoted, targets copied from year to year and compared.

use maillage_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Actor, TestApp, TestResult, each, id_of};

/// A target named `name`, drawn on `drawn_on`, with the workspace's rings.
async fn target(app: &TestApp, actor: &Actor, name: &str, drawn_on: &str) -> anyhow::Result<Value> {
    app.create(
        actor,
        "/v1/targets",
        json!({"name": name, "drawn_on": drawn_on}),
    )
    .await
}

/// A stakeholder placed on `target` from `body`.
async fn place(app: &TestApp, actor: &Actor, target: &Value, body: Value) -> anyhow::Result<Value> {
    app.create(
        actor,
        &format!("/v1/targets/{}/stakeholders", id_of(target)),
        body,
    )
    .await
}

fn stakeholder_path(target: &Value, stakeholder: &Value) -> String {
    format!(
        "/v1/targets/{}/stakeholders/{}",
        id_of(target),
        id_of(stakeholder)
    )
}

#[tokio::test]
async fn a_target_is_drawn_its_stakeholders_placed_and_each_gap_becomes_a_task() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let region = app
        .organisation(&editor, "Région Sud", "public_body")
        .await?;

    let drawn = target(&app, &editor, "Cible 2026", "2026-01-15").await?;
    assert_eq!(
        drawn["rings"],
        json!([
            "Partenaires stratégiques",
            "Partenaires réguliers",
            "Partenaires occasionnels",
            "Contacts"
        ])
    );
    let placed = place(
        &app,
        &editor,
        &drawn,
        json!({"organisation_id": region["id"], "today_ring": 3, "ideal_ring": 0,
               "our_reasons": "Cofinancer le projet jeunesse", "their_reasons": "Atteindre les quartiers"}),
    )
    .await?;
    assert_eq!(placed["label"], "Région Sud");
    assert_eq!(placed["gap"], 3, "three rings to come closer");
    let prospect = place(
        &app,
        &editor,
        &drawn,
        json!({"prospect_name": "Fondation du Rivage", "ideal_ring": 1}),
    )
    .await?;
    assert_eq!(prospect["today_ring"], Value::Null, "outside today");
    assert_eq!(
        prospect["gap"], 3,
        "from outside (4) to the second ring (1)"
    );
    assert_ne!(prospect["angle"], placed["angle"], "drawn apart");
    // A name as typed: the organisation of that name when there is one.
    let by_name = place(
        &app,
        &editor,
        &target(&app, &editor, "Autre", "2026-01-16").await?,
        json!({"name": "région sud"}),
    )
    .await?;
    assert_eq!(by_name["organisation_id"], region["id"]);

    // What cannot be placed is refused, naming the field, and nothing changes.
    let stakeholders = format!("/v1/targets/{}/stakeholders", id_of(&drawn));
    for (body, field) in [
        (json!({"organisation_id": region["id"]}), "organisation_id"),
        (
            json!({"prospect_name": "fondation du rivage"}),
            "prospect_name",
        ),
        (
            json!({"organisation_id": region["id"], "prospect_name": "X"}),
            "organisation_id",
        ),
        (json!({}), "organisation_id"),
        (json!({"prospect_name": "Y", "today_ring": 4}), "today_ring"),
        (
            json!({"prospect_name": "Y", "ideal_ring": -1}),
            "ideal_ring",
        ),
        (
            json!({"organisation_id": uuid::Uuid::new_v4()}),
            "organisation_id",
        ),
    ] {
        let (status, problem) = app.post(&editor, &stakeholders, body.clone()).await?;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let read = app
        .read(&editor, &format!("/v1/targets/{}", id_of(&drawn)))
        .await?;
    assert_eq!(
        each(&read["stakeholders"], "label"),
        ["Fondation du Rivage", "Région Sud"]
    );

    // Moving closer, from the version read; a stale one is refused.
    let one = stakeholder_path(&drawn, &placed);
    let (status, moved) = app
        .patch(
            &editor,
            &one,
            "\"1\"",
            json!({"today_ring": 1, "angle": 400.0}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(
        (moved["today_ring"].clone(), moved["gap"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(moved["angle"], 40.0);
    let (status, _) = app
        .patch(&editor, &one, "\"1\"", json!({"today_ring": 2}))
        .await?;
    assert_eq!(status, StatusCode::CONFLICT, "a colleague moved it first");
    let (status, problem) = app
        .patch(
            &editor,
            &one,
            "\"2\"",
            json!({"prospect_name": "Autre nom"}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    // The gap as a task, on the organisation's timeline, with the reasons.
    let task = app
        .create(&editor, &format!("{one}/tasks"), json!({}))
        .await?;
    assert_eq!(task["kind"], "task");
    assert_eq!(
        task["subject"],
        "Rapprocher Région Sud : de « Partenaires réguliers » à « Partenaires stratégiques »"
    );
    assert!(
        task["body"]
            .as_str()
            .unwrap_or("")
            .contains("Cofinancer le projet jeunesse"),
        "{task}"
    );
    assert!(task["due_at"].is_string());
    let timeline = app
        .read(
            &editor,
            &format!("/v1/organisations/{}/timeline", id_of(&region)),
        )
        .await?;
    assert_eq!(each(&timeline["items"], "id"), [id_of(&task)]);

    // The prospect becomes an organisation of the records, keeping its places.
    let promoted_path = stakeholder_path(&drawn, &prospect);
    let response = app
        .request(&editor, Method::POST, &format!("{promoted_path}/promote"))?
        .header("if-match", "\"1\"")
        .json(&json!({"kind": "funder"}))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let promoted: Value = response.json().await?;
    assert_eq!(promoted["prospect_name"], Value::Null);
    assert_eq!(promoted["ideal_ring"], 1);
    let organisation = app
        .read(
            &editor,
            &format!(
                "/v1/organisations/{}",
                promoted["organisation_id"].as_str().unwrap_or("")
            ),
        )
        .await?;
    assert_eq!(
        (organisation["name"].clone(), organisation["kind"].clone()),
        (json!("Fondation du Rivage"), json!("funder"))
    );
    let response = app
        .request(&editor, Method::POST, &format!("{promoted_path}/promote"))?
        .header("if-match", "\"2\"")
        .json(&json!({}))
        .send()
        .await?;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "promoted once"
    );

    let list = app.read(&editor, "/v1/targets").await?;
    assert_eq!(
        each(&list["items"], "name"),
        ["Autre", "Cible 2026"],
        "latest first"
    );
    assert_eq!(list["items"][1]["stakeholders"], 2);
    assert_eq!(list["items"][1]["gaps"], 2);

    // Every change is in the audit log.
    let owner = app.member_of(editor.tenant_id, Role::Owner).await?;
    let trail = app
        .read(&owner, &format!("/v1/audit?record_id={}", id_of(&placed)))
        .await?;
    assert_eq!(
        each(&trail["items"], "action"),
        ["update", "create"],
        "{trail}"
    );
    assert_eq!(trail["items"][0]["record_type"], "target_stakeholder");
    Ok(())
}

#[tokio::test]
async fn a_target_belongs_to_its_workspace_and_viewers_only_read_it() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let viewer = app.member_of(editor.tenant_id, Role::Viewer).await?;
    let stranger = app.actor("asso-b", Role::Owner).await?;
    let theirs = app
        .organisation(&stranger, "Leur partenaire", "association")
        .await?;
    let drawn = target(&app, &editor, "Cible", "2026-03-01").await?;
    let path = format!("/v1/targets/{}", id_of(&drawn));

    let (status, _) = app.get(&stranger, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .post(
            &stranger,
            &format!("{path}/stakeholders"),
            json!({"prospect_name": "X"}),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.read(&stranger, "/v1/targets").await?["items"],
        json!([])
    );
    // Another workspace's organisation cannot be placed on ours.
    let (status, problem) = app
        .post(
            &editor,
            &format!("{path}/stakeholders"),
            json!({"organisation_id": theirs["id"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    // Nor can ours be copied into theirs.
    let (status, problem) = app
        .post(
            &stranger,
            "/v1/targets",
            json!({"name": "Copie", "copy_from": drawn["id"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "copy_from");

    assert_eq!(app.read(&viewer, &path).await?["name"], "Cible");
    let (status, _) = app
        .post(
            &viewer,
            &format!("{path}/stakeholders"),
            json!({"prospect_name": "X"}),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test]
async fn next_years_target_starts_from_this_years_and_says_who_came_closer() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let region = app
        .organisation(&editor, "Région Sud", "public_body")
        .await?;
    let caf = app.organisation(&editor, "CAF", "funder").await?;
    let last_year = app
        .create(
            &editor,
            "/v1/targets",
            json!({"name": "Cible 2025", "drawn_on": "2025-01-10",
                   "rings": ["Cœur", "Proches", "Autour", "Loin"]}),
        )
        .await?;
    let region_then = place(
        &app,
        &editor,
        &last_year,
        json!({"organisation_id": region["id"], "today_ring": 3, "ideal_ring": 0}),
    )
    .await?;
    place(
        &app,
        &editor,
        &last_year,
        json!({"organisation_id": caf["id"], "today_ring": 1, "ideal_ring": 1}),
    )
    .await?;

    // A new target takes the latest one's rings; a copy, its stakeholders too.
    let plain = target(&app, &editor, "Autre", "2026-01-01").await?;
    assert_eq!(plain["rings"], json!(["Cœur", "Proches", "Autour", "Loin"]));
    let this_year = app
        .create(
            &editor,
            "/v1/targets",
            json!({"name": "Cible 2026", "drawn_on": "2026-01-10", "copy_from": last_year["id"]}),
        )
        .await?;
    assert_eq!(
        each(&this_year["stakeholders"], "label"),
        ["CAF", "Région Sud"]
    );
    let region_now = &this_year["stakeholders"][1];
    assert_eq!(region_now["today_ring"], 3);
    assert_eq!(
        region_now["angle"], region_then["angle"],
        "drawn where it was"
    );
    app.patch(
        &editor,
        &stakeholder_path(&this_year, region_now),
        "\"1\"",
        json!({"today_ring": 1}),
    )
    .await?;
    place(
        &app,
        &editor,
        &this_year,
        json!({"prospect_name": "Mécène", "today_ring": 3}),
    )
    .await?;

    let compared = app
        .read(
            &editor,
            &format!(
                "/v1/targets/{}/comparison?with={}",
                id_of(&this_year),
                id_of(&last_year)
            ),
        )
        .await?;
    assert_eq!(compared["earlier"]["name"], "Cible 2025");
    let moves: Vec<_> = compared["moves"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["label"].as_str().unwrap_or(""),
                m["was_there"].clone(),
                m["came_closer"].clone(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("CAF", json!(true), json!(0)),
            ("Mécène", json!(false), Value::Null),
            ("Région Sud", json!(true), json!(2)),
        ]
    );

    // Fewer rings bring those of the rings taken away onto the last one.
    let path = format!("/v1/targets/{}", id_of(&this_year));
    let (status, shrunk) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"rings": ["Proches", "Loin"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{shrunk}");
    let rings: Vec<_> = shrunk["stakeholders"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (s["label"].as_str().unwrap_or(""), s["today_ring"].clone()))
        .collect();
    assert_eq!(
        rings,
        [
            ("CAF", json!(1)),
            ("Mécène", json!(1)),
            ("Région Sud", json!(1))
        ]
    );
    let (status, problem) = app
        .patch(&editor, &path, "\"2\"", json!({"rings": ["Seul"]}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    // A binned organisation leaves the target until it comes back.
    let (status, _) = app
        .delete(&editor, &format!("/v1/organisations/{}", id_of(&caf)))
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        each(&app.read(&editor, &path).await?["stakeholders"], "label"),
        ["Mécène", "Région Sud"]
    );

    let (status, _) = app.delete(&editor, &path).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&editor, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}
