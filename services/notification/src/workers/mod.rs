//! The service's workers, one module each: each has a `run` that never returns, and
//! restarts its step after an error (a server away) rather than stopping.
//!
//! ```text
//! relay       outbox (PostgreSQL) → stream "events"
//! planner     stream "events" → reminders planned (PostgreSQL)
//! dispatcher  reminders due → stream "reminders"; interrupted sends put back
//! sender      stream "reminders" → SMTP → "sent" recorded, entry acknowledged
//! digester    daily and weekly digests
//! inviter     invitation emails
//! purger      workspaces deleted once their grace period is over
//! measurer    what each workspace stores, for the platform console
//! sampler     the gauges /metrics serves
//! ```

pub mod digester;
pub mod dispatcher;
pub mod inviter;
pub mod measurer;
pub mod planner;
pub mod purger;
pub mod relay;
pub mod sampler;
pub mod sender;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::streams::StreamId;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{Clock, Error};
use maillage_queue as streams;

/// After an error (a server down), a worker waits this long before trying again.
const RETRY_DELAY: Duration = Duration::from_secs(2);

/// What every worker shares.
#[derive(Clone)]
pub struct Context {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    pub redis_url: String,
    /// How long a worker waits when it finds nothing to do.
    pub poll: Duration,
    /// After how long a stream entry another consumer left unacknowledged is taken over.
    pub reclaim: Duration,
}

/// Runs `step` again and again on one Redis connection of its own (blocking reads must
/// not hold up other commands). An error is logged and retried after a pause.
async fn forever<F, Fut>(name: &'static str, redis_url: &str, mut step: F)
where
    F: FnMut(ConnectionManager) -> Fut,
    Fut: Future<Output = Result<ConnectionManager, Error>>,
{
    loop {
        let redis = match streams::connect(redis_url).await {
            Ok(redis) => redis,
            Err(error) => {
                tracing::warn!(worker = name, %error, "cannot reach Redis, retrying");
                tokio::time::sleep(RETRY_DELAY).await;
                continue;
            }
        };
        let mut redis = Some(redis);
        while let Some(connection) = redis.take() {
            match step(connection).await {
                Ok(connection) => redis = Some(connection),
                Err(error) => {
                    tracing::warn!(worker = name, %error, "step failed, retrying");
                    tokio::time::sleep(RETRY_DELAY).await;
                }
            }
        }
    }
}

fn uuid_field(entry: &StreamId, field: &str) -> Option<Uuid> {
    entry.get::<String>(field).and_then(|raw| raw.parse().ok())
}
