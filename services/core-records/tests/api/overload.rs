//! More requests than the service takes at once: the surplus is refused at once with
//! 503 and `Retry-After`, instead of waiting in memory without bound; the requests in
//! flight finish, and the service takes new ones as soon as they have.

use std::time::Duration;

use maillage_domain::Role;
use maillage_testkit::eventually;
use reqwest::{Method, StatusCode, header};
use serde_json::json;

use crate::helpers::{TestApp, TestResult};

#[tokio::test]
async fn past_its_bound_the_service_refuses_at_once_and_finishes_what_it_holds() -> TestResult {
    let app = TestApp::spawn_with(|config| config.max_in_flight = 2).await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let (status, _) = app
        .post(&editor, "/v1/people", json!({"family_name": "Martin"}))
        .await?;
    assert_eq!(status, StatusCode::CREATED);

    // Lists of people wait while the table is locked: two such requests hold the
    // service's whole capacity.
    let mut lock = app.db.owner.begin().await?;
    sqlx::query("lock table people in access exclusive mode")
        .execute(&mut *lock)
        .await?;
    let mut requests = Vec::new();
    for _ in 0..6 {
        let request = app.request(&editor, Method::GET, "/v1/people")?;
        requests.push(tokio::spawn(async move {
            let response = request.send().await?;
            let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
            let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
            let status = response.status();
            let body: serde_json::Value = response.json().await?;
            anyhow::Ok((status, retry_after, content_type, body))
        }));
    }
    let refused = eventually(Duration::from_secs(10), || {
        let done = requests.iter().filter(|r| r.is_finished()).count();
        async move { (done >= 4).then_some(done) }
    })
    .await;
    assert_eq!(refused, Some(4), "four answered while two are held");
    let mut held = Vec::new();
    for request in requests {
        if request.is_finished() {
            let (status, retry_after, content_type, body) = request.await??;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
            assert_eq!(retry_after.as_ref().map(|v| v.as_bytes()), Some(&b"1"[..]));
            assert_eq!(
                content_type.as_ref().map(|v| v.as_bytes()),
                Some(&b"application/problem+json"[..])
            );
            assert_eq!(body["type"], "/problems/overloaded");
        } else {
            held.push(request);
        }
    }
    assert_eq!(held.len(), 2);

    lock.commit().await?;
    for request in held {
        let (status, _, _, body) = request.await??;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["items"][0]["family_name"], "Martin");
    }
    let (status, _) = app.get(&editor, "/v1/people").await?;
    assert_eq!(status, StatusCode::OK, "capacity is back");
    Ok(())
}
