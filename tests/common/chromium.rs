//! Headless Chromium driven through chromedriver, for the browser tests and the
//! drawing's benchmark: started with a profile of its own, killed when dropped.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use maillage_testkit::free_port;
use tokio::process::{Child, Command};

/// chromedriver with a headless Chromium of its own, killed when dropped.
pub struct Chromium {
    _driver: Child,
    pub client: Client,
}

impl Chromium {
    pub async fn start() -> anyhow::Result<Self> {
        let port = free_port()?;
        let driver = Command::new(
            std::env::var("MAILLAGE_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            anyhow::anyhow!("chromedriver is missing (run `make test` to install it): {e}")
        })?;
        let profile = tempfile_dir()?;
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": std::env::var("MAILLAGE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--lang=fr-FR", "--window-size=1280,900",
                    format!("--user-data-dir={profile}"),
                ],
                // A French person's browser: headless Chromium asks for English pages
                // whatever `--lang` says, unless its preferences say otherwise.
                "prefs": { "intl": { "accept_languages": "fr-FR,fr" } }
            }
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..50 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Ok(Self {
                        _driver: driver,
                        client,
                    });
                }
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        anyhow::bail!("cannot start Chromium: {last_error:?}")
    }
}

/// A new folder of its own under the temporary directory: a browser profile, a file to upload.
pub fn tempfile_dir() -> anyhow::Result<String> {
    let dir = std::env::temp_dir().join(format!(
        "maillage-chromium-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir.to_string_lossy().into_owned())
}

impl Chromium {
    /// Signs in at `gateway` as `account` of the development provider, landing on
    /// `return_to`.
    pub async fn sign_in(
        &self,
        gateway: &str,
        account: &str,
        return_to: &str,
    ) -> anyhow::Result<()> {
        self.client
            .goto(&format!("{gateway}/login?return_to={return_to}"))
            .await?;
        sign_in_at_provider(&self.client, account).await
    }
}

/// Fills and sends the development provider's login page as `account`.
pub async fn sign_in_at_provider(browser: &Client, account: &str) -> anyhow::Result<()> {
    browser
        .find(Locator::Css("input[name=login]"))
        .await?
        .send_keys(account)
        .await?;
    browser
        .find(Locator::Css("input[name=password]"))
        .await?
        .send_keys("demo")
        .await?;
    browser
        .find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    Ok(())
}

/// Polls the page with `script` until it answers something other than null.
pub async fn eventually_in_page(
    browser: &Client,
    script: &str,
) -> anyhow::Result<serde_json::Value> {
    for _ in 0..100 {
        let value = browser.execute(script, vec![]).await?;
        if !value.is_null() {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the page never answered: {script}")
}
