//! Finding records through the words they are found by (`search_terms`, migration 44):
//! one row per word and record, in word order, then label order.
//!
//! Every word of the query is a prefix, and a record must have a word starting with
//! each. The word with the fewest matches leads: its range of the index is read from
//! its start, each entry checked for the other words (every entry holds all its
//! record's words), until a page is found; a broad prefix ("m" in a workspace of
//! 300,000 people) stops after a few dozen entries instead of ranking every match.
//! Records come by where the word they matched is (a word of their name or title before
//! a word of their email or notes: the index holds the two apart, each read as a range),
//! then by the word (the word typed itself first, then the longer ones in alphabetical
//! order), then by label.
//!
//! When that finds nothing, each word that finds nothing alone is replaced by the
//! nearest word of the tenant's vocabulary (trigram distance: "durnad" → "durand"), and
//! the search is made again: near misses.

use std::cmp::Reverse;
use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::{RecordRef, SearchHit};

/// A record found: its label, its detail, and the record it is read on, if another.
type Labelled = (String, Option<String>, Option<RecordRef>);
use crate::Error;

/// Matches counted per word to choose the one that leads: beyond this, a word is broad.
const COUNT_CAP: i64 = 1_000;
/// Index entries kept per result asked: a record found by several words of the leading
/// prefix ("marie martin" for "mar") is met more than once.
const ENTRIES_PER_RESULT: i64 = 3;
/// How close a word of the vocabulary must be to stand for a word that finds nothing
/// (pg_trgm similarity of the two words, 0 to 1: "durnad" and "durand" are 0.27 apart).
const NEAR_MISS_SIMILARITY: f32 = 0.2;
/// Nearest words looked at for each word that finds nothing, and kept.
const NEAR_MISS_CANDIDATES: i64 = 5;
const NEAR_MISS_KEPT: i64 = 3;
/// Combinations of near words tried, the closest first.
const NEAR_MISS_TRIES: usize = 6;
/// Words of a query that may be corrected: past this many finding nothing, the query is
/// not a few typos away from anything.
const MAX_CORRECTED_WORDS: usize = 4;

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
    find_of_kind(conn, tenant_id, (text, None), limit).await
}

/// As `find`, only records of `kind` (`person`…) when one is given.
pub async fn find_of_kind(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    (text, kind): (&str, Option<&str>),
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
        let hits = walk(conn, tenant_id, (&words, kind), &matches, limit).await?;
        if !hits.is_empty() {
            return Ok(Found {
                hits,
                approximate: false,
            });
        }
    }
    // Near misses: each word that finds nothing alone replaced by one of the tenant's
    // words nearest to it, the closest combinations first.
    let missing = matches.iter().filter(|&&count| count == 0).count();
    if missing > MAX_CORRECTED_WORDS {
        return Ok(Found {
            hits: Vec::new(),
            approximate: true,
        });
    }
    let mut candidates = Vec::with_capacity(words.len());
    for (word, count) in words.iter().zip(&matches) {
        candidates.push(if *count > 0 {
            vec![word.clone()]
        } else {
            nearest_words(conn, tenant_id, word).await?
        });
    }
    // Every word's matches counted once: those typed are known, the near ones are
    // counted together (a combination tried would otherwise count them again).
    let near: Vec<String> = candidates
        .iter()
        .flatten()
        .filter(|word| !words.contains(word))
        .cloned()
        .collect();
    let near_matches = matches_per_word(conn, tenant_id, &near).await?;
    let counts: HashMap<&str, i64> = words
        .iter()
        .zip(matches.iter().copied())
        .chain(near.iter().zip(near_matches))
        .map(|(word, count)| (word.as_str(), count))
        .collect();
    for choice in closest_first(&candidates) {
        let corrected: Vec<String> = choice
            .iter()
            .zip(&candidates)
            .filter_map(|(&i, nearest)| nearest.get(i).cloned())
            .collect();
        if corrected == words {
            continue;
        }
        let matches: Vec<i64> = corrected
            .iter()
            .map(|word| counts.get(word.as_str()).copied().unwrap_or(0))
            .collect();
        let hits = walk(conn, tenant_id, (&corrected, kind), &matches, limit).await?;
        if !hits.is_empty() {
            return Ok(Found {
                hits,
                approximate: true,
            });
        }
    }
    Ok(Found {
        hits: Vec::new(),
        approximate: true,
    })
}

/// Combinations of one candidate per word (their indexes), the closest first (the
/// smallest sum of ranks), at most `NEAR_MISS_TRIES`; none if a word has no candidate.
fn closest_first(candidates: &[Vec<String>]) -> Vec<Vec<usize>> {
    let mut combinations: Vec<Vec<usize>> = vec![Vec::new()];
    // Word by word, only the closest partial combinations are kept: the closest whole
    // ones extend them, and a long query's combinations would otherwise be countless.
    for nearest in candidates {
        combinations = combinations
            .into_iter()
            .flat_map(|chosen| {
                (0..nearest.len()).map(move |i| {
                    let mut next = chosen.clone();
                    next.push(i);
                    next
                })
            })
            .collect();
        combinations.sort_by_key(|chosen| chosen.iter().sum::<usize>());
        combinations.truncate(NEAR_MISS_TRIES);
    }
    combinations
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
                                          where s.tenant_id = $1 and s.label_rank in (0, 1)
                                            and s.term >= w.from_term and s.term < w.to_term
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
    (words, kind): (&[String], Option<&str>),
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
    // Each other word as it starts a word of `search_terms.words`.
    let others: Vec<String> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != leading)
        .map(|(_, word)| format!(" {word}"))
        .collect();
    let found = sqlx::query!(
        r#"with walked as (
               -- The words of names and titles first, then the others: each a range of
               -- the index read from its start, up to the entries wanted.
               (select t.label_rank, t.term, t.rank_key, t.record_kind, t.record_id from search_terms t
                where t.tenant_id = $1 and t.label_rank = 0 and t.term >= $2 and t.term < $3
                  and ($7::text is null or t.record_kind = $7)
                  and not exists (select 1 from unnest($4::text[]) as o (word)
                                  where strpos(t.words, o.word) = 0)
                order by t.term, t.rank_key, t.record_kind, t.record_id
                limit $5)
               union all
               (select t.label_rank, t.term, t.rank_key, t.record_kind, t.record_id from search_terms t
                where t.tenant_id = $1 and t.label_rank = 1 and t.term >= $2 and t.term < $3
                  and ($7::text is null or t.record_kind = $7)
                  and not exists (select 1 from unnest($4::text[]) as o (word)
                                  where strpos(t.words, o.word) = 0)
                order by t.term, t.rank_key, t.record_kind, t.record_id
                limit $5)
           ), met as (
               select record_kind, record_id,
                      row_number() over (order by label_rank, term, rank_key, record_kind, record_id) as position
               from walked
           )
           select record_kind as "kind!", record_id as "id!" from met
           group by record_kind, record_id
           order by min(position)
           limit $6"#,
        tenant_id,
        lead_from,
        lead_to,
        &others,
        limit * ENTRIES_PER_RESULT,
        limit,
        kind,
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
        r#"select 'person' as "kind!", id as "id!", trim(family_name || ' ' || given_name) as "label!", email as detail,
                  null::text as about_kind, null::uuid as about_id
           from people where tenant_id = $1 and id = any($2) and deleted_at is null
           union all
           select 'organisation', id, name, email, null, null
           from organisations where tenant_id = $1 and id = any($3) and deleted_at is null
           union all
           select 'project', id, name, nullif(territory, ''), null, null
           from projects where tenant_id = $1 and id = any($4) and deleted_at is null
           union all
           select 'partnership', id, title, null, null, null
           from partnerships where tenant_id = $1 and id = any($5) and deleted_at is null
           union all
           select 'deadline', d.id, d.title, o.name, null, null
           from reporting_deadlines d
           left join organisations o on o.tenant_id = d.tenant_id and o.id = d.funder_id and o.deleted_at is null
           where d.tenant_id = $1 and d.id = any($6)
           union all
           -- An activity is read on the page of a record it is about.
           select 'activity', a.id, a.subject, null, l.kind, l.id
           from activities a
           left join lateral (
               select case when person_id is not null then 'person'
                           when organisation_id is not null then 'organisation'
                           when partnership_id is not null then 'partnership'
                           else 'project' end as kind,
                      coalesce(person_id, organisation_id, partnership_id, project_id) as id
               from activity_links
               where tenant_id = a.tenant_id and activity_id = a.id
               order by person_id nulls last, organisation_id nulls last, partnership_id nulls last
               limit 1) l on true
           where a.tenant_id = $1 and a.id = any($7)"#,
        tenant_id,
        &ids_of("person"),
        &ids_of("organisation"),
        &ids_of("project"),
        &ids_of("partnership"),
        &ids_of("deadline"),
        &ids_of("activity"),
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_record: HashMap<(String, Uuid), Labelled> = rows
        .into_iter()
        .map(|row| {
            let about = row
                .about_kind
                .zip(row.about_id)
                .map(|(kind, id)| RecordRef { kind, id });
            ((row.kind, row.id), (row.label, row.detail, about))
        })
        .collect();
    let count = found.len() as f32;
    Ok(found
        .iter()
        .enumerate()
        .filter_map(|(rank, (kind, id))| {
            let (label, detail, about) = by_record.remove(&(kind.clone(), *id))?;
            Some(SearchHit {
                kind: kind.clone(),
                id: *id,
                label,
                detail,
                about,
                score: (count - rank as f32) / count,
            })
        })
        .collect())
}

/// The words of the tenant's vocabulary nearest to `word`, the nearest first, near
/// enough and still finding a record: by trigrams, and by edits among the words that
/// begin with the same letter (two letters swapped in a short word leave few trigrams
/// in common: "jaen" and "jean" share one).
async fn nearest_words(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    word: &str,
) -> Result<Vec<String>, Error> {
    let first_letter: String = word.chars().take(1).collect();
    let (letter_from, letter_to) = prefix_range(&first_letter);
    let edits = if word.chars().count() > 3 { 2 } else { 1 };
    Ok(sqlx::query_scalar!(
        r#"select near.term as "term!" from (
               (select v.term from search_vocabulary v
                where v.tenant_id = $1
                order by v.term <-> $2
                limit $4)
               union
               (select v.term from search_vocabulary v
                where v.tenant_id = $1 and v.term >= $6 and v.term < $7
                  and levenshtein_less_equal(v.term, $2, $8) <= $8
                limit $4)
           ) near
           where (similarity(near.term, $2) >= $3 or levenshtein_less_equal(near.term, $2, $8) <= $8)
             and exists (select 1 from search_terms t
                         where t.tenant_id = $1 and t.label_rank in (0, 1) and t.term = near.term)
           order by levenshtein_less_equal(near.term, $2, $8), similarity(near.term, $2) desc, near.term
           limit $5"#,
        tenant_id,
        word,
        NEAR_MISS_SIMILARITY,
        NEAR_MISS_CANDIDATES,
        NEAR_MISS_KEPT,
        letter_from,
        letter_to,
        edits,
    )
    .fetch_all(&mut *conn)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn the_closest_combinations_of_near_words_come_first() {
        let candidates = vec![
            words(&["jean", "jeanne"]),
            words(&["marie", "martin", "mari"]),
        ];
        let tries = closest_first(&candidates);
        assert_eq!(tries.first(), Some(&vec![0, 0]));
        assert_eq!(tries.len(), NEAR_MISS_TRIES);
        assert!(tries.contains(&vec![0, 1]), "jean martin is tried");
        let sums: Vec<usize> = tries.iter().map(|t| t.iter().sum()).collect();
        assert!(sums.windows(2).all(|pair| pair[0] <= pair[1]), "{sums:?}");
    }

    #[test]
    fn a_long_query_has_no_more_combinations_than_tried() {
        let candidates = vec![words(&["a", "b", "c"]); 60];
        let tries = closest_first(&candidates);
        assert_eq!(tries.len(), NEAR_MISS_TRIES);
        assert_eq!(tries.first(), Some(&vec![0; 60]));
    }

    #[test]
    fn a_word_without_a_near_one_leaves_nothing_to_try() {
        assert!(closest_first(&[words(&["jean"]), Vec::new()]).is_empty());
    }

    #[test]
    fn a_prefix_range_holds_every_longer_word() {
        let (from, to) = prefix_range("mar");
        for word in ["mar", "marie", "martinez", "mar\u{ffff}"] {
            assert!(from.as_str() <= word && word < to.as_str(), "{word}");
        }
        assert!("maq" < from.as_str() && "mas" > to.as_str());
    }
}
