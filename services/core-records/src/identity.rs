use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use maillage_identity::{IDENTITY_HEADER, InternalIdentity};
use sqlx::{Postgres, Transaction};

use crate::Error;
use crate::state::AppState;

/// The verified identity of the caller: the only source of tenant, user and role.
pub struct Identity(pub InternalIdentity);

impl FromRequestParts<AppState> for Identity {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let token = parts
            .headers
            .get(IDENTITY_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or(Error::Unauthenticated)?;
        let identity = state.identity_key.verify(token).map_err(|error| {
            tracing::warn!(%error, "rejected internal identity");
            Error::Unauthenticated
        })?;
        maillage_runtime::record_actor(&identity.tenant_id, &identity.user_id);
        Ok(Self(identity))
    }
}

impl Identity {
    /// Writes need an editor or above.
    pub fn require_editor(&self) -> Result<(), Error> {
        if self.0.role.can_edit_records() {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Settings of the whole tenant are for its owners and admins.
    pub fn require_admin(&self) -> Result<(), Error> {
        if self.0.role >= maillage_domain::Role::Admin {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The request's one transaction, scoped to the caller's tenant and made in their
    /// name (for the histories kept by triggers).
    pub async fn begin(&self, state: &AppState) -> Result<Transaction<'static, Postgres>, Error> {
        Ok(maillage_db::begin_tenant_as(&state.pool, self.0.tenant_id, self.0.user_id).await?)
    }
}
