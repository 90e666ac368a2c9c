//! Server-side sessions and login attempts, kept in Redis. The browser only holds an
//! opaque random id in an HttpOnly cookie; logging out deletes the session itself.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use maillage_i18n::Lang;
use rand::RngCore;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "maillage_session";
/// Binds a login attempt to the browser that started it (see `LoginAttempt::browser`).
pub const LOGIN_COOKIE: &str = "maillage_login";

/// The language the user chose, for pages read before any workspace is (see `crate::lang`).
pub const LANGUAGE_COOKIE: &str = "maillage_lang";
/// How long someone has to come back from the identity provider.
const LOGIN_ATTEMPT_TTL_SECONDS: u64 = 600;

#[derive(Clone)]
pub struct SessionStore {
    redis: ConnectionManager,
    namespace: String,
    ttl: Duration,
    secure_cookies: bool,
}

/// Who a session is for, and who vouched for them: every request checks that the
/// provider is still one the platform accepts and that the user is still that
/// provider's subject (a gateway configured with another provider sharing the Redis
/// cannot mint sessions this one honours).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionData {
    pub user_id: Uuid,
    pub issuer: String,
    pub subject: String,
    /// The ID token of the login, sent back to the provider as `id_token_hint` when
    /// logging out there too (RP-initiated logout).
    pub id_token: Option<String>,
    /// The workspace whose own provider vouched for this session (none: the
    /// platform's). Such a session opens that workspace and nothing else.
    #[serde(default)]
    pub workspace: Option<Uuid>,
}

/// What the callback needs to finish a login it started: never sent to the browser.
#[derive(Debug, Serialize, Deserialize)]
pub struct LoginAttempt {
    pub pkce_verifier: String,
    pub nonce: String,
    pub return_to: String,
    /// The value of the browser's `maillage_login` cookie when it started the attempt:
    /// a callback arriving in another browser (a link sent to someone to log them in
    /// as the sender) is refused.
    pub browser: String,
    /// The workspace whose provider the attempt went to (none: the platform's): its
    /// callback must be that provider's.
    #[serde(default)]
    pub workspace: Option<Uuid>,
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl SessionStore {
    pub fn new(
        redis: ConnectionManager,
        namespace: String,
        ttl: Duration,
        secure_cookies: bool,
    ) -> Self {
        Self {
            redis,
            namespace,
            ttl,
            secure_cookies,
        }
    }

    fn session_key(&self, id: &str) -> String {
        format!("{}:session:{id}", self.namespace)
    }

    fn login_key(&self, state: &str) -> String {
        format!("{}:login:{state}", self.namespace)
    }

    /// A new session with a new id (never a reused one: no session fixation).
    pub async fn create(&self, data: &SessionData) -> Result<String, Error> {
        let id = random_token();
        let value = serde_json::to_string(data).unwrap_or_default();
        let mut redis = self.redis.clone();
        let _: () = redis
            .set_ex(self.session_key(&id), value, self.ttl.as_secs())
            .await?;
        Ok(id)
    }

    pub async fn get(&self, id: &str) -> Result<Option<SessionData>, Error> {
        let mut redis = self.redis.clone();
        let value: Option<String> = redis.get(self.session_key(id)).await?;
        Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
    }

    pub async fn destroy(&self, id: &str) -> Result<(), Error> {
        let mut redis = self.redis.clone();
        let _: i64 = redis.del(self.session_key(id)).await?;
        Ok(())
    }

    pub async fn save_login_attempt(
        &self,
        state: &str,
        attempt: &LoginAttempt,
    ) -> Result<(), Error> {
        let value = serde_json::to_string(attempt).unwrap_or_default();
        let mut redis = self.redis.clone();
        let _: () = redis
            .set_ex(self.login_key(state), value, LOGIN_ATTEMPT_TTL_SECONDS)
            .await?;
        Ok(())
    }

    /// The attempt started with this `state`, at most once (GETDEL): a replayed callback
    /// finds nothing.
    pub async fn take_login_attempt(&self, state: &str) -> Result<Option<LoginAttempt>, Error> {
        let mut redis = self.redis.clone();
        let value: Option<String> = redis.get_del(self.login_key(state)).await?;
        Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
    }

    pub fn cookie(&self, id: String) -> Cookie<'static> {
        self.private_cookie(SESSION_COOKIE, id)
    }

    /// A cookie only this site reads, never scripts, sent with top-level navigations.
    fn private_cookie(&self, name: &'static str, value: String) -> Cookie<'static> {
        Cookie::build((name, value))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .path("/")
            .build()
    }

    /// The language a user chose, kept by the browser too: what the pages outside a
    /// workspace (the error pages, the sign-in) speak to them in. A year, as a choice is.
    pub fn language_cookie(&self, lang: Lang) -> Cookie<'static> {
        let mut cookie = self.private_cookie(LANGUAGE_COOKIE, lang.code().to_owned());
        cookie.set_max_age(time::Duration::days(365));
        cookie
    }

    /// Forgets the language cookie: the user reads each workspace's own again.
    pub fn language_removal_cookie(&self) -> Cookie<'static> {
        Cookie::build((LANGUAGE_COOKIE, "")).path("/").build()
    }

    pub fn removal_cookie(&self) -> Cookie<'static> {
        Cookie::build((SESSION_COOKIE, "")).path("/").build()
    }

    /// The cookie that ties login attempts to this browser (the attempts themselves
    /// expire in Redis). `/login` reads it too, so that logins started in two tabs share
    /// it rather than overwrite each other's.
    pub fn login_cookie(&self, value: String) -> Cookie<'static> {
        self.private_cookie(LOGIN_COOKIE, value)
    }
}

/// A session already read from Redis for this request (by the rate limits), so that
/// the handler's extractor does not read it a second time.
#[derive(Debug, Clone)]
pub struct SessionLookup {
    pub id: String,
    pub data: Option<SessionData>,
}

/// The logged-in user of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// The language they chose ("fr", "en"); none: each workspace's own.
    pub locale: Option<String>,
    /// Signed in through this workspace's own provider (none: the platform's).
    pub via_workspace: Option<Uuid>,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let jar = CookieJar::from_headers(&parts.headers);
        let session_id = jar
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_owned())
            .ok_or(Error::LoginRequired)?;
        let looked_up = parts
            .extensions
            .get::<SessionLookup>()
            .filter(|lookup| lookup.id == session_id)
            .map(|lookup| lookup.data.clone());
        let session = match looked_up {
            Some(data) => data,
            None => state.sessions.get(&session_id).await?,
        }
        .ok_or(Error::LoginRequired)?;
        // The provider that vouched for it must still be the one trusted: the platform's,
        // or the workspace's own as its settings say now.
        let vouched = match session.workspace {
            None => state.oidc.vouches_for(&session.issuer),
            Some(tenant_id) => state
                .workspace_sign_in
                .issuer(&state.pool, tenant_id)
                .await?
                .is_some_and(|issuer| issuer == session.issuer),
        };
        if !vouched {
            return Err(Error::LoginRequired);
        }
        let user = sqlx::query!(
            "select id, email, display_name, locale from users where id = $1 and issuer = $2 and subject = $3",
            session.user_id,
            session.issuer,
            session.subject,
        )
        .fetch_optional(&state.pool)
        .await?
        .ok_or(Error::LoginRequired)?;
        Ok(CurrentUser {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            locale: user.locale,
            via_workspace: session.workspace,
        })
    }
}

/// For pages that anyone may see: `None` when nobody is logged in.
impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Error> {
        match <Self as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(Error::LoginRequired) => Ok(None),
            Err(other) => Err(other),
        }
    }
}
