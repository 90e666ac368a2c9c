//! The notification service killed for real (SIGKILL) in the middle of its work: the
//! service binary runs as a child process against real PostgreSQL, Redis and an SMTP
//! server, and is killed while the SMTP server holds an email it has taken but not yet
//! answered for. Nothing may be lost: a send cut short is made again once its lease runs
//! out, with the same Message-ID.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use maillage_db::ServiceRole;
use maillage_testkit::{
    SmtpSink, TestDatabase, eventually, free_port, redis_url, unique_redis_namespace,
};
use uuid::Uuid;

type TestResult = anyhow::Result<()>;

const WAIT: Duration = Duration::from_secs(30);

/// A running notification process, killed (SIGKILL) when dropped.
struct Service {
    child: Child,
    port: u16,
}

impl Service {
    fn start(db: &TestDatabase, sink: &SmtpSink, namespace: &str) -> anyhow::Result<Self> {
        let port = free_port()?;
        let child = Command::new(env!("CARGO_BIN_EXE_notification"))
            .env(
                "NOTIFICATION_DATABASE_URL",
                db.url_as(ServiceRole::Notification),
            )
            .env("REDIS_URL", redis_url())
            .env("REDIS_NAMESPACE", namespace)
            .env("SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port))
            .env("MAIL_FROM", "Maillage <rappels@maillage.test>")
            .env("PUBLIC_BASE_URL", "https://maillage.example.org")
            .env("NOTIFICATION_BIND", format!("127.0.0.1:{port}"))
            .env("NOTIFICATION_POLL_MS", "100")
            .env("NOTIFICATION_RECLAIM_SECONDS", "1")
            .env("NOTIFICATION_SEND_LEASE_SECONDS", "2")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        Ok(Self { child, port })
    }

    /// SIGKILL: no shutdown, no cleanup, whatever it was doing.
    fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    /// A counter of its `/metrics` page.
    async fn metric(&self, name: &str) -> anyhow::Result<f64> {
        let page = reqwest::get(format!("http://127.0.0.1:{}/metrics", self.port))
            .await?
            .text()
            .await?;
        page.lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .ok_or_else(|| anyhow::anyhow!("no {name} in {page}"))
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_process_killed_mid_send_loses_no_reminder_and_resends_only_what_was_in_flight()
-> TestResult {
    maillage_runtime::init("notification-crash-test");
    let db = TestDatabase::create().await?;
    let tenant_id = db.create_tenant("amis-du-quartier").await?;
    let user_id = db.create_user("camille@example.org").await?;
    db.add_member(tenant_id, user_id, "editor").await?;
    // Reminders go out at any hour in this tenant: the child process runs on the real
    // clock, and four reminders are due as soon as it starts.
    sqlx::query(
        "update reminder_policies set send_at = '00:00', quiet_hours_start = '00:00', quiet_hours_end = '00:00'
         where tenant_id = $1",
    )
    .bind(tenant_id)
    .execute(&db.owner)
    .await?;
    for n in 1..=4 {
        let id = Uuid::now_v7();
        let mut tx = db.owner.begin().await?;
        sqlx::query(
            "insert into reporting_deadlines (tenant_id, id, title, due_at)
             values ($1, $2, $3, now() + interval '3 hours')",
        )
        .bind(tenant_id)
        .bind(id)
        .bind(format!("Rapport {n}"))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into deadline_responsibles (tenant_id, deadline_id, user_id) values ($1, $2, $3)",
        )
        .bind(tenant_id)
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into outbox (tenant_id, id, topic, aggregate_id) values ($1, $2, 'deadline.changed', $3)",
        )
        .bind(tenant_id)
        .bind(Uuid::now_v7())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }

    // The SMTP server takes each email at once but answers only 5 s later; the process is
    // killed in between: it never learns that its first email was taken.
    let sink = SmtpSink::start().await?;
    sink.answer_slowly(Duration::from_secs(5))?;
    let namespace = unique_redis_namespace();
    let first = Service::start(&db, &sink, &namespace)?;
    eventually(WAIT, || async {
        (!sink.received().ok()?.is_empty()).then_some(())
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("the first email never reached the server"))?;
    first.kill()?;
    // What was in flight when the process died: marked sending, outcome never recorded.
    let (in_flight,): (i64,) = sqlx::query_as(
        "select count(*) from reminders where tenant_id = $1 and status = 'sending'",
    )
    .bind(tenant_id)
    .fetch_one(&db.owner)
    .await?;
    assert!(in_flight >= 1, "the kill came mid-send");

    // Another process takes over, with a server back to normal.
    sink.accept_all()?;
    let second = Service::start(&db, &sink, &namespace)?;
    let statuses = || async {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "select d.title, r.status from reminders r
             join reporting_deadlines d on d.tenant_id = r.tenant_id and d.id = r.subject_id
             where r.tenant_id = $1 and r.status not in ('skipped', 'pending')
             order by d.title",
        )
        .bind(tenant_id)
        .fetch_all(&db.owner)
        .await
        .ok()?;
        let settled = rows.iter().all(|(_, status)| status == "sent");
        (rows.len() == 4 && settled).then_some(rows)
    };
    let settled = eventually(WAIT, statuses)
        .await
        .ok_or_else(|| anyhow::anyhow!("not every reminder was sent"))?;
    tokio::time::sleep(Duration::from_secs(2)).await;

    // Every reminder arrived; a second copy only of what was in flight, with the same
    // Message-ID as the first, so that a mail client shows one.
    let received = sink.received()?;
    let mut copies = 0;
    for (title, _) in &settled {
        let about = format!("« {title} »");
        let emails: Vec<_> = received
            .iter()
            .filter(|e| e.subject.contains(&about))
            .collect();
        assert!(!emails.is_empty(), "{title} was lost");
        let ids: std::collections::BTreeSet<_> =
            emails.iter().map(|e| e.header("Message-ID")).collect();
        assert_eq!(ids.len(), 1, "{title}: one Message-ID, {ids:?}");
        copies += emails.len() as i64 - 1;
    }
    assert!(
        copies <= in_flight,
        "{copies} copies for {in_flight} in flight"
    );
    let (resends,): (i64,) = sqlx::query_as(
        "select coalesce(sum(resends), 0)::int8 from reminders where tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_one(&db.owner)
    .await?;
    assert_eq!(
        resends, in_flight,
        "each send in flight was made again, once"
    );
    assert_eq!(
        second.metric("maillage_reminders_resent_total").await?,
        in_flight as f64
    );
    Ok(())
}
