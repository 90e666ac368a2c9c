//! Finding people and organisations by what one remembers of their name or email:
//! accents and case do not matter, each word may be the start of a word ("hél dur"
//! finds Hélène Durand), and a typo ("Durnad") still finds them.
//!
//! Two passes: a full-text prefix search over words keyed by their tenant, which the
//! index answers from the tenant's own words only (a prefix of three letters does not
//! read the whole platform's); only when it finds nothing, a trigram pass for near
//! misses.

use axum::extract::State;
use maillage_problem::{Json, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::startup::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get("/v1/search", search, Doc::new("search", "Rechercher personnes, organisations et projets (sans accents, par début de mot, avec fautes)").query::<SearchQuery>().returns::<SearchResults>())
}

const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 50;
const MAX_QUERY_CHARS: usize = 200;
/// How close a word must be to count as a near miss (pg_trgm word similarity, 0 to 1).
const TYPO_THRESHOLD: &str = "0.35";

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    /// Words to find, typos forgiven; a query without a letter or digit finds nothing.
    #[param(max_length = 200)]
    q: String,
    #[param(minimum = 1, maximum = 50)]
    limit: Option<i64>,
}

#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
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
    let exact = by_prefix(&mut tx, identity.0.tenant_id, text, limit).await?;
    let results = if exact.is_empty() {
        SearchResults {
            items: near_misses(&mut tx, identity.0.tenant_id, text, limit).await?,
            approximate: true,
        }
    } else {
        SearchResults {
            items: exact,
            approximate: false,
        }
    };
    tx.commit().await?;
    Ok(Json(results))
}

async fn by_prefix(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    text: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, Error> {
    Ok(sqlx::query_as!(
        SearchHit,
        r#"select kind as "kind!", id as "id!", label as "label!", detail, score as "score!" from (
               select 'person' as kind, id, trim(family_name || ' ' || given_name) as label, email as detail,
                      similarity(search_text, maillage_search_text($2)) as score
               from people
               where tenant_id = $1 and search_tsv @@ maillage_tenant_prefix_query($1, $2) and deleted_at is null
               union all
               select 'organisation', id, name, email, similarity(search_text, maillage_search_text($2))
               from organisations
               where tenant_id = $1 and search_tsv @@ maillage_tenant_prefix_query($1, $2) and deleted_at is null
               union all
               select 'project', id, name, nullif(territory, ''), similarity(search_text, maillage_search_text($2))
               from projects
               where tenant_id = $1 and search_tsv @@ maillage_tenant_prefix_query($1, $2) and deleted_at is null
           ) hits
           order by score desc, label, id
           limit $3"#,
        tenant_id,
        text,
        limit,
    )
    .fetch_all(conn)
    .await?)
}

async fn near_misses(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    text: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, Error> {
    sqlx::query("select set_config('pg_trgm.word_similarity_threshold', $1, true)")
        .bind(TYPO_THRESHOLD)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_as!(
        SearchHit,
        r#"select kind as "kind!", id as "id!", label as "label!", detail, score as "score!" from (
               select 'person' as kind, id, trim(family_name || ' ' || given_name) as label, email as detail,
                      word_similarity(maillage_search_text($2), search_text) as score
               from people
               where tenant_id = $1 and search_text %> maillage_search_text($2) and deleted_at is null
               union all
               select 'organisation', id, name, email, word_similarity(maillage_search_text($2), search_text)
               from organisations
               where tenant_id = $1 and search_text %> maillage_search_text($2) and deleted_at is null
               union all
               select 'project', id, name, nullif(territory, ''), word_similarity(maillage_search_text($2), search_text)
               from projects
               where tenant_id = $1 and search_text %> maillage_search_text($2) and deleted_at is null
           ) hits
           order by score desc, label, id
           limit $3"#,
        tenant_id,
        text,
        limit,
    )
    .fetch_all(conn)
    .await?)
}
