//! Who may do what: a tenant sees only its own records at every route, viewers only
//! read, forged identities are refused.

use maillage_domain::Role;
use maillage_identity::{IDENTITY_HEADER, IdentityKey, InternalIdentity};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, id_of};

#[tokio::test]
async fn one_tenant_cannot_read_change_or_delete_another_tenants_records() -> TestResult {
    let app = TestApp::spawn().await?;
    let alice = app.actor("asso-a", Role::Owner).await?;
    let mallory = app.actor("asso-b", Role::Owner).await?;

    let person = app.person(&alice, json!({"family_name": "Secret"})).await?;
    let funder = app.organisation(&alice, "Financeur A", "funder").await?;
    let deadline = app.create(&alice, "/v1/deadlines", json!({"title": "Rapport A", "due_at": "2030-06-30T17:00:00+02:00", "funder_id": funder["id"]})).await?;

    for path in [
        format!("/v1/people/{}", id_of(&person)),
        format!("/v1/organisations/{}", id_of(&funder)),
        format!("/v1/deadlines/{}", id_of(&deadline)),
    ] {
        let (status, _) = app.get(&mallory, &path).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "GET {path}");
        let (status, _) = app
            .patch(&mallory, &path, "\"1\"", json!({"notes": "pwned"}))
            .await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "PATCH {path}");
        let (status, _) = app.delete(&mallory, &path).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "DELETE {path}");
        let still_there = app.read(&alice, &path).await?;
        assert_eq!(still_there["version"], 1, "{path} must be unchanged");
    }
    for list in ["/v1/people", "/v1/organisations", "/v1/deadlines"] {
        let page = app.read(&mallory, list).await?;
        assert_eq!(
            page["items"],
            json!([]),
            "{list} of another tenant must be empty"
        );
    }
    // Nor can one point a record at another tenant's organisation.
    let (status, _) = app
        .post(
            &mallory,
            "/v1/deadlines",
            json!({"title": "Vol", "due_at": "2030-01-01T00:00:00Z", "funder_id": funder["id"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}

#[tokio::test]
async fn viewers_read_but_cannot_write_and_forged_identities_are_refused() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let viewer = app.member_of(editor.tenant_id, Role::Viewer).await?;
    let person = app
        .person(&editor, json!({"family_name": "Lefèvre"}))
        .await?;

    let (status, _) = app
        .get(&viewer, &format!("/v1/people/{}", id_of(&person)))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = app
        .post(&viewer, "/v1/people", json!({"family_name": "Intrus"}))
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, _) = app
        .delete(&viewer, &format!("/v1/people/{}", id_of(&person)))
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
            let (status, created) = app.post(&alice, &path, body).await?;
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
        .post(&alice, "/v1/tags", json!({"name": "Secret"}))
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let tags = app.read(&alice, "/v1/tags").await?;
    let tag = tags["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let evaluations = format!("/v1/partnerships/{partnership}/evaluations");
    let evaluation = create(evaluations, json!({"stage": "interim", "evaluated_on": "2026-06-30", "effectiveness_score": 3, "efficiency_score": 3, "impact_score": 3})).await?;
    assert!(!tag.is_empty(), "{tags}");
    let target = create(
        "/v1/targets".into(),
        json!({"name": "Cible secrète", "project_id": project}),
    )
    .await?;
    let stakeholder = create(
        format!("/v1/targets/{target}/stakeholders"),
        json!({"organisation_id": organisation, "today_ring": 2, "our_reasons": "Raison secrète"}),
    )
    .await?;
    let (_, sent) = app
        .send_file(&alice, "secret.csv", b"Nom\nSecret\n".to_vec())
        .await?;
    let import = id_of(&sent);
    app.import_when(&alice, &import, "checked").await?;
    let template = create(
        "/v1/import-templates".to_owned(),
        json!({"name": "Modèle secret", "import_id": import}),
    )
    .await?;
    let secrets = [
        &import,
        &template,
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
        &target,
        &stakeholder,
    ];

    let document = app.read(&alice, "/v1/openapi.json").await?;
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
            "targets" => &target,
            "imports" => &import,
            "import-templates" => &template,
            _ => &person,
        };
        let mut concrete = path
            .replace("{evaluation_id}", &evaluation)
            .replace("{stakeholder_id}", &stakeholder)
            .replace("{id}", record);
        if path.ends_with("/comparison") {
            concrete.push_str(&format!("?with={target}"));
        }
        // The names of this tenant's records, asked as duplicates of a new one.
        if path.ends_with("/similar") {
            concrete.push_str(if collection == "people" {
                "?given_name=H%C3%A9l%C3%A8ne&family_name=Secret"
            } else {
                "?name=financeur%20secret"
            });
        }
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
                ("POST", "/v1/targets") => (
                    Some(json!({"name": "Intrus", "project_id": project, "copy_from": target})),
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
