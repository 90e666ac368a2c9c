//! The notification service against real PostgreSQL, Redis and an SMTP server.
//! Deadlines are written the way core-records writes them: row + outbox event in one
//! transaction.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use maillage_db::ServiceRole;
use maillage_notification::{Application, Config, Dkim, ManualClock};
use maillage_testkit::{
    ReceivedEmail, SmtpSink, TestDatabase, eventually, free_port, redis_url, unique_redis_namespace,
};
use redis::AsyncCommands;
use tokio::task::JoinHandle;
use uuid::Uuid;

type TestResult = anyhow::Result<()>;

const WAIT: Duration = Duration::from_secs(15);

struct World {
    db: TestDatabase,
    sink: SmtpSink,
    namespace: String,
    clock: Arc<ManualClock>,
    tenant_id: Uuid,
    user_id: Uuid,
}

impl World {
    async fn new() -> anyhow::Result<Self> {
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
    async fn start_instance(&self) -> anyhow::Result<JoinHandle<anyhow::Result<()>>> {
        Ok(self.start_instance_at().await?.0)
    }

    /// Starts one instance and tells the address of its HTTP endpoints.
    async fn start_instance_at(
        &self,
    ) -> anyhow::Result<(JoinHandle<anyhow::Result<()>>, std::net::SocketAddr)> {
        self.start_instance_with(None).await
    }

    async fn start_instance_with(
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
    async fn create_deadline(&self, title: &str, due_at: DateTime<Utc>) -> anyhow::Result<Uuid> {
        self.create_deadline_for(title, due_at, &[self.user_id])
            .await
    }

    async fn create_deadline_for(
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
    fn advance_to_day_before(&self) {
        self.advance_to_due_day_plus(-1, 9, 0);
    }

    /// Moves the clock to `hour:minute`, Paris time, `days` after the due day of a
    /// deadline due two days after the test started.
    fn advance_to_due_day_plus(&self, days: i64, hour: u32, minute: u32) {
        let day = due_in_two_days()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive()
            + chrono::Duration::days(days);
        self.advance_to(paris(day, hour, minute));
    }

    /// Moves the clock forward to `target` (never back).
    fn advance_to(&self, target: DateTime<Utc>) {
        self.clock
            .advance((target - self.clock_now()).max(chrono::Duration::zero()));
    }

    /// Waits until the planner has handled every event of the tenant's outbox.
    async fn wait_for_planning(&self) -> anyhow::Result<()> {
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
    fn inbox(&self) -> anyhow::Result<Vec<(String, String)>> {
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
    async fn choose_mode(&self, mode: &str) -> anyhow::Result<()> {
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
    async fn member(&self, email: &str, role: &str) -> anyhow::Result<Uuid> {
        let user_id = self.db.create_user(email).await?;
        self.db.add_member(self.tenant_id, user_id, role).await?;
        Ok(user_id)
    }

    async fn reminder_statuses(&self, deadline_id: Uuid) -> anyhow::Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "select kind, status from reminders where subject_id = $1 order by fire_at",
        )
        .bind(deadline_id)
        .fetch_all(&self.db.owner)
        .await?)
    }

    async fn wait_for_emails(&self, count: usize) -> anyhow::Result<Vec<ReceivedEmail>> {
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
    async fn wait_until_settled(&self, deadline_id: Uuid) -> anyhow::Result<()> {
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

    fn clock_now(&self) -> DateTime<Utc> {
        use maillage_notification::Clock;
        self.clock.now()
    }
}

async fn announce(
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
fn paris(day: chrono::NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
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
fn due_in_two_days() -> DateTime<Utc> {
    Utc::now() + chrono::Duration::days(2)
}

#[tokio::test]
async fn a_deadline_gets_exactly_one_day_before_reminder_even_across_a_restart() -> TestResult {
    let world = World::new().await?;
    let instance = world.start_instance().await?;
    let deadline_id = world
        .create_deadline("Bilan annuel", due_in_two_days())
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(world.sink.received()?.is_empty(), "nothing is due yet");

    world.advance_to_day_before();
    let emails = world.wait_for_emails(1).await?;
    world.wait_until_settled(deadline_id).await?;
    let email = &emails[0];
    assert_eq!(email.envelope_to, "camille@example.org");
    assert_eq!(
        email.subject,
        "[Association amis-du-quartier] Rappel : « Bilan annuel » à rendre demain"
    );
    let link = format!("https://maillage.example.org/t/amis-du-quartier/deadlines/{deadline_id}");
    assert!(email.text.contains(&link), "{}", email.text);
    assert!(email.html.contains(&link));
    assert!(
        email
            .header("Message-ID")
            .is_some_and(|id| id.contains("@maillage.test"))
    );
    assert_eq!(
        world.reminder_statuses(deadline_id).await?,
        [
            ("d-30".into(), "skipped".into()),
            ("d-7".into(), "skipped".into()),
            ("d-1".into(), "sent".into()),
            ("d0".into(), "pending".into()),
            ("d+1".into(), "pending".into()),
            ("d+8".into(), "pending".into()),
        ],
        "reminders whose day was over when the deadline was entered are not sent late"
    );

    // Kill the instance and start another: nothing is sent again.
    instance.abort();
    let _ = instance.await;
    let _second = world.start_instance().await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(world.sink.received()?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_replayed_or_misrouted_message_sends_nothing_more() -> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    let deadline_id = world
        .create_deadline("Compte rendu financier", due_in_two_days())
        .await?;
    world.advance_to_day_before();
    world.wait_for_emails(1).await?;
    world.wait_until_settled(deadline_id).await?;

    let (reminder_id,): (Uuid,) =
        sqlx::query_as("select id from reminders where subject_id = $1 and kind = 'd-1'")
            .bind(deadline_id)
            .fetch_one(&world.db.owner)
            .await?;
    let other_tenant = world.db.create_tenant("autre-asso").await?;
    let mut redis = redis::Client::open(redis_url())?
        .get_multiplexed_async_connection()
        .await?;
    let stream = format!("{}:reminders", world.namespace);
    // The same message again (a replay), then one claiming another tenant.
    for tenant in [world.tenant_id, other_tenant] {
        let _: String = redis
            .xadd(
                &stream,
                "*",
                &[
                    ("tenant_id", tenant.to_string()),
                    ("reminder_id", reminder_id.to_string()),
                ],
            )
            .await?;
    }
    // Both get consumed and acknowledged…
    eventually(WAIT, || {
        let mut redis = redis.clone();
        let stream = stream.clone();
        async move {
            let pending: redis::streams::StreamPendingReply =
                redis.xpending(&stream, "senders").await.ok()?;
            let len: usize = redis.xlen(&stream).await.ok()?;
            (pending.count() == 0 && len >= 3).then_some(())
        }
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("messages were not consumed"))?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // …and neither sent anything.
    assert_eq!(world.sink.received()?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn submitting_a_deadline_cancels_its_reminders() -> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    let deadline_id = world
        .create_deadline("Rapport d'activité", due_in_two_days())
        .await?;

    let mut tx = world.db.owner.begin().await?;
    sqlx::query(
        "update reporting_deadlines set status = 'submitted', submitted_at = now() where id = $1",
    )
    .bind(deadline_id)
    .execute(&mut *tx)
    .await?;
    announce(&mut tx, world.tenant_id, deadline_id).await?;
    tx.commit().await?;
    eventually(WAIT, || async {
        let statuses = world.reminder_statuses(deadline_id).await.ok()?;
        let expected = [
            ("d-30", "skipped"),
            ("d-7", "skipped"),
            ("d-1", "cancelled"),
            ("d0", "cancelled"),
            ("d+1", "cancelled"),
            ("d+8", "cancelled"),
        ];
        let settled = statuses
            .iter()
            .map(|(k, s)| (k.as_str(), s.as_str()))
            .eq(expected);
        settled.then_some(())
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("reminders not cancelled"))?;

    world.clock.advance(chrono::Duration::days(5));
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        world.sink.received()?.is_empty(),
        "a submitted report is not reminded"
    );
    Ok(())
}

#[tokio::test]
async fn every_responsible_is_reminded_once_and_a_departed_member_hands_over_to_the_admins()
-> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    let dominique = world.member("dominique@example.org", "editor").await?;
    let sacha = world.member("sacha@example.org", "admin").await?;
    let shared = world
        .create_deadline_for(
            "Bilan partagé",
            due_in_two_days(),
            &[world.user_id, dominique],
        )
        .await?;
    let dominiques = world
        .create_deadline_for("Rapport de Dominique", due_in_two_days(), &[dominique])
        .await?;

    // Dominique leaves, removed the way the gateway removes members (its role, in a
    // transaction of the tenant).
    let gateway = world.db.pool_as(ServiceRole::Gateway).await?;
    let mut tx = maillage_db::begin_tenant(&gateway, world.tenant_id).await?;
    sqlx::query("delete from memberships where tenant_id = $1 and user_id = $2")
        .bind(world.tenant_id)
        .bind(dominique)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // Dominique's own deadline now falls to the tenant's admins (Sacha).
    eventually(WAIT, || async {
        let planned: i64 = sqlx::query_scalar(
            "select count(*) from reminders where subject_id = $1 and recipient_user_id = $2",
        )
        .bind(dominiques)
        .bind(sacha)
        .fetch_one(&world.db.owner)
        .await
        .ok()?;
        (planned == 7).then_some(())
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("the departed member's deadline was not handed over"))?;

    world.advance_to_day_before();
    let emails = world.wait_for_emails(2).await?;
    world.wait_until_settled(shared).await?;
    world.wait_until_settled(dominiques).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut received: Vec<(String, String)> = world
        .sink
        .received()?
        .into_iter()
        .map(|e| (e.envelope_to, e.subject))
        .collect();
    received.sort();
    assert_eq!(emails.len(), 2);
    assert_eq!(
        received,
        [
            (
                "camille@example.org".to_owned(),
                "[Association amis-du-quartier] Rappel : « Bilan partagé » à rendre demain"
                    .to_owned()
            ),
            (
                "sacha@example.org".to_owned(),
                "[Association amis-du-quartier] Rappel : « Rapport de Dominique » à rendre demain"
                    .to_owned()
            ),
        ],
        "one email per remaining recipient, none to the departed member"
    );
    Ok(())
}

impl World {
    /// The reminder of `kind` of a deadline: (status, attempts, last error).
    async fn reminder(
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

    async fn wait_for_reminder(
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

/// What falls to the admins (here, a report no one answers for) reaches whoever becomes
/// one, by joining or by promotion, even though the report was planned before.
#[tokio::test]
async fn a_new_admin_is_reminded_of_what_falls_to_the_admins() -> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    let orphan = world
        .create_deadline_for("Rapport sans responsable", due_in_two_days(), &[])
        .await?;
    let planned_for = |user: Uuid| {
        let world = &world;
        async move {
            sqlx::query_scalar::<_, i64>(
                "select count(*) from reminders where subject_id = $1 and recipient_user_id = $2",
            )
            .bind(orphan)
            .bind(user)
            .fetch_one(&world.db.owner)
            .await
        }
    };
    assert_eq!(
        planned_for(world.user_id).await?,
        0,
        "an editor answers for nothing here"
    );

    // Sacha joins as an admin, Dominique as an editor later promoted, both the way the
    // gateway writes memberships.
    let gateway = world.db.pool_as(ServiceRole::Gateway).await?;
    let sacha = world.db.create_user("sacha@example.org").await?;
    let dominique = world.db.create_user("dominique@example.org").await?;
    for (user, role) in [(sacha, "admin"), (dominique, "editor")] {
        let mut tx = maillage_db::begin_tenant(&gateway, world.tenant_id).await?;
        sqlx::query("insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)")
            .bind(world.tenant_id)
            .bind(user)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    world.wait_for_planning().await?;
    assert_eq!(planned_for(dominique).await?, 0, "not an admin yet");
    let mut tx = maillage_db::begin_tenant(&gateway, world.tenant_id).await?;
    sqlx::query("update memberships set role = 'admin' where tenant_id = $1 and user_id = $2")
        .bind(world.tenant_id)
        .bind(dominique)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    world.wait_for_planning().await?;
    for user in [sacha, dominique] {
        assert!(planned_for(user).await? > 0, "{user} was not planned");
    }

    world.advance_to_day_before();
    world.wait_for_emails(2).await?;
    world.wait_until_settled(orphan).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let inbox = world.inbox()?;
    let recipients: Vec<&str> = inbox.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(
        recipients,
        ["dominique@example.org", "sacha@example.org"],
        "{inbox:?}"
    );
    Ok(())
}

#[tokio::test]
async fn an_smtp_server_failing_for_a_while_delays_the_reminder_but_never_loses_or_doubles_it()
-> TestResult {
    let mut world = World::new().await?;
    let _instance = world.start_instance().await?;
    let deadline_id = world
        .create_deadline("Bilan financier", due_in_two_days())
        .await?;

    // "451 try again later", once.
    world.sink.fail_temporarily(1)?;
    world.advance_to_day_before();
    let error = world
        .wait_for_reminder(deadline_id, "d-1", "pending", 1)
        .await?;
    assert!(error.is_some_and(|e| e.contains("451")));
    // Then the server is down altogether: connection refused.
    world.sink.stop()?;
    world.clock.advance(chrono::Duration::minutes(1));
    world
        .wait_for_reminder(deadline_id, "d-1", "pending", 2)
        .await?;
    world.sink.restart().await?;
    // Not before the backoff (5 minutes after the second failure)…
    world.clock.advance(chrono::Duration::minutes(2));
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(world.sink.received()?.is_empty(), "retried before its time");
    // …then once.
    world.clock.advance(chrono::Duration::minutes(4));
    world
        .wait_for_reminder(deadline_id, "d-1", "sent", 2)
        .await?;
    world.wait_for_emails(1).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(world.sink.received()?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_refused_reminder_is_dead_lettered_listed_for_admins_and_replayable() -> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    let deadline_id = world
        .create_deadline("Rapport d'activité", due_in_two_days())
        .await?;
    world.sink.reject("camille@example.org")?;
    world.advance_to_day_before();
    let error = world
        .wait_for_reminder(deadline_id, "d-1", "failed", 1)
        .await?;
    assert!(
        error.is_some_and(|e| e.contains("550")),
        "refused for good: no retry"
    );

    // Announced on the dead-letter stream…
    let redis = redis::Client::open(redis_url())?
        .get_multiplexed_async_connection()
        .await?;
    let dead = maillage_notification::dead_letters::stream_key(&world.namespace);
    let entries: redis::streams::StreamRangeReply = eventually(WAIT, || {
        let mut redis = redis.clone();
        let dead = dead.clone();
        async move {
            let reply: redis::streams::StreamRangeReply = redis.xrange_all(&dead).await.ok()?;
            (!reply.ids.is_empty()).then_some(reply)
        }
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("nothing on the dead-letter stream"))?;
    assert_eq!(entries.ids.len(), 1);
    // …and listed for the platform admins, with the reason.
    let pool = world.db.pool_as(ServiceRole::Notification).await?;
    let failed = maillage_notification::dead_letters::failed(&pool, 50).await?;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].recipient_email, "camille@example.org");
    assert_eq!(failed[0].tenant_slug, "amis-du-quartier");
    let reminder = (failed[0].tenant_id, failed[0].reminder_id);
    let field = |name: &str| -> Option<String> { entries.ids[0].get(name) };
    assert_eq!(field("reminder_id"), Some(reminder.1.to_string()));

    // The mailbox is fixed; the admin replays: sent, once.
    world.sink.accept_all()?;
    assert_eq!(
        maillage_notification::dead_letters::replay(&pool, Some(reminder)).await?,
        1
    );
    world.wait_for_emails(1).await?;
    world
        .wait_for_reminder(deadline_id, "d-1", "sent", 0)
        .await?;
    assert_eq!(
        maillage_notification::dead_letters::replay(&pool, Some(reminder)).await?,
        0,
        "a sent reminder is not replayed"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(world.sink.received()?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn after_redis_loses_everything_every_due_reminder_still_goes_out_once() -> TestResult {
    let world = World::new().await?;
    let (_instance, address) = world.start_instance_at().await?;
    let planned = world
        .create_deadline("Bilan planifié", due_in_two_days())
        .await?;

    // Redis restarts empty: streams, consumer groups and pending entries are gone…
    let mut redis = redis::Client::open(redis_url())?
        .get_multiplexed_async_connection()
        .await?;
    let keys: Vec<String> = redis.keys(format!("{}:*", world.namespace)).await?;
    assert!(!keys.is_empty());
    let _: () = redis.del(&keys).await?;
    // …with an event the relay had published and no planner had read yet.
    let lost = Uuid::now_v7();
    let mut tx = world.db.owner.begin().await?;
    sqlx::query("insert into reporting_deadlines (tenant_id, id, title, due_at) values ($1, $2, 'Bilan perdu', $3)")
        .bind(world.tenant_id)
        .bind(lost)
        .bind(due_in_two_days())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "insert into deadline_responsibles (tenant_id, deadline_id, user_id) values ($1, $2, $3)",
    )
    .bind(world.tenant_id)
    .bind(lost)
    .bind(world.user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("insert into outbox (tenant_id, id, topic, aggregate_id, published_at) values ($1, $2, 'deadline.changed', $3, $4)")
        .bind(world.tenant_id)
        .bind(Uuid::now_v7())
        .bind(lost)
        .bind(world.clock_now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    // PostgreSQL still knows: the event is published again once its planner is overdue…
    world.clock.advance(chrono::Duration::minutes(11));
    eventually(WAIT, || async {
        (world.reminder_statuses(lost).await.ok()?.len() == 6).then_some(())
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("the lost event was never published again"))?;
    // …and both reminders go out, once.
    world.advance_to_day_before();
    world.wait_for_emails(2).await?;
    world.wait_until_settled(planned).await?;
    world.wait_until_settled(lost).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut subjects: Vec<String> = world
        .sink
        .received()?
        .into_iter()
        .map(|e| e.subject)
        .collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            "[Association amis-du-quartier] Rappel : « Bilan perdu » à rendre demain",
            "[Association amis-du-quartier] Rappel : « Bilan planifié » à rendre demain",
        ]
    );

    // The metrics tell what happened (the gauges once sampled after it).
    let metrics = eventually(WAIT, || async {
        let page = reqwest::get(format!("http://{address}/metrics"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        (page.contains("maillage_outbox_unprocessed 0")
            && page.contains("maillage_reminder_lag_seconds 0"))
        .then_some(page)
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("the gauges never showed the work done"))?;
    assert!(
        metrics.contains("maillage_reminders_sent_total 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("maillage_reminders{status=\"pending\"} 0"),
        "{metrics}"
    );
    Ok(())
}

#[tokio::test]
async fn a_late_report_is_reminded_every_week_escalated_to_admins_and_never_at_night() -> TestResult
{
    let world = World::new().await?;
    let sacha = world.member("sacha@example.org", "admin").await?;
    sqlx::query(
        "update reminder_policies set days_before = '{1}', overdue_every_days = 7, escalate_after_days = 10 \
         where tenant_id = $1",
    )
    .bind(world.tenant_id)
    .execute(&world.db.owner)
    .await?;
    let _instance = world.start_instance().await?;
    let deadline_id = world
        .create_deadline("Bilan de la subvention", due_in_two_days())
        .await?;
    let escalation: i64 = sqlx::query_scalar(
        "select count(*) from reminders where subject_id = $1 and kind = 'e+10' and recipient_user_id = $2",
    )
    .bind(deadline_id)
    .bind(sacha)
    .fetch_one(&world.db.owner)
    .await?;
    assert_eq!(escalation, 1, "the escalation is planned for the admin");

    let late = "[Association amis-du-quartier] En retard";
    // The day after the due day: late by 1 (the J-1 and due-day reminders, due too when
    // the service looks, give way to the latest).
    world.advance_to_due_day_plus(1, 9, 0);
    world.wait_for_emails(1).await?;
    // A week later, again; three days after that, the admins are alerted; then weekly.
    world.advance_to_due_day_plus(8, 9, 0);
    world.wait_for_emails(2).await?;
    world.advance_to_due_day_plus(10, 9, 0);
    world.wait_for_emails(3).await?;
    world.advance_to_due_day_plus(15, 9, 0);
    world.wait_for_emails(4).await?;
    // The next one falls due at 08:00 on day 22, but at 21:00 it is quiet hours…
    world.advance_to_due_day_plus(22, 21, 0);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        world.sink.received()?.len(),
        4,
        "nothing leaves during quiet hours"
    );
    // …so it leaves the next morning, once they end.
    world.advance_to_due_day_plus(23, 8, 5);
    world.wait_for_emails(5).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let camille = "camille@example.org".to_owned();
    // (Each step above waited for its email before the next: they came in this order.)
    let mut expected = vec![
            (camille.clone(), format!("{late} : « Bilan de la subvention » n'a pas été rendu")),
            (camille.clone(), format!("{late} de 8 jours : « Bilan de la subvention » n'a toujours pas été rendu")),
            ("sacha@example.org".to_owned(), "[Association amis-du-quartier] Alerte : « Bilan de la subvention » est en retard de 10 jours".to_owned()),
            (camille.clone(), format!("{late} de 15 jours : « Bilan de la subvention » n'a toujours pas été rendu")),
            (camille, format!("{late} de 22 jours : « Bilan de la subvention » n'a toujours pas été rendu")),
    ];
    expected.sort();
    assert_eq!(world.inbox()?, expected);
    Ok(())
}

#[tokio::test]
async fn a_member_on_the_daily_digest_gets_one_email_a_day_and_can_stop_them_all() -> TestResult {
    let world = World::new().await?;
    world.choose_mode("daily").await?;
    let _instance = world.start_instance().await?;
    let first = world
        .create_deadline("Bilan annuel", due_in_two_days())
        .await?;
    let second = world
        .create_deadline("Compte rendu financier", due_in_two_days())
        .await?;

    // 08:05 the day before: both J-1 reminders fall due, and are held for the digest…
    world.advance_to_due_day_plus(-1, 8, 5);
    for deadline in [first, second] {
        world
            .wait_for_reminder(deadline, "d-1", "digested", 0)
            .await?;
    }
    assert!(
        world.sink.received()?.is_empty(),
        "no single reminder for digest readers"
    );
    // …which leaves a little after the sending hour, with both.
    world.advance_to_due_day_plus(-1, 8, 15);
    let emails = world.wait_for_emails(1).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(world.sink.received()?.len(), 1, "one digest a day");
    let digest = &emails[0];
    assert_eq!(
        digest.subject,
        "[Association amis-du-quartier] Vos rappels du jour : 2 échéances"
    );
    assert!(
        digest.text.contains("« Bilan annuel » — à rendre demain"),
        "{}",
        digest.text
    );
    assert!(
        digest
            .text
            .contains("« Compte rendu financier » — à rendre demain")
    );
    let unsubscribe = digest
        .header("List-Unsubscribe")
        .unwrap_or_default()
        .to_owned();
    assert!(
        unsubscribe.starts_with(&format!(
            "<https://maillage.example.org/unsubscribe/{}/",
            world.tenant_id
        )),
        "{unsubscribe}"
    );
    assert_eq!(
        digest.header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    world.wait_for_reminder(first, "d-1", "sent", 0).await?;

    // One click (what the gateway does with the token): nothing more, not even digests.
    sqlx::query(
        "update notification_preferences set mode = 'off' where tenant_id = $1 and user_id = $2",
    )
    .bind(world.tenant_id)
    .bind(world.user_id)
    .execute(&world.db.owner)
    .await?;
    world.advance_to_due_day_plus(0, 9, 0);
    for deadline in [first, second] {
        world.wait_for_reminder(deadline, "d0", "muted", 0).await?;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(world.sink.received()?.len(), 1);
    Ok(())
}

/// The fault-injection run: two instances share the work, the SMTP server fails for a
/// while, one instance dies mid-way; every reminder expected arrives exactly once.
#[tokio::test]
async fn two_instances_a_flaky_smtp_server_and_a_crash_lose_nothing_and_double_nothing()
-> TestResult {
    let world = World::new().await?;
    let first = world.start_instance().await?;
    let _second = world.start_instance().await?;
    let mut members = vec![world.user_id];
    for n in 0..3 {
        members.push(
            world
                .member(&format!("membre{n}@example.org"), "editor")
                .await?,
        );
    }
    // 24 deadlines, each with one or two responsibles: 36 J-1 reminders expected.
    let mut expected = Vec::new();
    for n in 0..24 {
        let responsibles: Vec<uuid::Uuid> = if n % 2 == 0 {
            vec![members[n % 4]]
        } else {
            vec![members[n % 4], members[(n + 1) % 4]]
        };
        let title = format!("Rapport {n:02}");
        world
            .create_deadline_for(&title, due_in_two_days(), &responsibles)
            .await?;
        for member in &responsibles {
            expected.push((*member, title.clone()));
        }
    }
    let emails: std::collections::HashMap<uuid::Uuid, String> =
        sqlx::query_as("select id, email from users")
            .fetch_all(&world.db.owner)
            .await?
            .into_iter()
            .collect();
    let mut expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(member, title)| {
            (
                emails.get(&member).cloned().unwrap_or_default(),
                format!("[Association amis-du-quartier] Rappel : « {title} » à rendre demain"),
            )
        })
        .collect();
    expected.sort();

    world.sink.fail_temporarily(5)?;
    world.advance_to_day_before();
    // Some went out; then the first instance dies.
    world.wait_for_emails(3).await?;
    first.abort();
    let _ = first.await;
    // The retries come due (backoff up to 5 minutes for two failures in a row).
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        world.clock.advance(chrono::Duration::minutes(5));
    }
    world.wait_for_emails(expected.len()).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(world.inbox()?, expected, "0 lost, 0 duplicates");
    Ok(())
}

#[tokio::test]
async fn emails_are_dkim_signed_when_the_deployment_signs_them() -> TestResult {
    let world = World::new().await?;
    let dkim = Dkim {
        domain: "maillage.test".into(),
        selector: "rappels".into(),
        private_key_pem: include_str!("fixtures/dkim-test-only.pem").into(),
    };
    let _instance = world.start_instance_with(Some(dkim)).await?;
    world
        .create_deadline("Bilan signé", due_in_two_days())
        .await?;
    world.advance_to_day_before();
    world.wait_for_emails(1).await?;
    let raw = world.sink.raw_messages()?.remove(0);

    // A real verifier (Python's dkimpy), with the public key as DNS would publish it.
    let public_key = include_str!("fixtures/dkim-test-only.pub.b64").trim();
    let script = format!(
        "import sys, dkim\n\
         def dns(name, timeout=5):\n\
         \x20   assert name == b'rappels._domainkey.maillage.test.', name\n\
         \x20   return b'v=DKIM1; k=rsa; p={public_key}'\n\
         print(dkim.verify(sys.stdin.buffer.read(), dnsfunc=dns))\n"
    );
    let python = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = std::process::Command::new(python)
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, &raw)?;
    }
    let output = child.wait_with_output()?;
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "True",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// Milestones, tasks and partnership dates remind through the same engine as reports:
/// each to whoever answers for it, announced by the database whatever wrote the change.
#[tokio::test]
async fn every_dated_thing_reminds_who_answers_for_it() -> TestResult {
    let world = World::new().await?;
    world.member("claude@example.org", "admin").await?;
    let _instance = world.start_instance().await?;
    let due_at = due_in_two_days();
    let due_day = due_at.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    let (project, milestone, task, partnership) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let statements = [
        "insert into projects (tenant_id, id, name, owner_user_id) values ($1, $2, 'Jardins partagés', $6)",
        "insert into project_milestones (tenant_id, id, project_id, title, due_on) values ($1, $3, $2, 'Convention signée', $7)",
        "insert into activities (tenant_id, id, kind, occurred_at, subject, due_at, author_user_id) values ($1, $4, 'task', now(), 'Appeler la mairie', $8, $6)",
        "insert into partnerships (tenant_id, id, title, kind, status, ends_on, next_evaluation_on) values ($1, $5, 'Convention CAF', 'funding', 'active', $7, $7)",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(world.tenant_id)
            .bind(project)
            .bind(milestone)
            .bind(task)
            .bind(partnership)
            .bind(world.user_id)
            .bind(due_day)
            .bind(due_at)
            .execute(&world.db.owner)
            .await?;
    }
    world.wait_for_planning().await?;

    world.advance_to_day_before();
    let emails = world.wait_for_emails(4).await?;
    let camille = "camille@example.org".to_owned();
    let claude = "claude@example.org".to_owned();
    let tenant = "[Association amis-du-quartier]";
    assert_eq!(
        world.inbox()?,
        [
            (
                camille.clone(),
                format!("{tenant} Rappel : jalon « Convention signée » prévu demain")
            ),
            (
                camille.clone(),
                format!("{tenant} Rappel : tâche « Appeler la mairie » à faire demain")
            ),
            (
                claude.clone(),
                format!("{tenant} Rappel : partenariat « Convention CAF » prend fin demain")
            ),
            (
                claude.clone(),
                format!(
                    "{tenant} Rappel : évaluation du partenariat « Convention CAF » à mener demain"
                )
            ),
        ]
    );
    let about_milestone = emails
        .iter()
        .find(|e| e.subject.contains("jalon"))
        .ok_or_else(|| anyhow::anyhow!("no milestone email"))?;
    assert!(
        about_milestone.text.contains(&format!(
            "https://maillage.example.org/t/amis-du-quartier/agenda#milestone-{milestone}"
        )),
        "{}",
        about_milestone.text
    );
    assert!(
        about_milestone
            .text
            .contains("du projet Jardins partagés est prévu le"),
        "{}",
        about_milestone.text
    );

    // The task is done; Camille leaves the workspace: her milestone falls to the admin.
    sqlx::query("update activities set done_at = now() where tenant_id = $1 and id = $2")
        .bind(world.tenant_id)
        .bind(task)
        .execute(&world.db.owner)
        .await?;
    sqlx::query("delete from memberships where tenant_id = $1 and user_id = $2")
        .bind(world.tenant_id)
        .bind(world.user_id)
        .execute(&world.db.owner)
        .await?;
    world.wait_for_planning().await?;
    // The admin who takes the milestone over hears of it at once (its J-1 is still
    // today's)…
    world.wait_for_emails(5).await?;
    assert!(
        world.inbox()?.contains(&(
            claude.clone(),
            format!("{tenant} Rappel : jalon « Convention signée » prévu demain")
        )),
        "{:?}",
        world.inbox()
    );
    // …and on the due day, of everything but the finished task.
    world.advance_to_due_day_plus(0, 9, 0);
    world.wait_for_emails(8).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let on_the_day: Vec<(String, String)> = world
        .inbox()?
        .into_iter()
        .filter(|(_, subject)| subject.ends_with("aujourd'hui"))
        .collect();
    assert_eq!(
        on_the_day,
        [
            (
                claude.clone(),
                format!("{tenant} Rappel : jalon « Convention signée » prévu aujourd'hui")
            ),
            (
                claude.clone(),
                format!("{tenant} Rappel : partenariat « Convention CAF » prend fin aujourd'hui")
            ),
            (
                claude.clone(),
                format!(
                    "{tenant} Rappel : évaluation du partenariat « Convention CAF » à mener aujourd'hui"
                )
            ),
        ],
        "nothing about the finished task, nothing to the member who left"
    );
    assert_eq!(world.sink.received()?.len(), 8);
    Ok(())
}

/// A member on the weekly digest gets, on Monday morning, one email listing what they
/// answer for that falls due within the week (reminded yet or not), and nothing else.
#[tokio::test]
async fn a_weekly_digest_lists_the_week_ahead_once() -> TestResult {
    use chrono::{Datelike, Days};
    let world = World::new().await?;
    world.member("claude@example.org", "admin").await?;
    world.choose_mode("weekly").await?;
    // A Sunday evening at least two days ahead, in the quiet hours: nothing leaves.
    let mut sunday = Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
        + Days::new(2);
    while sunday.weekday() != chrono::Weekday::Sun {
        sunday = sunday + Days::new(1);
    }
    let day = |offset: u64| sunday + Days::new(offset);
    world.advance_to(paris(sunday, 21, 0));
    let _instance = world.start_instance().await?;
    world
        .create_deadline("Bilan annuel", paris(day(2), 17, 0))
        .await?;
    let (project, task) = (Uuid::now_v7(), Uuid::now_v7());
    let statements = [
        "insert into activities (tenant_id, id, kind, occurred_at, subject, due_at, author_user_id) values ($1, $2, 'task', now(), 'Appeler la mairie', $4, $5)",
        "insert into projects (tenant_id, id, name, owner_user_id) values ($1, $3, 'Jardins partagés', $5)",
        // Beyond the week: not in this digest.
        "insert into project_milestones (tenant_id, id, project_id, title, due_on) values ($1, gen_random_uuid(), $3, 'Fête de la récolte', $6)",
        // The admins' business, not Camille's.
        "insert into partnerships (tenant_id, id, title, kind, status, ends_on) values ($1, gen_random_uuid(), 'Convention CAF', 'funding', 'active', $7)",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(world.tenant_id)
            .bind(task)
            .bind(project)
            .bind(paris(day(5), 10, 0))
            .bind(world.user_id)
            .bind(day(20))
            .bind(day(3))
            .execute(&world.db.owner)
            .await?;
    }
    world.wait_for_planning().await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(world.sink.received()?.is_empty(), "Sunday evening: nothing");

    // Monday 08:15: the week's digest, to Camille (the admin gets single reminders).
    world.advance_to(paris(day(1), 8, 15));
    world.wait_for_emails(1).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let to_camille: Vec<ReceivedEmail> = world
        .sink
        .received()?
        .into_iter()
        .filter(|e| e.envelope_to == "camille@example.org")
        .collect();
    assert_eq!(to_camille.len(), 1, "one digest, no single reminder");
    let digest = &to_camille[0];
    assert_eq!(
        digest.subject,
        "[Association amis-du-quartier] Votre semaine : 2 échéances"
    );
    let text = digest.text.replace("\r\n", "\n");
    let report = text.find("« Bilan annuel » — à rendre demain");
    let call = text.find("Tâche « Appeler la mairie » — à faire dans 4 jours");
    assert!(
        matches!((report, call), (Some(r), Some(c)) if r < c),
        "soonest first: {text}"
    );
    assert!(!text.contains("Fête de la récolte"), "{text}");
    assert!(!text.contains("Convention CAF"), "{text}");

    // The rest of the week: the reminders that fall due are held for next week's digest.
    world.advance_to(paris(day(2), 9, 0));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let to_camille = world
        .sink
        .received()?
        .into_iter()
        .filter(|e| e.envelope_to == "camille@example.org")
        .count();
    assert_eq!(to_camille, 1, "one digest a week");

    // Until next Monday, a round does not look at Camille again; choosing the weekly
    // digest anew (after another mode) has her looked at at once.
    let next_monday: bool = sqlx::query_scalar(
        "select next_digest_at = $3 from notification_preferences where tenant_id = $1 and user_id = $2",
    )
    .bind(world.tenant_id)
    .bind(world.user_id)
    .bind(paris(day(8), 0, 0))
    .fetch_one(&world.db.owner)
    .await?;
    assert!(next_monday, "looked at again next Monday");
    for mode in ["daily", "weekly"] {
        sqlx::query(
            "update notification_preferences set mode = $3 where tenant_id = $1 and user_id = $2",
        )
        .bind(world.tenant_id)
        .bind(world.user_id)
        .bind(mode)
        .execute(&world.db.owner)
        .await?;
    }
    let at_once: bool = sqlx::query_scalar(
        "select next_digest_at = '-infinity' from notification_preferences where tenant_id = $1 and user_id = $2",
    )
    .bind(world.tenant_id)
    .bind(world.user_id)
    .fetch_one(&world.db.owner)
    .await?;
    assert!(at_once, "looked at again at once");
    Ok(())
}

/// A digest the SMTP server refuses for good fails its reminders, visibly, instead of
/// being tried again every round.
#[tokio::test]
async fn a_refused_digest_fails_its_reminders_once() -> TestResult {
    let world = World::new().await?;
    world.choose_mode("daily").await?;
    world.sink.reject("camille@example.org")?;
    let _instance = world.start_instance().await?;
    let deadline = world
        .create_deadline("Bilan annuel", due_in_two_days())
        .await?;
    world.advance_to_due_day_plus(-1, 8, 15);
    world
        .wait_for_reminder(deadline, "d-1", "failed", 0)
        .await?;
    let notification = world.db.pool_as(ServiceRole::Notification).await?;
    let failed = maillage_notification::dead_letters::failed(&notification, 10).await?;
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("550")),
        "{failed:?}"
    );
    // Later rounds leave it alone: still failed, nothing received.
    tokio::time::sleep(Duration::from_secs(1)).await;
    world
        .wait_for_reminder(deadline, "d-1", "failed", 0)
        .await?;
    assert!(world.sink.received()?.is_empty());
    Ok(())
}
