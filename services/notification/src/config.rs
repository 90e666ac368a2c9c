use std::net::SocketAddr;
use std::time::Duration;

use maillage_config::{ConfigError, base_url, optional, parsed_or, required};
use secrecy::SecretString;

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
    /// How long a send's lease lasts; its process renews it (every third of it) while
    /// it talks to the SMTP server. A lease run out means the process is gone: the send
    /// is made again.
    pub send_lease: Duration,
    /// Emails one instance has in flight at once, each on a connection of its own to the
    /// SMTP server: an exchange mostly waits on the network, not on this process.
    pub sends_in_flight: usize,
    /// How often `/metrics`' gauges are read from PostgreSQL and Redis (a scrape serves
    /// the latest reading).
    pub metrics_interval: Duration,
    /// Signs outgoing emails when set (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE).
    pub dkim: Option<Dkim>,
}

/// What DKIM signing needs: the domain and selector under which the public key is
/// published in DNS (`{selector}._domainkey.{domain}`), and the RSA private key.
#[derive(Clone)]
pub struct Dkim {
    pub domain: String,
    pub selector: String,
    /// PKCS#1 PEM ("BEGIN RSA PRIVATE KEY").
    pub private_key_pem: SecretString,
}

impl Dkim {
    fn from_env() -> Result<Option<Self>, ConfigError> {
        let (domain, selector, key_file) = (
            optional("DKIM_DOMAIN"),
            optional("DKIM_SELECTOR"),
            optional("DKIM_PRIVATE_KEY_FILE"),
        );
        match (domain, selector, key_file) {
            (None, None, None) => Ok(None),
            (Some(domain), Some(selector), Some(key_file)) => {
                let pem = std::fs::read_to_string(&key_file).map_err(|e| ConfigError::Invalid {
                    name: "DKIM_PRIVATE_KEY_FILE",
                    reason: e.to_string(),
                })?;
                Ok(Some(Self {
                    domain,
                    selector,
                    private_key_pem: SecretString::from(pem),
                }))
            }
            _ => Err(ConfigError::Invalid {
                name: "DKIM_DOMAIN",
                reason: "DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together".into(),
            }),
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            database_url: required("NOTIFICATION_DATABASE_URL")?,
            database_max_connections: parsed_or("NOTIFICATION_DB_MAX_CONNECTIONS", 10)?,
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
            send_lease: Duration::from_secs(parsed_or("NOTIFICATION_SEND_LEASE_SECONDS", 30)?),
            sends_in_flight: parsed_or("NOTIFICATION_SENDS_IN_FLIGHT", 16)?,
            metrics_interval: Duration::from_secs(parsed_or("NOTIFICATION_METRICS_SECONDS", 10)?),
            dkim: Dkim::from_env()?,
        })
    }
}
