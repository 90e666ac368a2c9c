//! OpenID Connect login: authorization code flow with PKCE (S256), `state` and `nonce`
//! kept server-side and usable once and bound to the browser that started the login,
//! the callback's `iss` checked (RFC 9207), ID token verified (issuer, audience,
//! signature, expiry, issue time, nonce), session id rotated at login, logout that kills
//! the session here and at the provider (RP-initiated logout).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use maillage_problem::Query;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
    CoreClientAuthMethod, CoreGrantType, CoreIdToken, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode,
    CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl,
    LogoutProviderMetadata, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::return_path::safe_return_path;
use crate::session::{LOGIN_COOKIE, LoginAttempt, SESSION_COOKIE, SessionData, random_token};
use crate::state::AppState;
use crate::{Config, Error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(start_login))
        .route("/auth/callback", get(finish_login))
        .route("/logout", post(logout))
}

type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// An ID token issued this far in the future is refused (clocks differ a little).
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);

/// What discovery says beyond the core metadata: RFC 9207's flag and RP-initiated
/// logout's end-session endpoint.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct IssuerInResponse {
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}
impl AdditionalProviderMetadata for IssuerInResponse {}

type ProviderMetadata = openidconnect::ProviderMetadata<
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
struct Discovered {
    client: DiscoveredClient,
    /// The provider names itself in every callback (RFC 9207): a callback without `iss`
    /// is then refused, not only one with a wrong `iss`.
    iss_in_callback: bool,
    end_session: Option<EndSessionUrl>,
}

/// The platform's OpenID provider, discovered on first use (so that the gateway starts
/// even while the provider is briefly down).
pub struct OidcProvider {
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_url: String,
    post_logout_url: String,
    http: reqwest::Client,
    discovered: OnceCell<Discovered>,
}

impl OidcProvider {
    pub fn new(config: &Config) -> Result<Self, reqwest::Error> {
        Ok(Self {
            issuer: config.oidc_issuer_url.clone(),
            client_id: config.oidc_client_id.clone(),
            client_secret: config.oidc_client_secret.expose_secret().to_owned(),
            redirect_url: format!("{}/auth/callback", config.public_base_url),
            post_logout_url: format!("{}/?logged_out=1", config.public_base_url),
            // Following redirects from the provider's endpoints would be an SSRF vector.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(10))
                .build()?,
            discovered: OnceCell::new(),
        })
    }

    /// Whether sessions vouched for by this issuer are honoured.
    pub fn vouches_for(&self, issuer: &str) -> bool {
        issuer == self.issuer
    }

    async fn discovered(&self) -> Result<&Discovered, Error> {
        self.discovered
            .get_or_try_init(|| async {
                let issuer = IssuerUrl::new(self.issuer.clone())
                    .map_err(|e| Error::LoginFailed(e.to_string()))?;
                let metadata = ProviderMetadata::discover_async(issuer, &self.http)
                    .await
                    .map_err(|e| Error::LoginFailed(format!("discovery: {e}")))?;
                let redirect = RedirectUrl::new(self.redirect_url.clone())
                    .map_err(|e| Error::LoginFailed(e.to_string()))?;
                let extra = metadata.additional_metadata().clone();
                Ok(Discovered {
                    client: CoreClient::from_provider_metadata(
                        metadata,
                        ClientId::new(self.client_id.clone()),
                        Some(ClientSecret::new(self.client_secret.clone())),
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
}

#[derive(Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

async fn start_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Result<Response, Error> {
    let client = &state.oidc.discovered().await?.client;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf_state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    // One value per browser, kept while it has one: logins started in two tabs both
    // finish.
    let browser = jar
        .get(LOGIN_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 43)
        .unwrap_or_else(random_token);
    let attempt = LoginAttempt {
        pkce_verifier: verifier.secret().clone(),
        nonce: nonce.secret().clone(),
        return_to: safe_return_path(query.return_to.as_deref()),
        browser: browser.clone(),
    };
    state
        .sessions
        .save_login_attempt(csrf_state.secret(), &attempt)
        .await?;
    let jar = jar.add(state.sessions.login_cookie(browser));
    Ok((jar, Redirect::to(url.as_str())).into_response())
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

async fn finish_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, Error> {
    // The attempt is consumed first: whatever happens next, this state cannot be replayed.
    let attempt = match &query.state {
        Some(csrf_state) => state.sessions.take_login_attempt(csrf_state).await?,
        None => None,
    };
    let attempt = attempt.ok_or(Error::LoginStateInvalid)?;
    let same_browser = jar
        .get(LOGIN_COOKIE)
        .is_some_and(|c| same_secret(c.value(), &attempt.browser));
    if !same_browser {
        return Err(Error::LoginFromAnotherBrowser);
    }
    if let Some(error) = query.error {
        return Err(Error::LoginFailed(format!("provider returned {error}")));
    }
    let discovered = state.oidc.discovered().await?;
    let client = &discovered.client;
    // RFC 9207: the callback must name our provider, and must name one at all when the
    // provider says it always does (a mix-up attack strips it).
    match query.iss.as_deref() {
        Some(iss) if iss != state.oidc.issuer => {
            return Err(Error::LoginFailed("callback from another issuer".into()));
        }
        None if discovered.iss_in_callback => {
            return Err(Error::LoginFailed("callback without iss".into()));
        }
        _ => {}
    }
    let code = query
        .code
        .ok_or_else(|| Error::LoginFailed("no code in callback".into()))?;
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| Error::LoginFailed(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier))
        .request_async(&state.oidc.http)
        .await
        .map_err(|e| Error::LoginFailed(format!("token exchange: {e:?}")))?;
    let id_token = token
        .id_token()
        .ok_or_else(|| Error::LoginFailed("no ID token".into()))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(attempt.nonce))
        .map_err(|e| Error::LoginFailed(format!("ID token rejected: {e}")))?;
    // openidconnect checks expiry, not the issue time: a token "issued" in the future
    // was minted by a clock or a party we should not trust.
    if claims.issue_time() > chrono::Utc::now() + CLOCK_SKEW {
        return Err(Error::LoginFailed("ID token issued in the future".into()));
    }
    let email = claims
        .email()
        .map(|e| e.as_str().to_owned())
        .ok_or_else(|| Error::LoginFailed("the provider gave no email".into()))?;
    let profile = LoginProfile {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        display_name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .unwrap_or_else(|| email.clone()),
        locale: claims.locale().map(|l| l.as_str().to_owned()),
        email_verified: claims.email_verified().unwrap_or(false),
        email,
    };
    let user_id = record_login(&state, &profile).await?;

    if let Some(old) = jar.get(SESSION_COOKIE) {
        state.sessions.destroy(old.value()).await?;
    }
    let session_id = state
        .sessions
        .create(&SessionData {
            user_id,
            issuer: profile.issuer,
            subject: profile.subject,
            id_token: Some(id_token.to_string()),
        })
        .await?;
    tracing::info!(%user_id, "logged in");
    // The login cookie stays: another tab's login may still come back with it.
    let jar = jar.add(state.sessions.cookie(session_id));
    Ok((jar, Redirect::to(&attempt.return_to)).into_response())
}

struct LoginProfile {
    issuer: String,
    subject: String,
    email: String,
    email_verified: bool,
    display_name: String,
    locale: Option<String>,
}

/// Creates or refreshes the user, and turns invitations sent to a verified email into
/// memberships. Returns the user's id.
async fn record_login(state: &AppState, profile: &LoginProfile) -> Result<Uuid, Error> {
    let locale = match profile.locale.as_deref() {
        Some(l) if l.starts_with("en") => "en",
        _ => "fr",
    };
    let mut tx = maillage_db::begin(&state.pool).await?;
    let user_id = sqlx::query_scalar!(
        r#"insert into users (id, issuer, subject, email, display_name, locale, last_login_at)
           values ($1, $2, $3, $4, $5, $6, now())
           on conflict on constraint users_issuer_subject_key do update
           set email = excluded.email, display_name = excluded.display_name, last_login_at = now()
           returning id"#,
        Uuid::now_v7(),
        profile.issuer,
        profile.subject,
        profile.email,
        profile.display_name,
        locale,
    )
    .fetch_one(&mut *tx)
    .await?;
    if profile.email_verified {
        // Invitations wait in their tenants, under row-level security: the one function
        // that accepts them across tenants does it for this email only.
        sqlx::query_scalar!("select accept_invitations($1, $2)", user_id, profile.email,)
            .fetch_one(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(user_id)
}

/// Ends the session here, then at the provider when it offers RP-initiated logout (with
/// the login's ID token as hint), which sends the browser back to the home page.
async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, Error> {
    let mut id_token = None;
    if let Some(session) = jar.get(SESSION_COOKIE) {
        id_token = state
            .sessions
            .get(session.value())
            .await?
            .and_then(|s| s.id_token);
        state.sessions.destroy(session.value()).await?;
    }
    let jar = jar.remove(state.sessions.removal_cookie());
    let target = match state.oidc.discovered().await {
        Ok(discovered) => provider_logout_url(&state.oidc, discovered, id_token.as_deref()),
        // The provider is unreachable: the session here is over all the same.
        Err(_) => None,
    };
    let target = target.unwrap_or_else(|| "/?logged_out=1".into());
    Ok((jar, Redirect::to(&target)).into_response())
}

fn provider_logout_url(
    oidc: &OidcProvider,
    discovered: &Discovered,
    id_token: Option<&str>,
) -> Option<String> {
    let endpoint = discovered.end_session.clone()?;
    let id_token: CoreIdToken = id_token?.parse().ok()?;
    let back = PostLogoutRedirectUrl::new(oidc.post_logout_url.clone()).ok()?;
    Some(
        LogoutRequest::from(endpoint)
            .set_id_token_hint(&id_token)
            .set_client_id(ClientId::new(oidc.client_id.clone()))
            .set_post_logout_redirect_uri(back)
            .http_get_url()
            .to_string(),
    )
}
