use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mailparse::MailHeaderMap;

use crate::free_port;

/// A real SMTP server (Python's aiosmtpd) that stores every message it accepts in a
/// maildir, one per test, and fails on demand (see `mail/controlled_sink.py`).
/// `MAILLAGE_PYTHON` names the interpreter that has aiosmtpd.
pub struct SmtpSink {
    process: Child,
    maildir: tempfile::TempDir,
    handler: Handler,
    pub port: u16,
}

/// What the sink does with a message it accepts.
#[derive(Debug, Clone, Copy)]
enum Handler {
    /// Parses and stores it (maildir), fails on demand: what the tests read.
    Stores,
    /// Answers "250" and keeps nothing (aiosmtpd's `Sink`): for a benchmark, the cost of
    /// a server that parses nothing, closer to a production relay than a Python parser.
    Discards,
}

const CONTROLLED_SINK: &str = include_str!("mail/controlled_sink.py");

/// One message as the sink received it, decoded.
#[derive(Debug, Clone)]
pub struct ReceivedEmail {
    pub envelope_to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub headers: Vec<(String, String)>,
}

impl ReceivedEmail {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl SmtpSink {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(Handler::Stores).await
    }

    /// A sink that takes every message and keeps none (`received` stays empty).
    pub async fn start_discarding() -> anyhow::Result<Self> {
        Self::start_with(Handler::Discards).await
    }

    async fn start_with(handler: Handler) -> anyhow::Result<Self> {
        let maildir = tempfile::tempdir()?;
        std::fs::write(maildir.path().join("controlled_sink.py"), CONTROLLED_SINK)?;
        let port = free_port()?;
        let process = spawn(maildir.path(), port, handler)?;
        let sink = Self {
            process,
            maildir,
            handler,
            port,
        };
        sink.wait_until_listening().await?;
        Ok(sink)
    }

    /// The sink's process id (a benchmark reads its CPU time).
    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    async fn wait_until_listening(&self) -> anyhow::Result<()> {
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("the SMTP sink did not start (is aiosmtpd installed? run `make test`)")
    }

    /// The next `count` messages get a temporary failure (451).
    pub fn fail_temporarily(&self, count: u32) -> anyhow::Result<()> {
        self.control(serde_json::json!({ "temporary_failures": count }))
    }

    /// This recipient is refused for good (550).
    pub fn reject(&self, address: &str) -> anyhow::Result<()> {
        self.control(serde_json::json!({ "reject": [address] }))
    }

    /// Each message is stored at once but answered ("250") only after `delay`: a client
    /// that dies in between has had its email taken without knowing it.
    pub fn answer_slowly(&self, delay: Duration) -> anyhow::Result<()> {
        self.control(serde_json::json!({ "answer_after_ms": delay.as_millis() }))
    }

    /// Back to accepting everything.
    pub fn accept_all(&self) -> anyhow::Result<()> {
        self.control(serde_json::json!({}))
    }

    fn control(&self, control: serde_json::Value) -> anyhow::Result<()> {
        let partial = self.maildir.path().join("control.json.partial");
        std::fs::write(&partial, control.to_string())?;
        std::fs::rename(partial, self.maildir.path().join("control.json"))?;
        Ok(())
    }

    /// The server goes away: connections are refused until `restart`.
    pub fn stop(&mut self) -> anyhow::Result<()> {
        self.process.kill()?;
        self.process.wait()?;
        Ok(())
    }

    /// The server comes back on the same port, with the messages it had.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.process = spawn(self.maildir.path(), self.port, self.handler)?;
        self.wait_until_listening().await
    }

    /// Every message received so far, as the bytes the server stored.
    pub fn raw_messages(&self) -> anyhow::Result<Vec<Vec<u8>>> {
        let new: PathBuf = self.maildir.path().join("mail").join("new");
        let Ok(entries) = std::fs::read_dir(&new) else {
            return Ok(Vec::new());
        };
        entries
            .map(|entry| Ok(std::fs::read(entry?.path())?))
            .collect()
    }

    /// Every message received so far.
    pub fn received(&self) -> anyhow::Result<Vec<ReceivedEmail>> {
        let new: PathBuf = self.maildir.path().join("mail").join("new");
        let mut emails = Vec::new();
        let Ok(entries) = std::fs::read_dir(&new) else {
            return Ok(emails);
        };
        for entry in entries {
            let raw = std::fs::read(entry?.path())?;
            emails.push(parse(&raw)?);
        }
        Ok(emails)
    }
}

fn parse(raw: &[u8]) -> anyhow::Result<ReceivedEmail> {
    let mail = mailparse::parse_mail(raw)?;
    let mut text = String::new();
    let mut html = String::new();
    for part in mail.parts() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text.push_str(&part.get_body()?),
            "text/html" => html.push_str(&part.get_body()?),
            _ => {}
        }
    }
    Ok(ReceivedEmail {
        envelope_to: mail.headers.get_first_value("X-RcptTo").unwrap_or_default(),
        subject: mail.headers.get_first_value("Subject").unwrap_or_default(),
        text,
        html,
        headers: mail
            .headers
            .iter()
            .map(|h| (h.get_key(), h.get_value()))
            .collect(),
    })
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn spawn(dir: &std::path::Path, port: u16, handler: Handler) -> std::io::Result<Child> {
    let python = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut command = Command::new(python);
    command.args(["-m", "aiosmtpd", "-n", "-c"]);
    match handler {
        Handler::Stores => command
            .arg("controlled_sink.ControlledMailbox")
            .arg(dir.join("mail")),
        Handler::Discards => command.arg("aiosmtpd.handlers.Sink"),
    };
    command
        .args(["-l", &format!("127.0.0.1:{port}")])
        .env("PYTHONPATH", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}
