//! The release binaries, run as processes of their own for the benchmarks that measure
//! them from outside (their memory, an import's pace).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A release binary running, killed when dropped.
pub struct Service {
    child: Child,
    pub base: String,
}

impl Service {
    pub async fn start(name: &str, port: u16, env: &[(&str, String)]) -> anyhow::Result<Self> {
        let binary = format!("{}/../target/release/{name}", env!("CARGO_MANIFEST_DIR"));
        anyhow::ensure!(
            std::path::Path::new(&binary).exists(),
            "{binary} is missing: cargo build --release --bins (make bench does)"
        );
        let child = Command::new(binary)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        let service = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if reqwest::get(format!("{}/healthz", service.base))
                .await
                .is_ok()
            {
                return Ok(service);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("{name} did not start")
    }

    /// Resident memory, in MB.
    pub fn rss_mb(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            })
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
