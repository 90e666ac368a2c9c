//! The dispatcher worker: the reminders due onto the reminders stream, and the sends
//! whose process died put back to be sent (`crate::planner`).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::{Context, forever};
use crate::metrics::Counters;
use crate::planner::{DISPATCH_BATCH, dispatch_due, resend_interrupted_sends};
use maillage_queue::WorkStream;

pub async fn run(context: Context, reminders: WorkStream, counters: Arc<Counters>) {
    forever("dispatcher", &context.redis_url, |mut redis| {
        let (context, reminders, counters) = (&context, &reminders, &counters);
        async move {
            for (tenant_id, reminder_id) in resend_interrupted_sends(&context.pool).await? {
                tracing::warn!(%tenant_id, %reminder_id, "send interrupted: sent again");
                counters.resent.fetch_add(1, Ordering::Relaxed);
            }
            let handled =
                dispatch_due(&context.pool, &mut redis, reminders, context.clock.now()).await?;
            if handled > 0 {
                tracing::info!(handled, "due reminders queued");
            }
            // A full batch: more are waiting.
            if (handled as i64) < DISPATCH_BATCH {
                tokio::time::sleep(context.poll).await;
            }
            Ok(redis)
        }
    })
    .await
}
