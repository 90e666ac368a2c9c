//! The importers: each core-records instance runs one, which takes waiting imports one
//! at a time. PostgreSQL says what waits (an import checking, queued, running or undoing
//! that no importer has shown signs of life on for `STALE_AFTER`); the `imports` Redis
//! stream only wakes the importers at once instead of at their next look. An import
//! whose importer died is taken over by the next look: a check starts again, a run goes
//! on after its last committed batch, an undo starts again (it is one transaction).

use std::time::Duration;

use maillage_domain::import::ImportStatus;
use maillage_queue::WorkStream;
use sqlx::PgPool;
use uuid::Uuid;

use super::{check, queries, run, undo};
use crate::Error;

/// How long an importer may stay silent on an import before another takes it over: a
/// batch takes well under a second, and each one shows the importer alive.
const STALE_AFTER_SECONDS: f64 = 60.0;
/// How often an importer looks for waiting work when nothing wakes it.
const LOOK_EVERY: Duration = Duration::from_secs(5);

/// Wakes the importers; held by the request handlers.
#[derive(Clone)]
pub struct Importers {
    client: Option<redis::Client>,
    stream: WorkStream,
}

impl Importers {
    pub fn new(redis_url: &str, namespace: &str) -> Self {
        let client = redis::Client::open(redis_url)
            .inspect_err(|error| tracing::warn!(%error, "imports: Redis URL unreadable"))
            .ok();
        Self {
            client,
            stream: WorkStream::imports(namespace, "core-records"),
        }
    }

    /// Tells the importers an import waits. Best effort: one that misses this finds the
    /// import at its next look.
    pub async fn wake(&self, tenant_id: Uuid, import_id: Uuid) {
        let Some(client) = &self.client else {
            return;
        };
        let woken = async {
            let mut redis = client.get_multiplexed_async_connection().await?;
            self.stream
                .publish(
                    &mut redis,
                    &[
                        ("tenant_id", tenant_id.to_string()),
                        ("import_id", import_id.to_string()),
                    ],
                )
                .await
        };
        if let Err(error) = woken.await {
            tracing::warn!(%error, %import_id, "imports: could not wake the importers");
        }
    }
}

/// Runs this instance's importer for as long as the service runs.
pub fn spawn(pool: PgPool, redis_url: String, namespace: String) {
    tokio::spawn(async move {
        let consumer = format!("core-records-{}", Uuid::now_v7().simple());
        let stream = WorkStream::imports(&namespace, &consumer);
        let mut redis = None;
        loop {
            redis = wait_for_work(&redis_url, &stream, redis).await;
            if let Err(error) = take_waiting(&pool).await {
                tracing::warn!(%error, "imports: looking for work failed, retrying");
            }
        }
    });
}

/// Waits until woken or `LOOK_EVERY` has passed; the connection to reuse next time.
async fn wait_for_work(
    redis_url: &str,
    stream: &WorkStream,
    connection: Option<maillage_queue::Connection>,
) -> Option<maillage_queue::Connection> {
    let mut redis = match connection {
        Some(redis) => redis,
        None => match maillage_queue::connect(redis_url).await {
            Ok(mut redis) => {
                if let Err(error) = stream.ensure_group(&mut redis).await {
                    tracing::warn!(%error, "imports: cannot create the consumer group");
                }
                redis
            }
            Err(error) => {
                tracing::warn!(%error, "imports: cannot reach Redis, looking in the database only");
                tokio::time::sleep(LOOK_EVERY).await;
                return None;
            }
        },
    };
    match stream
        .next_batch(&mut redis, 100, Some(LOOK_EVERY), LOOK_EVERY)
        .await
    {
        Ok(entries) => {
            for entry in entries {
                // A wake-up only: the work is in PostgreSQL.
                let _ = stream.ack(&mut redis, &entry.id).await;
            }
            Some(redis)
        }
        Err(error) => {
            tracing::warn!(%error, "imports: reading the stream failed");
            tokio::time::sleep(LOOK_EVERY).await;
            None
        }
    }
}

/// Takes waiting imports one after the other until none is left.
async fn take_waiting(pool: &PgPool) -> Result<(), Error> {
    while let Some((tenant_id, import_id)) = next_waiting(pool).await? {
        let Some(status) = claim(pool, tenant_id, import_id).await? else {
            continue;
        };
        let worked = match status {
            ImportStatus::Checking => check::check(pool, tenant_id, import_id).await,
            ImportStatus::Queued | ImportStatus::Running => {
                run::run(pool, tenant_id, import_id).await
            }
            ImportStatus::Undoing => undo::undo(pool, tenant_id, import_id).await,
            _ => Ok(()),
        };
        if let Err(error) = worked {
            // A database outage, most likely: the import stays claimed and is taken up
            // again once its claim is stale.
            tracing::error!(%error, %import_id, "imports: step failed");
        }
    }
    Ok(())
}

/// The oldest import waiting for an importer, whatever its tenant.
async fn next_waiting(pool: &PgPool) -> Result<Option<(Uuid, Uuid)>, Error> {
    let mut tx = maillage_db::begin_platform_scan(pool).await?;
    let found = sqlx::query!(
        r#"select tenant_id, id from imports
           where status in ('checking', 'queued', 'running', 'undoing')
             and (claimed_at is null or claimed_at < now() - make_interval(secs => $1))
           order by created_at
           limit 1"#,
        STALE_AFTER_SECONDS,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(found.map(|r| (r.tenant_id, r.id)))
}

/// Claims the import for this importer, unless another did first; its status.
async fn claim(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
) -> Result<Option<ImportStatus>, Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let status = sqlx::query_scalar!(
        r#"update imports set claimed_at = now()
           where tenant_id = $1 and id = $2
             and status in ('checking', 'queued', 'running', 'undoing')
             and (claimed_at is null or claimed_at < now() - make_interval(secs => $3))
           returning status"#,
        tenant_id,
        import_id,
        STALE_AFTER_SECONDS,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(status.as_deref().map(queries::status_of))
}
