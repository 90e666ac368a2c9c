//! Partnerships: the tenant and one or more partner organisations, the content of
//! their agreement, and a lifecycle that only moves along its allowed transitions.

mod fields;
mod model;
mod queries;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use serde_json::json;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use self::fields::{PartnershipFields, PartnershipInput};
use self::model::Partnership;
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
            "/v1/partnerships",
            list,
            Doc::new("partnerships", "Liste des partenariats, filtrable")
                .query::<ListQuery>()
                .returns_page::<Partnership>(),
        )
        .post(
            "/v1/partnerships",
            create,
            Doc::new("partnerships", "Enregistrer un partenariat")
                .body::<PartnershipInput>()
                .requires(&["title", "kind", "partners"])
                .created()
                .returns::<Partnership>(),
        )
        .patch(
            "/v1/partnerships/{id}",
            update,
            Doc::new(
                "partnerships",
                "Modifier un partenariat (dont son étape : transitions permises seulement)",
            )
            .if_match()
            .body::<PartnershipInput>()
            .returns::<Partnership>(),
        )
        .merge(binnable_routes::<Partnership>(
            "/v1/partnerships",
            BinnableDocs {
                tag: "partnerships",
                read: "Lire un partenariat",
                bin: "Mettre un partenariat à la corbeille",
                restore: "Restaurer un partenariat de la corbeille",
            },
        ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    kind: Option<String>,
    #[serde(default)]
    deleted: bool,
    /// Only the records carrying this tag (by name, any case).
    tag: Option<String>,
    /// Only the records changed at or after this instant (RFC 3339).
    changed_since: Option<chrono::DateTime<chrono::Utc>>,
    /// `name` (by title: the default) or `-updated_at` (most recently changed first).
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
) -> Result<Json<Page<Partnership>>, Error> {
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
            let (title, id): (String, Uuid) = page.after()?.unwrap_or_default();
            sqlx::query_scalar!(
                r#"select id from partnerships
                   where tenant_id = $1 and (title, id) > ($2, $3) and (deleted_at is not null) = $4
                     and ($5::text is null or status = $5) and ($6::text is null or kind = $6)
                     and ($8::text is null or exists (select 1 from partnership_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = partnerships.tenant_id and l.partnership_id = partnerships.id
                                                         and lower(t.name) = lower($8)))
                     and ($9::timestamptz is null or updated_at >= $9)
                   order by title, id
                   limit $7"#,
                tenant_id,
                title,
                id,
                query.deleted,
                query.status,
                query.kind,
                limit + 1,
                query.tag,
                query.changed_since,
            )
            .fetch_all(&mut *tx)
            .await?
        }
        ListSort::RecentlyUpdated => {
            let after: Option<ChangedAfter> = page.after()?;
            sqlx::query_scalar!(
                r#"select id from partnerships
                   where tenant_id = $1 and ($2::timestamptz is null or (updated_at, id) < ($2, $3))
                     and (deleted_at is not null) = $4
                     and ($5::text is null or status = $5) and ($6::text is null or kind = $6)
                     and ($8::text is null or exists (select 1 from partnership_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = partnerships.tenant_id and l.partnership_id = partnerships.id
                                                         and lower(t.name) = lower($8)))
                     and ($9::timestamptz is null or updated_at >= $9)
                   order by updated_at desc, id desc
                   limit $7"#,
                tenant_id,
                after.map(|a| a.updated_at),
                after.map(|a| a.id),
                query.deleted,
                query.status,
                query.kind,
                limit + 1,
                query.tag,
                query.changed_since,
            )
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let items = fetch_many(&mut tx, tenant_id, &ids, query.deleted).await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(items, limit, |p| match sort {
        ListSort::Name => json!([p.title, p.id]),
        ListSort::RecentlyUpdated => json!(ChangedAfter {
            updated_at: p.updated_at,
            id: p.id,
        }),
    })))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<PartnershipInput>,
) -> Result<(StatusCode, HeaderMap, Json<Partnership>), Error> {
    identity.require_editor()?;
    let fields = PartnershipFields::merge(None, input)?;
    let tenant_id = identity.0.tenant_id;
    let id = Uuid::now_v7();
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        r#"insert into partnerships (tenant_id, id, title, kind, status, starts_on, ends_on, agreement, notes, next_evaluation_on)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        tenant_id,
        id,
        fields.title,
        fields.kind,
        fields.status,
        fields.starts_on,
        fields.ends_on,
        JsonColumn(&fields.agreement) as _,
        fields.notes,
        fields.next_evaluation_on,
    )
    .execute(&mut *tx)
    .await?;
    fields.save_partners(&mut tx, tenant_id, id).await?;
    created(tx, &identity, id).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<PartnershipInput>,
) -> Result<(HeaderMap, Json<Partnership>), Error> {
    let mut change = Change::<Partnership>::begin(&state, &identity, id, &headers).await?;
    let tenant_id = change.tenant_id();
    let fields = PartnershipFields::merge(Some(&change.before), input)?;
    sqlx::query!(
        r#"update partnerships
           set title = $3, kind = $4, status = $5, starts_on = $6, ends_on = $7, agreement = $8, notes = $9,
               next_evaluation_on = $10, version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        fields.title,
        fields.kind,
        fields.status,
        fields.starts_on,
        fields.ends_on,
        JsonColumn(&fields.agreement) as _,
        fields.notes,
        fields.next_evaluation_on,
    )
    .execute(&mut *change.tx)
    .await?;
    fields.save_partners(&mut change.tx, tenant_id, id).await?;
    change.commit().await
}

record!(Partnership, "partnerships", "partnership", binnable);
