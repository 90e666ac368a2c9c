//! Where the CPU went while the reminders benchmark sent: read from /proc, per email.

use std::time::Instant;

use sqlx::PgPool;

/// CPU time spent while sending, read from /proc: the sink's process, the PostgreSQL
/// backends serving the service's role, this process (the service and the benchmark's
/// light polling), and the whole machine.
pub struct CpuAccount {
    sink: u32,
    backends: Vec<u32>,
    at_start: CpuTimes,
    started: Instant,
}

struct CpuTimes {
    sink: f64,
    postgres: f64,
    service: f64,
    pub machine_busy: f64,
}

impl CpuTimes {
    /// The CPU seconds so far of the sink, of these PostgreSQL backends, of this process
    /// and of the whole machine.
    fn read(sink: u32, backends: &[u32]) -> anyhow::Result<Self> {
        Ok(Self {
            sink: process_seconds(sink)?,
            // A backend that ended since counts for nothing: the pool keeps its own.
            postgres: backends
                .iter()
                .filter_map(|&pid| process_seconds(pid).ok())
                .sum(),
            service: process_seconds(std::process::id())?,
            machine_busy: machine_busy_seconds()?,
        })
    }
}

pub struct CpuPerEmail {
    pub sink_ms: f64,
    pub postgres_ms: f64,
    pub service_ms: f64,
    pub machine_ms: f64,
    pub machine_busy: f64,
    pub cores: usize,
}

/// Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

impl CpuAccount {
    pub async fn start(owner: &PgPool, sink: u32) -> anyhow::Result<Self> {
        let backends: Vec<i32> = sqlx::query_scalar(
            "select pid from pg_stat_activity where usename = 'maillage_notification'",
        )
        .fetch_all(owner)
        .await?;
        let backends: Vec<u32> = backends.into_iter().map(|pid| pid as u32).collect();
        Ok(Self {
            at_start: CpuTimes::read(sink, &backends)?,
            started: Instant::now(),
            sink,
            backends,
        })
    }

    pub fn per_email(&self, emails: i64) -> anyhow::Result<CpuPerEmail> {
        let now = CpuTimes::read(self.sink, &self.backends)?;
        let emails = emails.max(1) as f64;
        let cores = std::thread::available_parallelism()?.get();
        let busy = now.machine_busy - self.at_start.machine_busy;
        Ok(CpuPerEmail {
            sink_ms: (now.sink - self.at_start.sink) * 1000.0 / emails,
            postgres_ms: (now.postgres - self.at_start.postgres) * 1000.0 / emails,
            service_ms: (now.service - self.at_start.service) * 1000.0 / emails,
            machine_ms: busy * 1000.0 / emails,
            machine_busy: busy / (self.started.elapsed().as_secs_f64() * cores as f64),
            cores,
        })
    }
}

/// User and system CPU seconds of a process (`/proc/PID/stat`, fields 14 and 15).
fn process_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name (field 2) may hold spaces: count the fields after it.
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow::anyhow!("unreadable /proc/{pid}/stat"))?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| -> anyhow::Result<f64> {
        Ok(fields
            .get(index)
            .ok_or_else(|| anyhow::anyhow!("short /proc/{pid}/stat"))?
            .parse::<f64>()?)
    };
    // Field 14 (utime) is the 12th after the name, field 15 (stime) the 13th.
    Ok((ticks(11)? + ticks(12)?) / TICKS_PER_SECOND)
}

/// CPU seconds the whole machine spent busy (not idle nor waiting), from `/proc/stat`.
fn machine_busy_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let line = stat
        .lines()
        .find(|line| line.starts_with("cpu "))
        .ok_or_else(|| anyhow::anyhow!("no cpu line in /proc/stat"))?;
    let ticks: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|field| field.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
    let busy: f64 = ticks
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, t)| t)
        .sum();
    Ok(busy / TICKS_PER_SECOND)
}
