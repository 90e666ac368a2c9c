//! The retention keeper: each core-records instance runs one, which looks every so often
//! for workspaces whose daily purge is due, and erases the people their rule names, in
//! the name of the admin who scheduled it. Of several instances, the one that claims a
//! workspace's day (`last_purge_at`) does it; a pass cut short by a crash is taken up
//! the next day, the people it erased being gone.

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use super::{erasure, retention};
use crate::Error;
use crate::audit::{Action, Entry};

/// People erased per transaction.
const BATCH: i64 = 50;

/// Runs this instance's keeper for as long as the service runs.
pub fn spawn(pool: PgPool, look_every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(look_every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = pass(&pool).await {
                tracing::warn!(%error, "retention: looking for due purges failed");
            }
        }
    });
}

async fn pass(pool: &PgPool) -> Result<(), Error> {
    let mut tx = maillage_db::begin_platform_scan(pool).await?;
    let due = sqlx::query_scalar!(
        r#"select tenant_id from retention_rules
           where purge_scheduled and (last_purge_at is null or last_purge_at < now() - interval '23 hours')"#
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    for tenant_id in due {
        match purge(pool, tenant_id).await {
            Ok(0) => {}
            Ok(erased) => tracing::info!(%tenant_id, erased, "retention: people erased"),
            Err(error) => tracing::warn!(%error, %tenant_id, "retention: purge failed"),
        }
    }
    Ok(())
}

/// The workspace's purge of the day, if no other keeper took it: how many it erased.
async fn purge(pool: &PgPool, tenant_id: Uuid) -> Result<i32, Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let claimed = sqlx::query!(
        r#"update retention_rules set last_purge_at = now(), last_purge_erased = 0
           where tenant_id = $1 and purge_scheduled
             and (last_purge_at is null or last_purge_at < now() - interval '23 hours')
           returning inactive_years, set_by"#,
        tenant_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let Some(rule) = claimed else {
        return Ok(0);
    };
    let entry = Entry {
        tenant_id,
        actor_user_id: rule.set_by,
        request_id: "retention",
    };
    let mut erased = 0_i32;
    loop {
        let mut tx = maillage_db::begin_tenant_as(pool, tenant_id, rule.set_by).await?;
        let batch = retention::inactive(&mut tx, rule.inactive_years, BATCH).await?;
        if batch.is_empty() {
            tx.commit().await?;
            return Ok(erased);
        }
        for person in &batch {
            let counts = erasure::erase(&mut tx, tenant_id, person.id).await?;
            entry
                .record(
                    &mut tx,
                    Action::Erase,
                    "person",
                    person.id,
                    None,
                    Some(&counts),
                )
                .await?;
            erased = erased.saturating_add(1);
        }
        sqlx::query!(
            "update retention_rules set last_purge_erased = $2 where tenant_id = $1",
            tenant_id,
            erased,
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
}
