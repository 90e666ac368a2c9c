//! Making a workspace: checked by `NewWorkspace`, made by the database's
//! `provision_tenant` (retry-safe), logged.

use axum::extract::State;
use axum::http::StatusCode;
use maillage_domain::TenantKind;
use maillage_domain::workspace::{LOCALES, NewWorkspace, WorkspaceFields};
use maillage_problem::{Json, Problem};
use serde::Deserialize;

use maillage_db::platform::{self, Provisioning, creation_detail};

use super::{PlatformAdmin, audit};
use crate::Error;
use crate::state::AppState;

use super::listing::{self, WorkspaceView};

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceInput {
    /// Its name in addresses: `/t/{slug}/`.
    #[schema(
        min_length = 3,
        max_length = 63,
        pattern = "^[a-z0-9][a-z0-9-]*[a-z0-9]$"
    )]
    pub slug: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// `fr-FR` (the default) or `en-GB`.
    #[schema(schema_with = locale_schema)]
    pub locale: Option<String>,
    /// An IANA time zone; `Europe/Paris` by default. Reminders follow it.
    pub time_zone: Option<String>,
    /// Becomes its first owner when signing in with this (verified) email.
    #[schema(format = Email)]
    pub owner_email: String,
}

pub(super) fn kind_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(TenantKind::VALUES)
}

pub(super) fn locale_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(LOCALES)
}

/// How a creation went.
pub enum Provisioned {
    /// Made now.
    Created(WorkspaceView),
    /// Made before, with these very details (a retry): nothing changed.
    AlreadyThere(WorkspaceView),
}

/// Makes a workspace by the platform's one rule, and logs it: every refused field at
/// once (422), or a slug already taken by another workspace (409).
pub async fn provision(
    state: &AppState,
    admin: &PlatformAdmin,
    input: &WorkspaceInput,
) -> Result<Result<Provisioned, Problem>, Error> {
    let workspace = match NewWorkspace::parse(WorkspaceFields {
        slug: &input.slug,
        name: &input.name,
        kind: &input.kind,
        locale: input.locale.as_deref(),
        time_zone: input.time_zone.as_deref(),
        owner_email: &input.owner_email,
    }) {
        Ok(workspace) => workspace,
        Err(refused) => return Ok(Err(Problem::refused_fields(refused))),
    };
    let slug = workspace.slug.as_str();
    let mut tx = maillage_db::begin(&state.pool).await?;
    let created = match platform::provision(&mut tx, &workspace).await? {
        Provisioning::Created(_) => true,
        Provisioning::AlreadyThere(_) => false,
        Provisioning::SlugTaken => {
            return Ok(Err(Problem::new(
                StatusCode::CONFLICT,
                "slug-taken",
                "Cette adresse est déjà celle d'un autre espace.",
            )
            .with_detail("Choisissez un autre identifiant (slug).")));
        }
    };
    if created {
        audit(
            &mut tx,
            admin,
            "tenant.create",
            slug,
            creation_detail(&workspace),
        )
        .await?;
    }
    tx.commit().await?;
    let view = listing::workspace(state, slug).await?;
    Ok(Ok(if created {
        Provisioned::Created(view)
    } else {
        Provisioned::AlreadyThere(view)
    }))
}

pub(super) async fn create(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Json(input): Json<WorkspaceInput>,
) -> Result<Result<(StatusCode, Json<WorkspaceView>), Problem>, Error> {
    Ok(provision(&state, &admin, &input)
        .await?
        .map(|provisioned| match provisioned {
            Provisioned::Created(view) => (StatusCode::CREATED, Json(view)),
            Provisioned::AlreadyThere(view) => (StatusCode::OK, Json(view)),
        }))
}
