//! Projects: what the tenant runs — status, owner, target population, territory,
//! dates, milestones grouped in phases, budget lines (planned and actual, with totals)
//! and partners, organisations or whole partnerships.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::kinds::ProjectStatus;
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::{Change, Checks, bin, created, present, read, restore, the_one};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::pagination::{ChangedAfter, ListSort, Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/projects",
            list,
            Doc::new("projects", "Liste des projets, filtrable")
                .query::<ListQuery>()
                .returns_page::<Project>(),
        )
        .post(
            "/v1/projects",
            create,
            Doc::new("projects", "Enregistrer un projet")
                .body::<ProjectInput>()
                .requires(&["name"])
                .created()
                .returns::<Project>(),
        )
        .get(
            "/v1/projects/{id}",
            read::<Project>,
            Doc::new(
                "projects",
                "Lire un projet, ses jalons, son budget et ses partenaires",
            )
            .returns::<Project>(),
        )
        .patch(
            "/v1/projects/{id}",
            update,
            Doc::new("projects", "Modifier un projet")
                .if_match()
                .body::<ProjectInput>()
                .returns::<Project>(),
        )
        .delete(
            "/v1/projects/{id}",
            bin::<Project>,
            Doc::new("projects", "Mettre un projet à la corbeille").no_content(),
        )
        .post(
            "/v1/projects/{id}/restore",
            restore::<Project>,
            Doc::new("projects", "Restaurer un projet de la corbeille").returns::<Project>(),
        )
}

/// The statuses of a project, for the document.
fn status_schema() -> Object {
    maillage_runtime::api::one_of_or_null(ProjectStatus::VALUES)
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Set by the server. Send it back with the milestone to keep its identity (its
    /// reminders, its calendar event) when the list is replaced; a milestone sent
    /// without one is new.
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub phase: String,
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    #[schema(min_length = 1, max_length = 200)]
    pub label: String,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub planned_cents: i64,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub actual_cents: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectBudget {
    pub lines: Vec<BudgetLine>,
    pub planned_cents: i64,
    pub actual_cents: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPartnerInput {
    pub organisation_id: Option<Uuid>,
    pub partnership_id: Option<Uuid>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjectPartner {
    pub organisation_id: Option<Uuid>,
    pub partnership_id: Option<Uuid>,
    /// The organisation's name, or the partnership's title.
    pub name: String,
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub status: String,
    pub owner_user_id: Option<Uuid>,
    pub target_population: String,
    pub territory: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub milestones: Vec<Milestone>,
    pub budget: ProjectBudget,
    pub partners: Vec<ProjectPartner>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

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

struct ProjectFields {
    name: String,
    description: String,
    status: String,
    owner_user_id: Option<Uuid>,
    target_population: String,
    territory: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    milestones: Option<Vec<Milestone>>,
    budget_lines: Option<Vec<BudgetLine>>,
    partners: Option<Vec<ProjectPartnerInput>>,
}

impl ProjectFields {
    fn merge(previous: Option<&Project>, input: ProjectInput, actor: Uuid) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let status = input
            .status
            .or(previous.map(|p| p.status.clone()))
            .unwrap_or_else(|| "planned".into());
        if !ProjectStatus::VALUES.contains(&status.as_str()) {
            checks.push("status", &ProjectStatus::expected());
        }
        let starts_on = input
            .starts_on
            .unwrap_or(previous.and_then(|p| p.starts_on));
        let ends_on = input.ends_on.unwrap_or(previous.and_then(|p| p.ends_on));
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            checks.push("ends_on", "doit être postérieure à la date de début");
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
                checks.push("budget_lines", "les montants ne peuvent pas être négatifs");
            }
        }
        if input
            .partners
            .iter()
            .flatten()
            .any(|p| p.organisation_id.is_some() == p.partnership_id.is_some())
        {
            checks.push(
                "partners",
                "chaque partenaire est soit une organisation, soit un partenariat",
            );
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
    async fn check_owner(&self, conn: &mut PgConnection, tenant_id: Uuid) -> Result<(), Error> {
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
            Err(Error::field(
                "owner_user_id",
                "doit désigner un membre de l'espace",
            ))
        }
    }

    /// Replaces the lists the input named.
    async fn save_children(
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
                    "ne désigne pas un jalon de ce projet (laissez-le vide pour un nouveau jalon)",
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
            let unknown =
                || Error::field("partners", "un partenaire ne fait pas partie de l'espace");
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    /// Only the projects this member owns ("mes projets").
    owner_user_id: Option<Uuid>,
    /// Only the projects carrying this tag (by name, any case).
    tag: Option<String>,
    #[serde(default)]
    deleted: bool,
    /// `name` (the default) or `-updated_at` (most recently changed first).
    #[param(schema_with = crate::pagination::list_sorts)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    after: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<Project>>, Error> {
    let sort = ListSort::parse(query.sort.as_deref())?;
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    // The page's ids, through the index of the order asked for; then their rows.
    let ids = match sort {
        ListSort::Name => {
            let (name, id): (String, Uuid) = page.after()?.unwrap_or_default();
            sqlx::query_scalar!(
                r#"select id from projects
                   where tenant_id = $1 and (name, id) > ($2, $3) and (deleted_at is not null) = $4
                     and ($5::text is null or status = $5)
                     and ($7::uuid is null or owner_user_id = $7)
                     and ($8::text is null or exists (select 1 from project_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = projects.tenant_id and l.project_id = projects.id
                                                         and lower(t.name) = lower($8)))
                   order by name, id
                   limit $6"#,
                tenant_id,
                name,
                id,
                query.deleted,
                query.status,
                limit + 1,
                query.owner_user_id,
                query.tag,
            )
            .fetch_all(&mut *tx)
            .await?
        }
        ListSort::RecentlyUpdated => {
            let after: Option<ChangedAfter> = page.after()?;
            sqlx::query_scalar!(
                r#"select id from projects
                   where tenant_id = $1 and ($2::timestamptz is null or (updated_at, id) < ($2, $3))
                     and (deleted_at is not null) = $4 and ($5::text is null or status = $5)
                     and ($7::uuid is null or owner_user_id = $7)
                     and ($8::text is null or exists (select 1 from project_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = projects.tenant_id and l.project_id = projects.id
                                                         and lower(t.name) = lower($8)))
                   order by updated_at desc, id desc
                   limit $6"#,
                tenant_id,
                after.map(|a| a.updated_at),
                after.map(|a| a.id),
                query.deleted,
                query.status,
                limit + 1,
                query.owner_user_id,
                query.tag,
            )
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let items = fetch_many(&mut tx, tenant_id, &ids, query.deleted).await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(items, limit, |p| match sort {
        ListSort::Name => json!([p.name, p.id]),
        ListSort::RecentlyUpdated => json!(ChangedAfter {
            updated_at: p.updated_at,
            id: p.id,
        }),
    })))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<ProjectInput>,
) -> Result<(StatusCode, HeaderMap, Json<Project>), Error> {
    identity.require_editor()?;
    let fields = ProjectFields::merge(None, input, identity.0.user_id)?;
    let tenant_id = identity.0.tenant_id;
    let id = Uuid::now_v7();
    let mut tx = identity.begin(&state).await?;
    fields.check_owner(&mut tx, tenant_id).await?;
    sqlx::query!(
        r#"insert into projects (tenant_id, id, name, description, status, owner_user_id, target_population,
                                 territory, starts_on, ends_on)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        tenant_id,
        id,
        fields.name,
        fields.description,
        fields.status,
        fields.owner_user_id,
        fields.target_population,
        fields.territory,
        fields.starts_on,
        fields.ends_on,
    )
    .execute(&mut *tx)
    .await?;
    fields.save_children(&mut tx, tenant_id, id).await?;
    created(tx, &identity, id).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<ProjectInput>,
) -> Result<(HeaderMap, Json<Project>), Error> {
    let mut change = Change::<Project>::begin(&state, &identity, id, &headers).await?;
    let tenant_id = change.tenant_id();
    let fields = ProjectFields::merge(Some(&change.before), input, identity.0.user_id)?;
    fields.check_owner(&mut change.tx, tenant_id).await?;
    sqlx::query!(
        r#"update projects
           set name = $3, description = $4, status = $5, owner_user_id = $6, target_population = $7,
               territory = $8, starts_on = $9, ends_on = $10, version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        fields.name,
        fields.description,
        fields.status,
        fields.owner_user_id,
        fields.target_population,
        fields.territory,
        fields.starts_on,
        fields.ends_on,
    )
    .execute(&mut *change.tx)
    .await?;
    fields.save_children(&mut change.tx, tenant_id, id).await?;
    change.commit().await
}

/// One project of the tenant, from the bin when `in_bin`, otherwise a live one.
async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Project, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These projects, in the order of `ids`, live or in the bin, each with its milestones,
/// budget and partners: four queries whatever the number of projects.
async fn fetch_many(
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

record!(Project, "projects", "project", binnable);
