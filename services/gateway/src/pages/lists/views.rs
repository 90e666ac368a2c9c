//! Saved views: a list's filters, order and columns kept under a name, by a member for
//! themselves or, by an editor, for the whole workspace. A view is a list's address: it
//! opens as a link, and a link opens the same list for a colleague.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use maillage_problem::{Path, Problem};
use serde::Deserialize;
use uuid::Uuid;

use super::{ListSpec, back_to_list};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// The longest name of a view, in characters.
const NAME_LENGTH: usize = 80;

/// A view saved for a list.
#[derive(Debug)]
pub struct SavedView {
    pub id: Uuid,
    pub name: String,
    /// The list's query string.
    pub query: String,
    /// Offered to every member.
    pub shared: bool,
    /// Saved by the reader, who may delete it.
    pub own: bool,
}

/// The views of the list `member` may open: their own and the shared ones, by name.
pub async fn for_list(
    state: &AppState,
    member: &Member,
    spec: &ListSpec,
) -> Result<Vec<SavedView>, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let views = sqlx::query!(
        r#"select id, name, query, shared, user_id = $2 as "own!"
           from saved_views
           where tenant_id = $1 and collection = $3 and (user_id = $2 or shared)
           order by lower(name), id"#,
        member.tenant.id,
        member.user.id,
        spec.collection,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(views
        .into_iter()
        .map(|v| SavedView {
            id: v.id,
            name: v.name,
            query: v.query,
            shared: v.shared,
            own: v.own,
        })
        .collect())
}

/// A view to save, as sent.
#[derive(Debug, Default, Deserialize)]
pub struct ViewForm {
    #[serde(default)]
    name: String,
    /// The checkbox: sent when ticked.
    shared: Option<String>,
    /// The list's query string, as the page showed it.
    #[serde(default)]
    query: String,
}

/// Saves the list as shown under a name (the member's view of that name replaced), then
/// opens it.
pub async fn save(
    spec: &'static ListSpec,
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<ViewForm>,
) -> Result<Response, Error> {
    let lang = member.lang();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > NAME_LENGTH || name.contains('\0') {
        return Err(refused(
            lang.t_with("list-view-name-refused", &[("max", NAME_LENGTH.into())]),
        ));
    }
    let shared = form.shared.is_some();
    if shared && !member.role.can_edit_records() {
        return Err(Error::ReadOnly);
    }
    // Only what a list's address may hold, in its own encoding: the view opens as a link.
    let address = back_to_list(&member, spec, &form.query, true, &[]);
    let query = address.split_once('?').map_or("", |(_, q)| q).to_owned();
    if query.len() > 2000 {
        return Err(refused(lang.t("list-view-too-long")));
    }
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    sqlx::query!(
        r#"insert into saved_views (tenant_id, id, user_id, collection, name, query, shared)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (tenant_id, user_id, collection, lower(name))
           do update set name = excluded.name, query = excluded.query, shared = excluded.shared"#,
        member.tenant.id,
        Uuid::now_v7(),
        member.user.id,
        spec.collection,
        name,
        query,
        shared,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %member.user.id, collection = spec.collection, shared, "view saved");
    Ok(Redirect::to(&back_to_list(
        &member,
        spec,
        &query,
        true,
        &[("done", "view-saved")],
    ))
    .into_response())
}

/// Deletes a view: the member's own, or a shared one when they are an admin.
pub async fn delete(
    spec: &'static ListSpec,
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let deleted = sqlx::query!(
        r#"delete from saved_views
           where tenant_id = $1 and id = $2 and collection = $3
             and (user_id = $4 or (shared and $5))"#,
        member.tenant.id,
        id,
        spec.collection,
        member.user.id,
        member.role >= maillage_domain::Role::Admin,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    if deleted == 0 {
        return Err(Error::NotFound);
    }
    Ok(Redirect::to(&back_to_list(
        &member,
        spec,
        "",
        false,
        &[("done", "view-deleted")],
    ))
    .into_response())
}

fn refused(detail: String) -> Error {
    Error::Refused(
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-view",
            "Cette vue ne peut pas être enregistrée.",
        )
        .with_detail(detail),
    )
}
