//! `make bench` (second part): the reminder engine at scale. 1,000,000 reporting
//! deadlines across 10,000 tenants, six reminders each (6,000,000 rows); then one day's
//! due reminders are found, queued and sent by a real notification service into a local
//! SMTP sink. Prints how long finding the due reminders takes (the dispatcher's query,
//! and the whole queueing), the sustained send rate, and beside it the sink's own
//! ceiling: one of those emails sent again by lettre alone, with as many connections.
//! The day is sent twice: into the tests' sink, which parses and stores each message in
//! Python, then into one that parses nothing, whose pace is the service's own.
//!
//! The seeded database (`maillage_bench_reminders`) is kept between runs; drop it to
//! reseed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use maillage_db::ServiceRole;
use maillage_notification::{Application, Clock, Config, ManualClock};
use maillage_testkit::{SmtpSink, TestDatabase, free_port, redis_url, unique_redis_namespace};
use sqlx::{Executor, PgPool};

mod cpu;

use cpu::{CpuAccount, CpuPerEmail};

const TENANTS: i32 = 10_000;
const DEADLINES_PER_TENANT: i32 = 100;
/// The send rate is measured over this many emails (or two minutes).
const SENT_SAMPLE: i64 = 6_000;
/// Emails the instance has in flight at once (the default of NOTIFICATION_SENDS_IN_FLIGHT);
/// the instance runs with the other defaults too (10 database connections, a poll a
/// second).
const SENDS_IN_FLIGHT: usize = 16;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Kept between runs: seeding takes minutes (drop the database to reseed).
    let db = TestDatabase::kept("maillage_bench_reminders").await?;
    let owner = db.owner.clone();
    // Every reminder fires at 07:00 UTC on a day of the coming year, from this origin.
    let origin = Utc
        .with_ymd_and_hms(2030, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    // The day measured: the 100th, at 09:00 UTC (10:00 in Paris, outside quiet hours).
    let now = origin + chrono::Duration::days(100) + chrono::Duration::hours(9);
    seed(&owner, origin, now).await?;
    let today = reset_today(&owner, now).await?;
    let due = today.len() as i64;

    println!(
        "\nReminder engine: {TENANTS} tenants, {} deadlines, 6 reminders each",
        TENANTS * DEADLINES_PER_TENANT
    );
    let query_ms = find_due_query(&owner, now, true).await?;
    println!(
        "find due reminders (dispatcher query, batch of 500, as maillage_notification): p50 {:.1} ms, p95 {:.1} ms",
        query_ms.0, query_ms.1
    );

    // Into the sink the tests read: it parses and stores every message, in Python.
    let storing = SmtpSink::start().await?;
    let instance = Instance::start(&db, now, &storing).await?;
    let queued_after = wait_for(&owner, "queued_at is not null", &today, due).await?;
    println!(
        "due today: {due} reminders, all found and queued in {:.2} s ({:.0}/s)",
        queued_after.as_secs_f64(),
        due as f64 / queued_after.as_secs_f64()
    );
    let into_storing = instance.send_rate(&owner, &storing).await?;
    into_storing.print("the local SMTP sink (aiosmtpd, parsing and storing each message)");
    // A Prometheus scrape, with every reminder in the table (it must not read them all).
    let mut scrapes = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let page = reqwest::get(&instance.metrics_url).await?.text().await?;
        scrapes.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(page.contains("maillage_reminder_lag_seconds"), "{page}");
    }
    scrapes.sort_by(f64::total_cmp);
    println!(
        "GET /metrics with {} reminders in the table: p50 {:.1} ms, p95 {:.1} ms",
        total_reminders(&owner).await?,
        scrapes[scrapes.len() / 2],
        scrapes[scrapes.len() * 95 / 100],
    );
    instance.stop().await;
    // The sink's own ceiling, the service stopped: what the send rate reads against.
    let email = one_sent_email(&storing)?;
    let ceiling = sink_alone(storing.port, &email).await?;
    into_storing.print_against(ceiling);

    // The same day again, into a server that parses nothing: the service's own pace,
    // as it would send to a relay written in C rather than to a Python parser.
    let today = reset_today(&owner, now).await?;
    let discarding = SmtpSink::start_discarding().await?;
    let instance = Instance::start(&db, now, &discarding).await?;
    wait_for(&owner, "queued_at is not null", &today, due).await?;
    let into_discarding = instance.send_rate(&owner, &discarding).await?;
    into_discarding.print("an SMTP server that parses nothing (aiosmtpd's Sink)");
    instance.stop().await;
    let ceiling = sink_alone(discarding.port, &email).await?;
    into_discarding.print_against(ceiling);

    // A round with nothing due (the day's reminders are all queued): what every poll of
    // a quiet day costs.
    let idle_ms = find_due_query(&owner, now, false).await?;
    println!(
        "a round with nothing due (same query): p50 {:.1} ms, p95 {:.1} ms",
        idle_ms.0, idle_ms.1
    );
    Ok(())
}

/// The day's reminders pending again, as the seed left them, and their keys (watched
/// by key while the service works: counting them by date would read the whole table in
/// a loop, and slow the service it measures).
async fn reset_today(
    owner: &PgPool,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(uuid::Uuid, uuid::Uuid)>> {
    sqlx::query(
        "update reminders set status = 'pending', queued_at = null, sent_at = null, message_id = null,
                              sending_at = null, lease_until = null, attempts = 0, retry_at = null,
                              last_error = null, failed_at = null
         where fire_at <= $1 and fire_at > $1 - interval '1 day' and (status <> 'pending' or queued_at is not null)",
    )
    .bind(now)
    .execute(owner)
    .await?;
    Ok(sqlx::query_as(
        "select tenant_id, id from reminders where status = 'pending' and fire_at <= $1",
    )
    .bind(now)
    .fetch_all(owner)
    .await?)
}

/// A notification instance with the defaults, on its own Redis namespace, sending into
/// a sink.
struct Instance {
    service: tokio::task::JoinHandle<anyhow::Result<()>>,
    metrics_url: String,
}

impl Instance {
    async fn start(db: &TestDatabase, now: DateTime<Utc>, sink: &SmtpSink) -> anyhow::Result<Self> {
        let clock = Arc::new(ManualClock::default());
        clock.advance(now - clock.now());
        let metrics_port = free_port()?;
        let app = Application::build(
            Config {
                database_url: db.url_as(ServiceRole::Notification),
                database_max_connections: 10,
                redis_url: redis_url(),
                redis_namespace: unique_redis_namespace(),
                smtp_url: format!("smtp://127.0.0.1:{}", sink.port),
                mail_from: "Maillage <rappels@maillage.test>".into(),
                public_base_url: "https://maillage.example.org".into(),
                bind_addr: format!("127.0.0.1:{metrics_port}").parse()?,
                consumer_name: "bench".into(),
                poll_interval: Duration::from_millis(1000),
                reclaim_after: Duration::from_secs(60),
                send_lease: Duration::from_secs(30),
                sends_in_flight: SENDS_IN_FLIGHT,
                metrics_interval: Duration::from_secs(10),
                dkim: None,
            },
            clock,
        )
        .await?;
        Ok(Self {
            service: tokio::spawn(app.run_until_stopped()),
            metrics_url: format!("http://127.0.0.1:{metrics_port}/metrics"),
        })
    }

    /// The sustained rate, once everything is queued: the instance's own count of what
    /// it sent (its /metrics counter), read at the start and the end of a window.
    async fn send_rate(&self, owner: &PgPool, sink: &SmtpSink) -> anyhow::Result<SendRate> {
        let cpu = CpuAccount::start(owner, sink.pid()).await?;
        let (first, started) = (sent_total(&self.metrics_url).await?, Instant::now());
        let mut last = first;
        while last - first < SENT_SAMPLE && started.elapsed() < Duration::from_secs(120) {
            tokio::time::sleep(Duration::from_millis(250)).await;
            last = sent_total(&self.metrics_url).await?;
        }
        let sent = last - first;
        Ok(SendRate {
            sent,
            per_second: sent as f64 / started.elapsed().as_secs_f64(),
            cpu: cpu.per_email(sent)?,
        })
    }

    /// Stops the instance, and lets the sends it had on their way finish.
    async fn stop(self) {
        self.service.abort();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

struct SendRate {
    sent: i64,
    per_second: f64,
    cpu: CpuPerEmail,
}

impl SendRate {
    fn print(&self, sink: &str) {
        let (rate, cpu) = (self.per_second, &self.cpu);
        println!(
            "sent {} into {sink} at {rate:.0} emails/s: one instance, {SENDS_IN_FLIGHT} emails in flight",
            self.sent
        );
        println!(
            "  CPU per email: the sink {:.2} ms, PostgreSQL (the service's connections) {:.2} ms, the service {:.2} ms; the whole machine {:.2} ms, {:.0}% of its {} cores busy",
            cpu.sink_ms,
            cpu.postgres_ms,
            cpu.service_ms,
            cpu.machine_ms,
            cpu.machine_busy * 100.0,
            cpu.cores,
        );
    }

    fn print_against(&self, ceiling: f64) {
        println!(
            "  baseline: that sink alone takes {ceiling:.0} emails/s (one of those emails again, {SENDS_IN_FLIGHT} connections, no database); the service reached {:.2}x of it",
            self.per_second / ceiling
        );
    }
}

/// One of the emails the service sent, as it went over the wire.
fn one_sent_email(sink: &SmtpSink) -> anyhow::Result<String> {
    let stored = sink
        .raw_messages()?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the sink holds no email to send again"))?;
    // The sink stores lines ending in LF; SMTP wants CRLF.
    Ok(String::from_utf8(stored)?
        .lines()
        .map(|line| format!("{line}\r\n"))
        .collect())
}

/// A sink's own ceiling: `email` sent SENT_SAMPLE times over SENDS_IN_FLIGHT connections
/// by lettre alone (no database, no rendering), so that the service's rate reads against
/// what this sink can take on this machine.
async fn sink_alone(port: u16, email: &str) -> anyhow::Result<f64> {
    use futures::StreamExt;
    use lettre::address::Envelope;
    use lettre::transport::smtp::PoolConfig;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

    let envelope = Envelope::new(
        Some("rappels@maillage.test".parse()?),
        vec!["bench@exemple.fr".parse()?],
    )?;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .pool_config(PoolConfig::new().max_size(SENDS_IN_FLIGHT as u32))
        .build();
    let started = Instant::now();
    let sent: Vec<_> = futures::stream::iter(0..SENT_SAMPLE)
        .map(|_| mailer.send_raw(&envelope, email.as_bytes()))
        .buffer_unordered(SENDS_IN_FLIGHT)
        .collect()
        .await;
    let elapsed = started.elapsed().as_secs_f64();
    for outcome in sent {
        outcome?;
    }
    Ok(SENT_SAMPLE as f64 / elapsed)
}

/// What the instance counts as sent so far (`maillage_reminders_sent_total`).
async fn sent_total(metrics_url: &str) -> anyhow::Result<i64> {
    let page = reqwest::get(metrics_url).await?.text().await?;
    page.lines()
        .find_map(|line| line.strip_prefix("maillage_reminders_sent_total "))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .map(|value| value as i64)
        .ok_or_else(|| anyhow::anyhow!("no sent counter in {page}"))
}

async fn total_reminders(owner: &PgPool) -> anyhow::Result<i64> {
    // The planner's estimate: counting them would itself read the whole table.
    Ok(
        sqlx::query_scalar("select reltuples::int8 from pg_class where relname = 'reminders'")
            .fetch_one(owner)
            .await?,
    )
}

/// How long until `count` of the day's reminders match `condition`.
async fn wait_for(
    owner: &PgPool,
    condition: &str,
    today: &[(uuid::Uuid, uuid::Uuid)],
    count: i64,
) -> anyhow::Result<Duration> {
    let (tenants, ids): (Vec<uuid::Uuid>, Vec<uuid::Uuid>) = today.iter().copied().unzip();
    let started = Instant::now();
    loop {
        let reached: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select count(*) from reminders
             where (tenant_id, id) in (select * from unnest($1::uuid[], $2::uuid[])) and {condition}"
        )))
        .bind(&tenants)
        .bind(&ids)
        .fetch_one(owner)
        .await?;
        if reached >= count {
            return Ok(started.elapsed());
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(900),
            "stuck at {reached}/{count}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `due`: whether reminders are due (the run checks it finds some, or none).
async fn find_due_query(
    owner: &PgPool,
    now: DateTime<Utc>,
    due: bool,
) -> anyhow::Result<(f64, f64)> {
    let mut times = Vec::new();
    for _ in 0..30 {
        let mut tx = owner.begin().await?;
        tx.execute("set local role maillage_notification").await?;
        tx.execute("select set_config('app.scope', 'platform-scan', true)")
            .await?;
        let started = Instant::now();
        let rows: Vec<(uuid::Uuid, uuid::Uuid)> = sqlx::query_as(
            r#"select r.tenant_id, r.id from reminders r
               join tenants t on t.id = r.tenant_id
               where r.next_attempt_at <= $1
                 and (r.status = 'pending' or (r.status = 'queued' and r.queued_at < $1 - interval '10 minutes'))
                 and not coalesce((select in_quiet_hours($1, t.time_zone, p.quiet_hours_start, p.quiet_hours_end)
                                   from reminder_policies p where p.tenant_id = r.tenant_id), false)
               order by r.next_attempt_at
               limit 500
               for update of r skip locked"#,
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(rows.is_empty() != due, "found {} due", rows.len());
        tx.rollback().await?;
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], times[times.len() * 95 / 100]))
}

/// Seeds once; the reminders of the days before the measured one are marked sent.
async fn seed(owner: &PgPool, origin: DateTime<Utc>, now: DateTime<Utc>) -> anyhow::Result<()> {
    let seeded: i64 = sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(owner)
        .await?;
    if seeded > 0 {
        return Ok(());
    }
    println!(
        "seeding {TENANTS} tenants, {} deadlines, {} reminders (once; several minutes)…",
        TENANTS * DEADLINES_PER_TENANT,
        TENANTS * DEADLINES_PER_TENANT * 6
    );
    let started = Instant::now();
    let origin = origin.to_rfc3339();
    let statements = [
        format!("insert into tenants (id, slug, name, kind) select gen_random_uuid(), 'bench-' || g, 'Association ' || g, 'association' from generate_series(1, {TENANTS}) g"),
        "insert into users (id, issuer, subject, email, display_name) select gen_random_uuid(), 'bench', t.slug, t.slug || '@exemple.fr', t.name from tenants t".into(),
        "insert into memberships (tenant_id, user_id, role) select t.id, u.id, 'editor' from tenants t join users u on u.subject = t.slug".into(),
        format!("insert into reporting_deadlines (tenant_id, id, title, due_at)
                 select t.id, gen_random_uuid(), 'Rapport ' || i, '{origin}'::timestamptz + ((i * 37 + t.n) % 365 + 31) * interval '1 day' + interval '15 hours'
                 from (select id, row_number() over () as n from tenants) t cross join generate_series(1, {DEADLINES_PER_TENANT}) i"),
        "insert into deadline_responsibles (tenant_id, deadline_id, user_id) select d.tenant_id, d.id, m.user_id from reporting_deadlines d join memberships m on m.tenant_id = d.tenant_id".into(),
        "insert into reminders (tenant_id, id, subject, subject_id, kind, due_at, fire_at, recipient_user_id)
         select d.tenant_id, gen_random_uuid(), 'deadline', d.id, k.kind, d.due_at, date_trunc('day', d.due_at) + k.days * interval '1 day' + interval '7 hours', r.user_id
         from reporting_deadlines d join deadline_responsibles r on r.tenant_id = d.tenant_id and r.deadline_id = d.id
         cross join (values ('d-30', -30), ('d-7', -7), ('d-1', -1), ('d0', 0), ('d+1', 1), ('d+8', 8)) as k (kind, days)".into(),
        format!("update reminders set status = 'sent' where fire_at <= '{}'::timestamptz - interval '1 day'", now.to_rfc3339()),
    ];
    for statement in statements {
        owner.execute(sqlx::AssertSqlSafe(statement)).await?;
    }
    owner.execute("vacuum analyze").await?;
    println!("seeded in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
