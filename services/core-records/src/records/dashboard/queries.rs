//! The dashboard's SQL, a query per part. Every one reads one tenant's rows by the
//! indexes that lead with `tenant_id`.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use maillage_domain::dashboard::{
    About, Count, DORMANT_MONTHS, DatedPartnership, DormantPartner, ENDING_DAYS, NetworkFigures,
    Partnerships, ProjectProgress, Projects, RecentActivity, ReportDue, Reports, SOON_DAYS, Task,
};

/// Today in the workspace's time zone.
pub async fn today(conn: &mut PgConnection, tenant_id: Uuid) -> Result<NaiveDate, Error> {
    Ok(sqlx::query_scalar!(
        r#"select (now() at time zone time_zone)::date as "today!" from tenants where id = $1"#,
        tenant_id
    )
    .fetch_one(conn)
    .await?)
}

pub async fn reports(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    today: NaiveDate,
) -> Result<Reports, Error> {
    let counts = sqlx::query!(
        r#"select count(*) filter (where due_at < now()) as "late!",
                  count(*) filter (where due_at < now() and mine) as "late_mine!",
                  count(*) filter (where due_at >= now()) as "due_soon!",
                  count(*) filter (where due_at >= now() and mine) as "due_soon_mine!"
           from (select d.due_at,
                        exists (select 1 from deadline_responsibles r
                                where r.tenant_id = d.tenant_id and r.deadline_id = d.id
                                  and r.user_id = $2) as mine
                 from reporting_deadlines d
                 where d.tenant_id = $1 and d.status = 'upcoming'
                   and d.due_at < now() + make_interval(days => $3)) soon"#,
        tenant_id,
        user_id,
        SOON_DAYS,
    )
    .fetch_one(&mut *conn)
    .await?;
    let items = sqlx::query_as!(
        ReportDue,
        r#"select d.id, d.title, o.name as "funder_name?", d.due_at,
                  greatest($3::date - (d.due_at at time zone t.time_zone)::date, 0) as "days_late!",
                  exists (select 1 from deadline_responsibles r
                          where r.tenant_id = d.tenant_id and r.deadline_id = d.id
                            and r.user_id = $2) as "mine!"
           from reporting_deadlines d
           join tenants t on t.id = d.tenant_id
           left join organisations o on o.tenant_id = d.tenant_id and o.id = d.funder_id
           where d.tenant_id = $1 and d.status = 'upcoming'
             and d.due_at < now() + make_interval(days => $4)
           order by d.due_at, d.id
           limit 10"#,
        tenant_id,
        user_id,
        today,
        SOON_DAYS,
    )
    .fetch_all(conn)
    .await?;
    Ok(Reports {
        late: unsigned(counts.late),
        late_mine: unsigned(counts.late_mine),
        due_soon: unsigned(counts.due_soon),
        due_soon_mine: unsigned(counts.due_soon_mine),
        items,
    })
}

pub async fn projects(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Projects, Error> {
    let counts = sqlx::query!(
        r#"select count(*) filter (where status = 'running') as "running!",
                  count(*) filter (where status = 'planned') as "planned!",
                  count(*) filter (where status = 'running' and owner_user_id = $2) as "running_mine!"
           from projects
           where tenant_id = $1 and deleted_at is null and status in ('planned', 'running')"#,
        tenant_id,
        user_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let items = sqlx::query_as!(
        ProjectProgress,
        r#"select p.id, p.name, p.status, p.ends_on,
                  (select count(*) from project_milestones m
                   where m.tenant_id = p.tenant_id and m.project_id = p.id and m.done_on is not null) as "milestones_done!",
                  (select count(*) from project_milestones m
                   where m.tenant_id = p.tenant_id and m.project_id = p.id) as "milestones!",
                  (select coalesce(sum(b.planned_cents), 0) from project_budget_lines b
                   where b.tenant_id = p.tenant_id and b.project_id = p.id)::bigint as "budget_planned_cents!",
                  (select coalesce(sum(b.actual_cents), 0) from project_budget_lines b
                   where b.tenant_id = p.tenant_id and b.project_id = p.id)::bigint as "budget_actual_cents!",
                  coalesce(p.owner_user_id = $2, false) as "mine!"
           from projects p
           where p.tenant_id = $1 and p.deleted_at is null and p.status in ('planned', 'running')
           order by p.status = 'running' desc, p.ends_on nulls last, p.name, p.id
           limit 8"#,
        tenant_id,
        user_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(Projects {
        running: unsigned(counts.running),
        planned: unsigned(counts.planned),
        running_mine: unsigned(counts.running_mine),
        items,
    })
}

pub async fn partnerships(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    today: NaiveDate,
) -> Result<Partnerships, Error> {
    let by_status = sqlx::query_as!(
        Count,
        r#"select status as "key!", count(*) as "count!"
           from partnerships where tenant_id = $1 and deleted_at is null
           group by status
           order by array_position(array['prospect', 'negotiating', 'active', 'evaluating', 'closed'], status)"#,
        tenant_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let ending_soon = sqlx::query_as!(
        DatedPartnership,
        r#"select id, title, ends_on as "on!", false as "overdue!"
           from partnerships
           where tenant_id = $1 and deleted_at is null and status <> 'closed'
             and ends_on between $2 and $2 + $3::int
           order by ends_on, title, id
           limit 8"#,
        tenant_id,
        today,
        ENDING_DAYS,
    )
    .fetch_all(&mut *conn)
    .await?;
    let evaluation_due = sqlx::query_as!(
        DatedPartnership,
        r#"select id, title, next_evaluation_on as "on!", next_evaluation_on < $2 as "overdue!"
           from partnerships
           where tenant_id = $1 and deleted_at is null and status <> 'closed'
             and next_evaluation_on <= $2 + $3::int
           order by next_evaluation_on, title, id
           limit 8"#,
        tenant_id,
        today,
        SOON_DAYS,
    )
    .fetch_all(conn)
    .await?;
    Ok(Partnerships {
        by_status,
        ending_soon,
        evaluation_due,
    })
}

/// The figures of the partners: organisations in a partnership that is not closed.
pub async fn network(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    today: NaiveDate,
) -> Result<NetworkFigures, Error> {
    let partners_by_kind = sqlx::query_as!(
        Count,
        r#"select o.kind as "key!", count(*) as "count!"
           from organisations o
           where o.tenant_id = $1 and o.deleted_at is null
             and exists (select 1 from partnership_partners pp
                         join partnerships p on p.tenant_id = pp.tenant_id and p.id = pp.partnership_id
                         where pp.tenant_id = o.tenant_id and pp.organisation_id = o.id
                           and p.deleted_at is null and p.status <> 'closed')
           group by o.kind
           order by count(*) desc, o.kind"#,
        tenant_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let figures = sqlx::query!(
        r#"with partner as (
               select o.id,
                      min(coalesce(p.starts_on, p.created_at::date)) as since
               from organisations o
               join partnership_partners pp on pp.tenant_id = o.tenant_id and pp.organisation_id = o.id
               join partnerships p on p.tenant_id = pp.tenant_id and p.id = pp.partnership_id
               where o.tenant_id = $1 and o.deleted_at is null
                 and p.deleted_at is null and p.status <> 'closed'
               group by o.id
           )
           select count(*) filter (where since >= date_trunc('year', $2::date)::date) as "new_this_year!"
           from partner"#,
        tenant_id,
        today,
    )
    .fetch_one(&mut *conn)
    .await?;
    let dormant = sqlx::query!(
        r#"with partner as (
               select distinct o.id, o.name
               from organisations o
               join partnership_partners pp on pp.tenant_id = o.tenant_id and pp.organisation_id = o.id
               join partnerships p on p.tenant_id = pp.tenant_id and p.id = pp.partnership_id
               where o.tenant_id = $1 and o.deleted_at is null
                 and p.deleted_at is null and p.status <> 'closed'
           ),
           last_seen as (
               select partner.id, partner.name, l.last_activity_at
               from partner
               left join organisations_last_activity($1, now()) l on l.organisation_id = partner.id
           )
           select id as "id!", name as "name!", last_activity_at,
                  count(*) over () as "dormant!"
           from last_seen
           where last_activity_at is null or last_activity_at < now() - make_interval(months => $2)
           order by last_activity_at nulls first, name, id
           limit 8"#,
        tenant_id,
        DORMANT_MONTHS,
    )
    .fetch_all(conn)
    .await?;
    Ok(NetworkFigures {
        partners: partners_by_kind.iter().map(|kind| kind.count).sum(),
        partners_by_kind,
        new_this_year: figures.new_this_year,
        dormant: dormant.first().map_or(0, |row| row.dormant),
        dormant_items: dormant
            .into_iter()
            .map(|row| DormantPartner {
                id: row.id,
                name: row.name,
                last_activity_at: row.last_activity_at,
            })
            .collect(),
    })
}

pub async fn recent_activity(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<RecentActivity>, Error> {
    let rows = sqlx::query!(
        r#"select a.id, a.kind, a.subject, a.occurred_at, u.display_name as author_name,
                  about.kind as "about_kind?", about.id as "about_id?", about.label as "about_label?"
           from activities a
           join users u on u.id = a.author_user_id
           left join lateral (select * from activity_subject(a.tenant_id, a.id)) about on true
           where a.tenant_id = $1 and a.author_user_id <> $2 and a.occurred_at <= now()
           order by a.occurred_at desc, a.id desc
           limit 8"#,
        tenant_id,
        user_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| RecentActivity {
            id: row.id,
            kind: row.kind,
            subject: row.subject,
            occurred_at: row.occurred_at,
            author_name: row.author_name,
            about: about(row.about_kind, row.about_id, row.about_label),
        })
        .collect())
}

pub async fn my_tasks(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Task>, Error> {
    let rows = sqlx::query!(
        r#"select a.id, a.subject, a.due_at, coalesce(a.due_at < now(), false) as "overdue!",
                  about.kind as "about_kind?", about.id as "about_id?", about.label as "about_label?"
           from activities a
           left join lateral (select * from activity_subject(a.tenant_id, a.id)) about on true
           where a.tenant_id = $1 and a.kind = 'task' and a.done_at is null and a.author_user_id = $2
           order by a.due_at nulls last, a.id
           limit 10"#,
        tenant_id,
        user_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Task {
            id: row.id,
            subject: row.subject,
            due_at: row.due_at,
            overdue: row.overdue,
            about: about(row.about_kind, row.about_id, row.about_label),
        })
        .collect())
}

fn about(kind: Option<String>, id: Option<Uuid>, label: Option<String>) -> Option<About> {
    Some(About {
        kind: kind?,
        id: id?,
        label: label?,
    })
}

/// Counts are never negative.
fn unsigned(count: i64) -> u64 {
    u64::try_from(count).unwrap_or(0)
}
