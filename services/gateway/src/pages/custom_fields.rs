//! The workspace's own fields on people and organisations: listed for every member,
//! added and removed by its admins (core-records checks the role).

use std::borrow::Borrow;

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maillage_domain::Role;
use maillage_i18n::Lang;
use maillage_problem::Path;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::record_parts::Listing;
use super::{Choice, FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/settings/fields", get(list).post(add))
        .route("/t/{slug}/settings/fields/{id}/delete", post(remove))
}

/// The records that take fields of their own, named in the catalogues
/// (`fields-record-…`).
const RECORD_TYPES: [&str; 2] = ["person", "organisation"];

/// The types of a field, named in the catalogues (`fields-type-…`).
const FIELD_TYPES: [&str; 4] = ["text", "number", "date", "choice"];

/// A field as the page lists it.
#[derive(Debug, Deserialize)]
struct FieldRow {
    id: Uuid,
    record_type: String,
    label: String,
    field_type: String,
    choices: Vec<String>,
    required: bool,
}

impl FieldRow {
    fn record_type_label(&self, lang: impl Borrow<Lang>) -> String {
        named(*lang.borrow(), "fields-record", &self.record_type)
    }

    /// "Choix dans une liste : Nord, Sud", in `lang`.
    fn kind(&self, lang: impl Borrow<Lang>) -> String {
        let lang = *lang.borrow();
        let kind = named(lang, "fields-type", &self.field_type);
        if self.choices.is_empty() {
            kind
        } else {
            lang.t_with(
                "fields-type-with-choices",
                &[
                    ("kind", kind.into()),
                    ("choices", self.choices.join(", ").into()),
                ],
            )
        }
    }
}

/// The catalogue's name of `value` in the list `prefix`; the value itself when it has none.
fn named(lang: Lang, prefix: &str, value: &str) -> String {
    let id = format!("{prefix}-{value}");
    if lang.has(&id) {
        lang.t(&id)
    } else {
        value.to_owned()
    }
}

/// The form to add one, as typed.
#[derive(Debug, Deserialize)]
struct FieldForm {
    #[serde(default)]
    record_type: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    field_type: String,
    /// Comma-separated, for a choice.
    #[serde(default)]
    choices: String,
    required: Option<String>,
}

impl Default for FieldForm {
    fn default() -> Self {
        Self {
            record_type: "person".into(),
            label: String::new(),
            field_type: "text".into(),
            choices: String::new(),
            required: None,
        }
    }
}

/// The name a field's value goes by in a record, from its label: "Quartier d'habitation"
/// → `quartier_d_habitation`.
fn key_of(label: &str) -> String {
    let mut key = String::new();
    for c in label.to_lowercase().chars() {
        let plain = match c {
            'à' | 'â' | 'ä' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' => "i",
            'ô' | 'ö' => "o",
            'ù' | 'û' | 'ü' => "u",
            'ç' => "c",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                key.push(c);
                continue;
            }
            _ => "_",
        };
        if plain != "_" || !key.ends_with('_') {
            key.push_str(plain);
        }
    }
    let key = key.trim_matches('_');
    let key = if key.starts_with(|c: char| c.is_ascii_lowercase()) {
        key.to_owned()
    } else {
        format!("champ_{key}")
    };
    key.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('_')
        .to_owned()
}

#[derive(Template)]
#[template(path = "custom_fields.html")]
struct FieldsPage {
    layout: Layout,
    is_admin: bool,
    fields: Vec<FieldRow>,
    record_types: Vec<Choice>,
    field_types: Vec<Choice>,
    form: FieldForm,
    errors: FormErrors,
}

impl FieldsPage {
    async fn new(
        state: &AppState,
        member: &Member,
        form: FieldForm,
        errors: FormErrors,
    ) -> Result<Self, Error> {
        let fields: Listing<FieldRow> = state.core.get(member, "/v1/custom-fields").await?;
        Ok(Self {
            layout: Layout::of(member, "fields"),
            is_admin: member.role >= Role::Admin,
            fields: fields.items,
            record_types: Choice::named(
                member.lang(),
                None,
                "fields-record",
                RECORD_TYPES,
                &form.record_type,
            ),
            field_types: Choice::named(
                member.lang(),
                None,
                "fields-type",
                FIELD_TYPES,
                &form.field_type,
            ),
            form,
            errors,
        })
    }
}

async fn list(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    let page =
        FieldsPage::new(&state, &member, FieldForm::default(), FormErrors::default()).await?;
    page_with_status(StatusCode::OK, &page)
}

async fn add(
    State(state): State<AppState>,
    member: Member,
    Form(form): Form<FieldForm>,
) -> Result<Response, Error> {
    let choices: Vec<&str> = form
        .choices
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let body = json!({
        "record_type": form.record_type,
        "key": key_of(&form.label),
        "label": form.label.trim(),
        "field_type": form.field_type,
        "choices": choices,
        "required": form.required.is_some(),
    });
    let errors = match state
        .core
        .send::<serde_json::Value>(&member, Method::POST, "/v1/custom-fields", &body, None)
        .await?
    {
        Ok(_) => {
            let back = format!("/t/{}/settings/fields", member.tenant.slug);
            return Ok(Redirect::to(&back).into_response());
        }
        Err(problem) if problem.status == 422 => {
            FormErrors::from_problem(problem, &[("key", "label")])
        }
        Err(problem) => return Err(Error::Refused(problem)),
    };
    let page = FieldsPage::new(&state, &member, form, errors).await?;
    page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn remove(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let path = format!("/v1/custom-fields/{id}");
    match state.core.delete(&member, &path, None).await? {
        Ok(()) => {
            let back = format!("/t/{}/settings/fields", member.tenant.slug);
            Ok(Redirect::to(&back).into_response())
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}

#[cfg(test)]
mod tests {
    use maillage_i18n::Lang;

    use super::key_of;

    #[test]
    fn every_record_and_field_type_is_named_in_both_languages() {
        let ids = super::RECORD_TYPES
            .iter()
            .map(|t| format!("fields-record-{t}"))
            .chain(
                super::FIELD_TYPES
                    .iter()
                    .map(|t| format!("fields-type-{t}")),
            );
        for id in ids {
            for lang in Lang::ALL {
                assert!(lang.has(&id), "{id} ({lang})");
            }
        }
    }

    #[test]
    fn a_fields_key_comes_from_its_label() {
        assert_eq!(key_of("Quartier d'habitation"), "quartier_d_habitation");
        assert_eq!(
            key_of("Nombre d'enfants (à charge)"),
            "nombre_d_enfants_a_charge"
        );
        assert_eq!(key_of("2e adresse"), "champ_2e_adresse");
        assert_eq!(key_of("Œuvre préférée"), "oeuvre_preferee");
    }
}
