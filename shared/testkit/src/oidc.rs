use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The development OpenID provider of `deploy/oidc` (npm `oidc-provider`, a certified
/// implementation), one per test, accepting logins back to `redirect_uri`.
pub struct OidcProvider {
    process: Child,
    pub issuer: String,
}

pub const CLIENT_ID: &str = "maillage-gateway";

/// The email of one of the provider's accounts (deploy/oidc/accounts.json).
pub fn email_of(account: &str) -> String {
    match account {
        "camille" => "camille.martin@demo.maillage.test".into(),
        "dominique" => "dominique.bernard@demo.maillage.test".into(),
        "sacha" => "sacha.petit@demo.maillage.test".into(),
        other => format!("{other}@demo.maillage.test"),
    }
}
pub const CLIENT_SECRET: &str = "maillage-test-secret";

impl OidcProvider {
    pub async fn start(redirect_uri: &str) -> anyhow::Result<Self> {
        Self::start_as(redirect_uri, false).await
    }

    /// One that behaves as ProConnect does (see `deploy/oidc/provider.mjs`): the claims
    /// in a signed userinfo only, `acr_values` eidas1, no `email_verified`.
    pub async fn start_as_proconnect(redirect_uri: &str) -> anyhow::Result<Self> {
        Self::start_as(redirect_uri, true).await
    }

    async fn start_as(redirect_uri: &str, proconnect: bool) -> anyhow::Result<Self> {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../deploy/oidc/provider.mjs"
        );
        let mut process = Command::new("node")
            .arg(script)
            .env("OIDC_PORT", "0")
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_AS_PROCONNECT", if proconnect { "1" } else { "0" })
            .env("OIDC_REDIRECT_URIS", redirect_uri)
            // Where the gateway's logout sends the browser back after the provider's.
            .env(
                "OIDC_POST_LOGOUT_REDIRECT_URIS",
                redirect_uri.replace("/auth/callback", "/?logged_out=1"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let stdout = process
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout from the OpenID provider"))?;
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .map_err(|_| {
                anyhow::anyhow!("the OpenID provider did not start (run `make test` to install it)")
            })??;
        let issuer = first
            .and_then(|line| line.strip_prefix("issuer ").map(str::to_owned))
            .ok_or_else(|| anyhow::anyhow!("the OpenID provider did not announce its issuer"))?;
        // Keep reading what it prints: a closed pipe would kill it at its next message.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { process, issuer })
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.process.start_kill();
    }
}
