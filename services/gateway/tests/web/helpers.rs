//! What the gateway's tests share: the gateway with everything real behind it on random
//! ports, and helpers that make a test's records in a line.

use maillage_db::ServiceRole;
use maillage_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, email_of};
use maillage_testkit::{
    Browser, INTERNAL_SECRET, OidcProvider, TestDatabase, free_port, redis_url,
    unique_redis_namespace,
};
use secrecy::SecretString;
use serde_json::Value;
use uuid::Uuid;

pub type TestResult = anyhow::Result<()>;

/// core-records + gateway on random ports, a fresh database, one tenant "asso-demo"
/// to which camille (an account of the provider) is invited as editor.
pub struct Stack {
    pub db: TestDatabase,
    pub base: String,
    pub provider: OidcProvider,
    pub tenant_id: Uuid,
    /// The gateway's configuration, for starting another gateway beside it.
    pub config: maillage_gateway::Config,
}

impl Stack {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(|_| {}).await
    }

    /// The same, with the gateway's configuration changed by `change` first.
    pub async fn start_with(
        change: impl FnOnce(&mut maillage_gateway::Config),
    ) -> anyhow::Result<Self> {
        maillage_runtime::init("gateway-test");
        let db = TestDatabase::create().await?;
        let tenant_id = db.create_tenant("asso-demo").await?;
        sqlx::query("insert into invitations (tenant_id, email, role) values ($1, $2, 'editor')")
            .bind(tenant_id)
            .bind("camille.martin@demo.maillage.test")
            .execute(&db.owner)
            .await?;

        let core = maillage_core_records::build_app(maillage_core_records::Config {
            database_url: db.url_as(ServiceRole::CoreRecords),
            database_max_connections: 4,
            bind_addr: "127.0.0.1:0".parse()?,
            internal_auth_secret: SecretString::from(INTERNAL_SECRET.to_owned()),
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
        let base = format!("http://127.0.0.1:{port}");
        let provider = OidcProvider::start(&format!("{base}/auth/callback")).await?;
        let mut config = maillage_gateway::Config {
            database_url: db.url_as(ServiceRole::Gateway),
            database_max_connections: 4,
            redis_url: redis_url(),
            redis_namespace: unique_redis_namespace(),
            bind_addr: format!("127.0.0.1:{port}").parse()?,
            public_base_url: base.clone(),
            core_records_url: core_url,
            internal_auth_secret: SecretString::from(INTERNAL_SECRET.to_owned()),
            oidc_issuer_url: provider.issuer.clone(),
            oidc_client_id: CLIENT_ID.into(),
            oidc_client_secret: SecretString::from(CLIENT_SECRET.to_owned()),
            session_ttl: std::time::Duration::from_secs(3600),
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
        let gateway = maillage_gateway::build_app(config.clone()).await?;
        tokio::spawn(gateway.run_until_stopped());
        Ok(Self {
            db,
            base,
            provider,
            tenant_id,
            config,
        })
    }

    /// Another gateway on its own port, configured as this one but for what `change`
    /// changes (its port and public address are its own unless `change` sets them).
    /// Returns the address it listens on.
    pub async fn another_gateway(
        &self,
        change: impl FnOnce(&mut maillage_gateway::Config),
    ) -> anyhow::Result<String> {
        let port = free_port()?;
        let mut config = self.config.clone();
        config.bind_addr = format!("127.0.0.1:{port}").parse()?;
        config.public_base_url = format!("http://127.0.0.1:{port}");
        change(&mut config);
        let base = format!("http://{}", config.bind_addr);
        let gateway = maillage_gateway::build_app(config).await?;
        tokio::spawn(gateway.run_until_stopped());
        Ok(base)
    }

    pub fn browser(&self) -> anyhow::Result<Browser> {
        Browser::new(&self.base)
    }

    /// camille, the editor of "asso-demo", logged in.
    pub async fn editor(&self) -> anyhow::Result<Browser> {
        let browser = self.browser()?;
        browser.login("camille", "/t/asso-demo/").await?;
        Ok(browser)
    }

    /// sacha, invited as a viewer of "asso-demo", logged in.
    pub async fn viewer(&self) -> anyhow::Result<Browser> {
        self.member_of(self.tenant_id, "asso-demo", "sacha", "viewer")
            .await
    }

    /// One of the provider's accounts, invited into a tenant with `role` and logged in.
    pub async fn member_of(
        &self,
        tenant_id: Uuid,
        slug: &str,
        account: &str,
        role: &str,
    ) -> anyhow::Result<Browser> {
        self.db.invite(tenant_id, &email_of(account), role).await?;
        let browser = self.browser()?;
        browser.login(account, &format!("/t/{slug}/")).await?;
        Ok(browser)
    }
}

/// Creates a record of "asso-demo" through the API; its id.
pub async fn created(browser: &Browser, collection: &str, body: Value) -> anyhow::Result<String> {
    let record = browser
        .create(&format!("/api/v1/t/asso-demo/{collection}"), body)
        .await?;
    Ok(record["id"].as_str().unwrap_or_default().to_owned())
}
