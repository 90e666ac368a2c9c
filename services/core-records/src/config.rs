use std::net::SocketAddr;
use std::time::Duration;

use maillage_config::{ConfigError, optional, parsed_or, required, secret};
use secrecy::SecretString;

/// Everything core-records reads from its environment (see `.env.example`).
#[derive(Clone)]
pub struct Config {
    /// Connects as the `maillage_core` role.
    pub database_url: String,
    pub database_max_connections: u32,
    pub bind_addr: SocketAddr,
    /// Shared with the gateway, which signs the identities this service verifies.
    pub internal_auth_secret: SecretString,
    /// Requests served at once; more are refused with 503 (`CORE_RECORDS_MAX_IN_FLIGHT`).
    pub max_in_flight: usize,
    /// Where the importers are woken when an import waits (`{namespace}:imports`).
    pub redis_url: String,
    pub redis_namespace: String,
    /// How often the retention keeper looks for due purges
    /// (`CORE_RECORDS_RETENTION_LOOK_SECONDS`; each workspace's is done once a day).
    pub retention_look_every: Duration,
}

/// Each hour: a purge is due once a day, and an hour late is no matter.
pub const DEFAULT_RETENTION_LOOK_SECONDS: u64 = 3600;

/// A few times the database connections: enough to keep them all busy.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 64;

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            database_url: required("CORE_RECORDS_DATABASE_URL")?,
            database_max_connections: parsed_or("CORE_RECORDS_DB_MAX_CONNECTIONS", 10)?,
            bind_addr: parsed_or(
                "CORE_RECORDS_BIND",
                SocketAddr::from(([127, 0, 0, 1], 8081)),
            )?,
            internal_auth_secret: secret("INTERNAL_AUTH_SECRET", 32)?,
            max_in_flight: parsed_or("CORE_RECORDS_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT)?,
            redis_url: required("REDIS_URL")?,
            redis_namespace: optional("REDIS_NAMESPACE").unwrap_or_else(|| "maillage".into()),
            retention_look_every: Duration::from_secs(parsed_or(
                "CORE_RECORDS_RETENTION_LOOK_SECONDS",
                DEFAULT_RETENTION_LOOK_SECONDS,
            )?),
        })
    }
}
