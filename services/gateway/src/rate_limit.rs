//! Rate limits, shared by every gateway instance through Redis: per user (once logged
//! in), per tenant (whatever its members do together), and per client address for what
//! is asked without a session (the login, unsubscribe links, calendar feeds). One
//! tenant flooding the gateway exhausts its own budget, not another tenant's.
//!
//! Each budget is a sliding window kept as a Redis sorted set of request times: exact at
//! every instant (no burst at a window's edge), one round trip per budget checked. A
//! request over a budget gets 429 with `Retry-After`, the seconds until the oldest
//! request in the window leaves it. When Redis does not answer, requests go through
//! (and the failure is logged): the limits protect the service, they must not stop it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use maillage_problem::Problem;
use rand::RngCore;
use redis::aio::ConnectionManager;

use crate::session::{SESSION_COOKIE, SessionLookup};
use crate::state::AppState;

/// How many requests each budget allows per window (0: no limit).
#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    pub per_user: u32,
    pub per_tenant: u32,
    /// Requests without a session, per client address.
    pub per_client: u32,
    pub window: Duration,
    /// Behind a reverse proxy, the client is the first address of `X-Forwarded-For`
    /// (set only when the proxy overwrites that header).
    pub trust_forwarded_for: bool,
}

impl Default for RateLimitConfig {
    /// Far above what a person clicking through pages does (a page is one request),
    /// low enough that a runaway script is stopped within a minute.
    fn default() -> Self {
        Self {
            per_user: 600,
            per_tenant: 3000,
            per_client: 120,
            window: Duration::from_secs(60),
            trust_forwarded_for: false,
        }
    }
}

#[derive(Clone)]
pub struct RateLimiter {
    redis: ConnectionManager,
    namespace: String,
    config: RateLimitConfig,
    /// What this instance already refused, until when: a flood is then refused here,
    /// without a round trip to Redis per request (each instance learns of a budget spent
    /// elsewhere at its first refusal).
    refused_until: Arc<Mutex<HashMap<String, Instant>>>,
}

/// How long an already refused client waits for its next refusal.
const REFUSAL_PAUSE: Duration = Duration::from_millis(250);

/// Entries of `refused_until` past this many are swept of the expired ones.
const REFUSALS_KEPT: usize = 10_000;

/// Which budget a request is counted in.
enum Budget {
    User(String),
    Tenant(String),
    Client(String),
}

impl RateLimiter {
    pub fn new(redis: ConnectionManager, namespace: String, config: RateLimitConfig) -> Self {
        Self {
            redis,
            namespace,
            config,
            refused_until: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Seconds left of a refusal this instance made for one of `keys`, if any.
    fn still_refused(&self, keys: &[String]) -> Option<u64> {
        let now = Instant::now();
        let refused = self.refused_until.lock().ok()?;
        keys.iter()
            .filter_map(|key| refused.get(key))
            .filter(|until| **until > now)
            .map(|until| until.duration_since(now).as_secs().max(1))
            .max()
    }

    fn remember_refusal(&self, key: String, wait_seconds: u64) {
        let now = Instant::now();
        if let Ok(mut refused) = self.refused_until.lock() {
            if refused.len() >= REFUSALS_KEPT {
                refused.retain(|_, until| *until > now);
            }
            refused.insert(key, now + Duration::from_secs(wait_seconds));
        }
    }

    fn limit_of(&self, budget: &Budget) -> (u32, String) {
        let ns = &self.namespace;
        match budget {
            Budget::User(id) => (self.config.per_user, format!("{ns}:rate:user:{id}")),
            Budget::Tenant(slug) => (self.config.per_tenant, format!("{ns}:rate:tenant:{slug}")),
            Budget::Client(address) => (
                self.config.per_client,
                format!("{ns}:rate:client:{address}"),
            ),
        }
    }

    /// Counts the request in `budget`; `Some(seconds to wait)` when it is over.
    async fn over(&self, budget: &Budget) -> Result<Option<u64>, redis::RedisError> {
        let (limit, key) = self.limit_of(budget);
        if limit == 0 {
            return Ok(None);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or_default();
        let window = self.config.window.as_millis() as u64;
        let member = format!("{now}-{:x}", rand::rng().next_u64());
        let mut redis = self.redis.clone();
        let (count, oldest): (u64, Vec<(String, f64)>) = redis::pipe()
            .atomic()
            .zrembyscore(&key, 0, now.saturating_sub(window))
            .ignore()
            .zadd(&key, &member, now)
            .ignore()
            .zcard(&key)
            .zrange_withscores(&key, 0, 0)
            .pexpire(&key, window as i64)
            .ignore()
            .query_async(&mut redis)
            .await?;
        if count <= u64::from(limit) {
            return Ok(None);
        }
        let oldest = oldest.first().map(|(_, at)| *at as u64).unwrap_or(now);
        let wait_ms = (oldest + window).saturating_sub(now);
        Ok(Some(wait_ms.div_ceil(1000).max(1)))
    }
}

const API_PREFIX: &str = "/api/v1";

/// The tenant a path is about: `/t/{slug}/…` or `/api/v1/t/{slug}/…`.
fn tenant_of(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix(API_PREFIX)
        .unwrap_or(path)
        .strip_prefix("/t/")?;
    let slug = rest.split('/').next()?;
    (!slug.is_empty()).then_some(slug)
}

fn client_of(request: &Request, trust_forwarded_for: bool) -> String {
    let forwarded = trust_forwarded_for
        .then(|| request.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    forwarded
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Where a request came from (the forwarded address when the deployment trusts it), for
/// the handlers that log it.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

/// Who is asking and about which tenant, read from the request before any await (a
/// request's body cannot be held across one).
struct Asker {
    session_id: Option<String>,
    client: String,
    tenant: Option<String>,
}

impl Asker {
    fn of(request: &Request, trust_forwarded_for: bool) -> Self {
        Self {
            session_id: CookieJar::from_headers(request.headers())
                .get(SESSION_COOKIE)
                .map(|cookie| cookie.value().to_owned()),
            client: client_of(request, trust_forwarded_for),
            tenant: tenant_of(request.uri().path()).map(str::to_owned),
        }
    }
}

impl Asker {
    /// The keys of this instance's remembered refusals that apply to the request: its
    /// session (or its address without one), and its tenant.
    fn local_keys(&self) -> Vec<String> {
        let mut keys = vec![match &self.session_id {
            Some(id) => format!("session:{id}"),
            None => format!("client:{}", self.client),
        }];
        keys.extend(self.tenant.as_ref().map(|slug| format!("tenant:{slug}")));
        keys
    }
}

/// The budgets a request counts in, most specific first.
/// Also returns the session it looked up, for the handlers (see `SessionLookup`).
async fn budgets_of(state: &AppState, asker: Asker) -> (Vec<Budget>, Option<SessionLookup>) {
    let Asker {
        session_id,
        client,
        tenant,
    } = asker;
    let lookup = match session_id {
        Some(id) => match state.sessions.get(&id).await {
            Ok(data) => Some(SessionLookup { id, data }),
            Err(error) => {
                tracing::warn!(%error, "session lookup for the rate limits failed");
                None
            }
        },
        None => None,
    };
    // A tenant's budget counts only logged-in requests: anyone may type a tenant's
    // address, and anonymous requests to it do no work (they are sent to the login).
    let budgets = match lookup.as_ref().and_then(|l| l.data.as_ref()) {
        Some(session) => {
            let mut budgets = vec![Budget::User(session.user_id.to_string())];
            budgets.extend(tenant.map(Budget::Tenant));
            budgets
        }
        None => vec![Budget::Client(client)],
    };
    (budgets, lookup)
}

/// The middleware: counts the request in its budgets, stops at the first one over.
pub async fn limit_requests(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.uri().path().starts_with("/static/") {
        return next.run(request).await;
    }
    let limiter = &state.rate_limiter;
    let asker = Asker::of(&request, limiter.config.trust_forwarded_for);
    request
        .extensions_mut()
        .insert(ClientAddress(asker.client.clone()));
    let local_keys = asker.local_keys();
    if let Some(wait) = limiter.still_refused(&local_keys) {
        // A client asking again at once, ignoring Retry-After, waits a little for its
        // answer: a script retrying in a loop then costs next to nothing.
        tokio::time::sleep(REFUSAL_PAUSE).await;
        return too_many_requests(request.uri(), request.headers(), wait);
    }
    let (budgets, lookup) = budgets_of(&state, asker).await;
    for budget in budgets {
        match limiter.over(&budget).await {
            Ok(None) => {}
            Ok(Some(wait)) => {
                // Remembered under what the next request shows before any lookup: a
                // user's budget under the session (the first local key).
                let key = match &budget {
                    Budget::User(_) => local_keys.first().cloned(),
                    Budget::Tenant(slug) => Some(format!("tenant:{slug}")),
                    Budget::Client(address) => Some(format!("client:{address}")),
                };
                if let Some(key) = key {
                    limiter.remember_refusal(key, wait);
                }
                return too_many_requests(request.uri(), request.headers(), wait);
            }
            Err(error) => {
                tracing::warn!(%error, "rate limits unavailable: request let through");
                break;
            }
        }
    }
    if let Some(lookup) = lookup {
        request.extensions_mut().insert(lookup);
    }
    next.run(request).await
}

fn too_many_requests(
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
    wait_seconds: u64,
) -> Response {
    let problem = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-requests",
        "Trop de demandes en peu de temps. Patientez un instant avant de réessayer.",
    )
    .with_detail(format!("Réessayez dans {wait_seconds} s."));
    let mut response = crate::html_errors::problem_or_page(uri, headers, problem);
    if let Ok(value) = HeaderValue::from_str(&wait_seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{API_PREFIX, tenant_of};

    #[test]
    fn the_tenant_is_read_from_pages_and_api_paths() {
        let api = |rest: &str| format!("{API_PREFIX}{rest}");
        assert_eq!(tenant_of("/t/asso-demo/people"), Some("asso-demo"));
        assert_eq!(tenant_of("/t/asso-demo"), Some("asso-demo"));
        assert_eq!(tenant_of(&api("/t/mairie/deadlines")), Some("mairie"));
        assert_eq!(tenant_of(&api("/me")), None);
        assert_eq!(tenant_of("/login"), None);
        assert_eq!(tenant_of("/t//x"), None);
    }
}
