//! A target's stakeholders from its page: added by name, placed (by the plain form, or
//! by dragging on the drawing, which posts the same form), given reasons, promoted
//! from prospect to organisation, taken off; a gap turned into a task.

use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use maillage_problem::{Path, Problem};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use maillage_i18n::Lang;

use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let one = "/t/{slug}/targets/{id}/stakeholders/{stakeholder_id}";
    Router::new()
        .route("/t/{slug}/targets/{id}/stakeholders", post(add))
        .route(one, post(place))
        .route(&format!("{one}/remove"), post(remove))
        .route(&format!("{one}/promote"), post(promote))
        .route(&format!("{one}/task"), post(task))
}

/// A ring as a select sends it: blank is outside the target.
fn ring(typed: &str, lang: Lang) -> Result<Value, Error> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(Value::Null);
    }
    typed
        .parse::<i16>()
        .map(Value::from)
        .map_err(|_| refused(lang, "target-ring-unknown"))
}

/// What the form sent cannot be read: said on a page, and nothing changes.
fn refused(lang: Lang, id: &str) -> Error {
    Error::Refused(
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", lang.t(id))
            .in_language(lang.code()),
    )
}

fn back(member: &Member, target_id: Uuid, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/t/{}/targets/{target_id}{anchor}",
        member.tenant.slug
    ))
    .into_response()
}

/// Sends a stakeholder's change to core-records; a refusal is said on a page.
async fn write(
    state: &AppState,
    member: &Member,
    method: Method,
    path: &str,
    body: &Value,
    version: Option<i64>,
) -> Result<(), Error> {
    let _: Value = state
        .core
        .send(member, method, path, body, version)
        .await?
        .map_err(Error::Refused)?;
    Ok(())
}

#[derive(Debug, Deserialize)]
struct NewStakeholderForm {
    name: String,
    #[serde(default)]
    today_ring: String,
    #[serde(default)]
    ideal_ring: String,
}

/// Someone named as typed: the organisation of that name, or a prospect.
async fn add(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, target_id)): Path<(String, Uuid)>,
    Form(form): Form<NewStakeholderForm>,
) -> Result<Response, Error> {
    let body = json!({
        "name": form.name,
        "today_ring": ring(&form.today_ring, member.lang())?,
        "ideal_ring": ring(&form.ideal_ring, member.lang())?,
    });
    write(
        &state,
        &member,
        Method::POST,
        &format!("/v1/targets/{target_id}/stakeholders"),
        &body,
        None,
    )
    .await?;
    Ok(back(&member, target_id, "#placer"))
}

/// A place, as the plain form or a drag sends it: what is absent stays as it was.
#[derive(Debug, Deserialize)]
struct PlaceForm {
    today_ring: Option<String>,
    ideal_ring: Option<String>,
    angle: Option<String>,
    our_reasons: Option<String>,
    their_reasons: Option<String>,
    version: i64,
}

async fn place(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, target_id, id)): Path<(String, Uuid, Uuid)>,
    Form(form): Form<PlaceForm>,
) -> Result<Response, Error> {
    let mut body = Map::new();
    for (field, typed) in [
        ("today_ring", &form.today_ring),
        ("ideal_ring", &form.ideal_ring),
    ] {
        if let Some(typed) = typed {
            body.insert(field.into(), ring(typed, member.lang())?);
        }
    }
    if let Some(angle) = &form.angle {
        let angle: f64 = angle
            .trim()
            .parse()
            .ok()
            .filter(|a: &f64| a.is_finite())
            .ok_or_else(|| refused(member.lang(), "target-angle-unknown"))?;
        body.insert("angle".into(), Value::from(angle));
    }
    for (field, typed) in [
        ("our_reasons", &form.our_reasons),
        ("their_reasons", &form.their_reasons),
    ] {
        if let Some(typed) = typed {
            body.insert(field.into(), Value::from(typed.as_str()));
        }
    }
    write(
        &state,
        &member,
        Method::PATCH,
        &format!("/v1/targets/{target_id}/stakeholders/{id}"),
        &Value::Object(body),
        Some(form.version),
    )
    .await?;
    Ok(back(&member, target_id, &format!("#s-{id}")))
}

async fn remove(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, target_id, id)): Path<(String, Uuid, Uuid)>,
) -> Result<Response, Error> {
    state
        .core
        .delete(
            &member,
            &format!("/v1/targets/{target_id}/stakeholders/{id}"),
            None,
        )
        .await?
        .map_err(Error::Refused)?;
    Ok(back(&member, target_id, "#placer"))
}

#[derive(Debug, Deserialize)]
struct VersionForm {
    version: i64,
}

/// A prospect becomes an organisation of the records (or is tied to the one of its name).
async fn promote(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, target_id, id)): Path<(String, Uuid, Uuid)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, Error> {
    write(
        &state,
        &member,
        Method::POST,
        &format!("/v1/targets/{target_id}/stakeholders/{id}/promote"),
        &json!({}),
        Some(form.version),
    )
    .await?;
    Ok(back(&member, target_id, &format!("#s-{id}")))
}

/// The gap as a task on the partner's timeline; back to the target, which says so.
async fn task(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, target_id, id)): Path<(String, Uuid, Uuid)>,
) -> Result<Response, Error> {
    write(
        &state,
        &member,
        Method::POST,
        &format!("/v1/targets/{target_id}/stakeholders/{id}/tasks"),
        &json!({}),
        None,
    )
    .await?;
    Ok(back(&member, target_id, &format!("?task_for={id}#ecarts")))
}
