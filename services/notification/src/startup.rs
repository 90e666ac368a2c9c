use std::net::SocketAddr;
use std::sync::Arc;

use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::transport::smtp::PoolConfig;
use secrecy::ExposeSecret;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::delivery::{Mailer, Outbound};
use crate::metrics::Counters;
use crate::{Clock, Config, metrics, workers};
use maillage_queue::{self as streams, WorkStream};

pub struct Application {
    config: Config,
    clock: Arc<dyn Clock>,
    pool: PgPool,
    outbound: Arc<Outbound>,
    listener: TcpListener,
}

impl Application {
    pub async fn build(mut config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        // At least one email on its way, whatever the setting: clamped once, here.
        config.sends_in_flight = config.sends_in_flight.max(1);
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
                .pool_config(PoolConfig::new().max_size(config.sends_in_flight as u32))
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

    /// Runs the workers and the health endpoints until SIGTERM or Ctrl-C. Dropping
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

        let counters = Arc::new(Counters::default());
        let (gauges_out, gauges) = watch::channel(None);
        let context = workers::Context {
            pool: pool.clone(),
            clock,
            redis_url: config.redis_url.clone(),
            poll: config.poll_interval,
            reclaim: config.reclaim_after,
        };
        let mut running = JoinSet::new();
        running.spawn(workers::sampler::run(
            context.clone(),
            namespace.clone(),
            [events.clone(), reminders.clone()],
            config.metrics_interval,
            gauges_out,
        ));
        running.spawn(workers::relay::run(context.clone(), events.clone()));
        running.spawn(workers::planner::run(context.clone(), events));
        running.spawn(workers::dispatcher::run(
            context.clone(),
            reminders.clone(),
            counters.clone(),
        ));
        running.spawn(workers::digester::run(context.clone(), outbound.clone()));
        running.spawn(workers::inviter::run(context.clone(), outbound.clone()));
        running.spawn(workers::purger::run(context.clone()));
        running.spawn(workers::measurer::run(context.clone()));
        running.spawn(workers::sender::run(
            context,
            outbound,
            reminders,
            namespace,
            counters.clone(),
            config.sends_in_flight,
        ));

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
            Some(ended) = running.join_next() => {
                anyhow::bail!("a notification worker stopped unexpectedly: {ended:?}")
            }
        }
        Ok(())
    }
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

async fn redis_answers(url: &str) -> bool {
    match streams::connect(url).await {
        Ok(mut redis) => redis::cmd("PING")
            .query_async::<String>(&mut redis)
            .await
            .is_ok(),
        Err(_) => false,
    }
}
