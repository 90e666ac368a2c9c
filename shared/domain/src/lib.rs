//! Domain types that more than one service speaks: parsed once, valid from then on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub mod connections;
pub mod contact;
pub mod countries;
pub mod dashboard;
pub mod import;
pub mod kinds;
mod local_time;
pub mod network;
pub mod privacy;
pub mod target;
pub mod text;
pub mod working_days;
pub mod workspace;

pub use kinds::TenantKind;

pub use local_time::local_instant;

/// What a member may do in a tenant, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
    Owner,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Self; 4] = [Self::Owner, Self::Admin, Self::Editor, Self::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Admin => "admin",
            Self::Owner => "owner",
        }
    }

    /// Editors and above change records; viewers only read.
    pub fn can_edit_records(self) -> bool {
        self >= Self::Editor
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct ParseError(pub &'static str);

impl FromStr for Role {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "viewer" => Ok(Self::Viewer),
            "editor" => Ok(Self::Editor),
            "admin" => Ok(Self::Admin),
            "owner" => Ok(Self::Owner),
            _ => Err(ParseError("role must be owner, admin, editor or viewer")),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tenant's name in URLs (`/t/{slug}/…`): 3 to 63 lowercase letters, digits and
/// inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let ok_chars = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(3..=63).contains(&raw.len()) || !ok_chars || raw.starts_with('-') || raw.ends_with('-')
        {
            return Err(ParseError(
                "slug must be 3 to 63 lowercase letters, digits or inner hyphens",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TenantSlug {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TenantSlug> for String {
    fn from(value: TenantSlug) -> Self {
        value.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, trimmed and checked for the shape mail servers accept.
/// (Whether it exists is only known by writing to it.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let value = raw.trim();
        let invalid = ParseError("adresse e-mail invalide");
        let (local, domain) = value
            .split_once('@')
            .ok_or(ParseError("adresse e-mail invalide"))?;
        let well_formed = !local.is_empty()
            && local.len() <= 64
            && value.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if well_formed {
            Ok(Self(value.to_owned()))
        } else {
            Err(invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(
            Role::Owner > Role::Admin && Role::Admin > Role::Editor && Role::Editor > Role::Viewer
        );
        assert!(!Role::Viewer.can_edit_records());
        assert!(Role::Editor.can_edit_records());
    }

    #[test]
    fn slugs_accept_only_url_safe_names() {
        assert!(TenantSlug::parse("ville-de-lyon").is_ok());
        for bad in [
            "ab",
            "Ville",
            "ville_de_lyon",
            "-lyon",
            "lyon-",
            "lyon/x",
            "é-lyon",
        ] {
            assert!(TenantSlug::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn emails_are_trimmed_and_checked() {
        assert_eq!(
            EmailAddress::parse("  marie@asso.fr ").map(|e| e.0),
            Ok("marie@asso.fr".into())
        );
        for bad in [
            "",
            "marie",
            "marie@",
            "@asso.fr",
            "marie@asso",
            "ma rie@asso.fr",
            "a@b@c.fr",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }
}
