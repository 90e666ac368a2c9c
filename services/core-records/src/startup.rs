use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use maillage_identity::IdentityKey;
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::Config;
use crate::records;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub identity_key: Arc<IdentityKey>,
}

/// Request bodies are forms of a few fields: anything bigger is a mistake or an attack.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    /// Builds the service and binds its port (port 0 picks a free one, for tests).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let pool =
            maillage_db::connect_lazy(&config.database_url, config.database_max_connections)?;
        let state = AppState {
            pool: pool.clone(),
            identity_key: Arc::new(IdentityKey::new(&config.internal_auth_secret)),
        };
        let api = records::router()
            .with_state(state)
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
        let router = maillage_runtime::with_request_tracing(api).merge(
            maillage_runtime::health_routes(move || {
                let pool = pool.clone();
                async move { maillage_db::ping(&pool).await }
            }),
        );
        let listener = TcpListener::bind(config.bind_addr).await?;
        Ok(Self { listener, router })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(maillage_runtime::shutdown_signal())
            .await
    }
}
