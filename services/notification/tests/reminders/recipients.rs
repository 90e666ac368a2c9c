//! Who is reminded of what: every responsible once, the admins for what no one answers
//! for, everything dated, late reports every week.

use std::time::Duration;

use maillage_db::ServiceRole;
use maillage_testkit::eventually;
use uuid::Uuid;

use crate::helpers::{TestResult, WAIT, World, due_in_two_days};

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
