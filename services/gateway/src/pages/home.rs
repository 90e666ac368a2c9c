//! The front door: log in, pick a workspace (whose home is `dashboard`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maillage_i18n::Lang;
use maillage_problem::Query;
use serde::Deserialize;

use super::page;
use crate::Error;
use crate::membership::workspaces_of;
use crate::platform::is_platform_admin;
use crate::session::CurrentUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/t/{slug}", get(super::dashboard::show))
        .route("/t/{slug}/", get(super::dashboard::show))
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    lang: Lang,
    user_name: Option<String>,
    /// A link to the platform console, for its administrators.
    platform_admin: bool,
    /// A link to make one's own workspace, where the platform allows it.
    may_create: bool,
    workspaces: Vec<(String, String)>,
    logged_out: bool,
}

impl IndexPage {
    fn hello(&self, name: &str) -> String {
        self.lang.t_with("index-hello", &[("name", name.into())])
    }
}

#[derive(Deserialize)]
struct IndexQuery {
    logged_out: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    headers: HeaderMap,
    Query(query): Query<IndexQuery>,
) -> Result<Response, Error> {
    let browsers = crate::lang::of_request(&headers);
    let Some(user) = user else {
        return page(&IndexPage {
            lang: browsers,
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
        // Theirs if they chose one; no workspace here to take it from.
        lang: user
            .locale
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(browsers),
        user_name: Some(user.display_name),
        platform_admin,
        may_create,
        workspaces,
        logged_out: false,
    })
}
