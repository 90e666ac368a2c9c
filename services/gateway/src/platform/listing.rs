//! The workspaces, found by part of their slug or name, with what each uses.

use axum::extract::State;
use chrono::{DateTime, Utc};
use maillage_problem::{FieldError, Json, Problem, Query};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::PlatformAdmin;
use crate::Error;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct ListQuery {
    /// Part of the slug or of the name, any case.
    q: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// A workspace and what it uses.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkspaceView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    /// `active` or `suspended`.
    pub status: String,
    pub locale: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    /// When it will be deleted with all its data, if that was asked (cancellable until then).
    pub deletion_due_at: Option<DateTime<Utc>>,
    pub members: i64,
    pub pending_invitations: i64,
    /// People, organisations, partnerships and projects (outside the bin), and deadlines.
    pub records: i64,
    pub emails_this_month: i64,
    /// The bytes of its rows, measured in the background at most once an hour (null: not
    /// measured yet).
    pub storage_bytes: Option<i64>,
    pub storage_measured_at: Option<DateTime<Utc>>,
    /// The last change to a record.
    pub last_activity: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct Workspaces {
    pub items: Vec<WorkspaceView>,
}

/// The workspaces matching `search` (all when empty), at most `limit`, by name.
pub async fn workspaces(
    state: &AppState,
    search: Option<&str>,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<WorkspaceView>, Error> {
    // The function reads each workspace under its own tenant setting, inside this
    // transaction (so that the setting ends with it).
    let mut tx = maillage_db::begin(&state.pool).await?;
    let rows = sqlx::query!(
        r#"select id as "id!", slug as "slug!", name as "name!", kind as "kind!",
                  status as "status!", locale as "locale!", time_zone as "time_zone!",
                  created_at as "created_at!", deletion_due_at, members as "members!",
                  invitations as "invitations!", records as "records!",
                  emails_this_month as "emails_this_month!", last_activity,
                  storage_bytes, storage_measured_at
           from platform_workspaces($1, $2, $3::int)"#,
        search,
        slug,
        limit as i32,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| WorkspaceView {
            id: r.id,
            slug: r.slug,
            name: r.name,
            kind: r.kind,
            status: r.status,
            locale: r.locale,
            time_zone: r.time_zone,
            created_at: r.created_at,
            deletion_due_at: r.deletion_due_at,
            members: r.members,
            pending_invitations: r.invitations,
            records: r.records,
            emails_this_month: r.emails_this_month,
            storage_bytes: r.storage_bytes,
            storage_measured_at: r.storage_measured_at,
            last_activity: r.last_activity,
        })
        .collect())
}

/// The workspace `slug` as the console shows it, or `NotFound`.
pub async fn workspace(state: &AppState, slug: &str) -> Result<WorkspaceView, Error> {
    workspaces(state, None, Some(slug), 1)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

pub(super) async fn list(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Query(query): Query<ListQuery>,
) -> Result<Result<Json<Workspaces>, Problem>, Error> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Ok(Err(Problem::validation(vec![FieldError::new(
            "limit",
            "doit être compris entre 1 et 500",
        )])));
    }
    let items = workspaces(&state, query.q.as_deref(), None, limit).await?;
    Ok(Ok(Json(Workspaces { items })))
}
