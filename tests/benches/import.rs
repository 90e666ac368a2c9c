//! An import of 100,000 rows — each a person, their organisation, the link between them
//! and a tag — through the release core-records, beside PostgreSQL's `COPY` of the same
//! rows into a bare table, measured in the same run: the ratio of the two is read off one
//! line whatever the machine. The file goes in as a user sends it (HTTP), is checked
//! (the dry run), then run; core-records' resident memory is read throughout, and its
//! peak printed.
//!
//! Goal (issue #16): the run within 10× of `COPY`, under 20 s, peak RSS under 200 MB.
//! `MAILLAGE_BENCH_IMPORT_ROWS` changes the number of rows.

use std::time::{Duration, Instant};

use maillage_db::ServiceRole;
use maillage_domain::Role;
use maillage_identity::{IDENTITY_HEADER, IdentityKey, InternalIdentity};
use maillage_testkit::{
    INTERNAL_SECRET, TestDatabase, free_port, redis_url, unique_redis_namespace,
};
use secrecy::SecretString;
use serde_json::Value;

#[path = "release/mod.rs"]
mod release;

use release::Service;

/// Distinct organisations and tags among the rows: a network's proportions.
const ORGANISATIONS: usize = 5_000;
const TAGS: usize = 20;

fn file_of(rows: usize) -> String {
    let mut csv = String::from("Prénom;Nom;Courriel;Organisation;Fonction;Étiquettes\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "Prénom{i};Nom{i};personne{i}@exemple.fr;Organisation {};Chargée de mission;Thème {}\n",
            i % ORGANISATIONS,
            i % TAGS
        ));
    }
    csv
}

/// Waits for the import to reach `status`, reading core-records' RSS meanwhile; the
/// import, and the highest RSS seen.
async fn until(
    http: &reqwest::Client,
    core: &Service,
    url: &str,
    identity: &impl Fn() -> String,
    status: &str,
) -> anyhow::Result<(Value, f64)> {
    let mut peak: f64 = 0.0;
    let started = Instant::now();
    loop {
        peak = peak.max(core.rss_mb());
        let import: Value = http
            .get(url)
            .header(IDENTITY_HEADER, identity())
            .send()
            .await?
            .json()
            .await?;
        if import["status"] == status {
            return Ok((import, peak));
        }
        anyhow::ensure!(
            !matches!(import["status"].as_str(), Some("refused" | "failed")),
            "{import}"
        );
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "too slow: {import}"
        );
        if std::env::var_os("MAILLAGE_BENCH_VERBOSE").is_some() {
            eprintln!(
                "{:>6.1} s {} {}",
                started.elapsed().as_secs_f64(),
                import["status"],
                import["progress_rows"]
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("MAILLAGE_BENCH_IMPORT_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let db = TestDatabase::create().await?;
    let tenant_id = db.create_tenant("bench").await?;
    let user_id = db.create_user("bench@example.org").await?;
    db.add_member(tenant_id, user_id, "editor").await?;
    let csv = file_of(rows);

    let mut conn = db.owner.acquire().await?;
    sqlx::query(
        "create table bench_copy (given_name text, family_name text, email text, organisation text,
                                  role text, tags text)",
    )
    .execute(&mut *conn)
    .await?;
    let started = Instant::now();
    let mut copy = conn
        .copy_in_raw("copy bench_copy from stdin with (format csv, delimiter ';', header true)")
        .await?;
    copy.send(csv.as_bytes()).await?;
    let copied = copy.finish().await?;
    let copy_seconds = started.elapsed().as_secs_f64();
    drop(conn);
    anyhow::ensure!(copied as usize == rows, "COPY took {copied} rows");

    let port = free_port()?;
    let core = Service::start(
        "core-records",
        port,
        &[
            (
                "CORE_RECORDS_DATABASE_URL",
                db.url_as(ServiceRole::CoreRecords),
            ),
            ("CORE_RECORDS_BIND", format!("127.0.0.1:{port}")),
            ("INTERNAL_AUTH_SECRET", INTERNAL_SECRET.into()),
            ("REDIS_URL", redis_url()),
            ("REDIS_NAMESPACE", unique_redis_namespace()),
        ],
    )
    .await?;
    let idle = core.rss_mb();
    let key = IdentityKey::new(&SecretString::from(INTERNAL_SECRET.to_owned()));
    // Signed afresh for each request: an identity is short-lived.
    let identity = move || {
        key.sign(&InternalIdentity {
            tenant_id,
            user_id,
            role: Role::Editor,
            request_id: "bench".into(),
        })
        .unwrap_or_default()
    };
    let http = reqwest::Client::new();

    let started = Instant::now();
    let sent: Value = http
        .post(format!("{}/v1/imports?file_name=bench.csv", core.base))
        .header(IDENTITY_HEADER, identity())
        .header("content-type", "application/octet-stream")
        .body(csv.clone())
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let upload_seconds = started.elapsed().as_secs_f64();
    let id = sent["id"].as_str().unwrap_or_default().to_owned();
    let url = format!("{}/v1/imports/{id}", core.base);
    let (checked, check_peak) = until(&http, &core, &url, &identity, "checked").await?;
    let check_seconds = started.elapsed().as_secs_f64() - upload_seconds;

    let started = Instant::now();
    http.post(format!("{url}/run"))
        .header(IDENTITY_HEADER, identity())
        .send()
        .await?
        .error_for_status()?;
    let (done, run_peak) = until(&http, &core, &url, &identity, "done").await?;
    let run_seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        done["counts"] == checked["counts"],
        "the run did other than its dry run: {} vs {}",
        done["counts"],
        checked["counts"]
    );
    anyhow::ensure!(
        done["totals_after"]["people"].as_u64() == Some(rows as u64),
        "{done}"
    );

    let per_second = |seconds: f64| rows as f64 / seconds;
    println!();
    println!(
        "import of {rows} rows (person + organisation + link + tag; {ORGANISATIONS} organisations, {TAGS} tags), {} MB of CSV",
        csv.len() / (1 << 20)
    );
    println!("{:<52} {:>9} {:>12}", "", "seconds", "rows/s");
    println!(
        "{:<52} {:>9.2} {:>12.0}",
        "baseline: COPY into a bare table",
        copy_seconds,
        per_second(copy_seconds)
    );
    println!(
        "{:<52} {:>9.2} {:>12.0}",
        "upload (POST /v1/imports, kept in PostgreSQL)",
        upload_seconds,
        per_second(upload_seconds)
    );
    println!(
        "{:<52} {:>9.2} {:>12.0}",
        "dry run (read, match, count)",
        check_seconds,
        per_second(check_seconds)
    );
    println!(
        "{:<52} {:>9.2} {:>12.0}",
        "run (read, match, write, undo log)",
        run_seconds,
        per_second(run_seconds)
    );
    println!(
        "run / COPY: {:.1}× (goal: within 10×; under 20 s)",
        run_seconds / copy_seconds
    );
    println!(
        "core-records RSS: {idle:.0} MB idle, peak {check_peak:.0} MB during the dry run, {run_peak:.0} MB during the run (goal: under 200 MB)"
    );
    println!("counts: {}", done["counts"]);
    Ok(())
}
