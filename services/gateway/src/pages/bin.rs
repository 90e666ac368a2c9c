//! The bin: people, organisations, projects and partnerships put in it from their form
//! (once confirmed), listed most recently deleted first, and restored from there.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use maillage_problem::{Path, Query};
use reqwest::Method;
use serde::Deserialize;
use uuid::Uuid;

use super::editing::ConfirmDelete;
use super::record_parts::{Listing, record_name};
use super::{Layout, page, tenant_zone};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

/// What goes to the bin: the collection, and what the API calls one of it.
const BINNABLE: [(&str, &str); 4] = [
    ("people", "person"),
    ("organisations", "organisation"),
    ("projects", "project"),
    ("partnerships", "partnership"),
];

pub fn router() -> Router<AppState> {
    let mut router = Router::new().route("/t/{slug}/bin", get(list));
    for (collection, _) in BINNABLE {
        router = router
            .route(
                &format!("/t/{{slug}}/{collection}/{{id}}/delete"),
                post(move |state, member, path, form| bin(collection, state, member, path, form)),
            )
            .route(
                &format!("/t/{{slug}}/{collection}/{{id}}/restore"),
                post(move |state, member, path| restore(collection, state, member, path)),
            );
    }
    router
}

#[derive(Debug, Deserialize)]
struct Binned {
    kind: String,
    id: Uuid,
    label: String,
    deleted_at: DateTime<Utc>,
}

/// A line of the bin page.
struct BinLine {
    kind: &'static str,
    collection: &'static str,
    id: Uuid,
    label: String,
    deleted: String,
}

#[derive(Debug, Deserialize)]
struct BinQuery {
    after: Option<String>,
    /// Set after a record was put in the bin, which the page then says.
    binned: Option<String>,
}

#[derive(Template)]
#[template(path = "bin.html")]
struct BinPage {
    layout: Layout,
    lines: Vec<BinLine>,
    next: Option<String>,
    just_binned: bool,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<BinQuery>,
) -> Result<Response, Error> {
    let after = query
        .after
        .as_deref()
        .map(|cursor| {
            let cursor: String = url::form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
            format!("&after={cursor}")
        })
        .unwrap_or_default();
    let listing: Listing<Binned> = state
        .core
        .get(&member, &format!("/v1/bin?limit=50{after}"))
        .await?;
    let zone = tenant_zone(&member);
    let lines = listing
        .items
        .into_iter()
        .map(|b| {
            // The collection, and the message naming the kind of record.
            let (collection, kind) = match b.kind.as_str() {
                "person" => ("people", "record-kind-person"),
                "organisation" => ("organisations", "record-kind-organisation"),
                "project" => ("projects", "record-kind-project"),
                _ => ("partnerships", "record-kind-partnership"),
            };
            BinLine {
                kind,
                collection,
                id: b.id,
                label: b.label,
                deleted: member.lang().date_time(b.deleted_at, zone),
            }
        })
        .collect();
    page(&BinPage {
        layout: Layout::of(&member, "bin"),
        lines,
        next: listing.next,
        just_binned: query.binned.is_some(),
    })
}

#[derive(Debug, Deserialize)]
struct BinForm {
    version: i64,
    /// Set once the person confirmed.
    confirmed: Option<String>,
}

/// Into the bin: the first press asks to confirm, the second puts it there.
async fn bin(
    collection: &'static str,
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<BinForm>,
) -> Result<Response, Error> {
    let page_path = format!("/t/{}/{collection}/{id}", member.tenant.slug);
    if form.confirmed.is_none() {
        let name = record_name(&state, &member, collection, id).await?;
        return page(&ConfirmDelete {
            layout: Layout::of(&member, collection),
            heading: member
                .lang()
                .t_with("bin-question", &[("name", name.as_str().into())]),
            explanation: "bin-explanation",
            confirm: "bin-confirm",
            action: format!("{page_path}/delete"),
            version: form.version,
            back: page_path,
        });
    }
    let path = format!("/v1/{collection}/{id}");
    match state
        .core
        .delete(&member, &path, Some(form.version))
        .await?
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/t/{}/bin?binned=1", member.tenant.slug)).into_response())
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// Out of the bin, back to the record's page.
async fn restore(
    collection: &'static str,
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let path = format!("/v1/{collection}/{id}/restore");
    match state
        .core
        .send::<serde_json::Value>(&member, Method::POST, &path, &serde_json::json!({}), None)
        .await?
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/t/{}/{collection}/{id}", member.tenant.slug)).into_response(),
        ),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

#[cfg(test)]
mod kind_names {
    use maillage_i18n::Lang;

    /// The kinds of record the bin names, in both languages (ids built in the code, not
    /// in a template the catalogue test reads).
    #[test]
    fn every_kind_in_the_bin_is_named_in_both_languages() {
        for kind in ["person", "organisation", "project", "partnership"] {
            for lang in Lang::ALL {
                assert!(lang.has(&format!("record-kind-{kind}")), "{kind} in {lang}");
            }
        }
    }
}
