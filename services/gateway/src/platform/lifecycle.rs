//! A workspace's life after its making: suspended and reactivated; its deletion asked
//! (after a grace period) and cancelled.

use axum::extract::State;
use axum::http::StatusCode;
use maillage_problem::{FieldError, Json, Path, Problem};
use serde::Deserialize;

use super::{PlatformAdmin, audit};
use crate::Error;
use crate::state::AppState;

use super::listing::{WorkspaceView, workspace};

/// What suspending or reactivating does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Suspend,
    Reactivate,
}

impl StatusChange {
    fn status(self) -> &'static str {
        match self {
            Self::Suspend => "suspended",
            Self::Reactivate => "active",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Suspend => "tenant.suspend",
            Self::Reactivate => "tenant.reactivate",
        }
    }
}

/// Suspends or reactivates the workspace `slug`, logged when it changes anything (the
/// same change again is a no-op); the workspace as it now is, or `NotFound`.
pub async fn change_status(
    state: &AppState,
    admin: &PlatformAdmin,
    slug: &str,
    change: StatusChange,
) -> Result<WorkspaceView, Error> {
    let mut tx = maillage_db::begin(&state.pool).await?;
    if change == StatusChange::Reactivate {
        let deleting = sqlx::query_scalar!(
            r#"select deletion_due_at is not null as "deleting!" from tenants where slug = $1"#,
            slug
        )
        .fetch_optional(&mut *tx)
        .await?;
        if deleting == Some(true) {
            return Err(Error::Refused(
                Problem::new(
                    StatusCode::CONFLICT,
                    "deletion-pending",
                    "La suppression de cet espace est demandée.",
                )
                .with_detail("Annulez d'abord la suppression, puis réactivez l'espace."),
            ));
        }
    }
    let changed = sqlx::query_scalar!(
        "update tenants set status = $2 where slug = $1 and status <> $2 returning id",
        slug,
        change.status(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    if changed.is_some() {
        audit(&mut tx, admin, change.action(), slug, serde_json::json!({})).await?;
    }
    tx.commit().await?;
    workspace(state, slug).await
}

pub(super) async fn suspend(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Json<WorkspaceView>, Error> {
    Ok(Json(
        change_status(&state, &admin, &slug, StatusChange::Suspend).await?,
    ))
}

pub(super) async fn reactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Json<WorkspaceView>, Error> {
    Ok(Json(
        change_status(&state, &admin, &slug, StatusChange::Reactivate).await?,
    ))
}

/// The grace period a deletion waits by default, in days.
pub const DEFAULT_GRACE_DAYS: i32 = 30;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeletionInput {
    /// Days before the deletion, 1 to 365 (30 by default): until then it can be cancelled.
    #[schema(minimum = 1, maximum = 365)]
    pub grace_days: Option<i32>,
}

/// Asks for the workspace's deletion after `grace_days`: suspended at once. Asked again
/// while pending, nothing changes (the first date stands).
pub async fn schedule_deletion(
    state: &AppState,
    admin: &PlatformAdmin,
    slug: &str,
    grace_days: Option<i32>,
) -> Result<Result<WorkspaceView, Problem>, Error> {
    let grace_days = grace_days.unwrap_or(DEFAULT_GRACE_DAYS);
    if !(1..=365).contains(&grace_days) {
        return Ok(Err(Problem::validation(vec![FieldError::new(
            "grace_days",
            "doit être compris entre 1 et 365 jours",
        )])));
    }
    let mut tx = maillage_db::begin(&state.pool).await?;
    let scheduled = sqlx::query_scalar!(
        r#"update tenants set status = 'suspended', deletion_due_at = now() + make_interval(days => $2)
           where slug = $1 and deletion_due_at is null
           returning deletion_due_at as "due!""#,
        slug,
        grace_days,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(due) = scheduled {
        let detail = serde_json::json!({ "grace_days": grace_days, "deletion_due_at": due });
        audit(&mut tx, admin, "tenant.deletion-requested", slug, detail).await?;
    }
    tx.commit().await?;
    Ok(Ok(workspace(state, slug).await?))
}

/// Cancels a pending deletion; the workspace stays suspended until reactivated.
pub async fn cancel_scheduled_deletion(
    state: &AppState,
    admin: &PlatformAdmin,
    slug: &str,
) -> Result<WorkspaceView, Error> {
    let mut tx = maillage_db::begin(&state.pool).await?;
    let cancelled = sqlx::query_scalar!(
        "update tenants set deletion_due_at = null where slug = $1 and deletion_due_at is not null returning id",
        slug,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if cancelled.is_some() {
        audit(
            &mut tx,
            admin,
            "tenant.deletion-cancelled",
            slug,
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    workspace(state, slug).await
}

pub(super) async fn request_deletion(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
    Json(input): Json<DeletionInput>,
) -> Result<Result<Json<WorkspaceView>, Problem>, Error> {
    Ok(schedule_deletion(&state, &admin, &slug, input.grace_days)
        .await?
        .map(Json))
}

pub(super) async fn cancel_deletion(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Json<WorkspaceView>, Error> {
    Ok(Json(
        cancel_scheduled_deletion(&state, &admin, &slug).await?,
    ))
}
