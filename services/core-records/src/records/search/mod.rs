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
use crate::language::{one_of, reader, said};
use crate::state::AppState;

mod terms;
pub(crate) mod vocabulary;

pub use terms::{Found, find};

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get("/v1/search", search, Doc::new("search", "Rechercher personnes, organisations, projets, partenariats, échéances et activités (sans accents, par début de mot, avec fautes ; un mot du nom ou du titre avant un mot de l'e-mail ou des notes)").query::<SearchQuery>().returns::<SearchResults>())
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
    /// Only records of this kind.
    #[param(schema_with = searched_kinds)]
    kind: Option<String>,
}

/// The kinds of record search finds.
const KINDS: [&str; 6] = [
    "person",
    "organisation",
    "project",
    "partnership",
    "deadline",
    "activity",
];

fn searched_kinds() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(&KINDS)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// `person`, `organisation`, `project`, `partnership`, `deadline` or `activity`.
    pub kind: String,
    pub id: Uuid,
    /// The name or title.
    pub label: String,
    pub detail: Option<String>,
    /// For an activity: a record it is about, on whose page it is read.
    pub about: Option<RecordRef>,
    /// Higher is closer; only meaningful within one answer.
    pub score: f32,
}

/// A record by its kind and id.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = SearchRecordRef)]
pub struct RecordRef {
    /// `person`, `organisation`, `partnership` or `project`.
    pub kind: String,
    pub id: Uuid,
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
        return Err(Error::field(
            "q",
            &reader().t1("check-too-long", "max", MAX_QUERY_CHARS),
        ));
    }
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return Err(Error::field("limit", &said("check-limit-50"))),
    };
    if let Some(kind) = &query.kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err(Error::field("kind", &one_of(&KINDS)));
    }
    let text = query.q.trim();
    if !maillage_domain::text::has_a_word(text) {
        return Ok(Json(SearchResults {
            items: Vec::new(),
            approximate: false,
        }));
    }
    let mut tx = identity.begin(&state).await?;
    let found = terms::find_of_kind(
        &mut tx,
        identity.0.tenant_id,
        (text, query.kind.as_deref()),
        limit,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(SearchResults {
        items: found.hits,
        approximate: found.approximate,
    }))
}
