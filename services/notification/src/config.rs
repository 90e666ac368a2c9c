use std::net::SocketAddr;
use std::time::Duration;

use maillage_config::{ConfigError, base_url, optional, parsed_or, required};

/// Everything the notification service reads from its environment (see `.env.example`).
#[derive(Clone)]
pub struct Config {
    /// Connects as the `maillage_notification` role.
    pub database_url: String,
    pub database_max_connections: u32,
    pub redis_url: String,
    /// Prefix of this deployment's stream keys (tests use one each).
    pub redis_namespace: String,
    /// e.g. `smtp://127.0.0.1:1025` locally, `smtps://user:password@smtp.example.org` in production.
    pub smtp_url: String,
    pub mail_from: String,
    /// Where links in emails point: the gateway's public URL.
    pub public_base_url: String,
    pub bind_addr: SocketAddr,
    /// Unique per running instance: names this instance in the consumer groups.
    pub consumer_name: String,
    /// How often the outbox and the due reminders are looked at.
    pub poll_interval: Duration,
    /// An entry pending this long with a consumer is presumed abandoned and reclaimed.
    pub reclaim_after: Duration,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            database_url: required("NOTIFICATION_DATABASE_URL")?,
            database_max_connections: parsed_or("NOTIFICATION_DB_MAX_CONNECTIONS", 5)?,
            redis_url: required("REDIS_URL")?,
            redis_namespace: optional("REDIS_NAMESPACE").unwrap_or_else(|| "maillage".into()),
            smtp_url: required("SMTP_URL")?,
            mail_from: optional("MAIL_FROM")
                .unwrap_or_else(|| "Maillage <rappels@maillage.localhost>".into()),
            public_base_url: base_url("PUBLIC_BASE_URL", "http://127.0.0.1:8080")?,
            bind_addr: parsed_or(
                "NOTIFICATION_BIND",
                SocketAddr::from(([127, 0, 0, 1], 8082)),
            )?,
            consumer_name: optional("NOTIFICATION_CONSUMER_NAME")
                .unwrap_or_else(|| format!("notification-{}", uuid::Uuid::new_v4().simple())),
            poll_interval: Duration::from_millis(parsed_or("NOTIFICATION_POLL_MS", 1000)?),
            reclaim_after: Duration::from_secs(parsed_or("NOTIFICATION_RECLAIM_SECONDS", 60)?),
        })
    }
}
