//! Reading projects: each with its milestones, budget and partners.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{BudgetLine, Milestone, Project, ProjectBudget, ProjectPartner};
use crate::Error;
use crate::records::the_one;

struct ProjectRow {
    id: Uuid,
    name: String,
    description: String,
    status: String,
    owner_user_id: Option<Uuid>,
    target_population: String,
    territory: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

/// One project of the tenant, from the bin when `in_bin`, otherwise a live one.
pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Project, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These projects, in the order of `ids`, live or in the bin, each with its milestones,
/// budget and partners: four queries whatever the number of projects.
pub(super) async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Project>, Error> {
    let rows = sqlx::query_as!(
        ProjectRow,
        r#"select id, name, description, status, owner_user_id, target_population, territory, starts_on, ends_on,
                  version, created_at, updated_at, deleted_at
           from projects where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut milestones: HashMap<Uuid, Vec<Milestone>> = HashMap::new();
    for m in sqlx::query!(
        r#"select project_id, id, phase, title, due_on, done_on from project_milestones
           where tenant_id = $1 and project_id = any($2) order by due_on nulls last, title, id"#,
        tenant_id,
        ids,
    )
    .fetch_all(&mut *conn)
    .await?
    {
        milestones.entry(m.project_id).or_default().push(Milestone {
            id: Some(m.id),
            phase: m.phase,
            title: m.title,
            due_on: m.due_on,
            done_on: m.done_on,
        });
    }
    let mut budget_lines: HashMap<Uuid, Vec<BudgetLine>> = HashMap::new();
    for line in sqlx::query!(
        r#"select project_id, label, planned_cents, actual_cents from project_budget_lines
           where tenant_id = $1 and project_id = any($2) order by label"#,
        tenant_id,
        ids,
    )
    .fetch_all(&mut *conn)
    .await?
    {
        budget_lines
            .entry(line.project_id)
            .or_default()
            .push(BudgetLine {
                label: line.label,
                planned_cents: line.planned_cents,
                actual_cents: line.actual_cents,
            });
    }
    let mut partners: HashMap<Uuid, Vec<ProjectPartner>> = HashMap::new();
    for partner in sqlx::query!(
        r#"select pp.project_id, pp.organisation_id, pp.partnership_id, coalesce(o.name, p.title) as "name!", pp.role
           from project_partners pp
           left join organisations o on o.tenant_id = pp.tenant_id and o.id = pp.organisation_id
           left join partnerships p on p.tenant_id = pp.tenant_id and p.id = pp.partnership_id
           where pp.tenant_id = $1 and pp.project_id = any($2)
           order by 4"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?
    {
        partners.entry(partner.project_id).or_default().push(ProjectPartner {
            organisation_id: partner.organisation_id,
            partnership_id: partner.partnership_id,
            name: partner.name,
            role: partner.role,
        });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let lines = budget_lines.remove(&row.id).unwrap_or_default();
            Project {
                milestones: milestones.remove(&row.id).unwrap_or_default(),
                budget: ProjectBudget {
                    planned_cents: lines.iter().map(|l| l.planned_cents).sum(),
                    actual_cents: lines.iter().map(|l| l.actual_cents).sum(),
                    lines,
                },
                partners: partners.remove(&row.id).unwrap_or_default(),
                id: row.id,
                name: row.name,
                description: row.description,
                status: row.status,
                owner_user_id: row.owner_user_id,
                target_population: row.target_population,
                territory: row.territory,
                starts_on: row.starts_on,
                ends_on: row.ends_on,
                version: row.version,
                created_at: row.created_at,
                updated_at: row.updated_at,
                deleted_at: row.deleted_at,
            }
        })
        .collect())
}
