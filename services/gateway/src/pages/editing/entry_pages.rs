//! The correction and deletion pages of an entry (an activity, an engagement) reached
//! from a record's page, and back to it.

use std::future::Future;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use maillage_i18n::Lang;
use maillage_problem::Path;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{ConfirmDelete, Edited, FormTarget, RecordForm, save, stored_form};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::pages::{FormErrors, page, page_with_status};
use crate::state::AppState;

/// An entry that belongs to records (an activity, an engagement), corrected from its form
/// and deleted once confirmed, from the page of a record it belongs to, where it leads
/// back: served by `entry_routes` at `/t/{slug}/{collection}/{id}/edit?back=…` and
/// `…/delete`.
pub trait EntryPages: RecordForm + DeserializeOwned + Send + Sync + 'static {
    /// The collection, in web and API paths alike.
    const COLLECTION: &'static str;
    /// The catalogue's id of the heading of the page that corrects one.
    const CORRECTING: &'static str;
    /// Where the record's page shows it: the anchor gone back to.
    const ANCHOR: &'static str;
    /// What deleting one does, said before it is confirmed.
    const DELETING: &'static str;
    /// API field names and the form's, where they differ.
    const RENAMES: &'static [(&'static str, &'static str)] = &[];

    type Page: Template + Send;

    /// The page to go back to, as the form sent it back.
    fn back(&self) -> Option<&str>;

    /// The question asked before deleting the stored entry, in `lang`: "Supprimer
    /// « Réunion » ?".
    fn delete_question(stored: &Self::Stored, lang: Lang) -> String;

    /// The page showing the form.
    fn page(
        state: &AppState,
        member: &Member,
        target: FormTarget,
        form: Self,
        errors: FormErrors,
    ) -> impl Future<Output = Result<Self::Page, Error>> + Send;
}

/// The correction and deletion pages of `F`'s entries.
pub fn entry_routes<F: EntryPages>() -> Router<AppState> {
    Router::new()
        .route(
            &format!("/t/{{slug}}/{}/{{id}}/edit", F::COLLECTION),
            get(correct_form::<F>).post(correct::<F>),
        )
        .route(
            &format!("/t/{{slug}}/{}/{{id}}/delete", F::COLLECTION),
            axum::routing::post(delete_entry::<F>),
        )
}

/// Correcting the entry `id` from `version`, then back to `back`.
fn correcting<F: EntryPages>(member: &Member, id: Uuid, back: String, version: i64) -> FormTarget {
    FormTarget {
        heading: member.lang().t(F::CORRECTING),
        back,
        version: Some(version),
        record: Some(id),
        similar: Vec::new(),
        base: None,
    }
}

#[derive(Debug, Deserialize)]
struct BackQuery {
    back: Option<String>,
}

async fn correct_form<F: EntryPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    axum::extract::Query(query): axum::extract::Query<BackQuery>,
) -> Result<Response, Error> {
    let (form, version) = stored_form::<F>(&state, &member, F::COLLECTION, id).await?;
    let back = crate::pages::back_in_workspace(&member, query.back.as_deref());
    let target = correcting::<F>(&member, id, back, version);
    page(&F::page(&state, &member, target, form, FormErrors::default()).await?)
}

async fn correct<F: EntryPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<F>,
) -> Result<Response, Error> {
    let back = crate::pages::back_in_workspace(&member, form.back());
    match save(
        &state,
        &member,
        (F::COLLECTION, id),
        (&form, None),
        F::RENAMES,
    )
    .await?
    {
        Edited::Saved => Ok(Redirect::to(&format!("{back}#{}", F::ANCHOR)).into_response()),
        Edited::Refused {
            status,
            errors,
            version,
            ..
        } => {
            let target = correcting::<F>(&member, id, back, version);
            page_with_status(
                status,
                &F::page(&state, &member, target, form, errors).await?,
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    version: i64,
    back: Option<String>,
    /// Set once the person confirmed.
    confirmed: Option<String>,
}

/// Deleting is for good: the first press asks to confirm, the second deletes.
async fn delete_entry<F: EntryPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, Error> {
    let back = crate::pages::back_in_workspace(&member, form.back.as_deref());
    let path = format!("/v1/{}/{id}", F::COLLECTION);
    if form.confirmed.is_none() {
        let stored: F::Stored = state.core.get(&member, &path).await?;
        return page(&ConfirmDelete {
            layout: crate::pages::Layout::of(&member, "home"),
            heading: F::delete_question(&stored, member.lang()),
            explanation: F::DELETING,
            confirm: "confirm-delete-yes",
            action: format!("/t/{}/{}/{id}/delete", member.tenant.slug, F::COLLECTION),
            version: form.version,
            back,
        });
    }
    match state
        .core
        .delete(&member, &path, Some(form.version))
        .await?
    {
        Ok(()) => Ok(Redirect::to(&format!("{back}#{}", F::ANCHOR)).into_response()),
        Err(problem) => Err(Error::Refused(problem)),
    }
}
