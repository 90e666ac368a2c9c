//! The sampler worker: reads the gauges every `every` and hands them to `/metrics`,
//! so that a scrape reads nothing (`crate::metrics`).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::{Context, forever};
use crate::metrics::{self, Gauges, Sources};
use maillage_queue::WorkStream;

pub async fn run(
    context: Context,
    namespace: String,
    streams: [WorkStream; 2],
    every: Duration,
    gauges: watch::Sender<Option<Arc<Gauges>>>,
) {
    forever("metrics sampler", &context.redis_url, |mut redis| {
        let (context, namespace, streams, gauges) = (&context, &namespace, &streams, &gauges);
        async move {
            let [events, reminders] = streams;
            let sources = Sources {
                pool: &context.pool,
                redis: &mut redis,
                namespace,
                streams: [events, reminders],
            };
            let sampled = metrics::sample(sources, context.clock.now()).await?;
            gauges.send_replace(Some(Arc::new(sampled)));
            tokio::time::sleep(every).await;
            Ok(redis)
        }
    })
    .await
}
