//! `make bench`: search and list-page latency within one tenant of a database holding
//! 1,000 tenants × 1,000 people, through core-records' HTTP API and, for the same SQL,
//! through pgbench, so that the cost of the service around the query shows.
//!
//! The seeded database (`maillage_bench`) is kept between runs; drop it to reseed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use maillage_db::ServiceRole;
use maillage_domain::Role;
use maillage_identity::{IDENTITY_HEADER, IdentityKey, InternalIdentity};
use maillage_testkit::TestDatabase;
use secrecy::SecretString;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Executor, PgPool};
use url::Url;
use uuid::Uuid;

const TENANTS: i32 = 1_000;
const PEOPLE_PER_TENANT: i32 = 1_000;
const REQUESTS: usize = 1_000;
const SECRET: &str = "benchmark-internal-secret-of-at-least-32-bytes";
/// What people type: starts of names and surnames, some with accents, some two words.
const QUERIES: [&str; 8] = ["mar", "dur", "hél", "fra", "ber", "jean mar", "lef", "dup"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Kept between runs: seeding takes minutes (drop the database to reseed).
    let db = TestDatabase::kept("maillage_bench").await?;
    let owner = db.owner.clone();
    let (tenant_id, user_id) = seed(&owner).await?;

    let core_url = Url::parse(&db.url_as(ServiceRole::CoreRecords))?;
    let service = maillage_core_records::build_app(maillage_core_records::Config {
        database_url: core_url.to_string(),
        database_max_connections: 4,
        bind_addr: "127.0.0.1:0".parse()?,
        internal_auth_secret: SecretString::from(SECRET.to_owned()),
        max_in_flight: maillage_core_records::DEFAULT_MAX_IN_FLIGHT,
    })
    .await?;
    let base = format!("http://{}", service.local_addr());
    tokio::spawn(service.run_until_stopped());

    let key = IdentityKey::new(&SecretString::from(SECRET.to_owned()));
    let identity = InternalIdentity {
        tenant_id,
        user_id,
        role: Role::Editor,
        request_id: "bench".into(),
    };
    let http = reqwest::Client::new();
    let call = |path: String| {
        let (http, key, identity) = (http.clone(), key.clone(), identity.clone());
        async move {
            let token = key.sign(&identity)?;
            let started = Instant::now();
            let response = http.get(path).header(IDENTITY_HEADER, token).send().await?;
            anyhow::ensure!(response.status().is_success(), "{}", response.status());
            response.bytes().await?;
            Ok::<_, anyhow::Error>(started.elapsed())
        }
    };
    // Warm up connections and caches.
    for q in QUERIES {
        call(format!("{base}/v1/search?q={}", encode(q))).await?;
    }
    let mut search = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS {
        search.push(
            call(format!(
                "{base}/v1/search?q={}",
                encode(QUERIES[i % QUERIES.len()])
            ))
            .await?,
        );
    }
    let mut list = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        list.push(call(format!("{base}/v1/people?limit=50")).await?);
    }
    let mut recent = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        recent.push(call(format!("{base}/v1/people?limit=50&sort=-updated_at")).await?);
    }

    let scripts = tempfile::tempdir()?;
    let search_sql = pgbench_search_scripts(scripts.path(), tenant_id)?;
    let (list_sql, recent_sql) = pgbench_list_scripts(scripts.path(), tenant_id)?;
    let pg_search = pgbench(&core_url, &search_sql, scripts.path(), "search")?;
    let pg_list = pgbench(&core_url, &list_sql, scripts.path(), "list")?;
    let pg_recent = pgbench(&core_url, &recent_sql, scripts.path(), "recent")?;
    let plan = explain(&owner, &core_url, tenant_id).await?;

    println!();
    println!(
        "Maillage benchmark: {TENANTS} tenants x {PEOPLE_PER_TENANT} people, one tenant, one client, {REQUESTS} requests each"
    );
    println!("{:<28} {:>10} {:>10}", "", "p50 (ms)", "p95 (ms)");
    let row = |name: &str, samples: &mut Vec<Duration>| {
        let (p50, p95) = percentiles(samples);
        println!("{name:<28} {p50:>10.2} {p95:>10.2}");
        p50
    };
    let api_search = row("search, API (HTTP)", &mut search);
    let sql_search = row("search, same SQL (pgbench)", &mut pg_search.clone());
    let api_list = row("list page, API (HTTP)", &mut list);
    let sql_list = row("list page, same SQL (pgbench)", &mut pg_list.clone());
    let api_recent = row("by last change, API (HTTP)", &mut recent);
    let sql_recent = row("by last change, SQL (pgbench)", &mut pg_recent.clone());
    println!(
        "API / pgbench at p50: search {:.1}x, list {:.1}x, by last change {:.1}x",
        api_search / sql_search,
        api_list / sql_list,
        api_recent / sql_recent
    );
    println!("\nPlan of the search as maillage_core (row-level security applies):\n{plan}");
    Ok(())
}

/// 1,000 tenants of 1,000 people with French names, once.
async fn seed(owner: &PgPool) -> anyhow::Result<(Uuid, Uuid)> {
    let seeded: i64 = sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(owner)
        .await?;
    if seeded == 0 {
        println!("seeding {TENANTS} tenants x {PEOPLE_PER_TENANT} people (once; a few minutes)…");
        let started = Instant::now();
        let mut tx = owner.begin().await?;
        tx.execute(sqlx::AssertSqlSafe(format!(
            "insert into tenants (id, slug, name, kind)
             select gen_random_uuid(), 'bench-' || lpad(g::text, 4, '0'), 'Association ' || g, 'association'
             from generate_series(1, {TENANTS}) g"
        )))
        .await?;
        tx.execute(sqlx::AssertSqlSafe(format!(
            "insert into people (tenant_id, id, given_name, family_name, email)
             select t.id, gen_random_uuid(), g.name, f.name, lower(g.name || '.' || f.name || i || '@exemple.fr')
             from (select id, row_number() over (order by slug) as n from tenants) t
             cross join generate_series(1, {PEOPLE_PER_TENANT}) i
             cross join lateral (select (array['Marie','Jean','Hélène','François','Léa','Louis','Chloé','Gabriel',
                 'Inès','Raphaël','Zoé','Noël','Jeanne','Martin','Anaïs','Jérôme','Céline','Mathéo','Amélie','Éloïse'])
                 [1 + ((i * 7 + t.n) % 20)] as name) g
             cross join lateral (select (array['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit',
                 'Durand','Leroy','Moreau','Simon','Laurent','Lefèvre','Michel','Garcia','David','Bertrand','Roux',
                 'Vincent','Fournier','Morel','Girard','André','Lefebvre','Mercier','Dupont','Lambert','Bonnet',
                 'François','Martinez'])[1 + ((i * 13 + t.n * 3) % 30)]
                 || case when i % 4 = 0 then '-' || (array['Caron','Noël','Perrin','Brun'])[1 + (i / 4) % 4] else '' end
                 as name) f"
        )))
        .await?;
        tx.execute("insert into users (id, issuer, subject, email) values (gen_random_uuid(), 'bench', 'bench', 'bench@exemple.fr')")
            .await?;
        tx.execute(
            "insert into memberships (tenant_id, user_id, role)
             select t.id, u.id, 'editor' from tenants t, users u where t.slug = 'bench-0042' and u.subject = 'bench'",
        )
        .await?;
        tx.commit().await?;
        // As a database in service would be after autovacuum: GIN pending lists merged
        // into the indexes, visibility maps set, statistics fresh.
        owner.execute("vacuum (analyze)").await?;
        println!("seeded in {:.0} s", started.elapsed().as_secs_f64());
    }
    Ok(sqlx::query_as(
        "select t.id, m.user_id from tenants t join memberships m on m.tenant_id = t.id where t.slug = 'bench-0042'",
    )
    .fetch_one(owner)
    .await?)
}

/// The SQL of one search request, as core-records sends it.
fn search_statements(tenant_id: Uuid, query: &str) -> String {
    let q = query.replace('\'', "''");
    format!(
        "begin;
select set_config('app.tenant_id', '{tenant_id}', true);
select kind, id, label, detail, score from (
  select 'person' as kind, id, trim(family_name || ' ' || given_name) as label, email as detail,
         similarity(search_text, maillage_search_text('{q}')) as score
  from people
  where tenant_id = '{tenant_id}' and search_tsv @@ maillage_tenant_prefix_query('{tenant_id}', '{q}') and deleted_at is null
  union all
  select 'organisation', id, name, email, similarity(search_text, maillage_search_text('{q}'))
  from organisations
  where tenant_id = '{tenant_id}' and search_tsv @@ maillage_tenant_prefix_query('{tenant_id}', '{q}') and deleted_at is null
  union all
  select 'project', id, name, nullif(territory, ''), similarity(search_text, maillage_search_text('{q}'))
  from projects
  where tenant_id = '{tenant_id}' and search_tsv @@ maillage_tenant_prefix_query('{tenant_id}', '{q}') and deleted_at is null
) hits order by score desc, label, id limit 20;
commit;
"
    )
}

fn pgbench_search_scripts(dir: &Path, tenant_id: Uuid) -> anyhow::Result<Vec<String>> {
    QUERIES
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let path = dir.join(format!("search-{i}.sql"));
            std::fs::write(&path, search_statements(tenant_id, q))?;
            Ok(path.to_string_lossy().into_owned())
        })
        .collect()
}

/// A list page as the service reads it: the page's ids through the order's index, then
/// their rows; alphabetical, and by last change.
fn pgbench_list_scripts(dir: &Path, tenant_id: Uuid) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let script = |name: &str, order: &str| -> anyhow::Result<Vec<String>> {
        let path = dir.join(name);
        std::fs::write(
            &path,
            format!(
                "begin;
select set_config('app.tenant_id', '{tenant_id}', true);
select id, given_name, family_name, email, phone, emails, phones, address, custom, email_consent,
       consent_basis, consent_on, consent_source, notes, version, created_at, updated_at, deleted_at
from people where tenant_id = '{tenant_id}' and deleted_at is null
  and id = any(array(select id from people where tenant_id = '{tenant_id}' and deleted_at is null
                     order by {order} limit 51))
order by {order};
commit;
"
            ),
        )?;
        Ok(vec![path.to_string_lossy().into_owned()])
    };
    Ok((
        script("list.sql", "family_name, given_name, id")?,
        script("recent.sql", "updated_at desc, id desc")?,
    ))
}

/// Runs the scripts (equal weights) as the service role; per-transaction latencies.
fn pgbench(url: &Url, scripts: &[String], dir: &Path, name: &str) -> anyhow::Result<Vec<Duration>> {
    let prefix = dir.join(name);
    let mut command = Command::new("pgbench");
    command
        .args([
            "-n",
            "-c",
            "1",
            "-j",
            "1",
            "-t",
            &REQUESTS.to_string(),
            "-l",
        ])
        .arg(format!("--log-prefix={}", prefix.display()))
        .arg(url.as_str());
    for script in scripts {
        command.arg("-f").arg(format!("{script}@1"));
    }
    let output = command.current_dir(dir).output()?;
    anyhow::ensure!(
        output.status.success(),
        "pgbench failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut samples = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(name) && !n.ends_with(".sql"))
        {
            for line in std::fs::read_to_string(&path)?.lines() {
                // client_id transaction_no latency_us script_no epoch epoch_us
                if let Some(us) = line
                    .split_whitespace()
                    .nth(2)
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    samples.push(Duration::from_micros(us));
                }
            }
        }
    }
    Ok(samples)
}

async fn explain(_owner: &PgPool, core_url: &Url, tenant_id: Uuid) -> anyhow::Result<String> {
    let core = PgPoolOptions::new()
        .max_connections(1)
        .connect(core_url.as_str())
        .await?;
    let mut tx = core.begin().await?;
    sqlx::query("select set_config('app.tenant_id', $1, true)")
        .bind(tenant_id.to_string())
        .execute(&mut *tx)
        .await?;
    let lines: Vec<String> = sqlx::query_scalar(
        "explain (analyze, costs off, timing off) select id from people
         where tenant_id = $1 and search_tsv @@ maillage_tenant_prefix_query($1, 'dur')",
    )
    .bind(tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.rollback().await?;
    Ok(lines.join("\n"))
}

fn percentiles(samples: &mut [Duration]) -> (f64, f64) {
    samples.sort();
    let at = |p: f64| {
        let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
        samples
            .get(index)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(f64::NAN)
    };
    (at(0.50), at(0.95))
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
