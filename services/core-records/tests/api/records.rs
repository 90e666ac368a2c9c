//! Records' common life: create, read, change under `If-Match`, delete or bin and
//! restore, the audit trail, custom fields.

use maillage_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, each, id_of};

#[tokio::test]
async fn a_person_goes_through_create_read_update_list_delete_with_an_audit_trail() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;

    let created = app
        .person(
            &editor,
            json!({"given_name": "Hélène", "family_name": "Durand", "email": "helene@example.org"}),
        )
        .await?;
    assert_eq!(created["version"], 1);
    let path = format!("/v1/people/{}", id_of(&created));

    let read = app.read(&editor, &path).await?;
    assert_eq!(read["family_name"], "Durand");

    let (status, updated) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"phone": "+33 1 23 45 67 89", "email": null}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["email"], Value::Null);
    assert_eq!(
        updated["given_name"], "Hélène",
        "fields absent from a PATCH keep their value"
    );

    let list = app.read(&editor, "/v1/people").await?;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));

    let (status, _) = app.delete(&editor, &path).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&editor, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let actions: Vec<(String, Option<Value>, Option<Value>)> = sqlx::query_as(
        "select action, before, after from audit_log where record_type = 'person' order by at, id",
    )
    .fetch_all(&app.db.owner)
    .await?;
    let names: Vec<&str> = actions.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(names, ["create", "update", "delete"]);
    let (_, before, after) = &actions[1];
    assert_eq!(
        before.as_ref().map(|b| b["email"].clone()),
        Some(json!("helene@example.org"))
    );
    assert_eq!(
        after.as_ref().map(|a| a["email"].clone()),
        Some(Value::Null)
    );
    Ok(())
}

#[tokio::test]
async fn a_stale_or_missing_version_is_refused_and_changes_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let created = app
        .organisation(&editor, "Fondation Lumière", "funder")
        .await?;
    let path = format!("/v1/organisations/{}", id_of(&created));
    let (status, _) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"name": "Fondation Lumière et Vie"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);

    // A colleague still holding version 1 saves: refused, not silently overwritten.
    let (status, problem) = app
        .patch(&editor, &path, "\"1\"", json!({"name": "Autre nom"}))
        .await?;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/version-conflict");

    let response = app
        .request(&editor, Method::PATCH, &path)?
        .json(&json!({"name": "Sans version"}))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::PRECONDITION_REQUIRED);

    let read = app.read(&editor, &path).await?;
    assert_eq!(read["name"], "Fondation Lumière et Vie");
    assert_eq!(read["version"], 2);
    Ok(())
}

#[tokio::test]
async fn bad_input_gets_a_clear_problem_and_writes_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;

    let malformed = app
        .request(&editor, Method::POST, "/v1/people")?
        .header("content-type", "application/json")
        .body("{\"family_name\": ")
        .send()
        .await?;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        malformed
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );

    let (status, problem) = app
        .post(&editor, "/v1/people", json!({"given_name": "Sans nom"}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "family_name");

    let (status, problem) = app
        .post(
            &editor,
            "/v1/people",
            json!({"family_name": "Martin", "email": "pas-une-adresse"}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "email");

    let (status, _) = app
        .post(&editor, "/v1/people", json!({"family_name": 42}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) = app
        .post(
            &editor,
            "/v1/people",
            json!({"family_name": "X", "surprise": 1}),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused, not ignored"
    );

    let huge = json!({"family_name": "Martin", "notes": "x".repeat(100 * 1024)});
    let (status, _) = app.post(&editor, "/v1/people", huge).await?;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let (status, problem) = app
        .post(
            &editor,
            "/v1/deadlines",
            json!({"title": "Bilan", "due_at": "demain"}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    let (status, problem) = app.post(&editor, "/v1/deadlines", json!({"title": "Bilan", "due_at": "2030-01-01T09:00:00+01:00", "funder_id": Uuid::new_v4()}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "funder_id");

    let (status, _) = app.get(&editor, "/v1/people?limit=100000").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    for table in ["people", "reporting_deadlines", "audit_log", "outbox"] {
        assert_eq!(app.db.count(table).await?, 0, "{table} must stay empty");
    }
    Ok(())
}

#[tokio::test]
async fn deleted_people_and_organisations_wait_in_the_bin_and_can_be_restored() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let stranger = app.actor("asso-b", Role::Editor).await?;
    for (collection, body) in [
        (
            "people",
            json!({"family_name": "Lefèvre", "given_name": "Anaïs"}),
        ),
        (
            "organisations",
            json!({"name": "Fondation Lefèvre", "kind": "funder"}),
        ),
    ] {
        let created = app
            .create(&editor, &format!("/v1/{collection}"), body)
            .await?;
        let path = format!("/v1/{collection}/{}", id_of(&created));
        let (status, _) = app.delete(&editor, &path).await?;
        assert_eq!(status, StatusCode::NO_CONTENT);

        let (status, _) = app.get(&editor, &path).await?;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{collection}: gone from the live records"
        );
        let live = app.read(&editor, &format!("/v1/{collection}")).await?;
        assert_eq!(live["items"], json!([]));
        let (_, found) = app.search(&editor, "lefevre").await?;
        let hidden = found["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|hit| hit["id"] != created["id"]);
        assert!(hidden, "{collection}: not found by search while in the bin");
        let bin = app
            .read(&editor, &format!("/v1/{collection}?deleted=true"))
            .await?;
        assert_eq!(
            bin["items"][0]["id"], created["id"],
            "{collection}: listed in the bin"
        );
        let whole_bin = app.read(&editor, "/v1/bin").await?;
        assert_eq!(
            whole_bin["items"],
            json!([{"kind": if collection == "people" { "person" } else { "organisation" },
                    "id": created["id"], "label": if collection == "people" { "Anaïs Lefèvre" } else { "Fondation Lefèvre" },
                    "deleted_at": whole_bin["items"][0]["deleted_at"]}]),
            "{collection}: in the tenant's bin"
        );
        let their_bin = app.read(&stranger, "/v1/bin").await?;
        assert_eq!(
            their_bin["items"],
            json!([]),
            "another tenant's bin is its own"
        );

        let (status, restored) = app
            .send(&editor, Method::POST, &format!("{path}/restore"), None)
            .await?;
        assert_eq!(status, StatusCode::OK, "{restored}");
        assert_eq!(restored["deleted_at"], Value::Null);
        assert_eq!(restored["version"], 3, "delete and restore are changes too");
        let (status, _) = app.get(&editor, &path).await?;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app
            .send(&editor, Method::POST, &format!("{path}/restore"), None)
            .await?;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "only what is in the bin can be restored"
        );
        let whole_bin = app.read(&editor, "/v1/bin").await?;
        assert_eq!(whole_bin["items"], json!([]), "restored: out of the bin");
    }
    let actions: Vec<String> = sqlx::query_scalar("select action from audit_log order by at, id")
        .fetch_all(&app.db.owner)
        .await?;
    assert_eq!(
        actions,
        ["create", "delete", "restore", "create", "delete", "restore"]
    );
    Ok(())
}

#[tokio::test]
async fn the_audit_log_tells_who_changed_what_per_record_and_per_tenant() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let admin = app.member_of(editor.tenant_id, Role::Admin).await?;
    let other = app.actor("asso-b", Role::Owner).await?;
    let person = app.person(&editor, json!({"family_name": "Roux"})).await?;
    let (_, _) = app
        .patch(
            &editor,
            &format!("/v1/people/{}", id_of(&person)),
            "\"1\"",
            json!({"family_name": "Le Roux"}),
        )
        .await?;
    let (_, _) = app
        .post(
            &editor,
            "/v1/organisations",
            json!({"name": "Réseau", "kind": "network"}),
        )
        .await?;

    let record = format!("/v1/audit?record_type=person&record_id={}", id_of(&person));
    let history = app.read(&editor, &record).await?;
    let actions: Vec<&str> = each(&history["items"], "action");
    assert_eq!(actions, ["update", "create"], "newest first");
    assert_eq!(history["items"][0]["before"]["family_name"], "Roux");
    assert_eq!(history["items"][0]["after"]["family_name"], "Le Roux");
    assert_eq!(history["items"][0]["actor_user_id"], json!(editor.user_id));

    let (status, _) = app.get(&editor, "/v1/audit").await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the whole tenant's log is for admins"
    );
    let all = app.read(&admin, "/v1/audit?limit=2").await?;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    assert!(all["next"].is_string(), "three entries, pages of two");
    let oldest_first = app.read(&admin, "/v1/audit?sort=at").await?;
    let entries: Vec<(&str, &str)> = oldest_first["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e["action"].as_str()?, e["record_type"].as_str()?)))
        .collect();
    assert_eq!(
        entries,
        [
            ("create", "person"),
            ("update", "person"),
            ("create", "organisation")
        ]
    );

    let theirs = app.read(&other, "/v1/audit").await?;
    assert_eq!(
        theirs["items"],
        json!([]),
        "another tenant's log is empty to them"
    );
    let theirs = app.read(&other, &record).await?;
    assert_eq!(theirs["items"], json!([]));
    Ok(())
}

#[tokio::test]
async fn admins_define_custom_fields_and_every_write_respects_them() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;
    let editor = app.member_of(admin.tenant_id, Role::Editor).await?;
    let other = app.actor("asso-b", Role::Admin).await?;
    for body in [
        json!({"record_type": "person", "key": "quartier", "label": "Quartier", "field_type": "choice", "choices": ["Nord", "Sud"], "required": true}),
        json!({"record_type": "person", "key": "date_adhesion", "label": "Date d'adhésion", "field_type": "date"}),
        json!({"record_type": "organisation", "key": "siret", "label": "SIRET", "field_type": "text"}),
    ] {
        app.create(&admin, "/v1/custom-fields", body).await?;
    }
    let (status, _) = app
        .post(
            &editor,
            "/v1/custom-fields",
            json!({"record_type": "person", "key": "x", "label": "X", "field_type": "text"}),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "editors do not change the tenant's fields"
    );

    let person = app.person(&editor, json!({"family_name": "Simon", "custom": {"quartier": "Nord", "date_adhesion": "2024-09-15"}})).await?;
    assert_eq!(person["custom"]["quartier"], "Nord");
    let path = format!("/v1/people/{}", id_of(&person));
    let (_, changed) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"custom": {"date_adhesion": null}}),
        )
        .await?;
    assert_eq!(
        changed["custom"],
        json!({"quartier": "Nord"}),
        "null removes a value, others stay"
    );

    for (body, field) in [
        (json!({"family_name": "A"}), "custom.quartier"),
        (
            json!({"family_name": "A", "custom": {"quartier": "Est"}}),
            "custom.quartier",
        ),
        (
            json!({"family_name": "A", "custom": {"quartier": "Sud", "date_adhesion": "15/09/2024"}}),
            "custom.date_adhesion",
        ),
        (
            json!({"family_name": "A", "custom": {"quartier": "Sud", "inconnu": 1}}),
            "custom.inconnu",
        ),
    ] {
        let (status, problem) = app.post(&editor, "/v1/people", body).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    app.create(
        &editor,
        "/v1/organisations",
        json!({"name": "SARL", "kind": "company", "custom": {"siret": "123 456 789 00012"}}),
    )
    .await?;
    let theirs = app.read(&other, "/v1/custom-fields").await?;
    assert_eq!(theirs["items"], json!([]), "each tenant has its own fields");
    let (status, problem) = app
        .post(
            &other,
            "/v1/people",
            json!({"family_name": "B", "custom": {"quartier": "Nord"}}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(app.db.count("people").await?, 1);

    // A field removed takes its values with it: the people who had one can still be
    // written (their values would otherwise name a field that no longer exists).
    let fields = app.read(&admin, "/v1/custom-fields").await?;
    let quartier = fields["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["key"] == "quartier")
        .map(|f| f["id"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let (status, _) = app
        .delete(&admin, &format!("/v1/custom-fields/{quartier}"))
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let simon = app.read(&editor, &path).await?;
    assert_eq!(simon["custom"], json!({}), "{simon}");
    assert_eq!(simon["version"], 3, "the record changed");
    let (status, written) = app
        .patch(
            &editor,
            &path,
            "\"3\"",
            json!({"notes": "Bénévole au jardin"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{written}");
    Ok(())
}

/// What the gateway's forms ask before they say everything wrong at once: a write sent
/// only to be checked (`x-maillage-check-only`) answers 422 with every refused field, or
/// 204 when nothing is refused, and writes nothing either way — creations, changes and
/// series alike.
#[tokio::test]
async fn a_write_sent_only_to_be_checked_is_answered_and_writes_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let person = app
        .person(
            &editor,
            json!({"given_name": "Inès", "family_name": "Quérard"}),
        )
        .await?;
    let person_id = id_of(&person);
    let deadline = app
        .create(
            &editor,
            "/v1/deadlines",
            json!({"title": "Bilan", "due_at": "2027-03-31T15:00:00Z"}),
        )
        .await?;
    let deadline_id = id_of(&deadline);
    let rows = || async {
        sqlx::query_scalar::<_, i64>(
            "select (select count(*) from people) + (select count(*) from reporting_deadlines)
                    + (select count(*) from audit_log) + (select count(*) from outbox)
                    + (select sum(version) from people) + (select sum(version) from reporting_deadlines)",
        )
        .fetch_one(&app.db.owner)
        .await
    };
    let before = rows().await?;
    let checked = |method: Method, path: &str, body: Value| {
        let request = app.request(&editor, method, path).map(|r| {
            r.header("x-maillage-check-only", "1")
                .header("if-match", "\"1\"")
                .json(&body)
        });
        async move {
            let response = request?.send().await?;
            let status = response.status();
            anyhow::Ok((
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            ))
        }
    };
    let cases = [
        (
            Method::POST,
            "/v1/people".to_owned(),
            json!({"given_name": "Noé", "family_name": "Girard"}),
        ),
        (
            Method::POST,
            "/v1/deadlines".to_owned(),
            json!({"title": "Point", "due_at": "2027-01-31T16:00:00Z",
                   "recurrence": {"frequency": "monthly", "count": 3}}),
        ),
        (
            Method::PATCH,
            format!("/v1/people/{person_id}"),
            json!({"family_name": "Girard"}),
        ),
        (
            Method::PATCH,
            format!("/v1/deadlines/{deadline_id}"),
            json!({"title": "Bilan final"}),
        ),
    ];
    for (method, path, body) in cases {
        let (status, answer) = checked(method.clone(), &path, body).await?;
        assert_eq!(status, StatusCode::NO_CONTENT, "{method} {path}: {answer}");
    }
    // Refused: every field at once.
    let (status, problem) = checked(
        Method::POST,
        "/v1/deadlines",
        json!({"title": " ", "due_at": null, "status": "lost"}),
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        each(&problem["errors"], "field"),
        ["title", "due_at", "status"]
    );
    let (status, problem) = checked(
        Method::PATCH,
        &format!("/v1/people/{person_id}"),
        json!({"family_name": "", "email": "pas-un-email"}),
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(each(&problem["errors"], "field").len(), 2, "{problem}");
    assert_eq!(rows().await?, before, "nothing was written");
    Ok(())
}
