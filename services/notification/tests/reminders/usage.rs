//! What each workspace stores is measured in the background for the platform console:
//! the bytes of its rows, each workspace at most once an hour.

use std::time::Duration;

use chrono::{DateTime, Utc};
use maillage_testkit::eventually;

use crate::helpers::{TestResult, WAIT, World};

async fn measured(world: &World) -> anyhow::Result<(Option<i64>, Option<DateTime<Utc>>)> {
    Ok(
        sqlx::query_as("select storage_bytes, storage_measured_at from tenants where id = $1")
            .bind(world.tenant_id)
            .fetch_one(&world.db.owner)
            .await?,
    )
}

#[tokio::test]
async fn each_workspaces_storage_is_measured_at_most_once_an_hour() -> TestResult {
    let world = World::new().await?;
    let _instance = world.start_instance().await?;
    world
        .create_deadline("Bilan annuel", crate::helpers::due_in_two_days())
        .await?;
    let first = eventually(WAIT, || async {
        match measured(&world).await.ok()? {
            (Some(bytes), Some(at)) => Some((bytes, at)),
            _ => None,
        }
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("never measured"))?;
    assert!(first.0 > 0, "its rows take room: {}", first.0);

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        measured(&world).await?.1,
        Some(first.1),
        "not again within the hour"
    );
    world.clock.advance(chrono::Duration::hours(2));
    let again = eventually(WAIT, || async {
        let (_, at) = measured(&world).await.ok()?;
        at.filter(|at| *at > first.1)
    })
    .await;
    assert!(again.is_some(), "measured again an hour later");
    Ok(())
}
