//! A project's partners from its page: an organisation named as typed, or a whole
//! partnership, added with its role; any of them taken off. The project's partner list
//! is changed as a whole, from the version the page showed.

use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use maillage_i18n::Lang;
use maillage_problem::{Path, Problem};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::record_parts::Listing;
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/projects/{id}/partners", post(add))
        .route("/t/{slug}/projects/{id}/partners/remove", post(remove))
}

/// One partner as core-records reads and writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Partner {
    organisation_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
    role: String,
}

#[derive(Debug, Deserialize)]
struct ProjectPartners {
    partners: Vec<Partner>,
}

#[derive(Debug, Deserialize)]
struct Found {
    id: Uuid,
}

/// A partner to add: an organisation by name, or a partnership chosen from a list.
#[derive(Debug, Deserialize)]
struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    partnership_id: String,
    #[serde(default)]
    role: String,
    version: i64,
}

/// A refusal said on a page; nothing changes.
/// A partner that cannot be added, said in `lang`.
fn refused(lang: Lang, id: &str, name: &str) -> Error {
    Error::Refused(
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            lang.t1(id, "name", name),
        )
        .in_language(lang.code()),
    )
}

async fn add(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<AddForm>,
) -> Result<Response, Error> {
    let name = form.name.trim();
    let partner = if !form.partnership_id.trim().is_empty() {
        let partnership_id = form
            .partnership_id
            .trim()
            .parse()
            .map_err(|_| refused(member.lang(), "project-partner-no-partnership", ""))?;
        Partner {
            organisation_id: None,
            partnership_id: Some(partnership_id),
            role: form.role.trim().to_owned(),
        }
    } else if !name.is_empty() {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("name", name)
            .append_pair("limit", "1")
            .finish();
        let found: Listing<Found> = state
            .core
            .query(&member, &format!("/v1/organisations?{query}"))
            .await?
            .map_err(Error::Refused)?;
        let Some(organisation) = found.items.first() else {
            return Err(refused(member.lang(), "project-partner-unknown", name));
        };
        Partner {
            organisation_id: Some(organisation.id),
            partnership_id: None,
            role: form.role.trim().to_owned(),
        }
    } else {
        return Err(refused(member.lang(), "project-partner-missing", ""));
    };
    let project: ProjectPartners = state
        .core
        .get(&member, &format!("/v1/projects/{id}"))
        .await?;
    let already = project.partners.iter().any(|p| {
        p.organisation_id.is_some() && p.organisation_id == partner.organisation_id
            || p.partnership_id.is_some() && p.partnership_id == partner.partnership_id
    });
    if already {
        return Err(refused(member.lang(), "project-partner-already", ""));
    }
    let mut partners = project.partners;
    partners.push(partner);
    save(&state, &member, id, &partners, form.version).await
}

/// The partner to take off, and the version of the project the page showed.
#[derive(Debug, Deserialize)]
struct RemoveForm {
    organisation_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
    version: i64,
}

async fn remove(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, Error> {
    let project: ProjectPartners = state
        .core
        .get(&member, &format!("/v1/projects/{id}"))
        .await?;
    let partners: Vec<Partner> = project
        .partners
        .into_iter()
        .filter(|p| {
            !(p.organisation_id.is_some() && p.organisation_id == form.organisation_id
                || p.partnership_id.is_some() && p.partnership_id == form.partnership_id)
        })
        .collect();
    save(&state, &member, id, &partners, form.version).await
}

/// Writes the whole list, from the version the page showed; back to the project.
async fn save(
    state: &AppState,
    member: &Member,
    id: Uuid,
    partners: &[Partner],
    version: i64,
) -> Result<Response, Error> {
    let _: Value = state
        .core
        .send(
            member,
            Method::PATCH,
            &format!("/v1/projects/{id}"),
            &json!({ "partners": partners }),
            Some(version),
        )
        .await?
        .map_err(Error::Refused)?;
    let back = format!("/t/{}/projects/{id}#partenaires", member.tenant.slug);
    Ok(Redirect::to(&back).into_response())
}
