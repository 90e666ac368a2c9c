//! `/api/v1`: the JSON API. Tenant routes are forwarded to core-records as they are,
//! once the caller is known to be a member of the tenant in the URL.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use maillage_problem::{Json, Problem};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Serialize;

use crate::Error;
use crate::membership::{Member, workspaces_of};
use crate::session::CurrentUser;
use crate::startup::AppState;

/// The same cap core-records applies, answered here already.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The gateway's own API routes, documented; the records' routes are forwarded as they
/// are and documented by core-records (see `openapi`).
pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get(
        "/api/v1/me",
        me,
        Doc::new("me", "Qui je suis, et mes espaces de travail").returns::<Me>(),
    )
}

/// Every tenant route of core-records, behind the membership check.
pub fn forwarding_router() -> Router<AppState> {
    Router::new().route("/api/v1/t/{slug}/{*path}", any(forward))
}

#[derive(Serialize, utoipa::ToSchema)]
struct Me {
    id: uuid::Uuid,
    email: String,
    display_name: String,
    workspaces: Vec<Workspace>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Workspace {
    slug: String,
    name: String,
}

async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>, Error> {
    let workspaces = workspaces_of(&state, user.id)
        .await?
        .into_iter()
        .map(|(slug, name)| Workspace { slug, name })
        .collect();
    Ok(Json(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        workspaces,
    }))
}

async fn forward(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, path)): Path<(String, String)>,
    request: Request,
) -> Result<Response, Error> {
    // Only core-records' resources, never a path that climbs out of /v1/.
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err(Error::NotFound);
    }
    let method = request.method().clone();
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let headers = request.headers().clone();
    let Ok(body) = to_bytes(request.into_body(), MAX_BODY_BYTES).await else {
        return Ok(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Le contenu envoyé est trop volumineux.",
        )
        .into_response());
    };
    let mut outgoing = state
        .core
        .request(&member, method, &format!("/v1/{path}{query}"))?
        .body(body);
    for name in [
        header::CONTENT_TYPE,
        header::IF_MATCH,
        header::ACCEPT_LANGUAGE,
    ] {
        if let Some(value) = headers.get(&name) {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = outgoing.send().await?;
    let mut response_headers = HeaderMap::new();
    for name in [header::CONTENT_TYPE, header::ETAG] {
        if let Some(value) = answer.headers().get(&name) {
            response_headers.insert(name, value.clone());
        }
    }
    let status = answer.status();
    let bytes = answer.bytes().await?;
    Ok((status, response_headers, Body::from(bytes)).into_response())
}
