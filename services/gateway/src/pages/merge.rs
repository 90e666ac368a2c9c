//! Merging a duplicate into a person or an organisation from its page: find the
//! duplicate (search), confirm, and everything moves to the record kept; the duplicate
//! goes to the bin.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maillage_problem::{Path, Query};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::record_parts::record_name;
use super::search::{Hit, hits_of_kind};
use super::{FormErrors, Layout, page, page_with_status};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

/// What can be merged: the collection, and what search calls one of it.
const MERGEABLE: [(&str, &str); 2] = [("people", "person"), ("organisations", "organisation")];

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for record in MERGEABLE {
        router = router.route(
            &format!("/t/{{slug}}/{}/{{id}}/merge", record.0),
            get(move |state, member, path, query| find(record, state, member, path, query))
                .post(move |state, member, path, form| merge(record, state, member, path, form)),
        );
    }
    router
}

#[derive(Debug, Deserialize)]
struct FindQuery {
    #[serde(default)]
    q: String,
    /// The duplicate already known (one just added to be merged): straight to confirming.
    duplicate_id: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "merge_find.html")]
struct FindPage {
    layout: Layout,
    kept_name: String,
    kept_path: String,
    q: String,
    /// None until something was searched.
    candidates: Option<Vec<Hit>>,
    errors: FormErrors,
}

/// The page that finds the duplicate: a search among the records of the same kind.
async fn find(
    (collection, kind): (&'static str, &'static str),
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Query(query): Query<FindQuery>,
) -> Result<Response, Error> {
    if let Some(duplicate_id) = query.duplicate_id {
        return confirm(&state, &member, (collection, id), duplicate_id).await;
    }
    let kept_name = record_name(&state, &member, collection, id).await?;
    let q = query.q.trim().to_owned();
    let (status, candidates, errors) = if q.is_empty() {
        (StatusCode::OK, None, FormErrors::default())
    } else {
        match hits_of_kind(&state, &member, &q, kind).await? {
            Ok(hits) => {
                let candidates = hits.into_iter().filter(|hit| hit.id != id).collect();
                (StatusCode::OK, Some(candidates), FormErrors::default())
            }
            Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, None, errors),
        }
    };
    page_with_status(
        status,
        &FindPage {
            layout: Layout::of(&member, collection),
            kept_path: format!("/t/{}/{collection}/{id}", member.tenant.slug),
            kept_name,
            q,
            candidates,
            errors,
        },
    )
}

#[derive(Debug, Deserialize)]
struct MergeForm {
    duplicate_id: Uuid,
    /// Set once the person confirmed.
    confirmed: Option<String>,
}

#[derive(Template)]
#[template(path = "merge_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    kept_name: String,
    kept_path: String,
    duplicate_name: String,
    duplicate_id: Uuid,
}

/// The first press asks to confirm, naming both; the second merges.
async fn merge(
    (collection, _): (&'static str, &'static str),
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<MergeForm>,
) -> Result<Response, Error> {
    if form.confirmed.is_none() {
        return confirm(&state, &member, (collection, id), form.duplicate_id).await;
    }
    let kept_path = format!("/t/{}/{collection}/{id}", member.tenant.slug);
    let path = format!("/v1/{collection}/{id}/merge");
    let body = json!({ "duplicate_id": form.duplicate_id });
    match state
        .core
        .send::<serde_json::Value>(&member, Method::POST, &path, &body, None)
        .await?
    {
        Ok(_) => Ok(Redirect::to(&kept_path).into_response()),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// The page that asks to confirm merging `duplicate_id` into `collection/id`, naming both.
async fn confirm(
    state: &AppState,
    member: &Member,
    (collection, id): (&'static str, Uuid),
    duplicate_id: Uuid,
) -> Result<Response, Error> {
    if duplicate_id == id {
        return Err(Error::NotFound);
    }
    let (kept_name, duplicate_name) = tokio::try_join!(
        record_name(state, member, collection, id),
        record_name(state, member, collection, duplicate_id),
    )?;
    page(&ConfirmPage {
        layout: Layout::of(member, collection),
        kept_name,
        kept_path: format!("/t/{}/{collection}/{id}", member.tenant.slug),
        duplicate_name,
        duplicate_id,
    })
}
