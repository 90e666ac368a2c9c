//! List pages (filtered, sorted, a page at a time) and the name of any record.

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
    /// Set after a person was erased, which the list then says.
    erased: Option<String>,
    #[serde(flatten)]
    filter: FilterQuery,
}

/// The filters a list page offers: the values its `status` and `kind` may take (with
/// their names), and the API's parameter that names the member a record is "mine" by.
pub struct Filters {
    pub status: &'static [(&'static str, &'static str)],
    pub kind: &'static [(&'static str, &'static str)],
    pub mine: Option<&'static str>,
    /// The API's parameter that keeps the records due within a number of days.
    pub within: Option<&'static str>,
}

impl Filters {
    pub const NONE: Self = Self {
        status: &[],
        kind: &[],
        mine: None,
        within: None,
    };
}

/// The longest "due within" a list page offers, in days.
const WITHIN_DAYS: std::ops::RangeInclusive<u16> = 1..=366;

/// The filters of a list page's address (`?status=late&mine=1`), as the dashboard's
/// figures link to them.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    status: Option<String>,
    kind: Option<String>,
    mine: Option<String>,
    /// Due within this many days.
    within: Option<String>,
}

/// Filters checked against what the page offers.
#[derive(Debug, Default)]
pub struct Filtered {
    /// The API's parameters (`&status=late&responsible_user_id=…`).
    pub api: String,
    /// The page's own, to keep in its other links (`&status=late&mine=1`).
    pub link: String,
    /// What the list is filtered by, in words; none when it is not.
    pub said: Option<String>,
}

impl FilterQuery {
    /// The filters, or the refusal of a value the page does not offer (a link typed by
    /// hand, an old bookmark).
    pub fn check(&self, filters: &Filters, member: &Member) -> Result<Filtered, Error> {
        let mut filtered = Filtered::default();
        let mut said = Vec::new();
        for (name, value, table) in [
            ("status", &self.status, filters.status),
            ("kind", &self.kind, filters.kind),
        ] {
            let Some(value) = value.as_deref().filter(|v| !v.is_empty()) else {
                continue;
            };
            let (value, label) = table
                .iter()
                .find(|(v, _)| *v == value)
                .ok_or_else(|| unknown_filter(name))?;
            filtered.api.push_str(&format!("&{name}={value}"));
            filtered.link.push_str(&format!("&{name}={value}"));
            said.push((*label).to_owned());
        }
        if self.mine.as_deref().is_some_and(|v| !v.is_empty()) {
            let parameter = filters.mine.ok_or_else(|| unknown_filter("mine"))?;
            filtered
                .api
                .push_str(&format!("&{parameter}={}", member.user.id));
            filtered.link.push_str("&mine=1");
            said.push("les miens".to_owned());
        }
        if let Some(within) = self.within.as_deref().filter(|v| !v.is_empty()) {
            let parameter = filters.within.ok_or_else(|| unknown_filter("within"))?;
            let days = within
                .parse::<u16>()
                .ok()
                .filter(|days| WITHIN_DAYS.contains(days))
                .ok_or_else(|| unknown_filter("within"))?;
            filtered.api.push_str(&format!("&{parameter}={days}"));
            filtered.link.push_str(&format!("&within={days}"));
            said.push(format!("à rendre sous {days} jours"));
        }
        filtered.said = (!said.is_empty()).then(|| said.join(" · "));
        Ok(filtered)
    }
}

fn unknown_filter(name: &str) -> Error {
    Error::Refused(
        maillage_problem::Problem::new(
            axum::http::StatusCode::BAD_REQUEST,
            "unknown-filter",
            "Cette liste ne se filtre pas ainsi.",
        )
        .with_detail(format!(
            "La valeur du filtre « {name} » n'existe pas ; la liste entière est à l'adresse sans filtre."
        )),
    )
}

/// One page of a list of records, as the list templates show it.
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    /// Most recently changed first, rather than by name.
    pub recent: bool,
    pub added: bool,
    pub erased: bool,
    pub filter: Filtered,
}

impl ListPageQuery {
    /// The page asked for of `/v1/{collection}`, 50 records at most, filtered by what
    /// `filters` offers.
    pub async fn fetch<T: DeserializeOwned>(
        self,
        state: &AppState,
        member: &Member,
        collection: &str,
        filters: &Filters,
    ) -> Result<ListPage<T>, Error> {
        let filter = self.filter.check(filters, member)?;
        let recent = self.sort.as_deref() == Some("recent");
        let after = self
            .after
            .map(|a| format!("&after={a}"))
            .unwrap_or_default();
        let order = if recent { "&sort=-updated_at" } else { "" };
        let listing: Listing<T> = state
            .core
            .get(
                member,
                &format!("/v1/{collection}?limit=50{after}{order}{}", filter.api),
            )
            .await?;
        Ok(ListPage {
            items: listing.items,
            next: listing.next,
            recent,
            added: self.added.is_some(),
            erased: self.erased.is_some(),
            filter,
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
