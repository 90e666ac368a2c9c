//! What #14 calls done, as one journey on real parts (the three services, two OpenID
//! providers, an SMTP server): a platform admin creates a workspace for a new
//! association; its admin receives the invitation email and joins; the association
//! connects its own provider and its admin signs in there; the admin invites a colleague,
//! who receives the email and joins through the association's provider; later the
//! platform admin exports the workspace, suspends it and deletes it, and no row of it is
//! left in any tenant table.

use std::time::Duration;

use maillage_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, email_of};
use maillage_testkit::{Browser, OidcProvider, eventually, location};
use reqwest::{Method, StatusCode};
use serde_json::json;

mod common;

use common::{Platform, invitation_link};

type TestResult = anyhow::Result<()>;

#[tokio::test]
async fn a_workspace_is_made_joined_on_its_own_provider_exported_suspended_and_deleted()
-> TestResult {
    let platform = Platform::start().await?;
    let _notification = platform.start_notification().await?;
    platform.grant_platform_admin("camille").await?;
    let operator = Browser::new(&platform.gateway)?;
    operator.login("camille", "/admin").await?;

    // The platform admin makes the association's workspace; its admin-to-be is invited.
    let (status, made) = operator
        .api(
            Method::POST,
            "/api/v1/platform/workspaces",
            Some(
                json!({"slug": "jardins", "name": "Les Jardins partagés", "kind": "association",
                        "owner_email": email_of("dominique")}),
            ),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let tenant_id = made["id"].as_str().unwrap_or_default().to_owned();
    let link = invitation_link(&platform.invitations_to(&email_of("dominique"), 1).await?[0])?;
    let dominique = Browser::new(&platform.gateway)?;
    dominique.login("dominique", &link).await?;
    assert_eq!(location(&dominique.get(&link).await?)?, "/t/jardins/");

    // The association connects its own provider; its admin signs in there from now on.
    let own =
        OidcProvider::start(&format!("{}/auth/callback/{tenant_id}", platform.gateway)).await?;
    let (status, saved) = dominique
        .api(
            Method::PUT,
            "/api/v1/t/jardins/settings/sign-in",
            Some(json!({"label": "Connexion des Jardins", "issuer": own.issuer, "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET, "allowed_domains": ["demo.maillage.test"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let dominique = Browser::new(&platform.gateway)?;
    let (callback, _) = dominique.login("dominique", "/t/jardins/").await?;
    assert!(
        callback.contains(&format!("/auth/callback/{tenant_id}")),
        "{callback}"
    );
    let members = dominique.read("/api/v1/t/jardins/members").await?;
    assert!(
        members.to_string().contains("\"role\":\"owner\""),
        "{members}"
    );

    // The admin invites a colleague, who joins through the association's provider.
    let (status, invited) = dominique
        .api(
            Method::POST,
            "/api/v1/t/jardins/members/invitations",
            Some(json!({"email": email_of("sacha"), "role": "editor"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let link = invitation_link(&platform.invitations_to(&email_of("sacha"), 1).await?[0])?;
    let sacha = Browser::new(&platform.gateway)?;
    let (callback, _) = sacha.login("sacha", &link).await?;
    assert!(
        callback.contains(&format!("/auth/callback/{tenant_id}")),
        "{callback}"
    );
    assert_eq!(location(&sacha.get(&link).await?)?, "/t/jardins/");
    let (status, _) = sacha
        .api(
            Method::POST,
            "/api/v1/t/jardins/people",
            Some(json!({"family_name": "Girard"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "an editor of the workspace");

    // Later, the platform admin exports it, suspends it, and deletes it.
    let archive = operator
        .get("/api/v1/platform/workspaces/jardins/export")
        .await?;
    assert_eq!(archive.status(), StatusCode::OK);
    assert!(!archive.bytes().await?.is_empty());
    let (status, _) = operator
        .api(
            Method::POST,
            "/api/v1/platform/workspaces/jardins/suspend",
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = sacha
        .api(Method::GET, "/api/v1/t/jardins/people", None)
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["type"], "/problems/workspace-suspended");
    let (status, _) = operator
        .api(
            Method::POST,
            "/api/v1/platform/workspaces/jardins/deletion",
            Some(json!({"grace_days": 1})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    platform.clock.advance(chrono::Duration::days(2));
    let gone = eventually(Duration::from_secs(15), || async {
        let left: i64 = sqlx::query_scalar("select count(*) from tenants where slug = 'jardins'")
            .fetch_one(&platform.db.owner)
            .await
            .ok()?;
        (left == 0).then_some(())
    })
    .await;
    assert!(gone.is_some(), "deleted once its grace period is over");
    let tables: Vec<String> = sqlx::query_scalar("select tenant_tables()")
        .fetch_all(&platform.db.owner)
        .await?;
    for table in tables {
        // A table name the catalog gave, not text from outside.
        let left: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select count(*) from {table} where tenant_id = $1::uuid"
        )))
        .bind(&tenant_id)
        .fetch_one(&platform.db.owner)
        .await?;
        assert_eq!(left, 0, "{table} keeps nothing of the deleted workspace");
    }
    Ok(())
}
