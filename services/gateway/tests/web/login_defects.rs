//! The login against a provider that gets one thing wrong at a time: every defect is
//! refused and leaves no session; the same provider without a defect logs in.

use maillage_testkit::faulty_oidc::{Defect, FaultyProvider};
use maillage_testkit::oidc::CLIENT_ID;
use maillage_testkit::{free_port, location};
use reqwest::{StatusCode, header};

use crate::helpers::Stack;

/// What the callback answered, and whether a session came of it.
async fn log_in_through(stack: &Stack, defect: Defect) -> anyhow::Result<(StatusCode, bool)> {
    let provider = FaultyProvider::start(CLIENT_ID, defect).await?;
    let port = free_port()?;
    let gateway = stack
        .another_gateway(|config| {
            if let Ok(address) = format!("127.0.0.1:{port}").parse() {
                config.bind_addr = address;
            }
            config.public_base_url = format!("http://127.0.0.1:{port}");
            config.oidc_issuer_url = provider.issuer.clone();
        })
        .await?;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let to_provider = browser.get(format!("{gateway}/login")).send().await?;
    anyhow::ensure!(
        to_provider.status() == StatusCode::SEE_OTHER,
        "{defect:?}: /login answered {}",
        to_provider.status()
    );
    let back = browser.get(location(&to_provider)?).send().await?;
    let callback = location(&back)?;
    let finished = browser.get(&callback).send().await?;
    let status = finished.status();
    let session_set = finished
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("maillage_session="));
    let me = browser.get(format!("{gateway}/api/v1/me")).send().await?;
    let logged_in = me.status() == StatusCode::OK;
    anyhow::ensure!(
        session_set == logged_in,
        "{defect:?}: a session cookie was set ({session_set}) but /me says {}",
        me.status()
    );
    Ok((status, logged_in))
}

#[tokio::test]
async fn every_defect_of_the_provider_is_refused_and_logs_nobody_in() -> anyhow::Result<()> {
    let stack = Stack::start().await?;
    let mut answers = Vec::new();
    for defect in Defect::ALL {
        let (status, logged_in) = log_in_through(&stack, defect).await?;
        answers.push(format!("{defect:?}: {status}"));
        if defect == Defect::None {
            assert_eq!(status, StatusCode::SEE_OTHER, "the good provider logs in");
            assert!(logged_in, "the good provider logs in");
        } else {
            assert!(
                status.is_client_error() || status.is_server_error(),
                "{defect:?} answered {status}"
            );
            assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{defect:?}");
            assert!(!logged_in, "{defect:?} logged someone in");
        }
    }
    // What each case answered, for the record (cargo test -- --nocapture).
    println!("{}", answers.join("\n"));
    Ok(())
}
