//! Signing in through the provider, and out: the session, its rotation, who may enter a
//! workspace.

use maillage_testkit::location;
use reqwest::{StatusCode, header};

use crate::helpers::{Stack, TestResult};

#[tokio::test]
async fn a_member_logs_in_through_the_provider_and_lands_in_the_workspace() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;

    // Not logged in: the workspace sends to the login.
    let response = browser.get("/t/asso-demo/").await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response)?.starts_with("/login?return_to="));

    browser.login("camille", "/t/asso-demo/").await?;
    let home = browser.get("/t/asso-demo/").await?;
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await?;
    assert!(html.contains("Association asso-demo"), "{html}");
    assert!(html.contains("Camille Martin"));

    // The invitation became a membership with its role.
    let role: String = sqlx::query_scalar(
        "select m.role from memberships m join users u on u.id = m.user_id where u.email = $1",
    )
    .bind("camille.martin@demo.maillage.test")
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(role, "editor");
    Ok(())
}

#[tokio::test]
async fn a_login_callback_with_a_wrong_or_replayed_state_is_refused() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    let (callback, _) = browser.login("camille", "/t/asso-demo/").await?;

    let fresh = stack.browser()?;
    let replayed = fresh.http.get(&callback).send().await?;
    assert_eq!(
        replayed.status(),
        StatusCode::BAD_REQUEST,
        "a callback works once"
    );
    assert!(replayed.text().await?.contains("expiré ou a déjà servi"));
    let forged = fresh.get("/auth/callback?code=abc&state=made-up").await?;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    let response = fresh.get("/t/asso-demo/").await?;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "neither attempt logged anyone in"
    );
    Ok(())
}

#[tokio::test]
async fn a_user_without_membership_sees_no_such_workspace() -> TestResult {
    let stack = Stack::start().await?;
    stack.db.create_tenant("autre-asso").await?;
    let camille = stack.editor().await?;
    for path in ["/t/autre-asso/", "/t/autre-asso/people", "/t/inexistante/"] {
        assert_eq!(
            camille.get(path).await?.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (status, problem) = camille
        .api(reqwest::Method::GET, "/api/v1/t/autre-asso/people", None)
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["type"], "/problems/not-found");

    let sacha = stack.browser()?;
    sacha.login("sacha", "/t/asso-demo/").await?;
    assert_eq!(
        sacha.get("/t/asso-demo/").await?.status(),
        StatusCode::NOT_FOUND
    );
    Ok(())
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_and_login_rotates_it() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    let (_, first) = browser.login("camille", "/t/asso-demo/").await?;
    let (_, second) = browser.login("camille", "/t/asso-demo/").await?;
    assert_ne!(first, second, "a new login gets a new session id");

    let stolen = |cookie: String| {
        let base = stack.base.clone();
        async move {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            Ok::<_, anyhow::Error>(
                client
                    .get(format!("{base}/t/asso-demo/"))
                    .header(header::COOKIE, cookie)
                    .send()
                    .await?
                    .status(),
            )
        }
    };
    assert_eq!(
        stolen(first).await?,
        StatusCode::SEE_OTHER,
        "the previous session died with the new login"
    );
    assert_eq!(stolen(second.clone()).await?, StatusCode::OK);

    browser.submit("/logout", &[]).await?;
    assert_eq!(
        stolen(second).await?,
        StatusCode::SEE_OTHER,
        "a copied cookie is useless after logout"
    );
    Ok(())
}
