//! What every handler shares, handed to each by axum's `State`.

use std::sync::Arc;

use sqlx::PgPool;

use crate::core_client::CoreRecords;
use crate::login::OidcProvider;
use crate::rate_limit::RateLimiter;
use crate::session::SessionStore;
use crate::workspace_sign_in::WorkspaceSignIn;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub sessions: SessionStore,
    /// The platform's provider.
    pub oidc: Arc<OidcProvider>,
    /// The workspaces' own providers.
    pub workspace_sign_in: Arc<WorkspaceSignIn>,
    /// The client of core-records, which holds the tenant data.
    pub core: Arc<CoreRecords>,
    pub public_base_url: Arc<str>,
    pub rate_limiter: RateLimiter,
    /// Workspaces a person may make for themself (0: none).
    pub self_service_per_person: i64,
}
