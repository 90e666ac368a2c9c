//! A bound on the work a service holds at once. Each request in flight holds memory and,
//! soon, a database connection; past the bound a request is answered at once with 503
//! and `Retry-After` (load shedding) instead of queueing without limit, so that a flood
//! costs the machine a refusal, not its memory.

use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::Response;
use tower::limit::ConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower::{BoxError, ServiceBuilder};

/// How long a refused client is asked to wait.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The answer a service gives a request it refuses: a problem, or a page for a person,
/// as the service answers its other errors.
pub type Refusal = fn(&Uri, &HeaderMap) -> Response;

/// `router` serving at most `max_in_flight` requests at once; the others get `refusal`,
/// with `Retry-After`.
pub fn limit_in_flight<S>(router: Router<S>, max_in_flight: usize, refusal: Refusal) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(
                move |uri: Uri, headers: HeaderMap, _: BoxError| async move {
                    with_retry_after(refusal(&uri, &headers))
                },
            ))
            .layer(LoadShedLayer::new())
            .layer(ConcurrencyLimitLayer::new(max_in_flight)),
    )
}

fn with_retry_after(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(RETRY_AFTER.as_secs()),
    );
    response
}

#[cfg(test)]
mod tests {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;

    use super::with_retry_after;

    #[test]
    fn a_refusal_says_when_to_come_back_and_keeps_what_it_is() {
        let refused = with_retry_after((StatusCode::SERVICE_UNAVAILABLE, "plein").into_response());
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            refused
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.as_bytes()),
            Some(&b"1"[..])
        );
        assert_eq!(
            refused
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(&b"text/plain; charset=utf-8"[..])
        );
    }
}
