//! An import's run cut short by the crash of its core-records — the process's work
//! dropped where it stood, its open transaction never committed — goes on where it
//! stopped in the next core-records: every row written once, none twice, none lost.

use std::sync::mpsc;
use std::time::Duration;

use maillage_core_records::{Config, build_app};
use maillage_domain::Role;
use maillage_testkit::TestDatabase;
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, config_for, id_of};

/// A core-records on a runtime of its own, in a thread: its address, and what stops it
/// dead when sent.
fn crashable(config: Config) -> anyhow::Result<(String, mpsc::Sender<()>)> {
    let (ready, started) = mpsc::channel();
    let (crash, crashed) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Runtime::new() {
            Ok(runtime) => runtime,
            Err(error) => {
                let _ = ready.send(Err(error.to_string()));
                return;
            }
        };
        match runtime.block_on(build_app(config)) {
            Ok(app) => {
                let _ = ready.send(Ok(format!("http://{}", app.local_addr())));
                runtime.spawn(app.run_until_stopped());
            }
            Err(error) => {
                let _ = ready.send(Err(error.to_string()));
                return;
            }
        }
        let _ = crashed.recv();
        // Every task dropped at once where it stands, as a killed process's.
        runtime.shutdown_timeout(Duration::ZERO);
    });
    let base = started.recv()?.map_err(anyhow::Error::msg)?;
    Ok((base, crash))
}

/// `rows` people, each with their organisation and a tag.
fn file_of(rows: usize) -> Vec<u8> {
    let mut csv = String::from("Prénom;Nom;Courriel;Organisation;Étiquettes\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "Prénom{i};Nom{i};personne{i}@exemple.fr;Organisation {};Thème {}\n",
            i % 50,
            i % 5
        ));
    }
    csv.into_bytes()
}

#[tokio::test]
async fn a_run_cut_short_by_a_crash_goes_on_where_it_stopped() -> TestResult {
    const ROWS: usize = 5000;
    let db = TestDatabase::create().await?;
    let (base, crash) = crashable(config_for(&db))?;
    let mut app = TestApp {
        base,
        http: reqwest::Client::new(),
        key: maillage_identity::IdentityKey::new(&SecretString::from(
            maillage_testkit::INTERNAL_SECRET.to_owned(),
        )),
        db,
    };
    let actor = app.actor("asso", Role::Editor).await?;
    let (status, sent) = app.send_file(&actor, "gros.csv", file_of(ROWS)).await?;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let id = id_of(&sent);
    let checked = app.import_when(&actor, &id, "checked").await?;
    app.post(&actor, &format!("/v1/imports/{id}/run"), json!({}))
        .await?;

    // Stopped dead once a batch or more is committed, before the last.
    let import_id: Uuid = id.parse()?;
    let committed = maillage_testkit::eventually(Duration::from_secs(60), || async {
        let line: i64 = sqlx::query_scalar(
            "select committed_line from imports where id = $1 and status = 'running'",
        )
        .bind(import_id)
        .fetch_optional(&app.db.owner)
        .await
        .ok()??;
        (line > 0).then_some(line)
    })
    .await;
    let _ = crash.send(());
    let Some(committed) = committed else {
        anyhow::bail!("the run never committed a batch");
    };
    assert!(
        committed < ROWS as i64,
        "the run ended before the crash: a bigger file is needed"
    );
    let written: i64 = sqlx::query_scalar("select count(*) from people")
        .fetch_one(&app.db.owner)
        .await?;
    assert!(
        written < ROWS as i64,
        "{written} people written before the crash"
    );

    // The importer's silence grows stale (a minute, here made at once), and the next
    // core-records takes the run over.
    sqlx::query("update imports set claimed_at = now() - interval '1 hour' where id = $1")
        .bind(import_id)
        .execute(&app.db.owner)
        .await?;
    let next = build_app(config_for(&app.db)).await?;
    app.base = format!("http://{}", next.local_addr());
    tokio::spawn(next.run_until_stopped());
    let done = app.import_when(&actor, &id, "done").await?;
    assert_eq!(done["counts"], checked["counts"], "the run did its dry run");

    let (people, emails, affiliations, items): (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from people), (select count(distinct email) from people),
                (select count(*) from affiliations),
                (select count(*) from import_items where record_type = 'person')",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(
        (people, emails, affiliations, items),
        (ROWS as i64, ROWS as i64, ROWS as i64, ROWS as i64),
        "each row written once"
    );

    // And the whole of it undone at once, the part before the crash included.
    app.post(&actor, &format!("/v1/imports/{id}/undo"), json!({}))
        .await?;
    app.import_when(&actor, &id, "undone").await?;
    let left: i64 = sqlx::query_scalar(
        "select (select count(*) from people) + (select count(*) from organisations)",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(left, 0);
    Ok(())
}
