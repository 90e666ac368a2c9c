//! `make load`: one tenant floods the gateway while another works. Prints the quiet
//! tenant's list-page latency (p50, p95) alone — the baseline, measured in the same run —
//! and while the other tenant's member sends requests from many connections at once,
//! first with the gateway's rate limits, then without them.
//!
//! The flood is bounded: it lasts as long as the quiet tenant's measured requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use maillage_gateway::RateLimitConfig;
use maillage_testkit::Browser;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[path = "../common/mod.rs"]
mod common;

use common::Platform;

/// The quiet tenant's requests, one after the other, per measurement: with the seeding,
/// within the default budget of one person (600 a minute), as a person's work would be.
const MEASURED: usize = 250;
/// The flooding member's connections, each sending as fast as answers come.
const FLOODERS: usize = 16;
const PEOPLE: usize = 25;

struct Figures {
    p50: Duration,
    p95: Duration,
}

fn percentiles(mut samples: Vec<Duration>) -> Figures {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    Figures {
        p50: at(0.50),
        p95: at(0.95),
    }
}

async fn measure(browser: &Browser, path: &str) -> anyhow::Result<Figures> {
    let mut samples = Vec::with_capacity(MEASURED);
    for _ in 0..MEASURED {
        let started = Instant::now();
        let response = browser.get(path).await?;
        anyhow::ensure!(response.status() == StatusCode::OK, "{}", response.status());
        response.bytes().await?;
        samples.push(started.elapsed());
    }
    Ok(percentiles(samples))
}

/// Two tenants with a logged-in member each and people to list.
async fn two_tenants(limits: RateLimitConfig) -> anyhow::Result<(Platform, Browser, Browser)> {
    let platform = Platform::start_with(|config| config.rate_limits = limits).await?;
    let other = platform.db.create_tenant("autre-asso").await?;
    platform
        .db
        .invite(other, "sacha.petit@demo.maillage.test", "owner")
        .await?;
    let flooder = Browser::new(&platform.gateway)?;
    flooder.login("camille", "/t/asso-demo/").await?;
    let quiet = Browser::new(&platform.gateway)?;
    quiet.login("sacha", "/t/autre-asso/").await?;
    for (browser, slug) in [(&flooder, "asso-demo"), (&quiet, "autre-asso")] {
        for n in 0..PEOPLE {
            let (status, _) = browser
                .api(
                    Method::POST,
                    &format!("/api/v1/t/{slug}/people"),
                    Some(json!({"family_name": format!("Personne {n:03}"), "given_name": "Test"})),
                )
                .await?;
            anyhow::ensure!(status == StatusCode::CREATED, "seeding: {status}");
        }
    }
    Ok((platform, flooder, quiet))
}

/// The quiet tenant's figures while the flooder floods; the flooder's answered and
/// refused requests.
async fn flooded(flooder: Browser, quiet: &Browser) -> anyhow::Result<(Figures, u64, u64)> {
    let flooder = Arc::new(flooder);
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (answered, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut tasks = Vec::new();
    for _ in 0..FLOODERS {
        let (flooder, done) = (flooder.clone(), done.clone());
        let (answered, refused) = (answered.clone(), refused.clone());
        tasks.push(tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                match flooder.get("/api/v1/t/asso-demo/people?limit=50").await {
                    Ok(r) if r.status() == StatusCode::TOO_MANY_REQUESTS => {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(r) => {
                        let _ = r.bytes().await;
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {}
                }
            }
        }));
    }
    // Let the flood build up before measuring.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let figures = measure(quiet, "/api/v1/t/autre-asso/people?limit=50").await;
    done.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    Ok((
        figures?,
        answered.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
    ))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    println!(
        "One tenant floods ({FLOODERS} connections), another lists people ({MEASURED} requests, one at a time)."
    );
    println!(
        "{:<34} {:>9} {:>9} {:>10} {:>12} {:>10}",
        "quiet tenant's list page", "p50 ms", "p95 ms", "p95 / alone", "flood served", "refused"
    );
    for (label, limits) in [
        ("with rate limits (defaults)", RateLimitConfig::default()),
        (
            "without rate limits",
            RateLimitConfig {
                per_user: 0,
                per_tenant: 0,
                per_client: 0,
                ..RateLimitConfig::default()
            },
        ),
    ] {
        let (_platform, flooder, quiet) = two_tenants(limits).await?;
        let alone = measure(&quiet, "/api/v1/t/autre-asso/people?limit=50").await?;
        let (during, served, refused) = flooded(flooder, &quiet).await?;
        let ratio = during.p95.as_secs_f64() / alone.p95.as_secs_f64();
        println!(
            "{:<34} {:>9} {:>9} {:>10} {:>12} {:>10}",
            format!("alone ({label})"),
            ms(alone.p50),
            ms(alone.p95),
            "1.00",
            "-",
            "-"
        );
        println!(
            "{:<34} {:>9} {:>9} {:>10.2} {:>12} {:>10}",
            format!("flooded ({label})"),
            ms(during.p50),
            ms(during.p95),
            ratio,
            served,
            refused
        );
    }
    Ok(())
}
