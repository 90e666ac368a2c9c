//! A workspace's own sign-in (bring your own identity provider): its owners name their
//! provider (issuer, client id and secret, the email domains it vouches for); its members
//! then sign in there, and only there (`crate::login`, `crate::membership`). The
//! platform's provider stays the default.
//!
//! - `sealing`: the client secret is sealed before it is stored;
//! - `reachable`: an issuer is checked before it is saved (discovery, and no address a
//!   gateway should not call: the SSRF class);
//! - `settings`: reading, saving (with the members carried over) and removing them, for
//!   the API and the settings page.

mod reachable;
mod sealing;
pub mod settings;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use self::sealing::SealingKey;
pub use self::settings::{SignInInput, SignInView, router};
use crate::Error;
use crate::login::{ClientSettings, OidcProvider, http_client};

/// The workspaces' providers, as their settings say, each discovered once per version
/// of its settings.
pub struct WorkspaceSignIn {
    /// None: the operator gave no key, and workspaces cannot bring their own provider.
    key: Option<SealingKey>,
    /// Development and tests: issuers on `http://` and on this machine are accepted.
    may_be_local: bool,
    public_base_url: String,
    providers: Mutex<HashMap<Uuid, Discovered>>,
}

/// A workspace's provider, and the version of the settings it was made from.
type Discovered = (DateTime<Utc>, Arc<OidcProvider>);

impl WorkspaceSignIn {
    pub fn new(key: Option<SealingKey>, may_be_local: bool, public_base_url: &str) -> Self {
        Self {
            key,
            may_be_local,
            public_base_url: public_base_url.to_owned(),
            providers: Mutex::new(HashMap::new()),
        }
    }

    /// Where a workspace's provider sends the browser back (to register there).
    pub fn redirect_url(&self, tenant_id: Uuid) -> String {
        format!("{}/auth/callback/{tenant_id}", self.public_base_url)
    }

    /// The workspace a path of this site belongs to: `/t/{slug}/…`, or an invitation's
    /// link `/invitations/{tenant_id}/…`.
    pub async fn workspace_of_path(
        &self,
        pool: &sqlx::PgPool,
        path: &str,
    ) -> Result<Option<Uuid>, Error> {
        let mut segments = path.trim_start_matches('/').split(['/', '?']);
        match (segments.next(), segments.next()) {
            (Some("t"), Some(slug)) if !slug.is_empty() => self.workspace_of_slug(pool, slug).await,
            (Some("invitations"), Some(id)) => Ok(id.parse().ok()),
            _ => Ok(None),
        }
    }

    pub async fn workspace_of_slug(
        &self,
        pool: &sqlx::PgPool,
        slug: &str,
    ) -> Result<Option<Uuid>, Error> {
        Ok(
            sqlx::query_scalar!("select id from tenants where slug = $1", slug)
                .fetch_optional(pool)
                .await?,
        )
    }

    /// The issuer a workspace's members sign in with, when it has its own provider.
    pub async fn issuer(
        &self,
        pool: &sqlx::PgPool,
        tenant_id: Uuid,
    ) -> Result<Option<String>, Error> {
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        let issuer = sqlx::query_scalar!(
            "select issuer from workspace_identity_providers where tenant_id = $1",
            tenant_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(issuer)
    }

    /// The workspace's own provider, if it has one.
    pub async fn provider(
        &self,
        pool: &sqlx::PgPool,
        tenant_id: Uuid,
    ) -> Result<Option<Arc<OidcProvider>>, Error> {
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        let row = sqlx::query!(
            r#"select issuer, client_id, client_secret_sealed, acr_values, updated_at
               from workspace_identity_providers where tenant_id = $1"#,
            tenant_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if let Ok(providers) = self.providers.lock()
            && let Some((version, provider)) = providers.get(&tenant_id)
            && *version == row.updated_at
        {
            return Ok(Some(provider.clone()));
        }
        let key = self.key.as_ref().ok_or(Error::SignInNotConfigured)?;
        let secret = key
            .open(tenant_id, &row.client_secret_sealed)
            .map_err(|_| Error::SignInNotConfigured)?;
        let provider = Arc::new(OidcProvider::new(
            ClientSettings {
                issuer: row.issuer,
                client_id: row.client_id,
                client_secret: secret,
                redirect_url: self.redirect_url(tenant_id),
                post_logout_url: format!("{}/?logged_out=1", self.public_base_url),
                acr_values: row.acr_values,
            },
            http_client().map_err(|e| Error::LoginFailed(e.to_string()))?,
        ));
        if let Ok(mut providers) = self.providers.lock() {
            providers.insert(tenant_id, (row.updated_at, provider.clone()));
        }
        Ok(Some(provider))
    }

    /// Whether the workspace's provider may sign in `email`: one of the domains its
    /// settings list (any, when they list none). Ok(true) when the address is of a listed
    /// domain: the organisation's own provider vouches for it.
    pub async fn admits(
        &self,
        pool: &sqlx::PgPool,
        tenant_id: Uuid,
        email: &str,
    ) -> Result<bool, Error> {
        let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
        let domains = sqlx::query_scalar!(
            "select allowed_domains from workspace_identity_providers where tenant_id = $1",
            tenant_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or_default();
        tx.commit().await?;
        let domain = email.rsplit_once('@').map(|(_, d)| d.to_lowercase());
        let listed = domain.is_some_and(|domain| domains.contains(&domain));
        if listed || domains.is_empty() {
            Ok(listed)
        } else {
            Err(Error::SignInDomainRefused)
        }
    }
}

impl WorkspaceSignIn {
    /// Whether this platform lets workspaces bring their own provider.
    pub fn available(&self) -> bool {
        self.key.is_some()
    }

    fn key(&self) -> Option<&SealingKey> {
        self.key.as_ref()
    }

    fn may_be_local(&self) -> bool {
        self.may_be_local
    }
}
