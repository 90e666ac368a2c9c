//! What every service process shares: logs, request ids, health endpoints and a
//! graceful shutdown, the same way in every service.
//!
//! Every request gets a request id (kept from the `x-request-id` header the gateway
//! sends, or made here) and a span carrying it; handlers record `tenant_id` and
//! `user_id` into that span as soon as they know them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tracing_subscriber::EnvFilter;

mod allocator;
pub mod api;
mod shed;

pub use allocator::Allocator;
pub use shed::{RETRY_AFTER, Refusal, limit_in_flight};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Installs the global subscriber: JSON lines when `LOG_FORMAT=json` (production),
/// readable text otherwise. `RUST_LOG` filters, defaulting to `info`. Starts the
/// allocator's background purging (see `Allocator`).
pub fn init(service: &'static str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    // A second init (several services in one test process) is harmless: keep the first.
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
    tracing::info!(service, "telemetry initialised");
    allocator::return_memory_when_idle();
}

/// Wraps a router with request ids (set, propagated to the response) and a span per
/// request with `request_id`, `tenant_id` and `user_id` fields.
pub fn with_request_tracing(router: Router) -> Router {
    router
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let request_id = request
                    .extensions()
                    .get::<RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %request_id,
                    tenant_id = tracing::field::Empty,
                    user_id = tracing::field::Empty,
                )
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The request id of the current request, as set by [`with_request_tracing`].
pub fn request_id_of(extensions: &http::Extensions) -> String {
    extensions
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
        .to_owned()
}

/// Records who is acting into the current request span.
pub fn record_actor(tenant_id: &dyn std::fmt::Display, user_id: &dyn std::fmt::Display) {
    let span = tracing::Span::current();
    span.record("tenant_id", tracing::field::display(tenant_id));
    span.record("user_id", tracing::field::display(user_id));
}

type ReadinessCheck = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = bool> + Send>> + Send + Sync>;

/// `/healthz` (the process answers) and `/readyz` (its dependencies answer too).
pub fn health_routes<F, Fut>(ready: F) -> Router
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send + 'static,
{
    let check: ReadinessCheck = Arc::new(move || Box::pin(ready()));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/readyz",
            get(move || {
                let check = check.clone();
                async move {
                    if check().await {
                        (StatusCode::OK, "ready").into_response()
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response()
                    }
                }
            }),
        )
}

/// Resolves on Ctrl-C or SIGTERM, so that in-flight requests finish before exit.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// An HTTP service bound to its port (port 0 picks a free one, for tests), ready to
/// serve until SIGTERM or Ctrl-C.
pub struct HttpService {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl HttpService {
    pub async fn bind(addr: std::net::SocketAddr, router: Router) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        Ok(Self { listener, router })
    }

    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| std::net::SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Connection info (the client's address) for the extractors that want it.
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}
