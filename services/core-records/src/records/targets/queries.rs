//! Reading targets and their stakeholders.

use maillage_domain::target::{Stakeholder, Target, TargetSummary};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

/// One target with its stakeholders, or `NotFound`.
pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Target, Error> {
    let row = sqlx::query!(
        r#"select t.id, t.name, t.drawn_on, t.project_id, p.name as "project_name?", t.rings,
                  t.notes, t.version, t.created_at, t.updated_at
           from targets t
           left join projects p on p.tenant_id = t.tenant_id and p.id = t.project_id and p.deleted_at is null
           where t.tenant_id = $1 and t.id = $2"#,
        tenant_id,
        id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let stakeholders = stakeholders(conn, tenant_id, id, None).await?;
    Ok(Target {
        id: row.id,
        name: row.name,
        drawn_on: row.drawn_on,
        project_id: row.project_id,
        project_name: row.project_name,
        rings: row.rings,
        notes: row.notes,
        stakeholders,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// A target's stakeholders by name (or only `one` of them), each with its gap. An
/// organisation in the bin is left out until it comes back.
pub(super) async fn stakeholders(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    target_id: Uuid,
    one: Option<Uuid>,
) -> Result<Vec<Stakeholder>, Error> {
    Ok(sqlx::query_as!(
        Stakeholder,
        r#"select s.id, s.target_id, s.organisation_id, s.prospect_name,
                  coalesce(o.name, s.prospect_name, '') as "label!",
                  s.today_ring, s.ideal_ring, s.angle, s.our_reasons, s.their_reasons,
                  target_gap(s.today_ring, s.ideal_ring, cardinality(t.rings)) as "gap!",
                  s.version
           from target_stakeholders s
           join targets t on t.tenant_id = s.tenant_id and t.id = s.target_id
           left join organisations o on o.tenant_id = s.tenant_id and o.id = s.organisation_id
           where s.tenant_id = $1 and s.target_id = $2 and ($3::uuid is null or s.id = $3)
             and (s.organisation_id is null or o.deleted_at is null)
           order by lower(coalesce(o.name, s.prospect_name)), s.id"#,
        tenant_id,
        target_id,
        one,
    )
    .fetch_all(conn)
    .await?)
}

/// One stakeholder of a target, or `NotFound`.
pub(super) async fn fetch_stakeholder(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    target_id: Uuid,
    id: Uuid,
) -> Result<Stakeholder, Error> {
    stakeholders(conn, tenant_id, target_id, Some(id))
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// The workspace's targets (or one project's), the latest drawn first.
pub(super) async fn summaries(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    project_id: Option<Uuid>,
    only: Option<Uuid>,
) -> Result<Vec<TargetSummary>, Error> {
    Ok(sqlx::query_as!(
        TargetSummary,
        r#"select t.id, t.name, t.drawn_on, t.project_id, p.name as "project_name?",
                  count(s.id) as "stakeholders!",
                  count(s.id) filter (where target_gap(s.today_ring, s.ideal_ring, cardinality(t.rings)) <> 0) as "gaps!"
           from targets t
           left join projects p on p.tenant_id = t.tenant_id and p.id = t.project_id and p.deleted_at is null
           left join target_stakeholders s on s.tenant_id = t.tenant_id and s.target_id = t.id
                and (s.organisation_id is null or exists (select 1 from organisations o
                     where o.tenant_id = s.tenant_id and o.id = s.organisation_id and o.deleted_at is null))
           where t.tenant_id = $1 and ($2::uuid is null or t.project_id = $2) and ($3::uuid is null or t.id = $3)
           group by t.tenant_id, t.id, p.name
           order by t.drawn_on desc, t.name, t.id"#,
        tenant_id,
        project_id,
        only,
    )
    .fetch_all(conn)
    .await?)
}

/// The rings of the workspace's latest target: a new one starts with them.
pub(super) async fn latest_rings(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> Result<Option<Vec<String>>, Error> {
    Ok(sqlx::query_scalar!(
        "select rings from targets where tenant_id = $1 order by drawn_on desc, created_at desc limit 1",
        tenant_id
    )
    .fetch_optional(conn)
    .await?)
}

/// How many stakeholders a target has: where the next one is drawn follows from it.
pub(super) async fn stakeholder_count(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    target_id: Uuid,
) -> Result<i64, Error> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from target_stakeholders where tenant_id = $1 and target_id = $2"#,
        tenant_id,
        target_id
    )
    .fetch_one(conn)
    .await?)
}
