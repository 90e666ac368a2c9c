//! The platform's provisioning API (`/api/v1/platform/…`), for platform administrators
//! only: the workspaces with what they use (`listing`), making one (`provisioning`),
//! suspending, reactivating and deleting one (`lifecycle`). The console
//! (`pages/console.rs`) works through the same functions, and `maillage-admin` by the same
//! rules: `NewWorkspace` checks the fields, the database's `provision_tenant` makes the
//! workspace.

mod export;
mod import;
mod lifecycle;
mod listing;
mod provisioning;
mod self_service;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use maillage_runtime::api::{ApiRouter, Doc};
use uuid::Uuid;

use crate::Error;
use crate::rate_limit::ClientAddress;
use crate::session::CurrentUser;
use crate::state::AppState;

pub use self::import::{load as load_archive, receive as receive_archive};
pub use self::lifecycle::{
    DEFAULT_GRACE_DAYS, StatusChange, cancel_scheduled_deletion, change_status, schedule_deletion,
};
use self::lifecycle::{DeletionInput, cancel_deletion, reactivate, request_deletion, suspend};
use self::listing::{ListQuery, Workspaces, list};
pub use self::listing::{WorkspaceView, workspace, workspaces};
use self::provisioning::create;
pub use self::provisioning::{Provisioned, WorkspaceInput, provision};
pub use self::self_service::{OwnWorkspaceInput, create_own, may_create_own};

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/api/v1/platform/workspaces",
            list,
            Doc::new(
                "platform",
                "Espaces de travail et leur usage (administrateurs de la plateforme)",
            )
            .query::<ListQuery>()
            .returns::<Workspaces>(),
        )
        .post(
            "/api/v1/platform/workspaces",
            create,
            Doc::new(
                "platform",
                "Créer un espace et inviter son premier propriétaire (administrateurs de la plateforme ; rejouable sans effet)",
            )
            .body::<WorkspaceInput>()
            .requires(&["slug", "name", "kind", "owner_email"])
            .created()
            .returns::<WorkspaceView>(),
        )
        .post(
            "/api/v1/workspaces",
            self_service::create,
            Doc::new(
                "platform",
                "Créer l'espace de sa structure, dont on devient propriétaire (quand la plateforme le permet, dans ses limites)",
            )
            .body::<OwnWorkspaceInput>()
            .requires(&["slug", "name", "kind"])
            .created()
            .returns::<WorkspaceView>(),
        )
        .post(
            "/api/v1/platform/workspaces/{slug}/suspend",
            suspend,
            Doc::new(
                "platform",
                "Suspendre un espace : ses membres en sont avertis, ses rappels attendent (administrateurs de la plateforme)",
            )
            .returns::<WorkspaceView>(),
        )
        .post(
            "/api/v1/platform/workspaces/{slug}/reactivate",
            reactivate,
            Doc::new(
                "platform",
                "Réactiver un espace suspendu : ses rappels reprennent, le plus récent de chaque échéance seulement (administrateurs de la plateforme)",
            )
            .returns::<WorkspaceView>(),
        )
        .get(
            "/api/v1/platform/workspaces/{slug}/export",
            export::export,
            Doc::new(
                "platform",
                "Exporter toutes les données d'un espace : une archive zip (chaque table en JSON, les personnes et organisations en CSV, un manifeste) (administrateurs de la plateforme)",
            )
            .returns_file("application/zip"),
        )
        .post(
            "/api/v1/platform/workspaces/{slug}/import",
            import::import,
            Doc::new(
                "platform",
                "Importer l'archive d'un espace (celle que donne l'export) dans un espace vide : les mêmes fiches, liens, historique et rappels ; tout ou rien (administrateurs de la plateforme)",
            )
            // The zip's bytes as they are (`application/octet-stream`: what any client
            // and schemathesis send a file as); the gateway checks it is an archive.
            .takes_file("application/octet-stream")
            .returns::<import::ImportReport>(),
        )
        .post(
            "/api/v1/platform/workspaces/{slug}/deletion",
            request_deletion,
            Doc::new(
                "platform",
                "Demander la suppression d'un espace : suspendu aussitôt, supprimé avec toutes ses données après le délai de grâce, annulable jusque-là (administrateurs de la plateforme)",
            )
            .body::<DeletionInput>()
            .returns::<WorkspaceView>(),
        )
        .delete(
            "/api/v1/platform/workspaces/{slug}/deletion",
            cancel_deletion,
            Doc::new(
                "platform",
                "Annuler la suppression demandée ; l'espace reste suspendu (administrateurs de la plateforme)",
            )
            .returns::<WorkspaceView>(),
        )
}

/// Someone the operator made a platform administrator (`maillage-admin platform grant`).
#[derive(Clone)]
pub struct PlatformAdmin {
    pub user: CurrentUser,
    /// Where the request came from, for the platform audit log.
    pub client: Option<String>,
}

impl FromRequestParts<AppState> for PlatformAdmin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if !is_platform_admin(state, &user).await? {
            return Err(Error::PlatformOnly);
        }
        let client = parts
            .extensions
            .get::<ClientAddress>()
            .map(|ClientAddress(address)| address.clone());
        Ok(Self { user, client })
    }
}

/// Whether the operator made `user` a platform administrator, signed in through the
/// platform's provider (a workspace's own provider vouches for that workspace only).
pub async fn is_platform_admin(state: &AppState, user: &CurrentUser) -> Result<bool, Error> {
    if user.via_workspace.is_some() {
        return Ok(false);
    }
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from platform_admins where email = lower($1)) as "granted!""#,
        user.email,
    )
    .fetch_one(&state.pool)
    .await?)
}

/// Logs one platform admin's action on a workspace.
async fn audit(
    conn: &mut sqlx::PgConnection,
    admin: &PlatformAdmin,
    action: &str,
    slug: &str,
    detail: serde_json::Value,
) -> Result<(), Error> {
    let actor = Actor {
        email: &admin.user.email,
        client: admin.client.as_deref(),
    };
    audit_as(conn, actor, action, slug, detail).await
}

/// Who did a platform action: a platform admin, or someone making their own workspace.
struct Actor<'a> {
    email: &'a str,
    /// Where the request came from.
    client: Option<&'a str>,
}

async fn audit_as(
    conn: &mut sqlx::PgConnection,
    actor: Actor<'_>,
    action: &str,
    slug: &str,
    detail: serde_json::Value,
) -> Result<(), Error> {
    sqlx::query!(
        r#"insert into platform_audit_log (id, actor, action, target, detail, client_addr)
           values ($1, $2, $3, $4, $5, $6)"#,
        Uuid::now_v7(),
        actor.email.to_lowercase(),
        action,
        slug,
        detail,
        actor.client,
    )
    .execute(conn)
    .await?;
    Ok(())
}
