use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use lettre::message::Mailbox;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::transport::smtp::PoolConfig;
use redis::aio::ConnectionManager;
use redis::streams::StreamId;
use secrecy::ExposeSecret;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::delivery::{Mailer, Outcome, Sender};
use crate::metrics::Counters;
use crate::streams::{self, WorkStream};
use crate::subject::Subject;
use crate::{Clock, Config, Error, dead_letters, digest, metrics, planner, relay};

/// After an error (a server down), a loop waits this long before trying again.
const RETRY_DELAY: Duration = Duration::from_secs(2);

/// Outbox events a planner takes from the stream at once.
const EVENTS_PER_BATCH: usize = 50;

pub struct Application {
    config: Config,
    clock: Arc<dyn Clock>,
    pool: PgPool,
    outbound: Arc<Outbound>,
    listener: TcpListener,
}

/// What sending an email takes, shared by the sender and the digester.
struct Outbound {
    pool: PgPool,
    send_lease: Duration,
    mailer: Mailer,
    from: Mailbox,
    public_base_url: String,
    dkim: Option<DkimConfig>,
}

impl Outbound {
    fn sender(&self) -> Sender<'_> {
        Sender {
            pool: &self.pool,
            lease: self.send_lease,
            mailer: &self.mailer,
            from: &self.from,
            public_base_url: &self.public_base_url,
            dkim: self.dkim.as_ref(),
        }
    }
}

impl Application {
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let pool =
            maillage_db::connect_lazy(&config.database_url, config.database_max_connections)?;
        let dkim = match &config.dkim {
            None => None,
            Some(dkim) => {
                let key = DkimSigningKey::new(
                    dkim.private_key_pem.expose_secret(),
                    DkimSigningAlgorithm::Rsa,
                )
                .map_err(|_| {
                    anyhow::anyhow!("DKIM_PRIVATE_KEY_FILE is not an RSA private key in PKCS#1 PEM")
                })?;
                // Relaxed canonicalization survives the refolding relays do; the
                // List-Unsubscribe headers are signed, as one-click unsubscribe requires.
                let signed_headers = [
                    "From",
                    "To",
                    "Subject",
                    "Date",
                    "Message-ID",
                    "List-Unsubscribe",
                    "List-Unsubscribe-Post",
                ];
                Some(DkimConfig::new(
                    dkim.selector.clone(),
                    dkim.domain.clone(),
                    key,
                    signed_headers
                        .into_iter()
                        .map(HeaderName::new_from_ascii_str)
                        .collect(),
                    DkimCanonicalization {
                        header: DkimCanonicalizationType::Relaxed,
                        body: DkimCanonicalizationType::Relaxed,
                    },
                ))
            }
        };
        let outbound = Arc::new(Outbound {
            pool: pool.clone(),
            send_lease: config.send_lease,
            mailer: Mailer::from_url(&config.smtp_url)?
                .pool_config(PoolConfig::new().max_size(config.sends_in_flight.max(1) as u32))
                .build(),
            from: config.mail_from.parse()?,
            public_base_url: config.public_base_url.clone(),
            dkim,
        });
        let listener = TcpListener::bind(config.bind_addr).await?;
        Ok(Self {
            config,
            clock,
            pool,
            outbound,
            listener,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)))
    }

    /// Runs the five workers and the health endpoints until SIGTERM or Ctrl-C. Dropping
    /// the future stops everything; unacknowledged work is picked up again later.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let Self {
            config,
            clock,
            pool,
            outbound,
            listener,
        } = self;
        let namespace = config.redis_namespace.clone();
        let events = WorkStream::events(&namespace, &config.consumer_name);
        let reminders = WorkStream::reminders(&namespace, &config.consumer_name);
        let poll = config.poll_interval;
        let reclaim = config.reclaim_after;
        let in_flight = config.sends_in_flight.max(1);

        let counters = Arc::new(Counters::default());
        let (gauges_out, gauges) = watch::channel(None);
        let mut workers = JoinSet::new();
        {
            let (pool, namespace, clock) = (pool.clone(), namespace.clone(), clock.clone());
            let streams = [events.clone(), reminders.clone()];
            let every = config.metrics_interval;
            let gauges_out = Arc::new(gauges_out);
            workers.spawn(forever(
                "metrics sampler",
                config.redis_url.clone(),
                move |mut redis| {
                    let (pool, namespace, clock, streams, gauges_out) = (
                        pool.clone(),
                        namespace.clone(),
                        clock.clone(),
                        streams.clone(),
                        gauges_out.clone(),
                    );
                    async move {
                        let [events, reminders] = &streams;
                        let sources = metrics::Sources {
                            pool: &pool,
                            redis: &mut redis,
                            namespace: &namespace,
                            streams: [events, reminders],
                        };
                        let sampled = metrics::sample(sources, clock.now()).await?;
                        gauges_out.send_replace(Some(Arc::new(sampled)));
                        tokio::time::sleep(every).await;
                        Ok(redis)
                    }
                },
            ));
        }
        {
            let (pool, url, events, clock) = (
                pool.clone(),
                config.redis_url.clone(),
                events.clone(),
                clock.clone(),
            );
            workers.spawn(forever("outbox relay", url, move |mut redis| {
                let (pool, events, clock) = (pool.clone(), events.clone(), clock.clone());
                async move {
                    if relay::relay_batch(&pool, &mut redis, &events, clock.now()).await? == 0 {
                        tokio::time::sleep(poll).await;
                    }
                    Ok(redis)
                }
            }));
        }
        {
            let (pool, url, events, clock) = (
                pool.clone(),
                config.redis_url.clone(),
                events.clone(),
                clock.clone(),
            );
            workers.spawn(forever("planner", url, move |mut redis| {
                let (pool, events, clock) = (pool.clone(), events.clone(), clock.clone());
                async move {
                    events.ensure_group(&mut redis).await?;
                    for entry in events
                        .next_batch(&mut redis, EVENTS_PER_BATCH, Some(poll), reclaim)
                        .await?
                    {
                        if let (Some(tenant_id), Some(subject_id)) = (
                            uuid_field(&entry, "tenant_id"),
                            uuid_field(&entry, "aggregate_id"),
                        ) {
                            let event_id = uuid_field(&entry, "event_id");
                            let topic = entry.get::<String>("topic");
                            planner::plan_event(
                                &pool,
                                tenant_id,
                                Subject::of_topic(topic.as_deref()),
                                subject_id,
                                event_id,
                                clock.now(),
                            )
                            .await?;
                        } else {
                            tracing::warn!(entry = %entry.id, "malformed event dropped");
                        }
                        events.ack(&mut redis, &entry.id).await?;
                    }
                    Ok(redis)
                }
            }));
        }
        {
            let (pool, url, reminders, clock) = (
                pool.clone(),
                config.redis_url.clone(),
                reminders.clone(),
                clock.clone(),
            );
            let counters = counters.clone();
            workers.spawn(forever("dispatcher", url, move |mut redis| {
                let (pool, reminders, clock, counters) = (
                    pool.clone(),
                    reminders.clone(),
                    clock.clone(),
                    counters.clone(),
                );
                async move {
                    for (tenant_id, reminder_id) in planner::resend_interrupted_sends(&pool).await?
                    {
                        tracing::warn!(%tenant_id, %reminder_id, "send interrupted: sent again");
                        counters.resent.fetch_add(1, Ordering::Relaxed);
                    }
                    let handled =
                        planner::dispatch_due(&pool, &mut redis, &reminders, clock.now()).await?;
                    if handled > 0 {
                        tracing::info!(handled, "due reminders queued");
                    }
                    // A full batch: more are waiting.
                    if (handled as i64) < planner::DISPATCH_BATCH {
                        tokio::time::sleep(poll).await;
                    }
                    Ok(redis)
                }
            }));
        }
        {
            let (outbound, clock) = (outbound.clone(), clock.clone());
            workers.spawn(async move {
                let sender = outbound.sender();
                loop {
                    match digest::send_due(&sender, clock.now()).await {
                        Ok(0) => {}
                        Ok(sent) => tracing::info!(sent, "digests sent"),
                        Err(error) => {
                            tracing::warn!(worker = "digester", %error, "step failed, retrying");
                            tokio::time::sleep(RETRY_DELAY).await;
                        }
                    }
                    tokio::time::sleep(poll).await;
                }
            });
        }
        {
            let url = config.redis_url.clone();
            let state = Arc::new((
                outbound,
                reminders,
                clock,
                namespace.clone(),
                counters.clone(),
            ));
            workers.spawn(forever("sender", url, move |mut redis| {
                let state = state.clone();
                async move {
                    let (outbound, reminders, clock, namespace, counters) = &*state;
                    reminders.ensure_group(&mut redis).await?;
                    let sending = Sending {
                        sender: outbound.sender(),
                        reminders,
                        namespace,
                        clock: clock.as_ref(),
                        counters,
                        in_flight,
                        poll,
                        reclaim,
                    };
                    sending.run(&mut redis).await?;
                    Ok(redis)
                }
            }));
        }

        let redis_url = config.redis_url.clone();
        let health = maillage_runtime::health_routes(move || {
            let (pool, redis_url) = (pool.clone(), redis_url.clone());
            async move { maillage_db::ping(&pool).await && redis_answers(&redis_url).await }
        });
        let app = health.route(
            "/metrics",
            axum::routing::get(move || metrics_page(gauges.clone(), counters.clone())),
        );
        let server =
            axum::serve(listener, app).with_graceful_shutdown(maillage_runtime::shutdown_signal());
        tokio::select! {
            served = server => served?,
            Some(ended) = workers.join_next() => {
                anyhow::bail!("a notification worker stopped unexpectedly: {ended:?}")
            }
        }
        Ok(())
    }
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

/// The latest gauges, from the sampler.
type LatestGauges = watch::Receiver<Option<Arc<metrics::Gauges>>>;

async fn metrics_page(gauges: LatestGauges, counters: Arc<Counters>) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    // Cloned out of the channel: its lock is not held while the page is written.
    let latest = gauges.borrow().clone();
    match latest {
        Some(gauges) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            metrics::render(&gauges, &counters),
        )
            .into_response(),
        // Not one sample yet: the database or Redis has not answered since the start.
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Runs `step` again and again on one Redis connection of its own (blocking reads must
/// not hold up other commands). An error is logged and retried after a pause.
async fn forever<F, Fut>(name: &'static str, redis_url: String, mut step: F)
where
    F: FnMut(ConnectionManager) -> Fut,
    Fut: Future<Output = Result<ConnectionManager, Error>>,
{
    loop {
        let redis = match streams::connect(&redis_url).await {
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

async fn redis_answers(url: &str) -> bool {
    match streams::connect(url).await {
        Ok(mut redis) => redis::cmd("PING")
            .query_async::<String>(&mut redis)
            .await
            .is_ok(),
        Err(_) => false,
    }
}
