//! Reading typed configuration from the environment (12-factor). Each service owns one
//! `Config` struct built with these helpers; a missing or malformed variable is a clear
//! start-up error naming the variable, and secret values are never echoed.

use std::str::FromStr;

use secrecy::SecretString;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} is required")]
    Missing(&'static str),
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// The raw value of a variable, if set and not empty.
pub fn optional(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub fn required(name: &'static str) -> Result<String, ConfigError> {
    optional(name).ok_or(ConfigError::Missing(name))
}

/// A value parsed with `FromStr`, or `default` when the variable is unset.
pub fn parsed_or<T>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match optional(name) {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|e: T::Err| ConfigError::Invalid {
            name,
            reason: e.to_string(),
        }),
    }
}

/// A secret of at least `min_len` bytes. Its value never appears in an error.
pub fn secret(name: &'static str, min_len: usize) -> Result<SecretString, ConfigError> {
    let value = required(name)?;
    if value.len() < min_len {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("must be at least {min_len} bytes long"),
        });
    }
    Ok(SecretString::from(value))
}

/// A base URL without its trailing slash, so that `format!("{base}/path")` is right.
pub fn base_url(name: &'static str, default: &str) -> Result<String, ConfigError> {
    let value = optional(name).unwrap_or_else(|| default.to_owned());
    if !(value.starts_with("http://") || value.starts_with("https://")) {
        return Err(ConfigError::Invalid {
            name,
            reason: "must start with http:// or https://".into(),
        });
    }
    Ok(value.trim_end_matches('/').to_owned())
}
