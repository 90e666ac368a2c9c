//! A workspace moved whole: exported through the platform API, imported into a new,
//! empty workspace through the same API, it holds the same records, links, history and
//! reminders, row for row; the search finds them there. An archive goes only into an
//! empty workspace, and a damaged one changes nothing.

use std::collections::BTreeSet;

use maillage_testkit::oidc::email_of;
use maillage_testkit::{Browser, eventually};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

mod common;

use common::Platform;

type TestResult = anyhow::Result<()>;

/// Tables the database makes again from the records as they go in (not loaded), and
/// the invitations, where the new workspace keeps its first owner's own.
const NOT_COMPARED: [&str; 4] = ["outbox", "search_terms", "search_vocabulary", "invitations"];

/// Each of a workspace's rows in `table`, as the export reads them, without the
/// workspace's id: what a moved workspace must hold the same.
async fn rows(platform: &Platform, slug: &str, table: &str) -> anyhow::Result<BTreeSet<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "select export_table_rows((select id from tenants where slug = $1), $2)",
    )
    .bind(slug)
    .bind(table)
    .fetch_all(&platform.db.owner)
    .await?;
    rows.iter()
        .map(|row| {
            let mut row: Value = serde_json::from_str(row)?;
            if let Some(row) = row.as_object_mut() {
                row.remove("tenant_id");
            }
            Ok(row.to_string())
        })
        .collect()
}

/// Uploads `archive` into the workspace `slug`.
async fn import(
    platform: &Platform,
    browser_cookie: &str,
    slug: &str,
    archive: Vec<u8>,
) -> anyhow::Result<(StatusCode, Value)> {
    let response = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/platform/workspaces/{slug}/import",
            platform.gateway
        ))
        .header(reqwest::header::COOKIE, browser_cookie)
        .header(reqwest::header::CONTENT_TYPE, "application/zip")
        .body(archive)
        .send()
        .await?;
    let status = response.status();
    Ok((status, response.json().await.unwrap_or(Value::Null)))
}

/// The console's import form, sent as a browser sends it (multipart), with `archive` or
/// without a file: the status and the page.
async fn upload(
    platform: &Platform,
    browser_cookie: &str,
    slug: &str,
    archive: Option<&[u8]>,
) -> anyhow::Result<(StatusCode, String)> {
    let boundary = "maillage-test-boundary";
    let mut body = format!("--{boundary}\r\n").into_bytes();
    match archive {
        Some(bytes) => {
            body.extend_from_slice(
                b"Content-Disposition: form-data; name=\"archive\"; filename=\"archive.zip\"\r\nContent-Type: application/zip\r\n\r\n",
            );
            body.extend_from_slice(bytes);
        }
        None => body.extend_from_slice(b"Content-Disposition: form-data; name=\"other\"\r\n\r\nx"),
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .post(format!(
            "{}/admin/workspaces/{slug}/import",
            platform.gateway
        ))
        .header(reqwest::header::COOKIE, browser_cookie)
        .header(
            reqwest::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await?;
    let status = response.status();
    Ok((status, response.text().await?))
}

#[tokio::test]
async fn an_exported_workspace_imported_into_an_empty_one_holds_the_same_rows() -> TestResult {
    let platform = Platform::start().await?;
    let notification = platform.start_notification().await?;
    platform.grant_platform_admin("camille").await?;
    let camille = Browser::new(&platform.gateway)?;
    let (_, cookie) = camille.login("camille", "/t/asso-demo/").await?;
    let api = "/api/v1/t/asso-demo";
    let create = |collection: &'static str, body: Value| {
        let camille = &camille;
        async move {
            let record = camille.create(&format!("{api}/{collection}"), body).await?;
            Ok::<String, anyhow::Error>(record["id"].as_str().unwrap_or_default().to_owned())
        }
    };
    let funder = create(
        "organisations",
        json!({"name": "Fondation Lumière", "kind": "funder"}),
    )
    .await?;
    let person = create(
        "people",
        json!({"family_name": "Girard", "given_name": "Noël", "emails": [{"address": "noel@exemple.fr", "label": "perso"}]}),
    )
    .await?;
    create(
        "affiliations",
        json!({"person_id": person, "organisation_id": funder, "role": "Trésorière"}),
    )
    .await?;
    let partnership = create(
        "partnerships",
        json!({"title": "Convention Lumière", "kind": "funding", "partners": [{"organisation_id": funder}]}),
    )
    .await?;
    let project = create(
        "projects",
        json!({"name": "Jardins partagés", "milestones": [{"phase": "Diagnostic", "title": "Réunion publique"}]}),
    )
    .await?;
    create(
        "deadlines",
        json!({"title": "Bilan annuel", "due_at": "2030-06-30T17:00:00+02:00", "funder_id": funder, "project_id": project, "partnership_id": partnership}),
    )
    .await?;
    create("activities", json!({"kind": "call", "subject": "Appel du trésorier", "links": {"people": [person], "projects": [project]}})).await?;
    create("engagements", json!({"kind": "donation", "person_id": person, "amount_cents": 5000, "occurred_on": "2026-01-01"})).await?;
    create("custom-fields", json!({"record_type": "person", "key": "quartier", "label": "Quartier", "field_type": "text"})).await?;
    let (status, _) = camille
        .api(
            Method::POST,
            &format!("{api}/tags"),
            Some(json!({"name": "bénévole"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    // The reminders of the deadline, planned: they move too.
    let planned = eventually(std::time::Duration::from_secs(15), || async {
        let count: i64 = sqlx::query_scalar("select count(*) from reminders")
            .fetch_one(&platform.db.owner)
            .await
            .ok()?;
        (count > 0).then_some(())
    })
    .await;
    assert!(planned.is_some(), "reminders planned");
    // Still while it moves: what is compared is what was exported.
    notification.abort();

    let archive = camille
        .get("/api/v1/platform/workspaces/asso-demo/export")
        .await?;
    assert_eq!(archive.status(), StatusCode::OK);
    let archive = archive.bytes().await?.to_vec();
    let (status, made) = camille
        .api(
            Method::POST,
            "/api/v1/platform/workspaces",
            Some(json!({"slug": "asso-copie", "name": "Association (copie)", "kind": "association",
                        "locale": "fr-FR", "time_zone": "Europe/Paris", "owner_email": email_of("camille")})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{made}");

    // A damaged archive changes nothing, and says so.
    for damaged in [
        b"not a zip at all".to_vec(),
        archive[..archive.len() / 2].to_vec(),
    ] {
        let (status, problem) = import(&platform, &cookie, "asso-copie", damaged).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(
            problem["type"]
                .as_str()
                .is_some_and(|t| t.ends_with("archive-invalid")),
            "{problem}"
        );
    }
    assert!(rows(&platform, "asso-copie", "people").await?.is_empty());

    let (status, report) = import(&platform, &cookie, "asso-copie", archive.clone()).await?;
    assert_eq!(status, StatusCode::OK, "{report}");
    let tables: Vec<String> = sqlx::query_scalar("select tenant_tables()")
        .fetch_all(&platform.db.owner)
        .await?;
    for table in tables
        .iter()
        .filter(|t| !NOT_COMPARED.contains(&t.as_str()))
    {
        assert_eq!(
            rows(&platform, "asso-copie", table).await?,
            rows(&platform, "asso-demo", table).await?,
            "{table} moved row for row"
        );
    }
    for table in [
        "people",
        "reminders",
        "activity_links",
        "memberships",
        "reminder_policies",
    ] {
        assert!(
            !rows(&platform, "asso-copie", table).await?.is_empty(),
            "{table} is not empty"
        );
    }
    // The search index is made again as the records go in.
    let found = camille.read("/api/v1/t/asso-copie/search?q=girard").await?;
    assert!(found.to_string().contains(&person), "{found}");

    // The same from the console: its form uploads the archive into an empty workspace.
    let (status, _) = camille
        .api(
            Method::POST,
            "/api/v1/platform/workspaces",
            Some(json!({"slug": "asso-console", "name": "Association (console)", "kind": "association",
                        "owner_email": email_of("camille")})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let form = camille
        .page("/admin/workspaces/asso-console/import")
        .await?;
    assert!(
        form.contains("enctype=\"multipart/form-data\"")
            && form.contains("<label for=\"archive\">")
    );
    let (status, page) = upload(&platform, &cookie, "asso-console", None).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("archive-error"), "no file chosen: {page}");
    let (status, _) = upload(&platform, &cookie, "asso-console", Some(&archive)).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        rows(&platform, "asso-console", "people").await?,
        rows(&platform, "asso-demo", "people").await?
    );

    // Into a workspace with records, never: nothing merges.
    let (status, problem) = import(&platform, &cookie, "asso-copie", archive).await?;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    let logged: Vec<String> = sqlx::query_scalar(
        "select action from platform_audit_log where target = 'asso-copie' order by at",
    )
    .fetch_all(&platform.db.owner)
    .await?;
    assert_eq!(logged, ["tenant.create", "tenant.import"]);
    Ok(())
}
