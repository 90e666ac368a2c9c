//! One OpenID provider as this gateway is its client: the platform's (from the
//! environment), or a workspace's own (from its settings, `crate::workspace_sign_in`).
//! Discovered on first use, so that the gateway starts even while a provider is down.

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGrantType,
    CoreIdToken, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, ClientId, ClientSecret, EndSessionUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, LogoutProviderMetadata, LogoutRequest,
    PostLogoutRedirectUrl, RedirectUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;

use crate::Error;

pub type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What discovery says beyond the core metadata: RFC 9207's flag and RP-initiated
/// logout's end-session endpoint.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct IssuerInResponse {
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}
impl AdditionalProviderMetadata for IssuerInResponse {}

pub type ProviderMetadata = openidconnect::ProviderMetadata<
    LogoutProviderMetadata<IssuerInResponse>,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The provider as discovered: the client, and what its metadata promises.
pub struct Discovered {
    pub client: DiscoveredClient,
    /// The provider names itself in every callback (RFC 9207): a callback without `iss`
    /// is then refused, not only one with a wrong `iss`.
    pub iss_in_callback: bool,
    end_session: Option<EndSessionUrl>,
}

/// How this gateway is registered with a provider.
pub struct ClientSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Where the provider sends the browser back: one address per provider, so that a
    /// callback cannot be taken for another provider's (mix-up defence).
    pub redirect_url: String,
    pub post_logout_url: String,
    /// Asked at each sign-in when set (`acr_values`: ProConnect's "eidas1").
    pub acr_values: Option<String>,
}

pub struct OidcProvider {
    settings: ClientSettings,
    http: reqwest::Client,
    discovered: OnceCell<Discovered>,
}

/// The client every call to a provider goes through.
pub fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        // Following redirects from the provider's endpoints would be an SSRF vector.
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
}

impl OidcProvider {
    pub fn new(settings: ClientSettings, http: reqwest::Client) -> Self {
        Self {
            settings,
            http,
            discovered: OnceCell::new(),
        }
    }

    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    pub fn acr_values(&self) -> Option<&str> {
        self.settings.acr_values.as_deref()
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Whether sessions vouched for by this issuer are honoured.
    pub fn vouches_for(&self, issuer: &str) -> bool {
        issuer == self.settings.issuer
    }

    pub async fn discovered(&self) -> Result<&Discovered, Error> {
        self.discovered
            .get_or_try_init(|| async {
                let metadata = discover(&self.settings.issuer, &self.http)
                    .await
                    .map_err(Error::LoginFailed)?;
                let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
                    .map_err(|e| Error::LoginFailed(e.to_string()))?;
                let extra = metadata.additional_metadata().clone();
                Ok(Discovered {
                    client: CoreClient::from_provider_metadata(
                        metadata,
                        ClientId::new(self.settings.client_id.clone()),
                        Some(ClientSecret::new(
                            self.settings.client_secret.expose_secret().to_owned(),
                        )),
                    )
                    .set_redirect_uri(redirect),
                    iss_in_callback: extra
                        .additional_metadata
                        .authorization_response_iss_parameter_supported,
                    end_session: extra.end_session_endpoint,
                })
            })
            .await
    }

    /// Where to send the browser to end the session at the provider too (RP-initiated
    /// logout), with the login's ID token as hint; none when it offers no such thing.
    pub fn logout_url(&self, discovered: &Discovered, id_token: Option<&str>) -> Option<String> {
        let endpoint = discovered.end_session.clone()?;
        let id_token: CoreIdToken = id_token?.parse().ok()?;
        let back = PostLogoutRedirectUrl::new(self.settings.post_logout_url.clone()).ok()?;
        Some(
            LogoutRequest::from(endpoint)
                .set_id_token_hint(&id_token)
                .set_client_id(ClientId::new(self.settings.client_id.clone()))
                .set_post_logout_redirect_uri(back)
                .http_get_url()
                .to_string(),
        )
    }
}

/// The provider's metadata at `issuer`, which must name itself `issuer`.
pub async fn discover(issuer: &str, http: &reqwest::Client) -> Result<ProviderMetadata, String> {
    let issuer = IssuerUrl::new(issuer.to_owned()).map_err(|e| e.to_string())?;
    ProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| format!("discovery: {e}"))
}
