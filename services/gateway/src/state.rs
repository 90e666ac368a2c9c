//! What every handler shares, handed to each by axum's `State`.

use std::sync::Arc;

use sqlx::PgPool;

use crate::core_client::CoreRecords;
use crate::login::OidcProvider;
use crate::rate_limit::RateLimiter;
use crate::session::SessionStore;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub sessions: SessionStore,
    pub oidc: Arc<OidcProvider>,
    /// The client of core-records, which holds the tenant data.
    pub core: Arc<CoreRecords>,
    pub public_base_url: Arc<str>,
    pub rate_limiter: RateLimiter,
}
