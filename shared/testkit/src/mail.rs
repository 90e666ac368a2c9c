use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mailparse::MailHeaderMap;

/// A real SMTP server (Python's aiosmtpd) that stores every message it accepts in a
/// maildir, one per test. `MAILLAGE_PYTHON` names the interpreter that has aiosmtpd.
pub struct SmtpSink {
    process: Child,
    maildir: tempfile::TempDir,
    pub port: u16,
}

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
        let maildir = tempfile::tempdir()?;
        let port = free_port()?;
        let python = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| "python3".into());
        let process = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("mail"))
            .args(["-l", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let sink = Self {
            process,
            maildir,
            port,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(sink);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("the SMTP sink did not start (is aiosmtpd installed? run `make test`)")
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

/// A port nobody listens on right now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
