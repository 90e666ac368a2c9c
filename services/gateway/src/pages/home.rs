//! The front door: log in, pick a workspace, see what is due.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maillage_problem::Query;
use serde::Deserialize;

use super::deadlines::DeadlineRow;
use super::{Layout, page};
use crate::Error;
use crate::membership::{Member, workspaces_of};
use crate::platform::is_platform_admin;
use crate::session::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/t/{slug}", get(tenant_home))
        .route("/t/{slug}/", get(tenant_home))
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    user_name: Option<String>,
    /// A link to the platform console, for its administrators.
    platform_admin: bool,
    /// A link to make one's own workspace, where the platform allows it.
    may_create: bool,
    workspaces: Vec<(String, String)>,
    logged_out: bool,
}

#[derive(Deserialize)]
struct IndexQuery {
    logged_out: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Query(query): Query<IndexQuery>,
) -> Result<Response, Error> {
    let Some(user) = user else {
        return page(&IndexPage {
            user_name: None,
            platform_admin: false,
            may_create: false,
            workspaces: Vec::new(),
            logged_out: query.logged_out.is_some(),
        });
    };
    let workspaces = workspaces_of(&state, user.id).await?;
    let platform_admin = is_platform_admin(&state, &user).await?;
    if let ([(slug, _)], false) = (workspaces.as_slice(), platform_admin) {
        return Ok(Redirect::to(&format!("/t/{slug}/")).into_response());
    }
    let may_create =
        workspaces.is_empty() && crate::platform::may_create_own(&state, &user).await?;
    page(&IndexPage {
        user_name: Some(user.display_name),
        platform_admin,
        may_create,
        workspaces,
        logged_out: false,
    })
}

#[derive(Template)]
#[template(path = "tenant_home.html")]
struct TenantHome {
    layout: Layout,
    late: Vec<DeadlineRow>,
    upcoming: Vec<DeadlineRow>,
}

async fn tenant_home(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    let late = DeadlineRow::list(&state, &member, "late", 20).await?;
    let upcoming = DeadlineRow::list(&state, &member, "upcoming", 10).await?;
    page(&TenantHome {
        layout: Layout::of(&member, "home"),
        late,
        upcoming,
    })
}
