//! The sender worker: each entry of the reminders stream becomes one email
//! (`crate::delivery`), `in_flight` of them on their way at once.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use redis::aio::ConnectionManager;
use redis::streams::StreamId;

use super::{Context, forever, uuid_field};
use crate::delivery::{Outbound, Outcome, Sender};
use crate::metrics::Counters;
use crate::{Clock, Error, dead_letters};
use maillage_queue::WorkStream;

pub async fn run(
    context: Context,
    outbound: Arc<Outbound>,
    reminders: WorkStream,
    namespace: String,
    counters: Arc<Counters>,
    in_flight: usize,
) {
    forever("sender", &context.redis_url, |mut redis| {
        let (context, outbound, reminders, namespace, counters) =
            (&context, &outbound, &reminders, &namespace, &counters);
        async move {
            reminders.ensure_group(&mut redis).await?;
            let sending = Sending {
                sender: outbound.sender(),
                reminders,
                namespace,
                clock: context.clock.as_ref(),
                counters,
                in_flight,
                poll: context.poll,
                reclaim: context.reclaim,
            };
            sending.run(&mut redis).await?;
            Ok(redis)
        }
    })
    .await
}

/// The sender's work: `in_flight` emails on their way at once, more entries read from
/// the stream as they go (not a batch at a time, whose last sends would leave the others
/// idle).
struct Sending<'a> {
    sender: Sender<'a>,
    reminders: &'a WorkStream,
    namespace: &'a str,
    clock: &'a dyn Clock,
    counters: &'a Counters,
    in_flight: usize,
    poll: Duration,
    reclaim: Duration,
}

impl Sending<'_> {
    /// Sends until the stream has nothing more for a while, or a send fails (the
    /// database or Redis away): then the sends on their way are finished first and the
    /// first error returned.
    async fn run(&self, redis: &mut ConnectionManager) -> Result<(), Error> {
        let mut sends = FuturesUnordered::new();
        let mut failed = None;
        loop {
            // Read again once half the sends are done: a read per finished send would
            // double the round trips to Redis.
            if failed.is_none() && sends.len() <= self.in_flight / 2 {
                // With sends on their way, a look without waiting: their acknowledgements
                // go through this same connection, which a blocking read would hold.
                let block = sends.is_empty().then_some(self.poll);
                let room = self.in_flight - sends.len();
                for entry in self
                    .reminders
                    .next_batch(redis, room, block, self.reclaim)
                    .await?
                {
                    let redis = redis.clone();
                    sends.push(async move {
                        let outcome = deliver_entry(
                            &self.sender,
                            redis,
                            self.reminders,
                            self.namespace,
                            &entry,
                            self.clock.now(),
                        )
                        .await?;
                        self.counters.count(&outcome);
                        Ok::<(), Error>(())
                    });
                }
            }
            match sends.next().await {
                None => return failed.map_or(Ok(()), Err),
                Some(Err(error)) if failed.is_none() => failed = Some(error),
                Some(_) => {}
            }
        }
    }
}

/// Delivers the reminder a stream entry names, announces it if it ends dead-lettered,
/// and acknowledges the entry once its outcome is recorded.
async fn deliver_entry(
    sender: &Sender<'_>,
    mut redis: ConnectionManager,
    reminders: &WorkStream,
    namespace: &str,
    entry: &StreamId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Outcome, Error> {
    let ids = (
        uuid_field(entry, "tenant_id"),
        uuid_field(entry, "reminder_id"),
    );
    let outcome = match ids {
        (Some(tenant_id), Some(reminder_id)) => sender.deliver(tenant_id, reminder_id, now).await?,
        _ => Outcome::Rejected,
    };
    match (&outcome, ids) {
        (Outcome::Rejected, _) => tracing::warn!(
            entry = %entry.id,
            "reminder message rejected: no such reminder in its tenant"
        ),
        (Outcome::DeadLettered { error }, (Some(tenant_id), Some(reminder_id))) => {
            dead_letters::announce(&mut redis, namespace, tenant_id, reminder_id, error).await?;
        }
        _ => tracing::info!(entry = %entry.id, ?outcome, "reminder handled"),
    }
    reminders.ack(&mut redis, &entry.id).await?;
    Ok(outcome)
}
