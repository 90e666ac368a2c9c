//! Projects: what the tenant runs — status, owner, target population, territory,
//! dates, milestones grouped in phases, budget lines (planned and actual, with totals)
//! and partners, organisations or whole partnerships.

mod fields;
mod model;
mod queries;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use self::fields::{ProjectFields, ProjectInput};
use self::model::Project;
use self::queries::{fetch, fetch_many};
use super::routes::{BinnableDocs, binnable_routes};
use super::{Change, created};
use crate::Error;
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
        .patch(
            "/v1/projects/{id}",
            update,
            Doc::new("projects", "Modifier un projet")
                .if_match()
                .body::<ProjectInput>()
                .returns::<Project>(),
        )
        .merge(binnable_routes::<Project>(
            "/v1/projects",
            BinnableDocs {
                tag: "projects",
                read: "Lire un projet, ses jalons, son budget et ses partenaires",
                bin: "Mettre un projet à la corbeille",
                restore: "Restaurer un projet de la corbeille",
            },
        ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    /// Only the projects this member owns ("mes projets").
    owner_user_id: Option<Uuid>,
    /// Only the projects carrying this tag (by name, any case).
    tag: Option<String>,
    /// Only the records changed at or after this instant (RFC 3339).
    changed_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Only the projects of this territory (any case).
    #[param(max_length = 300)]
    territory: Option<String>,
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
                     and ($9::text is null or lower(territory) = lower($9))
                     and ($10::timestamptz is null or updated_at >= $10)
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
                query.territory.as_deref().map(str::trim),
                query.changed_since,
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
                     and ($9::text is null or lower(territory) = lower($9))
                     and ($10::timestamptz is null or updated_at >= $10)
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
                query.territory.as_deref().map(str::trim),
                query.changed_since,
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

record!(Project, "projects", "project", binnable);
