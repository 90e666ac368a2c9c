//! A page of a list as core-records answers it, and the name of any record.

use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// A page of a list, as core-records answers it.
#[derive(Deserialize)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Whatever names a record: a person's names, an organisation's or a project's name, a
/// partnership's title.
#[derive(Debug, Deserialize)]
struct RecordName {
    name: Option<String>,
    title: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
}

impl RecordName {
    fn said(self) -> String {
        match (self.name.or(self.title), self.given_name, self.family_name) {
            (Some(name), _, _) => name,
            (None, given, family) => [given, family]
                .into_iter()
                .flatten()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// The record's name (and a 404 when it is not one of the tenant's live records).
pub async fn record_name(
    state: &AppState,
    member: &Member,
    collection: &str,
    id: Uuid,
) -> Result<String, Error> {
    let record: RecordName = state
        .core
        .get(member, &format!("/v1/{collection}/{id}"))
        .await?;
    Ok(record.said())
}
