//! What the benchmarks share: pgbench runs of the service's own SQL (the baseline a
//! request is compared with), many HTTP clients at once, and percentiles.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use url::Url;

/// Latencies of one run, and how many it served in how long.
pub struct Run {
    pub latencies: Vec<Duration>,
    /// Answers refused with 503 (the service's bound on work in flight).
    pub refused: u64,
    pub elapsed: Duration,
}

impl Run {
    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// The `q`-quantile latency, in ms.
    pub fn at(&mut self, q: f64) -> f64 {
        percentile(&mut self.latencies, q)
    }
}

pub fn percentile(samples: &mut [Duration], q: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples
        .get(index)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(f64::NAN)
}

/// pgbench: `clients` connections as `url`'s role, running `scripts` (equal weights),
/// either `Transactions` each or for `Seconds`; the latency of every transaction.
pub enum Length {
    Transactions(usize),
    Seconds(u64),
}

pub fn pgbench(
    url: &Url,
    scripts: &[String],
    dir: &Path,
    name: &str,
    clients: usize,
    length: Length,
) -> anyhow::Result<Run> {
    let prefix = dir.join(name);
    let mut command = Command::new("pgbench");
    command
        .args(["-n", "-c", &clients.to_string(), "-j", "2", "-l"])
        .arg(format!("--log-prefix={}", prefix.display()));
    match length {
        Length::Transactions(n) => command.args(["-t", &n.to_string()]),
        Length::Seconds(s) => command.args(["-T", &s.to_string()]),
    };
    command.arg(url.as_str());
    for script in scripts {
        command.arg("-f").arg(format!("{script}@1"));
    }
    let started = Instant::now();
    let output = command.current_dir(dir).output()?;
    let elapsed = started.elapsed();
    anyhow::ensure!(
        output.status.success(),
        "pgbench failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut latencies = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if file.starts_with(&format!("{name}.")) && !file.ends_with(".sql") {
            for line in std::fs::read_to_string(&path)?.lines() {
                // client_id transaction_no latency_us script_no epoch epoch_us
                if let Some(us) = line
                    .split_whitespace()
                    .nth(2)
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    latencies.push(Duration::from_micros(us));
                }
            }
            std::fs::remove_file(&path)?;
        }
    }
    let elapsed = match length {
        Length::Seconds(s) => Duration::from_secs(s),
        Length::Transactions(_) => elapsed,
    };
    Ok(Run {
        latencies,
        refused: 0,
        elapsed,
    })
}

/// `clients` HTTP clients, each on a connection of its own, sending `GET url` one after
/// the other for `seconds`, with the header `sign` makes fresh for each request.
pub async fn http_load(
    url: &str,
    clients: usize,
    seconds: u64,
    header: &'static str,
    sign: Arc<dyn Fn() -> anyhow::Result<String> + Send + Sync>,
) -> anyhow::Result<Run> {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(60))
            .build()?;
        let (url, sign) = (url.to_owned(), sign.clone());
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut refused) = (Vec::new(), 0u64);
            while Instant::now() < until {
                let token = sign()?;
                let sent = Instant::now();
                let response = http.get(&url).header(header, token).send().await?;
                match response.status().as_u16() {
                    200 => {
                        response.bytes().await?;
                        latencies.push(sent.elapsed());
                    }
                    503 => {
                        refused += 1;
                        // As Retry-After asks, a little.
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    status => anyhow::bail!("{url}: {status}"),
                }
            }
            Ok::<_, anyhow::Error>((latencies, refused))
        }));
    }
    let mut run = Run {
        latencies: Vec::new(),
        refused: 0,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (latencies, refused) = task.await??;
        run.latencies.extend(latencies);
        run.refused += refused;
    }
    run.elapsed = started.elapsed();
    Ok(run)
}
