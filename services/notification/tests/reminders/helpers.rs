//! What the reminder tests share: a world of one tenant with one member, a real SMTP
//! sink and Redis namespace, notification instances started and stopped at will, a clock
//! moved by hand, and deadlines written the way core-records writes them.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use maillage_db::ServiceRole;
use maillage_notification::{Application, Config, Dkim, ManualClock};
use maillage_testkit::{
    ReceivedEmail, SmtpSink, TestDatabase, eventually, free_port, redis_url, unique_redis_namespace,
};
use tokio::task::JoinHandle;
use uuid::Uuid;

pub type TestResult = anyhow::Result<()>;

/// How long a test waits for what must happen.
pub const WAIT: Duration = Duration::from_secs(15);

pub struct World {
    pub db: TestDatabase,
    pub sink: SmtpSink,
    pub namespace: String,
    pub clock: Arc<ManualClock>,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
}

impl World {
    pub async fn new() -> anyhow::Result<Self> {
        maillage_runtime::init("notification-test");
        let db = TestDatabase::create().await?;
        let tenant_id = db.create_tenant("amis-du-quartier").await?;
        let user_id = db.create_user("camille@example.org").await?;
        db.add_member(tenant_id, user_id, "editor").await?;
        Ok(Self {
            db,
            sink: SmtpSink::start().await?,
            namespace: unique_redis_namespace(),
            clock: Arc::new(ManualClock::default()),
            tenant_id,
            user_id,
        })
    }

    /// Starts one notification instance; abort the handle to kill it.
    pub async fn start_instance(&self) -> anyhow::Result<JoinHandle<anyhow::Result<()>>> {
        Ok(self.start_instance_at().await?.0)
    }

    /// Starts one instance and tells the address of its HTTP endpoints.
    pub async fn start_instance_at(
        &self,
    ) -> anyhow::Result<(JoinHandle<anyhow::Result<()>>, std::net::SocketAddr)> {
        self.start_instance_with(None).await
    }

    pub async fn start_instance_with(
        &self,
        dkim: Option<Dkim>,
    ) -> anyhow::Result<(JoinHandle<anyhow::Result<()>>, std::net::SocketAddr)> {
        let config = Config {
            database_url: self.db.url_as(ServiceRole::Notification),
            database_max_connections: 4,
            redis_url: redis_url(),
            redis_namespace: self.namespace.clone(),
            smtp_url: format!("smtp://127.0.0.1:{}", self.sink.port),
            mail_from: "Maillage <rappels@maillage.test>".into(),
            public_base_url: "https://maillage.example.org".into(),
            bind_addr: format!("127.0.0.1:{}", free_port()?).parse()?,
            consumer_name: format!("test-{}", Uuid::new_v4().simple()),
            poll_interval: Duration::from_millis(100),
            reclaim_after: Duration::from_secs(1),
            send_lease: Duration::from_secs(30),
            sends_in_flight: 16,
            metrics_interval: Duration::from_millis(100),
            dkim,
        };
        let app = Application::build(config, self.clock.clone()).await?;
        let address = app.local_addr();
        Ok((tokio::spawn(app.run_until_stopped()), address))
    }

    /// A deadline and its outbox event, in one transaction, as core-records writes them;
    /// the world's member answers for it.
    pub async fn create_deadline(
        &self,
        title: &str,
        due_at: DateTime<Utc>,
    ) -> anyhow::Result<Uuid> {
        self.create_deadline_for(title, due_at, &[self.user_id])
            .await
    }

    pub async fn create_deadline_for(
        &self,
        title: &str,
        due_at: DateTime<Utc>,
        responsibles: &[Uuid],
    ) -> anyhow::Result<Uuid> {
        let id = Uuid::now_v7();
        let mut tx = self.db.owner.begin().await?;
        sqlx::query("insert into reporting_deadlines (tenant_id, id, title, due_at) values ($1, $2, $3, $4)")
            .bind(self.tenant_id)
            .bind(id)
            .bind(title)
            .bind(due_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("insert into deadline_responsibles (tenant_id, deadline_id, user_id) select $1, $2, unnest($3::uuid[])")
            .bind(self.tenant_id)
            .bind(id)
            .bind(responsibles)
            .execute(&mut *tx)
            .await?;
        announce(&mut tx, self.tenant_id, id).await?;
        tx.commit().await?;
        // Wait for the planner, so that moving the clock afterwards means something.
        eventually(WAIT, || async {
            let processed: bool = sqlx::query_scalar(
                "select bool_and(processed_at is not null) from outbox where aggregate_id = $1",
            )
            .bind(id)
            .fetch_one(&self.db.owner)
            .await
            .ok()?;
            processed.then_some(())
        })
        .await
        .ok_or_else(|| anyhow::anyhow!("no reminders planned for {title}"))?;
        Ok(id)
    }

    /// Moves the clock to 09:00, Paris time, on the day before a deadline due two days
    /// after the test started: its J-1 reminder is due, the next one (on the due day) is
    /// not, and it is not the tenant's quiet hours (20:00 to 08:00).
    pub fn advance_to_day_before(&self) {
        self.advance_to_due_day_plus(-1, 9, 0);
    }

    /// Moves the clock to `hour:minute`, Paris time, `days` after the due day of a
    /// deadline due two days after the test started.
    pub fn advance_to_due_day_plus(&self, days: i64, hour: u32, minute: u32) {
        let day = due_in_two_days()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive()
            + chrono::Duration::days(days);
        self.advance_to(paris(day, hour, minute));
    }

    /// Moves the clock forward to `target` (never back).
    pub fn advance_to(&self, target: DateTime<Utc>) {
        self.clock
            .advance((target - self.clock_now()).max(chrono::Duration::zero()));
    }

    /// Waits until the planner has handled every event of the tenant's outbox.
    pub async fn wait_for_planning(&self) -> anyhow::Result<()> {
        eventually(WAIT, || async {
            let processed: bool = sqlx::query_scalar(
                "select coalesce(bool_and(processed_at is not null), true) from outbox where tenant_id = $1",
            )
            .bind(self.tenant_id)
            .fetch_one(&self.db.owner)
            .await
            .ok()?;
            processed.then_some(())
        })
        .await
        .ok_or_else(|| anyhow::anyhow!("the outbox was not all planned"))
    }

    /// Every email received so far, as (recipient, subject), sorted.
    pub fn inbox(&self) -> anyhow::Result<Vec<(String, String)>> {
        let mut emails: Vec<(String, String)> = self
            .sink
            .received()?
            .into_iter()
            .map(|e| (e.envelope_to, e.subject))
            .collect();
        emails.sort();
        Ok(emails)
    }

    /// The world's member chooses how to be reminded (each, daily, weekly, off).
    pub async fn choose_mode(&self, mode: &str) -> anyhow::Result<()> {
        sqlx::query(
            "insert into notification_preferences (tenant_id, user_id, mode) values ($1, $2, $3)",
        )
        .bind(self.tenant_id)
        .bind(self.user_id)
        .bind(mode)
        .execute(&self.db.owner)
        .await?;
        Ok(())
    }

    /// A new member of the world's tenant.
    pub async fn member(&self, email: &str, role: &str) -> anyhow::Result<Uuid> {
        let user_id = self.db.create_user(email).await?;
        self.db.add_member(self.tenant_id, user_id, role).await?;
        Ok(user_id)
    }

    /// How many workspaces there are.
    pub async fn tenants(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("select count(*) from tenants")
            .fetch_one(&self.db.owner)
            .await?)
    }

    pub async fn reminder_statuses(
        &self,
        deadline_id: Uuid,
    ) -> anyhow::Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "select kind, status from reminders where subject_id = $1 order by fire_at",
        )
        .bind(deadline_id)
        .fetch_all(&self.db.owner)
        .await?)
    }

    pub async fn wait_for_emails(&self, count: usize) -> anyhow::Result<Vec<ReceivedEmail>> {
        let found = eventually(WAIT, || async {
            let emails = self.sink.received().ok()?;
            (emails.len() >= count).then_some(emails)
        })
        .await;
        found.ok_or_else(|| {
            anyhow::anyhow!("expected {count} email(s), got {:?}", self.sink.received())
        })
    }

    /// Waits until every reminder of the deadline has settled (nothing pending, queued or
    /// being sent that is already due: an email the SMTP server has taken may not have
    /// its outcome recorded yet).
    pub async fn wait_until_settled(&self, deadline_id: Uuid) -> anyhow::Result<()> {
        let now = self.clock_now();
        eventually(WAIT, || async {
            let busy: i64 = sqlx::query_scalar(
                "select count(*) from reminders where subject_id = $1 and fire_at <= $2 and status in ('pending', 'queued', 'sending')",
            )
            .bind(deadline_id)
            .bind(now)
            .fetch_one(&self.db.owner)
            .await
            .ok()?;
            (busy == 0).then_some(())
        })
        .await
        .ok_or_else(|| anyhow::anyhow!("reminders of {deadline_id} never settled"))
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        use maillage_notification::Clock;
        self.clock.now()
    }
}

pub async fn announce(
    tx: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    deadline_id: Uuid,
) -> anyhow::Result<()> {
    sqlx::query("insert into outbox (tenant_id, id, topic, aggregate_id) values ($1, $2, 'deadline.changed', $3)")
        .bind(tenant_id)
        .bind(Uuid::now_v7())
        .bind(deadline_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// `hour:minute` on `day`, Paris time.
pub fn paris(day: chrono::NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    chrono_tz::Europe::Paris
        .from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Two days ahead: with `World::advance_to_day_before`, its J-1 reminder is due and
/// nothing after it, whatever the time of day the test runs at.
pub fn due_in_two_days() -> DateTime<Utc> {
    Utc::now() + chrono::Duration::days(2)
}

impl World {
    /// The reminder of `kind` of a deadline: (status, attempts, last error).
    pub async fn reminder(
        &self,
        deadline_id: Uuid,
        kind: &str,
    ) -> anyhow::Result<(String, i32, Option<String>)> {
        Ok(sqlx::query_as(
            "select status, attempts, last_error from reminders where subject_id = $1 and kind = $2",
        )
        .bind(deadline_id)
        .bind(kind)
        .fetch_one(&self.db.owner)
        .await?)
    }

    pub async fn wait_for_reminder(
        &self,
        deadline_id: Uuid,
        kind: &str,
        status: &str,
        attempts: i32,
    ) -> anyhow::Result<Option<String>> {
        eventually(WAIT, || async {
            let (s, a, error) = self.reminder(deadline_id, kind).await.ok()?;
            (s == status && a == attempts).then_some(error)
        })
        .await
        .ok_or_else(|| {
            anyhow::anyhow!(
                "the {kind} reminder never reached {status} after {attempts} attempt(s)"
            )
        })
    }
}
