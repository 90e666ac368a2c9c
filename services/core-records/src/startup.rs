use std::sync::Arc;

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::get;
use maillage_identity::IdentityKey;
use maillage_runtime::HttpService;

use crate::Config;
use crate::language;
use crate::records;
use crate::records::imports::{self, worker::Importers};
use crate::state::AppState;

/// Request bodies are forms of a few fields: anything bigger is a mistake or an attack.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Builds the service and binds its port (port 0 picks a free one, for tests):
/// `local_addr()` tells which, `run_until_stopped()` serves. `main` and tests start it so.
pub async fn build_app(config: Config) -> anyhow::Result<HttpService> {
    let pool = maillage_db::connect_lazy(&config.database_url, config.database_max_connections)?;
    let state = AppState {
        pool: pool.clone(),
        identity_key: Arc::new(IdentityKey::new(&config.internal_auth_secret)),
        importers: Importers::new(&config.redis_url, &config.redis_namespace),
    };
    imports::worker::spawn(
        pool.clone(),
        config.redis_url.clone(),
        config.redis_namespace.clone(),
    );
    records::privacy::keeper::spawn(pool.clone(), config.retention_look_every);
    let (records, openapi) = records::router().split("Maillage", env!("CARGO_PKG_VERSION"));
    let records = maillage_runtime::limit_in_flight(records, config.max_in_flight, |_, _| {
        maillage_problem::Problem::overloaded().into_response()
    });
    let api = records
        .route(
            "/v1/openapi.json",
            get(move || async move { Json(openapi) }),
        )
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(
            language::speak_the_readers_language,
        ));
    let router = maillage_problem::with_problem_fallbacks(
        maillage_runtime::with_request_tracing(api).merge(maillage_runtime::health_routes(
            move || {
                let pool = pool.clone();
                async move { maillage_db::ping(&pool).await }
            },
        )),
    );
    Ok(HttpService::bind(config.bind_addr, router).await?)
}
