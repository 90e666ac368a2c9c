//! Self-service: where the operator allows it, someone with no workspace makes their
//! organisation's and is its owner at once, within the number the operator sets; where
//! not, nobody but a platform admin makes one.

use maillage_testkit::location;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Stack, TestResult};

#[tokio::test]
async fn someone_makes_their_organisations_workspace_within_the_operators_limit() -> TestResult {
    let stack = Stack::start_with(|config| config.self_service_workspaces_per_person = 1).await?;
    let dominique = stack.browser()?;
    dominique.login("dominique", "/").await?;
    let home = dominique.page("/").await?;
    assert!(home.contains("/workspaces/new"), "{home}");

    let form = "/workspaces/new";
    assert!(dominique.page(form).await?.contains("Créer l&#39;espace"));
    let refused = dominique
        .post_form(
            form,
            &[
                ("name", ""),
                ("slug", "A B"),
                ("kind", "association"),
                ("time_zone", "Mars/Olympus"),
            ],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await?;
    for field in ["name-error", "slug-error", "time_zone-error"] {
        assert!(page.contains(field), "every refused field at once: {field}");
    }
    let made = dominique
        .post_form(
            form,
            &[
                ("name", "Les Amis du Quartier"),
                ("slug", "amis-du-quartier"),
                ("kind", "association"),
                ("time_zone", "Europe/Paris"),
            ],
        )
        .await?;
    assert_eq!(location(&made)?, "/t/amis-du-quartier/");
    let members = dominique.read("/api/v1/t/amis-du-quartier/members").await?;
    assert_eq!(members["members"][0]["role"], "owner", "{members}");
    assert!(
        members["pending_invitations"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let due: i64 =
        sqlx::query_scalar("select count(*) from invitations where email_due_at is not null")
            .fetch_one(&stack.db.owner)
            .await?;
    assert_eq!(due, 0, "no invitation email to oneself");

    // One per person here: a second is refused, and said so.
    let (status, problem) = dominique
        .api(
            Method::POST,
            "/api/v1/workspaces",
            Some(json!({"slug": "deuxieme", "name": "Deuxième", "kind": "other"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert!(
        problem["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("self-service-limit"))
    );
    let logged: Vec<(String, String)> = sqlx::query_as(
        "select actor, detail->>'self_service' from platform_audit_log where action = 'tenant.create'",
    )
    .fetch_all(&stack.db.owner)
    .await?;
    assert_eq!(
        logged,
        [(
            "dominique.bernard@demo.maillage.test".to_owned(),
            "true".to_owned()
        )]
    );
    Ok(())
}

#[tokio::test]
async fn where_the_operator_does_not_allow_it_nobody_makes_their_own() -> TestResult {
    let stack = Stack::start().await?;
    let dominique = stack.browser()?;
    dominique.login("dominique", "/").await?;
    assert!(!dominique.page("/").await?.contains("/workspaces/new"));
    assert_eq!(location(&dominique.get("/workspaces/new").await?)?, "/");
    let (status, problem) = dominique
        .api(
            Method::POST,
            "/api/v1/workspaces",
            Some(json!({"slug": "amis", "name": "Amis", "kind": "association"})),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(stack.db.count("tenants").await?, 1);
    Ok(())
}
