//! The photograph's SQL: the ties of a day (`network_ties`), the names of what they
//! tie, and what the filters and figures need.

use std::collections::HashMap;

use chrono::NaiveDate;
use maillage_domain::network::NetworkTie;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

/// A record the network names: its kind and its name.
#[derive(Debug, Clone)]
pub struct Named {
    pub kind: String,
    pub label: String,
}

/// Every tie in force on `on`.
pub async fn ties(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    on: NaiveDate,
) -> Result<Vec<(NetworkTie, String, String)>, Error> {
    let rows = sqlx::query!(
        r#"select source_kind as "source_kind!", source_id as "source_id!",
                  target_kind as "target_kind!", target_id as "target_id!",
                  relation as "relation!", since as "since!", until
           from network_ties($1, $2)
           order by relation, source_id, target_id"#,
        tenant_id,
        on,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                NetworkTie {
                    source: row.source_id,
                    target: row.target_id,
                    relation: row.relation,
                    since: row.since,
                    until: row.until,
                },
                row.source_kind,
                row.target_kind,
            )
        })
        .collect())
}

/// The kind and name of each of `ids`.
pub async fn names(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Named>, Error> {
    let rows = sqlx::query!(
        r#"select id as "id!", 'person' as "kind!", trim(given_name || ' ' || family_name) as "label!"
           from people where tenant_id = $1 and id = any($2)
           union all
           select id, 'organisation', name from organisations where tenant_id = $1 and id = any($2)
           union all
           select id, 'partnership', title from partnerships where tenant_id = $1 and id = any($2)
           union all
           select id, 'project', name from projects where tenant_id = $1 and id = any($2)"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                row.id,
                Named {
                    kind: row.kind,
                    label: row.label,
                },
            )
        })
        .collect())
}

/// Partnerships of this kind and status (either may be left out).
pub async fn partnerships_matching(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    kind: Option<&str>,
    status: Option<&str>,
) -> Result<Vec<Uuid>, Error> {
    Ok(sqlx::query_scalar!(
        "select id from partnerships
         where tenant_id = $1 and deleted_at is null
           and ($2::text is null or kind = $2) and ($3::text is null or status = $3)",
        tenant_id,
        kind,
        status,
    )
    .fetch_all(conn)
    .await?)
}

/// The records carrying this tag (any case).
pub async fn tagged(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    tag: &str,
) -> Result<Vec<Uuid>, Error> {
    Ok(sqlx::query_scalar!(
        r#"select x.id as "id!" from tags t
           join lateral (
               select person_id as id from person_tags where tenant_id = t.tenant_id and tag_id = t.id
               union all
               select organisation_id from organisation_tags where tenant_id = t.tenant_id and tag_id = t.id
               union all
               select partnership_id from partnership_tags where tenant_id = t.tenant_id and tag_id = t.id
               union all
               select project_id from project_tags where tenant_id = t.tenant_id and tag_id = t.id
           ) x on true
           where t.tenant_id = $1 and lower(t.name) = lower($2)"#,
        tenant_id,
        tag,
    )
    .fetch_all(conn)
    .await?)
}

/// The organisations and projects of this territory (any case).
pub async fn in_territory(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    territory: &str,
) -> Result<Vec<Uuid>, Error> {
    Ok(sqlx::query_scalar!(
        r#"select id as "id!" from organisations
           where tenant_id = $1 and deleted_at is null and lower(territory) = lower($2)
           union all
           select id from projects
           where tenant_id = $1 and deleted_at is null and lower(territory) = lower($2)"#,
        tenant_id,
        territory,
    )
    .fetch_all(conn)
    .await?)
}

/// The organisations that existed on `on` (entered by then, not in the bin).
pub async fn organisations_on(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    on: NaiveDate,
) -> Result<Vec<(Uuid, String)>, Error> {
    let rows = sqlx::query!(
        "select id, name from organisations
         where tenant_id = $1 and deleted_at is null and created_at::date <= $2
         order by name, id",
        tenant_id,
        on,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.name)).collect())
}

/// The organisations with an activity about them in the twelve months up to `on`.
pub async fn active_organisations(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    on: NaiveDate,
    months: i32,
) -> Result<Vec<Uuid>, Error> {
    Ok(sqlx::query_scalar!(
        r#"select organisation_id as "organisation_id!"
           from organisations_last_activity($1, ($2::date + 1)::timestamptz)
           where last_activity_at >= ($2::date + 1)::timestamptz - make_interval(months => $3)"#,
        tenant_id,
        on,
        months,
    )
    .fetch_all(conn)
    .await?)
}
