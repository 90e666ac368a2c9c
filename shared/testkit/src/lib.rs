//! What the tests of every crate share to run against real parts: a fresh PostgreSQL
//! database per test, a private Redis key space, an SMTP sink, an OpenID provider.
//!
//! Servers come from the environment (`DATABASE_URL`, `REDIS_URL`), as `make test`
//! sets them, defaulting to the local ones on their standard ports.

mod browser;
mod database;
pub mod faulty_oidc;
mod mail;
pub mod oidc;
pub mod pictures;
mod ports;
mod raw_http;

pub use browser::{Browser, location};
pub use database::TestDatabase;
pub use mail::{ReceivedEmail, SmtpSink};
pub use oidc::OidcProvider;
pub use ports::free_port;
pub use raw_http::{RawResponse, raw_request};

/// The Redis server the tests use.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A key prefix no other test shares, so that tests can run in parallel on one Redis.
pub fn unique_redis_namespace() -> String {
    format!("maillage-test-{}", uuid::Uuid::new_v4().simple())
}

/// A secret of the right length for the internal identity tokens.
pub const INTERNAL_SECRET: &str = "test-internal-secret-of-at-least-32-bytes";

/// Polls `check` until it returns `Some`, or gives up after `timeout`.
pub async fn eventually<T, F, Fut>(timeout: std::time::Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
