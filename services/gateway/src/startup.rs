use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use maillage_identity::IdentityKey;
use maillage_runtime::HttpService;
use secrecy::ExposeSecret;

use crate::core_client::CoreRecords;
use crate::rate_limit::{self, RateLimiter};
use crate::session::SessionStore;
use crate::state::AppState;
use crate::workspace_sign_in::{SealingKey, WorkspaceSignIn};
use crate::{
    Config, Error, api, calendar, invitation_links, login, members, openapi, pages, platform,
    security_headers, unsubscribe, workspace_logo, workspace_settings, workspace_sign_in,
};

/// Builds the service and binds its port (port 0 picks a free one, for tests):
/// `local_addr()` tells which, `run_until_stopped()` serves. `main` and tests start it so.
pub async fn build_app(config: Config) -> anyhow::Result<HttpService> {
    let pool = maillage_db::connect_lazy(&config.database_url, config.database_max_connections)?;
    let redis = redis::Client::open(config.redis_url.as_str())?
        .get_connection_manager()
        .await?;
    let state = AppState {
        pool: pool.clone(),
        sessions: SessionStore::new(
            redis.clone(),
            config.redis_namespace.clone(),
            config.session_ttl,
            config.secure_cookies(),
        ),
        oidc: Arc::new(login::platform_provider(&config)?),
        workspace_sign_in: Arc::new(WorkspaceSignIn::new(
            config
                .identity_secrets_key
                .as_ref()
                .and_then(|key| SealingKey::from_base64(key.expose_secret())),
            config.workspace_issuers_may_be_local,
            &config.public_base_url,
        )),
        core: Arc::new(CoreRecords::new(
            config.core_records_url.clone(),
            IdentityKey::new(&config.internal_auth_secret),
        )?),
        public_base_url: config.public_base_url.clone().into(),
        rate_limiter: RateLimiter::new(
            redis.clone(),
            config.redis_namespace.clone(),
            config.rate_limits.clone(),
        ),
        self_service_per_person: config.self_service_workspaces_per_person.max(0),
    };
    let web = pages::router()
        .merge(login::router())
        .merge(unsubscribe::router())
        .merge(invitation_links::router())
        .merge(calendar::router())
        .merge(workspace_logo::image_router())
        .layer(middleware::from_fn(
            crate::html_errors::render_problems_as_pages,
        ));
    let (own_api, own_openapi) = api::router()
        .merge(members::router())
        .merge(platform::router())
        .merge(workspace_sign_in::router())
        .merge(workspace_settings::router())
        .merge(workspace_logo::router())
        .merge(pages::export_api_router())
        .split("Maillage", env!("CARGO_PKG_VERSION"));
    let app = web
        .merge(own_api)
        .merge(openapi::router(own_openapi))
        .merge(api::forwarding_router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit_requests,
        ))
        .with_state(state)
        .fallback(crate::html_errors::no_such_page)
        .method_not_allowed_fallback(crate::html_errors::method_not_allowed);
    let app = maillage_runtime::limit_in_flight(
        app,
        config.max_in_flight,
        crate::html_errors::overloaded,
    );
    let app = security_headers::with_security_headers(
        app,
        config.secure_cookies(),
        &origin_of(&config.oidc_issuer_url),
    );
    let router = maillage_runtime::with_request_tracing(app).merge(
        maillage_runtime::health_routes(move || {
            let (pool, mut redis) = (pool.clone(), redis.clone());
            async move {
                maillage_db::ping(&pool).await
                    && redis::cmd("PING")
                        .query_async::<String>(&mut redis)
                        .await
                        .is_ok()
            }
        }),
    );
    Ok(HttpService::bind(config.bind_addr, router).await?)
}

/// `scheme://host[:port]` of a URL, as CSP names a source; empty when it is no URL.
fn origin_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Refuses state-changing requests that a browser says come from another site. With
/// SameSite=Lax cookies this is a second lock on the same door. One-click unsubscribe
/// (RFC 8058) is exempt: webmails post it from their own origin, and its secret token,
/// not a session, is what authorises it.
async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && !request.uri().path().starts_with(unsubscribe::PATH_PREFIX);
    let foreign = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|origin| origin != &*state.public_base_url);
    if writes && foreign {
        return Error::CrossSiteRequest.into_response();
    }
    next.run(request).await
}
