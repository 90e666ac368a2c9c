//! core-records over HTTP: the real service on a random port, a fresh database per test.

use maillage_domain::Role;
use maillage_identity::{IDENTITY_HEADER, IdentityKey, InternalIdentity};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use uuid::Uuid;

mod common;

use common::{TestApp, id_of};

type TestResult = anyhow::Result<()>;

#[tokio::test]
async fn a_person_goes_through_create_read_update_list_delete_with_an_audit_trail() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;

    let (status, created) = app
        .send(&editor, Method::POST, "/v1/people", Some(json!({"given_name": "Hélène", "family_name": "Durand", "email": "helene@example.org"})))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["version"], 1);
    let path = format!("/v1/people/{}", id_of(&created));

    let (status, read) = app.send(&editor, Method::GET, &path, None).await?;
    assert_eq!(status, StatusCode::OK);
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

    let (status, list) = app.send(&editor, Method::GET, "/v1/people", None).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));

    let (status, _) = app.send(&editor, Method::DELETE, &path, None).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.send(&editor, Method::GET, &path, None).await?;
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
    let (_, created) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Fondation Lumière", "kind": "funder"})),
        )
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

    let (_, read) = app.send(&editor, Method::GET, &path, None).await?;
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
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"given_name": "Sans nom"})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "family_name");

    let (status, problem) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Martin", "email": "pas-une-adresse"})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "email");

    let (status, _) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": 42})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "X", "surprise": 1})),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused, not ignored"
    );

    let huge = json!({"family_name": "Martin", "notes": "x".repeat(100 * 1024)});
    let (status, _) = app
        .send(&editor, Method::POST, "/v1/people", Some(huge))
        .await?;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let (status, problem) = app
        .send(
            &editor,
            Method::POST,
            "/v1/deadlines",
            Some(json!({"title": "Bilan", "due_at": "demain"})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    let (status, problem) = app
        .send(&editor, Method::POST, "/v1/deadlines", Some(json!({"title": "Bilan", "due_at": "2030-01-01T09:00:00+01:00", "funder_id": Uuid::new_v4()})))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "funder_id");

    let (status, _) = app
        .send(&editor, Method::GET, "/v1/people?limit=100000", None)
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    for table in ["people", "reporting_deadlines", "audit_log", "outbox"] {
        assert_eq!(app.db.count(table).await?, 0, "{table} must stay empty");
    }
    Ok(())
}

#[tokio::test]
async fn one_tenant_cannot_read_change_or_delete_another_tenants_records() -> TestResult {
    let app = TestApp::spawn().await?;
    let alice = app.actor("asso-a", Role::Owner).await?;
    let mallory = app.actor("asso-b", Role::Owner).await?;

    let (_, person) = app
        .send(
            &alice,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Secret"})),
        )
        .await?;
    let (_, funder) = app
        .send(
            &alice,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Financeur A", "kind": "funder"})),
        )
        .await?;
    let (status, deadline) = app
        .send(&alice, Method::POST, "/v1/deadlines", Some(json!({"title": "Rapport A", "due_at": "2030-06-30T17:00:00+02:00", "funder_id": funder["id"]})))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{deadline}");

    for path in [
        format!("/v1/people/{}", id_of(&person)),
        format!("/v1/organisations/{}", id_of(&funder)),
        format!("/v1/deadlines/{}", id_of(&deadline)),
    ] {
        let (status, _) = app.send(&mallory, Method::GET, &path, None).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "GET {path}");
        let (status, _) = app
            .patch(&mallory, &path, "\"1\"", json!({"notes": "pwned"}))
            .await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "PATCH {path}");
        let (status, _) = app.send(&mallory, Method::DELETE, &path, None).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "DELETE {path}");
        let (status, still_there) = app.send(&alice, Method::GET, &path, None).await?;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(still_there["version"], 1, "{path} must be unchanged");
    }
    for list in ["/v1/people", "/v1/organisations", "/v1/deadlines"] {
        let (_, page) = app.send(&mallory, Method::GET, list, None).await?;
        assert_eq!(
            page["items"],
            json!([]),
            "{list} of another tenant must be empty"
        );
    }
    // Nor can one point a record at another tenant's organisation.
    let (status, _) = app
        .send(&mallory, Method::POST, "/v1/deadlines", Some(json!({"title": "Vol", "due_at": "2030-01-01T00:00:00Z", "funder_id": funder["id"]})))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}

#[tokio::test]
async fn viewers_read_but_cannot_write_and_forged_identities_are_refused() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let viewer = app.member_of(editor.tenant_id, Role::Viewer).await?;
    let (_, person) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Lefèvre"})),
        )
        .await?;

    let (status, _) = app
        .send(
            &viewer,
            Method::GET,
            &format!("/v1/people/{}", id_of(&person)),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = app
        .send(
            &viewer,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Intrus"})),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, _) = app
        .send(
            &viewer,
            Method::DELETE,
            &format!("/v1/people/{}", id_of(&person)),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let anonymous = app
        .http
        .get(format!("{}/v1/people", app.base))
        .send()
        .await?;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let forged_key = IdentityKey::new(&SecretString::from(
        "another-secret-that-is-long-enough!!".to_owned(),
    ));
    let forged = forged_key.sign(&InternalIdentity {
        tenant_id: editor.tenant_id,
        user_id: editor.user_id,
        role: Role::Owner,
        request_id: "forged".into(),
    })?;
    let response = app
        .http
        .get(format!("{}/v1/people", app.base))
        .header(IDENTITY_HEADER, forged)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.db.count("people").await?, 1);
    Ok(())
}

#[tokio::test]
async fn a_deadline_change_is_announced_in_the_outbox_and_lateness_follows_the_clock() -> TestResult
{
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let (status, past) = app
        .send(
            &editor,
            Method::POST,
            "/v1/deadlines",
            Some(json!({"title": "Rapport 2025", "due_at": "2025-01-31T18:00:00+01:00"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{past}");
    assert_eq!(past["status"], "late");
    assert_eq!(
        past["responsible_user_ids"],
        json!([editor.user_id]),
        "the author answers for it unless someone else is named"
    );

    let path = format!("/v1/deadlines/{}", id_of(&past));
    let (status, submitted) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"status": "submitted", "submission_reference": "DEP-42"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    assert!(submitted["submitted_at"].is_string());

    let (status, _) = app
        .patch(&editor, &path, "\"2\"", json!({"status": "late"}))
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "late is computed, never set"
    );

    let (_, late) = app
        .send(&editor, Method::GET, "/v1/deadlines?status=late", None)
        .await?;
    assert_eq!(late["items"], json!([]));
    let (_, done) = app
        .send(&editor, Method::GET, "/v1/deadlines?status=submitted", None)
        .await?;
    assert_eq!(done["items"].as_array().map(Vec::len), Some(1));

    let (status, _) = app.send(&editor, Method::DELETE, &path, None).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let events: Vec<(String, Uuid)> =
        sqlx::query_as("select topic, aggregate_id from outbox order by created_at, id")
            .fetch_all(&app.db.owner)
            .await?;
    let expected_id: Uuid = id_of(&past).parse()?;
    assert_eq!(
        events.len(),
        3,
        "create, update and delete each announce themselves"
    );
    assert!(
        events
            .iter()
            .all(|(topic, id)| topic == "deadline.changed" && *id == expected_id)
    );
    Ok(())
}

#[tokio::test]
async fn lists_page_through_every_record_once_in_a_stable_order() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for i in 0..7 {
        let (status, _) = app
            .send(
                &editor,
                Method::POST,
                "/v1/people",
                Some(
                    json!({"family_name": format!("Nom{}", i % 3), "given_name": format!("P{i}")}),
                ),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut path = "/v1/people?limit=3".to_owned();
    loop {
        let (status, page) = app.send(&editor, Method::GET, &path, None).await?;
        assert_eq!(status, StatusCode::OK, "{page}");
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

/// The labels of a search's results, in order.
fn labels(found: &Value) -> Vec<String> {
    found["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["label"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn search_ignores_accents_and_case_takes_prefixes_and_forgives_typos() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    for (given, family) in [
        ("Hélène", "Durand"),
        ("Héloïse", "Martin"),
        ("Jean", "Dupont"),
    ] {
        let body = json!({"given_name": given, "family_name": family});
        let (status, _) = app
            .send(&editor, Method::POST, "/v1/people", Some(body))
            .await?;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Mairie de Saint-Étienne", "kind": "public_body"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let (_, _) = app
        .send(
            &other,
            Method::POST,
            "/v1/people",
            Some(json!({"given_name": "Hélène", "family_name": "Autre"})),
        )
        .await?;

    let (status, found) = app.search(&editor, "helene").await?;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        labels(&found),
        ["Durand Hélène"],
        "accents ignored, and only this tenant's people"
    );
    let (_, found) = app.search(&editor, "HÉL").await?;
    let mut both = labels(&found);
    both.sort();
    assert_eq!(
        both,
        ["Durand Hélène", "Martin Héloïse"],
        "case ignored, a word's start is enough"
    );
    let (_, found) = app.search(&editor, "hél dur").await?;
    assert_eq!(
        labels(&found),
        ["Durand Hélène"],
        "every word is a prefix, all must match"
    );
    let (_, found) = app.search(&editor, "saint etienne").await?;
    assert_eq!(labels(&found), ["Mairie de Saint-Étienne"]);
    assert_eq!(found["items"][0]["kind"], "organisation");
    assert_eq!(found["approximate"], false);

    let (status, _) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({"name": "Jardins partagés Étienne-Dolet", "territory": "Quartier Nord"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let (_, found) = app.search(&editor, "jardins partages").await?;
    assert_eq!(labels(&found), ["Jardins partagés Étienne-Dolet"]);
    assert_eq!(
        found["items"][0]["kind"], "project",
        "projects are found by name"
    );
    assert_eq!(found["items"][0]["detail"], "Quartier Nord");
    let (_, found) = app.search(&editor, "Jradins").await?;
    assert_eq!(
        labels(&found),
        ["Jardins partagés Étienne-Dolet"],
        "with a typo too"
    );

    let (_, found) = app.search(&editor, "Durnad").await?;
    assert_eq!(found["approximate"], true);
    assert_eq!(
        labels(&found).first().map(String::as_str),
        Some("Durand Hélène"),
        "a typo still finds her"
    );

    let (_, found) = app.search(&editor, "helene durnad").await?;
    assert_eq!(found["approximate"], true);
    assert_eq!(
        labels(&found),
        ["Durand Hélène"],
        "one word right, one mistyped"
    );
    let (_, found) = app.search(&editor, "jaen dupont").await?;
    assert_eq!(
        labels(&found),
        ["Dupont Jean"],
        "two letters swapped in a short word"
    );

    // A long query of words found nowhere answers at once, with nothing.
    let (status, found) = app.search(&editor, &"qzxw ".repeat(40)).await?;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["items"], json!([]));

    // Without a letter or digit there is no word to find (the web page says so).
    let (status, found) = app.search(&editor, "  --  ").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["items"], json!([]));
    Ok(())
}

/// A short prefix matches many: the word typed itself comes first, then the words it
/// starts, in alphabetical order, each with its records by name; and the page stops at
/// the limit asked.
#[tokio::test]
async fn a_broad_search_lists_the_word_typed_first_then_alphabetically() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for (given, family) in [
        ("Zoé", "Martin"),
        ("Alice", "Marchand"),
        ("Léon", "Mar"),
        ("Bruno", "Martin"),
        ("Inès", "Dupont"),
    ] {
        let body = json!({"given_name": given, "family_name": family});
        let (status, _) = app
            .send(&editor, Method::POST, "/v1/people", Some(body))
            .await?;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, found) = app.search(&editor, "mar").await?;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        labels(&found),
        ["Mar Léon", "Marchand Alice", "Martin Bruno", "Martin Zoé"]
    );
    let scores: Vec<f64> = found["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["score"].as_f64())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] > pair[1]),
        "the score falls with the rank: {scores:?}"
    );
    let (_, found) = app
        .send(&editor, Method::GET, "/v1/search?q=mar&limit=2", None)
        .await?;
    assert_eq!(labels(&found), ["Mar Léon", "Marchand Alice"]);
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
        let (_, created) = app
            .send(
                &editor,
                Method::POST,
                &format!("/v1/{collection}"),
                Some(body),
            )
            .await?;
        let path = format!("/v1/{collection}/{}", id_of(&created));
        let (status, _) = app.send(&editor, Method::DELETE, &path, None).await?;
        assert_eq!(status, StatusCode::NO_CONTENT);

        let (status, _) = app.send(&editor, Method::GET, &path, None).await?;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{collection}: gone from the live records"
        );
        let (_, live) = app
            .send(&editor, Method::GET, &format!("/v1/{collection}"), None)
            .await?;
        assert_eq!(live["items"], json!([]));
        let (_, found) = app.search(&editor, "lefevre").await?;
        let hidden = found["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|hit| hit["id"] != created["id"]);
        assert!(hidden, "{collection}: not found by search while in the bin");
        let (_, bin) = app
            .send(
                &editor,
                Method::GET,
                &format!("/v1/{collection}?deleted=true"),
                None,
            )
            .await?;
        assert_eq!(
            bin["items"][0]["id"], created["id"],
            "{collection}: listed in the bin"
        );
        let (_, whole_bin) = app.send(&editor, Method::GET, "/v1/bin", None).await?;
        assert_eq!(
            whole_bin["items"],
            json!([{"kind": if collection == "people" { "person" } else { "organisation" },
                    "id": created["id"], "label": if collection == "people" { "Anaïs Lefèvre" } else { "Fondation Lefèvre" },
                    "deleted_at": whole_bin["items"][0]["deleted_at"]}]),
            "{collection}: in the tenant's bin"
        );
        let (_, their_bin) = app.send(&stranger, Method::GET, "/v1/bin", None).await?;
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
        let (status, _) = app.send(&editor, Method::GET, &path, None).await?;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app
            .send(&editor, Method::POST, &format!("{path}/restore"), None)
            .await?;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "only what is in the bin can be restored"
        );
        let (_, whole_bin) = app.send(&editor, Method::GET, "/v1/bin", None).await?;
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
async fn affiliations_link_people_to_organisations_current_and_past() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, person) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Bernard", "given_name": "Inès"})),
        )
        .await?;
    let (_, mairie) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Mairie de Lyon", "kind": "public_body"})),
        )
        .await?;
    let (_, asso) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Les Amis", "kind": "association"})),
        )
        .await?;

    let (status, current) = app
        .send(&editor, Method::POST, "/v1/affiliations", Some(json!({
            "person_id": person["id"], "organisation_id": mairie["id"], "role": "Cheffe de projet", "starts_on": "2024-01-01"
        })))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{current}");
    assert_eq!(current["organisation_name"], "Mairie de Lyon");
    assert_eq!(current["current"], true);
    let (status, past) = app
        .send(
            &editor,
            Method::POST,
            "/v1/affiliations",
            Some(json!({
                "person_id": person["id"], "organisation_id": asso["id"], "role": "Trésorière",
                "starts_on": "2019-09-01", "ends_on": "2023-06-30"
            })),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{past}");
    assert_eq!(past["current"], false);

    let (_, of_person) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/people/{}/affiliations", id_of(&person)),
            None,
        )
        .await?;
    let roles: Vec<&str> = of_person["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["role"].as_str())
        .collect();
    assert_eq!(
        roles,
        ["Cheffe de projet", "Trésorière"],
        "current first, then past"
    );
    let (_, of_mairie) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/organisations/{}/affiliations", id_of(&mairie)),
            None,
        )
        .await?;
    assert_eq!(of_mairie["items"][0]["person_name"], "Bernard Inès");

    // She leaves the mairie: the affiliation becomes past.
    let path = format!("/v1/affiliations/{}", id_of(&current));
    let (status, ended) = app
        .patch(&editor, &path, "\"1\"", json!({"ends_on": "2025-01-31"}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["current"], false);
    let (status, problem) = app
        .patch(&editor, &path, "\"2\"", json!({"starts_on": "2026-01-01"}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "ends_on");

    // Another tenant neither sees it nor can point at these records.
    let (status, _) = app.send(&other, Method::GET, &path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.send(&other, Method::DELETE, &path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .send(
            &other,
            Method::GET,
            &format!("/v1/people/{}/affiliations", id_of(&person)),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, stranger) = app
        .send(
            &other,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Autre"})),
        )
        .await?;
    let (status, problem) = app
        .send(
            &other,
            Method::POST,
            "/v1/affiliations",
            Some(json!({"person_id": stranger["id"], "organisation_id": mairie["id"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "organisation_id");

    let (status, _) = app.send(&editor, Method::DELETE, &path, None).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, of_person) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/people/{}/affiliations", id_of(&person)),
            None,
        )
        .await?;
    assert_eq!(of_person["items"].as_array().map(Vec::len), Some(1));
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where record_type = 'affiliation'")
            .fetch_one(&app.db.owner)
            .await?;
    assert_eq!(audited, 4, "two creations, one update, one deletion");
    Ok(())
}

#[tokio::test]
async fn partnerships_follow_their_lifecycle_and_keep_their_agreement() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, region) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Région", "kind": "funder"})),
        )
        .await?;
    let (_, centre) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Centre social", "kind": "association"})),
        )
        .await?;

    let (status, problem) = app
        .send(
            &editor,
            Method::POST,
            "/v1/partnerships",
            Some(json!({"title": "Sans partenaire", "kind": "funding"})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "partners");

    let (status, created) = app
        .send(&editor, Method::POST, "/v1/partnerships", Some(json!({
            "title": "Contrat de ville 2026", "kind": "funding",
            "partners": [{"organisation_id": region["id"], "role": "financeur"}, {"organisation_id": centre["id"], "role": "opérateur"}],
            "agreement": {"purpose": "Accompagner les familles", "budget": {"amount_cents": 4_500_000, "currency": "EUR"},
                          "evaluation_method": "Bilan annuel partagé"}
        })))
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

    let (_, read) = app.send(&editor, Method::GET, &path, None).await?;
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

    let (_, closed) = app
        .send(&editor, Method::GET, "/v1/partnerships?status=closed", None)
        .await?;
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
    let (_, theirs) = app
        .send(&other, Method::GET, "/v1/partnerships", None)
        .await?;
    assert_eq!(theirs["items"], json!([]));

    let (status, _) = app.send(&editor, Method::DELETE, &path, None).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.send(&editor, Method::GET, &path, None).await?;
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
async fn the_audit_log_tells_who_changed_what_per_record_and_per_tenant() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let admin = app.member_of(editor.tenant_id, Role::Admin).await?;
    let other = app.actor("asso-b", Role::Owner).await?;
    let (_, person) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Roux"})),
        )
        .await?;
    let (_, _) = app
        .patch(
            &editor,
            &format!("/v1/people/{}", id_of(&person)),
            "\"1\"",
            json!({"family_name": "Le Roux"}),
        )
        .await?;
    let (_, _) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Réseau", "kind": "network"})),
        )
        .await?;

    let record = format!("/v1/audit?record_type=person&record_id={}", id_of(&person));
    let (status, history) = app.send(&editor, Method::GET, &record, None).await?;
    assert_eq!(status, StatusCode::OK, "{history}");
    let actions: Vec<&str> = history["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["update", "create"], "newest first");
    assert_eq!(history["items"][0]["before"]["family_name"], "Roux");
    assert_eq!(history["items"][0]["after"]["family_name"], "Le Roux");
    assert_eq!(history["items"][0]["actor_user_id"], json!(editor.user_id));

    let (status, _) = app.send(&editor, Method::GET, "/v1/audit", None).await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the whole tenant's log is for admins"
    );
    let (status, all) = app
        .send(&admin, Method::GET, "/v1/audit?limit=2", None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    assert!(all["next"].is_string(), "three entries, pages of two");
    let (_, oldest_first) = app
        .send(&admin, Method::GET, "/v1/audit?sort=at", None)
        .await?;
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

    let (_, theirs) = app.send(&other, Method::GET, "/v1/audit", None).await?;
    assert_eq!(
        theirs["items"],
        json!([]),
        "another tenant's log is empty to them"
    );
    let (_, theirs) = app.send(&other, Method::GET, &record, None).await?;
    assert_eq!(theirs["items"], json!([]));
    Ok(())
}

#[tokio::test]
async fn tags_are_one_vocabulary_shared_by_people_organisations_and_partnerships() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, person) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Garcia"})),
        )
        .await?;
    let (_, organisation) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "MJC", "kind": "association"})),
        )
        .await?;

    let person_tags = format!("/v1/people/{}/tags", id_of(&person));
    let (status, tagged) = app
        .send(
            &editor,
            Method::PUT,
            &person_tags,
            Some(json!({"tags": ["Bénévole", "Quartier  Nord"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{tagged}");
    assert_eq!(tagged["tags"], json!(["Bénévole", "Quartier Nord"]));
    let organisation_tags = format!("/v1/organisations/{}/tags", id_of(&organisation));
    let (_, tagged) = app
        .send(
            &editor,
            Method::PUT,
            &organisation_tags,
            Some(json!({"tags": ["bénévole"]})),
        )
        .await?;
    assert_eq!(
        tagged["tags"],
        json!(["Bénévole"]),
        "the existing tag is reused, whatever its case"
    );
    let (_, project) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({"name": "Repair café"})),
        )
        .await?;
    let project_tags = format!("/v1/projects/{}/tags", id_of(&project));
    let (status, tagged) = app
        .send(
            &editor,
            Method::PUT,
            &project_tags,
            Some(json!({"tags": ["BÉNÉVOLE"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{tagged}");
    assert_eq!(tagged["tags"], json!(["Bénévole"]));

    let (_, vocabulary) = app.send(&editor, Method::GET, "/v1/tags", None).await?;
    assert_eq!(vocabulary["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(vocabulary["items"][0]["name"], "Bénévole");
    assert_eq!(vocabulary["items"][0]["people"], 1);
    assert_eq!(vocabulary["items"][0]["organisations"], 1);
    assert_eq!(vocabulary["items"][0]["projects"], 1);

    let (status, problem) = app
        .send(
            &editor,
            Method::POST,
            "/v1/tags",
            Some(json!({"name": "QUARTIER NORD"})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "name");

    let (_, cleared) = app
        .send(
            &editor,
            Method::PUT,
            &person_tags,
            Some(json!({"tags": []})),
        )
        .await?;
    assert_eq!(cleared["tags"], json!([]));
    let (status, _) = app.send(&other, Method::GET, &person_tags, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .send(
            &other,
            Method::PUT,
            &organisation_tags,
            Some(json!({"tags": ["pirate"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, theirs) = app.send(&other, Method::GET, "/v1/tags", None).await?;
    assert_eq!(
        theirs["items"],
        json!([]),
        "each tenant has its own vocabulary"
    );
    let (_, still) = app
        .send(&editor, Method::GET, &organisation_tags, None)
        .await?;
    assert_eq!(still["tags"], json!(["Bénévole"]));
    Ok(())
}

#[tokio::test]
async fn activities_make_up_the_timeline_of_every_record_they_touch() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, person) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Morel"})),
        )
        .await?;
    let (_, funder) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "CAF", "kind": "funder"})),
        )
        .await?;
    let (_, project) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({"name": "Jardins partagés"})),
        )
        .await?;

    let (status, meeting) = app
        .send(&editor, Method::POST, "/v1/activities", Some(json!({
            "kind": "meeting", "occurred_at": "2026-10-01T09:30:00+02:00", "subject": "Comité de pilotage",
            "links": {"people": [person["id"]], "organisations": [funder["id"]], "projects": [project["id"]]}
        })))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{meeting}");
    let (status, call) = app
        .send(&editor, Method::POST, "/v1/activities", Some(json!({
            "kind": "call", "occurred_at": "2026-10-15T14:00:00+02:00", "subject": "Relance dossier",
            "links": {"organisations": [funder["id"]]}
        })))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    let (status, task) = app
        .send(&editor, Method::POST, "/v1/activities", Some(json!({
            "kind": "task", "occurred_at": "2026-10-16T08:00:00Z", "subject": "Envoyer les pièces",
            "due_at": "2026-10-30T17:00:00+01:00", "links": {"people": [person["id"]]}
        })))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{task}");

    let subjects = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["subject"].as_str().map(str::to_owned))
            .collect()
    };
    let (_, funder_timeline) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/organisations/{}/timeline", id_of(&funder)),
            None,
        )
        .await?;
    assert_eq!(
        subjects(&funder_timeline),
        ["Relance dossier", "Comité de pilotage"],
        "newest first"
    );
    let person_timeline = format!("/v1/people/{}/timeline", id_of(&person));
    let (_, first) = app
        .send(
            &editor,
            Method::GET,
            &format!("{person_timeline}?limit=1"),
            None,
        )
        .await?;
    assert_eq!(subjects(&first), ["Envoyer les pièces"]);
    let next = first["next"].as_str().unwrap_or_default().to_owned();
    let (_, second) = app
        .send(
            &editor,
            Method::GET,
            &format!("{person_timeline}?limit=1&after={next}"),
            None,
        )
        .await?;
    assert_eq!(subjects(&second), ["Comité de pilotage"], "paginated");
    let (_, oldest_first) = app
        .send(
            &editor,
            Method::GET,
            &format!("{person_timeline}?sort=occurred_at"),
            None,
        )
        .await?;
    assert_eq!(
        subjects(&oldest_first),
        ["Comité de pilotage", "Envoyer les pièces"]
    );
    let (status, problem) = app
        .send(
            &editor,
            Method::GET,
            &format!("{person_timeline}?sort=subject"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "sort");

    // A project has its timeline too, and the tenant's whole list filters by any link
    // (every one named must hold), by kind and by what is still to do.
    let project_timeline = format!("/v1/projects/{}/timeline", id_of(&project));
    let (status, on_project) = app
        .send(&editor, Method::GET, &project_timeline, None)
        .await?;
    assert_eq!(status, StatusCode::OK, "{on_project}");
    assert_eq!(subjects(&on_project), ["Comité de pilotage"]);
    assert_eq!(
        on_project["items"][0]["links"]["projects"],
        json!([project["id"]])
    );
    let (_, everything) = app
        .send(&editor, Method::GET, "/v1/activities", None)
        .await?;
    assert_eq!(
        subjects(&everything),
        [
            "Envoyer les pièces",
            "Relance dossier",
            "Comité de pilotage"
        ]
    );
    let (_, both) = app
        .send(
            &editor,
            Method::GET,
            &format!(
                "/v1/activities?organisation_id={}&person_id={}",
                id_of(&funder),
                id_of(&person)
            ),
            None,
        )
        .await?;
    assert_eq!(subjects(&both), ["Comité de pilotage"]);
    let (_, to_do) = app
        .send(
            &editor,
            Method::GET,
            "/v1/activities?kind=task&done=false",
            None,
        )
        .await?;
    assert_eq!(subjects(&to_do), ["Envoyer les pièces"]);

    let task_path = format!("/v1/activities/{}", id_of(&task));
    let (status, done) = app
        .patch(&editor, &task_path, "\"1\"", json!({"done": true}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done["done_at"].is_string());
    let (_, to_do) = app
        .send(
            &editor,
            Method::GET,
            "/v1/activities?kind=task&done=false",
            None,
        )
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
        .send(
            &other,
            Method::POST,
            "/v1/activities",
            Some(json!({
                "kind": "note", "subject": "Fuite", "links": {"people": [person["id"]]}
            })),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "links.people");
    let (status, problem) = app
        .send(
            &other,
            Method::POST,
            "/v1/activities",
            Some(json!({
                "kind": "note", "subject": "Fuite", "links": {"projects": [project["id"]]}
            })),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "links.projects");
    for timeline in [&person_timeline, &project_timeline] {
        let (status, _) = app.send(&other, Method::GET, timeline, None).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (_, theirs) = app
        .send(
            &other,
            Method::GET,
            &format!("/v1/activities?person_id={}", id_of(&person)),
            None,
        )
        .await?;
    assert_eq!(subjects(&theirs), Vec::<String>::new());
    let (status, _) = app.send(&other, Method::GET, &task_path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn engagements_record_gifts_and_volunteering_with_yearly_totals() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, person) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Fournier"})),
        )
        .await?;
    let (_, company) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Boulangerie", "kind": "company"})),
        )
        .await?;
    let (_, project) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({"name": "Jardins partagés"})),
        )
        .await?;
    for body in [
        json!({"kind": "donation", "person_id": person["id"], "amount_cents": 5000, "occurred_on": "2025-12-20"}),
        json!({"kind": "donation", "person_id": person["id"], "amount_cents": 7500, "occurred_on": "2026-03-01", "campaign": "Printemps", "project_id": project["id"]}),
        json!({"kind": "membership_fee", "person_id": person["id"], "amount_cents": 2000, "occurred_on": "2026-01-10"}),
        json!({"kind": "volunteering", "person_id": person["id"], "minutes": 150, "occurred_on": "2026-04-05"}),
        json!({"kind": "sponsorship", "organisation_id": company["id"], "amount_cents": 100000, "occurred_on": "2026-05-01", "project_id": project["id"]}),
    ] {
        let (status, created) = app
            .send(&editor, Method::POST, "/v1/engagements", Some(body))
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }
    let (status, totals) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/engagements/totals?person_id={}", id_of(&person)),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{totals}");
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
    let (_, listed) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/engagements?person_id={}", id_of(&person)),
            None,
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
    let (_, first) = app.send(&editor, Method::GET, &oldest_first, None).await?;
    assert_eq!(on_dates(&first), ["2025-12-20", "2026-01-10", "2026-03-01"]);
    let next = first["next"].as_str().unwrap_or_default();
    let (_, rest) = app
        .send(
            &editor,
            Method::GET,
            &format!("{oldest_first}&after={next}"),
            None,
        )
        .await?;
    assert_eq!(
        on_dates(&rest),
        ["2026-04-05"],
        "the next page, still oldest first"
    );

    // What a project received: its engagements and their totals.
    let (_, for_project) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/engagements?project_id={}", id_of(&project)),
            None,
        )
        .await?;
    assert_eq!(on_dates(&for_project), ["2026-05-01", "2026-03-01"]);
    let (_, project_totals) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/engagements/totals?project_id={}", id_of(&project)),
            None,
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
        .send(
            &editor,
            Method::GET,
            "/v1/engagements?sort=amount_cents",
            None,
        )
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
        let (status, problem) = app
            .send(&editor, Method::POST, "/v1/engagements", Some(body))
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let (status, problem) = app
        .send(&other, Method::POST, "/v1/engagements", Some(json!({"kind": "donation", "person_id": person["id"], "amount_cents": 1, "occurred_on": "2026-01-01"})))
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another tenant's person: {problem}"
    );
    let (_, theirs) = app
        .send(&other, Method::GET, "/v1/engagements/totals", None)
        .await?;
    assert_eq!(theirs["items"], json!([]));
    Ok(())
}

#[tokio::test]
async fn projects_carry_milestones_budget_totals_and_partners() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, region) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Région", "kind": "funder"})),
        )
        .await?;
    let (_, partnership) = app
        .send(&editor, Method::POST, "/v1/partnerships", Some(json!({"title": "Contrat de ville", "kind": "funding", "partners": [{"organisation_id": region["id"]}]})))
        .await?;

    let (status, project) = app
        .send(&editor, Method::POST, "/v1/projects", Some(json!({
            "name": "Jardins partagés", "status": "running", "territory": "Quartier Nord",
            "target_population": "Familles du quartier", "starts_on": "2026-03-01", "ends_on": "2027-02-28",
            "milestones": [
                {"phase": "Diagnostic", "title": "Réunion publique", "due_on": "2026-04-15", "done_on": "2026-04-15"},
                {"phase": "Mise en œuvre", "title": "Premières plantations", "due_on": "2026-05-30"}
            ],
            "budget_lines": [
                {"label": "Outils", "planned_cents": 150000, "actual_cents": 98000},
                {"label": "Animation", "planned_cents": 600000, "actual_cents": 250000}
            ],
            "partners": [{"organisation_id": region["id"], "role": "financeur"}, {"partnership_id": partnership["id"], "role": "cadre"}]
        })))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{project}");
    assert_eq!(project["budget"]["planned_cents"], 750000);
    assert_eq!(project["budget"]["actual_cents"], 348000);
    assert_eq!(project["milestones"][0]["title"], "Réunion publique");
    assert_eq!(
        project["owner_user_id"],
        json!(editor.user_id),
        "the creator owns it by default"
    );
    let names: Vec<&str> = project["partners"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["Contrat de ville", "Région"]);

    let path = format!("/v1/projects/{}", id_of(&project));
    let (status, updated) = app
        .patch(&editor, &path, "\"1\"", json!({"budget_lines": [{"label": "Outils", "planned_cents": 150000, "actual_cents": 151000}]}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["budget"]["actual_cents"], 151000);
    assert_eq!(
        updated["milestones"].as_array().map(Vec::len),
        Some(2),
        "lists not named stay as they were"
    );

    for (body, field) in [
        (json!({"ends_on": "2025-01-01"}), "ends_on"),
        (json!({"status": "finished"}), "status"),
        (json!({"partners": [{"role": "sans cible"}]}), "partners"),
        (
            json!({"partners": [{"organisation_id": Uuid::new_v4()}]}),
            "partners",
        ),
        (json!({"owner_user_id": other.user_id}), "owner_user_id"),
        (
            json!({"budget_lines": [{"label": "", "planned_cents": 1}]}),
            "budget_lines.label",
        ),
    ] {
        let (status, problem) = app.patch(&editor, &path, "\"2\"", body).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let (status, _) = app.send(&other, Method::GET, &path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .send(
            &other,
            Method::POST,
            "/v1/projects",
            Some(json!({"name": "Vol", "partners": [{"organisation_id": region["id"]}]})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) = app.send(&editor, Method::DELETE, &path, None).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, binned) = app
        .send(&editor, Method::GET, "/v1/projects?deleted=true", None)
        .await?;
    assert_eq!(binned["items"][0]["name"], "Jardins partagés");
    let (status, restored) = app
        .send(&editor, Method::POST, &format!("{path}/restore"), None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(restored["budget"]["actual_cents"], 151000);

    // The list carries each project's own milestones, budget and partners.
    let (status, second) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({
                "name": "Ateliers vélo",
                "milestones": [{"title": "Atelier d'ouverture", "due_on": "2026-06-01"}],
                "budget_lines": [{"label": "Pièces", "planned_cents": 40000}],
                "partners": [{"organisation_id": region["id"], "role": "soutien"}]
            })),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (_, listed) = app.send(&editor, Method::GET, "/v1/projects", None).await?;
    let summary: Vec<(&str, usize, i64, usize)> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default(),
                p["milestones"].as_array().map_or(0, Vec::len),
                p["budget"]["planned_cents"].as_i64().unwrap_or_default(),
                p["partners"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Ateliers vélo", 1, 40000, 1),
            ("Jardins partagés", 2, 150000, 2)
        ]
    );
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
        let (status, created) = app
            .send(
                &editor,
                Method::POST,
                "/v1/deadlines",
                Some(json!({"title": title, "due_at": due_at})),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["title"].as_str().map(str::to_owned))
            .collect()
    };
    let (_, soonest) = app
        .send(&editor, Method::GET, "/v1/deadlines", None)
        .await?;
    assert_eq!(titles(&soonest), ["Bilan 2027", "Bilan 2028", "Bilan 2029"]);
    let (_, first) = app
        .send(
            &editor,
            Method::GET,
            "/v1/deadlines?sort=-due_at&limit=2",
            None,
        )
        .await?;
    assert_eq!(titles(&first), ["Bilan 2029", "Bilan 2028"]);
    let next = first["next"].as_str().unwrap_or_default();
    let (_, second) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/deadlines?sort=-due_at&limit=2&after={next}"),
            None,
        )
        .await?;
    assert_eq!(titles(&second), ["Bilan 2027"]);
    assert_eq!(second["next"], Value::Null);
    let (status, problem) = app
        .send(&editor, Method::GET, "/v1/deadlines?sort=title", None)
        .await?;
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
    let (_, region) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Région", "kind": "funder"})),
        )
        .await?;
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
            let (status, created) = app
                .send(&editor, Method::POST, path, Some(body(name)))
                .await?;
            assert_eq!(status, StatusCode::CREATED, "{created}");
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
        let (_, by_name) = app.send(&editor, Method::GET, path, None).await?;
        assert_eq!(order(&by_name), ["Alice", "Bob", "Charlie"], "{path}");
        let (_, first) = app
            .send(
                &editor,
                Method::GET,
                &format!("{path}?sort=-updated_at&limit=2"),
                None,
            )
            .await?;
        assert_eq!(order(&first), ["Charlie", "Bob"], "{path}: {first}");
        let next = first["next"].as_str().unwrap_or_default();
        let (_, second) = app
            .send(
                &editor,
                Method::GET,
                &format!("{path}?sort=-updated_at&limit=2&after={next}"),
                None,
            )
            .await?;
        assert!(
            order(&second).starts_with(&["Alice".to_owned()]),
            "{path}: {second}"
        );
        // A cursor continues only the order it came from; an unknown order is refused.
        let (status, problem) = app
            .send(&editor, Method::GET, &format!("{path}?after={next}"), None)
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "after");
        let (status, problem) = app
            .send(&editor, Method::GET, &format!("{path}?sort=age"), None)
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "sort");
    }
    Ok(())
}

/// Milestones keep their identity across updates (their reminders and calendar events
/// follow them), and everything dated shows in the agenda with who answers for it.
#[tokio::test]
async fn milestones_keep_their_ids_and_the_agenda_gathers_everything_dated() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, region) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Région", "kind": "funder"})),
        )
        .await?;
    let (status, partnership) = app
        .send(
            &editor,
            Method::POST,
            "/v1/partnerships",
            Some(json!({
                "title": "Contrat de ville", "kind": "funding", "status": "prospect",
                "ends_on": "2031-06-30", "next_evaluation_on": "2031-01-15",
                "partners": [{"organisation_id": region["id"]}]
            })),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{partnership}");
    assert_eq!(partnership["next_evaluation_on"], "2031-01-15");
    let (_, project) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({
                "name": "Jardins partagés",
                "milestones": [
                    {"title": "Réunion publique", "due_on": "2031-02-01"},
                    {"title": "Premières plantations", "due_on": "2031-03-01"}
                ]
            })),
        )
        .await?;
    let path = format!("/v1/projects/{}", id_of(&project));
    let kept = project["milestones"][0].clone();
    let dropped = project["milestones"][1]["id"].clone();
    assert!(kept["id"].is_string(), "{project}");

    // The first sent back with its id (and a new date), the second left out, a third new.
    let (status, updated) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"milestones": [
                {"id": kept["id"], "title": "Réunion publique", "due_on": "2031-02-08"},
                {"title": "Fête de la récolte", "due_on": "2031-09-20"}
            ]}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        updated["milestones"][0]["id"], kept["id"],
        "same milestone, moved"
    );
    assert_eq!(updated["milestones"][0]["due_on"], "2031-02-08");
    assert_ne!(updated["milestones"][1]["id"], dropped);
    // An id that is not one of this project's milestones changes nothing.
    let (status, problem) = app
        .patch(
            &editor,
            &path,
            "\"2\"",
            json!({"milestones": [{"id": dropped, "title": "Revenant"}]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "milestones.id");
    let (_, unchanged) = app.send(&editor, Method::GET, &path, None).await?;
    assert_eq!(unchanged["milestones"], updated["milestones"]);

    let (status, agenda) = app
        .send(&editor, Method::GET, "/v1/agenda?from=2031-01-01", None)
        .await?;
    assert_eq!(status, StatusCode::OK, "{agenda}");
    let seen: Vec<(String, String, bool)> = agenda["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["subject"].as_str().unwrap_or_default().to_owned(),
                i["title"].as_str().unwrap_or_default().to_owned(),
                i["mine"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    let item =
        |subject: &str, title: &str, mine: bool| (subject.to_owned(), title.to_owned(), mine);
    assert_eq!(
        seen,
        [
            // The project's owner (its creator) answers for its milestones; a
            // partnership's dates fall to the owners and admins.
            item("partnership-evaluation", "Contrat de ville", false),
            item("milestone", "Réunion publique", true),
            item("partnership-end", "Contrat de ville", false),
            item("milestone", "Fête de la récolte", true),
        ]
    );
    let (_, mine) = app
        .send(
            &editor,
            Method::GET,
            "/v1/agenda?from=2031-01-01&mine=true",
            None,
        )
        .await?;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(2), "{mine}");
    let (_, theirs) = app.send(&other, Method::GET, "/v1/agenda", None).await?;
    assert_eq!(theirs["items"], json!([]), "another tenant sees none of it");
    let (status, problem) = app
        .send(&editor, Method::GET, "/v1/agenda?limit=100000", None)
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
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
            let (_, o) = app
                .send(
                    &editor,
                    Method::POST,
                    "/v1/organisations",
                    Some(json!({"name": name, "kind": "association"})),
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
    let (_, person) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Petit", "given_name": "Léa"})),
        )
        .await?;
    app.send(&editor, Method::POST, "/v1/affiliations", Some(json!({"person_id": person["id"], "organisation_id": centre["id"], "role": "Directrice"}))).await?;
    app.send(&editor, Method::POST, "/v1/partnerships", Some(json!({"title": "Convention", "kind": "funding", "status": "active", "partners": [{"organisation_id": region["id"]}]}))).await?;
    let (_, project) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({"name": "Fête de quartier",
            "partners": [{"organisation_id": centre["id"]}, {"organisation_id": mjc["id"]}]})),
        )
        .await?;

    let (status, graph) = app.send(&editor, Method::GET, "/v1/network", None).await?;
    assert_eq!(status, StatusCode::OK, "{graph}");
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
    let kinds: Vec<&str> = graph["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "organisation").count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == "person").count(), 1);

    let (_, only_project) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/network?project_id={}", id_of(&project)),
            None,
        )
        .await?;
    let labels: Vec<&str> = only_project["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["label"].as_str())
        .collect();
    assert_eq!(
        labels,
        ["Fête de quartier", "Directrice"],
        "the project, and the people of its partners"
    );
    let (_, networks) = app
        .send(
            &editor,
            Method::GET,
            "/v1/network?partnership_kind=network",
            None,
        )
        .await?;
    assert_eq!(networks["edges"], json!([]));
    let (status, _) = app
        .send(
            &editor,
            Method::GET,
            "/v1/network?from=2026-05-01&to=2026-01-01",
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, theirs) = app.send(&other, Method::GET, "/v1/network", None).await?;
    assert_eq!(theirs, json!({"nodes": [], "edges": []}));
    Ok(())
}

#[tokio::test]
async fn merging_duplicates_moves_every_link_to_the_survivor() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, survivor) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Dubois", "given_name": "Zoé"})),
        )
        .await?;
    let (_, duplicate) = app
        .send(
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Dubois", "given_name": "Zoe", "email": "zoe@exemple.fr"})),
        )
        .await?;
    let (_, org) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Club", "kind": "association", "sector": "Sport"})),
        )
        .await?;
    let (_, org_twin) = app
        .send(&editor, Method::POST, "/v1/organisations", Some(json!({"name": "Le Club", "kind": "association", "website": "https://club.example",
                                                                      "sector": "Loisirs", "territory": "Quartier Nord"})))
        .await?;
    app.send(&editor, Method::POST, "/v1/affiliations", Some(json!({"person_id": duplicate["id"], "organisation_id": org_twin["id"], "role": "Présidente"}))).await?;
    app.send(&editor, Method::POST, "/v1/engagements", Some(json!({"kind": "donation", "person_id": duplicate["id"], "amount_cents": 2000, "occurred_on": "2026-02-02"}))).await?;
    app.send(&editor, Method::POST, "/v1/activities", Some(json!({"kind": "call", "subject": "Appel", "links": {"people": [survivor["id"], duplicate["id"]], "organisations": [org_twin["id"]]}}))).await?;
    app.send(
        &editor,
        Method::PUT,
        &format!("/v1/people/{}/tags", id_of(&duplicate)),
        Some(json!({"tags": ["Donatrice"]})),
    )
    .await?;

    let merge = format!("/v1/people/{}/merge", id_of(&survivor));
    let (status, merged) = app
        .send(
            &editor,
            Method::POST,
            &merge,
            Some(json!({"duplicate_id": duplicate["id"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(
        merged["email"], "zoe@exemple.fr",
        "blank details are filled from the duplicate"
    );
    assert_eq!(
        merged["given_name"], "Zoé",
        "the survivor's own details win"
    );
    let person = id_of(&survivor);
    let (_, affiliations) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/people/{person}/affiliations"),
            None,
        )
        .await?;
    assert_eq!(affiliations["items"][0]["role"], "Présidente");
    let (_, engagements) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/engagements?person_id={person}"),
            None,
        )
        .await?;
    assert_eq!(engagements["items"].as_array().map(Vec::len), Some(1));
    let (_, timeline) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/people/{person}/timeline"),
            None,
        )
        .await?;
    assert_eq!(
        timeline["items"][0]["links"]["people"],
        json!([survivor["id"]]),
        "one link where there were two"
    );
    let (_, tags) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/people/{person}/tags"),
            None,
        )
        .await?;
    assert_eq!(tags["tags"], json!(["Donatrice"]));
    let (status, _) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/people/{}", id_of(&duplicate)),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "the duplicate is in the bin");

    let (status, merged_org) = app
        .send(
            &editor,
            Method::POST,
            &format!("/v1/organisations/{}/merge", id_of(&org)),
            Some(json!({"duplicate_id": org_twin["id"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{merged_org}");
    assert_eq!(merged_org["website"], "https://club.example");
    assert_eq!(
        (&merged_org["sector"], &merged_org["territory"]),
        (&json!("Sport"), &json!("Quartier Nord")),
        "the survivor's sector stays, its blank territory is filled"
    );
    let (_, in_the_north) = app
        .send(
            &editor,
            Method::GET,
            "/v1/organisations?territory=quartier%20nord&sector=SPORT",
            None,
        )
        .await?;
    assert_eq!(in_the_north["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(in_the_north["items"][0]["name"], "Club");
    let (_, members) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/organisations/{}/affiliations", id_of(&org)),
            None,
        )
        .await?;
    assert_eq!(members["items"][0]["person_name"], "Dubois Zoé");

    let (status, problem) = app
        .send(
            &editor,
            Method::POST,
            &merge,
            Some(json!({"duplicate_id": survivor["id"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (_, stranger) = app
        .send(
            &other,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "Autre"})),
        )
        .await?;
    let (status, _) = app
        .send(
            &editor,
            Method::POST,
            &merge,
            Some(json!({"duplicate_id": stranger["id"]})),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another tenant's person cannot be merged in"
    );
    let (status, _) = app
        .send(
            &other,
            Method::POST,
            &merge,
            Some(json!({"duplicate_id": stranger["id"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let merges: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'merge'")
        .fetch_one(&app.db.owner)
        .await?;
    assert_eq!(merges, 4, "survivor and duplicate, twice");
    Ok(())
}

#[tokio::test]
async fn people_have_several_emails_and_phones_an_address_and_a_recorded_consent() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let (status, person) = app
        .send(&editor, Method::POST, "/v1/people", Some(json!({
            "family_name": "Lambert",
            "emails": [{"address": "perso@exemple.fr", "label": "perso"}, {"address": "pro@mairie.fr", "label": "pro", "primary": true}],
            "phones": [{"number": "+33 6 12 34 56 78", "label": "mobile"}],
            "address": {"street": "1 place de la Mairie", "postal_code": "69001", "city": "Lyon", "country": "fr"},
            "email_consent": true, "consent_basis": "consent", "consent_on": "2026-09-01", "consent_source": "Formulaire d'adhésion"
        })))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{person}");
    assert_eq!(person["email"], "pro@mairie.fr", "the primary one");
    assert_eq!(
        person["phone"], "+33 6 12 34 56 78",
        "the only one becomes primary"
    );
    assert_eq!(person["address"]["country"], "FR");
    assert_eq!(person["consent_basis"], "consent");

    let path = format!("/v1/people/{}", id_of(&person));
    let (_, changed) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"email": "nouvelle@mairie.fr"}),
        )
        .await?;
    let addresses: Vec<&str> = changed["emails"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["address"].as_str())
        .collect();
    assert_eq!(
        addresses,
        ["nouvelle@mairie.fr", "perso@exemple.fr"],
        "setting `email` replaces the primary one"
    );
    let (_, found) = app.search(&editor, "nouvelle").await?;
    assert_eq!(
        found["items"][0]["label"], "Lambert",
        "search follows the primary email"
    );

    for (body, field) in [
        (
            json!({"emails": [{"address": "a@b.fr", "primary": true}, {"address": "c@d.fr", "primary": true}]}),
            "emails",
        ),
        (
            json!({"emails": [{"address": "pas-une-adresse"}]}),
            "emails",
        ),
        (json!({"phones": [{"number": "appelez-moi"}]}), "phones"),
        (json!({"address": {"country": "France"}}), "address.country"),
        (
            json!({"email_consent": true, "consent_basis": null}),
            "consent_basis",
        ),
        (
            json!({"consent_basis": "consent", "consent_on": null}),
            "consent_on",
        ),
        (json!({"consent_basis": "because"}), "consent_basis"),
    ] {
        let (status, problem) = app.patch(&editor, &path, "\"2\"", body).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    Ok(())
}

#[tokio::test]
async fn partnerships_are_evaluated_interim_and_once_final() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, region) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Région", "kind": "funder"})),
        )
        .await?;
    let (_, partnership) = app
        .send(&editor, Method::POST, "/v1/partnerships", Some(json!({"title": "Convention", "kind": "funding", "partners": [{"organisation_id": region["id"]}]})))
        .await?;
    let evaluations = format!("/v1/partnerships/{}/evaluations", id_of(&partnership));
    let interim = json!({
        "stage": "interim", "evaluated_on": "2026-06-30", "objectives_set": "200 familles", "objectives_reached": "120 familles",
        "effectiveness_score": 3, "efficiency_score": 4, "impact_score": 3, "impact_notes": "Bonne dynamique de quartier"
    });
    let (status, created) = app
        .send(&editor, Method::POST, &evaluations, Some(interim))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let final_one = json!({"stage": "final", "evaluated_on": "2026-12-15", "effectiveness_score": 4, "efficiency_score": 4, "impact_score": 5});
    let (status, _) = app
        .send(&editor, Method::POST, &evaluations, Some(final_one.clone()))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) = app
        .send(&editor, Method::POST, &evaluations, Some(final_one))
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one final evaluation: {problem}"
    );
    assert_eq!(problem["errors"][0]["field"], "stage");
    let (status, problem) = app
        .send(&editor, Method::POST, &evaluations, Some(json!({"evaluated_on": "2026-07-01", "effectiveness_score": 6, "efficiency_score": 1, "impact_score": 1})))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "effectiveness_score");

    let (_, listed) = app.send(&editor, Method::GET, &evaluations, None).await?;
    let stages: Vec<&str> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["stage"].as_str())
        .collect();
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
    let (status, _) = app.send(&other, Method::GET, &evaluations, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.send(&other, Method::DELETE, &one, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
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
        let (status, created) = app
            .send(&admin, Method::POST, "/v1/custom-fields", Some(body))
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }
    let (status, _) = app
        .send(
            &editor,
            Method::POST,
            "/v1/custom-fields",
            Some(json!({"record_type": "person", "key": "x", "label": "X", "field_type": "text"})),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "editors do not change the tenant's fields"
    );

    let (status, person) = app
        .send(&editor, Method::POST, "/v1/people", Some(json!({"family_name": "Simon", "custom": {"quartier": "Nord", "date_adhesion": "2024-09-15"}})))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{person}");
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
        let (status, problem) = app
            .send(&editor, Method::POST, "/v1/people", Some(body))
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (status, org) = app
        .send(&editor, Method::POST, "/v1/organisations", Some(json!({"name": "SARL", "kind": "company", "custom": {"siret": "123 456 789 00012"}})))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    let (_, theirs) = app
        .send(&other, Method::GET, "/v1/custom-fields", None)
        .await?;
    assert_eq!(theirs["items"], json!([]), "each tenant has its own fields");
    let (status, problem) = app
        .send(
            &other,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": "B", "custom": {"quartier": "Nord"}})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(app.db.count("people").await?, 1);

    // A field removed takes its values with it: the people who had one can still be
    // written (their values would otherwise name a field that no longer exists).
    let (_, fields) = app
        .send(&admin, Method::GET, "/v1/custom-fields", None)
        .await?;
    let quartier = fields["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["key"] == "quartier")
        .map(|f| f["id"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let (status, _) = app
        .send(
            &admin,
            Method::DELETE,
            &format!("/v1/custom-fields/{quartier}"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, simon) = app.send(&editor, Method::GET, &path, None).await?;
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

#[tokio::test]
async fn a_deadline_names_the_project_or_partnership_it_reports_on() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let (_, project) = app
        .send(
            &editor,
            Method::POST,
            "/v1/projects",
            Some(json!({"name": "Jardins partagés"})),
        )
        .await?;
    let (status, deadline) = app
        .send(&editor, Method::POST, "/v1/deadlines", Some(json!({"title": "Bilan intermédiaire", "due_at": "2030-03-31T17:00:00+02:00", "project_id": project["id"]})))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{deadline}");
    assert_eq!(deadline["project_name"], "Jardins partagés");
    let (status, problem) = app
        .send(&other, Method::POST, "/v1/deadlines", Some(json!({"title": "Vol", "due_at": "2030-03-31T17:00:00Z", "project_id": project["id"]})))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "project_id");
    let (status, unlinked) = app
        .patch(
            &editor,
            &format!("/v1/deadlines/{}", id_of(&deadline)),
            "\"1\"",
            json!({"project_id": null}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{unlinked}");
    assert_eq!(unlinked["project_id"], Value::Null);
    Ok(())
}

#[tokio::test]
async fn a_quarterly_report_is_a_series_whose_occurrences_each_have_their_own_status() -> TestResult
{
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    // 31 March 2027, 17:00 in Paris, every quarter until the end of the year.
    let (status, first) = app
        .send(
            &editor,
            Method::POST,
            "/v1/deadlines",
            Some(json!({
            "title": "Rapport trimestriel", "due_at": "2027-03-31T17:00:00+02:00",
            "recurrence": {"frequency": "quarterly", "until": "2027-12-31"}})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["occurrence"], 1);
    assert_eq!(first["recurrence"], "quarterly");
    let series = first["series_id"].as_str().unwrap_or_default().to_owned();
    let (_, listed) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/deadlines?series_id={series}"),
            None,
        )
        .await?;
    let due: Vec<&str> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["due_at"].as_str())
        .collect();
    assert_eq!(
        due,
        [
            "2027-03-31T15:00:00Z",
            "2027-06-30T15:00:00Z",
            "2027-09-30T15:00:00Z",
            // Winter time: 17:00 in Paris is 16:00 UTC.
            "2027-12-31T16:00:00Z"
        ]
    );
    let events: i64 = sqlx::query_scalar("select count(*) from outbox")
        .fetch_one(&app.db.owner)
        .await?;
    assert_eq!(events, 4, "each occurrence is announced, to be reminded of");

    // Submitting the first leaves the others to do.
    let (status, submitted) = app
        .patch(
            &editor,
            &format!("/v1/deadlines/{}", id_of(&first)),
            "\"1\"",
            json!({"status": "submitted"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    let (_, upcoming) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/deadlines?series_id={series}&status=upcoming"),
            None,
        )
        .await?;
    assert_eq!(upcoming["items"].as_array().map(Vec::len), Some(3));

    // Renaming the second "and the following" renames the third and fourth, not the first.
    let second = &listed["items"][1];
    let (status, _) = app
        .patch(
            &editor,
            &format!("/v1/deadlines/{}?scope=following", id_of(second)),
            "\"1\"",
            json!({"title": "Rapport à la Région"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (_, renamed) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/deadlines?series_id={series}"),
            None,
        )
        .await?;
    let titles: Vec<&str> = renamed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Rapport trimestriel",
            "Rapport à la Région",
            "Rapport à la Région",
            "Rapport à la Région"
        ]
    );

    // Deleting the third "and the following" ends the series there.
    let third = &listed["items"][2];
    let (status, _) = app
        .send(
            &editor,
            Method::DELETE,
            &format!("/v1/deadlines/{}?scope=following", id_of(third)),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, left) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/deadlines?series_id={series}"),
            None,
        )
        .await?;
    assert_eq!(left["items"].as_array().map(Vec::len), Some(2));
    let deletions: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'delete' and record_type = 'deadline'",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(deletions, 2, "each deleted occurrence is in the audit log");
    Ok(())
}

#[tokio::test]
async fn a_bad_recurrence_names_its_field_and_writes_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for (recurrence, field) in [
        (
            json!({"frequency": "weekly", "count": 4}),
            "recurrence.frequency",
        ),
        (json!({"frequency": "monthly"}), "recurrence"),
        (
            json!({"frequency": "monthly", "count": 1000}),
            "recurrence.count",
        ),
        (
            json!({"frequency": "monthly", "until": "2060-01-01"}),
            "recurrence.until",
        ),
        (
            json!({"frequency": "dates", "dates": []}),
            "recurrence.dates",
        ),
    ] {
        let (status, problem) = app
            .send(&editor, Method::POST, "/v1/deadlines", Some(json!({
                "title": "Rapport", "due_at": "2027-03-31T17:00:00+02:00", "recurrence": recurrence})))
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    assert_eq!(app.db.count("reporting_deadlines").await?, 0);
    assert_eq!(app.db.count("deadline_series").await?, 0);
    Ok(())
}

#[tokio::test]
async fn several_members_answer_for_a_deadline_and_only_members_can() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let colleague = app.member_of(editor.tenant_id, Role::Viewer).await?;
    let outsider = app.actor("asso-b", Role::Editor).await?;
    let (status, deadline) = app
        .send(
            &editor,
            Method::POST,
            "/v1/deadlines",
            Some(json!({
            "title": "Bilan annuel", "due_at": "2027-06-30T17:00:00+02:00",
            "responsible_user_ids": [editor.user_id, colleague.user_id]})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{deadline}");
    let mut expected = [editor.user_id, colleague.user_id];
    expected.sort();
    assert_eq!(deadline["responsible_user_ids"], json!(expected));

    let (_, mine) = app
        .send(
            &editor,
            Method::GET,
            &format!("/v1/deadlines?responsible_user_id={}", colleague.user_id),
            None,
        )
        .await?;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));

    let path = format!("/v1/deadlines/{}", id_of(&deadline));
    for (ids, why) in [
        (json!([outsider.user_id]), "a member of another tenant"),
        (json!([]), "no one"),
    ] {
        let (status, problem) = app
            .patch(
                &editor,
                &path,
                "\"1\"",
                json!({"responsible_user_ids": ids}),
            )
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "responsible_user_ids");
    }
    let (status, handed_over) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"responsible_user_ids": [colleague.user_id]}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{handed_over}");
    assert_eq!(
        handed_over["responsible_user_ids"],
        json!([colleague.user_id])
    );
    let audited: Value = sqlx::query_scalar(
        "select before -> 'responsible_user_ids' from audit_log where action = 'update'",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(
        audited,
        json!(expected),
        "the audit log keeps who answered before"
    );
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
        let (_, person) = app
            .send(
                &editor,
                Method::POST,
                "/v1/people",
                Some(json!({"family_name": family})),
            )
            .await?;
        let (status, _) = app
            .send(
                &editor,
                Method::PUT,
                &format!("/v1/people/{}/tags", id_of(&person)),
                Some(json!({"tags": tags})),
            )
            .await?;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, org) = app
        .send(
            &editor,
            Method::POST,
            "/v1/organisations",
            Some(json!({"name": "Amicale", "kind": "association"})),
        )
        .await?;
    app.send(
        &editor,
        Method::PUT,
        &format!("/v1/organisations/{}/tags", id_of(&org)),
        Some(json!({"tags": ["Bénévole"]})),
    )
    .await?;

    let (status, volunteers) = app
        .send(
            &editor,
            Method::GET,
            "/v1/people?tag=b%C3%A9n%C3%A9vole",
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{volunteers}");
    let names: Vec<&str> = volunteers["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["family_name"].as_str())
        .collect();
    assert_eq!(names, ["Bonnet"]);
    let (_, organisations) = app
        .send(
            &editor,
            Method::GET,
            "/v1/organisations?tag=B%C3%A9n%C3%A9vole",
            None,
        )
        .await?;
    assert_eq!(organisations["items"].as_array().map(Vec::len), Some(1));
    let (_, nobody) = app
        .send(&editor, Method::GET, "/v1/people?tag=inconnu", None)
        .await?;
    assert_eq!(nobody["items"], json!([]));

    // Projects filter by tag, and by owner ("mes projets").
    let colleague = app.member_of(editor.tenant_id, Role::Editor).await?;
    for (who, name, tags) in [
        (&editor, "Repair café", json!(["Bénévole"])),
        (&colleague, "Fête de quartier", json!([])),
    ] {
        let (status, project) = app
            .send(
                who,
                Method::POST,
                "/v1/projects",
                Some(json!({"name": name})),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{project}");
        let (status, _) = app
            .send(
                who,
                Method::PUT,
                &format!("/v1/projects/{}/tags", id_of(&project)),
                Some(json!({"tags": tags})),
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
    let (_, tagged) = app
        .send(
            &editor,
            Method::GET,
            "/v1/projects?tag=B%C3%89N%C3%89VOLE",
            None,
        )
        .await?;
    assert_eq!(project_names(&tagged), ["Repair café"]);
    let (_, theirs) = app
        .send(
            &editor,
            Method::GET,
            &format!(
                "/v1/projects?owner_user_id={}&sort=-updated_at",
                colleague.user_id
            ),
            None,
        )
        .await?;
    assert_eq!(project_names(&theirs), ["Fête de quartier"]);
    Ok(())
}

/// The string literals of this crate's sources that look like routes (`"/v1/…"`).
fn route_literals_in_sources() -> anyhow::Result<Vec<String>> {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, found)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path)?;
                for literal in source.split('"').skip(1).step_by(2) {
                    if literal.starts_with("/v1/") {
                        found.push(literal.to_owned());
                    }
                }
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    )?;
    Ok(found)
}

#[tokio::test]
async fn every_route_is_in_the_openapi_document_and_every_documented_route_answers() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;
    let response = app
        .http
        .get(format!("{}/v1/openapi.json", app.base))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await?;
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        document["openapi"]
    );
    let paths = document["paths"]
        .as_object()
        .ok_or_else(|| anyhow::anyhow!("no paths"))?;

    // Every route written in the sources is documented: a route added with plain axum
    // routing, past the documented router, fails here.
    for literal in route_literals_in_sources()? {
        // `format!` templates ("/v1/{collection}/{{id}}/tags") are expanded by the router.
        if literal.contains("{{") || literal == "/v1/openapi.json" {
            continue;
        }
        assert!(
            paths.contains_key(&literal),
            "{literal} is routed but missing from the OpenAPI document"
        );
    }
    for collection in ["people", "organisations", "partnerships", "projects"] {
        assert!(paths.contains_key(&format!("/v1/{collection}/{{id}}/tags")));
        assert!(paths.contains_key(&format!("/v1/{collection}/{{id}}/timeline")));
    }

    // Every documented operation is routed: called with unknown ids it answers from a
    // handler (a problem, or data), never the router's bare 404 or a 405.
    let mut operations = 0;
    for (path, item) in paths {
        let concrete: String = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    Uuid::new_v4().to_string()
                } else {
                    segment.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().into_iter().flat_map(|m| m.keys()) {
            let method: Method = method.to_uppercase().parse()?;
            let mut request = app
                .request(&admin, method.clone(), &concrete)?
                .header("if-match", "\"1\"");
            if [Method::POST, Method::PUT, Method::PATCH].contains(&method) {
                request = request.json(&json!({}));
            }
            let response = request.send().await?;
            let status = response.status();
            let is_problem = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/problem+json"));
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(
                status != StatusCode::NOT_FOUND || is_problem,
                "{method} {path} is documented but not routed"
            );
            operations += 1;
        }
    }
    assert!(operations >= 60, "only {operations} operations documented");
    Ok(())
}

/// A fingerprint of everything a tenant holds, table by table, read as the owner.
async fn fingerprint(app: &TestApp, tenant_id: Uuid) -> anyhow::Result<Vec<(String, String)>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_attribute a on a.attrelid = c.oid
         where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace and a.attname = 'tenant_id'
         order by 1",
    )
    .fetch_all(&app.db.owner)
    .await?;
    let mut prints = Vec::new();
    for table in tables {
        // The table names come from the catalog, not from input.
        let print: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select md5(string_agg(t::text, ',' order by t::text)) from {table} t where tenant_id = $1"
        )))
        .bind(tenant_id)
        .fetch_one(&app.db.owner)
        .await?;
        prints.push((table, print.unwrap_or_default()));
    }
    Ok(prints)
}

/// Every documented route, called by another tenant's owner with this tenant's ids:
/// 404 (or, for lists and searches, nothing of this tenant), and nothing changed.
#[tokio::test]
async fn every_route_called_with_another_tenants_ids_finds_nothing_and_changes_nothing()
-> TestResult {
    let app = TestApp::spawn().await?;
    let alice = app.actor("asso-a", Role::Owner).await?;
    let mallory = app.actor("asso-b", Role::Owner).await?;
    let create = |path: String, body: Value| {
        let app = &app;
        async move {
            let (status, created) = app.send(&alice, Method::POST, &path, Some(body)).await?;
            anyhow::ensure!(status == StatusCode::CREATED, "{path}: {created}");
            Ok::<String, anyhow::Error>(id_of(&created))
        }
    };
    let person = create(
        "/v1/people".into(),
        json!({"given_name": "Hélène", "family_name": "Secret"}),
    )
    .await?;
    let twin = create(
        "/v1/people".into(),
        json!({"given_name": "Helene", "family_name": "Secret"}),
    )
    .await?;
    let organisation = create(
        "/v1/organisations".into(),
        json!({"name": "Financeur Secret", "kind": "funder"}),
    )
    .await?;
    let organisation_twin = create(
        "/v1/organisations".into(),
        json!({"name": "Financeur Secret bis", "kind": "funder"}),
    )
    .await?;
    let partnership = create("/v1/partnerships".into(), json!({"title": "Convention secrète", "kind": "funding", "partners": [{"organisation_id": organisation}]})).await?;
    let project = create("/v1/projects".into(), json!({"name": "Projet secret"})).await?;
    let deadline = create("/v1/deadlines".into(), json!({"title": "Rapport secret", "due_at": "2030-06-30T17:00:00+02:00", "funder_id": organisation})).await?;
    let activity = create(
        "/v1/activities".into(),
        json!({"kind": "call", "subject": "Appel secret", "links": {"people": [person]}}),
    )
    .await?;
    let engagement = create("/v1/engagements".into(), json!({"kind": "donation", "person_id": person, "amount_cents": 5000, "occurred_on": "2026-01-01"})).await?;
    let affiliation = create(
        "/v1/affiliations".into(),
        json!({"person_id": person, "organisation_id": organisation, "role": "Trésorière"}),
    )
    .await?;
    let custom_field = create("/v1/custom-fields".into(), json!({"record_type": "person", "key": "quartier", "label": "Quartier", "field_type": "text"})).await?;
    let (status, _) = app
        .send(
            &alice,
            Method::POST,
            "/v1/tags",
            Some(json!({"name": "Secret"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let (_, tags) = app.send(&alice, Method::GET, "/v1/tags", None).await?;
    let tag = tags["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let evaluations = format!("/v1/partnerships/{partnership}/evaluations");
    let evaluation = create(evaluations, json!({"stage": "interim", "evaluated_on": "2026-06-30", "effectiveness_score": 3, "efficiency_score": 3, "impact_score": 3})).await?;
    assert!(!tag.is_empty(), "{tags}");
    let secrets = [
        &person,
        &twin,
        &organisation,
        &organisation_twin,
        &partnership,
        &project,
        &deadline,
        &activity,
        &engagement,
        &affiliation,
        &custom_field,
        &tag,
        &evaluation,
    ];

    let (_, document) = app
        .send(&alice, Method::GET, "/v1/openapi.json", None)
        .await?;
    let paths = document["paths"]
        .as_object()
        .ok_or_else(|| anyhow::anyhow!("no paths"))?;
    let before = fingerprint(&app, alice.tenant_id).await?;
    let mut checked = 0;
    for (path, item) in paths {
        let collection = path.split('/').nth(2).unwrap_or_default();
        let record = match collection {
            "people" => &person,
            "organisations" => &organisation,
            "partnerships" => &partnership,
            "projects" => &project,
            "deadlines" => &deadline,
            "activities" => &activity,
            "engagements" => &engagement,
            "affiliations" => &affiliation,
            "custom-fields" => &custom_field,
            "tags" => &tag,
            _ => &person,
        };
        let concrete = path
            .replace("{evaluation_id}", &evaluation)
            .replace("{id}", record);
        for method in item.as_object().into_iter().flat_map(|m| m.keys()) {
            let method: Method = method.to_uppercase().parse()?;
            // Bodies that would be valid in the caller's own tenant, so that only the
            // ids stand between the request and a change.
            // (The creations name this tenant's records: they must be refused.)
            let (body, links_records) = match (method.as_str(), path.as_str()) {
                ("POST", p) if p.ends_with("/merge") => (
                    Some(
                        json!({"duplicate_id": if collection == "people" { &twin } else { &organisation_twin }}),
                    ),
                    false,
                ),
                ("PUT", p) if p.ends_with("/tags") => (Some(json!({"tags": ["Volé"]})), false),
                ("PATCH", "/v1/tags/{id}") => (Some(json!({"name": "Volé"})), false),
                ("POST", "/v1/partnerships/{id}/evaluations") => (
                    Some(
                        json!({"stage": "interim", "evaluated_on": "2026-06-30", "effectiveness_score": 1, "efficiency_score": 1, "impact_score": 1}),
                    ),
                    false,
                ),
                ("POST", "/v1/affiliations") => (
                    Some(
                        json!({"person_id": person, "organisation_id": organisation, "role": "Intrus"}),
                    ),
                    true,
                ),
                ("POST", "/v1/engagements") => (
                    Some(
                        json!({"kind": "donation", "person_id": person, "amount_cents": 1, "occurred_on": "2026-01-01"}),
                    ),
                    true,
                ),
                ("POST", "/v1/activities") => (
                    Some(
                        json!({"kind": "note", "subject": "Intrus", "links": {"people": [person], "projects": [project]}}),
                    ),
                    true,
                ),
                ("POST", "/v1/deadlines") => (
                    Some(
                        json!({"title": "Intrus", "due_at": "2030-01-01T00:00:00Z", "funder_id": organisation, "project_id": project}),
                    ),
                    true,
                ),
                ("POST", "/v1/partnerships") => (
                    Some(
                        json!({"title": "Intrus", "kind": "funding", "partners": [{"organisation_id": organisation}]}),
                    ),
                    true,
                ),
                ("POST", "/v1/projects") => (
                    Some(
                        json!({"name": "Intrus", "partners": [{"organisation_id": organisation, "role": "x"}]}),
                    ),
                    true,
                ),
                ("POST" | "PATCH", _) => (Some(json!({})), false),
                _ => (None, false),
            };
            let mut request = app
                .request(&mallory, method.clone(), &concrete)?
                .header("if-match", "\"1\"");
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await?;
            let status = response.status();
            let text = response.text().await?;
            if path.contains('{') {
                assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {text}");
            } else if links_records {
                assert_eq!(
                    status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{method} {path} linked another tenant's records: {text}"
                );
            }
            for secret in secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{method} {path} leaks {secret}: {text}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} operations checked");
    assert_eq!(
        fingerprint(&app, alice.tenant_id).await?,
        before,
        "another tenant's calls changed this tenant's data"
    );
    // Mallory's searches and lists see nothing of Alice's.
    let (_, found) = app.search(&mallory, "secret").await?;
    assert!(!found.to_string().contains(&person));
    Ok(())
}

#[tokio::test]
async fn admins_set_the_reminder_policy_and_every_upcoming_deadline_is_planned_again() -> TestResult
{
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;
    let editor = app.member_of(admin.tenant_id, Role::Editor).await?;
    let (_, deadline) = app
        .send(
            &editor,
            Method::POST,
            "/v1/deadlines",
            Some(json!({"title": "Bilan", "due_at": "2030-06-30T17:00:00+02:00"})),
        )
        .await?;

    let (status, defaults) = app
        .send(&editor, Method::GET, "/v1/reminder-policy", None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(defaults["days_before"], json!([30, 7, 1]));
    assert_eq!(defaults["overdue_every_days"], 7);
    assert_eq!(defaults["escalate_after_days"], 14);
    assert_eq!(defaults["quiet_hours_start"], "20:00:00");
    assert_eq!(
        defaults["version"], 1,
        "every tenant starts with the defaults"
    );

    let change =
        json!({"days_before": [3, 15], "escalate_after_days": null, "send_at": "09:30:00"});
    let (status, _) = app
        .patch(&editor, "/v1/reminder-policy", "\"1\"", change.clone())
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "editors do not set the policy"
    );
    for (bad, field) in [
        (json!({"days_before": [0]}), "days_before"),
        (json!({"overdue_every_days": 400}), "overdue_every_days"),
        (json!({"escalate_after_days": 0}), "escalate_after_days"),
    ] {
        let (status, problem) = app
            .patch(&admin, "/v1/reminder-policy", "\"1\"", bad)
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let events_before: i64 = sqlx::query_scalar("select count(*) from outbox")
        .fetch_one(&app.db.owner)
        .await?;
    let (status, policy) = app
        .patch(&admin, "/v1/reminder-policy", "\"1\"", change.clone())
        .await?;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(policy["days_before"], json!([15, 3]));
    assert_eq!(policy["escalate_after_days"], Value::Null);
    assert_eq!(policy["send_at"], "09:30:00");
    assert_eq!(policy["version"], 2);
    let (status, _) = app
        .patch(&admin, "/v1/reminder-policy", "\"1\"", change)
        .await?;
    assert_eq!(status, StatusCode::CONFLICT, "a stale version is refused");

    let replanned: Vec<Uuid> =
        sqlx::query_scalar("select aggregate_id from outbox order by created_at, id offset $1")
            .bind(events_before)
            .fetch_all(&app.db.owner)
            .await?;
    assert_eq!(
        replanned,
        [id_of(&deadline).parse::<Uuid>()?],
        "the deadline is planned again"
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where record_type = 'reminder_policy' and before is not null and after is not null",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(audited, 1);
    Ok(())
}

#[tokio::test]
async fn each_member_chooses_how_they_are_reminded() -> TestResult {
    let app = TestApp::spawn().await?;
    let viewer = app.actor("asso-a", Role::Viewer).await?;
    let (status, defaults) = app
        .send(&viewer, Method::GET, "/v1/notification-preferences", None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(defaults, json!({"mode": "each", "version": 0}));
    let (status, problem) = app
        .patch(
            &viewer,
            "/v1/notification-preferences",
            "\"0\"",
            json!({"mode": "hourly"}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "mode");
    // Even a viewer sets their own.
    let (status, daily) = app
        .patch(
            &viewer,
            "/v1/notification-preferences",
            "\"0\"",
            json!({"mode": "daily"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{daily}");
    assert_eq!(daily, json!({"mode": "daily", "version": 1}));
    let (status, _) = app
        .patch(
            &viewer,
            "/v1/notification-preferences",
            "\"0\"",
            json!({"mode": "off"}),
        )
        .await?;
    assert_eq!(status, StatusCode::CONFLICT);
    // Someone else's choice is their own.
    let colleague = app.member_of(viewer.tenant_id, Role::Editor).await?;
    let (_, theirs) = app
        .send(
            &colleague,
            Method::GET,
            "/v1/notification-preferences",
            None,
        )
        .await?;
    assert_eq!(theirs["mode"], "each");
    Ok(())
}

#[tokio::test]
async fn names_are_listed_in_the_order_french_readers_expect() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for family_name in ["Zola", "étienne", "Eymard", "Écoffier", "dupont"] {
        let (status, created) = app
            .send(
                &editor,
                Method::POST,
                "/v1/people",
                Some(json!({ "family_name": family_name })),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }
    let (_, listing) = app.send(&editor, Method::GET, "/v1/people", None).await?;
    let names: Vec<&str> = listing["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["family_name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["dupont", "Écoffier", "étienne", "Eymard", "Zola"],
        "accents and case aside, not byte order"
    );
    Ok(())
}
