//! The planner worker: each event of the events stream (a deadline, milestone, task…
//! created or changed) plans that subject's reminders (`crate::planner::plan_event`).

use super::{Context, forever, uuid_field};
use crate::planner::plan_event;
use crate::subject::Subject;
use maillage_queue::WorkStream;

/// Outbox events a planner takes from the stream at once.
const EVENTS_PER_BATCH: usize = 50;

pub async fn run(context: Context, events: WorkStream) {
    forever("planner", &context.redis_url, |mut redis| {
        let (context, events) = (&context, &events);
        async move {
            events.ensure_group(&mut redis).await?;
            let batch = events
                .next_batch(
                    &mut redis,
                    EVENTS_PER_BATCH,
                    Some(context.poll),
                    context.reclaim,
                )
                .await?;
            for entry in batch {
                if let (Some(tenant_id), Some(subject_id)) = (
                    uuid_field(&entry, "tenant_id"),
                    uuid_field(&entry, "aggregate_id"),
                ) {
                    let event_id = uuid_field(&entry, "event_id");
                    let topic = entry.get::<String>("topic");
                    plan_event(
                        &context.pool,
                        tenant_id,
                        Subject::of_topic(topic.as_deref()),
                        subject_id,
                        event_id,
                        context.clock.now(),
                    )
                    .await?;
                } else {
                    tracing::warn!(entry = %entry.id, "malformed event dropped");
                }
                events.ack(&mut redis, &entry.id).await?;
            }
            Ok(redis)
        }
    })
    .await
}
