//! The platform console and the provisioning API: platform administrators make
//! workspaces (a retry changes nothing, a taken slug is refused, every bad field named
//! at once); no tenant admin nor member reaches them.

use maillage_testkit::oidc::email_of;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Stack, TestResult};

const WORKSPACES: &str = "/api/v1/platform/workspaces";

/// dominique, made a platform administrator the way `maillage-admin platform grant`
/// does, signed in.
async fn platform_admin(stack: &Stack) -> anyhow::Result<maillage_testkit::Browser> {
    sqlx::query("insert into platform_admins (email) values ($1)")
        .bind(email_of("dominique"))
        .execute(&stack.db.owner)
        .await?;
    let browser = stack.browser()?;
    browser.login("dominique", "/admin").await?;
    Ok(browser)
}

fn federation() -> Value {
    json!({
        "slug": "reseau-sud",
        "name": "Réseau Sud",
        "kind": "federation",
        "owner_email": email_of("sacha"),
    })
}

#[tokio::test]
async fn a_platform_admin_makes_a_workspace_whose_owner_then_signs_in_to_it() -> TestResult {
    let stack = Stack::start().await?;
    let admin = platform_admin(&stack).await?;

    let (status, made) = admin
        .api(Method::POST, WORKSPACES, Some(federation()))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(
        (
            &made["slug"],
            &made["kind"],
            &made["locale"],
            &made["time_zone"]
        ),
        (
            &json!("reseau-sud"),
            &json!("federation"),
            &json!("fr-FR"),
            &json!("Europe/Paris")
        )
    );
    assert_eq!(
        (&made["members"], &made["pending_invitations"]),
        (&json!(0), &json!(1))
    );

    // The same request again (a timeout, a double click): the same workspace, unchanged.
    let (status, again) = admin
        .api(Method::POST, WORKSPACES, Some(federation()))
        .await?;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["id"], made["id"]);
    // The same slug for another workspace: refused.
    let mut other = federation();
    other["name"] = json!("Réseau du Sud-Est");
    let (status, taken) = admin.api(Method::POST, WORKSPACES, Some(other)).await?;
    assert_eq!(status, StatusCode::CONFLICT, "{taken}");
    assert_eq!(taken["type"], "/problems/slug-taken");
    // Every bad field at once, nothing made.
    let (status, refused) = admin
        .api(
            Method::POST,
            WORKSPACES,
            Some(
                json!({"slug": "Réseau", "name": " ", "kind": "club", "locale": "de-DE",
                        "time_zone": "Mars/Olympus", "owner_email": "personne"}),
            ),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["slug", "name", "kind", "locale", "time_zone", "owner_email"]
    );
    let tenants: i64 = sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(tenants, 2, "asso-demo and reseau-sud, nothing more");

    // Listed with what it uses, found by part of its name in any case.
    let found = admin.read(&format!("{WORKSPACES}?q=SUD")).await?;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found["items"][0]["slug"], "reseau-sud");

    // Its owner signs in and is at home there.
    let owner = stack.browser()?;
    owner.login("sacha", "/t/reseau-sud/").await?;
    let home = owner.page("/t/reseau-sud/").await?;
    assert!(home.contains("Réseau Sud"), "{home}");
    let listed = admin.read(&format!("{WORKSPACES}?q=reseau-sud")).await?;
    assert_eq!(
        (
            &listed["items"][0]["members"],
            &listed["items"][0]["pending_invitations"]
        ),
        (&json!(1), &json!(0))
    );
    // What it stores, once the background has measured it (the notification service's
    // measurer; here, the database's function it calls).
    assert_eq!(
        listed["items"][0]["storage_bytes"],
        json!(null),
        "not measured yet"
    );
    sqlx::query("select measure_tenant_usage(now(), 10)")
        .execute(&stack.db.owner)
        .await?;
    let measured = admin.read(&format!("{WORKSPACES}?q=reseau-sud")).await?;
    assert!(
        measured["items"][0]["storage_bytes"]
            .as_i64()
            .is_some_and(|b| b > 0),
        "{measured}"
    );
    let console = admin.page("/admin").await?;
    assert!(
        console.contains(" o</td>") && !console.contains("à mesurer"),
        "{console}"
    );

    // One creation, in the platform audit log: who, what, from where.
    let logged: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "select actor, action, target, client_addr from platform_audit_log order by at, id",
    )
    .fetch_all(&stack.db.owner)
    .await?;
    assert_eq!(logged.len(), 1, "{logged:?}");
    let (actor, action, target, client) = &logged[0];
    assert_eq!(
        (actor.as_str(), action.as_str(), target.as_str()),
        (
            email_of("dominique").as_str(),
            "tenant.create",
            "reseau-sud"
        )
    );
    assert_eq!(client.as_deref(), Some("127.0.0.1"));
    Ok(())
}

#[tokio::test]
async fn the_console_lists_workspaces_and_makes_one_from_its_form() -> TestResult {
    let stack = Stack::start().await?;
    let admin = platform_admin(&stack).await?;
    let console = admin.page("/admin").await?;
    assert!(
        console.contains("asso-demo") && console.contains("Créer l&#39;espace"),
        "{console}"
    );

    let refused = admin
        .post_form(
            "/admin/workspaces",
            &[
                ("name", ""),
                ("slug", "x"),
                ("kind", "federation"),
                ("time_zone", "Europe/Paris"),
                ("owner_email", "nope"),
            ],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = refused.text().await?;
    assert!(
        form.contains("est obligatoire") && form.contains("adresse e-mail valide"),
        "{form}"
    );
    assert!(form.contains("value=\"nope\""), "what was typed is kept");

    let made = admin
        .submit(
            "/admin/workspaces",
            &[
                ("name", "Ville de Sète"),
                ("slug", "ville-de-sete"),
                ("kind", "municipality"),
                ("time_zone", "Europe/Paris"),
                ("owner_email", &email_of("sacha")),
            ],
        )
        .await?;
    assert_eq!(made, "/admin?created=ville-de-sete");
    let console = admin.page(&made).await?;
    assert!(console.contains("est créé"), "{console}");
    let found = admin.page("/admin?q=s%C3%A8te").await?;
    assert!(
        found.contains("Ville de Sète") && !found.contains("asso-demo"),
        "{found}"
    );
    Ok(())
}

#[tokio::test]
async fn no_tenant_admin_nor_member_reaches_the_console_or_the_provisioning_api() -> TestResult {
    let stack = Stack::start().await?;
    let owner = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "owner")
        .await?;
    let editor = stack.editor().await?;
    for browser in [&owner, &editor] {
        let (status, problem) = browser.api(Method::GET, WORKSPACES, None).await?;
        assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
        assert_eq!(problem["type"], "/problems/platform-only");
        let (status, _) = browser
            .api(Method::POST, WORKSPACES, Some(federation()))
            .await?;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let page = browser.get("/admin").await?;
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        let posted = browser
            .post_form(
                "/admin/workspaces",
                &[("name", "Intrus"), ("slug", "intrus")],
            )
            .await?;
        assert_eq!(posted.status(), StatusCode::FORBIDDEN);
    }
    let anonymous = stack.browser()?;
    let (status, _) = anonymous.api(Method::GET, WORKSPACES, None).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let tenants: i64 = sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(tenants, 1, "nothing was made");
    let status: String = sqlx::query_scalar("select status from tenants")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(status, "active", "nothing was suspended");
    Ok(())
}

#[tokio::test]
async fn a_suspended_workspace_tells_its_members_and_comes_back_as_it_was() -> TestResult {
    let stack = Stack::start().await?;
    let editor = stack.editor().await?;
    editor
        .create(
            "/api/v1/t/asso-demo/people",
            json!({"family_name": "Martin"}),
        )
        .await?;
    let admin = platform_admin(&stack).await?;

    let suspend = format!("{WORKSPACES}/asso-demo/suspend");
    let (status, suspended) = admin.api(Method::POST, &suspend, None).await?;
    assert_eq!(status, StatusCode::OK, "{suspended}");
    assert_eq!(suspended["status"], "suspended");
    // Said again: the same, and logged once.
    let (status, _) = admin.api(Method::POST, &suspend, None).await?;
    assert_eq!(status, StatusCode::OK);

    // Its members are told, in the pages and in the API.
    let page = editor.get("/t/asso-demo/people").await?;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let page = page.text().await?;
    assert!(page.contains("Cet espace est suspendu"), "{page}");
    let (status, problem) = editor
        .api(Method::GET, "/api/v1/t/asso-demo/people", None)
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["type"], "/problems/workspace-suspended");
    let (status, _) = admin
        .api(
            Method::POST,
            &format!("{WORKSPACES}/nulle-part/suspend"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Reactivated from the console: everything as it was.
    let back = admin
        .submit("/admin/workspaces/asso-demo/reactivate", &[])
        .await?;
    assert_eq!(back, "/admin?reactivated=asso-demo");
    assert!(admin.page(&back).await?.contains("de nouveau actif"));
    let people = editor.read("/api/v1/t/asso-demo/people").await?;
    assert_eq!(people["items"][0]["family_name"], "Martin");

    let actions: Vec<String> =
        sqlx::query_scalar("select action from platform_audit_log order by at, id")
            .fetch_all(&stack.db.owner)
            .await?;
    assert_eq!(actions, ["tenant.suspend", "tenant.reactivate"]);
    Ok(())
}

#[tokio::test]
async fn a_deletion_is_confirmed_waits_its_grace_period_and_can_be_cancelled() -> TestResult {
    let stack = Stack::start().await?;
    let editor = stack.editor().await?;
    let admin = platform_admin(&stack).await?;

    let confirm = admin.page("/admin/workspaces/asso-demo/delete").await?;
    assert!(
        confirm.contains("toutes ses données seront supprimées")
            && confirm.contains("value=\"30\""),
        "{confirm}"
    );
    let refused = admin
        .post_form(
            "/admin/workspaces/asso-demo/deletion",
            &[("grace_days", "bientôt")],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = admin
        .api(
            Method::POST,
            &format!("{WORKSPACES}/asso-demo/deletion"),
            Some(json!({"grace_days": 400})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let tenant_status: (String, Option<String>) = sqlx::query_as(
        "select status, deletion_due_at::text from tenants where slug = 'asso-demo'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(
        tenant_status,
        ("active".into(), None),
        "a refusal changes nothing"
    );

    let asked = admin
        .submit(
            "/admin/workspaces/asso-demo/deletion",
            &[("grace_days", "10")],
        )
        .await?;
    assert_eq!(asked, "/admin?deleting=asso-demo");
    let listed = admin.read(&format!("{WORKSPACES}?q=asso-demo")).await?;
    let workspace = &listed["items"][0];
    assert_eq!(workspace["status"], "suspended");
    let due: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(workspace["deletion_due_at"].clone())?;
    let days = (due - chrono::Utc::now()).num_hours() as f64 / 24.0;
    assert!((9.9..=10.1).contains(&days), "due in {days} days");
    // Meanwhile its members are told it is suspended; it cannot be reactivated as is.
    assert_eq!(
        editor.get("/t/asso-demo/").await?.status(),
        StatusCode::FORBIDDEN
    );
    let (status, problem) = admin
        .api(
            Method::POST,
            &format!("{WORKSPACES}/asso-demo/reactivate"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["type"], "/problems/deletion-pending");

    // Cancelled from the API, reactivated from the console: as it was.
    let (status, kept) = admin
        .api(
            Method::DELETE,
            &format!("{WORKSPACES}/asso-demo/deletion"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{kept}");
    assert_eq!(
        (&kept["status"], &kept["deletion_due_at"]),
        (&json!("suspended"), &Value::Null)
    );
    admin
        .submit("/admin/workspaces/asso-demo/reactivate", &[])
        .await?;
    assert_eq!(editor.get("/t/asso-demo/").await?.status(), StatusCode::OK);
    let actions: Vec<String> =
        sqlx::query_scalar("select action from platform_audit_log order by at, id")
            .fetch_all(&stack.db.owner)
            .await?;
    assert_eq!(
        actions,
        [
            "tenant.deletion-requested",
            "tenant.deletion-cancelled",
            "tenant.reactivate"
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_platform_admin_downloads_a_workspaces_whole_data_as_one_archive() -> TestResult {
    use std::io::Read;

    let stack = Stack::start().await?;
    let editor = stack.editor().await?;
    for family_name in ["Durand", "Zidane"] {
        editor
            .create(
                "/api/v1/t/asso-demo/people",
                json!({"family_name": family_name}),
            )
            .await?;
    }
    let admin = platform_admin(&stack).await?;
    let confirm = admin.page("/admin/workspaces/asso-demo/delete").await?;
    assert!(
        confirm.contains("/api/v1/platform/workspaces/asso-demo/export"),
        "the export is offered before a deletion: {confirm}"
    );

    let download = admin
        .get("/api/v1/platform/workspaces/asso-demo/export")
        .await?;
    assert_eq!(download.status(), StatusCode::OK);
    let header = |name: &str| {
        download
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("content-type").as_deref(), Some("application/zip"));
    assert!(
        header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment; filename=\"maillage-asso-demo-")),
        "{:?}",
        header("content-disposition")
    );
    let bytes = download.bytes().await?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut manifest = String::new();
    archive
        .by_name("manifest.json")?
        .read_to_string(&mut manifest)?;
    let manifest: Value = serde_json::from_str(&manifest)?;
    assert_eq!(manifest["workspace"]["slug"], "asso-demo");
    let people = manifest["tables"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["name"] == "people")
        .map(|t| t["rows"].clone());
    assert_eq!(people, Some(json!(2)));
    let mut sheet = String::new();
    archive.by_name("people.csv")?.read_to_string(&mut sheet)?;
    assert!(
        sheet.starts_with("id,family_name,given_name") && sheet.contains("Zidane"),
        "{sheet}"
    );

    let (status, _) = editor
        .api(
            Method::GET,
            "/api/v1/platform/workspaces/asso-demo/export",
            None,
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a workspace's own editor cannot export it here"
    );
    let (status, _) = admin
        .api(
            Method::GET,
            "/api/v1/platform/workspaces/nulle-part/export",
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let logged: Vec<String> =
        sqlx::query_scalar("select action from platform_audit_log order by at, id")
            .fetch_all(&stack.db.owner)
            .await?;
    assert_eq!(logged, ["tenant.export"]);
    Ok(())
}

#[tokio::test]
async fn the_console_speaks_its_administrators_language() -> TestResult {
    let stack = Stack::start().await?;
    let admin = platform_admin(&stack).await?;
    let french = admin.page("/admin").await?;
    assert!(
        french.contains(r#"<html lang="fr">"#) && french.contains("Espaces de travail"),
        "{french}"
    );
    sqlx::query("update users set locale = 'en' where email = $1")
        .bind(email_of("dominique"))
        .execute(&stack.db.owner)
        .await?;
    let english = admin.page("/admin").await?;
    assert!(english.contains(r#"<html lang="en">"#), "{english}");
    for words in [
        "Platform console",
        "Workspaces",
        "1 workspace",
        "Municipality or group of municipalities",
        "Create a workspace",
        "Time zone (reminders follow it)",
    ] {
        assert!(english.contains(words), "{words}: {english}");
    }
    // A refusal of the console's own, in English too.
    let delete = admin.page("/admin/workspaces/asso-demo/delete").await?;
    assert!(
        delete.contains("Delete the workspace") && delete.contains("Grace period"),
        "{delete}"
    );
    let refused = admin
        .post_form(
            "/admin/workspaces/asso-demo/deletion",
            &[("grace_days", "soon")],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await?;
    assert!(
        refused.contains("must be a number of days, from 1 to 365"),
        "{refused}"
    );
    let suspended = admin
        .submit("/admin/workspaces/asso-demo/suspend", &[])
        .await?;
    let console = admin.page(&suspended).await?;
    assert!(
        console.contains("The workspace asso-demo is suspended"),
        "{console}"
    );
    Ok(())
}
