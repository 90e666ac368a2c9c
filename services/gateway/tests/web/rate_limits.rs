//! Rate limits per user, per tenant and per client address, shared by every gateway
//! instance through Redis: over a budget, 429 with Retry-After; others go on.

use std::time::Duration;

use maillage_gateway::RateLimitConfig;
use reqwest::{StatusCode, header};

use crate::helpers::{Stack, TestResult};

/// Budgets small enough to exhaust in a test, over a window longer than any test.
fn limits(per_user: u32, per_tenant: u32, per_client: u32) -> RateLimitConfig {
    RateLimitConfig {
        per_user,
        per_tenant,
        per_client,
        window: Duration::from_secs(3600),
        trust_forwarded_for: false,
    }
}

fn retry_after(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

#[tokio::test]
async fn a_user_over_their_budget_waits_while_colleagues_go_on() -> TestResult {
    let stack = Stack::start_with(|config| config.rate_limits = limits(5, 1000, 1000)).await?;
    let camille = stack.editor().await?;
    for _ in 0..5 {
        let page = camille.get("/api/v1/t/asso-demo/people").await?;
        assert_eq!(page.status(), StatusCode::OK);
    }
    let refused = camille.get("/api/v1/t/asso-demo/people").await?;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&refused).unwrap_or_default();
    assert!((1..=3600).contains(&wait), "Retry-After: {wait}");
    assert_eq!(
        refused
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some("application/problem+json".as_bytes())
    );
    let page = camille.get("/t/asso-demo/").await?;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.text().await?.contains("Patientez"),
        "people get a page"
    );

    // A colleague in the same workspace has a budget of her own.
    let sacha = stack.viewer().await?;
    let page = sacha.get("/api/v1/t/asso-demo/people").await?;
    assert_eq!(page.status(), StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn a_tenant_over_its_budget_waits_on_every_gateway_and_other_tenants_go_on() -> TestResult {
    let stack = Stack::start_with(|config| config.rate_limits = limits(1000, 6, 1000)).await?;
    // A second instance of the gateway, sharing Redis (and so sessions and budgets).
    let second = stack.another_gateway(|_| {}).await?;
    let camille = stack.browser()?;
    let (_, cookie) = camille.login("camille", "/t/asso-demo/").await?;
    let client = reqwest::Client::new();
    for (index, base) in [&stack.base, &second].repeat(3).into_iter().enumerate() {
        let page = client
            .get(format!("{base}/api/v1/t/asso-demo/people"))
            .header(header::COOKIE, &cookie)
            .send()
            .await?;
        assert_eq!(page.status(), StatusCode::OK, "request {index}");
    }
    for base in [&stack.base, &second] {
        let refused = client
            .get(format!("{base}/api/v1/t/asso-demo/people"))
            .header(header::COOKIE, &cookie)
            .send()
            .await?;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "{base}");
        assert!(retry_after(&refused).is_some());
    }

    // Another workspace is not slowed down by this one.
    let other = stack.db.create_tenant("autre-asso").await?;
    let sacha = stack
        .member_of(other, "autre-asso", "sacha", "editor")
        .await?;
    let page = sacha.get("/api/v1/t/autre-asso/people").await?;
    assert_eq!(page.status(), StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn requests_without_a_session_are_limited_per_client_address() -> TestResult {
    let stack = Stack::start_with(|config| config.rate_limits = limits(1000, 1000, 3)).await?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    for _ in 0..3 {
        let login = client.get(format!("{}/login", stack.base)).send().await?;
        assert_eq!(login.status(), StatusCode::SEE_OTHER);
    }
    let refused = client.get(format!("{}/login", stack.base)).send().await?;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&refused).is_some());
    Ok(())
}

#[tokio::test]
async fn anonymous_requests_to_a_tenants_address_do_not_spend_its_budget() -> TestResult {
    let stack = Stack::start_with(|config| config.rate_limits = limits(1000, 2, 1000)).await?;
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    for _ in 0..5 {
        let page = stranger
            .get(format!("{}/t/asso-demo/people", stack.base))
            .send()
            .await?;
        assert_eq!(page.status(), StatusCode::SEE_OTHER, "sent to the login");
    }
    let camille = stack.editor().await?;
    for _ in 0..2 {
        let page = camille.get("/api/v1/t/asso-demo/people").await?;
        assert_eq!(
            page.status(),
            StatusCode::OK,
            "the workspace's budget is whole"
        );
    }
    let refused = camille.get("/api/v1/t/asso-demo/people").await?;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    Ok(())
}
