//! What the forms that add and change records share: the form as a record's values; the
//! one way an edit is sent (with the version it was made from) and answered: saved,
//! refused with the fields named, or stale; and the four handlers every record's form
//! is served by (`form_routes`).

use maillage_problem::Path;
use std::future::Future;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{FormErrors, page, page_with_status};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

/// A record's form: built from the record as core-records answers it, sent back as an
/// API body, and compared field by field with what is stored when it comes back stale.
pub trait RecordForm: Sized {
    /// The record as core-records answers it.
    type Stored: DeserializeOwned;

    /// The form filled with the stored record (dates in `member`'s tenant's zone), and
    /// the record's version.
    fn of(stored: Self::Stored, member: &Member) -> (Self, i64);

    /// What the API is sent, or the fields the form itself cannot read (an amount, a
    /// date) before the API is asked.
    fn body(&self, member: &Member) -> Result<serde_json::Value, FormErrors>;

    /// Added to the path of an edit: an option the form chose (`?scope=following`).
    fn edit_query(&self) -> &'static str {
        ""
    }

    /// The form's values by field, as they show in it.
    fn values(&self) -> Vec<(&'static str, String)>;

    /// How a stored value reads where a stale form says what is stored: the value itself,
    /// unless it is made of ids.
    fn said(&self, _field: &str, value: &str) -> String {
        value.to_owned()
    }

    /// The version an edit was made from, as the form sent it back.
    fn version(&self) -> Option<&str>;
}

/// Who a form is for: a record to add to a collection, or one to change.
pub struct FormTarget {
    /// "Ajouter une personne", "Modifier « Noël Girard »"…
    pub heading: String,
    /// Where "Annuler" leads: the list, or the record's page.
    pub back: String,
    /// The version the edit is made from; none when adding.
    pub version: Option<i64>,
    /// The record changed; none when adding.
    pub record: Option<Uuid>,
}

impl FormTarget {
    /// Adding to `collection`: back to its list.
    pub fn adding(member: &Member, collection: &str, heading: &str) -> Self {
        Self {
            heading: heading.into(),
            back: format!("/t/{}/{collection}", member.tenant.slug),
            version: None,
            record: None,
        }
    }

    /// Adding something (an activity, an engagement) to the record `collection/id` named
    /// `name`: "Noter une activité · Noël Girard", back to its page.
    pub fn adding_to(
        member: &Member,
        (collection, id): (&str, Uuid),
        heading: &str,
        name: &str,
    ) -> Self {
        Self {
            heading: format!("{heading} · {name}"),
            back: format!("/t/{}/{collection}/{id}", member.tenant.slug),
            version: None,
            record: None,
        }
    }

    /// Changing the record `collection/id` named `name`, from `version`: back to its page.
    pub fn editing(
        member: &Member,
        (collection, id): (&str, Uuid),
        version: i64,
        name: &str,
    ) -> Self {
        Self {
            heading: format!("Modifier « {name} »"),
            back: format!("/t/{}/{collection}/{id}", member.tenant.slug),
            version: Some(version),
            record: Some(id),
        }
    }
}

/// How adding went.
enum Added {
    /// The new record's id.
    Saved(Uuid),
    /// Refused: the fields named.
    Refused(FormErrors),
}

/// Adds the record `form` describes to `collection`. `renames` maps API field names to
/// the form's where they differ.
async fn add<F: RecordForm>(
    state: &AppState,
    member: &Member,
    collection: &str,
    form: &F,
    renames: &[(&str, &str)],
) -> Result<Added, Error> {
    #[derive(Deserialize)]
    struct Created {
        id: Uuid,
    }
    let body = match form.body(member) {
        Ok(body) => body,
        Err(errors) => return Ok(Added::Refused(errors)),
    };
    let path = format!("/v1/{collection}");
    match state
        .core
        .send::<Created>(member, Method::POST, &path, &body, None)
        .await?
    {
        Ok(created) => Ok(Added::Saved(created.id)),
        Err(problem) if problem.status == 422 => {
            Ok(Added::Refused(FormErrors::from_problem(problem, renames)))
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// How an edit went.
pub enum Edited {
    Saved,
    /// Refused (422, the fields named) or stale (409, the record changed meanwhile: the
    /// fields that differ show what is stored now); the form is shown again, answered
    /// with `status`, from `version`.
    Refused {
        status: StatusCode,
        errors: FormErrors,
        version: i64,
    },
}

/// The record `collection/id`, read to fill its edit form.
pub async fn stored_form<F: RecordForm>(
    state: &AppState,
    member: &Member,
    collection: &str,
    id: Uuid,
) -> Result<(F, i64), Error> {
    let stored: F::Stored = state
        .core
        .get(member, &format!("/v1/{collection}/{id}"))
        .await?;
    Ok(F::of(stored, member))
}

/// Sends `form`, typed from the version it carries, to the record `collection/id`.
/// `renames` maps API field names to the form's where they differ.
pub async fn save<F: RecordForm>(
    state: &AppState,
    member: &Member,
    (collection, id): (&str, Uuid),
    form: &F,
    renames: &[(&str, &str)],
) -> Result<Edited, Error> {
    // A form that lost its version is as stale as can be: it is shown again from the
    // stored one.
    let version = form
        .version()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let body = match form.body(member) {
        Ok(body) => body,
        Err(errors) => {
            return Ok(Edited::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                version,
            });
        }
    };
    let path = format!("/v1/{collection}/{id}{}", form.edit_query());
    let outcome = state
        .core
        .send::<serde_json::Value>(member, Method::PATCH, &path, &body, Some(version))
        .await?;
    match outcome {
        Ok(_) => Ok(Edited::Saved),
        Err(problem) if problem.status == 409 => {
            let (stored, version) = stored_form::<F>(state, member, collection, id).await?;
            Ok(Edited::Refused {
                status: StatusCode::CONFLICT,
                errors: stale(form, &stored),
                version,
            })
        }
        Err(problem) if problem.status == 422 => Ok(Edited::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: FormErrors::from_problem(problem, renames),
            version,
        }),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// What to tell someone whose form was made from a version changed since: which fields
/// hold something else now, and what. Sending the form again keeps what they typed.
fn stale(typed: &impl RecordForm, stored: &impl RecordForm) -> FormErrors {
    let stored_values = stored.values();
    let mut errors = FormErrors::summary(
        "Quelqu'un a modifié cette fiche pendant que vous la modifiiez. Les champs signalés \
         contiennent maintenant autre chose ; vérifiez-les, puis enregistrez à nouveau pour \
         garder ce que vous avez saisi.",
    );
    for (field, value) in typed.values() {
        let now = stored_values
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, v)| v.as_str());
        if now.trim() != value.trim() {
            let now = stored.said(field, now);
            let said = if now.trim().is_empty() {
                "actuellement enregistré : rien".to_owned()
            } else {
                format!("actuellement enregistré : « {} »", now.trim())
            };
            errors.insert(field, said);
        }
    }
    errors
}

/// A blank form value is no value.
pub fn blank_is_none(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

/// The page that asks before deleting: what will happen, and the two ways out.
#[derive(askama::Template)]
#[template(path = "confirm_delete.html")]
pub struct ConfirmDelete {
    pub layout: super::Layout,
    pub heading: String,
    pub explanation: &'static str,
    /// The button that confirms.
    pub confirm: &'static str,
    /// Where the confirmation is posted.
    pub action: String,
    pub version: i64,
    /// Where "no" leads.
    pub back: String,
}

/// A record whose form adds it and changes it, on pages served by `form_routes`:
/// `/t/{slug}/{collection}/new` and `/t/{slug}/{collection}/{id}/edit`.
pub trait FormPages: RecordForm + Default + DeserializeOwned + Send + Sync + 'static {
    /// The collection, in web and API paths alike.
    const COLLECTION: &'static str;
    /// The heading of the page that adds one.
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

async fn create<F: FormPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Form(form): Form<F>,
) -> Result<Response, Error> {
    match add(&state, &member, F::COLLECTION, &form, F::RENAMES).await? {
        Added::Saved(id) => Ok(Redirect::to(&F::added(&member, id)).into_response()),
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
    let target = FormTarget::editing(&member, (F::COLLECTION, id), version, &form.name());
    page(&F::page(&state, &member, target, form, FormErrors::default()).await?)
}

async fn update<F: FormPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<F>,
) -> Result<Response, Error> {
    let record = (F::COLLECTION, id);
    match save(&state, &member, record, &form, F::RENAMES).await? {
        Edited::Saved => {
            let page = format!("/t/{}/{}/{id}", member.tenant.slug, F::COLLECTION);
            Ok(Redirect::to(&page).into_response())
        }
        Edited::Refused {
            status,
            errors,
            version,
        } => {
            let target = FormTarget::editing(&member, record, version, &form.name());
            page_with_status(
                status,
                &F::page(&state, &member, target, form, errors).await?,
            )
        }
    }
}

/// An entry that belongs to records (an activity, an engagement), corrected from its form
/// and deleted once confirmed, from the page of a record it belongs to, where it leads
/// back: served by `entry_routes` at `/t/{slug}/{collection}/{id}/edit?back=…` and
/// `…/delete`.
pub trait EntryPages: RecordForm + DeserializeOwned + Send + Sync + 'static {
    /// The collection, in web and API paths alike.
    const COLLECTION: &'static str;
    /// The heading of the page that corrects one.
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

    /// The question asked before deleting the stored entry: "Supprimer « Réunion » ?".
    fn delete_question(stored: &Self::Stored) -> String;

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
fn correcting<F: EntryPages>(id: Uuid, back: String, version: i64) -> FormTarget {
    FormTarget {
        heading: F::CORRECTING.into(),
        back,
        version: Some(version),
        record: Some(id),
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
    let back = super::back_in_workspace(&member, query.back.as_deref());
    let target = correcting::<F>(id, back, version);
    page(&F::page(&state, &member, target, form, FormErrors::default()).await?)
}

async fn correct<F: EntryPages>(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<F>,
) -> Result<Response, Error> {
    let back = super::back_in_workspace(&member, form.back());
    match save(&state, &member, (F::COLLECTION, id), &form, F::RENAMES).await? {
        Edited::Saved => Ok(Redirect::to(&format!("{back}#{}", F::ANCHOR)).into_response()),
        Edited::Refused {
            status,
            errors,
            version,
        } => {
            let target = correcting::<F>(id, back, version);
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
    let back = super::back_in_workspace(&member, form.back.as_deref());
    let path = format!("/v1/{}/{id}", F::COLLECTION);
    if form.confirmed.is_none() {
        let stored: F::Stored = state.core.get(&member, &path).await?;
        return page(&ConfirmDelete {
            layout: super::Layout::of(&member, "home"),
            heading: F::delete_question(&stored),
            explanation: F::DELETING,
            confirm: "Oui, supprimer",
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
