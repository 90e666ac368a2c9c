//! OpenID Connect login: authorization code flow with PKCE (S256), `state` and `nonce`
//! kept server-side and usable once, ID token verified (issuer, audience, signature,
//! expiry, nonce), session id rotated at login, logout that kills the session.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::session::{LoginAttempt, SESSION_COOKIE, SessionData};
use crate::startup::AppState;
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

/// The platform's OpenID provider, discovered on first use (so that the gateway starts
/// even while the provider is briefly down).
pub struct OidcProvider {
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_url: String,
    http: reqwest::Client,
    client: OnceCell<DiscoveredClient>,
}

impl OidcProvider {
    pub fn new(config: &Config) -> Result<Self, reqwest::Error> {
        Ok(Self {
            issuer: config.oidc_issuer_url.clone(),
            client_id: config.oidc_client_id.clone(),
            client_secret: config.oidc_client_secret.expose_secret().to_owned(),
            redirect_url: format!("{}/auth/callback", config.public_base_url),
            // Following redirects from the provider's endpoints would be an SSRF vector.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(10))
                .build()?,
            client: OnceCell::new(),
        })
    }

    async fn client(&self) -> Result<&DiscoveredClient, Error> {
        self.client
            .get_or_try_init(|| async {
                let issuer = IssuerUrl::new(self.issuer.clone())
                    .map_err(|e| Error::LoginFailed(e.to_string()))?;
                let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
                    .await
                    .map_err(|e| Error::LoginFailed(format!("discovery: {e}")))?;
                let redirect = RedirectUrl::new(self.redirect_url.clone())
                    .map_err(|e| Error::LoginFailed(e.to_string()))?;
                Ok(CoreClient::from_provider_metadata(
                    metadata,
                    ClientId::new(self.client_id.clone()),
                    Some(ClientSecret::new(self.client_secret.clone())),
                )
                .set_redirect_uri(redirect))
            })
            .await
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

/// Only paths of this site: `//evil.example` or `https://…` would be an open redirect.
fn safe_return_path(raw: Option<String>) -> String {
    raw.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .unwrap_or_else(|| "/".into())
}

async fn start_login(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> Result<Redirect, Error> {
    let client = state.oidc.client().await?;
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
    let attempt = LoginAttempt {
        pkce_verifier: verifier.secret().clone(),
        nonce: nonce.secret().clone(),
        return_to: safe_return_path(query.return_to),
    };
    state
        .sessions
        .save_login_attempt(csrf_state.secret(), &attempt)
        .await?;
    Ok(Redirect::to(url.as_str()))
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
    if let Some(error) = query.error {
        return Err(Error::LoginFailed(format!("provider returned {error}")));
    }
    let client = state.oidc.client().await?;
    // RFC 9207: when the provider names itself in the callback, it must be ours.
    if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss != state.oidc.issuer)
    {
        return Err(Error::LoginFailed("callback from another issuer".into()));
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
    let session_id = state.sessions.create(&SessionData { user_id }).await?;
    tracing::info!(%user_id, "logged in");
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
        sqlx::query!(
            r#"insert into memberships (tenant_id, user_id, role)
               select tenant_id, $1, role from invitations
               where lower(email) = lower($2) and accepted_at is null
               on conflict do nothing"#,
            user_id,
            profile.email,
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "update invitations set accepted_at = now() where lower(email) = lower($1) and accepted_at is null",
            profile.email,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(user_id)
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, Error> {
    if let Some(session) = jar.get(SESSION_COOKIE) {
        state.sessions.destroy(session.value()).await?;
    }
    let jar = jar.remove(state.sessions.removal_cookie());
    Ok((jar, Redirect::to("/?logged_out=1")).into_response())
}
