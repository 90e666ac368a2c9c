//! `GET /calendar/{tenant_id}/{token}.ics`: a member's calendar, for calendar apps that
//! subscribe to a URL and cannot log in. The token is the authority; renewing or
//! revoking it (in `/api/v1/t/{slug}/calendar-feed`) cuts off the old URL.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maillage_problem::Path;
use reqwest::Method;
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/calendar/{tenant_id}/{file}", get(calendar))
}

async fn calendar(
    State(state): State<AppState>,
    Path((tenant_id, file)): Path<(Uuid, String)>,
    request: Request,
) -> Result<Response, Error> {
    let token: Uuid = file
        .strip_suffix(".ics")
        .and_then(|raw| raw.parse().ok())
        .ok_or(Error::NotFound)?;
    let request_id = maillage_runtime::request_id_of(request.extensions());
    let member = Member::of_calendar_feed(&state, tenant_id, token, request_id).await?;
    let body = state
        .core
        .request(&member, Method::GET, "/v1/calendar.ics")?
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    // Calendar apps poll: let them, but not keep a revoked feed for long.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=900"),
    );
    Ok(response)
}
