//! Actions on the records ticked in a list: tag them, give them to a member, move them
//! to the bin. Each record is changed through core-records as one edit would be
//! (checked, audited); the page then says how many were changed and how many could not
//! be (a record a colleague binned meanwhile).

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use maillage_i18n::Lang;
use maillage_problem::Problem;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::{ListSpec, back_to_list};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// The most records one action changes: a page of the list and more.
const MOST_RECORDS: usize = 200;

/// A bulk action, as sent.
#[derive(Debug, Default, Deserialize)]
pub struct BulkForm {
    /// The records ticked.
    #[serde(default)]
    id: Vec<String>,
    /// `tag`, `assign` or `bin`.
    #[serde(default)]
    action: String,
    /// The tag to add (an existing one or a new name).
    #[serde(default)]
    tag: String,
    /// The member to give the records to.
    #[serde(default)]
    owner: String,
    /// The list's query string, to go back to.
    #[serde(default)]
    back: String,
}

/// What a bulk action does to one record.
enum Action {
    Tag(String),
    Assign(Uuid),
    Bin,
}

impl Action {
    /// The name a page's address gives it, once done.
    fn done(&self) -> &'static str {
        match self {
            Self::Tag(_) => "tagged",
            Self::Assign(_) => "assigned",
            Self::Bin => "binned",
        }
    }
}

/// The version of a record, to change it from.
#[derive(Debug, Deserialize)]
struct Versioned {
    version: i64,
}

#[derive(Debug, Deserialize)]
struct RecordTags {
    tags: Vec<String>,
}

pub async fn apply(
    spec: &'static ListSpec,
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<BulkForm>,
) -> Result<Response, Error> {
    if !member.role.can_edit_records() {
        return Err(Error::ReadOnly);
    }
    let lang = member.lang();
    let ids = form
        .id
        .iter()
        .map(|id| id.parse::<Uuid>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| refused(lang, "list-bulk-unknown-record"))?;
    if ids.is_empty() {
        return Err(refused(lang, "list-bulk-none-ticked"));
    }
    if ids.len() > MOST_RECORDS {
        return Err(refused(lang, "list-bulk-too-many"));
    }
    let action = match form.action.as_str() {
        "tag" if spec.tags => {
            let tag = form.tag.trim();
            if tag.is_empty() || tag.chars().count() > 100 || tag.contains('\0') {
                return Err(refused(lang, "list-bulk-tag-refused"));
            }
            Action::Tag(tag.to_owned())
        }
        "assign" if spec.assign.is_some() => {
            let owner = form
                .owner
                .parse::<Uuid>()
                .ok()
                .ok_or_else(|| refused(lang, "list-bulk-owner-refused"))?;
            let members = crate::members::names(&state, member.tenant.id).await?;
            if !members.iter().any(|(id, _)| *id == owner) {
                return Err(refused(lang, "list-bulk-owner-refused"));
            }
            Action::Assign(owner)
        }
        "bin" => Action::Bin,
        _ => return Err(refused(lang, "list-bulk-action-refused")),
    };
    let (mut changed, mut failed) = (0_usize, 0_usize);
    for id in ids {
        match apply_to(&state, &member, spec, &action, id).await {
            Ok(true) => changed += 1,
            Ok(false) => failed += 1,
            // A record gone (binned by a colleague, another workspace's id) is not changed.
            Err(Error::NotFound) => failed += 1,
            Err(other) => return Err(other),
        }
    }
    tracing::info!(
        user_id = %member.user.id,
        collection = spec.collection,
        action = action.done(),
        changed,
        failed,
        "bulk action"
    );
    let (changed, failed) = (changed.to_string(), failed.to_string());
    let address = back_to_list(
        &member,
        spec,
        &form.back,
        true,
        &[
            ("done", action.done()),
            ("changed", &changed),
            ("failed", &failed),
        ],
    );
    Ok(Redirect::to(&address).into_response())
}

/// Applies `action` to one record: whether core-records took it.
async fn apply_to(
    state: &AppState,
    member: &Member,
    spec: &ListSpec,
    action: &Action,
    id: Uuid,
) -> Result<bool, Error> {
    let record = format!("/v1/{}/{id}", spec.collection);
    let outcome = match action {
        Action::Tag(tag) => {
            let path = format!("{record}/tags");
            let RecordTags { mut tags } = state.core.get(member, &path).await?;
            if tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                return Ok(true);
            }
            tags.push(tag.clone());
            state
                .core
                .send::<serde_json::Value>(
                    member,
                    Method::PUT,
                    &path,
                    &json!({ "tags": tags }),
                    None,
                )
                .await?
                .map(|_| ())
        }
        Action::Assign(owner) => {
            let field = spec.assign.unwrap_or("owner_user_id");
            let Versioned { version } = state.core.get(member, &record).await?;
            state
                .core
                .send::<serde_json::Value>(
                    member,
                    Method::PATCH,
                    &record,
                    &json!({ field: owner }),
                    Some(version),
                )
                .await?
                .map(|_| ())
        }
        Action::Bin => {
            let Versioned { version } = state.core.get(member, &record).await?;
            state.core.delete(member, &record, Some(version)).await?
        }
    };
    Ok(outcome.is_ok())
}

/// What the page says after a bulk action or a view saved or deleted, from its address.
pub fn said(
    lang: Lang,
    done: Option<&str>,
    changed: Option<&str>,
    failed: Option<&str>,
) -> Option<String> {
    let count = |n: Option<&str>| n.and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
    let (changed, failed) = (count(changed), count(failed));
    let message = match done? {
        "tagged" => "list-bulk-tagged",
        "assigned" => "list-bulk-assigned",
        "binned" => "list-bulk-binned",
        "view-saved" => return Some(lang.t("list-view-saved")),
        "view-deleted" => return Some(lang.t("list-view-deleted")),
        _ => return None,
    };
    let mut said = lang.t_with(message, &[("count", changed.into())]);
    if failed > 0 {
        said.push(' ');
        said.push_str(&lang.t_with("list-bulk-failed", &[("count", failed.into())]));
    }
    Some(said)
}

fn refused(lang: Lang, message: &str) -> Error {
    Error::Refused(
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-bulk-action",
            lang.t("list-bulk-refused"),
        )
        .with_detail(lang.t(message))
        .in_language(lang.code()),
    )
}
