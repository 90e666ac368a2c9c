//! A small OpenID provider that gets one thing wrong at a time, for the login's negative
//! tests: a client must refuse every defect and accept the provider when it has none.
//! It logs anyone in at once (no login page): the authorization endpoint redirects
//! straight back with a code, and the token endpoint answers with the ID token of the
//! defect under test.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Deserialize;
use serde_json::{Value, json};

const SIGNING_KEY: &[u8] = include_bytes!("../keys/provider-signing-key.der");
const SIGNING_KEY_MODULUS: &str = include_str!("../keys/provider-signing-key.n");
const PUBLIC_KEY: &str = include_str!("../keys/provider-signing-key.pub.pem");
const ANOTHER_KEY: &[u8] = include_bytes!("../keys/another-signing-key.der");
const KEY_ID: &str = "provider-key";

/// One way of getting a login wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// Nothing wrong: the login must succeed.
    None,
    /// The ID token names another issuer.
    WrongIssuer,
    /// The ID token is for another client.
    WrongAudience,
    /// The ID token is not signed (`alg: none`).
    AlgNone,
    /// The ID token's payload was changed after signing.
    BadSignature,
    /// The ID token expired an hour ago.
    Expired,
    /// The ID token says it was issued an hour from now.
    IssuedInTheFuture,
    /// The ID token carries another nonce than the one the client sent.
    WrongNonce,
    /// The ID token carries no nonce.
    MissingNonce,
    /// The ID token has no subject.
    MissingSubject,
    /// The ID token names a key the provider does not publish.
    UnknownKeyId,
    /// The ID token is HS256-signed with the provider's public key as the secret.
    Hs256WithThePublicKey,
    /// The ID token is signed with another key under the published key's id.
    AnotherKey,
    /// The callback carries a state the client never issued.
    ForgedState,
    /// The callback carries no state.
    MissingState,
    /// The token endpoint refuses the code.
    TokenEndpointError,
    /// The callback does not name the issuer, though the metadata promises it does.
    CallbackWithoutIssuer,
    /// The callback names another issuer.
    CallbackFromAnotherIssuer,
}

impl Defect {
    pub const ALL: [Defect; 18] = [
        Defect::None,
        Defect::WrongIssuer,
        Defect::WrongAudience,
        Defect::AlgNone,
        Defect::BadSignature,
        Defect::Expired,
        Defect::IssuedInTheFuture,
        Defect::WrongNonce,
        Defect::MissingNonce,
        Defect::MissingSubject,
        Defect::UnknownKeyId,
        Defect::Hs256WithThePublicKey,
        Defect::AnotherKey,
        Defect::ForgedState,
        Defect::MissingState,
        Defect::TokenEndpointError,
        Defect::CallbackWithoutIssuer,
        Defect::CallbackFromAnotherIssuer,
    ];
}

/// The provider, serving on a random port of 127.0.0.1 until dropped.
pub struct FaultyProvider {
    pub issuer: String,
    server: tokio::task::JoinHandle<()>,
}

struct ProviderState {
    issuer: String,
    client_id: String,
    defect: Defect,
    /// Each code's nonce, as the client sent it to the authorization endpoint.
    nonces: Mutex<HashMap<String, Option<String>>>,
}

/// The account every login is for.
pub const SUBJECT: &str = "faulty-provider-user";
pub const EMAIL: &str = "dominique.bernard@demo.maillage.test";

impl FaultyProvider {
    pub async fn start(client_id: &str, defect: Defect) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let issuer = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(ProviderState {
            issuer: issuer.clone(),
            client_id: client_id.to_owned(),
            defect,
            nonces: Mutex::new(HashMap::new()),
        });
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(state);
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { issuer, server })
    }
}

impl Drop for FaultyProvider {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn discovery(State(state): State<Arc<ProviderState>>) -> Json<Value> {
    let issuer = &state.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": true,
    }))
}

async fn jwks() -> Json<Value> {
    Json(json!({"keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KEY_ID,
        "n": SIGNING_KEY_MODULUS.trim(), "e": "AQAB",
    }]}))
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    redirect_uri: String,
    state: Option<String>,
    nonce: Option<String>,
}

async fn authorize(
    State(state): State<Arc<ProviderState>>,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    let code = uuid::Uuid::new_v4().simple().to_string();
    if let Ok(mut nonces) = state.nonces.lock() {
        nonces.insert(code.clone(), query.nonce);
    }
    let mut callback = match url::Url::parse(&query.redirect_uri) {
        Ok(url) => url,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    {
        let mut params = callback.query_pairs_mut();
        params.append_pair("code", &code);
        match (state.defect, query.state) {
            (Defect::MissingState, _) => {}
            (Defect::ForgedState, _) => {
                params.append_pair("state", "a-state-nobody-issued");
            }
            (_, Some(client_state)) => {
                params.append_pair("state", &client_state);
            }
            (_, None) => {}
        }
        match state.defect {
            Defect::CallbackWithoutIssuer => {}
            Defect::CallbackFromAnotherIssuer => {
                params.append_pair("iss", "http://127.0.0.1:9/another-provider");
            }
            _ => {
                params.append_pair("iss", &state.issuer);
            }
        }
    }
    Redirect::to(callback.as_str()).into_response()
}

#[derive(Deserialize)]
struct TokenRequest {
    code: String,
}

async fn token(
    State(state): State<Arc<ProviderState>>,
    Form(request): Form<TokenRequest>,
) -> Response {
    let nonce = state
        .nonces
        .lock()
        .ok()
        .and_then(|mut nonces| nonces.remove(&request.code));
    let Some(nonce) = nonce else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    if state.defect == Defect::TokenEndpointError {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    match id_token(&state, nonce) {
        Ok(id_token) => Json(json!({
            "access_token": "faulty-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }))
        .into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// The ID token the defect calls for.
fn id_token(state: &ProviderState, nonce: Option<String>) -> anyhow::Result<String> {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": state.issuer,
        "sub": SUBJECT,
        "aud": state.client_id,
        "iat": now,
        "exp": now + 300,
        "nonce": nonce,
        "email": EMAIL,
        "email_verified": true,
        "name": "Dominique Bernard",
    });
    match state.defect {
        Defect::WrongIssuer => claims["iss"] = json!("http://127.0.0.1:9/another-provider"),
        Defect::WrongAudience => claims["aud"] = json!("another-client"),
        Defect::Expired => {
            claims["iat"] = json!(now - 7200);
            claims["exp"] = json!(now - 3600);
        }
        Defect::IssuedInTheFuture => {
            claims["iat"] = json!(now + 3600);
            claims["exp"] = json!(now + 7200);
        }
        Defect::WrongNonce => claims["nonce"] = json!("another-nonce"),
        Defect::MissingNonce => {
            if let Some(map) = claims.as_object_mut() {
                map.remove("nonce");
            }
        }
        Defect::MissingSubject => {
            if let Some(map) = claims.as_object_mut() {
                map.remove("sub");
            }
        }
        _ => {}
    }
    let rs256 = |kid: &str| {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        header
    };
    let signed = match state.defect {
        Defect::AlgNone => {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims)?);
            format!("{header}.{payload}.")
        }
        Defect::UnknownKeyId => jsonwebtoken::encode(
            &rs256("a-key-nobody-published"),
            &claims,
            &EncodingKey::from_rsa_der(SIGNING_KEY),
        )?,
        Defect::AnotherKey => jsonwebtoken::encode(
            &rs256(KEY_ID),
            &claims,
            &EncodingKey::from_rsa_der(ANOTHER_KEY),
        )?,
        Defect::Hs256WithThePublicKey => {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some(KEY_ID.to_owned());
            jsonwebtoken::encode(
                &header,
                &claims,
                &EncodingKey::from_secret(PUBLIC_KEY.as_bytes()),
            )?
        }
        Defect::BadSignature => {
            let genuine = jsonwebtoken::encode(
                &rs256(KEY_ID),
                &claims,
                &EncodingKey::from_rsa_der(SIGNING_KEY),
            )?;
            // The same signature over a payload naming someone else.
            let mut parts = genuine.split('.');
            let (header, signature) = (parts.next(), parts.nth(1));
            claims["sub"] = json!("someone-else");
            let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims)?);
            format!(
                "{}.{payload}.{}",
                header.unwrap_or_default(),
                signature.unwrap_or_default()
            )
        }
        _ => jsonwebtoken::encode(
            &rs256(KEY_ID),
            &claims,
            &EncodingKey::from_rsa_der(SIGNING_KEY),
        )?,
    };
    Ok(signed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_published_key_signs_rs256() {
        let key = jsonwebtoken::EncodingKey::from_rsa_der(super::SIGNING_KEY);
        let token = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
            &serde_json::json!({"a": 1}),
            &key,
        );
        assert!(token.is_ok(), "{token:?}");
    }
}
