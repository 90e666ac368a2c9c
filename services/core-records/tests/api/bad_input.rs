//! Input of every malformed kind gets a problem (application/problem+json) naming what
//! is wrong, in French, and changes nothing: never plain text, never a 500.

use maillage_domain::Role;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{Actor, TestApp, TestResult, urlencode};

/// Sends a raw request; its status, `Allow` header and problem body, after checking that
/// the answer is a problem.
async fn problem_of(
    app: &TestApp,
    actor: &Actor,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> anyhow::Result<(StatusCode, Option<String>, Value)> {
    let mut request = app.request(actor, method.clone(), path)?;
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await?;
    let status = response.status();
    let allow = response
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await?;
    assert_eq!(
        content_type, "application/problem+json",
        "{method} {path} answered {status} with {content_type:?}: {text}"
    );
    assert!(
        status.is_client_error(),
        "{method} {path} answered {status}: {text}"
    );
    Ok((status, allow, serde_json::from_str(&text)?))
}

#[tokio::test]
async fn a_nul_character_in_any_text_is_refused_naming_the_field() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;

    for (collection, body, field) in [
        (
            "people",
            json!({"family_name": "Du\u{0}pont"}),
            "family_name",
        ),
        (
            "people",
            json!({"family_name": "Dupont", "notes": "a\u{0}"}),
            "notes",
        ),
        (
            "people",
            json!({"family_name": "Dupont", "emails": [{"address": "a@b.fr", "label": "\u{0}"}]}),
            "emails.0.label",
        ),
        (
            "organisations",
            json!({"name": "\u{0}", "kind": "funder"}),
            "name",
        ),
        (
            "deadlines",
            json!({"title": "Bilan\u{0}", "due_at": "2030-01-01T09:00:00+01:00"}),
            "title",
        ),
        ("tags", json!({"name": "bénévole\u{0}"}), "name"),
        (
            "activities",
            json!({"kind": "note", "subject": "x\u{0}", "occurred_at": "2030-01-01T09:00:00+01:00", "links": {}}),
            "subject",
        ),
        (
            "projects",
            json!({"name": "Jardins", "custom": {"x": "\u{0}"}}),
            "custom.x",
        ),
    ] {
        let (status, _, problem) = problem_of(
            &app,
            &editor,
            Method::POST,
            &format!("/v1/{collection}"),
            Some(body),
        )
        .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{collection}");
        assert_eq!(
            problem["errors"][0]["field"], field,
            "{collection}: {problem}"
        );
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("caractère nul")),
            "{problem}"
        );
    }

    for query in [
        "/v1/search?q=du%00pont",
        "/v1/people?tag=%00",
        "/v1/people?a%00=1",
    ] {
        let (status, _, problem) = problem_of(&app, &editor, Method::GET, query, None).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(problem["type"], "/problems/invalid-query", "{query}");
    }

    for table in [
        "people",
        "organisations",
        "reporting_deadlines",
        "tags",
        "activities",
        "projects",
        "audit_log",
        "outbox",
    ] {
        assert_eq!(app.db.count(table).await?, 0, "{table} must stay empty");
    }
    Ok(())
}

#[tokio::test]
async fn names_that_show_nothing_or_reorder_what_follows_are_refused() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;

    for (name, message) in [
        ("\u{200B}", "est obligatoire"),
        ("\u{FEFF}\u{200B}\u{2060} ", "est obligatoire"),
        ("Dupont\u{202E}tnopuD", "sens d'affichage"),
        ("\u{2067}Dupont", "sens d'affichage"),
        ("Du\u{1b}[31mpont", "caractère de contrôle"),
    ] {
        let (status, _, problem) = problem_of(
            &app,
            &editor,
            Method::POST,
            "/v1/people",
            Some(json!({"family_name": name})),
        )
        .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert_eq!(problem["errors"][0]["field"], "family_name");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{name:?}: {problem}"
        );
    }
    assert_eq!(app.db.count("people").await?, 0);

    // Invisible characters around a real name are trimmed, not stored.
    let person = app
        .person(
            &editor,
            json!({"family_name": "\u{FEFF}Écoffier\u{200B}", "given_name": "Zoé"}),
        )
        .await?;
    assert_eq!(person["family_name"], "Écoffier");
    Ok(())
}

#[tokio::test]
async fn malformed_paths_and_query_strings_are_problems_not_plain_text() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;

    // An id that is not one names nothing: 404, as for an id that is not there.
    for path in [
        "/v1/people/not-a-uuid",
        "/v1/organisations/123",
        "/v1/deadlines/%00",
    ] {
        let (status, _, problem) = problem_of(&app, &editor, Method::GET, path, None).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(problem["type"], "/problems/not-found");
    }
    let (status, _, _) = problem_of(&app, &editor, Method::GET, "/v1/nothing-here", None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A parameter out of range, of the wrong type or unknown: 400 naming it.
    for (query, field) in [
        ("/v1/people?limit=99999999999999999999", "limit"),
        ("/v1/people?limit=ten", "limit"),
        (
            &format!("/v1/search?q={}&unknown=1", urlencode("dupont")),
            "unknown",
        ),
    ] {
        let (status, _, problem) = problem_of(&app, &editor, Method::GET, query, None).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {problem}");
        assert!(
            problem["errors"][0]["field"]
                .as_str()
                .is_some_and(|f| f.contains(field))
                || problem["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains(field)),
            "{query}: {problem}"
        );
    }

    // A known path with a method it does not take: 405, saying which it takes.
    let (status, allow, problem) =
        problem_of(&app, &editor, Method::DELETE, "/v1/search", None).await?;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(problem["type"], "/problems/method-not-allowed");
    assert!(
        allow.as_deref().is_some_and(|a| a.contains("GET")),
        "{allow:?}"
    );

    // A body that is not JSON at all, or not sent as JSON.
    let response = app
        .request(&editor, Method::POST, "/v1/people")?
        .header(header::CONTENT_TYPE, "text/plain")
        .body("family_name=Dupont")
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some("application/problem+json".as_bytes())
    );
    assert_eq!(app.db.count("people").await?, 0);
    Ok(())
}

#[tokio::test]
async fn what_serde_refuses_is_said_in_french_beside_the_field() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;

    for (body, field, message) in [
        (
            json!({"family_name": 5}),
            "family_name",
            "doit être du texte (reçu : un nombre entier)",
        ),
        (
            json!({"family_name": "Dupont", "nom": "x"}),
            "nom",
            "ce champ n'existe pas",
        ),
        (
            json!({"family_name": "Dupont", "emails": {"address": "a@b.fr"}}),
            "emails",
            "doit être une liste (reçu : un objet)",
        ),
        (
            json!({"family_name": "Dupont", "consent_on": "hier"}),
            "consent_on",
            "doit être une date",
        ),
    ] {
        let (status, _, problem) = problem_of(
            &app,
            &editor,
            Method::POST,
            "/v1/people",
            Some(body.clone()),
        )
        .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        let said = problem["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(said.starts_with(message), "{body}: {said}");
        assert!(!said.contains("expected"), "{said}");
    }
    let (status, _, problem) = problem_of(
        &app,
        &editor,
        Method::POST,
        "/v1/deadlines",
        Some(
            json!({"title": "Bilan", "due_at": "2030-06-30T12:00:00Z", "recurrence": {"count": 3}}),
        ),
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "recurrence.frequency");
    assert_eq!(problem["errors"][0]["message"], "est obligatoire");
    assert_eq!(app.db.count("people").await?, 0);
    assert_eq!(app.db.count("reporting_deadlines").await?, 0);
    Ok(())
}

/// What the OpenAPI document allows is accepted as it says: a whole number written
/// `4.0`, `after=` for the first page, a query with nothing to search; and a time of
/// day is read exactly as its pattern says.
#[tokio::test]
async fn requests_are_read_exactly_as_the_document_describes_them() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;

    let project = app.create(&admin, "/v1/projects", json!({"name": "Jardins", "budget_lines": [{"label": "Graines", "planned_cents": 12000.0}]})).await?;
    assert_eq!(project["budget"]["planned_cents"], 12000, "{project}");

    let page = app.read(&admin, "/v1/projects?after=").await?;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));

    for nothing_to_find in ["!!!", "   ", "—"] {
        let (status, found) = app.search(&admin, nothing_to_find).await?;
        assert_eq!(status, StatusCode::OK, "{nothing_to_find:?}: {found}");
        assert_eq!(found["items"], json!([]));
    }
    let (status, _, problem) = problem_of(
        &app,
        &admin,
        Method::GET,
        &format!("/v1/search?q={}", "a".repeat(201)),
        None,
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "q");

    let policy = app.read(&admin, "/v1/reminder-policy").await?;
    let version = format!("\"{}\"", policy["version"]);
    for loose in ["8:00", " 08:00", "08:00:60", "08:00:00.5"] {
        let (status, problem) = app
            .patch(
                &admin,
                "/v1/reminder-policy",
                &version,
                json!({"send_at": loose}),
            )
            .await?;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{loose:?}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], "send_at");
        assert_eq!(
            problem["errors"][0]["message"],
            "une heure au format HH:MM est attendue, par exemple 08:30"
        );
    }
    let (status, changed) = app
        .patch(
            &admin,
            "/v1/reminder-policy",
            &version,
            json!({"send_at": "07:45"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert!(
        changed["send_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("07:45")),
        "{changed}"
    );
    Ok(())
}

/// Every text the API stores is checked as text, wherever it sits in a body: a
/// partner's role, a part of the agreement, a choice of a custom field, a custom value.
#[tokio::test]
async fn control_characters_are_refused_in_every_text_of_a_body() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;
    let funder = app.organisation(&admin, "Région", "funder").await?;
    app.create(&admin, "/v1/custom-fields", json!({"record_type": "person", "key": "quartier", "label": "Quartier", "field_type": "text"})).await?;
    let control = "a\u{84}b";
    let funder_id = &funder["id"];
    for (collection, body, field) in [
        (
            "partnerships",
            json!({"title": "Contrat", "kind": "funding",
                   "partners": [{"organisation_id": funder_id, "role": control}]}),
            "partners.role",
        ),
        (
            "partnerships",
            json!({"title": "Contrat", "kind": "funding",
                   "partners": [{"organisation_id": funder_id}],
                   "agreement": {"purpose": control}}),
            "agreement.purpose",
        ),
        (
            "projects",
            json!({"name": "Jardins", "partners": [{"organisation_id": funder_id, "role": control}]}),
            "partners.role",
        ),
        (
            "custom-fields",
            json!({"record_type": "person", "key": "statut", "label": "Statut",
                   "field_type": "choice", "choices": ["ok", control]}),
            "choices",
        ),
        (
            "people",
            json!({"family_name": "Martin", "custom": {"quartier": control}}),
            "custom.quartier",
        ),
    ] {
        let (status, _, problem) = problem_of(
            &app,
            &admin,
            Method::POST,
            &format!("/v1/{collection}"),
            Some(body.clone()),
        )
        .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    for table in ["partnerships", "projects", "people"] {
        assert_eq!(app.db.count(table).await?, 0, "{table}");
    }
    Ok(())
}
