//! Activities noted, corrected or deleted from a record's timeline; tasks ticked off.

use maillage_testkit::location;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Stack, TestResult, created};

/// From any record's page an editor notes what happened (a meeting, a call…) or a task
/// to do, and ticks the task off; a viewer sees neither; another workspace's record, or
/// a page outside the workspace to go back to, is out of reach.
#[tokio::test]
async fn activities_are_noted_and_tasks_ticked_off_from_a_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let mut records = Vec::new();
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
        (
            "partnerships",
            json!({"title": "Contrat de ville", "kind": "funding"}),
        ),
    ] {
        let mut body = body;
        if let Some((_, club)) = records.iter().find(|(c, _)| *c == "organisations") {
            body["partners"] = json!([{"organisation_id": club, "role": "porteur"}]);
        }
        let (status, created) = browser
            .api(
                reqwest::Method::POST,
                &format!("/api/v1/t/asso-demo/{collection}"),
                Some(body),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap_or_default().to_owned();
        records.push((collection, id));
    }
    let timeline = |collection: &str, id: &str| {
        let browser = &browser;
        let path = format!("/api/v1/t/asso-demo/{collection}/{id}/timeline");
        async move {
            let listing = browser.read(&path).await?;
            anyhow::Ok(listing["items"].as_array().cloned().unwrap_or_default())
        }
    };

    for (collection, id) in &records {
        let page_path = format!("/t/asso-demo/{collection}/{id}");
        let form_path = format!("{page_path}/activities/new");
        let page = browser.page(&page_path).await?;
        assert!(page.contains(&form_path), "{collection}: {page}");
        let form = browser.get(&form_path).await?;
        assert_eq!(form.status(), StatusCode::OK, "{collection}");
        assert!(form.text().await?.contains("Noter une activité"));

        // A meeting, at a time of the tenant's zone (Paris, summer time).
        let response = browser
            .post_form(
                &form_path,
                &[
                    ("kind", "meeting"),
                    ("subject", "Comité de pilotage"),
                    ("date", "2026-05-12"),
                    ("time", "14:00"),
                    ("body", "Décisions : le budget est voté."),
                ],
            )
            .await?;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{collection}");
        assert_eq!(location(&response)?, format!("{page_path}#historique"));
        let items = timeline(collection, id).await?;
        assert_eq!(items.len(), 1, "{collection}: {items:?}");
        assert_eq!(items[0]["kind"], "meeting");
        assert_eq!(items[0]["occurred_at"], "2026-05-12T12:00:00Z");
        assert_eq!(items[0]["body"], "Décisions : le budget est voté.");
        let page = browser.page(&page_path).await?;
        assert!(page.contains("Réunion"), "{collection}: {page}");
        assert!(page.contains("Comité de pilotage"));
        assert!(page.contains("mardi 12 mai 2026 à 14:00"), "{page}");
    }

    // Refused forms name their field, keep what was typed, and write nothing.
    let (collection, person_id) = &records[0];
    let form_path = format!("/t/asso-demo/{collection}/{person_id}/activities/new");
    for (fields, field) in [
        (
            vec![
                ("kind", "call"),
                ("subject", ""),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
            "subject-error",
        ),
        (
            vec![
                ("kind", "call"),
                ("subject", "Relance"),
                ("date", "12 mai"),
                ("time", "09:00"),
            ],
            "date-error",
        ),
        (
            vec![
                ("kind", "call"),
                ("subject", "Relance"),
                ("date", "2026-03-29"),
                ("time", "02:30"),
            ],
            "time-error",
        ),
        (
            vec![
                ("kind", "visio"),
                ("subject", "Relance"),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
            "kind-error",
        ),
    ] {
        let response = browser.post_form(&form_path, &fields).await?;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let html = response.text().await?;
        assert!(html.contains(&format!("id=\"{field}\"")), "{field}: {html}");
        assert!(html.contains("value=\"Relance\"") || field == "subject-error");
    }
    assert_eq!(
        timeline(collection, person_id).await?.len(),
        1,
        "nothing written"
    );

    // A task: due at the date given, shown to do, ticked off from the page.
    browser
        .submit(
            &form_path,
            &[
                ("kind", "task"),
                ("subject", "Envoyer la convention"),
                ("date", "2026-12-15"),
                ("time", "17:00"),
                ("body", ""),
            ],
        )
        .await?;
    let items = timeline(collection, person_id).await?;
    let task = items
        .iter()
        .find(|a| a["kind"] == "task")
        .cloned()
        .unwrap_or_default();
    assert_eq!(task["due_at"], "2026-12-15T16:00:00Z");
    assert!(task["done_at"].is_null());
    let page_path = format!("/t/asso-demo/{collection}/{person_id}");
    let page = browser.page(&page_path).await?;
    assert!(
        page.contains("à faire pour le mardi 15 décembre 2026 à 17:00"),
        "{page}"
    );
    let task_id = task["id"].as_str().unwrap_or_default().to_owned();
    let done_path = format!("/t/asso-demo/activities/{task_id}/done");
    assert!(page.contains(&done_path), "the page has the button");
    let version = task["version"].to_string();
    // A page outside the workspace is not where the answer leads.
    let response = browser
        .submit(
            &done_path,
            &[("version", &version), ("back", "https://ailleurs.example/")],
        )
        .await?;
    assert_eq!(response, "/t/asso-demo/#historique");
    let items = timeline(collection, person_id).await?;
    let task = items.iter().find(|a| a["kind"] == "task");
    assert!(
        task.is_some_and(|t| !t["done_at"].is_null()),
        "the task is done: {items:?}"
    );
    let page = browser.page(&page_path).await?;
    assert!(page.contains("faite le"), "{page}");
    assert!(!page.contains(&done_path), "no button once done");
    // Clicked again from a stale page: nothing changes, back to the page.
    let response = browser
        .post_form(&done_path, &[("version", &version), ("back", &page_path)])
        .await?;
    assert_eq!(location(&response)?, format!("{page_path}#historique"));

    // Another workspace's record: no form, nothing noted on it.
    let other = stack.db.create_tenant("autre-asso").await?;
    let stranger = Uuid::now_v7();
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name) values ($1, $2, 'Secret', '')",
    )
    .bind(other)
    .bind(stranger)
    .execute(&stack.db.owner)
    .await?;
    let foreign = format!("/t/asso-demo/people/{stranger}/activities/new");
    assert_eq!(browser.get(&foreign).await?.status(), StatusCode::NOT_FOUND);
    let response = browser
        .post_form(
            &foreign,
            &[
                ("kind", "note"),
                ("subject", "Espion"),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
        )
        .await?;
    assert_ne!(response.status(), StatusCode::SEE_OTHER);
    let noted: i64 = sqlx::query_scalar("select count(*) from activities where subject = 'Espion'")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(noted, 0);

    // A viewer sees the history, not the buttons, and cannot note anything.
    let sacha = stack.viewer().await?;
    let page = sacha.page(&page_path).await?;
    assert!(page.contains("Comité de pilotage"));
    assert!(
        !page.contains(&form_path) && !page.contains("/done\""),
        "{page}"
    );
    let response = sacha
        .post_form(
            &form_path,
            &[
                ("kind", "note"),
                ("subject", "Lecture seule"),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        timeline(collection, person_id).await?.len(),
        2,
        "nothing more"
    );
    Ok(())
}

/// An activity noted wrongly is corrected from the timeline (a meeting that was a task,
/// the wrong day) or deleted once confirmed; a stale correction says what is stored.
#[tokio::test]
async fn an_activity_is_corrected_or_deleted_from_the_timeline() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let person = created(&browser, "people", json!({"family_name": "Girard"})).await?;
    let page_path = format!("/t/asso-demo/people/{person}");
    let (status, activity) = browser
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/activities",
            Some(json!({"kind": "meeting", "subject": "Rappeler la mairie", "occurred_at": "2026-05-12T14:00:00+02:00",
                        "links": {"people": [person]}})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{activity}");
    let id = activity["id"].as_str().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/activities/{id}");
    let edit_path = format!("/t/asso-demo/activities/{id}/edit");

    let page = browser.page(&page_path).await?;
    let link = format!("{edit_path}?back={page_path}");
    assert!(page.contains(&link), "{page}");
    let form = browser.page(&link).await?;
    assert!(form.contains("value=\"2026-05-12\"") && form.contains("value=\"14:00\""));
    assert!(form.contains(&format!("name=\"back\" value=\"{page_path}\"")));

    // It was a task to do, due on the 20th: corrected.
    let mut fields = vec![
        ("version", "1"),
        ("back", page_path.as_str()),
        ("kind", "task"),
        ("subject", "Rappeler la mairie"),
        ("date", "2026-05-20"),
        ("time", "10:00"),
        ("body", ""),
    ];
    let response = browser.submit(&edit_path, &fields).await?;
    assert_eq!(response, format!("{page_path}#historique"));
    let stored = browser.read(&api_path).await?;
    assert_eq!(stored["kind"], "task");
    assert_eq!(stored["due_at"], "2026-05-20T08:00:00Z");
    assert_eq!(
        stored["occurred_at"], "2026-05-12T12:00:00Z",
        "noted when it was"
    );
    // From the old version: stale, nothing changed.
    fields[3].1 = "Appeler la mairie";
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(
        html.contains("actuellement enregistré : « Rappeler la mairie »"),
        "{html}"
    );
    assert!(html.contains("name=\"version\" value=\"2\""), "{html}");

    // Deleted: asked first, then gone from the timeline.
    let delete_path = format!("/t/asso-demo/activities/{id}/delete");
    let response = browser
        .post_form(&delete_path, &[("version", "2"), ("back", &page_path)])
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await?
            .contains("Supprimer « Rappeler la mairie » ?")
    );
    let (status, _) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(status, StatusCode::OK, "not before it is confirmed");
    let response = browser
        .submit(
            &delete_path,
            &[("version", "2"), ("back", &page_path), ("confirmed", "1")],
        )
        .await?;
    assert_eq!(response, format!("{page_path}#historique"));
    let (status, _) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let page = browser.page(&page_path).await?;
    assert!(!page.contains("Rappeler la mairie"), "{page}");
    Ok(())
}
