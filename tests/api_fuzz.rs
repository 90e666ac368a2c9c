//! The served OpenAPI document against the running API, by a property-based fuzzer
//! (schemathesis, every check): requests generated from the document, for every
//! operation, with the records of a workspace to find. No answer may be a server error;
//! every answer — its status, content type and body — must be one the document
//! describes; a request the document allows must be accepted, and one it forbids
//! refused. What a JSON Schema cannot say (ids naming records of the workspace, names
//! already taken, rules between two fields) is listed in `tests/schemathesis.toml`.
//!
//! Bounded: a few examples per operation (the budget is `MAILLAGE_FUZZ_EXAMPLES`,
//! default 8); `MAILLAGE_FUZZ_PHASES=examples,coverage,fuzzing,stateful` adds the
//! boundary values of every constraint; `MAILLAGE_FUZZ_REPORT=1` prints schemathesis'
//! whole report.

use std::time::Duration;

use maillage_gateway::RateLimitConfig;
use maillage_testkit::Browser;
use serde_json::{Value, json};

mod common;

use common::Platform;

type TestResult = anyhow::Result<()>;

/// Creates a record of "asso-demo" through the API; its body.
async fn created(browser: &Browser, collection: &str, body: Value) -> anyhow::Result<Value> {
    browser
        .create(&format!("/api/v1/t/asso-demo/{collection}"), body)
        .await
}

#[tokio::test]
async fn the_api_answers_only_what_its_document_describes_and_never_a_server_error() -> TestResult {
    // The fuzzer sends hundreds of requests a minute as one person: no rate limit here.
    let platform = Platform::start_with(|config| {
        config.rate_limits = RateLimitConfig {
            per_user: 0,
            per_tenant: 0,
            per_client: 0,
            ..RateLimitConfig::default()
        }
    })
    .await?;
    let browser = Browser::new(&platform.gateway)?;
    let (_, cookie) = browser.login("camille", "/t/asso-demo/").await?;

    // A workspace with one record of each kind, so that answers have bodies to check.
    let funder = created(
        &browser,
        "organisations",
        json!({"name": "Région", "kind": "funder"}),
    )
    .await?;
    let person = created(
        &browser,
        "people",
        json!({"family_name": "Martin", "given_name": "Zoé"}),
    )
    .await?;
    created(
        &browser,
        "deadlines",
        json!({"title": "Bilan", "due_at": "2030-06-30T12:00:00+02:00", "funder_id": funder["id"]}),
    )
    .await?;
    created(&browser, "partnerships", json!({
        "title": "Contrat de ville", "kind": "funding",
        "partners": [{"organisation_id": funder["id"], "role": "financeur"}],
        "agreement": {"purpose": "Accompagner", "budget": {"amount_cents": 4_500_000, "currency": "EUR"}}
    })).await?;
    created(&browser, "projects", json!({"name": "Jardins partagés"})).await?;
    created(
        &browser,
        "activities",
        json!({
            "kind": "meeting", "subject": "Réunion", "occurred_at": "2026-11-30T10:00:00+01:00",
            "links": {"people": [person["id"]], "organisations": [funder["id"]]}
        }),
    )
    .await?;
    created(&browser, "tags", json!({"name": "bénévole"})).await?;

    let workdir = tempfile::tempdir()?;
    // Every generated request is for this workspace.
    // The settings, with the session given as the document's own security scheme, so
    // that the fuzzer knows which requests go without it (and must then be refused).
    let session = cookie.trim_start_matches("maillage_session=").to_owned();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/schemathesis.toml");
    let python = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| "python3".into());
    let schemathesis = std::path::Path::new(&python).with_file_name("schemathesis");
    let examples = std::env::var("MAILLAGE_FUZZ_EXAMPLES").unwrap_or_else(|_| "8".into());
    // The coverage phase (boundary values of every constraint) for a deeper run.
    let phases = std::env::var("MAILLAGE_FUZZ_PHASES")
        .unwrap_or_else(|_| "examples,fuzzing,stateful".into());
    let gateway = platform.gateway.clone();
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(schemathesis)
            .current_dir(workdir.path())
            .env("MAILLAGE_FUZZ_SESSION", session)
            .args(["--config-file", config])
            .args(["run", &format!("{gateway}/api/v1/openapi.json")])
            .args(["--url", &gateway])
            .args(["--checks", "all"])
            .args(["--phases", &phases])
            .args(["--max-examples", &examples])
            .args(["--seed", "20261130", "--no-color"])
            .output()
    });
    let output = tokio::time::timeout(Duration::from_secs(600), run).await???;
    let report = String::from_utf8_lossy(&output.stdout);
    if std::env::var_os("MAILLAGE_FUZZ_REPORT").is_some() {
        println!("{report}");
    }
    let summary: String = report
        .lines()
        .skip_while(|line| !line.contains("FAILURES") && !line.contains("SUMMARY"))
        .take(120)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{summary}"
    );
    assert!(
        report.contains("generated") && !report.contains(" 0 generated"),
        "schemathesis generated no request:\n{summary}"
    );
    Ok(())
}
