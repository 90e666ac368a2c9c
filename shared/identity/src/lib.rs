//! The internal identity the gateway hands to core-records with each call: who acts, in
//! which tenant, with which role, for which request. It is a short-lived HS256 token
//! signed with a secret the two services share; core-records trusts nothing else.

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use maillage_domain::Role;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The header that carries the token between services.
pub const IDENTITY_HEADER: &str = "x-maillage-identity";

/// Set by the gateway on a write it only wants checked: core-records answers with what
/// the body is refused for (422), or 204 when nothing is, and writes nothing.
pub const CHECK_ONLY_HEADER: &str = "x-maillage-check-only";

const ISSUER: &str = "maillage-gateway";
const AUDIENCE: &str = "maillage-core-records";
/// Long enough for one internal call, short enough that a leaked token is soon useless.
const LIFETIME_SECONDS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalIdentity {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    pub request_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("the internal identity token is invalid: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
}

#[derive(Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: Uuid,
    tid: Uuid,
    role: Role,
    rid: String,
    iat: i64,
    exp: i64,
}

/// Signs and verifies identities with one shared secret.
#[derive(Clone)]
pub struct IdentityKey {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl IdentityKey {
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
        }
    }

    pub fn sign(&self, identity: &InternalIdentity) -> Result<String, IdentityError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: identity.user_id,
            tid: identity.tenant_id,
            role: identity.role,
            rid: identity.request_id.clone(),
            iat: now,
            exp: now + LIFETIME_SECONDS,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    pub fn verify(&self, token: &str) -> Result<InternalIdentity, IdentityError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 5;
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)?.claims;
        Ok(InternalIdentity {
            tenant_id: claims.tid,
            user_id: claims.sub,
            role: claims.role,
            request_id: claims.rid,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(secret: &str) -> IdentityKey {
        IdentityKey::new(&SecretString::from(secret.to_owned()))
    }

    fn identity() -> InternalIdentity {
        InternalIdentity {
            tenant_id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            role: Role::Editor,
            request_id: "req-1".into(),
        }
    }

    #[test]
    fn a_signed_identity_verifies_to_the_same_identity() -> Result<(), IdentityError> {
        let key = key("a-secret-long-enough-for-hs256-signing!!");
        let original = identity();
        assert_eq!(key.verify(&key.sign(&original)?)?, original);
        Ok(())
    }

    #[test]
    fn another_secret_or_a_tampered_token_is_rejected() -> Result<(), IdentityError> {
        let token = key("a-secret-long-enough-for-hs256-signing!!").sign(&identity())?;
        assert!(
            key("another-secret-long-enough-for-hs256!!!")
                .verify(&token)
                .is_err()
        );
        let mut tampered = token.clone();
        tampered.insert(token.len() / 2, 'x');
        assert!(
            key("a-secret-long-enough-for-hs256-signing!!")
                .verify(&tampered)
                .is_err()
        );
        Ok(())
    }
}
