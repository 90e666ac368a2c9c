//! The platform's provisioning API (`/api/v1/platform/…`), for platform administrators
//! only: the workspaces with what they use, and making one. The console
//! (`pages/console.rs`) and `maillage-admin` follow the same rules: `NewWorkspace` checks
//! the fields, the database's `provision_tenant` makes the workspace.

use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use maillage_domain::TenantKind;
use maillage_domain::workspace::{LOCALES, NewWorkspace, WorkspaceFields};
use maillage_problem::{FieldError, Json, Path, Problem, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::rate_limit::ClientAddress;
use crate::session::CurrentUser;
use crate::state::AppState;

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
}

/// Someone the operator made a platform administrator (`maillage-admin platform grant`).
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

/// Whether the operator made `user` a platform administrator.
pub async fn is_platform_admin(state: &AppState, user: &CurrentUser) -> Result<bool, Error> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from platform_admins where email = lower($1)) as "granted!""#,
        user.email,
    )
    .fetch_one(&state.pool)
    .await?)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// Part of the slug or of the name, any case.
    q: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// A workspace and what it uses.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkspaceView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: String,
    /// `active` or `suspended`.
    pub status: String,
    pub locale: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    pub members: i64,
    pub pending_invitations: i64,
    /// People, organisations, partnerships and projects (outside the bin), and deadlines.
    pub records: i64,
    pub emails_this_month: i64,
    /// The last change to a record.
    pub last_activity: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Workspaces {
    pub items: Vec<WorkspaceView>,
}

/// The workspaces matching `search` (all when empty), at most `limit`, by name.
pub async fn workspaces(
    state: &AppState,
    search: Option<&str>,
    slug: Option<&str>,
    limit: i64,
) -> Result<Vec<WorkspaceView>, Error> {
    // The function reads each workspace under its own tenant setting, inside this
    // transaction (so that the setting ends with it).
    let mut tx = maillage_db::begin(&state.pool).await?;
    let rows = sqlx::query!(
        r#"select id as "id!", slug as "slug!", name as "name!", kind as "kind!",
                  status as "status!", locale as "locale!", time_zone as "time_zone!",
                  created_at as "created_at!", members as "members!",
                  invitations as "invitations!", records as "records!",
                  emails_this_month as "emails_this_month!", last_activity
           from platform_workspaces($1, $2, $3::int)"#,
        search,
        slug,
        limit as i32,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| WorkspaceView {
            id: r.id,
            slug: r.slug,
            name: r.name,
            kind: r.kind,
            status: r.status,
            locale: r.locale,
            time_zone: r.time_zone,
            created_at: r.created_at,
            members: r.members,
            pending_invitations: r.invitations,
            records: r.records,
            emails_this_month: r.emails_this_month,
            last_activity: r.last_activity,
        })
        .collect())
}

async fn list(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Query(query): Query<ListQuery>,
) -> Result<Result<Json<Workspaces>, Problem>, Error> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Ok(Err(Problem::validation(vec![FieldError::new(
            "limit",
            "doit être compris entre 1 et 500",
        )])));
    }
    let items = workspaces(&state, query.q.as_deref(), None, limit).await?;
    Ok(Ok(Json(Workspaces { items })))
}

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

fn kind_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(TenantKind::VALUES)
}

fn locale_schema() -> utoipa::openapi::schema::Object {
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
        Err(refused) => {
            return Ok(Err(Problem::validation(
                refused
                    .into_iter()
                    .map(|(field, why)| FieldError::new(field, why))
                    .collect(),
            )));
        }
    };
    let slug = workspace.slug.as_str();
    let mut tx = maillage_db::begin(&state.pool).await?;
    let provisioned = sqlx::query!(
        r#"select tenant_id as "tenant_id!", created as "created!"
           from provision_tenant($1, $2, $3, $4, $5, $6, $7)"#,
        Uuid::now_v7(),
        slug,
        workspace.name,
        workspace.kind.as_str(),
        workspace.locale,
        workspace.time_zone.name(),
        workspace.owner_email.as_str(),
    )
    .fetch_one(&mut *tx)
    .await;
    let created = match provisioned {
        Ok(provisioned) => provisioned.created,
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Ok(Err(Problem::new(
                StatusCode::CONFLICT,
                "slug-taken",
                "Cette adresse est déjà celle d'un autre espace.",
            )
            .with_detail("Choisissez un autre identifiant (slug).")));
        }
        Err(error) => return Err(error.into()),
    };
    if created {
        sqlx::query!(
            r#"insert into platform_audit_log (id, actor, action, target, detail, client_addr)
               values ($1, $2, 'tenant.create', $3, $4, $5)"#,
            Uuid::now_v7(),
            admin.user.email.to_lowercase(),
            slug,
            serde_json::json!({
                "name": workspace.name,
                "kind": workspace.kind.as_str(),
                "locale": workspace.locale,
                "time_zone": workspace.time_zone.name(),
                "owner_email": workspace.owner_email.as_str(),
            }),
            admin.client,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let view = workspaces(state, None, Some(slug), 1)
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    Ok(Ok(if created {
        Provisioned::Created(view)
    } else {
        Provisioned::AlreadyThere(view)
    }))
}

async fn create(
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

/// What suspending or reactivating does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Suspend,
    Reactivate,
}

impl StatusChange {
    fn status(self) -> &'static str {
        match self {
            Self::Suspend => "suspended",
            Self::Reactivate => "active",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Suspend => "tenant.suspend",
            Self::Reactivate => "tenant.reactivate",
        }
    }
}

/// Suspends or reactivates the workspace `slug`, logged when it changes anything (the
/// same change again is a no-op); the workspace as it now is, or `NotFound`.
pub async fn change_status(
    state: &AppState,
    admin: &PlatformAdmin,
    slug: &str,
    change: StatusChange,
) -> Result<WorkspaceView, Error> {
    let mut tx = maillage_db::begin(&state.pool).await?;
    let changed = sqlx::query_scalar!(
        "update tenants set status = $2 where slug = $1 and status <> $2 returning id",
        slug,
        change.status(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    if changed.is_some() {
        sqlx::query!(
            r#"insert into platform_audit_log (id, actor, action, target, client_addr)
               values ($1, $2, $3, $4, $5)"#,
            Uuid::now_v7(),
            admin.user.email.to_lowercase(),
            change.action(),
            slug,
            admin.client,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    workspaces(state, None, Some(slug), 1)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

async fn suspend(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Json<WorkspaceView>, Error> {
    Ok(Json(
        change_status(&state, &admin, &slug, StatusChange::Suspend).await?,
    ))
}

async fn reactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(slug): Path<String>,
) -> Result<Json<WorkspaceView>, Error> {
    Ok(Json(
        change_status(&state, &admin, &slug, StatusChange::Reactivate).await?,
    ))
}
