//! Lists as a CRM's: filtered by a bar of the page (kind, status, tag, owner, territory,
//! due date), sorted by a column, with the columns each member chose, views saved by
//! name, and actions on the records ticked (tag, assign, bin). Everything a list shows
//! is in its address, so that a view can be shared as a link.

mod bulk;
mod columns;
mod filters;
mod specs;
mod views;

use axum::Router;
use axum::routing::post;
use serde::Deserialize;
use serde::de::DeserializeOwned;

pub use columns::Column;
pub use filters::{Choices, FilterQuery, Filtered, Filters};
pub use specs::{ORGANISATIONS, PARTNERSHIPS, PEOPLE, PROJECTS};
pub use views::SavedView;

use super::Choice;
use super::record_parts::Listing;
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// What one list page offers.
pub struct ListSpec {
    /// Its collection, in the API and in the page's address.
    pub collection: &'static str,
    pub filters: Filters,
    /// The columns it offers beside the record's name, in order.
    pub columns: &'static [Column],
    /// The API's field naming the member a record falls to, when records may be given
    /// to a member in bulk.
    pub assign: Option<&'static str>,
    /// Whether its records take tags.
    pub tags: bool,
}

/// Every list built this way.
pub static SPECS: [&ListSpec; 4] = [&PEOPLE, &ORGANISATIONS, &PROJECTS, &PARTNERSHIPS];

/// The parameters a list's address may carry, which a saved view keeps.
const VIEW_PARAMETERS: [&str; 10] = [
    "sort",
    "status",
    "kind",
    "mine",
    "owner",
    "within",
    "tag",
    "territory",
    "since",
    "column",
];

/// The routes that change how lists are shown: the columns chosen, saved views, bulk
/// actions.
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for spec in SPECS {
        let base = format!("/t/{{slug}}/{}", spec.collection);
        router = router
            .route(
                &format!("{base}/columns"),
                post(move |state, member, form| columns::choose(spec, state, member, form)),
            )
            .route(
                &format!("{base}/views"),
                post(move |state, member, form| views::save(spec, state, member, form)),
            )
            .route(
                &format!("{base}/views/{{id}}/delete"),
                post(move |state, member, path| views::delete(spec, state, member, path)),
            )
            .route(
                &format!("{base}/bulk"),
                post(move |state, member, form| bulk::apply(spec, state, member, form)),
            );
    }
    router
}

/// The query of a list page, beside its filters ([`FilterQuery`]).
#[derive(Debug, Default, Deserialize)]
pub struct ListPageQuery {
    /// The cursor of the page to show, from the previous one.
    after: Option<String>,
    /// `recent`: most recently changed first; otherwise by name.
    sort: Option<String>,
    /// Set after a record was added from the list, which the page then says.
    added: Option<String>,
    /// Set after a person was erased, which the list then says.
    erased: Option<String>,
    /// The columns to show, when the address names them (a shared or saved view).
    #[serde(default)]
    column: Vec<String>,
    /// What was just done to the list: a bulk action or a view saved, for the page to
    /// say (see [`bulk::Done`]).
    done: Option<String>,
    /// How many records a bulk action changed, and could not.
    changed: Option<String>,
    failed: Option<String>,
}

/// One page of a list of records, as the list templates show it.
pub struct ListPage<T> {
    pub spec: &'static ListSpec,
    pub items: Vec<T>,
    pub next: Option<String>,
    /// Most recently changed first, rather than by name.
    pub recent: bool,
    pub added: bool,
    pub erased: bool,
    pub filter: Filtered,
    /// The columns shown beside the name, in order.
    pub columns: Vec<&'static Column>,
    /// The columns as the address named them (`&column=email…`), to keep in links;
    /// empty when they are the member's own.
    columns_link: String,
    /// Whether the address named the columns (a shared or saved view).
    pub columns_named: bool,
    /// The filter bar's choices, the current ones selected.
    pub bar: FilterBar,
    /// The views saved for this list that the member may open.
    pub views: Vec<SavedView>,
    /// What was just done, in words.
    pub done: Option<String>,
}

/// The choices of a list's filter bar; an empty list is a filter the page does not offer.
pub struct FilterBar {
    pub status: Vec<Choice>,
    pub kind: Vec<Choice>,
    pub tag: Vec<Choice>,
    pub owner: Vec<Choice>,
    /// The territory typed, when the list is filtered by territory.
    pub territory: Option<String>,
    /// The day chosen ("" for none), when the list is filtered by last change.
    pub since: Option<String>,
    /// The workspace's tags and members, for bulk actions.
    pub tag_names: Vec<String>,
    pub members: Vec<Choice>,
}

impl<T> ListPage<T> {
    /// Whether the column `id` is shown.
    pub fn shows(&self, id: &str) -> bool {
        self.columns.iter().any(|column| column.id == id)
    }

    /// What the page's links keep: its filters and named columns (`&status=…`).
    pub fn link(&self) -> String {
        format!("{}{}", self.filter.link, self.columns_link)
    }

    /// The view's query string as a saved view keeps it: order, filters, columns.
    pub fn view_query(&self) -> String {
        let order = if self.recent { "sort=recent" } else { "" };
        let columns: String = self
            .columns
            .iter()
            .map(|column| format!("&column={}", column.id))
            .collect();
        let query = format!("{order}{}{columns}", self.filter.link);
        query.trim_start_matches('&').to_owned()
    }

    /// The query string of the list as shown (order and filters, not the columns), to
    /// come back to after a form of the page.
    pub fn back(&self) -> String {
        let order = if self.recent { "sort=recent" } else { "" };
        format!("{order}{}{}", self.filter.link, self.columns_link)
            .trim_start_matches('&')
            .to_owned()
    }

    /// Whether the saved view `view` is the one shown.
    pub fn is_current(&self, view: &SavedView) -> bool {
        view.query == self.view_query()
    }
}

impl ListPageQuery {
    /// The page asked for of `/v1/{collection}`, 50 records at most, filtered by what
    /// the list offers, with the columns the address names or the member chose.
    pub async fn fetch<T: DeserializeOwned>(
        self,
        state: &AppState,
        member: &Member,
        spec: &'static ListSpec,
        filter: FilterQuery,
    ) -> Result<ListPage<T>, Error> {
        let lang = member.lang();
        let filter = filter.check(&spec.filters, state, member).await?;
        let recent = self.sort.as_deref() == Some("recent");
        let after = self
            .after
            .as_deref()
            .map(|a| format!("&after={}", encoded(a)))
            .unwrap_or_default();
        let order = if recent { "&sort=-updated_at" } else { "" };
        let path = format!(
            "/v1/{}?limit=50{after}{order}{}",
            spec.collection, filter.api
        );
        let named = (!self.column.is_empty())
            .then(|| spec.columns_named(self.column.iter().map(String::as_str)));
        // The page's independent reads, made at the same time.
        let (listing, chosen, bar, views): (Listing<T>, _, _, _) = tokio::try_join!(
            state.core.get(member, &path),
            async {
                if named.is_some() {
                    return Ok(None);
                }
                columns::chosen(state, member, spec).await
            },
            FilterBar::of(state, member, spec, &filter),
            views::for_list(state, member, spec),
        )?;
        let (columns, columns_link) = match named {
            Some(columns) => {
                let link = if columns.is_empty() {
                    "&column=".to_owned()
                } else {
                    columns
                        .iter()
                        .map(|c| format!("&column={}", c.id))
                        .collect()
                };
                (columns, link)
            }
            None => (
                chosen.unwrap_or_else(|| spec.default_columns()),
                String::new(),
            ),
        };
        let done = bulk::said(
            lang,
            self.done.as_deref(),
            self.changed.as_deref(),
            self.failed.as_deref(),
        );
        Ok(ListPage {
            spec,
            items: listing.items,
            next: listing.next,
            recent,
            added: self.added.is_some(),
            erased: self.erased.is_some(),
            filter,
            columns,
            columns_named: !columns_link.is_empty(),
            columns_link,
            bar,
            views,
            done,
        })
    }
}

#[derive(Debug, Deserialize)]
struct TagName {
    name: String,
}

impl FilterBar {
    /// The bar of `spec`'s list, `filter`'s values chosen.
    pub async fn of(
        state: &AppState,
        member: &Member,
        spec: &ListSpec,
        filter: &Filtered,
    ) -> Result<Self, Error> {
        let lang = member.lang();
        let filters = &spec.filters;
        // "Tous" or "Toutes", as the filter's name is in French.
        let all = |id: &str| Choice {
            value: String::new(),
            label: lang.t(id),
            selected: false,
        };
        let (tag_names, names) = tokio::try_join!(
            async {
                if !spec.tags {
                    return Ok(Vec::new());
                }
                let tags: Listing<TagName> = state.core.get(member, "/v1/tags").await?;
                Ok::<_, Error>(
                    tags.items
                        .into_iter()
                        .map(|tag| tag.name)
                        .collect::<Vec<_>>(),
                )
            },
            async {
                if filters.owner.is_none() && spec.assign.is_none() {
                    return Ok(Vec::new());
                }
                crate::members::names(state, member.tenant.id).await
            },
        )?;
        let chosen_owner = if filter.value("mine").is_empty() {
            filter.value("owner")
        } else {
            "me"
        };
        let owner = if filters.owner.is_some() {
            std::iter::once(all("list-filter-all"))
                .chain(std::iter::once(Choice {
                    value: "me".into(),
                    label: lang.t("list-filter-me"),
                    selected: false,
                }))
                .chain(names.iter().map(|(id, name)| Choice {
                    value: id.to_string(),
                    label: name.clone(),
                    selected: false,
                }))
                .map(|choice| Choice {
                    selected: choice.value == chosen_owner,
                    ..choice
                })
                .collect()
        } else {
            Vec::new()
        };
        let tag = if filters.tag {
            std::iter::once(all("list-filter-all-feminine"))
                .chain(tag_names.iter().map(|name| Choice {
                    selected: name.to_lowercase() == filter.value("tag").to_lowercase(),
                    value: name.clone(),
                    label: name.clone(),
                }))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Self {
            status: filters
                .status
                .as_ref()
                .map(|c| filters::choices_in(lang, c, filter.value("status")))
                .unwrap_or_default(),
            kind: filters
                .kind
                .as_ref()
                .map(|c| filters::choices_in(lang, c, filter.value("kind")))
                .unwrap_or_default(),
            tag,
            owner,
            territory: filters
                .territory
                .then(|| filter.value("territory").to_owned()),
            since: filters.since.then(|| filter.value("since").to_owned()),
            tag_names,
            members: names
                .into_iter()
                .map(|(id, name)| Choice {
                    value: id.to_string(),
                    label: name,
                    selected: false,
                })
                .collect(),
        })
    }
}

/// `value` encoded for a query string.
fn encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The list's address with what `back` held of a view (order, filters and, when
/// `keep_columns`, columns; anything else left out), and `extra` after it.
fn back_to_list(
    member: &Member,
    spec: &ListSpec,
    back: &str,
    keep_columns: bool,
    extra: &[(&str, &str)],
) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url::form_urlencoded::parse(back.as_bytes()) {
        if VIEW_PARAMETERS.contains(&name.as_ref()) && (keep_columns || name != "column") {
            query.append_pair(&name, &value);
        }
    }
    for (name, value) in extra {
        query.append_pair(name, value);
    }
    let query = query.finish();
    let separator = if query.is_empty() { "" } else { "?" };
    format!(
        "/t/{}/{}{separator}{query}",
        member.tenant.slug, spec.collection
    )
}
