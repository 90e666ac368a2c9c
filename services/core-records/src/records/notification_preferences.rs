//! The caller's own reminder preferences in the tenant: each reminder as it falls due,
//! a daily or a weekly digest, or none (what the one-click unsubscribe link sets).

use axum::extract::State;
use axum::http::HeaderMap;
use maillage_problem::Json;
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::{Checks, check_version, etag, expected_version};
use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::language::one_of;
use crate::state::AppState;

const MODES: [&str; 4] = ["each", "daily", "weekly", "off"];

/// The ways a member is notified, for the document.
fn mode_schema() -> Object {
    maillage_runtime::api::one_of(&MODES)
}

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/notification-preferences",
            read,
            Doc::new("reminders", "Mes préférences de rappel dans l'espace")
                .returns::<NotificationPreferences>(),
        )
        .patch(
            "/v1/notification-preferences",
            update,
            Doc::new("reminders", "Changer mes préférences de rappel")
                .if_match()
                .body::<NotificationPreferencesInput>()
                .returns::<NotificationPreferences>(),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationPreferences {
    /// each (every reminder as it falls due), daily (one digest a day), weekly (one on
    /// Mondays: the week's agenda) or off.
    pub mode: String,
    pub version: i32,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPreferencesInput {
    #[schema(schema_with = mode_schema)]
    mode: String,
}

/// The stored preferences, or the defaults (version 0).
async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<NotificationPreferences, Error> {
    Ok(sqlx::query_as!(
        NotificationPreferences,
        "select mode, version from notification_preferences where tenant_id = $1 and user_id = $2",
        tenant_id,
        user_id,
    )
    .fetch_optional(conn)
    .await?
    .unwrap_or(NotificationPreferences {
        mode: "each".into(),
        version: 0,
    }))
}

async fn read(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<(HeaderMap, Json<NotificationPreferences>), Error> {
    let mut tx = identity.begin(&state).await?;
    let preferences = fetch(&mut tx, identity.0.tenant_id, identity.0.user_id).await?;
    tx.commit().await?;
    Ok((etag(preferences.version), Json(preferences)))
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    headers: HeaderMap,
    Json(input): Json<NotificationPreferencesInput>,
) -> Result<(HeaderMap, Json<NotificationPreferences>), Error> {
    let expected = expected_version(&headers)?;
    let mut checks = Checks::default();
    if !MODES.contains(&input.mode.as_str()) {
        checks.push("mode", &one_of(&["each", "daily", "weekly", "off"]));
    }
    checks.finish()?;
    let (tenant_id, user_id) = (identity.0.tenant_id, identity.0.user_id);
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        "insert into notification_preferences (tenant_id, user_id) values ($1, $2) on conflict do nothing",
        tenant_id,
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "select 1 as locked from notification_preferences where tenant_id = $1 and user_id = $2 for update",
        tenant_id,
        user_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let before = fetch(&mut tx, tenant_id, user_id).await?;
    check_version(expected, before.version)?;
    sqlx::query!(
        r#"update notification_preferences set mode = $3, version = $4 + 1, updated_at = now()
           where tenant_id = $1 and user_id = $2"#,
        tenant_id,
        user_id,
        input.mode,
        before.version,
    )
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, tenant_id, user_id).await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Update,
        "notification_preferences",
        user_id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok((etag(after.version), Json(after)))
}
