//! A bound on the work a service holds at once. Each request in flight holds memory and,
//! soon, a database connection; past the bound a request is answered at once with 503
//! and `Retry-After` (load shedding) instead of queueing without limit, so that a flood
//! costs the machine a refusal, not its memory.

use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::limit::ConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower::{BoxError, ServiceBuilder};

/// How long a refused client is asked to wait.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// `router` serving at most `max_in_flight` requests at once; the others are refused.
pub fn limit_in_flight<S>(router: Router<S>, max_in_flight: usize) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(overloaded))
            .layer(LoadShedLayer::new())
            .layer(ConcurrencyLimitLayer::new(max_in_flight)),
    )
}

/// A problem for the API and other programs, a page for a browser; in French, like
/// every answer.
async fn overloaded(uri: Uri, headers: HeaderMap, _: BoxError) -> Response {
    let wants_page = !uri.path().starts_with("/api/")
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    let retry_after = (
        header::RETRY_AFTER,
        HeaderValue::from(RETRY_AFTER.as_secs()),
    );
    if wants_page {
        let page = "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\">\
            <title>Maillage est très sollicité</title>\
            <h1>Maillage est très sollicité</h1>\
            <p>Votre demande n'a pas pu être traitée tout de suite. Réessayez dans un instant.</p>";
        let html = (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return (StatusCode::SERVICE_UNAVAILABLE, [retry_after, html], page).into_response();
    }
    let problem = serde_json::json!({
        "type": "/problems/overloaded",
        "title": "Le service est très sollicité : réessayez dans un instant.",
        "status": 503,
    });
    let json = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [retry_after, json],
        problem.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};

    use super::overloaded;

    async fn refusal(path: &str, accept: &str) -> (StatusCode, String, String) {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(accept).unwrap_or(HeaderValue::from_static("*/*")),
        );
        let uri: Uri = path.parse().unwrap_or_default();
        let response = overloaded(uri, headers, "overloaded".into()).await;
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (response.status(), content_type, retry_after)
    }

    #[tokio::test]
    async fn a_browser_gets_a_page_and_a_program_a_problem_both_saying_when_to_retry() {
        let page = refusal("/t/asso/people", "text/html,application/xhtml+xml").await;
        assert_eq!(
            page,
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "text/html; charset=utf-8".into(),
                "1".into()
            )
        );
        for (path, accept) in [
            ("/api/v1/t/asso/people", "text/html"),
            ("/t/asso/people", "*/*"),
        ] {
            let problem = refusal(path, accept).await;
            assert_eq!(problem.1, "application/problem+json", "{path} {accept}");
            assert_eq!(problem.0, StatusCode::SERVICE_UNAVAILABLE);
        }
    }
}
