//! Lists: pages, orders, cursors and filters.

use maillage_domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult, each, id_of};

#[tokio::test]
async fn lists_page_through_every_record_once_in_a_stable_order() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for i in 0..7 {
        let (status, _) = app
            .post(
                &editor,
                "/v1/people",
                json!({"family_name": format!("Nom{}", i % 3), "given_name": format!("P{i}")}),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut path = "/v1/people?limit=3".to_owned();
    loop {
        let page = app.read(&editor, &path).await?;
        for item in page["items"].as_array().into_iter().flatten() {
            seen.push(format!(
                "{} {}",
                item["family_name"].as_str().unwrap_or(""),
                item["given_name"].as_str().unwrap_or("")
            ));
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/v1/people?limit=3&after={next}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen.len(), 7);
    assert_eq!(seen, sorted);
    Ok(())
}

/// Deadlines list soonest first by default, latest first on request, page after page.
#[tokio::test]
async fn deadlines_list_soonest_or_latest_first() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for (title, due_at) in [
        ("Bilan 2029", "2030-03-31T17:00:00+02:00"),
        ("Bilan 2027", "2028-03-31T17:00:00+02:00"),
        ("Bilan 2028", "2029-03-31T17:00:00+02:00"),
    ] {
        app.create(
            &editor,
            "/v1/deadlines",
            json!({"title": title, "due_at": due_at}),
        )
        .await?;
    }
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["title"].as_str().map(str::to_owned))
            .collect()
    };
    let soonest = app.read(&editor, "/v1/deadlines").await?;
    assert_eq!(titles(&soonest), ["Bilan 2027", "Bilan 2028", "Bilan 2029"]);
    let first = app
        .read(&editor, "/v1/deadlines?sort=-due_at&limit=2")
        .await?;
    assert_eq!(titles(&first), ["Bilan 2029", "Bilan 2028"]);
    let next = first["next"].as_str().unwrap_or_default();
    let second = app
        .read(
            &editor,
            &format!("/v1/deadlines?sort=-due_at&limit=2&after={next}"),
        )
        .await?;
    assert_eq!(titles(&second), ["Bilan 2027"]);
    assert_eq!(second["next"], Value::Null);
    let (status, problem) = app.get(&editor, "/v1/deadlines?sort=title").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "sort");
    Ok(())
}

/// People, organisations, projects and partnerships list by name or by last change,
/// each order with its own cursor.
#[tokio::test]
async fn lists_sort_by_name_or_by_last_change_page_after_page() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let region = app.organisation(&editor, "Région", "funder").await?;
    type BodyNamed = Box<dyn Fn(&str) -> Value>;
    let bodies: [(&str, &str, BodyNamed); 4] = [
        (
            "/v1/people",
            "family_name",
            Box::new(|n| json!({"given_name": "Camille", "family_name": n})),
        ),
        (
            "/v1/organisations",
            "name",
            Box::new(|n| json!({"name": format!("Asso {n}"), "kind": "association"})),
        ),
        ("/v1/projects", "name", Box::new(|n| json!({"name": n}))),
        (
            "/v1/partnerships",
            "title",
            Box::new(
                move |n| json!({"title": n, "kind": "funding", "partners": [{"organisation_id": region["id"]}]}),
            ),
        ),
    ];
    for (path, field, body) in &bodies {
        let mut ids = Vec::new();
        for name in ["Charlie", "Alice", "Bob"] {
            let created = app.create(&editor, path, body(name)).await?;
            ids.push(id_of(&created));
        }
        // Charlie changes last (projects have a description rather than notes).
        let change = if *path == "/v1/projects" {
            json!({"description": "Relancé"})
        } else {
            json!({"notes": "Relancé"})
        };
        let (_, changed) = app
            .patch(&editor, &format!("{path}/{}", ids[0]), "\"1\"", change)
            .await?;
        assert_eq!(changed["version"], 2, "{changed}");
        let order = |page: &Value| -> Vec<String> {
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item[*field].as_str())
                .filter(|name| {
                    name.contains("Charlie") || name.contains("Alice") || name.contains("Bob")
                })
                .map(|name| name.rsplit(' ').next().unwrap_or(name).to_owned())
                .collect()
        };
        let by_name = app.read(&editor, path).await?;
        assert_eq!(order(&by_name), ["Alice", "Bob", "Charlie"], "{path}");
        let first = app
            .read(&editor, &format!("{path}?sort=-updated_at&limit=2"))
            .await?;
        assert_eq!(order(&first), ["Charlie", "Bob"], "{path}: {first}");
        let next = first["next"].as_str().unwrap_or_default();
        let second = app
            .read(
                &editor,
                &format!("{path}?sort=-updated_at&limit=2&after={next}"),
            )
            .await?;
        assert!(
            order(&second).starts_with(&["Alice".to_owned()]),
            "{path}: {second}"
        );
        // A cursor continues only the order it came from; an unknown order is refused.
        let (status, problem) = app.get(&editor, &format!("{path}?after={next}")).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "after");
        let (status, problem) = app.get(&editor, &format!("{path}?sort=age")).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "sort");
    }
    Ok(())
}

#[tokio::test]
async fn lists_filter_by_tag_whatever_its_case() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for (family, tags) in [
        ("Bonnet", json!(["Bénévole"])),
        ("Mercier", json!(["Donateur"])),
        ("Perrin", json!([])),
    ] {
        let person = app.person(&editor, json!({"family_name": family})).await?;
        let (status, _) = app
            .put(
                &editor,
                &format!("/v1/people/{}/tags", id_of(&person)),
                json!({"tags": tags}),
            )
            .await?;
        assert_eq!(status, StatusCode::OK);
    }
    let org = app.organisation(&editor, "Amicale", "association").await?;
    app.put(
        &editor,
        &format!("/v1/organisations/{}/tags", id_of(&org)),
        json!({"tags": ["Bénévole"]}),
    )
    .await?;

    let volunteers = app
        .read(&editor, "/v1/people?tag=b%C3%A9n%C3%A9vole")
        .await?;
    let names: Vec<&str> = each(&volunteers["items"], "family_name");
    assert_eq!(names, ["Bonnet"]);
    let organisations = app
        .read(&editor, "/v1/organisations?tag=B%C3%A9n%C3%A9vole")
        .await?;
    assert_eq!(organisations["items"].as_array().map(Vec::len), Some(1));
    let nobody = app.read(&editor, "/v1/people?tag=inconnu").await?;
    assert_eq!(nobody["items"], json!([]));

    // Projects filter by tag, and by owner ("mes projets").
    let colleague = app.member_of(editor.tenant_id, Role::Editor).await?;
    for (who, name, tags) in [
        (&editor, "Repair café", json!(["Bénévole"])),
        (&colleague, "Fête de quartier", json!([])),
    ] {
        let project = app
            .create(who, "/v1/projects", json!({"name": name}))
            .await?;
        let (status, _) = app
            .put(
                who,
                &format!("/v1/projects/{}/tags", id_of(&project)),
                json!({"tags": tags}),
            )
            .await?;
        assert_eq!(status, StatusCode::OK);
    }
    let project_names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect()
    };
    let tagged = app
        .read(&editor, "/v1/projects?tag=B%C3%89N%C3%89VOLE")
        .await?;
    assert_eq!(project_names(&tagged), ["Repair café"]);
    let theirs = app
        .read(
            &editor,
            &format!(
                "/v1/projects?owner_user_id={}&sort=-updated_at",
                colleague.user_id
            ),
        )
        .await?;
    assert_eq!(project_names(&theirs), ["Fête de quartier"]);
    Ok(())
}

#[tokio::test]
async fn names_are_listed_in_the_order_french_readers_expect() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for family_name in ["Zola", "étienne", "Eymard", "Écoffier", "dupont"] {
        app.person(&editor, json!({ "family_name": family_name }))
            .await?;
    }
    let listing = app.read(&editor, "/v1/people").await?;
    let names: Vec<&str> = each(&listing["items"], "family_name");
    assert_eq!(
        names,
        ["dupont", "Écoffier", "étienne", "Eymard", "Zola"],
        "accents and case aside, not byte order"
    );
    Ok(())
}

#[tokio::test]
async fn every_list_keeps_the_records_changed_since_an_instant_in_either_order() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let partner = |name: &str, organisation: &Value| json!({"title": name, "kind": "funding", "partners": [{"organisation_id": organisation["id"]}]});
    let region = app.organisation(&editor, "Région", "funder").await?;
    let elsewhere = app.organisation(&other, "Région", "funder").await?;
    for (collection, old, new, new_elsewhere) in [
        (
            "people",
            json!({"family_name": "Ancien"}),
            json!({"family_name": "Récent"}),
            json!({"family_name": "Récent"}),
        ),
        (
            "organisations",
            json!({"name": "Ancienne", "kind": "funder"}),
            json!({"name": "Récente", "kind": "funder"}),
            json!({"name": "Récente", "kind": "funder"}),
        ),
        (
            "projects",
            json!({"name": "Ancien"}),
            json!({"name": "Récent"}),
            json!({"name": "Récent"}),
        ),
        (
            "partnerships",
            partner("Ancien", &region),
            partner("Récent", &region),
            partner("Récent", &elsewhere),
        ),
    ] {
        let path = format!("/v1/{collection}");
        let old = id_of(&app.create(&editor, &path, old).await?);
        app.create(&editor, &path, new).await?;
        // A record of another workspace changed now is never listed.
        app.create(&other, &path, new_elsewhere).await?;
        // The collection's name is one of the four above, not input.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "update {collection} set updated_at = '2024-06-01T10:00:00Z' where id = $1::uuid"
        )))
        .bind(&old)
        .execute(&app.db.owner)
        .await?;
        // Organisations: the region made first, changed now, is listed too.
        let recent = if collection == "organisations" { 2 } else { 1 };
        for sort in ["name", "-updated_at"] {
            let listed = app
                .read(
                    &editor,
                    &format!("{path}?sort={sort}&changed_since=2025-01-01T00:00:00%2B01:00"),
                )
                .await?;
            let ids = each(&listed["items"], "id");
            assert_eq!(ids.len(), recent, "{collection} {sort}: {listed}");
            assert!(!ids.contains(&old.as_str()), "{collection} {sort}");
            let all = app
                .read(
                    &editor,
                    &format!("{path}?sort={sort}&changed_since=2024-06-01T10:00:00Z"),
                )
                .await?;
            assert_eq!(
                each(&all["items"], "id").len(),
                recent + 1,
                "{collection} {sort}"
            );
        }
        let (status, _) = app
            .get(&editor, &format!("{path}?changed_since=yesterday"))
            .await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{collection}");
    }
    Ok(())
}
