//! A person's rights over what the workspace holds about them (RGPD): the history of
//! their consent, a copy of everything held (`personal-data`), and their erasure, first
//! previewed then done; and the workspace's retention rule, which erases the people it no
//! longer deals with. All but the history are for the workspace's admins, and each copy
//! and erasure leaves an entry in the audit log.

mod access;
mod consent;
mod erasure;
pub mod keeper;
mod register;
mod retention;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use maillage_domain::privacy::{
    ConsentHistory, Erasure, PersonalData, ProcessingRegister, RetentionPreview, RetentionRule,
};
use maillage_problem::{Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use uuid::Uuid;

use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/people/{id}/consent-history",
            consent_history,
            Doc::new(
                "people",
                "L'historique du consentement d'une personne, le plus récent d'abord",
            )
            .returns::<ConsentHistory>(),
        )
        .get(
            "/v1/people/{id}/personal-data",
            personal_data,
            Doc::new(
                "people",
                "Tout ce que l'espace détient sur une personne (droit d'accès, RGPD art. 15) ; noté au journal",
            )
            .returns::<PersonalData>(),
        )
        .get(
            "/v1/people/{id}/erasure",
            erasure_preview,
            Doc::new(
                "people",
                "Ce que l'effacement d'une personne retirerait, sans rien changer",
            )
            .returns::<Erasure>(),
        )
        .post(
            "/v1/people/{id}/erasure",
            erase,
            Doc::new(
                "people",
                "Effacer une personne partout (droit à l'effacement, RGPD art. 17) ; irréversible",
            )
            .returns::<Erasure>(),
        )
        .get(
            "/v1/retention",
            retention::read,
            Doc::new(
                "retention",
                "La durée de conservation des personnes sans activité (administrateurs)",
            )
            .returns::<RetentionRule>(),
        )
        .put(
            "/v1/retention",
            retention::set,
            Doc::new(
                "retention",
                "Fixer la durée de conservation, et l'effacement chaque jour de ceux qu'elle désigne",
            )
            .body::<retention::RetentionInput>()
            .returns::<RetentionRule>(),
        )
        .get(
            "/v1/retention/preview",
            retention::preview,
            Doc::new(
                "retention",
                "Qui une durée de conservation effacerait aujourd'hui, sans rien changer",
            )
            .query::<retention::PreviewQuery>()
            .returns::<RetentionPreview>(),
        )
        .get(
            "/v1/processing-register",
            processing_register,
            Doc::new(
                "retention",
                "Le registre des traitements de l'espace (RGPD art. 30), tiré de ce qu'il détient aujourd'hui",
            )
            .returns::<ProcessingRegister>(),
        )
}

async fn processing_register(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<ProcessingRegister>, Error> {
    identity.require_admin()?;
    let mut tx = identity.begin(&state).await?;
    let register = register::draw(&mut tx, identity.0.tenant_id).await?;
    tx.commit().await?;
    Ok(Json(register))
}

async fn consent_history(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<ConsentHistory>, Error> {
    let mut tx = identity.begin(&state).await?;
    let history = consent::history(&mut tx, identity.0.tenant_id, id).await?;
    tx.commit().await?;
    Ok(Json(history))
}

/// Sent as a file to keep: `donnees-personnelles-<id>.json`.
async fn personal_data(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<(HeaderMap, Json<PersonalData>), Error> {
    identity.require_admin()?;
    let mut tx = identity.begin(&state).await?;
    let data = access::gather(&mut tx, identity.0.tenant_id, id).await?;
    audit::record::<()>(&mut tx, &identity, Action::Access, "person", id, None, None).await?;
    tx.commit().await?;
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"donnees-personnelles-{id}.json\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok((headers, Json(data)))
}

async fn erasure_preview(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<Erasure>, Error> {
    identity.require_admin()?;
    let mut tx = identity.begin(&state).await?;
    // The erasure itself, taken back: its counts are those the erasure would make.
    let preview = erasure::erase(&mut tx, identity.0.tenant_id, id).await?;
    tx.rollback().await?;
    Ok(Json(preview))
}

async fn erase(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<Erasure>, Error> {
    identity.require_admin()?;
    let mut tx = identity.begin(&state).await?;
    let erased = erasure::erase(&mut tx, identity.0.tenant_id, id).await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Erase,
        "person",
        id,
        None,
        Some(&erased),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(erased))
}
