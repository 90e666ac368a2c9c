//! `/api/v1`: the JSON API. Tenant routes are forwarded to core-records as they are,
//! once the caller is known to be a member of the tenant in the URL.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use maillage_problem::{Json, Problem};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Serialize;

use crate::Error;
use crate::membership::{Member, workspaces_of};
use crate::session::CurrentUser;
use crate::state::AppState;

/// Every tenant route of core-records, under the tenant's slug.
const FORWARDED_ROUTE: &str = "/api/v1/t/{slug}/{*path}";

/// The same cap core-records applies, answered here already.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The routes that take a file, passed on as it arrives (core-records caps its size).
const UPLOADS: [&str; 1] = ["imports"];

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
    Router::new().route(FORWARDED_ROUTE, any(forward))
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

/// The records' path of a forwarded request: what follows `/api/v1/t/{slug}/`, taken
/// from the raw (still percent-encoded) URL, when every segment is made only of the
/// characters core-records' routes use (names, UUIDs). Anything else — dot-segments, an
/// encoded `/`, `\\`, `?`, `#` or `%` (double encoding), control characters — could
/// be read by the next URL parser as another path or a query, so it is refused here.
fn records_path(raw: &str) -> Option<&str> {
    let tenants = FORWARDED_ROUTE.split("{slug}").next()?;
    let (_slug, path) = raw.strip_prefix(tenants)?.split_once('/')?;
    let plain = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    path.split('/').all(plain).then_some(path)
}

async fn forward(
    State(state): State<AppState>,
    member: Member,
    request: Request,
) -> Result<Response, Error> {
    // Only core-records' resources, never a path that climbs out of /v1/.
    let path = records_path(request.uri().path())
        .ok_or(Error::NotFound)?
        .to_owned();
    let method = request.method().clone();
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let headers = request.headers().clone();
    let body = if method == Method::POST && UPLOADS.contains(&path.as_str()) {
        reqwest::Body::wrap_stream(request.into_body().into_data_stream())
    } else {
        let Ok(bytes) = to_bytes(request.into_body(), MAX_BODY_BYTES).await else {
            return Ok(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Le contenu envoyé est trop volumineux.",
            )
            .into_response());
        };
        reqwest::Body::from(bytes)
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
    for name in [
        header::CONTENT_TYPE,
        header::CONTENT_DISPOSITION,
        header::ETAG,
        header::ALLOW,
    ] {
        if let Some(value) = answer.headers().get(&name) {
            response_headers.insert(name, value.clone());
        }
    }
    let status = answer.status();
    // Passed on as it comes: a file (rejected rows, say) is never whole in memory here.
    let body = Body::from_stream(answer.bytes_stream());
    Ok((status, response_headers, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::{FORWARDED_ROUTE, records_path};

    /// `rest` under the tenants' prefix of the API.
    fn at(rest: &str) -> String {
        let tenants = FORWARDED_ROUTE.split("{slug}").next().unwrap_or_default();
        format!("{tenants}{rest}")
    }

    #[test]
    fn resources_and_ids_are_forwarded_as_they_are() {
        for (raw, path) in [
            ("asso-demo/people", "people"),
            (
                "asso-demo/people/01a22cae-8a42-7461-9c22-6b91b4d5eb09/tags",
                "people/01a22cae-8a42-7461-9c22-6b91b4d5eb09/tags",
            ),
            ("asso-demo/engagements/totals", "engagements/totals"),
            ("asso-demo/reminder-policy", "reminder-policy"),
        ] {
            assert_eq!(records_path(&at(raw)), Some(path), "{raw}");
        }
    }

    #[test]
    fn paths_another_parser_could_read_otherwise_are_refused() {
        for raw in [
            "asso-demo/..%5c..%5chealthz",
            "asso-demo/%252e%252e/readyz",
            "asso-demo/%2e%2e/readyz",
            "asso-demo/../readyz",
            "asso-demo/./people",
            "asso-demo/people/..",
            "asso-demo/people%3Flimit=1",
            "asso-demo/people/abc%23def",
            "asso-demo/people/abc%0Adef",
            "asso-demo/people/abc%2Fdef",
            "asso-demo/people/abc%00",
            "asso-demo/people\\..\\healthz",
            "asso-demo/people//x",
            "asso-demo/people/",
            "asso-demo/",
            "asso-demo",
        ] {
            assert_eq!(records_path(&at(raw)), None, "{raw}");
        }
    }
}
