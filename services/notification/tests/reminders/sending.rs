//! Each reminder sent exactly once, whatever fails: restarts, replays, SMTP failures,
//! Redis losing everything, two instances; and signed when the deployment signs.

use std::time::Duration;

use maillage_db::ServiceRole;
use maillage_notification::Dkim;
use maillage_testkit::{eventually, redis_url};
use redis::AsyncCommands;
use uuid::Uuid;

use crate::helpers::{TestResult, WAIT, World, announce, due_in_two_days};

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
        private_key_pem: include_str!("../fixtures/dkim-test-only.pem").into(),
    };
    let _instance = world.start_instance_with(Some(dkim)).await?;
    world
        .create_deadline("Bilan signé", due_in_two_days())
        .await?;
    world.advance_to_day_before();
    world.wait_for_emails(1).await?;
    let raw = world.sink.raw_messages()?.remove(0);

    // A real verifier (Python's dkimpy), with the public key as DNS would publish it.
    let public_key = include_str!("../fixtures/dkim-test-only.pub.b64").trim();
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
