//! The add and edit pages of a record (`/t/{slug}/{collection}/new` and `…/{id}/edit`).

use std::future::Future;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use maillage_problem::{Path, Query};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::similar::{AddOptions, similar};
use super::{Added, Edited, FormTarget, RecordForm, Sent, add, save, stored_form};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::pages::{FormErrors, page, page_with_status};
use crate::state::AppState;

/// A record whose form adds it and changes it, on pages served by `form_routes`:
/// `/t/{slug}/{collection}/new` and `/t/{slug}/{collection}/{id}/edit`.
pub trait FormPages: RecordForm + Default + DeserializeOwned + Send + Sync + 'static {
    /// The collection, in web and API paths alike.
    const COLLECTION: &'static str;
    /// The catalogue's id of the heading of the page that adds one.
    const ADDING: &'static str;
    /// API field names and the form's, where they differ.
    const RENAMES: &'static [(&'static str, &'static str)] = &[];

    type Page: Template + Send;

    /// What the heading of the page that changes it calls the record.
    fn name(&self) -> String;

    /// The page showing the form, to add (`target.record` is none) or to change.
    fn page(
        state: &AppState,
        member: &Member,
        target: FormTarget,
        form: Self,
        errors: FormErrors,
    ) -> impl Future<Output = Result<Self::Page, Error>> + Send;

    /// Where adding one leads: its page.
    fn added(member: &Member, id: Uuid) -> String {
        format!("/t/{}/{}/{id}", member.tenant.slug, Self::COLLECTION)
    }

    /// Where core-records finds the records a new one may duplicate
    /// (`/v1/people/similar?…`); none for records that are not mergeable.
    fn similar_lookup(&self) -> Option<String> {
        None
    }
}

/// The add and edit pages of `F`'s records.
pub fn form_routes<F: FormPages>() -> Router<AppState> {
    Router::new()
        .route(
            &format!("/t/{{slug}}/{}/new", F::COLLECTION),
            get(new_form::<F>).post(create::<F>),
        )
        .route(
            &format!("/t/{{slug}}/{}/{{id}}/edit", F::COLLECTION),
            get(edit_form::<F>).post(update::<F>),
        )
}

async fn new_form<F: FormPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
) -> Result<Response, Error> {
    let target = FormTarget::adding(&member, F::COLLECTION, F::ADDING);
    page(&F::page(&state, &member, target, F::default(), FormErrors::default()).await?)
}

/// Adds the record, once the records it may duplicate were shown and answered: opened
/// (a link), merged into (added, then the merge to confirm) or added anyway.
async fn create<F: FormPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Query(options): Query<AddOptions>,
    Form(form): Form<F>,
) -> Result<Response, Error> {
    if !options.answered()
        && let Some(lookup) = form.similar_lookup()
    {
        let found = similar(&state, &member, &lookup).await?;
        if !found.is_empty() {
            let mut target = FormTarget::adding(&member, F::COLLECTION, F::ADDING);
            target.similar = found;
            let page = F::page(&state, &member, target, form, FormErrors::default()).await?;
            return page_with_status(StatusCode::CONFLICT, &page);
        }
    }
    match add(&state, &member, (F::COLLECTION, &form), F::RENAMES, |_| {}).await? {
        Added::Saved(id) => Ok(Redirect::to(&match options.merge_into {
            Some(kept) => format!(
                "/t/{}/{}/{kept}/merge?duplicate_id={id}",
                member.tenant.slug,
                F::COLLECTION
            ),
            None => F::added(&member, id),
        })
        .into_response()),
        Added::Refused(errors) => {
            let target = FormTarget::adding(&member, F::COLLECTION, F::ADDING);
            let page = F::page(&state, &member, target, form, errors).await?;
            page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

async fn edit_form<F: FormPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let (form, version) = stored_form::<F>(&state, &member, F::COLLECTION, id).await?;
    let mut target = FormTarget::editing(&member, (F::COLLECTION, id), version, &form.name());
    target.base = Some(form.body(&member).0.to_string());
    page(&F::page(&state, &member, target, form, FormErrors::default()).await?)
}

async fn update<F: FormPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Sent { form, base }: Sent<F>,
) -> Result<Response, Error> {
    let record = (F::COLLECTION, id);
    match save(&state, &member, record, (&form, base.as_ref()), F::RENAMES).await? {
        Edited::Saved => {
            let page = format!("/t/{}/{}/{id}", member.tenant.slug, F::COLLECTION);
            Ok(Redirect::to(&page).into_response())
        }
        Edited::Refused {
            status,
            errors,
            version,
            base,
        } => {
            let mut target = FormTarget::editing(&member, record, version, &form.name());
            target.base = base.map(|base| base.to_string());
            page_with_status(
                status,
                &F::page(&state, &member, target, form, errors).await?,
            )
        }
    }
}
