//! A suspended workspace's reminders wait; reactivated, the latest of each deadline goes
//! out once, and the ones it superseded do not follow in a burst.

use std::time::Duration;

use crate::helpers::{TestResult, World, due_in_two_days};

#[tokio::test]
async fn a_suspended_workspaces_reminders_wait_and_only_the_latest_goes_out_on_reactivation()
-> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    let deadline_id = world
        .create_deadline("Bilan annuel", due_in_two_days())
        .await?;
    world.wait_for_planning().await?;
    let suspend = |status: &'static str| {
        sqlx::query("update tenants set status = $2 where id = $1")
            .bind(world.tenant_id)
            .bind(status)
            .execute(&world.db.owner)
    };
    suspend("suspended").await?;

    // The day before, then the day itself: two reminders due, none sent.
    world.advance_to_day_before();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    world.advance_to_due_day_plus(0, 9, 0);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        world.sink.received()?.is_empty(),
        "a suspended workspace sends nothing"
    );
    let waiting = world.reminder_statuses(deadline_id).await?;
    assert_eq!(
        waiting[2..4],
        [
            ("d-1".to_owned(), "pending".to_owned()),
            ("d0".to_owned(), "pending".to_owned())
        ],
        "{waiting:?}"
    );

    suspend("active").await?;
    let emails = world.wait_for_emails(1).await?;
    world.wait_until_settled(deadline_id).await?;
    assert!(
        emails[0].subject.contains("aujourd'hui"),
        "{}",
        emails[0].subject
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(world.sink.received()?.len(), 1, "no burst of what waited");
    assert_eq!(
        world.reminder_statuses(deadline_id).await?[2..4],
        [
            ("d-1".to_owned(), "skipped".to_owned()),
            ("d0".to_owned(), "sent".to_owned())
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_workspace_whose_grace_period_is_over_is_deleted_and_reminds_no_more() -> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    world
        .create_deadline("Bilan annuel", due_in_two_days())
        .await?;
    world.wait_for_planning().await?;
    sqlx::query("update tenants set status = 'suspended', deletion_due_at = $2 where id = $1")
        .bind(world.tenant_id)
        .bind(world.clock_now() + chrono::Duration::days(30))
        .execute(&world.db.owner)
        .await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        world.tenants().await?,
        1,
        "not before its grace period is over"
    );

    world.advance_to(world.clock_now() + chrono::Duration::days(31));
    let gone = maillage_testkit::eventually(crate::helpers::WAIT, || async {
        (world.tenants().await.ok()? == 0).then_some(())
    })
    .await;
    assert!(gone.is_some(), "the workspace was not deleted");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(world.sink.received()?.is_empty());
    Ok(())
}
