//! The whole path on real parts: the three services, PostgreSQL, Redis, the OpenID
//! provider and an SMTP server. A person logs in, enters a report due tomorrow, and gets
//! exactly one J-1 reminder — once, even when the notification service restarts.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use maillage_db::ServiceRole;
use maillage_notification::ManualClock;
use maillage_testkit::oidc::{CLIENT_ID, CLIENT_SECRET};
use maillage_testkit::{
    Browser, INTERNAL_SECRET, OidcProvider, SmtpSink, TestDatabase, eventually, free_port,
    location, redis_url, unique_redis_namespace,
};
use secrecy::SecretString;
use tokio::task::JoinHandle;

type TestResult = anyhow::Result<()>;

struct Platform {
    db: TestDatabase,
    sink: SmtpSink,
    gateway: String,
    namespace: String,
    clock: Arc<ManualClock>,
    _provider: OidcProvider,
}

impl Platform {
    async fn start() -> anyhow::Result<Self> {
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
        })
        .await?;
        let core_url = format!("http://{}", core.local_addr());
        tokio::spawn(core.run_until_stopped());

        let port = free_port()?;
        let gateway = format!("http://127.0.0.1:{port}");
        let provider = OidcProvider::start(&format!("{gateway}/auth/callback")).await?;
        let namespace = unique_redis_namespace();
        let app = maillage_gateway::build_app(maillage_gateway::Config {
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
        })
        .await?;
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

    async fn start_notification(&self) -> anyhow::Result<JoinHandle<anyhow::Result<()>>> {
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
            },
            self.clock.clone(),
        )
        .await?;
        Ok(tokio::spawn(app.run_until_stopped()))
    }
}

#[tokio::test]
async fn a_deadline_due_tomorrow_brings_exactly_one_reminder_the_day_before() -> TestResult {
    let platform = Platform::start().await?;
    let notification = platform.start_notification().await?;
    let browser = Browser::new(&platform.gateway)?;
    browser.login("camille", "/t/asso-demo/").await?;

    let funder = browser
        .post_form(
            "/t/asso-demo/organisations/new",
            &[("name", "Région Occitanie"), ("kind", "funder")],
        )
        .await?;
    assert_eq!(funder.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, organisations) = browser
        .api(
            reqwest::Method::GET,
            "/api/v1/t/asso-demo/organisations",
            None,
        )
        .await?;
    let funder_id = organisations["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let tomorrow = (Utc::now().with_timezone(&chrono_tz::Europe::Paris)
        + chrono::Duration::days(1))
    .format("%Y-%m-%d")
    .to_string();
    let created = browser
        .post_form(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Rapport final"),
                ("funder_id", &funder_id),
                ("due_date", &tomorrow),
                ("due_time", "12:00"),
            ],
        )
        .await?;
    assert_eq!(created.status(), reqwest::StatusCode::SEE_OTHER);
    let deadline_path = location(&created)?;

    // The J-1 reminder is due at 08:00 today, Paris time: nine hours on from now is past
    // it whatever the hour, and still before the overdue reminder.
    platform.clock.advance(chrono::Duration::hours(9));
    let emails = eventually(Duration::from_secs(20), || async {
        let emails = platform.sink.received().ok()?;
        (!emails.is_empty()).then_some(emails)
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("no reminder reached the SMTP server"))?;
    assert_eq!(emails.len(), 1);
    let email = &emails[0];
    assert_eq!(email.envelope_to, "camille.martin@demo.maillage.test");
    assert_eq!(
        email.subject,
        "[Association asso-demo] Rappel : « Rapport final » à rendre demain"
    );
    let link = format!("{}{deadline_path}", platform.gateway);
    assert!(
        email.text.contains(&link),
        "the email links to the deadline: {}",
        email.text
    );
    assert!(
        email.text.contains("Région Occitanie") && email.text.contains("à 12:00"),
        "{}",
        email.text
    );
    let page = browser.get(&deadline_path).await?;
    assert_eq!(
        page.status(),
        reqwest::StatusCode::OK,
        "the link opens the deadline"
    );

    // A restarted notification service sends nothing more.
    notification.abort();
    let _ = notification.await;
    let _restarted = platform.start_notification().await?;
    platform.clock.advance(chrono::Duration::minutes(30));
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        platform.sink.received()?.len(),
        1,
        "exactly one J-1 email, restart or not"
    );
    Ok(())
}
