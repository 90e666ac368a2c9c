//! Imports of spreadsheets and CSV files (`/v1/imports`): a file is sent, tried in the
//! background (the dry run: what would be created, matched, refused), run once its
//! sender agrees, and undone as a whole if need be. The requests only record what is
//! wanted and wake the importers (see [`worker`]), which do the work.

mod check;
mod file;
mod history;
mod plan;
mod queries;
mod rejected;
mod remap;
mod run;
mod steps;
mod templates;
mod undo;
pub mod worker;
mod write;

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use maillage_domain::import::{
    ColumnTransform, DuplicateDecision, Import, ImportField, ImportStatus,
};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::language::{reader, said};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    templates::router()
        .get(
            "/v1/imports",
            list,
            Doc::new("imports", "Les imports de l'espace, le plus récent d'abord")
                .returns::<ImportList>(),
        )
        .post(
            "/v1/imports",
            upload,
            Doc::new(
                "imports",
                "Envoyer un fichier CSV ou XLSX : il est vérifié en arrière-plan (essai à blanc)",
            )
            .query::<UploadQuery>()
            .takes_file("application/octet-stream")
            .created()
            .returns::<Import>(),
        )
        .get(
            "/v1/imports/{id}",
            read,
            Doc::new(
                "imports",
                "Où en est un import : correspondance des colonnes, essai à blanc, rapport",
            )
            .returns::<Import>(),
        )
        .patch(
            "/v1/imports/{id}",
            change,
            Doc::new(
                "imports",
                "Changer la correspondance des colonnes ou les décisions sur les doublons (nouvel essai à blanc)",
            )
            .body::<ImportChange>()
            .returns::<Import>(),
        )
        .delete(
            "/v1/imports/{id}",
            discard,
            Doc::new("imports", "Abandonner un import qui n'a pas été lancé").no_content(),
        )
        .post(
            "/v1/imports/{id}/run",
            run,
            Doc::new("imports", "Lancer l'import vérifié (en arrière-plan)").returns::<Import>(),
        )
        .post(
            "/v1/imports/{id}/undo",
            undo,
            Doc::new(
                "imports",
                "Annuler un import : ce qu'il a créé est retiré, ce qu'il a complété est rétabli",
            )
            .returns::<Import>(),
        )
        .get(
            "/v1/imports/{id}/rejected.csv",
            rejected::download,
            Doc::new(
                "imports",
                "Les lignes refusées, avec la raison de chacune (CSV)",
            )
            .returns_file("text/csv"),
        )
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct ImportList {
    items: Vec<Import>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct UploadQuery {
    /// The file's name, as its sender knows it.
    #[param(min_length = 1, max_length = 200)]
    file_name: String,
}

/// What may change before an import runs.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ImportChange {
    /// The field of each column, in the file's order (null: left out).
    mapping: Option<Vec<Option<ImportField>>>,
    /// How each column's cells are changed before they are read, in the file's order
    /// (null: as written). Unsent: kept where they still fit the columns' fields.
    transforms: Option<Vec<Option<ColumnTransform>>>,
    /// A saved template to apply (by header); `mapping` and `transforms` then apply on top.
    template_id: Option<Uuid>,
    /// What to do with rows whose person looks like someone already there.
    duplicates: Option<DuplicateDecision>,
    /// A decision for some of those rows, by line.
    decisions: Option<Vec<LineDecision>>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct LineDecision {
    line: i64,
    /// null: the import's own decision.
    decision: Option<DuplicateDecision>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<ImportList>, Error> {
    let mut tx = identity.begin(&state).await?;
    let items = queries::latest(&mut tx, identity.0.tenant_id).await?;
    tx.commit().await?;
    Ok(Json(ImportList { items }))
}

async fn upload(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<UploadQuery>,
    body: Body,
) -> Result<(StatusCode, Json<Import>), Error> {
    identity.require_editor()?;
    let file_name = file::checked_name(&query.file_name)?;
    let tenant_id = identity.0.tenant_id;
    let id = Uuid::now_v7();
    let mut tx = identity.begin(&state).await?;
    queries::insert(&mut tx, tenant_id, id, &file_name, identity.0.user_id).await?;
    let bytes = file::store(&mut tx, tenant_id, id, body.into_data_stream()).await?;
    queries::set_file_bytes(&mut tx, tenant_id, id, bytes).await?;
    let import = queries::fetch(&mut tx, tenant_id, id).await?;
    tx.commit().await?;
    state.importers.wake(tenant_id, id).await;
    Ok((StatusCode::CREATED, Json(import)))
}

async fn read(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Json<Import>, Error> {
    let mut tx = identity.begin(&state).await?;
    let import = queries::fetch(&mut tx, identity.0.tenant_id, id).await?;
    tx.commit().await?;
    Ok(Json(import))
}

async fn change(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Json(input): Json<ImportChange>,
) -> Result<Json<Import>, Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let current = queries::lock(&mut tx, tenant_id, id).await?;
    if current.status != ImportStatus::Checked {
        return Err(Error::field("status", &said("check-import-change")));
    }
    let template = match input.template_id {
        Some(template_id) => Some(templates::by_id(&mut tx, tenant_id, template_id).await?),
        None => None,
    };
    if template.is_some() || input.mapping.is_some() || input.transforms.is_some() {
        let (mapping, transforms) = remap::columns(
            (&current.headers, current.mapping, current.transforms),
            template.as_ref().map(|t| &t.template),
            input.mapping,
            input.transforms,
        )?;
        // A mapping chosen by hand is no longer a template's, unless applied on top of one.
        let template_name = template.as_ref().map(|t| t.name.as_str());
        queries::set_mapping(
            &mut tx,
            tenant_id,
            id,
            (&mapping, &transforms),
            template_name,
        )
        .await?;
        if let Some(template) = &template {
            queries::set_duplicates(&mut tx, tenant_id, id, template.duplicates).await?;
        }
    }
    if let Some(duplicates) = input.duplicates {
        queries::set_duplicates(&mut tx, tenant_id, id, duplicates).await?;
    }
    for decision in input.decisions.unwrap_or_default() {
        queries::set_line_decision(&mut tx, tenant_id, id, decision.line, decision.decision)
            .await?;
    }
    queries::set_status(&mut tx, tenant_id, id, ImportStatus::Checking).await?;
    let import = queries::fetch(&mut tx, tenant_id, id).await?;
    tx.commit().await?;
    state.importers.wake(tenant_id, id).await;
    Ok(Json(import))
}

async fn discard(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let current = queries::lock(&mut tx, tenant_id, id).await?;
    if !matches!(
        current.status,
        ImportStatus::Checked | ImportStatus::Refused
    ) {
        return Err(Error::field("status", &said("check-import-abandon")));
    }
    queries::delete(&mut tx, tenant_id, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn run(
    state: State<AppState>,
    identity: Identity,
    id: Path<Uuid>,
) -> Result<Json<Import>, Error> {
    move_on(
        state,
        identity,
        id,
        (ImportStatus::Checked, ImportStatus::Queued),
    )
    .await
}

async fn undo(
    state: State<AppState>,
    identity: Identity,
    id: Path<Uuid>,
) -> Result<Json<Import>, Error> {
    move_on(
        state,
        identity,
        id,
        (ImportStatus::Done, ImportStatus::Undoing),
    )
    .await
}

/// Moves an import from one step to the next (`from`, `to`) and wakes the importers.
async fn move_on(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    (from, to): (ImportStatus, ImportStatus),
) -> Result<Json<Import>, Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let current = queries::lock(&mut tx, tenant_id, id).await?;
    if current.status != from {
        return Err(Error::field(
            "status",
            &reader().t2(
                "check-import-move",
                "status",
                said(&format!("import-status-{}", current.status.as_str())),
                "next",
                said(&format!("import-status-{}", to.as_str())),
            ),
        ));
    }
    queries::set_status(&mut tx, tenant_id, id, to).await?;
    let import = queries::fetch(&mut tx, tenant_id, id).await?;
    tx.commit().await?;
    state.importers.wake(tenant_id, id).await;
    Ok(Json(import))
}
