//! The notification service killed for real (SIGKILL) in the middle of its work: the
//! service binary runs as a child process against real PostgreSQL, Redis and an SMTP
//! server, and is killed while the SMTP server holds an email it has taken but not yet
//! answered for.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use maillage_db::ServiceRole;
use maillage_notification::dead_letters;
use maillage_testkit::{
    SmtpSink, TestDatabase, eventually, free_port, redis_url, unique_redis_namespace,
};
use uuid::Uuid;

type TestResult = anyhow::Result<()>;

const WAIT: Duration = Duration::from_secs(30);

/// A running notification process, killed (SIGKILL) when dropped.
struct Service(Child);

impl Service {
    fn start(db: &TestDatabase, sink: &SmtpSink, namespace: &str) -> anyhow::Result<Self> {
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
            .env("NOTIFICATION_BIND", format!("127.0.0.1:{}", free_port()?))
            .env("NOTIFICATION_POLL_MS", "100")
            .env("NOTIFICATION_RECLAIM_SECONDS", "1")
            .env("NOTIFICATION_UNCERTAIN_AFTER_SECONDS", "3")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        Ok(Self(child))
    }

    /// SIGKILL: no shutdown, no cleanup, whatever it was doing.
    fn kill(mut self) -> anyhow::Result<()> {
        self.0.kill()?;
        self.0.wait()?;
        Ok(())
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_process_killed_mid_send_neither_loses_nor_doubles_a_reminder() -> TestResult {
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
    // What the server had taken when the process died, without having said so.
    let taken_unanswered: Vec<String> = sink.received()?.into_iter().map(|e| e.subject).collect();

    // Another process takes over, with a server back to normal.
    sink.accept_all()?;
    let _second = Service::start(&db, &sink, &namespace)?;
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
        let settled = rows
            .iter()
            .all(|(_, status)| status == "sent" || status == "failed");
        (rows.len() == 4 && settled).then_some(rows)
    };
    let settled = eventually(WAIT, statuses)
        .await
        .ok_or_else(|| anyhow::anyhow!("the reminders never settled"))?;
    tokio::time::sleep(Duration::from_secs(2)).await;

    let subjects: Vec<String> = sink.received()?.into_iter().map(|e| e.subject).collect();
    let emails_about = |title: &str| {
        let about = format!("« {title} »");
        subjects.iter().filter(|s| s.contains(&about)).count()
    };
    for (title, status) in &settled {
        // Never twice; and nothing lost: sent, or failed as uncertain for an admin to see.
        match status.as_str() {
            "sent" => assert_eq!(emails_about(title), 1, "{title}: {subjects:?}"),
            _ => assert!(emails_about(title) <= 1, "{title}: {subjects:?}"),
        }
    }
    // The sends the kill cut short (at least the one the server held) are not sent again.
    let interrupted: Vec<&String> = settled
        .iter()
        .filter(|(_, status)| status == "failed")
        .map(|(title, _)| title)
        .collect();
    assert!(!interrupted.is_empty(), "{settled:?}");
    for taken in &taken_unanswered {
        assert!(
            interrupted
                .iter()
                .any(|title| taken.contains(&format!("« {title} »"))),
            "{taken} was taken by the server before the kill: failed as uncertain, not resent ({settled:?})"
        );
    }
    let notification = db.pool_as(ServiceRole::Notification).await?;
    let failed = dead_letters::failed(&notification, 10).await?;
    assert_eq!(failed.len(), interrupted.len());
    assert!(
        failed.iter().all(|f| f
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("interrupted during the send"))),
        "{failed:?}"
    );
    Ok(())
}
