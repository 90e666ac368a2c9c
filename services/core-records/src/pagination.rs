//! Keyset pagination: a page is "the next `limit` rows after this key", which stays
//! fast and stable however deep the list and whatever is inserted meanwhile.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::Error;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub limit: Option<i64>,
    pub after: Option<String>,
}

impl PageQuery {
    /// The page size, capped; a nonsensical one is a field error rather than a surprise.
    pub fn limit(&self) -> Result<i64, Error> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(Error::field("limit", "doit être compris entre 1 et 200")),
        }
    }

    /// The key of the last row of the previous page, if any.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, Error> {
        self.after
            .as_deref()
            .map(|raw| {
                URL_SAFE_NO_PAD
                    .decode(raw)
                    .ok()
                    .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                    .ok_or_else(|| Error::field("after", "curseur de pagination invalide"))
            })
            .transpose()
    }
}

#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// `rows` holds up to `limit + 1` rows: the extra one only says another page exists.
    pub fn from_rows<K: Serialize>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Self {
        let has_more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = if has_more {
            rows.last()
                .and_then(|last| serde_json::to_vec(&key(last)).ok())
                .map(|bytes| URL_SAFE_NO_PAD.encode(bytes))
        } else {
            None
        };
        Self { items: rows, next }
    }
}
