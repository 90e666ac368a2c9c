//! The console's import (`/admin/workspaces/{slug}/import`): a platform admin uploads a
//! workspace's archive into an empty workspace, by the rules of
//! `crate::platform::load_archive` (all or nothing, in the platform audit log).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maillage_problem::{Path, Problem};

use super::{ConsoleWords, FormErrors, page_with_status};
use crate::Error;
use crate::platform::{PlatformAdmin, WorkspaceView, load_archive, receive_archive, workspace};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/admin/workspaces/{slug}/import",
        // The archive's size is checked as it arrives (`receive_archive`).
        get(show).post(upload).layer(DefaultBodyLimit::disable()),
    )
}

#[derive(Template)]
#[template(path = "console_import.html")]
struct ImportPage {
    admin_name: String,
    workspace: WorkspaceView,
    errors: FormErrors,
    /// What `_errors.html` says its words with.
    layout: ConsoleWords,
}

async fn page(
    state: &AppState,
    admin: &PlatformAdmin,
    slug: &str,
    problem: Option<Problem>,
) -> Result<Response, Error> {
    let (status, errors) = problem.map_or_else(
        || (StatusCode::OK, FormErrors::default()),
        FormErrors::refusal,
    );
    let page = ImportPage {
        layout: ConsoleWords::of(&admin.user),
        admin_name: admin.user.display_name.clone(),
        workspace: workspace(state, slug).await?,
        errors,
    };
    page_with_status(status, &page)
}

async fn show(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    page(&state, &admin, &slug, None).await
}

/// The form's `archive` file, streamed to a temporary file, then loaded.
async fn upload(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> Result<Response, Error> {
    let mut received = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("archive") {
            received = Some(receive_archive(field).await?);
            break;
        }
    }
    let file = match received {
        Some(Ok(file)) => file,
        Some(Err(problem)) => return page(&state, &admin, &slug, Some(problem)).await,
        None => {
            let missing = Problem::refused_fields([("archive", "choisissez l'archive à importer")]);
            return page(&state, &admin, &slug, Some(missing)).await;
        }
    };
    match load_archive(&state, admin.clone(), &slug, file).await? {
        Ok(report) => Ok(
            Redirect::to(&format!("/admin?imported={slug}&rows={}", report.rows)).into_response(),
        ),
        Err(problem) => page(&state, &admin, &slug, Some(problem)).await,
    }
}
