//! `make bench`: the dashboard (the workspace's home page, rendered by the gateway from
//! core-records' `/v1/dashboard`) in a workspace of 1,000 records of each kind, beside
//! two baselines measured in the same run: the same figures as JSON through the API
//! (what the page costs to read, without its rendering), and the list of deadlines, a
//! page that reads fifty rows. The target is a page under 50 ms.

#[path = "../common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::Platform;
use maillage_testkit::Browser;

/// Records of each kind in the workspace.
const RECORDS: i32 = 1_000;
const REQUESTS: usize = 300;
const WARM_UP: usize = 30;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // One person asking a thousand times a minute: no rate limit here.
    let platform = Platform::start_with(|config| {
        config.rate_limits = maillage_gateway::RateLimitConfig {
            per_user: 0,
            per_tenant: 0,
            per_client: 0,
            ..maillage_gateway::RateLimitConfig::default()
        }
    })
    .await?;
    let camille = Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
    let started = Instant::now();
    seed(&platform).await?;
    println!(
        "seeded {RECORDS} organisations, people, affiliations, partnerships, projects, deadlines and activities in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    println!(
        "\n{:<44} {:>9} {:>9} {:>9}",
        "GET (one client, sequential)", "p50 ms", "p95 ms", "max ms"
    );
    for (what, path) in [
        ("dashboard page /t/asso-demo/", "/t/asso-demo/"),
        (
            "baseline: its JSON, /api/v1/…/dashboard",
            "/api/v1/t/asso-demo/dashboard",
        ),
        (
            "baseline: deadlines list page (50 rows)",
            "/t/asso-demo/deadlines",
        ),
    ] {
        let timings = measure(&camille, path).await?;
        println!(
            "{what:<44} {:>9.1} {:>9.1} {:>9.1}",
            percentile(&timings, 50),
            percentile(&timings, 95),
            percentile(&timings, 100)
        );
    }
    println!("target: the dashboard page under 50 ms");
    Ok(())
}

/// `REQUESTS` timed GETs of `path`, after `WARM_UP` untimed ones; each must answer 200.
async fn measure(browser: &Browser, path: &str) -> anyhow::Result<Vec<Duration>> {
    let mut timings = Vec::with_capacity(REQUESTS);
    for i in 0..WARM_UP + REQUESTS {
        let started = Instant::now();
        let response = browser.get(path).await?;
        anyhow::ensure!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.bytes().await?;
        if i >= WARM_UP {
            timings.push(started.elapsed());
        }
    }
    timings.sort();
    Ok(timings)
}

fn percentile(sorted: &[Duration], p: usize) -> f64 {
    let index = (sorted.len() * p / 100).min(sorted.len().saturating_sub(1));
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1_000.0)
}

/// `RECORDS` of each kind in "asso-demo", spread over every status, kind and date the
/// dashboard looks at; half the deadlines are Camille's, half the activities a
/// colleague's.
async fn seed(platform: &Platform) -> anyhow::Result<()> {
    let statements = [
        "insert into users (id, issuer, subject, email, display_name) values (gen_random_uuid(), 'bench', 'collegue', 'collegue@bench.test', 'Collègue')",
        "insert into memberships (tenant_id, user_id, role)
         select t.id, u.id, 'editor' from tenants t, users u
         where t.slug = 'asso-demo' and u.email = 'collegue@bench.test'",
        "insert into organisations (tenant_id, id, name, kind)
         select t.id, gen_random_uuid(), 'Organisation ' || i,
                (array['funder', 'public_body', 'association', 'company', 'network', 'other'])[1 + i % 6]
         from tenants t, generate_series(1, $1) i where t.slug = 'asso-demo'",
        "insert into people (tenant_id, id, given_name, family_name)
         select t.id, gen_random_uuid(), 'Prénom' || i, 'Nom' || i
         from tenants t, generate_series(1, $1) i where t.slug = 'asso-demo'",
        "insert into affiliations (tenant_id, id, person_id, organisation_id)
         select p.tenant_id, gen_random_uuid(), p.id, o.id
         from (select tenant_id, id, row_number() over (order by id) n from people) p
         join (select id, row_number() over (order by id) n from organisations) o on o.n = p.n",
        "insert into partnerships (tenant_id, id, title, kind, status, starts_on, ends_on, next_evaluation_on)
         select t.id, gen_random_uuid(), 'Partenariat ' || i,
                (array['funding', 'operational', 'institutional', 'network'])[1 + i % 4],
                (array['prospect', 'negotiating', 'active', 'evaluating', 'closed'])[1 + i % 5],
                current_date - (i % 2000), current_date + (i % 400), current_date + (i % 200) - 50
         from tenants t, generate_series(1, $1) i where t.slug = 'asso-demo'",
        "insert into partnership_partners (tenant_id, partnership_id, organisation_id)
         select p.tenant_id, p.id, o.id
         from (select tenant_id, id, row_number() over (order by id) n from partnerships) p
         join (select id, row_number() over (order by id) n from organisations) o
           on o.n = p.n or o.n = p.n % $1 + 1",
        "insert into projects (tenant_id, id, name, status, owner_user_id, ends_on)
         select t.id, gen_random_uuid(), 'Projet ' || i,
                (array['planned', 'running', 'suspended', 'completed', 'cancelled'])[1 + i % 5],
                (select user_id from memberships m where m.tenant_id = t.id order by role limit 1),
                current_date + (i % 300)
         from tenants t, generate_series(1, $1) i where t.slug = 'asso-demo'",
        "insert into project_milestones (tenant_id, id, project_id, title, due_on, done_on)
         select p.tenant_id, gen_random_uuid(), p.id, 'Jalon ' || k, current_date + k * 30,
                case when k = 1 then current_date end
         from projects p, generate_series(1, 2) k",
        "insert into project_budget_lines (tenant_id, id, project_id, label, planned_cents, actual_cents)
         select tenant_id, gen_random_uuid(), id, 'Poste', 1000000, 250000 from projects",
        "insert into reporting_deadlines (tenant_id, id, title, due_at)
         select t.id, gen_random_uuid(), 'Rapport ' || i, now() + make_interval(days => i % 300 - 100)
         from tenants t, generate_series(1, $1) i where t.slug = 'asso-demo'",
        "insert into deadline_responsibles (tenant_id, deadline_id, user_id)
         select d.tenant_id, d.id, m.user_id
         from (select tenant_id, id, row_number() over (order by id) n from reporting_deadlines) d
         join memberships m on m.tenant_id = d.tenant_id
           and m.user_id = (select u.id from users u
                            where u.email = case when d.n % 2 = 0 then 'camille.martin@demo.maillage.test'
                                                 else 'collegue@bench.test' end)",
        "insert into activities (tenant_id, id, kind, occurred_at, subject, author_user_id, due_at)
         select t.id, gen_random_uuid(), case when i % 10 = 0 then 'task' else 'meeting' end,
                now() - make_interval(days => i % 700), 'Activité ' || i,
                (select u.id from users u
                 where u.email = case when i % 2 = 0 then 'camille.martin@demo.maillage.test'
                                      else 'collegue@bench.test' end),
                case when i % 10 = 0 then now() + make_interval(days => i % 30) end
         from tenants t, generate_series(1, $1) i where t.slug = 'asso-demo'",
        "insert into activity_links (tenant_id, id, activity_id, organisation_id, partnership_id, person_id)
         select a.tenant_id, gen_random_uuid(), a.id,
                case when a.n % 3 = 0 then (select id from organisations o order by id offset a.n % $1 limit 1) end,
                case when a.n % 3 = 1 then (select id from partnerships p order by id offset a.n % $1 limit 1) end,
                case when a.n % 3 = 2 then (select id from people p order by id offset a.n % $1 limit 1) end
         from (select tenant_id, id, row_number() over (order by id) n from activities) a",
        "analyze",
    ];
    for statement in statements {
        let query = sqlx::query(sqlx::AssertSqlSafe(statement));
        let query = if statement.contains("$1") {
            query.bind(RECORDS)
        } else {
            query
        };
        query.execute(&platform.db.owner).await?;
    }
    Ok(())
}
