//! A workspace moved whole: exported through the platform API, imported into a new,
//! empty workspace through the same API, it holds the same records, links, history and
//! reminders, row for row; the search finds them there. An archive goes only into an
//! empty workspace, and a damaged one changes nothing.

use std::collections::BTreeSet;

use maillage_testkit::oidc::email_of;
use maillage_testkit::pictures::ImageFormat;
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

/// The API's import into the workspace `slug`.
fn import_path(slug: &str) -> String {
    format!("/api/v1/platform/workspaces/{slug}/import")
}

const CONSOLE_IMPORT: &str = "/admin/workspaces/asso-console/import";

async fn status_and_page(response: reqwest::Response) -> anyhow::Result<(StatusCode, String)> {
    Ok((response.status(), response.text().await?))
}

#[tokio::test]
async fn an_exported_workspace_imported_into_an_empty_one_holds_the_same_rows() -> TestResult {
    let platform = Platform::start().await?;
    let notification = platform.start_notification().await?;
    platform.grant_platform_admin("camille").await?;
    let camille = Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
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
        json!({"family_name": "Girard", "given_name": "Noël", "emails": [{"address": "noel@exemple.fr", "label": "perso"}],
               "email_consent": true, "consent_basis": "consent", "consent_on": "2026-01-10"}),
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
    // Its logo too.
    let logo = maillage_testkit::pictures::picture(ImageFormat::Png, 200, 100)?;
    let (status, _) = camille
        .send_file(Method::PUT, &format!("{api}/settings/logo"), logo)
        .await?;
    assert_eq!(status, StatusCode::OK);
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
        let (status, problem) = camille
            .send_file(Method::POST, &import_path("asso-copie"), damaged)
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(
            problem["type"]
                .as_str()
                .is_some_and(|t| t.ends_with("archive-invalid")),
            "{problem}"
        );
    }
    assert!(rows(&platform, "asso-copie", "people").await?.is_empty());

    let (status, report) = camille
        .send_file(Method::POST, &import_path("asso-copie"), archive.clone())
        .await?;
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
        "consent_changes",
        "reminders",
        "activity_links",
        "memberships",
        "reminder_policies",
        "workspace_logos",
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
    let (status, page) = status_and_page(
        camille
            .upload(CONSOLE_IMPORT, "other", "notes.txt", b"x")
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("archive-error"), "no file chosen: {page}");
    // A file larger than a form is usually allowed reaches the archive's own checks.
    let (status, page) = status_and_page(
        camille
            .upload(
                CONSOLE_IMPORT,
                "archive",
                "archive.zip",
                &vec![b'x'; 3 << 20],
            )
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("n&#39;est pas l&#39;archive d&#39;un espace Maillage"),
        "{page}"
    );
    let (status, _) = status_and_page(
        camille
            .upload(CONSOLE_IMPORT, "archive", "archive.zip", &archive)
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        rows(&platform, "asso-console", "people").await?,
        rows(&platform, "asso-demo", "people").await?
    );

    // Into a workspace with records, never: nothing merges.
    let (status, problem) = camille
        .send_file(Method::POST, &import_path("asso-copie"), archive)
        .await?;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    let logged: Vec<String> = sqlx::query_scalar(
        "select action from platform_audit_log where target = 'asso-copie' order by at",
    )
    .fetch_all(&platform.db.owner)
    .await?;
    assert_eq!(logged, ["tenant.create", "tenant.import"]);
    Ok(())
}
