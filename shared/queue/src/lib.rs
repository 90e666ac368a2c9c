//! The Redis streams that carry work between the services' stages, and their consumer
//! groups: the notification service's events and reminders, core-records' imports.
//! PostgreSQL keeps the work itself; a stream only says there is some, so an entry that
//! Redis loses is published again from the database.

use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::streams::{StreamAutoClaimOptions, StreamMaxlen, StreamReadOptions, StreamReadReply};

pub use redis::aio::ConnectionManager as Connection;
pub use redis::streams::StreamId;

/// What a queue operation fails with: Redis's own error.
pub type Error = redis::RedisError;

/// A work stream keeps about this many entries: acknowledged ones would otherwise stay
/// until Redis restarts. Trimming an entry still unacknowledged loses nothing either:
/// PostgreSQL has the work, and puts it back on the stream after 10 minutes (the relay
/// republishes unprocessed outbox events, the dispatcher requeues unsent reminders).
const STREAM_LENGTH: usize = 100_000;

/// One stream read by one consumer group.
#[derive(Clone)]
pub struct WorkStream {
    pub key: String,
    pub group: &'static str,
    pub consumer: String,
}

impl WorkStream {
    pub fn events(namespace: &str, consumer: &str) -> Self {
        Self {
            key: format!("{namespace}:events"),
            group: "planners",
            consumer: consumer.into(),
        }
    }

    pub fn reminders(namespace: &str, consumer: &str) -> Self {
        Self {
            key: format!("{namespace}:reminders"),
            group: "senders",
            consumer: consumer.into(),
        }
    }

    /// Imports to analyse or to run, read by core-records' importers.
    pub fn imports(namespace: &str, consumer: &str) -> Self {
        Self {
            key: format!("{namespace}:imports"),
            group: "importers",
            consumer: consumer.into(),
        }
    }

    /// Creates the stream and its group if they do not exist yet.
    pub async fn ensure_group(&self, redis: &mut ConnectionManager) -> Result<(), Error> {
        let created: Result<(), redis::RedisError> = redis
            .xgroup_create_mkstream(&self.key, self.group, "0")
            .await;
        match created {
            Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
            other => other,
        }
    }

    /// Adds an entry, on any connection (a request's short-lived one, say).
    pub async fn publish<C: redis::aio::ConnectionLike + Send + Sync>(
        &self,
        redis: &mut C,
        fields: &[(&str, String)],
    ) -> Result<(), Error> {
        let _: Option<String> = redis
            .xadd_maxlen(&self.key, StreamMaxlen::Approx(STREAM_LENGTH), "*", fields)
            .await?;
        Ok(())
    }

    /// Adds entries in one round trip.
    pub async fn publish_all(
        &self,
        redis: &mut ConnectionManager,
        entries: &[[(&str, String); 2]],
    ) -> Result<(), Error> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        for fields in entries {
            pipe.xadd_maxlen(&self.key, StreamMaxlen::Approx(STREAM_LENGTH), "*", fields)
                .ignore();
        }
        let () = pipe.query_async(redis).await?;
        Ok(())
    }

    /// Up to `count` new entries for this consumer, waiting up to `block` for some to
    /// arrive (not at all without one); then, if there were none, entries abandoned by a
    /// consumer for longer than `reclaim_after`.
    pub async fn next_batch(
        &self,
        redis: &mut ConnectionManager,
        count: usize,
        block: Option<Duration>,
        reclaim_after: Duration,
    ) -> Result<Vec<StreamId>, Error> {
        let mut options = StreamReadOptions::default()
            .group(self.group, &self.consumer)
            .count(count);
        if let Some(block) = block {
            options = options.block(block.as_millis() as usize);
        }
        let reply: Option<StreamReadReply> =
            redis.xread_options(&[&self.key], &[">"], &options).await?;
        let fresh: Vec<StreamId> = reply
            .into_iter()
            .flat_map(|r| r.keys)
            .flat_map(|k| k.ids)
            .collect();
        if !fresh.is_empty() {
            return Ok(fresh);
        }
        let reclaimed: redis::streams::StreamAutoClaimReply = redis
            .xautoclaim_options(
                &self.key,
                self.group,
                &self.consumer,
                reclaim_after.as_millis() as u64,
                "0-0",
                StreamAutoClaimOptions::default().count(count),
            )
            .await?;
        Ok(reclaimed.claimed)
    }

    pub async fn ack(&self, redis: &mut ConnectionManager, id: &str) -> Result<(), Error> {
        let _: i64 = redis.xack(&self.key, self.group, &[id]).await?;
        Ok(())
    }
}

/// A connection that reconnects by itself, with room for blocking reads.
pub async fn connect(url: &str) -> Result<ConnectionManager, Error> {
    let client = redis::Client::open(url)?;
    let config = ConnectionManagerConfig::new()
        .set_response_timeout(Some(Duration::from_secs(10)))
        .set_connection_timeout(Some(Duration::from_secs(5)));
    client.get_connection_manager_with_config(config).await
}
