//! What a project's form or body may set, and the checks each field passes.

use chrono::NaiveDate;
use maillage_domain::kinds::ProjectStatus;
use serde::Deserialize;
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::model::{BudgetLine, Milestone, Project, ProjectPartnerInput};
use crate::Error;
use crate::error::ResultExt;
use crate::language::{one_of, said};
use crate::records::{Checks, present};

/// The statuses of a project, for the document.
fn status_schema() -> Object {
    maillage_runtime::api::one_of_or_null(ProjectStatus::VALUES)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    #[schema(min_length = 1, max_length = 300)]
    name: Option<String>,
    #[schema(max_length = 20_000)]
    description: Option<String>,
    #[schema(schema_with = status_schema)]
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    owner_user_id: Option<Option<Uuid>>,
    #[schema(max_length = 500)]
    target_population: Option<String>,
    #[schema(max_length = 300)]
    territory: Option<String>,
    #[serde(default, deserialize_with = "present")]
    starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    ends_on: Option<Option<NaiveDate>>,
    /// Each list, when given, replaces the current one.
    milestones: Option<Vec<Milestone>>,
    budget_lines: Option<Vec<BudgetLine>>,
    partners: Option<Vec<ProjectPartnerInput>>,
}

pub(super) struct ProjectFields {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) status: String,
    pub(super) owner_user_id: Option<Uuid>,
    pub(super) target_population: String,
    pub(super) territory: String,
    pub(super) starts_on: Option<NaiveDate>,
    pub(super) ends_on: Option<NaiveDate>,
    pub(super) milestones: Option<Vec<Milestone>>,
    pub(super) budget_lines: Option<Vec<BudgetLine>>,
    pub(super) partners: Option<Vec<ProjectPartnerInput>>,
}

impl ProjectFields {
    pub(super) fn merge(
        previous: Option<&Project>,
        input: ProjectInput,
        actor: Uuid,
    ) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let status = input
            .status
            .or(previous.map(|p| p.status.clone()))
            .unwrap_or_else(|| "planned".into());
        if !ProjectStatus::VALUES.contains(&status.as_str()) {
            checks.push("status", &one_of(ProjectStatus::VALUES));
        }
        let starts_on = input
            .starts_on
            .unwrap_or(previous.and_then(|p| p.starts_on));
        let ends_on = input.ends_on.unwrap_or(previous.and_then(|p| p.ends_on));
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            checks.push("ends_on", &said("check-after-start"));
        }
        let mut milestones = input.milestones;
        for milestone in milestones.iter_mut().flatten() {
            milestone.title = checks.text("milestones.title", &milestone.title, true, 300);
            milestone.phase = checks.text("milestones.phase", &milestone.phase, false, 100);
        }
        let mut budget_lines = input.budget_lines;
        for line in budget_lines.iter_mut().flatten() {
            line.label = checks.text("budget_lines.label", &line.label, true, 200);
            if line.planned_cents < 0 || line.actual_cents < 0 {
                checks.push("budget_lines", &said("check-amounts-negative"));
            }
        }
        if input
            .partners
            .iter()
            .flatten()
            .any(|p| p.organisation_id.is_some() == p.partnership_id.is_some())
        {
            checks.push("partners", &said("check-partner-kind"));
        }
        let mut partners = input.partners;
        for partner in partners.iter_mut().flatten() {
            partner.role = checks.text("partners.role", &partner.role, false, 200);
        }
        let field =
            |new: Option<String>, old: Option<&String>| new.or(old.cloned()).unwrap_or_default();
        let fields = Self {
            name: checks.text(
                "name",
                &field(input.name, previous.map(|p| &p.name)),
                true,
                300,
            ),
            description: checks.text(
                "description",
                &field(input.description, previous.map(|p| &p.description)),
                false,
                20_000,
            ),
            status,
            owner_user_id: input
                .owner_user_id
                .unwrap_or(previous.map_or(Some(actor), |p| p.owner_user_id)),
            target_population: checks.text(
                "target_population",
                &field(
                    input.target_population,
                    previous.map(|p| &p.target_population),
                ),
                false,
                500,
            ),
            territory: checks.text(
                "territory",
                &field(input.territory, previous.map(|p| &p.territory)),
                false,
                300,
            ),
            starts_on,
            ends_on,
            milestones,
            budget_lines,
            partners,
        };
        checks.finish()?;
        Ok(fields)
    }

    /// The owner, when there is one, must be a member of the tenant.
    pub(super) async fn check_owner(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
    ) -> Result<(), Error> {
        let Some(owner) = self.owner_user_id else {
            return Ok(());
        };
        let is_member = sqlx::query_scalar!(
            r#"select exists(select 1 from memberships where tenant_id = $1 and user_id = $2) as "is_member!""#,
            tenant_id,
            owner,
        )
        .fetch_one(conn)
        .await?;
        if is_member {
            Ok(())
        } else {
            Err(Error::field("owner_user_id", &said("check-a-member")))
        }
    }

    /// Replaces the lists the input named.
    pub(super) async fn save_children(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> Result<(), Error> {
        if let Some(milestones) = &self.milestones {
            let kept: Vec<Uuid> = milestones.iter().filter_map(|m| m.id).collect();
            let known = sqlx::query_scalar!(
                r#"select count(*) as "count!" from project_milestones
                   where tenant_id = $1 and project_id = $2 and id = any($3)"#,
                tenant_id,
                id,
                &kept,
            )
            .fetch_one(&mut *conn)
            .await?;
            let mut distinct = kept.clone();
            distinct.sort();
            distinct.dedup();
            if usize::try_from(known).ok() != Some(kept.len()) || distinct.len() != kept.len() {
                return Err(Error::field(
                    "milestones.id",
                    &said("check-no-such-milestone"),
                ));
            }
            sqlx::query!(
                "delete from project_milestones where tenant_id = $1 and project_id = $2 and id <> all($3)",
                tenant_id,
                id,
                &kept,
            )
            .execute(&mut *conn)
            .await?;
            let ids: Vec<Uuid> = milestones
                .iter()
                .map(|m| m.id.unwrap_or_else(Uuid::now_v7))
                .collect();
            let phases: Vec<String> = milestones.iter().map(|m| m.phase.clone()).collect();
            let titles: Vec<String> = milestones.iter().map(|m| m.title.clone()).collect();
            let due: Vec<Option<NaiveDate>> = milestones.iter().map(|m| m.due_on).collect();
            let done: Vec<Option<NaiveDate>> = milestones.iter().map(|m| m.done_on).collect();
            // Only what changed is written: each written milestone announces itself to
            // the reminder engine (see the trigger on project_milestones).
            sqlx::query!(
                r#"insert into project_milestones (tenant_id, id, project_id, phase, title, due_on, done_on)
                   select $1, id, $2, phase, title, due_on, done_on
                   from unnest($3::uuid[], $4::text[], $5::text[], $6::date[], $7::date[])
                        as m (id, phase, title, due_on, done_on)
                   on conflict (tenant_id, id) do update
                   set phase = excluded.phase, title = excluded.title,
                       due_on = excluded.due_on, done_on = excluded.done_on
                   where (project_milestones.phase, project_milestones.title, project_milestones.due_on, project_milestones.done_on)
                         is distinct from (excluded.phase, excluded.title, excluded.due_on, excluded.done_on)"#,
                tenant_id,
                id,
                &ids,
                &phases,
                &titles,
                &due as &[Option<NaiveDate>],
                &done as &[Option<NaiveDate>],
            )
            .execute(&mut *conn)
            .await?;
        }
        if let Some(lines) = &self.budget_lines {
            sqlx::query!(
                "delete from project_budget_lines where tenant_id = $1 and project_id = $2",
                tenant_id,
                id
            )
            .execute(&mut *conn)
            .await?;
            let labels: Vec<String> = lines.iter().map(|l| l.label.clone()).collect();
            let planned: Vec<i64> = lines.iter().map(|l| l.planned_cents).collect();
            let actual: Vec<i64> = lines.iter().map(|l| l.actual_cents).collect();
            sqlx::query!(
                r#"insert into project_budget_lines (tenant_id, id, project_id, label, planned_cents, actual_cents)
                   select $1, gen_random_uuid(), $2, label, planned, actual
                   from unnest($3::text[], $4::bigint[], $5::bigint[]) as l (label, planned, actual)"#,
                tenant_id,
                id,
                &labels,
                &planned,
                &actual,
            )
            .execute(&mut *conn)
            .await?;
        }
        if let Some(partners) = &self.partners {
            sqlx::query!(
                "delete from project_partners where tenant_id = $1 and project_id = $2",
                tenant_id,
                id
            )
            .execute(&mut *conn)
            .await?;
            let organisations: Vec<Option<Uuid>> =
                partners.iter().map(|p| p.organisation_id).collect();
            let partnerships: Vec<Option<Uuid>> =
                partners.iter().map(|p| p.partnership_id).collect();
            let roles: Vec<String> = partners.iter().map(|p| p.role.clone()).collect();
            let unknown = || Error::field("partners", &said("check-partner-elsewhere"));
            sqlx::query!(
                r#"insert into project_partners (tenant_id, id, project_id, organisation_id, partnership_id, role)
                   select $1, gen_random_uuid(), $2, organisation_id, partnership_id, role
                   from unnest($3::uuid[], $4::uuid[], $5::text[]) as p (organisation_id, partnership_id, role)"#,
                tenant_id,
                id,
                &organisations as &[Option<Uuid>],
                &partnerships as &[Option<Uuid>],
                &roles,
            )
            .execute(&mut *conn)
            .await
            .on_constraint("project_partners_organisation_fkey", unknown)
            .on_constraint("project_partners_partnership_fkey", unknown)?;
        }
        Ok(())
    }
}
