//! The platform console (`/admin`), for platform administrators: every workspace with
//! what it uses, a search, and the form that makes a new one. Over the same rules as the
//! provisioning API (`crate::platform`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use maillage_domain::TenantKind;
use maillage_i18n::Lang;
use maillage_problem::{Path, Query};
use serde::Deserialize;

use super::{Choice, ConsoleWords, FormErrors, page_with_status};
use crate::Error;
use crate::platform::{
    DEFAULT_GRACE_DAYS, PlatformAdmin, Provisioned, StatusChange, WorkspaceInput, WorkspaceView,
    cancel_scheduled_deletion, change_status, schedule_deletion, workspace, workspaces,
};
use crate::state::AppState;

/// Workspaces a page of the console lists at most.
const LISTED: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(console))
        .route("/admin/workspaces", post(create))
        .route("/admin/workspaces/{slug}/suspend", post(suspend))
        .route("/admin/workspaces/{slug}/reactivate", post(reactivate))
        .route("/admin/workspaces/{slug}/delete", get(confirm_deletion))
        .route("/admin/workspaces/{slug}/deletion", post(delete))
        .route("/admin/workspaces/{slug}/deletion/cancel", post(keep))
}

#[derive(Template)]
#[template(path = "console.html")]
struct ConsolePage {
    admin_name: String,
    query: String,
    workspaces: Vec<WorkspaceView>,
    /// The slug of the workspace just made, or found already made.
    made: Option<(String, bool)>,
    /// What was just done to a workspace, said in a sentence.
    changed: Option<String>,
    form: WorkspaceForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
    /// What `_errors.html` says its words with.
    layout: ConsoleWords,
}

#[derive(Debug, Default, Deserialize)]
struct ConsoleQuery {
    q: Option<String>,
    created: Option<String>,
    existed: Option<String>,
    suspended: Option<String>,
    reactivated: Option<String>,
    deleting: Option<String>,
    kept: Option<String>,
    imported: Option<String>,
    rows: Option<u64>,
}

/// The creation form, as typed.
#[derive(Debug, Default, Deserialize)]
struct WorkspaceForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    owner_email: String,
}

impl ConsolePage {
    /// "1,2 Mo", "1.2 MB": a size as the administrator reads it.
    fn size(&self, bytes: &i64) -> String {
        let lang = self.layout.lang;
        let exact = *bytes;
        let bytes = exact as f64;
        let (value, unit) = match bytes {
            b if b >= 1e9 => (b / 1e9, "console-size-gigabytes"),
            b if b >= 1e6 => (b / 1e6, "console-size-megabytes"),
            b if b >= 1e3 => (b / 1e3, "console-size-kilobytes"),
            _ => return lang.t1("console-size-bytes", "value", exact),
        };
        let value = format!("{value:.1}");
        let value = match lang {
            Lang::Fr => value.replace('.', ","),
            Lang::En => value,
        };
        lang.t1(unit, "value", value)
    }

    /// A workspace's kind, in words.
    fn kind(&self, kind: &str) -> String {
        self.layout
            .lang
            .t(&format!("{}-{kind}", TenantKind::MESSAGE_PREFIX))
    }

    async fn of(
        state: &AppState,
        admin: &PlatformAdmin,
        query: String,
        form: WorkspaceForm,
        errors: FormErrors,
    ) -> Result<Self, Error> {
        let search = Some(query.trim()).filter(|q| !q.is_empty());
        let layout = ConsoleWords::of(&admin.user);
        let kinds = Choice::named(
            layout.lang,
            None,
            TenantKind::MESSAGE_PREFIX,
            TenantKind::CHOICES.iter().map(|(value, _)| *value),
            &form.kind,
        );
        Ok(Self {
            layout,
            admin_name: admin.user.display_name.clone(),
            workspaces: workspaces(state, search, None, LISTED).await?,
            query,
            made: None,
            changed: None,
            form,
            kinds,
            errors,
        })
    }
}

async fn console(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Query(query): Query<ConsoleQuery>,
) -> Result<Response, Error> {
    let form = WorkspaceForm {
        time_zone: "Europe/Paris".into(),
        ..WorkspaceForm::default()
    };
    let mut page = ConsolePage::of(
        &state,
        &admin,
        query.q.unwrap_or_default(),
        form,
        FormErrors::default(),
    )
    .await?;
    page.made = query
        .created
        .map(|slug| (slug, true))
        .or(query.existed.map(|slug| (slug, false)));
    let lang = page.layout.lang;
    page.changed = [
        ("console-suspended", query.suspended),
        ("console-reactivated", query.reactivated),
        ("console-deleting", query.deleting),
        ("console-kept", query.kept),
    ]
    .into_iter()
    .find_map(|(id, slug)| Some(lang.t1(id, "slug", slug?)))
    .or_else(|| {
        let slug = query.imported?;
        let rows = query.rows.unwrap_or_default();
        Some(lang.t2("console-imported", "slug", slug, "rows", rows))
    });
    page_with_status(StatusCode::OK, &page)
}

async fn create(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Form(form): Form<WorkspaceForm>,
) -> Result<Response, Error> {
    let input = WorkspaceInput {
        slug: form.slug.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        locale: None,
        time_zone: Some(form.time_zone.clone()),
        owner_email: form.owner_email.clone(),
    };
    match crate::platform::provision(&state, &admin, &input).await? {
        Ok(Provisioned::Created(made)) => {
            Ok(Redirect::to(&format!("/admin?created={}", made.slug)).into_response())
        }
        Ok(Provisioned::AlreadyThere(made)) => {
            Ok(Redirect::to(&format!("/admin?existed={}", made.slug)).into_response())
        }
        Err(problem) => {
            let (status, mut errors) = FormErrors::refusal(problem);
            if status == StatusCode::CONFLICT {
                errors.insert("slug", "refused-slug-taken".into());
            }
            let page = ConsolePage::of(&state, &admin, String::new(), form, errors).await?;
            page_with_status(status, &page)
        }
    }
}

async fn suspend(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let changed = change_status(&state, &admin, &slug, StatusChange::Suspend).await?;
    Ok(Redirect::to(&format!("/admin?suspended={}", changed.slug)).into_response())
}

async fn reactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let changed = change_status(&state, &admin, &slug, StatusChange::Reactivate).await?;
    Ok(Redirect::to(&format!("/admin?reactivated={}", changed.slug)).into_response())
}

#[derive(Template)]
#[template(path = "console_delete.html")]
struct DeletionPage {
    admin_name: String,
    workspace: WorkspaceView,
    grace_days: String,
    errors: FormErrors,
    /// What `_errors.html` says its words with.
    layout: ConsoleWords,
}

impl DeletionPage {
    /// "L'espace x compte 3 membres et 120 fiches."
    fn counts(&self) -> String {
        self.layout.lang.t_with(
            "console-delete-counts",
            &[
                ("slug", self.workspace.slug.as_str().into()),
                ("members", self.workspace.members.into()),
                ("records", self.workspace.records.into()),
            ],
        )
    }
}

#[derive(Debug, Default, Deserialize)]
struct DeletionForm {
    #[serde(default)]
    grace_days: String,
}

async fn deletion_page(
    state: &AppState,
    admin: &PlatformAdmin,
    slug: &str,
    grace_days: String,
    errors: FormErrors,
) -> Result<DeletionPage, Error> {
    Ok(DeletionPage {
        layout: ConsoleWords::of(&admin.user),
        admin_name: admin.user.display_name.clone(),
        workspace: workspace(state, slug).await?,
        grace_days,
        errors,
    })
}

/// Before a deletion: what it does, when, and how long it can be cancelled.
async fn confirm_deletion(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let page = deletion_page(
        &state,
        &admin,
        &slug,
        DEFAULT_GRACE_DAYS.to_string(),
        FormErrors::default(),
    )
    .await?;
    page_with_status(StatusCode::OK, &page)
}

async fn delete(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
    Form(form): Form<DeletionForm>,
) -> Result<Response, Error> {
    let Ok(grace_days) = form.grace_days.trim().parse::<i32>() else {
        let errors = FormErrors::field("grace_days", "refused-grace-days");
        let page = deletion_page(&state, &admin, &slug, form.grace_days, errors).await?;
        return page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match schedule_deletion(&state, &admin, &slug, Some(grace_days)).await? {
        Ok(workspace) => {
            Ok(Redirect::to(&format!("/admin?deleting={}", workspace.slug)).into_response())
        }
        Err(problem) => {
            let errors = FormErrors::from_problem(problem, &[]);
            let page = deletion_page(&state, &admin, &slug, form.grace_days, errors).await?;
            page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

async fn keep(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let kept = cancel_scheduled_deletion(&state, &admin, &slug).await?;
    Ok(Redirect::to(&format!("/admin?kept={}", kept.slug)).into_response())
}
