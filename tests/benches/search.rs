//! `make bench`: search and list-page latency in a database of 1,000,000 people (700
//! workspaces of 1,000 and one of 300,000), through core-records' HTTP API and, for the
//! same SQL, through pgbench, so that the cost of the service around the query shows:
//! one client in a workspace of 1,000; the list page under 8, 64 and 200 clients at
//! once; search by kind of query in the workspace of 300,000.
//!
//! The seeded database (`maillage_bench`) is kept between runs; drop it to reseed.

use std::path::Path;
use std::sync::Arc;
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

#[path = "load/mod.rs"]
mod load;

use load::Length;

const TENANTS: i32 = 700;
const PEOPLE_PER_TENANT: i32 = 1_000;
/// The one large workspace (a big town's contacts), beside the others.
const BIG_WORKSPACE: i32 = 300_000;
/// What people type in the large workspace, by kind of query.
const BIG_QUERIES: [(&str, &str); 9] = [
    ("one letter", "m"),
    ("two letters", "ma"),
    ("three letters", "mar"),
    ("a whole word", "martin"),
    ("two words", "jean mar"),
    ("a word and a letter", "jean m"),
    ("accents", "hél"),
    ("a typo", "durnad"),
    ("two words, typos", "jaen marit"),
];
/// Requests per query in the large workspace.
const BIG_REQUESTS: usize = 100;
const REQUESTS: usize = 1_000;
const SECRET: &str = "benchmark-internal-secret-of-at-least-32-bytes";
/// What people type: starts of names and surnames, some with accents, some two words.
const QUERIES: [&str; 8] = ["mar", "dur", "hél", "fra", "ber", "jean mar", "lef", "dup"];
/// Many clients listing people at once: how many, and for how long each run.
const CONCURRENT_CLIENTS: [usize; 3] = [8, 64, 200];
const CONCURRENT_SECONDS: u64 = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Kept between runs: seeding takes minutes (drop the database to reseed).
    let db = TestDatabase::kept("maillage_bench").await?;
    let owner = db.owner.clone();
    let (tenant_id, big_tenant_id, user_id) = seed(&owner).await?;

    let core_url = Url::parse(&db.url_as(ServiceRole::CoreRecords))?;
    let service = maillage_core_records::build_app(maillage_core_records::Config {
        database_url: core_url.to_string(),
        database_max_connections: 10,
        bind_addr: "127.0.0.1:0".parse()?,
        internal_auth_secret: SecretString::from(SECRET.to_owned()),
        max_in_flight: maillage_core_records::DEFAULT_MAX_IN_FLIGHT,
        redis_url: maillage_testkit::redis_url(),
        redis_namespace: maillage_testkit::unique_redis_namespace(),
        retention_look_every: std::time::Duration::from_secs(
            maillage_core_records::DEFAULT_RETENTION_LOOK_SECONDS,
        ),
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
    let (list_sql, recent_sql) = pgbench_list_scripts(scripts.path(), tenant_id)?;
    let dir = scripts.path();
    let one_by_one = |scripts: &[String], name: &str| {
        load::pgbench(
            &core_url,
            scripts,
            dir,
            name,
            1,
            Length::Transactions(REQUESTS),
        )
        .map(|run| run.latencies)
    };
    let queries = Queries::connect(&core_url).await?;
    let mut sql_search = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS {
        sql_search.push(
            queries
                .search(tenant_id, QUERIES[i % QUERIES.len()])
                .await?
                .0,
        );
    }
    let pg_list = one_by_one(&list_sql, "list")?;
    let pg_recent = one_by_one(&recent_sql, "recent")?;

    println!();
    println!(
        "Maillage benchmark: {TENANTS} tenants x {PEOPLE_PER_TENANT} people, one tenant, one client, {REQUESTS} requests each"
    );
    println!("{:<28} {:>10} {:>10}", "", "p50 (ms)", "p95 (ms)");
    let row = |name: &str, samples: &mut Vec<Duration>| {
        let (p50, p95) = (
            load::percentile(samples, 0.50),
            load::percentile(samples, 0.95),
        );
        println!("{name:<28} {p50:>10.2} {p95:>10.2}");
        p50
    };
    let api_search = row("search, API (HTTP)", &mut search);
    let sql_search = row("search, its queries (sqlx)", &mut sql_search);
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

    let (identity_of_big, key_of_big) = (identity.clone(), key.clone());
    let sign: Arc<dyn Fn() -> anyhow::Result<String> + Send + Sync> =
        Arc::new(move || Ok(key.sign(&identity)?));
    concurrent_lists(&base, &core_url, dir, &list_sql, sign).await?;
    let big_identity = InternalIdentity {
        tenant_id: big_tenant_id,
        ..identity_of_big
    };
    search_in_a_big_workspace(&base, &queries, big_tenant_id, &big_identity, &key_of_big).await?;
    Ok(())
}

/// The search's queries as core-records runs them, without the HTTP around them: in a
/// tenant transaction of its role, on a connection of its own.
struct Queries {
    pool: PgPool,
}

impl Queries {
    async fn connect(core_url: &Url) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(core_url.as_str())
            .await?;
        Ok(Self { pool })
    }

    /// How long one search took, and what it found.
    async fn search(
        &self,
        tenant_id: Uuid,
        typed: &str,
    ) -> anyhow::Result<(Duration, maillage_core_records::Found)> {
        let started = Instant::now();
        let mut tx = maillage_db::begin_tenant(&self.pool, tenant_id).await?;
        let found = maillage_core_records::search(&mut tx, tenant_id, typed, 20).await?;
        tx.commit().await?;
        Ok((started.elapsed(), found))
    }
}

/// Search in the workspace of 300,000 people, by kind of query: through the API (one
/// client), and its queries alone.
async fn search_in_a_big_workspace(
    base: &str,
    queries: &Queries,
    tenant_id: Uuid,
    identity: &InternalIdentity,
    key: &IdentityKey,
) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    println!(
        "\nSearch in a workspace of {BIG_WORKSPACE} people (1,000,000 in all), one client, {BIG_REQUESTS} requests each"
    );
    println!(
        "| query | typed | results | API p50 ms | API p95 ms | queries p50 ms | queries p95 ms |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (kind, typed) in BIG_QUERIES {
        let url = format!("{base}/v1/search?q={}", encode(typed));
        let (mut api, mut alone) = (
            Vec::with_capacity(BIG_REQUESTS),
            Vec::with_capacity(BIG_REQUESTS),
        );
        let mut found = None;
        for _ in 0..BIG_REQUESTS {
            let started = Instant::now();
            let response = http
                .get(&url)
                .header(IDENTITY_HEADER, key.sign(identity)?)
                .send()
                .await?;
            anyhow::ensure!(response.status().is_success(), "{}", response.status());
            response.bytes().await?;
            api.push(started.elapsed());
            let (took, result) = queries.search(tenant_id, typed).await?;
            alone.push(took);
            found = Some(result);
        }
        let (results, approximate) = found.map_or((0, false), |f| (f.hits.len(), f.approximate));
        println!(
            "| {kind} | {typed} | {results}{} | {:.2} | {:.2} | {:.2} | {:.2} |",
            if approximate { " (near misses)" } else { "" },
            load::percentile(&mut api, 0.50),
            load::percentile(&mut api, 0.95),
            load::percentile(&mut alone, 0.50),
            load::percentile(&mut alone, 0.95),
        );
    }
    Ok(())
}

/// The list page under many clients at once, through the API (wrk) and as its SQL in
/// pgbench (a connection per client, up to what the server has free).
async fn concurrent_lists(
    base: &str,
    core_url: &Url,
    dir: &Path,
    list_sql: &[String],
    sign: Arc<dyn Fn() -> anyhow::Result<String> + Send + Sync>,
) -> anyhow::Result<()> {
    let free_connections: usize = {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(core_url.as_str())
            .await?;
        let free: i64 = sqlx::query_scalar(
            "select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                    - (select count(*) from pg_stat_activity)",
        )
        .fetch_one(&pool)
        .await?;
        usize::try_from(free).unwrap_or(0).saturating_sub(5)
    };
    println!(
        "\nList page (50 people), many clients at once for {CONCURRENT_SECONDS} s: the API through wrk (core-records, 10 database connections, at most {} requests in flight; a refusal counts in the latencies, not in req/s) and its SQL through pgbench (a connection per client, up to the {free_connections} the server has free)",
        maillage_core_records::DEFAULT_MAX_IN_FLIGHT
    );
    println!(
        "| clients | API req/s | p50 ms | p95 ms | p99 ms | refused (503) | pgbench clients | pgbench tps | p50 ms | p95 ms | p99 ms | API/pgbench |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let url = format!("{base}/v1/people?limit=50");
    for clients in CONCURRENT_CLIENTS {
        // A signed identity lasts a minute: one serves the whole run.
        let api = load::wrk(
            dir,
            &url,
            (IDENTITY_HEADER, &sign()?),
            clients,
            CONCURRENT_SECONDS,
        )?;
        let sql_clients = clients.min(free_connections).max(1);
        let mut sql = load::pgbench(
            core_url,
            list_sql,
            dir,
            &format!("list-{clients}"),
            sql_clients,
            Length::Seconds(CONCURRENT_SECONDS),
        )?;
        println!(
            "| {clients} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {sql_clients} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} |",
            api.per_second,
            api.p50,
            api.p95,
            api.p99,
            api.refused,
            sql.per_second(),
            sql.at(0.50),
            sql.at(0.95),
            sql.at(0.99),
            api.per_second / sql.per_second(),
        );
    }
    Ok(())
}

/// 700 tenants of 1,000 people with French names and one of 300,000, once; the ids of
/// the measured workspaces (of 1,000, of 300,000) and of their member.
async fn seed(owner: &PgPool) -> anyhow::Result<(Uuid, Uuid, Uuid)> {
    let seeded: i64 = sqlx::query_scalar("select count(*) from tenants")
        .fetch_one(owner)
        .await?;
    if seeded == 0 {
        println!(
            "seeding {TENANTS} tenants x {PEOPLE_PER_TENANT} people and one of {BIG_WORKSPACE} (once; a few minutes)…"
        );
        let started = Instant::now();
        let mut tx = owner.begin().await?;
        tx.execute(sqlx::AssertSqlSafe(format!(
            "insert into tenants (id, slug, name, kind)
             select gen_random_uuid(), 'bench-' || lpad(g::text, 4, '0'), 'Association ' || g, 'association'
             from generate_series(1, {TENANTS}) g
             union all select gen_random_uuid(), 'bench-big', 'Grande ville', 'municipality'"
        )))
        .await?;
        tx.execute(sqlx::AssertSqlSafe(format!(
            "insert into people (tenant_id, id, given_name, family_name, email)
             select t.id, gen_random_uuid(), g.name, f.name, lower(g.name || '.' || f.name || i || '@exemple.fr')
             from (select id, row_number() over (order by slug) as n,
                          case slug when 'bench-big' then {BIG_WORKSPACE} else {PEOPLE_PER_TENANT} end as size
                   from tenants) t
             cross join lateral generate_series(1, t.size) i
             cross join lateral (select (array['Marie','Jean','Hélène','François','Léa','Louis','Chloé','Gabriel',
                 'Inès','Raphaël','Zoé','Noël','Jeanne','Martin','Anaïs','Jérôme','Céline','Mathéo','Amélie','Éloïse'])
                 [1 + ((i + t.n) % 20)] as name) g
             cross join lateral (select (array['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit',
                 'Durand','Leroy','Moreau','Simon','Laurent','Lefèvre','Michel','Garcia','David','Bertrand','Roux',
                 'Vincent','Fournier','Morel','Girard','André','Lefebvre','Mercier','Dupont','Lambert','Bonnet',
                 'François','Martinez'])[1 + ((i / 20 + t.n * 3) % 30)]
                 || case when i % 7 = 0 then '-' || (array['Caron','Noël','Perrin','Brun'])[1 + (i / 7) % 4] else '' end
                 as name) f"
        )))
        .await?;
        tx.execute("insert into users (id, issuer, subject, email) values (gen_random_uuid(), 'bench', 'bench', 'bench@exemple.fr')")
            .await?;
        tx.execute(
            "insert into memberships (tenant_id, user_id, role)
             select t.id, u.id, 'editor' from tenants t, users u
             where t.slug in ('bench-0042', 'bench-big') and u.subject = 'bench'",
        )
        .await?;
        tx.commit().await?;
        // As a database in service would be after autovacuum: GIN pending lists merged
        // into the indexes, visibility maps set, statistics fresh.
        owner.execute("vacuum (analyze)").await?;
        println!("seeded in {:.0} s", started.elapsed().as_secs_f64());
    }
    let (tenant_id, user_id): (Uuid, Uuid) = sqlx::query_as(
        "select t.id, m.user_id from tenants t join memberships m on m.tenant_id = t.id where t.slug = 'bench-0042'",
    )
    .fetch_one(owner)
    .await?;
    let big: Uuid = sqlx::query_scalar("select id from tenants where slug = 'bench-big'")
        .fetch_one(owner)
        .await?;
    Ok((tenant_id, big, user_id))
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

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
