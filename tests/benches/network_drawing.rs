//! `make bench`: how long the network page takes to lay out its drawing in headless
//! Chromium (fCoSE, then the pass that parts nodes drawn over each other), for the
//! demo's few records and for 500 records and 2,000 ties, beside a baseline measured
//! in the same run: the server's photograph of the same network (`GET
//! /api/v1/…/network/photograph`), which the page reads before it draws.

#[path = "../common/mod.rs"]
mod common;

use std::time::Instant;

use common::Platform;
use common::chromium::{Chromium, eventually_in_page};
use common::network::seed_large_network;
use maillage_testkit::Browser;

/// Times each figure is measured.
const ROUNDS: usize = 5;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let small = Platform::start().await?;
    let large = Platform::start().await?;
    seed_large_network(&large.db.owner).await?;
    println!(
        "\n{:<58} {:>7} {:>7} {:>9}",
        "network drawing (headless Chromium)", "nodes", "ties", "p50 ms"
    );
    for (what, platform) in [
        ("an empty workspace", &small),
        ("500 records, 2,000 ties", &large),
    ] {
        let camille = Browser::new(&platform.gateway)?;
        camille.login("camille", "/t/asso-demo/").await?;
        let mut server = Vec::new();
        let mut photograph = serde_json::Value::Null;
        for _ in 0..ROUNDS {
            let started = Instant::now();
            photograph = camille
                .read("/api/v1/t/asso-demo/network/photograph")
                .await?;
            server.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        let count = |field: &str| photograph[field].as_array().map_or(0, Vec::len);
        let (nodes, ties) = (count("nodes"), count("ties"));
        println!(
            "{:<58} {nodes:>7} {ties:>7} {:>9.1}",
            format!("baseline: the photograph's JSON, {what}"),
            median(&mut server)
        );

        let chromium = Chromium::start().await?;
        let browser = &chromium.client;
        chromium
            .sign_in(&platform.gateway, "camille", "/t/asso-demo/network")
            .await?;
        let mut layout = Vec::new();
        for _ in 0..ROUNDS {
            browser
                .goto(&format!("{}/t/asso-demo/network", platform.gateway))
                .await?;
            let took = eventually_in_page(
                browser,
                "const d = document.getElementById('network-drawing'); return d && d.dataset.layoutMs ? Number(d.dataset.layoutMs) : null",
            )
            .await?;
            layout.push(took.as_f64().unwrap_or(f64::NAN));
        }
        println!(
            "{:<58} {nodes:>7} {ties:>7} {:>9.1}",
            format!("drawing laid out in the page, {what}"),
            median(&mut layout)
        );
        chromium.client.clone().close().await?;
    }
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
