//! What every handler shares, handed to each by axum's `State`.

use std::sync::Arc;

use maillage_identity::IdentityKey;
use sqlx::PgPool;

use crate::records::imports::worker::Importers;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// Checks the signed identity the gateway sends with each request.
    pub identity_key: Arc<IdentityKey>,
    /// Wakes the importers when an import waits.
    pub importers: Importers,
}
