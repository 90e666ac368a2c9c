//! What a newcomer does first on the stack `make run` started, checked from outside over
//! HTTP: log in as the demo account through the development OpenID provider, enter a
//! report due tomorrow, and find exactly one reminder for it in the local mail inbox.
//!
//! Run by `deploy/local/newcomer.sh` against a running stack:
//! `cargo run -p maillage-e2e --example newcomer`, with `MAILLAGE_URL` (the gateway,
//! default http://127.0.0.1:8080) and `MAILLAGE_INBOX_URL` (the inbox, default
//! http://127.0.0.1:1080). Exits non-zero, saying why, when a step fails.

use std::time::Duration;

use anyhow::{Context, ensure};
use chrono::Utc;
use maillage_testkit::{Browser, eventually, location};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

const WORKSPACE: &str = "demo";
const ACCOUNT: &str = "camille";
const ACCOUNT_EMAIL: &str = "camille.martin@demo.maillage.test";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let base = std::env::var("MAILLAGE_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let inbox =
        std::env::var("MAILLAGE_INBOX_URL").unwrap_or_else(|_| "http://127.0.0.1:1080".into());
    let browser = Browser::new(&base)?;

    browser
        .login(ACCOUNT, &format!("/t/{WORKSPACE}/"))
        .await
        .context("logging in through the development OpenID provider")?;
    let home = browser.get(&format!("/t/{WORKSPACE}/")).await?;
    ensure!(
        home.status() == StatusCode::OK,
        "the workspace's home page answered {} after the login",
        home.status()
    );
    println!("logged in as {ACCOUNT} to the workspace {WORKSPACE}");

    reminders_at_any_hour(&browser).await?;

    // A report due tomorrow at noon in the workspace's zone: its J-1 reminder is due today.
    let paris = chrono_tz::Europe::Paris;
    let tomorrow = Utc::now().with_timezone(&paris).date_naive() + chrono::Days::new(1);
    let title = format!("Rapport de test {}", uuid::Uuid::new_v4().simple());
    let created = browser
        .post_form(
            &format!("/t/{WORKSPACE}/deadlines/new"),
            &[
                ("title", title.as_str()),
                ("due_date", &tomorrow.format("%Y-%m-%d").to_string()),
                ("due_time", "12:00"),
            ],
        )
        .await?;
    ensure!(
        created.status() == StatusCode::SEE_OTHER,
        "entering the report answered {}",
        created.status()
    );
    println!(
        "entered « {title} », due {tomorrow} at 12:00 ({})",
        location(&created)?
    );

    let http = reqwest::Client::new();
    let reminders_for_it = || async {
        let emails: Vec<Value> = http
            .get(format!("{inbox}/api/email"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        Some(
            emails
                .into_iter()
                .filter(|email| {
                    email["subject"]
                        .as_str()
                        .is_some_and(|s| s.contains(&title))
                })
                .collect::<Vec<_>>(),
        )
    };
    let first = eventually(Duration::from_secs(90), || async {
        reminders_for_it().await.filter(|found| !found.is_empty())
    })
    .await
    .context("no reminder for the report reached the inbox within 90 s")?;
    let recipient = first[0]["to"][0]["address"].as_str().unwrap_or_default();
    ensure!(
        recipient == ACCOUNT_EMAIL,
        "the reminder went to {recipient:?}, not to {ACCOUNT_EMAIL}"
    );
    println!(
        "reminder received: {}",
        first[0]["subject"].as_str().unwrap_or_default()
    );

    // The notification service goes on polling: nothing more may come for this report.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let all = reminders_for_it()
        .await
        .context("the inbox no longer answers")?;
    ensure!(
        all.len() == 1,
        "{} reminders for one report due tomorrow, expected exactly one",
        all.len()
    );
    println!("exactly one reminder in the inbox");
    Ok(())
}

/// Sets the workspace's reminders to leave at midnight with no quiet hours, as its admin
/// may: the J-1 reminder of a report due tomorrow is then due at once, whatever the hour
/// this check runs (with the defaults it would wait for 08:00, outside 20:00–08:00).
async fn reminders_at_any_hour(browser: &Browser) -> anyhow::Result<()> {
    let path = format!("{}/api/v1/t/{WORKSPACE}/reminder-policy", browser.base);
    let (status, policy) = browser
        .api(
            Method::GET,
            &format!("/api/v1/t/{WORKSPACE}/reminder-policy"),
            None,
        )
        .await?;
    ensure!(
        status == StatusCode::OK,
        "reading the reminder policy answered {status}"
    );
    let version = policy["version"]
        .as_i64()
        .context("the reminder policy has no version")?;
    let changed = browser
        .http
        .patch(&path)
        .header(header::IF_MATCH, format!("\"{version}\""))
        .json(&json!({
            "send_at": "00:00:00",
            "quiet_hours_start": "00:00:00",
            "quiet_hours_end": "00:00:00",
        }))
        .send()
        .await?;
    let status = changed.status();
    ensure!(
        status == StatusCode::OK,
        "changing the reminder policy answered {status}: {}",
        changed.text().await.unwrap_or_default()
    );
    println!("reminders of the workspace leave at any hour");
    Ok(())
}
