use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use maillage_identity::{CHECK_ONLY_HEADER, IDENTITY_HEADER, InternalIdentity};
use sqlx::{Postgres, Transaction};

use crate::Error;
use crate::state::AppState;

/// The verified identity of the caller: the only source of tenant, user and role; and
/// whether the request only asks what its body would be refused for (`CHECK_ONLY_HEADER`).
pub struct Identity(pub InternalIdentity, CheckOnly);

/// A request that is checked and never written: its transaction is read-only, so that
/// PostgreSQL itself refuses the first write once every check has passed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CheckOnly(bool);

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
        let check_only = parts.headers.contains_key(CHECK_ONLY_HEADER);
        Ok(Self(identity, CheckOnly(check_only)))
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
        let mut tx =
            maillage_db::begin_tenant_as(&state.pool, self.0.tenant_id, self.0.user_id).await?;
        if self.checks_only() {
            sqlx::query("set transaction read only")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// Whether the request is only checked (see `CheckOnly`): rows are then read without
    /// being locked, which a read-only transaction cannot do.
    pub fn checks_only(&self) -> bool {
        self.1 == CheckOnly(true)
    }
}
