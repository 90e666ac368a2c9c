//! Reading activities, each with its links, one page at a time or by id.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::ListQuery;
use super::model::{Activity, Links};
use crate::Error;
use crate::pagination::{DateOrder, Page, PageQuery};
use crate::records::the_one;

struct ActivityRow {
    id: Uuid,
    kind: String,
    occurred_at: DateTime<Utc>,
    subject: String,
    body: String,
    due_at: Option<DateTime<Utc>>,
    done_at: Option<DateTime<Utc>>,
    author_user_id: Uuid,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ActivityRow {
    pub(super) fn with_links(self, links: Links) -> Activity {
        Activity {
            id: self.id,
            kind: self.kind,
            occurred_at: self.occurred_at,
            subject: self.subject,
            body: self.body,
            due_at: self.due_at,
            done_at: self.done_at,
            author_user_id: self.author_user_id,
            links,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A page of activities: their ids in the order asked for (one index, read either
/// way), then their rows and links.
pub(super) async fn list_in(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    query: ListQuery,
) -> Result<Page<Activity>, Error> {
    let order = DateOrder::parse(query.sort.as_deref(), "occurred_at", DateOrder::NewestFirst)?;
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let after: Option<(DateTime<Utc>, Uuid)> = page.after()?;
    let (after_at, after_id) = after.unzip();
    let ids = match order {
        DateOrder::NewestFirst => {
            sqlx::query_scalar!(
                r#"select a.id from activities a
                   where a.tenant_id = $1
                     and ($2::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.person_id = $2))
                     and ($3::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.organisation_id = $3))
                     and ($4::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.partnership_id = $4))
                     and ($5::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.project_id = $5))
                     and ($6::text is null or a.kind = $6)
                     and ($7::bool is null or (a.done_at is not null) = $7)
                     and ($8::timestamptz is null or (a.occurred_at, a.id) < ($8, $9::uuid))
                   order by a.occurred_at desc, a.id desc
                   limit $10"#,
                tenant_id,
                query.person_id,
                query.organisation_id,
                query.partnership_id,
                query.project_id,
                query.kind,
                query.done,
                after_at,
                after_id,
                limit + 1,
            )
            .fetch_all(&mut *conn)
            .await?
        }
        DateOrder::OldestFirst => {
            sqlx::query_scalar!(
                r#"select a.id from activities a
                   where a.tenant_id = $1
                     and ($2::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.person_id = $2))
                     and ($3::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.organisation_id = $3))
                     and ($4::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.partnership_id = $4))
                     and ($5::uuid is null or exists (select 1 from activity_links l
                          where l.tenant_id = $1 and l.activity_id = a.id and l.project_id = $5))
                     and ($6::text is null or a.kind = $6)
                     and ($7::bool is null or (a.done_at is not null) = $7)
                     and ($8::timestamptz is null or (a.occurred_at, a.id) > ($8, $9::uuid))
                   order by a.occurred_at, a.id
                   limit $10"#,
                tenant_id,
                query.person_id,
                query.organisation_id,
                query.partnership_id,
                query.project_id,
                query.kind,
                query.done,
                after_at,
                after_id,
                limit + 1,
            )
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let items = fetch_many(conn, tenant_id, &ids).await?;
    Ok(Page::from_rows(items, limit, |a| (a.occurred_at, a.id)))
}

pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Activity, Error> {
    the_one(fetch_many(conn, tenant_id, &[id]).await?)
}

/// The activities with these ids, in the order given, each with its links.
pub(super) async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Activity>, Error> {
    let rows = sqlx::query_as!(
        ActivityRow,
        r#"select id, kind, occurred_at, subject, body, due_at, done_at, author_user_id, version, created_at, updated_at
           from activities where tenant_id = $1 and id = any($2)
           order by array_position($2, id)"#,
        tenant_id,
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    let links = sqlx::query!(
        r#"select activity_id, person_id, organisation_id, partnership_id, project_id from activity_links
           where tenant_id = $1 and activity_id = any($2) order by id"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?;
    let mut by_activity: HashMap<Uuid, Links> = HashMap::new();
    for link in links {
        let entry = by_activity.entry(link.activity_id).or_default();
        entry.people.extend(link.person_id);
        entry.organisations.extend(link.organisation_id);
        entry.partnerships.extend(link.partnership_id);
        entry.projects.extend(link.project_id);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let links = by_activity.remove(&row.id).unwrap_or_default();
            row.with_links(links)
        })
        .collect())
}
