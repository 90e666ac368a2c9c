//! The columns of a list: those a list offers beside the record's name, the ones each
//! member chose (kept in `list_columns`), and those a link names (`column=email`), which
//! a shared or saved view carries.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{ListSpec, back_to_list};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// A column a list offers beside the record's name.
#[derive(Debug)]
pub struct Column {
    /// What the template shows in it, and what links call it.
    pub id: &'static str,
    /// The catalogue's name of its header.
    pub message: &'static str,
    /// Shown to a member who has not chosen.
    pub shown_by_default: bool,
}

impl ListSpec {
    /// The columns named by `ids`, in the list's order; unknown ones left out (a link
    /// from an older version).
    pub fn columns_named<'a>(
        &'static self,
        ids: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Vec<&'static Column> {
        self.columns
            .iter()
            .filter(|column| ids.clone().into_iter().any(|id| id == column.id))
            .collect()
    }

    pub fn default_columns(&'static self) -> Vec<&'static Column> {
        self.columns.iter().filter(|c| c.shown_by_default).collect()
    }
}

/// The columns `member` chose for the list, if they did.
pub async fn chosen(
    state: &AppState,
    member: &Member,
    spec: &'static ListSpec,
) -> Result<Option<Vec<&'static Column>>, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    let stored = sqlx::query_scalar!(
        "select columns from list_columns where tenant_id = $1 and user_id = $2 and collection = $3",
        member.tenant.id,
        member.user.id,
        spec.collection,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(stored.map(|ids| spec.columns_named(ids.iter().map(String::as_str))))
}

/// The column chooser, as sent.
#[derive(Debug, Default, Deserialize)]
pub struct ColumnsForm {
    #[serde(default)]
    column: Vec<String>,
    /// The list's address when the chooser was sent (filters, order), to go back to.
    #[serde(default)]
    back: String,
}

/// Keeps the columns a member ticked as theirs for this list (any member: it changes
/// nothing of the workspace's), then shows the list again.
pub async fn choose(
    spec: &'static ListSpec,
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<ColumnsForm>,
) -> Result<Response, Error> {
    let ids: Vec<String> = spec
        .columns_named(form.column.iter().map(String::as_str))
        .iter()
        .map(|column| column.id.to_owned())
        .collect();
    let mut tx = maillage_db::begin_tenant(&state.pool, member.tenant.id).await?;
    sqlx::query!(
        r#"insert into list_columns (tenant_id, user_id, collection, columns)
           values ($1, $2, $3, $4)
           on conflict (tenant_id, user_id, collection)
           do update set columns = excluded.columns, updated_at = now()"#,
        member.tenant.id,
        member.user.id,
        spec.collection,
        &ids,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&back_to_list(&member, spec, &form.back, false, &[])).into_response())
}
