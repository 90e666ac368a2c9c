//! What the forms that add and change records share: the form as a record's values; the
//! one way an edit is sent (with the version it was made from) and answered: saved,
//! refused with the fields named, or stale. The handlers every record's form is served
//! by are in `record_pages` (`form_routes`), those of entries corrected from a record's
//! page in `entry_pages` (`entry_routes`).

mod changes;
mod entry_pages;
mod record_pages;
mod similar;

pub use self::changes::Sent;
pub use self::entry_pages::{EntryPages, entry_routes};
pub use self::record_pages::{FormPages, form_routes};
pub use self::similar::Similar;

use axum::http::StatusCode;
use maillage_i18n::Lang;
use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::FormErrors;
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// A record's form: built from the record as core-records answers it, sent back as an
/// API body, and compared field by field with what is stored when it comes back stale.
pub trait RecordForm: Sized {
    /// The record as core-records answers it.
    type Stored: DeserializeOwned;

    /// The form filled with the stored record (dates in `member`'s tenant's zone), and
    /// the record's version.
    fn of(stored: Self::Stored, member: &Member) -> (Self, i64);

    /// What the API is sent, and the fields the form itself could not read (an amount, a
    /// date), left out of it: the API is then only asked what else it refuses, so that
    /// every refused field is reported at once.
    fn body(&self, member: &Member) -> (serde_json::Value, FormErrors);

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

    /// The form's fields and their labels, in the order the page shows them: the page
    /// and the banner that lists refused fields say the same.
    fn labels() -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    /// The label of `field` as the page shows it.
    fn label(&self, field: &str) -> &'static str {
        Self::labels()
            .into_iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, label)| label)
    }
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
    /// When adding: the records the new one may duplicate, named before it is added.
    pub similar: Vec<Similar>,
    /// When changing: the API body the form was filled from (JSON), sent back with it
    /// so that only what the person changed is sent (`changes`).
    pub base: Option<String>,
}

impl FormTarget {
    /// Adding to `collection`: back to its list. `heading` is the catalogue's id of the
    /// page's heading.
    pub fn adding(member: &Member, collection: &str, heading: &str) -> Self {
        Self {
            heading: member.lang().t(heading),
            back: format!("/t/{}/{collection}", member.tenant.slug),
            version: None,
            record: None,
            similar: Vec::new(),
            base: None,
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
            heading: format!("{} · {name}", member.lang().t(heading)),
            back: format!("/t/{}/{collection}/{id}", member.tenant.slug),
            version: None,
            record: None,
            similar: Vec::new(),
            base: None,
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
            heading: member
                .lang()
                .t_with("form-edit-heading", &[("name", name.into())]),
            back: format!("/t/{}/{collection}/{id}", member.tenant.slug),
            version: Some(version),
            record: Some(id),
            similar: Vec::new(),
            base: None,
        }
    }
}

/// How adding went.
pub enum Added {
    /// The new record's id.
    Saved(Uuid),
    /// Refused: the fields named.
    Refused(FormErrors),
}

/// Adds the record `form` describes to `collection`. `renames` maps API field names to
/// the form's where they differ; `attach` adds to the body what the page knows beside
/// the form (the record an activity is noted on).
pub async fn add<F: RecordForm>(
    state: &AppState,
    member: &Member,
    (collection, form): (&str, &F),
    renames: &[(&str, &str)],
    attach: impl FnOnce(&mut serde_json::Value),
) -> Result<Added, Error> {
    #[derive(Deserialize)]
    struct Created {
        id: Uuid,
    }
    let path = format!("/v1/{collection}");
    let (mut body, refused) = form.body(member);
    attach(&mut body);
    if refused.any() {
        let checked = state
            .core
            .check(member, Method::POST, &path, &body, None)
            .await?;
        let errors = refused.beside(checked, renames).labelled(F::labels());
        return Ok(Added::Refused(errors));
    }
    match state
        .core
        .send::<Created>(member, Method::POST, &path, &body, None)
        .await?
    {
        Ok(created) => Ok(Added::Saved(created.id)),
        Err(problem) if problem.status == 422 => Ok(Added::Refused(
            FormErrors::from_problem(problem, renames).labelled(F::labels()),
        )),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// How an edit went.
pub enum Edited {
    Saved,
    /// Refused (422, the fields named) or stale (409, the record changed meanwhile: the
    /// fields that differ show what is stored now); the form is shown again, answered
    /// with `status`, from `version` (and `base`, the body its next sending is told
    /// apart from).
    Refused {
        status: StatusCode,
        errors: FormErrors,
        version: i64,
        base: Option<serde_json::Value>,
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
/// `renames` maps API field names to the form's where they differ. A form that carries
/// its `base` sends only what the person changed, merged onto the record as it is now
/// (`changes::merge`); one without sends all its fields, from its version.
pub async fn save<F: RecordForm>(
    state: &AppState,
    member: &Member,
    (collection, id): (&str, Uuid),
    (form, base): (&F, Option<&serde_json::Value>),
    renames: &[(&str, &str)],
) -> Result<Edited, Error> {
    // A form that lost its version is as stale as can be: it is shown again from the
    // stored one.
    let version = form
        .version()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let path = format!("/v1/{collection}/{id}{}", form.edit_query());
    let (body, refused) = form.body(member);
    if refused.any() {
        let checked = state
            .core
            .check(member, Method::PATCH, &path, &body, Some(version))
            .await?;
        return Ok(Edited::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: refused.beside(checked, renames).labelled(F::labels()),
            version,
            base: base.cloned(),
        });
    }
    let Some(base) = base else {
        return send_whole(
            state,
            member,
            (collection, id),
            (form, body, version),
            renames,
        )
        .await;
    };
    // The record as it is now, read again if it changes between the reading and the
    // sending (a few times at most: then the person is shown what is stored).
    for _ in 0..MERGE_TRIES {
        let (stored, now_version) = stored_form::<F>(state, member, collection, id).await?;
        let now = stored.body(member).0;
        let merge = changes::merge(&body, base, &now);
        if !merge.conflicts.is_empty() {
            return Ok(Edited::Refused {
                status: StatusCode::CONFLICT,
                errors: conflicts(&stored, &merge, renames, member.lang()).labelled(F::labels()),
                version: now_version,
                base: Some(changes::rebased(&body, base, &now)),
            });
        }
        if merge.body.is_empty() {
            return Ok(Edited::Saved);
        }
        let sent = serde_json::Value::Object(merge.body);
        match state
            .core
            .send::<serde_json::Value>(member, Method::PATCH, &path, &sent, Some(now_version))
            .await?
        {
            Ok(_) => return Ok(Edited::Saved),
            Err(problem) if problem.status == 409 => continue,
            Err(problem) if problem.status == 422 => {
                return Ok(Edited::Refused {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    errors: FormErrors::from_problem(problem, renames).labelled(F::labels()),
                    version,
                    base: Some(base.clone()),
                });
            }
            Err(problem) => return Err(Error::Refused(problem)),
        }
    }
    let (stored, version) = stored_form::<F>(state, member, collection, id).await?;
    Ok(Edited::Refused {
        status: StatusCode::CONFLICT,
        errors: stale(form, &stored).labelled(F::labels()),
        base: Some(stored.body(member).0),
        version,
    })
}

/// Times the record is read again when it changes between reading and sending.
const MERGE_TRIES: usize = 3;

/// Sends the whole form from `version`: refused if the record changed since.
async fn send_whole<F: RecordForm>(
    state: &AppState,
    member: &Member,
    (collection, id): (&str, Uuid),
    (form, body, version): (&F, serde_json::Value, i64),
    renames: &[(&str, &str)],
) -> Result<Edited, Error> {
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
                errors: stale(form, &stored).labelled(F::labels()),
                version,
                base: None,
            })
        }
        Err(problem) if problem.status == 422 => Ok(Edited::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: FormErrors::from_problem(problem, renames).labelled(F::labels()),
            version,
            base: None,
        }),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// What to tell someone whose changes met a colleague's: each field both changed, with
/// the colleague's value beside theirs (in the field), and each field only the colleague
/// changed, kept.
fn conflicts(
    stored: &impl RecordForm,
    merge: &changes::Merge,
    renames: &[(&str, &str)],
    lang: Lang,
) -> FormErrors {
    let mut errors = FormErrors::summary("stale-summary");
    let form_field = |field: &str| -> String {
        renames
            .iter()
            .find(|(api, _)| *api == field)
            .map_or_else(|| field.to_owned(), |(_, form)| (*form).to_owned())
    };
    for theirs in &merge.conflicts {
        let field = form_field(&theirs.field);
        let value = stored.said(&field, &changes::said(&theirs.value));
        errors.insert(
            &field,
            if value.trim().is_empty() {
                lang.t("stale-emptied")
            } else {
                lang.t1("stale-theirs", "value", value.trim())
            },
        );
    }
    for theirs in &merge.kept {
        let field = form_field(&theirs.field);
        let value = stored.said(&field, &changes::said(&theirs.value));
        errors.insert(&field, lang.t1("stale-kept", "value", value.trim()));
    }
    errors
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
    /// The catalogue's ids of what will happen, and of the button that confirms.
    pub explanation: &'static str,
    pub confirm: &'static str,
    /// Where the confirmation is posted.
    pub action: String,
    pub version: i64,
    /// Where "no" leads.
    pub back: String,
}
