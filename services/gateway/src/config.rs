use std::net::SocketAddr;
use std::time::Duration;

use maillage_config::{ConfigError, base_url, optional, parsed_or, required, secret};
use secrecy::SecretString;

use crate::RateLimitConfig;

/// Everything the gateway reads from its environment (see `.env.example`).
#[derive(Clone)]
pub struct Config {
    /// Connects as the `maillage_gateway` role.
    pub database_url: String,
    pub database_max_connections: u32,
    pub redis_url: String,
    pub redis_namespace: String,
    pub bind_addr: SocketAddr,
    /// The URL people use to reach Maillage, e.g. `https://app.maillage.fr`. Cookies are
    /// `Secure` when it is https; the login callback is `{public_base_url}/auth/callback`.
    pub public_base_url: String,
    pub core_records_url: String,
    pub internal_auth_secret: SecretString,
    /// The platform's OpenID provider, exactly as it names itself (`iss`).
    pub oidc_issuer_url: String,
    pub oidc_client_id: String,
    pub oidc_client_secret: SecretString,
    pub session_ttl: Duration,
    pub rate_limits: RateLimitConfig,
    /// Requests served at once; more are refused with 503 (`GATEWAY_MAX_IN_FLIGHT`).
    pub max_in_flight: usize,
    /// Seals the client secrets of workspaces' own providers (`IDENTITY_SECRETS_KEY`: 32
    /// random bytes in base64). Without it, workspaces sign in through the platform's
    /// provider only.
    pub identity_secrets_key: Option<SecretString>,
    /// Development and tests: a workspace's provider may be on `http://` and on this
    /// machine (`WORKSPACE_ISSUERS_MAY_BE_LOCAL`, false). Never in production: a
    /// workspace owner would make the gateway call inside the operator's network.
    pub workspace_issuers_may_be_local: bool,
    /// Workspaces a person signed in through the platform's provider may make for
    /// themself (`SELF_SERVICE_WORKSPACES_PER_PERSON`; 0, the default: none, only
    /// platform admins make workspaces).
    pub self_service_workspaces_per_person: i64,
}

/// Twice core-records' own bound: pages and logins wait on Redis and the provider too.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 128;

/// `RATE_LIMIT_*`: requests allowed per window (0: no limit), the window, and whether a
/// reverse proxy's `X-Forwarded-For` names the client.
fn rate_limits() -> Result<RateLimitConfig, ConfigError> {
    let defaults = RateLimitConfig::default();
    Ok(RateLimitConfig {
        per_user: parsed_or("RATE_LIMIT_PER_USER", defaults.per_user)?,
        per_tenant: parsed_or("RATE_LIMIT_PER_TENANT", defaults.per_tenant)?,
        per_client: parsed_or("RATE_LIMIT_PER_CLIENT", defaults.per_client)?,
        window: Duration::from_secs(parsed_or(
            "RATE_LIMIT_WINDOW_SECONDS",
            defaults.window.as_secs(),
        )?),
        trust_forwarded_for: parsed_or(
            "RATE_LIMIT_TRUST_FORWARDED_FOR",
            defaults.trust_forwarded_for,
        )?,
    })
}

/// `IDENTITY_SECRETS_KEY`, when set: it must be a key (32 bytes in base64).
fn identity_secrets_key() -> Result<Option<SecretString>, ConfigError> {
    let Some(raw) = optional("IDENTITY_SECRETS_KEY") else {
        return Ok(None);
    };
    if crate::workspace_sign_in::SealingKey::from_base64(&raw).is_none() {
        return Err(ConfigError::Invalid {
            name: "IDENTITY_SECRETS_KEY",
            reason: "32 random bytes in base64 (openssl rand -base64 32)".into(),
        });
    }
    Ok(Some(SecretString::from(raw)))
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            database_url: required("GATEWAY_DATABASE_URL")?,
            database_max_connections: parsed_or("GATEWAY_DB_MAX_CONNECTIONS", 10)?,
            redis_url: required("REDIS_URL")?,
            redis_namespace: optional("REDIS_NAMESPACE").unwrap_or_else(|| "maillage".into()),
            bind_addr: parsed_or("GATEWAY_BIND", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            public_base_url: base_url("PUBLIC_BASE_URL", "http://127.0.0.1:8080")?,
            core_records_url: base_url("CORE_RECORDS_URL", "http://127.0.0.1:8081")?,
            internal_auth_secret: secret("INTERNAL_AUTH_SECRET", 32)?,
            oidc_issuer_url: required("OIDC_ISSUER_URL")?,
            oidc_client_id: required("OIDC_CLIENT_ID")?,
            oidc_client_secret: secret("OIDC_CLIENT_SECRET", 8)?,
            session_ttl: Duration::from_secs(parsed_or("SESSION_TTL_SECONDS", 12 * 3600)?),
            rate_limits: rate_limits()?,
            max_in_flight: parsed_or("GATEWAY_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT)?,
            identity_secrets_key: identity_secrets_key()?,
            workspace_issuers_may_be_local: parsed_or("WORKSPACE_ISSUERS_MAY_BE_LOCAL", false)?,
            self_service_workspaces_per_person: parsed_or("SELF_SERVICE_WORKSPACES_PER_PERSON", 0)?,
        })
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}
