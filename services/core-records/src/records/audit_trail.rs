//! Reading the audit log: who changed what, when, from what to what. One record's
//! history is open to every member; the whole tenant's, to admins and owners.

use axum::extract::State;
use chrono::{DateTime, Utc};
use maillage_domain::Role;
use maillage_problem::{Json, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::pagination::{DateOrder, Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get(
        "/v1/audit",
        list,
        Doc::new(
            "audit",
            "Journal des modifications, de l'espace ou d'une fiche",
        )
        .query::<AuditQuery>()
        .returns_page::<AuditEntry>(),
    )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_user_id: Uuid,
    pub actor_name: Option<String>,
    pub request_id: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Uuid,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    record_type: Option<String>,
    record_id: Option<Uuid>,
    /// `-at` (newest first: the default) or `at` (oldest first).
    #[param(schema_with = crate::pagination::by_at)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    after: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Page<AuditEntry>>, Error> {
    if query.record_id.is_none() && identity.0.role < Role::Admin {
        return Err(Error::Forbidden);
    }
    let order = DateOrder::parse(query.sort.as_deref(), "at", DateOrder::NewestFirst)?;
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let after: Option<(DateTime<Utc>, Uuid)> = page.after()?;
    let (after_at, after_id) = after.unzip();
    let mut tx = identity.begin(&state).await?;
    let rows = match order {
        DateOrder::NewestFirst => {
            sqlx::query_as!(
                AuditEntry,
                r#"select a.id, a.at, a.actor_user_id, u.display_name as "actor_name?", a.request_id, a.action,
                          a.record_type, a.record_id, a.before, a.after
                   from audit_log a left join users u on u.id = a.actor_user_id
                   where a.tenant_id = $1
                     and ($2::text is null or a.record_type = $2) and ($3::uuid is null or a.record_id = $3)
                     and ($4::timestamptz is null or (a.at, a.id) < ($4, $5::uuid))
                   order by a.at desc, a.id desc
                   limit $6"#,
                identity.0.tenant_id,
                query.record_type,
                query.record_id,
                after_at,
                after_id,
                limit + 1,
            )
            .fetch_all(&mut *tx)
            .await?
        }
        DateOrder::OldestFirst => {
            sqlx::query_as!(
                AuditEntry,
                r#"select a.id, a.at, a.actor_user_id, u.display_name as "actor_name?", a.request_id, a.action,
                          a.record_type, a.record_id, a.before, a.after
                   from audit_log a left join users u on u.id = a.actor_user_id
                   where a.tenant_id = $1
                     and ($2::text is null or a.record_type = $2) and ($3::uuid is null or a.record_id = $3)
                     and ($4::timestamptz is null or (a.at, a.id) > ($4, $5::uuid))
                   order by a.at, a.id
                   limit $6"#,
                identity.0.tenant_id,
                query.record_type,
                query.record_id,
                after_at,
                after_id,
                limit + 1,
            )
            .fetch_all(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |e| (e.at, e.id))))
}
