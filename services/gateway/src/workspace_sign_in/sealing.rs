//! The workspaces' client secrets, sealed before they reach the database: XChaCha20-
//! Poly1305 (RustCrypto's `chacha20poly1305`) under a key from the environment
//! (`IDENTITY_SECRETS_KEY`), a random nonce each time, and the workspace's id as
//! associated data, so that a sealed secret copied to another workspace's row does not
//! open there.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

const NONCE_BYTES: usize = 24;

pub struct SealingKey {
    cipher: XChaCha20Poly1305,
}

/// A sealed secret that does not open: another key, another workspace, or damaged.
#[derive(Debug)]
pub struct Unopenable;

impl SealingKey {
    /// The key from its 32 bytes.
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// The key from its base64 form (`openssl rand -base64 32`), if it is one.
    pub fn from_base64(raw: &str) -> Option<Self> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(raw.trim())
            .ok()?;
        let key: [u8; 32] = bytes.try_into().ok()?;
        Some(Self::new(&key))
    }

    /// `nonce ‖ ciphertext ‖ tag`.
    pub fn seal(&self, tenant_id: Uuid, secret: &SecretString) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: secret.expose_secret().as_bytes(),
            aad: tenant_id.as_bytes(),
        };
        let mut sealed = nonce.to_vec();
        // Encrypting a slice in memory cannot fail (only a message past 256 GiB would).
        if let Ok(ciphertext) = self.cipher.encrypt(&XNonce::from(nonce), payload) {
            sealed.extend(ciphertext);
        }
        sealed
    }

    pub fn open(&self, tenant_id: Uuid, sealed: &[u8]) -> Result<SecretString, Unopenable> {
        if sealed.len() <= NONCE_BYTES {
            return Err(Unopenable);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| Unopenable)?;
        let payload = Payload {
            msg: ciphertext,
            aad: tenant_id.as_bytes(),
        };
        let plain = self
            .cipher
            .decrypt(&XNonce::from(nonce), payload)
            .map_err(|_| Unopenable)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| Unopenable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_for_its_workspace_only() {
        let key = SealingKey::new(&[7; 32]);
        let workspace = Uuid::now_v7();
        let secret = SecretString::from("le-secret-du-client".to_owned());
        let sealed = key.seal(workspace, &secret);
        assert!(
            !sealed
                .windows(b"le-secret".len())
                .any(|w| w == b"le-secret"),
            "sealed, not stored as is"
        );
        let opened = key
            .open(workspace, &sealed)
            .map(|s| s.expose_secret().to_owned());
        assert_eq!(opened.ok().as_deref(), Some("le-secret-du-client"));
        assert!(
            key.open(Uuid::now_v7(), &sealed).is_err(),
            "another workspace"
        );
        assert!(
            SealingKey::new(&[8; 32]).open(workspace, &sealed).is_err(),
            "another key"
        );
        let mut damaged = sealed.clone();
        if let Some(last) = damaged.last_mut() {
            *last ^= 1;
        }
        assert!(key.open(workspace, &damaged).is_err(), "damaged");
        assert_ne!(
            key.seal(workspace, &secret),
            sealed,
            "a new nonce each time"
        );
    }
}
