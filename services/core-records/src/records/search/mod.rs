//! Finding people and organisations by what one remembers of their name or email:
//! accents and case do not matter, each word may be the start of a word ("hél dur"
//! finds Hélène Durand), and a typo ("Durnad") still finds them.
//!
//! The route and its answer; how records are found is in `terms`.

use axum::extract::State;
use maillage_problem::{Json, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::state::AppState;

mod terms;
pub(crate) mod vocabulary;

pub use terms::{Found, find};

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get("/v1/search", search, Doc::new("search", "Rechercher personnes, organisations et projets (sans accents, par début de mot, avec fautes)").query::<SearchQuery>().returns::<SearchResults>())
}

const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 50;
const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    /// Words to find, typos forgiven; a query without a letter or digit finds nothing.
    #[param(max_length = 200)]
    q: String,
    #[param(minimum = 1, maximum = 50)]
    limit: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// `person`, `organisation` or `project`.
    pub kind: String,
    pub id: Uuid,
    pub label: String,
    pub detail: Option<String>,
    /// Higher is closer; only meaningful within one answer.
    pub score: f32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct SearchResults {
    items: Vec<SearchHit>,
    /// True when nothing matched exactly and these are near misses.
    approximate: bool,
}

async fn search(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<SearchQuery>,
) -> Result<Json<SearchResults>, Error> {
    if query.q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::field("q", "ne doit pas dépasser 200 caractères"));
    }
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return Err(Error::field("limit", "doit être compris entre 1 et 50")),
    };
    let text = query.q.trim();
    if !maillage_domain::text::has_a_word(text) {
        return Ok(Json(SearchResults {
            items: Vec::new(),
            approximate: false,
        }));
    }
    let mut tx = identity.begin(&state).await?;
    let found = terms::find(&mut tx, identity.0.tenant_id, text, limit).await?;
    tx.commit().await?;
    Ok(Json(SearchResults {
        items: found.hits,
        approximate: found.approximate,
    }))
}
