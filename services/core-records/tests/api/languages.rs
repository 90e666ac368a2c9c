//! A refusal is worded in the language the request asks for (the gateway sends the
//! member's): the same bad input, refused in French without `Accept-Language` and in
//! English with it, names the same field, changes nothing either way.

use maillage_domain::Role;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{Actor, TestApp, TestResult};

/// The first refused field and its message, asked in `language` (none: the default).
async fn refusal(
    app: &TestApp,
    actor: &Actor,
    (method, path, body): &(Method, &str, Option<Value>),
    language: Option<&str>,
) -> anyhow::Result<(String, String)> {
    let mut request = app.request(actor, method.clone(), path)?;
    if let Some(language) = language {
        request = request.header(header::ACCEPT_LANGUAGE, language);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await?;
    let status = response.status();
    let problem: Value = response.json().await?;
    anyhow::ensure!(
        status == StatusCode::UNPROCESSABLE_ENTITY,
        "{method} {path}: {status} {problem}"
    );
    let error = &problem["errors"][0];
    Ok((
        error["field"].as_str().unwrap_or_default().to_owned(),
        error["message"].as_str().unwrap_or_default().to_owned(),
    ))
}

#[tokio::test]
async fn each_kind_of_refusal_is_worded_in_the_language_asked_for() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;
    app.create(&admin, "/v1/tags", json!({"name": "Jeunesse"}))
        .await?;
    let deadline = |recurrence: Value| {
        Some(
            json!({"title": "Rapport", "due_at": "2027-03-31T17:00:00+02:00",
                    "recurrence": recurrence}),
        )
    };
    let cases = [
        (
            (Method::GET, "/v1/people?sort=age", None),
            "sort",
            "must be name or -updated_at",
        ),
        (
            (Method::GET, "/v1/people?limit=0", None),
            "limit",
            "must be between 1 and 200",
        ),
        (
            (Method::GET, "/v1/organisations?after=garbage", None),
            "after",
            "invalid pagination cursor",
        ),
        (
            (
                Method::POST,
                "/v1/people",
                Some(json!({"family_name": "Dupont", "address": {"country": "Atlantide"}})),
            ),
            "address.country",
            "unknown country: give its name (France) or its two-letter ISO code (FR)",
        ),
        (
            (
                Method::POST,
                "/v1/people",
                Some(json!({"family_name": "Dupont", "emails": [
                    {"address": "a@b.fr", "primary": true}, {"address": "c@d.fr", "primary": true}]})),
            ),
            "emails",
            "only one entry can be the main one",
        ),
        (
            (
                Method::POST,
                "/v1/deadlines",
                deadline(json!({"frequency": "monthly", "count": 1000})),
            ),
            "recurrence.count",
            "must be between 2 and 120",
        ),
        (
            (
                Method::POST,
                "/v1/deadlines",
                deadline(json!({"frequency": "monthly"})),
            ),
            "recurrence",
            "give either until (last date) or count (number of deadlines)",
        ),
        (
            (Method::POST, "/v1/tags", Some(json!({"name": "jeunesse"}))),
            "name",
            "a tag of this name already exists",
        ),
        (
            (
                Method::POST,
                "/v1/custom-fields",
                Some(
                    json!({"record_type": "person", "key": "Bad Key", "label": "Champ",
                            "field_type": "text"}),
                ),
            ),
            "key",
            "lower-case letters, digits and _, starting with a letter (40 at most)",
        ),
    ];
    for (request, field, english) in &cases {
        let french = refusal(&app, &admin, request, None).await?;
        let asked_in_english = refusal(&app, &admin, request, Some("en-GB,en;q=0.9")).await?;
        let asked_in_french = refusal(&app, &admin, request, Some("fr-FR")).await?;
        assert_eq!(
            asked_in_english,
            ((*field).to_owned(), (*english).to_owned()),
            "{} {}",
            request.0,
            request.1
        );
        assert_eq!(french, asked_in_french, "{} {}", request.0, request.1);
        assert_eq!(french.0, *field);
        assert_ne!(
            french.1, *english,
            "{} {}: not French",
            request.0, request.1
        );
    }
    // Nothing was written by any refusal: the one tag made above, no person, no
    // deadline, no field.
    assert_eq!(app.db.count("tags").await?, 1);
    assert_eq!(app.db.count("people").await?, 0);
    assert_eq!(app.db.count("reporting_deadlines").await?, 0);
    assert_eq!(app.db.count("custom_fields").await?, 0);
    Ok(())
}
