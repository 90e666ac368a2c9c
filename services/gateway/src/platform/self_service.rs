//! Self-service: when the operator allows it (`SELF_SERVICE_WORKSPACES_PER_PERSON`, 0 by
//! default: off), someone signed in through the platform's provider makes their
//! organisation's workspace and is its owner at once, within that many workspaces per
//! person. By the same rules as the console (`NewWorkspace`, `provision_tenant`), in the
//! platform audit log as theirs.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use maillage_db::platform::{self, Provisioning, creation_detail};
use maillage_domain::workspace::{NewWorkspace, WorkspaceFields};
use maillage_problem::{Json, Problem};
use serde::Deserialize;

use super::listing::{self, WorkspaceView};
use super::{Actor, audit_as};
use crate::Error;
use crate::rate_limit::ClientAddress;
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnWorkspaceInput {
    /// Its name in addresses: `/t/{slug}/`.
    #[schema(
        min_length = 3,
        max_length = 63,
        pattern = "^[a-z0-9][a-z0-9-]*[a-z0-9]$"
    )]
    pub slug: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(schema_with = super::provisioning::kind_schema)]
    pub kind: String,
    #[schema(schema_with = super::provisioning::locale_schema)]
    pub locale: Option<String>,
    /// An IANA time zone; `Europe/Paris` by default. Reminders follow it.
    pub time_zone: Option<String>,
}

/// Whether `user` may make a workspace of their own now (the page offers it then).
pub async fn may_create_own(state: &AppState, user: &CurrentUser) -> Result<bool, Error> {
    Ok(refusal(state, user).await?.is_none())
}

/// Why `user` may not make one now, if so.
async fn refusal(state: &AppState, user: &CurrentUser) -> Result<Option<Problem>, Error> {
    let allowed = state.self_service_per_person;
    if allowed == 0 || user.via_workspace.is_some() {
        return Ok(Some(
            Problem::new(
                StatusCode::FORBIDDEN,
                "self-service-off",
                "Sur cette plateforme, les espaces sont créés par son administrateur.",
            )
            .with_detail("Demandez-lui d'en créer un pour votre structure."),
        ));
    }
    let made = sqlx::query_scalar!(
        r#"select count(*) as "made!" from platform_audit_log
           where actor = lower($1) and action = 'tenant.create' and detail->>'self_service' = 'true'"#,
        user.email,
    )
    .fetch_one(&state.pool)
    .await?;
    if made >= allowed {
        return Ok(Some(
            Problem::new(
                StatusCode::CONFLICT,
                "self-service-limit",
                "Vous avez déjà créé autant d'espaces que cette plateforme le permet.",
            )
            .with_detail("Pour un autre, adressez-vous à son administrateur."),
        ));
    }
    Ok(None)
}

/// Makes `user`'s workspace, `user` its owner.
pub async fn create_own(
    state: &AppState,
    user: &CurrentUser,
    client: Option<&str>,
    input: &OwnWorkspaceInput,
) -> Result<Result<WorkspaceView, Problem>, Error> {
    if let Some(problem) = refusal(state, user).await? {
        return Ok(Err(problem));
    }
    let workspace = match NewWorkspace::parse(WorkspaceFields {
        slug: &input.slug,
        name: &input.name,
        kind: &input.kind,
        locale: input.locale.as_deref(),
        time_zone: input.time_zone.as_deref(),
        owner_email: &user.email,
    }) {
        Ok(workspace) => workspace,
        Err(refused) => return Ok(Err(Problem::refused_fields(refused))),
    };
    let mut tx = maillage_db::begin(&state.pool).await?;
    let Provisioning::Created(tenant_id) = platform::provision(&mut tx, &workspace).await? else {
        // Taken, even by an identical workspace made before: one's own is new.
        return Ok(Err(Problem::new(
            StatusCode::CONFLICT,
            "slug-taken",
            "Cette adresse est déjà celle d'un autre espace.",
        )
        .with_detail("Choisissez un autre identifiant (slug).")));
    };
    // The maker is its owner now: no invitation to wait for, no email.
    sqlx::query_scalar!(
        "select set_config('app.tenant_id', $1::uuid::text, true)",
        tenant_id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into memberships (tenant_id, user_id, role) values ($1, $2, 'owner')",
        tenant_id,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"update invitations set accepted_at = now(), accepted_by = $2, email_due_at = null, email_token = null
           where tenant_id = $1 and accepted_at is null"#,
        tenant_id,
        user.id
    )
    .execute(&mut *tx)
    .await?;
    let mut detail = creation_detail(&workspace);
    detail["self_service"] = serde_json::Value::Bool(true);
    let actor = Actor {
        email: &user.email,
        client,
    };
    audit_as(
        &mut tx,
        actor,
        "tenant.create",
        workspace.slug.as_str(),
        detail,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(slug = %workspace.slug.as_str(), "workspace made by its owner");
    Ok(Ok(listing::workspace(state, workspace.slug.as_str()).await?))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Option<Extension<ClientAddress>>,
    Json(input): Json<OwnWorkspaceInput>,
) -> Result<Result<(StatusCode, Json<WorkspaceView>), Problem>, Error> {
    let client = client.map(|Extension(ClientAddress(address))| address);
    Ok(create_own(&state, &user, client.as_deref(), &input)
        .await?
        .map(|view| (StatusCode::CREATED, Json(view))))
}
