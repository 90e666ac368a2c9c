//! The headers every answer of the gateway carries, so that a browser confines what a
//! page may do: scripts, styles and frames from this site only, no MIME sniffing, no
//! referrer leaving the site, nothing cached of a tenant's pages or API answers, HTTPS
//! pinned when the site is served over HTTPS.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::openapi::DOCS_PATH;

/// Two years, the value HSTS preload lists ask for.
const HSTS: &str = "max-age=63072000; includeSubDomains";
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
                           interest-cohort=(), browsing-topics=()";

/// The policy of every page. `form-action` names the provider too: logging out posts
/// to `/logout`, which redirects there, and browsers check form redirects.
fn content_security_policy(provider_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self' {provider_origin}"
    )
}

/// Swagger UI sets styles from its scripts: its pages alone may use inline styles.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                           img-src 'self' data:; connect-src 'self'; object-src 'none'; \
                           base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Adds the headers to every answer of `router` that does not set them itself (the
/// stylesheet and the calendar feed say how long they may be cached).
pub fn with_security_headers(router: Router, https: bool, provider_origin: &str) -> Router {
    let policy = HeaderValue::from_str(&content_security_policy(provider_origin)).ok();
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, Some(HeaderValue::from_static(value)))
    };
    let layers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            policy,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS,
        ))
        .layer(set(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            https.then(|| HeaderValue::from_static(HSTS)),
        ));
    router.layer(middleware::from_fn(docs_policy)).layer(layers)
}

async fn docs_policy(request: Request, next: Next) -> Response {
    let docs = request.uri().path().starts_with(DOCS_PATH);
    let mut response = next.run(request).await;
    if docs {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCS_POLICY),
        );
    }
    response
}
