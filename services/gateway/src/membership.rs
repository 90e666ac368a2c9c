//! Who is acting, in which tenant: the tenant comes from the URL (`/t/{slug}/…`) and is
//! accepted only if the logged-in user is a member of it. Never from a header the client
//! sets. A tenant one is not a member of does not exist, as far as one can tell (404).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use maillage_domain::Role;
use maillage_i18n::Lang;
use uuid::Uuid;

use crate::Error;
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    /// Its language, for members who have not chosen theirs: "fr-FR", "en-GB".
    pub locale: String,
    /// When its logo last changed; none without one.
    pub logo_changed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user: CurrentUser,
    pub tenant: Tenant,
    pub role: Role,
    pub request_id: String,
    /// The user's other active workspaces (slug, name), by name.
    pub other_workspaces: Vec<(String, String)>,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::NotFound)?;
        let slug = params
            .iter()
            .find(|(name, _)| *name == "slug")
            .map(|(_, value)| value.to_owned())
            .ok_or(Error::NotFound)?;
        // Before a tenant is chosen: through the one function that reads a user's
        // memberships across tenants (memberships are under row-level security).
        // All of them at once: the header offers to switch to the others.
        let mut rows = sqlx::query!(
            r#"select tenant_id as "id!", slug as "slug!", name as "name!",
                      time_zone as "time_zone!", role as "role!", status as "status!",
                      sign_in_issuer, logo_changed_at, locale as "locale!"
               from user_workspaces($1)"#,
            user.id,
        )
        .fetch_all(&state.pool)
        .await?;
        let position = rows
            .iter()
            .position(|row| row.slug == slug)
            .ok_or(Error::NotFound)?;
        let row = rows.swap_remove(position);
        // Only those this sign-in opens.
        let others = rows
            .into_iter()
            .filter(|other| other.status == "active")
            .filter(|other| other.sign_in_issuer.is_none() && user.via_workspace.is_none())
            .map(|other| (other.slug, other.name))
            .collect();
        // A workspace with its own provider is entered through it, and only through it;
        // one without, through the platform's. Otherwise: sign in (`/login` then goes to
        // the right provider for this address).
        let signed_in_fits = match (&row.sign_in_issuer, user.via_workspace) {
            (None, None) => true,
            (Some(_), Some(workspace)) => workspace == row.id,
            _ => false,
        };
        if !signed_in_fits {
            return Err(Error::LoginRequired);
        }
        // Its members are told, rather than finding no workspace at all.
        if row.status != "active" {
            return Err(Error::Suspended);
        }
        let role: Role = row.role.parse().map_err(|_| Error::NotFound)?;
        maillage_runtime::record_actor(&row.id, &user.id);
        Ok(Self {
            user,
            tenant: Tenant {
                id: row.id,
                slug: row.slug,
                name: row.name,
                time_zone: row.time_zone,
                locale: row.locale,
                logo_changed_at: row.logo_changed_at,
            },
            role,
            request_id: maillage_runtime::request_id_of(&parts.extensions),
            other_workspaces: others,
        })
    }
}

/// A member whose role lets them change the workspace's records: what every form that
/// writes asks for, so that a viewer gets a clear refusal rather than a form that fails.
pub struct Editor(pub Member);

impl FromRequestParts<AppState> for Editor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let member = Member::from_request_parts(parts, state).await?;
        if member.role.can_edit_records() {
            Ok(Self(member))
        } else {
            Err(Error::ReadOnly)
        }
    }
}

/// A member who administers the workspace: what the pages reserved to admins ask for
/// (a person's data handed out, their erasure), so that others get a clear refusal.
pub struct Admin(pub Member);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let member = Member::from_request_parts(parts, state).await?;
        if member.role >= maillage_domain::Role::Admin {
            Ok(Self(member))
        } else {
            Err(Error::Refused(maillage_problem::Problem::new(
                axum::http::StatusCode::FORBIDDEN,
                "forbidden",
                "Seuls les administrateurs de l'espace remettent les données d'une personne ou l'effacent.",
            )))
        }
    }
}

impl Member {
    /// The language this member reads: theirs if they chose one, else the workspace's.
    pub fn lang(&self) -> Lang {
        self.user
            .locale
            .as_deref()
            .and_then(Lang::from_tag)
            .or_else(|| Lang::from_tag(&self.tenant.locale))
            .unwrap_or_default()
    }

    /// The member whose calendar feed this is: the feed's secret URL stands for their
    /// session, for reading their calendar and nothing else.
    pub async fn of_calendar_feed(
        state: &AppState,
        tenant_id: Uuid,
        token: Uuid,
        request_id: String,
    ) -> Result<Self, Error> {
        let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
        let row = sqlx::query!(
            r#"select t.id, t.slug, t.name, t.time_zone, t.locale, m.role, u.id as user_id, u.email,
                      u.display_name, u.locale as user_locale
               from calendar_feeds f
               join memberships m on m.tenant_id = f.tenant_id and m.user_id = f.user_id
               join tenants t on t.id = f.tenant_id
               join users u on u.id = f.user_id
               where f.tenant_id = $1 and f.token = $2 and t.status = 'active'"#,
            tenant_id,
            token,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
        tx.commit().await?;
        Ok(Self {
            user: CurrentUser {
                id: row.user_id,
                email: row.email,
                display_name: row.display_name,
                locale: row.user_locale,
                via_workspace: None,
            },
            tenant: Tenant {
                id: row.id,
                slug: row.slug,
                name: row.name,
                time_zone: row.time_zone,
                locale: row.locale,
                // A calendar has no header to show it in.
                logo_changed_at: None,
            },
            role: row.role.parse().map_err(|_| Error::NotFound)?,
            // A calendar app has no header to switch workspaces from.
            other_workspaces: Vec::new(),
            request_id,
        })
    }
}

/// The tenants a user belongs to, for the workspace chooser.
pub async fn workspaces_of(
    state: &AppState,
    user_id: Uuid,
) -> Result<Vec<(String, String)>, Error> {
    let rows = sqlx::query!(
        r#"select slug as "slug!", name as "name!" from user_memberships($1)"#,
        user_id
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.slug, r.name)).collect())
}
