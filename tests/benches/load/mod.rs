//! What the benchmarks share: pgbench runs of the service's own SQL (the baseline a
//! request is compared with), many HTTP clients at once (wrk, a load tool in C as light
//! as pgbench), and percentiles.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use url::Url;

/// Latencies of one run, and how many it served in how long.
pub struct Run {
    pub latencies: Vec<Duration>,
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
    Ok(Run { latencies, elapsed })
}

/// What wrk measured: every answer counts in the latencies, a refusal (503) too.
pub struct Wrk {
    pub per_second: f64,
    /// Answers other than 2xx or 3xx (503: refused past the service's bound).
    pub refused: u64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

/// Prints what wrk's summary holds, on one line the run's output is read for.
const WRK_REPORT: &str = r#"
done = function(summary, latency, requests)
  io.write(string.format("maillage-wrk %d %d %d %f %f %f\n", summary.requests, summary.errors.status,
    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"#;

/// `wrk` (Debian's package; `make bench` installs it): `clients` connections sending
/// `GET url` with `header` for `seconds`, on two threads.
pub fn wrk(
    dir: &Path,
    url: &str,
    header: (&str, &str),
    clients: usize,
    seconds: u64,
) -> anyhow::Result<Wrk> {
    let report = dir.join("report.lua");
    std::fs::write(&report, WRK_REPORT)?;
    let output = Command::new("wrk")
        .args(["-t", "2", "-c", &clients.to_string()])
        .args(["-d", &format!("{seconds}s"), "--timeout", "30s"])
        .arg("-H")
        .arg(format!("{}: {}", header.0, header.1))
        .arg("-s")
        .arg(&report)
        .arg(url)
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "wrk failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figures: Vec<f64> = stdout
        .lines()
        .find_map(|line| line.strip_prefix("maillage-wrk "))
        .map(|line| {
            line.split_whitespace()
                .filter_map(|v| v.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let [requests, refused, duration_us, p50, p95, p99] = figures[..] else {
        anyhow::bail!("no summary from wrk: {stdout}");
    };
    Ok(Wrk {
        per_second: (requests - refused) / (duration_us / 1e6),
        refused: refused as u64,
        p50: p50 / 1000.0,
        p95: p95 / 1000.0,
        p99: p99 / 1000.0,
    })
}
