//! What the cross-service tests share: the whole platform on random ports.
// Each test binary uses its part of this module.
#![allow(dead_code)]

pub mod chromium;
pub mod network;

use std::sync::Arc;
use std::time::Duration;

use maillage_db::ServiceRole;
use maillage_notification::ManualClock;
use maillage_testkit::oidc::{CLIENT_ID, CLIENT_SECRET};
use maillage_testkit::{
    INTERNAL_SECRET, OidcProvider, SmtpSink, TestDatabase, free_port, redis_url,
    unique_redis_namespace,
};
use secrecy::SecretString;
use tokio::task::JoinHandle;

/// core-records and the gateway running, the OpenID provider, an SMTP server, and a
/// tenant "asso-demo" whose owner camille (a provider account) is invited to be.
pub struct Platform {
    pub db: TestDatabase,
    pub sink: SmtpSink,
    pub gateway: String,
    namespace: String,
    pub clock: Arc<ManualClock>,
    _provider: OidcProvider,
}

impl Platform {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(|_| {}).await
    }

    /// The same, with the gateway's configuration changed by `change` first.
    pub async fn start_with(
        change: impl FnOnce(&mut maillage_gateway::Config),
    ) -> anyhow::Result<Self> {
        let db = TestDatabase::create().await?;
        let tenant_id = db.create_tenant("asso-demo").await?;
        sqlx::query("insert into invitations (tenant_id, email, role) values ($1, $2, 'owner')")
            .bind(tenant_id)
            .bind("camille.martin@demo.maillage.test")
            .execute(&db.owner)
            .await?;
        let secret = || SecretString::from(INTERNAL_SECRET.to_owned());

        let core = maillage_core_records::build_app(maillage_core_records::Config {
            database_url: db.url_as(ServiceRole::CoreRecords),
            database_max_connections: 4,
            bind_addr: "127.0.0.1:0".parse()?,
            internal_auth_secret: secret(),
            max_in_flight: maillage_core_records::DEFAULT_MAX_IN_FLIGHT,
            redis_url: maillage_testkit::redis_url(),
            redis_namespace: maillage_testkit::unique_redis_namespace(),
            retention_look_every: std::time::Duration::from_secs(
                maillage_core_records::DEFAULT_RETENTION_LOOK_SECONDS,
            ),
        })
        .await?;
        let core_url = format!("http://{}", core.local_addr());
        tokio::spawn(core.run_until_stopped());

        let port = free_port()?;
        let gateway = format!("http://127.0.0.1:{port}");
        let provider = OidcProvider::start(&format!("{gateway}/auth/callback")).await?;
        let namespace = unique_redis_namespace();
        let mut config = maillage_gateway::Config {
            database_url: db.url_as(ServiceRole::Gateway),
            database_max_connections: 4,
            redis_url: redis_url(),
            redis_namespace: namespace.clone(),
            bind_addr: format!("127.0.0.1:{port}").parse()?,
            public_base_url: gateway.clone(),
            core_records_url: core_url,
            internal_auth_secret: secret(),
            oidc_issuer_url: provider.issuer.clone(),
            oidc_client_id: CLIENT_ID.into(),
            oidc_client_secret: SecretString::from(CLIENT_SECRET.to_owned()),
            session_ttl: Duration::from_secs(3600),
            rate_limits: maillage_gateway::RateLimitConfig::default(),
            max_in_flight: maillage_gateway::DEFAULT_MAX_IN_FLIGHT,
            // A key of the tests' own; providers of the tests run on this machine.
            identity_secrets_key: Some(SecretString::from(
                "bWFpbGxhZ2UtdGVzdHMtb25seS0zMi1ieXRlcy1rZXk=".to_owned(),
            )),
            workspace_issuers_may_be_local: true,
            self_service_workspaces_per_person: 0,
        };
        change(&mut config);
        let app = maillage_gateway::build_app(config).await?;
        tokio::spawn(app.run_until_stopped());

        Ok(Self {
            db,
            sink: SmtpSink::start().await?,
            gateway,
            namespace,
            clock: Arc::new(ManualClock::default()),
            _provider: provider,
        })
    }

    /// Makes one of the provider's accounts a platform administrator (as `maillage-admin
    /// platform grant` does).
    pub async fn grant_platform_admin(&self, account: &str) -> anyhow::Result<()> {
        sqlx::query("insert into platform_admins (email) values ($1)")
            .bind(maillage_testkit::oidc::email_of(account))
            .execute(&self.db.owner)
            .await?;
        Ok(())
    }

    /// The emails `to` has received (in no particular order), once there are `count`.
    pub async fn invitations_to(
        &self,
        to: &str,
        count: usize,
    ) -> anyhow::Result<Vec<maillage_testkit::ReceivedEmail>> {
        maillage_testkit::eventually(Duration::from_secs(15), || async {
            let emails: Vec<_> = self
                .sink
                .received()
                .ok()?
                .into_iter()
                .filter(|email| email.envelope_to == to)
                .collect();
            (emails.len() >= count).then_some(emails)
        })
        .await
        .ok_or_else(|| anyhow::anyhow!("{to} did not get {count} email(s)"))
    }

    /// Starts a notification instance on the platform's clock; abort the handle to kill it.
    pub async fn start_notification(&self) -> anyhow::Result<JoinHandle<anyhow::Result<()>>> {
        let app = maillage_notification::Application::build(
            maillage_notification::Config {
                database_url: self.db.url_as(ServiceRole::Notification),
                database_max_connections: 4,
                redis_url: redis_url(),
                redis_namespace: self.namespace.clone(),
                smtp_url: format!("smtp://127.0.0.1:{}", self.sink.port),
                mail_from: "Maillage <rappels@maillage.test>".into(),
                public_base_url: self.gateway.clone(),
                bind_addr: format!("127.0.0.1:{}", free_port()?).parse()?,
                consumer_name: format!("e2e-{}", uuid::Uuid::new_v4().simple()),
                poll_interval: Duration::from_millis(100),
                reclaim_after: Duration::from_secs(1),
                send_lease: Duration::from_secs(30),
                sends_in_flight: 16,
                metrics_interval: Duration::from_millis(100),
                dkim: None,
            },
            self.clock.clone(),
        )
        .await?;
        Ok(tokio::spawn(app.run_until_stopped()))
    }
}

/// The path of the invitation link an email carries (`/invitations/{tenant}/{token}`).
pub fn invitation_link(email: &maillage_testkit::ReceivedEmail) -> anyhow::Result<String> {
    let start = email
        .text
        .find("/invitations/")
        .ok_or_else(|| anyhow::anyhow!("no invitation link in {}", email.text))?;
    Ok(email.text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned())
}
