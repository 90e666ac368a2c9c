//! core-records' memory under many concurrent requests: the release binary runs as a
//! process of its own against a fresh database (a workspace of 200 people), and its
//! resident memory (VmRSS) is read idle, at its highest while 200 then 1,000 clients
//! each list 50 people for 8 s, and once the clients are gone, then a minute later.
//! Requests past the service's bound (`CORE_RECORDS_MAX_IN_FLIGHT`) are refused with
//! 503: the table counts them.
//!
//! `make bench` builds the release binaries first; `MAILLAGE_BENCH_IN_FLIGHT` changes
//! the bound (0: a million, as good as none, as before the bound existed).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use maillage_db::ServiceRole;
use maillage_domain::Role;
use maillage_identity::{IDENTITY_HEADER, IdentityKey, InternalIdentity};
use maillage_testkit::{INTERNAL_SECRET, TestDatabase, free_port};
use secrecy::SecretString;
use uuid::Uuid;

/// The service, killed when dropped.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Resident memory of a process, in MB.
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
}

/// `clients` clients, each listing people again and again for `seconds`; the highest
/// RSS seen meanwhile.
async fn flood(
    base: &str,
    pid: u32,
    clients: usize,
    seconds: u64,
    actor: (Uuid, Uuid),
) -> anyhow::Result<(f64, Arc<Tally>)> {
    let key = Arc::new(IdentityKey::new(&SecretString::from(
        INTERNAL_SECRET.to_owned(),
    )));
    let tally = Arc::new(Tally::default());
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        // One connection per client, as that many browsers or scripts would hold.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(60))
            .build()?;
        let (key, tally, url) = (
            key.clone(),
            tally.clone(),
            format!("{base}/v1/people?limit=50"),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let token = key.sign(&InternalIdentity {
                    tenant_id: actor.0,
                    user_id: actor.1,
                    role: Role::Editor,
                    request_id: "bench".into(),
                });
                let Ok(token) = token else { break };
                match http.get(&url).header(IDENTITY_HEADER, token).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        tally.ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(r) if r.status().as_u16() == 503 => {
                        tally.refused.fetch_add(1, Ordering::Relaxed);
                        // As Retry-After asks, a little.
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    _ => {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let mut peak: f64 = 0.0;
    while tasks.iter().any(|t| !t.is_finished()) {
        peak = peak.max(rss_mb(pid));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok((peak, tally))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let binary = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/release/core-records"
    );
    anyhow::ensure!(
        std::path::Path::new(binary).exists(),
        "{binary} is missing: cargo build --release --bins (make bench does)"
    );
    let in_flight = std::env::var("MAILLAGE_BENCH_IN_FLIGHT").unwrap_or_else(|_| "64".into());
    let db = TestDatabase::create().await?;
    let tenant_id = db.create_tenant("memoire").await?;
    let user_id = db.create_user("camille@example.org").await?;
    db.add_member(tenant_id, user_id, "editor").await?;
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name)
         select $1, gen_random_uuid(), 'Nom ' || n, 'Prénom ' || n from generate_series(1, 200) n",
    )
    .bind(tenant_id)
    .execute(&db.owner)
    .await?;

    let port = free_port()?;
    let child = Command::new(binary)
        .env(
            "CORE_RECORDS_DATABASE_URL",
            db.url_as(ServiceRole::CoreRecords),
        )
        .env("CORE_RECORDS_BIND", format!("127.0.0.1:{port}"))
        .env(
            "CORE_RECORDS_MAX_IN_FLIGHT",
            if in_flight == "0" {
                "1000000".to_owned()
            } else {
                in_flight.clone()
            },
        )
        .env("INTERNAL_AUTH_SECRET", INTERNAL_SECRET)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let service = Service(child);
    let pid = service.0.id();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Warm: the pool's connections open, the first pages served.
    flood(&base, pid, 8, 2, (tenant_id, user_id)).await?;
    let idle = rss_mb(pid);
    println!(
        "core-records (release), CORE_RECORDS_MAX_IN_FLIGHT={}, a workspace of 200 people, GET /v1/people?limit=50",
        if in_flight == "0" { "none" } else { &in_flight }
    );
    println!(
        "| clients | RSS idle MB | RSS peak MB | RSS after MB | RSS 60 s later MB | served | refused (503) | failed |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for clients in [200, 1_000] {
        let (peak, tally) = flood(&base, pid, clients, 8, (tenant_id, user_id)).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after = rss_mb(pid);
        tokio::time::sleep(Duration::from_secs(60)).await;
        let later = rss_mb(pid);
        println!(
            "| {clients} | {idle:.1} | {peak:.1} | {after:.1} | {later:.1} | {} | {} | {} |",
            tally.ok.load(Ordering::Relaxed),
            tally.refused.load(Ordering::Relaxed),
            tally.failed.load(Ordering::Relaxed),
        );
    }
    drop(service);
    Ok(())
}
