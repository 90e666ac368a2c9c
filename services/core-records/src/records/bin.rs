//! The bin: the people, organisations, projects and partnerships deleted and not yet
//! restored, most recently deleted first (`POST /v1/{records}/{id}/restore` takes one
//! out).

use axum::extract::State;
use chrono::{DateTime, Utc};
use maillage_problem::{Json, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Serialize;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get(
        "/v1/bin",
        list,
        Doc::new(
            "bin",
            "Corbeille : personnes, organisations, projets et partenariats supprimés, restaurables",
        )
        .query::<PageQuery>()
        .returns_page::<BinnedRecord>(),
    )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BinnedRecord {
    /// person, organisation, project or partnership.
    pub kind: String,
    pub id: Uuid,
    pub label: String,
    pub deleted_at: DateTime<Utc>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<BinnedRecord>>, Error> {
    let limit = page.limit()?;
    let after: Option<(DateTime<Utc>, Uuid)> = page.after()?;
    let (after_at, after_id) = after.unzip();
    let mut tx = identity.begin(&state).await?;
    let rows = sqlx::query_as!(
        BinnedRecord,
        r#"select kind as "kind!", id as "id!", label as "label!", deleted_at as "deleted_at!" from (
               select 'person' as kind, id, trim(given_name || ' ' || family_name) as label, deleted_at
               from people where tenant_id = $1 and deleted_at is not null
               union all
               select 'organisation', id, name, deleted_at
               from organisations where tenant_id = $1 and deleted_at is not null
               union all
               select 'project', id, name, deleted_at
               from projects where tenant_id = $1 and deleted_at is not null
               union all
               select 'partnership', id, title, deleted_at
               from partnerships where tenant_id = $1 and deleted_at is not null
           ) binned
           where $2::timestamptz is null or (deleted_at, id) < ($2, $3::uuid)
           order by deleted_at desc, id desc
           limit $4"#,
        identity.0.tenant_id,
        after_at,
        after_id,
        limit + 1,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |r| (r.deleted_at, r.id))))
}
