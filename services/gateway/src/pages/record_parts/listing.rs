//! List pages (sorted, a page at a time) and the name of any record.

use serde::Deserialize;
use serde::de::DeserializeOwned;
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

/// The query of a list page.
#[derive(Deserialize)]
pub struct ListPageQuery {
    /// The cursor of the page to show, from the previous one.
    after: Option<String>,
    /// `recent`: most recently changed first; otherwise by name.
    sort: Option<String>,
    /// Set after a record was added from the list, which the page then says.
    added: Option<String>,
}

/// One page of a list of records, as the list templates show it.
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    /// Most recently changed first, rather than by name.
    pub recent: bool,
    pub added: bool,
}

impl ListPageQuery {
    /// The page asked for of `/v1/{collection}`, 50 records at most.
    pub async fn fetch<T: DeserializeOwned>(
        self,
        state: &AppState,
        member: &Member,
        collection: &str,
    ) -> Result<ListPage<T>, Error> {
        let recent = self.sort.as_deref() == Some("recent");
        let after = self
            .after
            .map(|a| format!("&after={a}"))
            .unwrap_or_default();
        let order = if recent { "&sort=-updated_at" } else { "" };
        let listing: Listing<T> = state
            .core
            .get(member, &format!("/v1/{collection}?limit=50{after}{order}"))
            .await?;
        Ok(ListPage {
            items: listing.items,
            next: listing.next,
            recent,
            added: self.added.is_some(),
        })
    }
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
