//! The services' memory under many concurrent requests: the release binaries run as
//! processes of their own against a fresh database (a workspace of 200 people), and
//! their resident memory (VmRSS) is read idle, at its highest while 200 then 1,000
//! clients each list 50 people for 8 s, once the clients are gone, and a minute later.
//! First core-records alone (the clients send the gateway's signed identity), then the
//! gateway in front of it (the clients hold a session cookie, from a login through the
//! development OpenID provider). Requests past a service's bound on work in flight
//! (`*_MAX_IN_FLIGHT`) are refused with 503: the tables count them.
//!
//! `make bench` builds the release binaries first; `MAILLAGE_BENCH_IN_FLIGHT` changes
//! the bounds (0: a million, as good as none, as before the bound existed).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use maillage_db::ServiceRole;
use maillage_domain::Role;
use maillage_identity::{IDENTITY_HEADER, IdentityKey, InternalIdentity};
use maillage_testkit::oidc::{CLIENT_ID, CLIENT_SECRET};
use maillage_testkit::{
    Browser, INTERNAL_SECRET, OidcProvider, TestDatabase, free_port, redis_url,
    unique_redis_namespace,
};
use secrecy::SecretString;

#[path = "release/mod.rs"]
mod release;

use release::Service;

#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
}

/// How a client asks for the list: the URL, and a header made fresh for each request.
#[derive(Clone)]
struct Ask {
    url: String,
    header: (&'static str, Arc<dyn Fn() -> String + Send + Sync>),
}

/// `clients` clients, each listing people again and again for `seconds`; the highest
/// RSS of `watched` seen meanwhile.
async fn flood(
    ask: &Ask,
    watched: &Service,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<(f64, Arc<Tally>)> {
    let tally = Arc::new(Tally::default());
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        // One connection per client, as that many browsers or scripts would hold.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(60))
            .build()?;
        let (ask, tally) = (ask.clone(), tally.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let (name, value) = (&ask.header.0, (ask.header.1)());
                match http.get(&ask.url).header(*name, value).send().await {
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
        peak = peak.max(watched.rss_mb());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok((peak, tally))
}

/// The table of one service: idle, then each load, its peak, after, and a minute later.
async fn measure(label: &str, ask: &Ask, watched: &Service) -> anyhow::Result<()> {
    // Warm: the pools' connections open, the first pages served.
    flood(ask, watched, 8, 2).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = watched.rss_mb();
    println!("\n{label}");
    println!(
        "| clients | RSS idle MB | RSS peak MB | RSS after MB | RSS 60 s later MB | served | refused (503) | failed |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for clients in [200, 1_000] {
        let (peak, tally) = flood(ask, watched, clients, 8).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after = watched.rss_mb();
        tokio::time::sleep(Duration::from_secs(60)).await;
        let later = watched.rss_mb();
        println!(
            "| {clients} | {idle:.1} | {peak:.1} | {after:.1} | {later:.1} | {} | {} | {} |",
            tally.ok.load(Ordering::Relaxed),
            tally.refused.load(Ordering::Relaxed),
            tally.failed.load(Ordering::Relaxed),
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let in_flight = std::env::var("MAILLAGE_BENCH_IN_FLIGHT").ok();
    let bound = |default: usize| match in_flight.as_deref() {
        Some("0") => "1000000".to_owned(),
        Some(n) => n.to_owned(),
        None => default.to_string(),
    };
    let db = TestDatabase::create().await?;
    let tenant_id = db.create_tenant("memoire").await?;
    let user_id = db.create_user("dominique@example.org").await?;
    db.add_member(tenant_id, user_id, "editor").await?;
    // The gateway's clients log in as camille, invited as the workspace's owner.
    sqlx::query("insert into invitations (tenant_id, email, role) values ($1, $2, 'owner')")
        .bind(tenant_id)
        .bind("camille.martin@demo.maillage.test")
        .execute(&db.owner)
        .await?;
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name)
         select $1, gen_random_uuid(), 'Nom ' || n, 'Prénom ' || n from generate_series(1, 200) n",
    )
    .bind(tenant_id)
    .execute(&db.owner)
    .await?;

    let core_port = free_port()?;
    let core = Service::start(
        "core-records",
        core_port,
        &[
            (
                "CORE_RECORDS_DATABASE_URL",
                db.url_as(ServiceRole::CoreRecords),
            ),
            ("CORE_RECORDS_BIND", format!("127.0.0.1:{core_port}")),
            (
                "CORE_RECORDS_MAX_IN_FLIGHT",
                bound(maillage_core_records::DEFAULT_MAX_IN_FLIGHT),
            ),
            ("INTERNAL_AUTH_SECRET", INTERNAL_SECRET.into()),
            ("REDIS_URL", redis_url()),
            ("REDIS_NAMESPACE", unique_redis_namespace()),
        ],
    )
    .await?;
    let key = IdentityKey::new(&SecretString::from(INTERNAL_SECRET.to_owned()));
    let identity = InternalIdentity {
        tenant_id,
        user_id,
        role: Role::Editor,
        request_id: "bench".into(),
    };
    let direct = Ask {
        url: format!("{}/v1/people?limit=50", core.base),
        header: (
            IDENTITY_HEADER,
            Arc::new(move || key.sign(&identity).unwrap_or_default()),
        ),
    };
    measure(
        &format!(
            "core-records (release), CORE_RECORDS_MAX_IN_FLIGHT={}, a workspace of 200 people, GET /v1/people?limit=50",
            bound(maillage_core_records::DEFAULT_MAX_IN_FLIGHT)
        ),
        &direct,
        &core,
    )
    .await?;

    let gateway_port = free_port()?;
    let public = format!("http://127.0.0.1:{gateway_port}");
    let provider = OidcProvider::start(&format!("{public}/auth/callback")).await?;
    let gateway = Service::start(
        "gateway",
        gateway_port,
        &[
            ("GATEWAY_DATABASE_URL", db.url_as(ServiceRole::Gateway)),
            ("GATEWAY_BIND", format!("127.0.0.1:{gateway_port}")),
            ("PUBLIC_BASE_URL", public.clone()),
            ("CORE_RECORDS_URL", core.base.clone()),
            ("REDIS_URL", redis_url()),
            ("REDIS_NAMESPACE", unique_redis_namespace()),
            ("INTERNAL_AUTH_SECRET", INTERNAL_SECRET.into()),
            ("OIDC_ISSUER_URL", provider.issuer.clone()),
            ("OIDC_CLIENT_ID", CLIENT_ID.into()),
            ("OIDC_CLIENT_SECRET", CLIENT_SECRET.into()),
            (
                "GATEWAY_MAX_IN_FLIGHT",
                bound(maillage_gateway::DEFAULT_MAX_IN_FLIGHT),
            ),
            // The memory of the work, not of the rate limiter's refusals.
            ("RATE_LIMIT_PER_USER", "0".into()),
            ("RATE_LIMIT_PER_TENANT", "0".into()),
            ("RATE_LIMIT_PER_CLIENT", "0".into()),
        ],
    )
    .await?;
    let (_, cookie) = Browser::new(&public)?.login("camille", "/").await?;
    let through_gateway = Ask {
        url: format!("{public}/api/v1/t/memoire/people?limit=50"),
        header: ("cookie", Arc::new(move || cookie.clone())),
    };
    measure(
        &format!(
            "gateway (release) in front of core-records, GATEWAY_MAX_IN_FLIGHT={}, the same list through GET /api/v1/t/memoire/people?limit=50 with a session",
            bound(maillage_gateway::DEFAULT_MAX_IN_FLIGHT)
        ),
        &through_gateway,
        &gateway,
    )
    .await?;
    Ok(())
}
