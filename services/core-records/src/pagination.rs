//! Keyset pagination: a page is "the next `limit` rows after this key", which stays
//! fast and stable however deep the list and whatever is inserted meanwhile.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use maillage_runtime::api::one_of;
use utoipa::openapi::schema::Object;

use crate::Error;
use crate::language::{self, said};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub after: Option<String>,
}

impl PageQuery {
    /// The page size, capped; a nonsensical one is a field error rather than a surprise.
    pub fn limit(&self) -> Result<i64, Error> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(Error::field("limit", &said("check-limit-200"))),
        }
    }

    /// The key of the last row of the previous page, if any.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, Error> {
        // `after=` (a client sending back an absent `next`) is the first page.
        self.after
            .as_deref()
            .filter(|raw| !raw.is_empty())
            .map(|raw| {
                URL_SAFE_NO_PAD
                    .decode(raw)
                    .ok()
                    .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                    .ok_or_else(|| Error::field("after", &said("check-cursor")))
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

/// The order of a list of people, organisations, projects or partnerships. Each order
/// has its own index and its own cursor: a cursor only continues the order it came
/// from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListSort {
    /// Alphabetical: `sort=name` (the default).
    #[default]
    Name,
    /// Most recently changed first: `sort=-updated_at`.
    RecentlyUpdated,
}

impl ListSort {
    pub fn parse(raw: Option<&str>) -> Result<Self, Error> {
        match raw {
            None | Some("name") => Ok(Self::Name),
            Some("-updated_at") => Ok(Self::RecentlyUpdated),
            Some(_) => Err(Error::field(
                "sort",
                &language::one_of(&["name", "-updated_at"]),
            )),
        }
    }
}

/// Where a list by last change resumes. An object, where the alphabetical cursors are
/// arrays: a cursor of one order is refused by the other rather than misread.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangedAfter {
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub id: uuid::Uuid,
}

/// A list in date order, oldest or newest first: one index, read either way, serves
/// both, and a page's cursor (date, id) means the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    OldestFirst,
    NewestFirst,
}

/// The orders a list of people, organisations, projects or partnerships takes, for the
/// document.
pub fn list_sorts() -> Object {
    one_of(&["name", "-updated_at"])
}

/// `sort` of a list in `occurred_at` order (timelines, activities).
pub fn by_occurred_at() -> Object {
    one_of(&["occurred_at", "-occurred_at"])
}

/// `sort` of a list in `occurred_on` order (engagements).
pub fn by_occurred_on() -> Object {
    one_of(&["occurred_on", "-occurred_on"])
}

/// `sort` of the audit trail.
pub fn by_at() -> Object {
    one_of(&["at", "-at"])
}

/// `sort` of report deadlines.
pub fn by_due_at() -> Object {
    one_of(&["due_at", "-due_at"])
}

impl DateOrder {
    /// `sort={field}` (oldest first) or `sort=-{field}` (newest first); `default` when
    /// absent.
    pub fn parse(raw: Option<&str>, field: &str, default: Self) -> Result<Self, Error> {
        match raw {
            None => Ok(default),
            Some(raw) if raw == field => Ok(Self::OldestFirst),
            Some(raw) if raw.strip_prefix('-') == Some(field) => Ok(Self::NewestFirst),
            Some(_) => Err(Error::field(
                "sort",
                &language::one_of(&[field, &format!("-{field}")]),
            )),
        }
    }
}
