//! The relay worker: committed outbox events onto the events stream (`crate::relay`).

use super::{Context, forever};
use crate::relay::relay_batch;
use maillage_queue::WorkStream;

pub async fn run(context: Context, events: WorkStream) {
    forever("outbox relay", &context.redis_url, |mut redis| {
        let (context, events) = (&context, &events);
        async move {
            if relay_batch(&context.pool, &mut redis, events, context.clock.now()).await? == 0 {
                tokio::time::sleep(context.poll).await;
            }
            Ok(redis)
        }
    })
    .await
}
