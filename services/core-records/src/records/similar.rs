//! The people and organisations a new one may duplicate, asked before it is added: the
//! same email, or the same name with accents, case and spacing aside ("Fondation de
//! france" beside "Fondation de France"). The gateway warns, and the person adding
//! opens the one found, merges into it, or adds theirs anyway.

use axum::extract::State;
use maillage_problem::{Json, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::language::reader;
use crate::state::AppState;

/// The most named: a warning lists a few, not a search's page.
const MAX_SIMILAR: i64 = 5;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/people/similar",
            similar_people,
            Doc::new(
                "people",
                "Les personnes qu'une nouvelle fiche doublerait (même e-mail, ou même nom sans accents ni casse)",
            )
            .query::<PersonQuery>()
            .returns::<SimilarRecords>(),
        )
        .get(
            "/v1/organisations/similar",
            similar_organisations,
            Doc::new(
                "organisations",
                "Les organisations qu'une nouvelle fiche doublerait (même nom sans accents ni casse)",
            )
            .query::<OrganisationQuery>()
            .returns::<SimilarRecords>(),
        )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct PersonQuery {
    #[serde(default)]
    #[param(max_length = 100)]
    given_name: String,
    #[serde(default)]
    #[param(max_length = 100)]
    family_name: String,
    #[serde(default)]
    #[param(max_length = 320)]
    email: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct OrganisationQuery {
    #[param(max_length = 200)]
    name: String,
}

/// A record a new one may duplicate.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct SimilarRecord {
    id: Uuid,
    /// Its name.
    label: String,
    /// What tells it apart: an email, an organisation, a town.
    detail: Option<String>,
    /// What they share: `email` or `name`.
    matched: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct SimilarRecords {
    items: Vec<SimilarRecord>,
}

/// A name as it is compared: spaces inside it collapsed, none around it.
fn spaced(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The parts known, "Paris · contact@exemple.fr"; none if none is.
fn joined(parts: [Option<String>; 2]) -> Option<String> {
    parts
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .reduce(|a, b| format!("{a} · {b}"))
}

/// A value asked about that could not be a record's. (What no text may hold, the NUL
/// character, every query refuses before it gets here.)
fn refused(field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    if value.chars().count() > max {
        return Err(Error::field(
            field,
            &reader().t1("check-too-long", "max", max),
        ));
    }
    Ok(())
}

async fn similar_people(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<PersonQuery>,
) -> Result<Json<SimilarRecords>, Error> {
    refused("given_name", &query.given_name, 100)?;
    refused("family_name", &query.family_name, 100)?;
    refused("email", &query.email, 320)?;
    let name = format!(
        "{} {}",
        spaced(&query.given_name),
        spaced(&query.family_name)
    );
    let email = query.email.trim();
    let mut tx = identity.begin(&state).await?;
    // Two lookups, each through its own index (an `or` would read the table).
    let rows = sqlx::query!(
        r#"with found as (
               select id, 'email' as matched from people
               where tenant_id = $1 and deleted_at is null and $2 <> '' and email_key = lower($2)
               union all
               select id, 'name' from people
               where tenant_id = $1 and deleted_at is null and $3 <> ' '
                 and name_key = maillage_search_text($3))
           select p.id, p.given_name, p.family_name, p.email,
                  min(found.matched) as "matched!",
                  (select o.name from affiliations a
                   join organisations o on o.tenant_id = a.tenant_id and o.id = a.organisation_id
                   where a.tenant_id = p.tenant_id and a.person_id = p.id and o.deleted_at is null
                     and (a.ends_on is null or a.ends_on >= current_date)
                   order by a.starts_on desc nulls last limit 1) as organisation
           from people p join found on found.id = p.id
           where p.tenant_id = $1
           group by p.tenant_id, p.id
           order by p.family_name, p.given_name, p.id
           limit $4"#,
        identity.0.tenant_id,
        email,
        name,
        MAX_SIMILAR,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let items = rows
        .into_iter()
        .map(|r| SimilarRecord {
            id: r.id,
            label: format!("{} {}", r.given_name, r.family_name)
                .trim()
                .to_owned(),
            detail: joined([r.organisation, r.email]),
            matched: r.matched,
        })
        .collect();
    Ok(Json(SimilarRecords { items }))
}

async fn similar_organisations(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<OrganisationQuery>,
) -> Result<Json<SimilarRecords>, Error> {
    refused("name", &query.name, 200)?;
    let name = spaced(&query.name);
    if name.is_empty() {
        return Ok(Json(SimilarRecords { items: Vec::new() }));
    }
    let mut tx = identity.begin(&state).await?;
    let rows = sqlx::query!(
        r#"select id, name, territory, email from organisations
           where tenant_id = $1 and deleted_at is null and name_key = maillage_search_text($2)
           order by name, id
           limit $3"#,
        identity.0.tenant_id,
        name,
        MAX_SIMILAR,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let items = rows
        .into_iter()
        .map(|r| SimilarRecord {
            id: r.id,
            label: r.name,
            detail: joined([Some(r.territory), r.email]),
            matched: "name".to_owned(),
        })
        .collect();
    Ok(Json(SimilarRecords { items }))
}
