//! The workspace's own settings (`/t/{slug}/settings/workspace` and
//! `/api/v1/t/{slug}/settings/workspace`): its name, language and time zone, read by
//! every member, changed by its admins. A new time zone moves every reminder's hour:
//! the database's `change_workspace_settings` plans them all again.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use maillage_domain::Role;
use maillage_domain::workspace::{LOCALES, WorkspaceSettings};
use maillage_problem::{Json, Problem};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/api/v1/t/{slug}/settings/workspace",
            show,
            Doc::new("members", "Le nom, la langue et le fuseau horaire de l'espace")
                .returns::<WorkspaceSettingsView>(),
        )
        .patch(
            "/api/v1/t/{slug}/settings/workspace",
            change,
            Doc::new(
                "members",
                "Changer le nom, la langue ou le fuseau horaire de l'espace ; les rappels suivent le fuseau (administrateurs)",
            )
            .body::<WorkspaceSettingsInput>()
            .returns::<WorkspaceSettingsView>(),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkspaceSettingsView {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub locale: String,
    pub time_zone: String,
    /// The logo in the header of its pages, if it has one.
    pub logo: Option<LogoView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogoView {
    /// Where members' browsers fetch it (a PNG); a new logo has a new address.
    pub url: String,
    pub width: i32,
    pub height: i32,
    pub changed_at: DateTime<Utc>,
}

/// What changes; a field left out stays.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSettingsInput {
    /// Something to read: not only spaces.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: Option<String>,
    #[schema(schema_with = locale_schema)]
    pub locale: Option<String>,
    /// An IANA time zone (`Europe/Paris`, `America/Cayenne`).
    #[schema(schema_with = time_zone_schema)]
    pub time_zone: Option<String>,
}

fn locale_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(LOCALES)
}

/// Every IANA time zone, as the database of time zones names them.
fn time_zone_schema() -> utoipa::openapi::schema::Object {
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .collect();
    maillage_runtime::api::one_of(&names)
}

async fn show(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<WorkspaceSettingsView>, Error> {
    Ok(Json(view(&state, member.tenant.id).await?))
}

pub async fn view(state: &AppState, tenant_id: Uuid) -> Result<WorkspaceSettingsView, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let row = sqlx::query!(
        r#"select t.slug, t.name, t.kind, t.locale, t.time_zone,
                  l.width as "logo_width?", l.height as "logo_height?",
                  l.changed_at as "logo_changed_at?"
           from tenants t left join workspace_logos l on l.tenant_id = t.id
           where t.id = $1"#,
        tenant_id
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let logo = match (row.logo_width, row.logo_height, row.logo_changed_at) {
        (Some(width), Some(height), Some(changed_at)) => Some(LogoView {
            url: crate::workspace_logo::address(&row.slug, changed_at),
            width,
            height,
            changed_at,
        }),
        _ => None,
    };
    Ok(WorkspaceSettingsView {
        slug: row.slug,
        name: row.name,
        kind: row.kind,
        locale: row.locale,
        time_zone: row.time_zone,
        logo,
    })
}

async fn change(
    State(state): State<AppState>,
    member: Member,
    Json(input): Json<WorkspaceSettingsInput>,
) -> Result<Result<Json<WorkspaceSettingsView>, Problem>, Error> {
    Ok(save(&state, &member, &input).await?.map(Json))
}

/// Checks every field at once, then changes them (admins only).
pub async fn save(
    state: &AppState,
    member: &Member,
    input: &WorkspaceSettingsInput,
) -> Result<Result<WorkspaceSettingsView, Problem>, Error> {
    if member.role < Role::Admin {
        return Ok(Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Seuls les administrateurs de l'espace en changent les paramètres.",
        )));
    }
    let current = view(state, member.tenant.id).await?;
    let settings = match WorkspaceSettings::parse(
        input.name.as_deref().unwrap_or(&current.name),
        input.locale.as_deref().unwrap_or(&current.locale),
        input.time_zone.as_deref().unwrap_or(&current.time_zone),
    ) {
        Ok(settings) => settings,
        Err(refused) => return Ok(Err(Problem::refused_fields(refused))),
    };
    let mut tx = maillage_db::begin(&state.pool).await?;
    sqlx::query_scalar!(
        r#"select change_workspace_settings($1, $2, $3, $4) as "changed!""#,
        member.tenant.id,
        settings.name,
        settings.locale,
        settings.time_zone.name(),
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query_scalar!(
        "select set_config('app.tenant_id', $1::uuid::text, true)",
        member.tenant.id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, before, after)
           values ($1, $2, $3, $4, 'update', 'workspace', $1,
                   jsonb_build_object('name', $5::text, 'locale', $6::text, 'time_zone', $7::text),
                   jsonb_build_object('name', $8::text, 'locale', $9::text, 'time_zone', $10::text))"#,
        member.tenant.id,
        Uuid::now_v7(),
        member.user.id,
        member.request_id,
        current.name,
        current.locale,
        current.time_zone,
        settings.name,
        settings.locale,
        settings.time_zone.name(),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(view(state, member.tenant.id).await?))
}
