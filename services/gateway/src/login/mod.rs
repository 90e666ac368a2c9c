//! OpenID Connect login: authorization code flow with PKCE (S256), `state` and `nonce`
//! kept server-side and usable once and bound to the browser that started the login,
//! the callback's `iss` checked (RFC 9207), ID token verified (issuer, audience,
//! signature, expiry, issue time, nonce), session id rotated at login, logout that kills
//! the session here and at the provider (RP-initiated logout).
//!
//! Two kinds of provider: the platform's, and a workspace's own
//! (`crate::workspace_sign_in`). A login for a page of a workspace with its own provider
//! goes there; each provider has its own callback (`/auth/callback` for the platform's,
//! `/auth/callback/{tenant_id}` for a workspace's), and an attempt started for one is
//! refused on another's (mix-up defence). A session remembers which provider vouched for
//! it: a workspace's provider vouches for that workspace only.

mod provider;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use maillage_i18n::Lang;
use maillage_problem::{Path, Query};
use openidconnect::core::{CoreAuthenticationFlow, CoreGenderClaim};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, Scope, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use self::provider::{ClientSettings, OidcProvider, discover, http_client};
use crate::return_path::safe_return_path;
use crate::session::{LOGIN_COOKIE, LoginAttempt, SESSION_COOKIE, SessionData, random_token};
use crate::state::AppState;
use crate::{Config, Error};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(start_login))
        .route("/t/{slug}/login", get(start_workspace_login))
        .route("/login/email", post(login_by_email))
        .route("/auth/callback", get(finish_platform_login))
        .route("/auth/callback/{tenant_id}", get(finish_workspace_login))
        .route("/logout", post(logout))
}

/// An ID token issued this far in the future is refused (clocks differ a little).
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);

/// The platform's provider, as the environment describes it.
pub fn platform_provider(config: &Config) -> Result<OidcProvider, reqwest::Error> {
    Ok(OidcProvider::new(
        ClientSettings {
            issuer: config.oidc_issuer_url.clone(),
            client_id: config.oidc_client_id.clone(),
            client_secret: config.oidc_client_secret.clone(),
            redirect_url: format!("{}/auth/callback", config.public_base_url),
            post_logout_url: format!("{}/?logged_out=1", config.public_base_url),
            acr_values: None,
        },
        http_client()?,
    ))
}

#[derive(Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

/// `/login`: through the provider of the workspace the browser is going back to, when
/// it has its own; the platform's otherwise.
async fn start_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Result<Response, Error> {
    let return_to = safe_return_path(query.return_to.as_deref());
    let workspace = state
        .workspace_sign_in
        .workspace_of_path(&state.pool, &return_to)
        .await?;
    begin(&state, jar, workspace, return_to).await
}

/// `/t/{slug}/login`: a workspace's own entrance (the address its members bookmark).
async fn start_workspace_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(slug): Path<String>,
    Query(query): Query<LoginQuery>,
) -> Result<Response, Error> {
    let fallback = format!("/t/{slug}/");
    let return_to = match query.return_to.as_deref() {
        Some(path) => safe_return_path(Some(path)),
        None => safe_return_path(Some(&fallback)),
    };
    let workspace = state
        .workspace_sign_in
        .workspace_of_slug(&state.pool, &slug)
        .await?;
    begin(&state, jar, workspace, return_to).await
}

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

/// `/login/email`: the sign-in page's "your address" step. An address of a domain that
/// one workspace's own provider vouches for signs in there; any other, through the
/// platform's provider.
async fn login_by_email(
    State(state): State<AppState>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<EmailForm>,
) -> Result<Response, Error> {
    let domain = form
        .email
        .trim()
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_lowercase())
        .filter(|domain| !domain.is_empty() && domain.len() <= 253);
    let slug = match domain {
        Some(domain) => {
            sqlx::query_scalar!("select workspace_for_email_domain($1)", domain)
                .fetch_one(&state.pool)
                .await?
        }
        None => None,
    };
    let target = slug.map_or_else(|| "/login".to_owned(), |slug| format!("/t/{slug}/login"));
    Ok(Redirect::to(&target).into_response())
}

/// Sends the browser to the provider of `workspace` (its own, if it has one) or to the
/// platform's.
async fn begin(
    state: &AppState,
    jar: CookieJar,
    workspace: Option<Uuid>,
    return_to: String,
) -> Result<Response, Error> {
    let (provider, workspace) = provider_for(state, workspace).await?;
    let client = &provider.discovered().await?.client;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge);
    if let Some(acr) = provider.acr_values() {
        request = request.add_extra_param("acr_values", acr);
    }
    let (url, csrf_state, nonce) = request.url();
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
        return_to,
        browser: browser.clone(),
        workspace,
    };
    state
        .sessions
        .save_login_attempt(csrf_state.secret(), &attempt)
        .await?;
    let jar = jar.add(state.sessions.login_cookie(browser));
    Ok((jar, Redirect::to(url.as_str())).into_response())
}

/// The provider that signs in for `workspace`, and the workspace it stands for (none for
/// the platform's).
async fn provider_for(
    state: &AppState,
    workspace: Option<Uuid>,
) -> Result<(Arc<OidcProvider>, Option<Uuid>), Error> {
    if let Some(tenant_id) = workspace
        && let Some(own) = state
            .workspace_sign_in
            .provider(&state.pool, tenant_id)
            .await?
    {
        return Ok((own, Some(tenant_id)));
    }
    Ok((state.oidc.clone(), None))
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

async fn finish_platform_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, Error> {
    finish_login(&state, jar, query, None).await
}

async fn finish_workspace_login(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(tenant_id): Path<Uuid>,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, Error> {
    finish_login(&state, jar, query, Some(tenant_id)).await
}

/// The callback of the provider of `callback_for` (a workspace's, or the platform's).
async fn finish_login(
    state: &AppState,
    jar: CookieJar,
    query: CallbackQuery,
    callback_for: Option<Uuid>,
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
    // Mix-up defence: an attempt comes back on the callback of the provider it went to.
    if attempt.workspace != callback_for {
        return Err(Error::LoginFailed(
            "callback of another provider than the login's".into(),
        ));
    }
    if let Some(error) = query.error {
        return Err(Error::LoginFailed(format!("provider returned {error}")));
    }
    let (provider, workspace) = provider_for(state, attempt.workspace).await?;
    if workspace != attempt.workspace {
        return Err(Error::LoginFailed(
            "the workspace's provider changed during the login".into(),
        ));
    }
    let discovered = provider.discovered().await?;
    let client = &discovered.client;
    // RFC 9207: the callback must name our provider, and must name one at all when the
    // provider says it always does (a mix-up attack strips it).
    match query.iss.as_deref() {
        Some(iss) if iss != provider.issuer() => {
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
        .request_async(provider.http())
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
    // The level of assurance asked for must be the one given, when the token says one.
    if let (Some(asked), Some(given)) = (provider.acr_values(), claims.auth_context_ref())
        && !asked.split_whitespace().any(|acr| acr == given.as_str())
    {
        return Err(Error::LoginFailed(format!(
            "authentication context {} where {asked} was asked",
            given.as_str()
        )));
    }
    // Claims in the ID token, or else (ProConnect) from the userinfo endpoint: a signed
    // JWT checked against the provider's keys, for the same subject.
    let mut profile = LoginProfile {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email: claims
            .email()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
        email_verified: claims.email_verified().unwrap_or(false),
        display_name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default(),
        locale: claims.locale().map(|l| l.as_str().to_owned()),
    };
    if profile.email.is_empty() {
        let info: UserInfoClaims<ProConnectClaims, CoreGenderClaim> = client
            .user_info(token.access_token().clone(), Some(claims.subject().clone()))
            .map_err(|e| Error::LoginFailed(format!("userinfo: {e}")))?
            .request_async(provider.http())
            .await
            .map_err(|e| Error::LoginFailed(format!("userinfo: {e}")))?;
        profile.email = info
            .email()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default();
        profile.email_verified = info.email_verified().unwrap_or(false);
        let given = info
            .given_name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned());
        let family = info
            .family_name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| info.additional_claims().usual_name.clone());
        profile.display_name = match (info.name().and_then(|n| n.get(None)), given, family) {
            (Some(name), _, _) => name.as_str().to_owned(),
            (None, Some(given), Some(family)) => format!("{given} {family}"),
            (None, given, family) => given.or(family).unwrap_or_default(),
        };
    }
    if profile.email.is_empty() {
        return Err(Error::LoginFailed("the provider gave no email".into()));
    }
    if profile.display_name.is_empty() {
        profile.display_name = profile.email.clone();
    }
    // A workspace's provider vouches for the addresses of the domains the workspace
    // lists (its own organisation's): as good as verified there.
    if let Some(tenant_id) = workspace {
        let vouched = state
            .workspace_sign_in
            .admits(&state.pool, tenant_id, &profile.email)
            .await?;
        profile.email_verified |= vouched;
    }
    let (user_id, language) = record_login(state, &profile, workspace).await?;

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
            workspace,
        })
        .await?;
    tracing::info!(%user_id, ?workspace, "logged in");
    // The login cookie stays: another tab's login may still come back with it.
    let mut jar = jar.add(state.sessions.cookie(session_id));
    // The pages outside a workspace speak the user's language too.
    if let Some(lang) = language {
        jar = jar.add(state.sessions.language_cookie(lang));
    }
    Ok((jar, Redirect::to(&attempt.return_to)).into_response())
}

/// What ProConnect says beyond the standard claims: the family name under its own name.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct ProConnectClaims {
    usual_name: Option<String>,
}
impl AdditionalClaims for ProConnectClaims {}

struct LoginProfile {
    issuer: String,
    subject: String,
    email: String,
    email_verified: bool,
    display_name: String,
    locale: Option<String>,
}

/// Creates or refreshes the user, and turns invitations sent to a verified email into
/// memberships: through a workspace's provider, that workspace's only. Returns the
/// user's id and the language they chose, if they did.
async fn record_login(
    state: &AppState,
    profile: &LoginProfile,
    workspace: Option<Uuid>,
) -> Result<(Uuid, Option<Lang>), Error> {
    // The provider's word for the language, when it says one the pages speak; else the
    // user reads each workspace's own until they choose.
    let locale = profile
        .locale
        .as_deref()
        .and_then(Lang::from_tag)
        .map(Lang::code);
    let mut tx = maillage_db::begin(&state.pool).await?;
    let user = sqlx::query!(
        r#"insert into users (id, issuer, subject, email, display_name, locale, last_login_at)
           values ($1, $2, $3, $4, $5, $6, now())
           on conflict on constraint users_issuer_subject_key do update
           set email = excluded.email, display_name = excluded.display_name, last_login_at = now()
           returning id, locale"#,
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
        sqlx::query_scalar!(
            "select accept_invitations($1, $2, $3)",
            user.id,
            profile.email,
            workspace,
        )
        .fetch_one(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let language = user.locale.as_deref().and_then(Lang::from_tag);
    Ok((user.id, language))
}

/// Ends the session here, then at its provider when it offers RP-initiated logout (with
/// the login's ID token as hint), which sends the browser back to the home page.
async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, Error> {
    let mut ended = None;
    if let Some(session) = jar.get(SESSION_COOKIE) {
        ended = state.sessions.get(session.value()).await?;
        state.sessions.destroy(session.value()).await?;
    }
    let jar = jar.remove(state.sessions.removal_cookie());
    let workspace = ended.as_ref().and_then(|session| session.workspace);
    let id_token = ended.and_then(|session| session.id_token);
    // The provider unreachable, or gone from the workspace's settings: the session here
    // is over all the same.
    let target = match provider_for(&state, workspace).await {
        Ok((provider, _)) => match provider.discovered().await {
            Ok(discovered) => provider.logout_url(discovered, id_token.as_deref()),
            Err(_) => None,
        },
        Err(_) => None,
    };
    let target = target.unwrap_or_else(|| "/?logged_out=1".into());
    Ok((jar, Redirect::to(&target)).into_response())
}
