//! A workspace's logo, shown in the header of its pages: given by its admins from the
//! settings page or the API (`PUT /api/v1/t/{slug}/settings/logo`), taken back
//! (`DELETE`), and served to its members (`/t/{slug}/logo`). What is stored is made by
//! `picture::prepare`, never the bytes as given.

mod picture;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures::{Stream, TryStreamExt};
use maillage_domain::Role;
use maillage_problem::{Json, Problem};
use maillage_runtime::api::{ApiRouter, Doc};
use sqlx::PgConnection;
use uuid::Uuid;

pub use self::picture::MAX_UPLOAD_BYTES;
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;
use crate::workspace_settings::{self, WorkspaceSettingsView};

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .put(
            "/api/v1/t/{slug}/settings/logo",
            replace,
            Doc::new(
                "members",
                "Donner un logo à l'espace : une image PNG, JPEG ou WebP de 5 Mo au plus, réduite pour l'en-tête des pages (administrateurs)",
            )
            // The image's bytes as they are; their type is read from them, not from a
            // header.
            .takes_file("application/octet-stream")
            .returns::<WorkspaceSettingsView>(),
        )
        .delete(
            "/api/v1/t/{slug}/settings/logo",
            remove_by_api,
            Doc::new("members", "Retirer le logo de l'espace (administrateurs)")
                .returns::<WorkspaceSettingsView>(),
        )
}

/// The page route that serves the image (not part of the API: it answers a PNG).
pub fn image_router() -> axum::Router<AppState> {
    axum::Router::new().route("/t/{slug}/logo", axum::routing::get(serve))
}

/// The address of a workspace's logo changed at `changed_at`: a new logo, a new
/// address, so that browsers may keep each one as long as they like.
pub fn address(slug: &str, changed_at: DateTime<Utc>) -> String {
    format!("/t/{slug}/logo?v={}", changed_at.timestamp_micros())
}

async fn replace(
    State(state): State<AppState>,
    member: Member,
    body: Body,
) -> Result<Result<Json<WorkspaceSettingsView>, Problem>, Error> {
    let bytes = match receive(body.into_data_stream()).await? {
        Ok(bytes) => bytes,
        Err(problem) => return Ok(Err(problem)),
    };
    Ok(store(&state, &member, bytes).await?.map(Json))
}

async fn remove_by_api(
    State(state): State<AppState>,
    member: Member,
) -> Result<Result<Json<WorkspaceSettingsView>, Problem>, Error> {
    Ok(remove(&state, &member).await?.map(Json))
}

/// An uploaded image's bytes as they arrive (a request's body, a form's file), or the
/// problem of too many or of a transfer cut short. Never more than the cap in memory.
pub async fn receive<E>(
    chunks: impl Stream<Item = Result<Bytes, E>>,
) -> Result<Result<Vec<u8>, Problem>, Error> {
    let mut bytes = Vec::new();
    let mut chunks = std::pin::pin!(chunks);
    loop {
        match chunks.try_next().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                    return Ok(Err(too_large()));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(Ok(bytes)),
            Err(_) => return Ok(Err(cut_short())),
        }
    }
}

fn too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "logo-too-large",
        "L'image dépasse la taille acceptée.",
    )
    .with_detail("Au plus 5 Mo.")
}

fn cut_short() -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        "upload-cut-short",
        "L'envoi n'a pas abouti : l'image est arrivée incomplète. Réessayez.",
    )
}

fn admins_only(member: &Member) -> Option<Problem> {
    (member.role < Role::Admin).then(|| {
        Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Seuls les administrateurs de l'espace en changent le logo.",
        )
    })
}

/// Makes `bytes` the workspace's logo (admins only), or says why not; nothing changes
/// then.
pub async fn store(
    state: &AppState,
    member: &Member,
    bytes: Vec<u8>,
) -> Result<Result<WorkspaceSettingsView, Problem>, Error> {
    if let Some(problem) = admins_only(member) {
        return Ok(Err(problem));
    }
    let prepared = tokio::task::spawn_blocking(move || picture::prepare(&bytes))
        .await
        .map_err(|error| Error::Export(error.to_string()))?;
    let logo = match prepared {
        Ok(logo) => logo,
        Err(refused) => {
            return Ok(Err(Problem::refused_fields([(
                "logo",
                refused.to_string(),
            )])));
        }
    };
    let (width, height) = (to_i32(logo.width), to_i32(logo.height));
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let before = current(&mut tx).await?;
    sqlx::query!(
        "insert into workspace_logos (tenant_id, png, width, height, changed_at, changed_by)
         values ($1, $2, $3, $4, clock_timestamp(), $5)
         on conflict (tenant_id) do update
           set png = excluded.png, width = excluded.width, height = excluded.height,
               changed_at = excluded.changed_at, changed_by = excluded.changed_by",
        member.tenant.id,
        logo.png,
        width,
        height,
        member.user.id,
    )
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "width": width, "height": height });
    audit(&mut tx, member, before, Some(after)).await?;
    tx.commit().await?;
    Ok(Ok(workspace_settings::view(state, member.tenant.id).await?))
}

/// Takes the logo away (admins only); the header shows the name alone again.
pub async fn remove(
    state: &AppState,
    member: &Member,
) -> Result<Result<WorkspaceSettingsView, Problem>, Error> {
    if let Some(problem) = admins_only(member) {
        return Ok(Err(problem));
    }
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let before = current(&mut tx).await?;
    if before.is_some() {
        sqlx::query!(
            "delete from workspace_logos where tenant_id = $1",
            member.tenant.id
        )
        .execute(&mut *tx)
        .await?;
        audit(&mut tx, member, before, None).await?;
    }
    tx.commit().await?;
    Ok(Ok(workspace_settings::view(state, member.tenant.id).await?))
}

/// The logo's size now, for the audit line, locking it until the change commits.
async fn current(tx: &mut PgConnection) -> Result<Option<serde_json::Value>, Error> {
    let row = sqlx::query!("select width, height from workspace_logos for update")
        .fetch_optional(&mut *tx)
        .await?;
    Ok(row.map(|row| serde_json::json!({ "width": row.width, "height": row.height })))
}

async fn audit(
    tx: &mut PgConnection,
    member: &Member,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), Error> {
    sqlx::query!(
        r#"insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, before, after)
           values ($1, $2, $3, $4, 'update', 'workspace', $1,
                   jsonb_build_object('logo', $5::jsonb), jsonb_build_object('logo', $6::jsonb))"#,
        member.tenant.id,
        Uuid::now_v7(),
        member.user.id,
        member.request_id,
        before,
        after,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Sizes are at most `picture::STORED_BOX`.
fn to_i32(side: u32) -> i32 {
    i32::try_from(side).unwrap_or(i32::MAX)
}

/// The logo, to the workspace's members only. Its address changes with it, so it may
/// be kept: privately (it is the workspace's), for a year.
async fn serve(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let png = sqlx::query_scalar!("select png from workspace_logos")
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    let png = png.ok_or(Error::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable",
            ),
        ],
        png,
    )
        .into_response())
}
