//! Finding records through the words they are found by (`search_terms`, migration 44):
//! one row per word and record, in word order, then label order.
//!
//! Every word of the query is a prefix, and a record must have a word starting with
//! each. The word with the fewest matches leads: its range of the index is read from
//! its start, each record checked for the other words, until a page is found; a broad
//! prefix ("m" in a workspace of 300,000 people) stops after a few dozen entries
//! instead of ranking every match. Records come by the word they matched (the word
//! typed itself first, then the longer ones in alphabetical order), then by label.
//!
//! When that finds nothing, each word that finds nothing alone is replaced by the
//! nearest word of the tenant's vocabulary (trigram distance: "durnad" → "durand"), and
//! the search is made again: near misses.

use std::cmp::Reverse;
use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::SearchHit;
use crate::Error;

/// Matches counted per word to choose the one that leads: beyond this, a word is broad.
const COUNT_CAP: i64 = 1_000;
/// Index entries read per result asked: a record found by several words of the leading
/// prefix ("marie martin" for "mar") is met more than once.
const ENTRIES_PER_RESULT: i64 = 5;
/// How close a word of the vocabulary must be to stand for a word that finds nothing
/// (pg_trgm similarity of the two words, 0 to 1: "durnad" and "durand" are 0.27 apart).
const NEAR_MISS_SIMILARITY: f32 = 0.2;
/// Nearest words looked at for each word that finds nothing.
const NEAR_MISS_CANDIDATES: i64 = 5;

pub struct Found {
    pub hits: Vec<SearchHit>,
    /// Nothing matched as typed: these are near misses (possibly none).
    pub approximate: bool,
}

/// The words of `text` that start `limit` records at most, in the order above.
pub async fn find(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    text: &str,
    limit: i64,
) -> Result<Found, Error> {
    // Made searchable (no accents, lower case, split into words) by the database, as the
    // records' words were.
    let words = sqlx::query_scalar!(r#"select maillage_query_words($1) as "words!""#, text)
        .fetch_one(&mut *conn)
        .await?;
    if words.is_empty() {
        return Ok(Found {
            hits: Vec::new(),
            approximate: false,
        });
    }
    let matches = matches_per_word(conn, tenant_id, &words).await?;
    if matches.iter().all(|&count| count > 0) {
        let hits = walk(conn, tenant_id, &words, &matches, limit).await?;
        if !hits.is_empty() {
            return Ok(Found {
                hits,
                approximate: false,
            });
        }
    }
    let mut corrected = words.clone();
    for (word, count) in corrected.iter_mut().zip(&matches) {
        if *count > 0 {
            continue;
        }
        match nearest_word(conn, tenant_id, word).await? {
            Some(near) => *word = near,
            None => {
                return Ok(Found {
                    hits: Vec::new(),
                    approximate: true,
                });
            }
        }
    }
    let hits = if corrected == words {
        Vec::new()
    } else {
        let matches = matches_per_word(conn, tenant_id, &corrected).await?;
        walk(conn, tenant_id, &corrected, &matches, limit).await?
    };
    Ok(Found {
        hits,
        approximate: true,
    })
}

/// A word as a range of the index: from the word itself to just past every word it
/// starts. The bounds are made here: a bound computed in the query would be read as a
/// filter, not as a range of the index.
fn prefix_range(word: &str) -> (String, String) {
    (word.to_owned(), format!("{word}{}", char::MAX))
}

fn prefix_ranges<'a>(words: impl Iterator<Item = &'a String>) -> (Vec<String>, Vec<String>) {
    words.map(|word| prefix_range(word)).unzip()
}

/// How many index entries each word starts, counted up to `COUNT_CAP`.
async fn matches_per_word(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    words: &[String],
) -> Result<Vec<i64>, Error> {
    let (from, to) = prefix_ranges(words.iter());
    Ok(sqlx::query_scalar!(
        r#"select (select count(*) from (select 1 from search_terms s
                                          where s.tenant_id = $1 and s.term >= w.from_term and s.term < w.to_term
                                          limit $4) as counted) as "matches!"
           from unnest($2::text[], $3::text[]) with ordinality as w (from_term, to_term, n)
           order by w.n"#,
        tenant_id,
        &from,
        &to,
        COUNT_CAP,
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// The records that have a word starting with each of `words`, led by the word with the
/// fewest matches; their labels, in the order found.
async fn walk(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    words: &[String],
    matches: &[i64],
    limit: i64,
) -> Result<Vec<SearchHit>, Error> {
    // The fewest matches leads; among words as broad, the longest.
    let leading = (0..words.len())
        .min_by_key(|&i| {
            (
                matches.get(i).copied().unwrap_or(0),
                Reverse(words[i].len()),
            )
        })
        .unwrap_or(0);
    let (lead_from, lead_to) = prefix_range(&words[leading]);
    let (others_from, others_to) = prefix_ranges(
        words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != leading)
            .map(|(_, word)| word),
    );
    let found = sqlx::query!(
        r#"with walked as (
               select t.term, t.rank_key, t.record_kind, t.record_id from search_terms t
               where t.tenant_id = $1 and t.term >= $2 and t.term < $3
                 and not exists (select 1 from unnest($4::text[], $5::text[]) as o (from_term, to_term)
                                 where not exists (select 1 from search_terms s
                                                   where s.tenant_id = $1 and s.record_kind = t.record_kind
                                                     and s.record_id = t.record_id
                                                     and s.term >= o.from_term and s.term < o.to_term))
               order by t.term, t.rank_key, t.record_kind, t.record_id
               limit $6
           ), met as (
               select record_kind, record_id,
                      row_number() over (order by term, rank_key, record_kind, record_id) as position
               from walked
           )
           select record_kind as "kind!", record_id as "id!" from met
           group by record_kind, record_id
           order by min(position)
           limit $7"#,
        tenant_id,
        lead_from,
        lead_to,
        &others_from,
        &others_to,
        limit * ENTRIES_PER_RESULT,
        limit,
    )
    .fetch_all(&mut *conn)
    .await?;
    let found: Vec<(String, Uuid)> = found.into_iter().map(|r| (r.kind, r.id)).collect();
    labelled(conn, tenant_id, &found).await
}

/// The records found, with their labels and details, in the order found; the score
/// falls with the rank.
async fn labelled(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    found: &[(String, Uuid)],
) -> Result<Vec<SearchHit>, Error> {
    let ids_of = |kind: &str| -> Vec<Uuid> {
        found
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| *id)
            .collect()
    };
    let rows = sqlx::query!(
        r#"select 'person' as "kind!", id as "id!", trim(family_name || ' ' || given_name) as "label!", email as detail
           from people where tenant_id = $1 and id = any($2) and deleted_at is null
           union all
           select 'organisation', id, name, email
           from organisations where tenant_id = $1 and id = any($3) and deleted_at is null
           union all
           select 'project', id, name, nullif(territory, '')
           from projects where tenant_id = $1 and id = any($4) and deleted_at is null"#,
        tenant_id,
        &ids_of("person"),
        &ids_of("organisation"),
        &ids_of("project"),
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_record: HashMap<(String, Uuid), (String, Option<String>)> = rows
        .into_iter()
        .map(|row| ((row.kind, row.id), (row.label, row.detail)))
        .collect();
    let count = found.len() as f32;
    Ok(found
        .iter()
        .enumerate()
        .filter_map(|(rank, (kind, id))| {
            let (label, detail) = by_record.remove(&(kind.clone(), *id))?;
            Some(SearchHit {
                kind: kind.clone(),
                id: *id,
                label,
                detail,
                score: (count - rank as f32) / count,
            })
        })
        .collect())
}

/// The word of the tenant's vocabulary nearest to `word`, if one is near enough and
/// still finds a record.
async fn nearest_word(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    word: &str,
) -> Result<Option<String>, Error> {
    Ok(sqlx::query_scalar!(
        r#"select near.term as "term!" from (
               select v.term, similarity(v.term, $2) as closeness from search_vocabulary v
               where v.tenant_id = $1
               order by v.term <-> $2
               limit $4
           ) near
           where near.closeness >= $3
             and exists (select 1 from search_terms t where t.tenant_id = $1 and t.term = near.term)
           order by near.closeness desc, near.term
           limit 1"#,
        tenant_id,
        word,
        NEAR_MISS_SIMILARITY,
        NEAR_MISS_CANDIDATES,
    )
    .fetch_optional(&mut *conn)
    .await?)
}
