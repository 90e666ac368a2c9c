//! Mapping templates from the pages: an import's mapping saved under a name from its
//! page, offered to the next imports, listed with the imports and deleted there.

use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use maillage_domain::import::ImportTemplate;
use maillage_problem::Path;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::Choice;
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/imports/{id}/template", post(save))
        .route("/t/{slug}/import-templates/{id}/delete", post(delete))
}

#[derive(Deserialize)]
struct TemplateList {
    items: Vec<ImportTemplate>,
}

/// A template in the imports' page.
pub struct TemplateLine {
    pub name: String,
    /// Its columns, "Prénom → Personne : prénom" each.
    pub columns: String,
    pub delete_action: String,
}

async fn templates(state: &AppState, member: &Member) -> Result<Vec<ImportTemplate>, Error> {
    let list: TemplateList = state.core.get(member, "/v1/import-templates").await?;
    Ok(list.items)
}

pub async fn lines(state: &AppState, member: &Member) -> Result<Vec<TemplateLine>, Error> {
    let slug = &member.tenant.slug;
    Ok(templates(state, member)
        .await?
        .into_iter()
        .map(|t| TemplateLine {
            columns: t
                .columns
                .iter()
                .filter_map(|c| {
                    let field = super::imports::field_name(member.lang(), c.field?);
                    Some(format!("{} → {field}", c.header))
                })
                .collect::<Vec<_>>()
                .join(" · "),
            delete_action: format!("/t/{slug}/import-templates/{}/delete", t.id),
            name: t.name,
        })
        .collect())
}

/// The templates to apply to an import, by name.
pub async fn choices(state: &AppState, member: &Member) -> Result<Vec<Choice>, Error> {
    let options: Vec<(String, String)> = templates(state, member)
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), t.name))
        .collect();
    Ok(Choice::list(
        options
            .iter()
            .map(|(id, name)| (id.as_str(), name.as_str())),
        "",
    ))
}

#[derive(Deserialize)]
struct SaveForm {
    #[serde(default)]
    name: String,
}

async fn save(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<SaveForm>,
) -> Result<Response, Error> {
    let sent = state
        .core
        .send::<ImportTemplate>(
            &member,
            Method::POST,
            "/v1/import-templates",
            &json!({ "name": form.name, "import_id": id }),
            None,
        )
        .await?;
    match sent {
        Ok(_) => Ok(
            Redirect::to(&format!("/t/{}/imports/{id}#modele", member.tenant.slug)).into_response(),
        ),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

async fn delete(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let path = format!("/v1/import-templates/{id}");
    super::imports::delete_then_list(&state, &member, &path).await
}
