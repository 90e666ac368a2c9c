//! Members who chose a daily or weekly digest: one email for many reminders, and a
//! refused digest.

use std::time::Duration;

use chrono::Utc;
use maillage_db::ServiceRole;
use maillage_testkit::ReceivedEmail;
use uuid::Uuid;

use crate::helpers::{TestResult, World, due_in_two_days, paris};

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
    // In one transaction: the running instance, which would look at her at once and
    // move the date on, waits for the row until the test has read it.
    let mut tx = world.db.owner.begin().await?;
    for mode in ["daily", "weekly"] {
        sqlx::query(
            "update notification_preferences set mode = $3 where tenant_id = $1 and user_id = $2",
        )
        .bind(world.tenant_id)
        .bind(world.user_id)
        .bind(mode)
        .execute(&mut *tx)
        .await?;
    }
    let at_once: bool = sqlx::query_scalar(
        "select next_digest_at = '-infinity' from notification_preferences where tenant_id = $1 and user_id = $2",
    )
    .bind(world.tenant_id)
    .bind(world.user_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
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
