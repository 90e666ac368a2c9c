//! Activities — meetings, calls, emails, events, notes, tasks — linked to people,
//! organisations, partnerships and projects; a record's timeline is its activities,
//! newest first.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use maillage_domain::kinds::ActivityKind;
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::{Change, Checks, created, delete, present, read, the_one};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::pagination::{DateOrder, Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    let mut router = ApiRouter::new()
        .get(
            "/v1/activities",
            list,
            Doc::new(
                "activities",
                "Activités de l'espace, filtrables (par fiche liée, type, tâches à faire)",
            )
            .query::<ListQuery>()
            .returns_page::<Activity>(),
        )
        .post(
            "/v1/activities",
            create,
            Doc::new(
                "activities",
                "Enregistrer une activité (réunion, appel, tâche…)",
            )
            .body::<ActivityInput>()
            .requires(&["kind", "subject"])
            .created()
            .returns::<Activity>(),
        )
        .get(
            "/v1/activities/{id}",
            read::<Activity>,
            Doc::new("activities", "Lire une activité").returns::<Activity>(),
        )
        .patch(
            "/v1/activities/{id}",
            update,
            Doc::new("activities", "Modifier une activité")
                .if_match()
                .body::<ActivityInput>()
                .returns::<Activity>(),
        )
        .delete(
            "/v1/activities/{id}",
            delete::<Activity>,
            Doc::new("activities", "Supprimer une activité").no_content(),
        );
    // The same timeline route for each kind of record an activity links to.
    let timelines: [TimelineRoute; 4] = [
        (
            "people",
            "Fil d'activité d'une personne, le plus récent d'abord",
            |id| Links {
                people: vec![id],
                ..Links::default()
            },
        ),
        ("organisations", "Fil d'activité d'une organisation", |id| {
            Links {
                organisations: vec![id],
                ..Links::default()
            }
        }),
        ("partnerships", "Fil d'activité d'un partenariat", |id| {
            Links {
                partnerships: vec![id],
                ..Links::default()
            }
        }),
        ("projects", "Fil d'activité d'un projet", |id| Links {
            projects: vec![id],
            ..Links::default()
        }),
    ];
    for (collection, summary, record) in timelines {
        let handler = move |State(state): State<AppState>,
                            identity: Identity,
                            Path(id): Path<Uuid>,
                            Query(query): Query<TimelineQuery>| async move {
            timeline(&state, &identity, record(id), query).await
        };
        router = router.get(
            &format!("/v1/{collection}/{{id}}/timeline"),
            handler,
            Doc::new("activities", summary)
                .query::<TimelineQuery>()
                .returns_page::<Activity>(),
        );
    }
    router
}

/// A timeline route: the collection, its summary, and the links naming its record.
type TimelineRoute = (&'static str, &'static str, fn(Uuid) -> Links);

/// The kinds of activity, for the document.
fn kind_schema() -> Object {
    maillage_runtime::api::one_of_or_null(ActivityKind::VALUES)
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Links {
    #[schema(max_items = 100)]
    pub people: Vec<Uuid>,
    #[schema(max_items = 100)]
    pub organisations: Vec<Uuid>,
    #[schema(max_items = 100)]
    pub partnerships: Vec<Uuid>,
    #[schema(max_items = 100)]
    pub projects: Vec<Uuid>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Activity {
    pub id: Uuid,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub subject: String,
    pub body: String,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub author_user_id: Uuid,
    pub links: Links,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

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
    fn with_links(self, links: Links) -> Activity {
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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    #[schema(schema_with = kind_schema)]
    kind: Option<String>,
    occurred_at: Option<DateTime<Utc>>,
    #[schema(min_length = 1, max_length = 300)]
    subject: Option<String>,
    #[schema(max_length = 50_000)]
    body: Option<String>,
    #[serde(default, deserialize_with = "present")]
    due_at: Option<Option<DateTime<Utc>>>,
    /// Tasks: true marks it done now, false reopens it.
    done: Option<bool>,
    /// Replaces all the links.
    links: Option<Links>,
}

struct ActivityFields {
    kind: String,
    occurred_at: DateTime<Utc>,
    subject: String,
    body: String,
    due_at: Option<DateTime<Utc>>,
    done_at: Option<DateTime<Utc>>,
    links: Links,
}

impl ActivityFields {
    fn merge(previous: Option<&Activity>, input: ActivityInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let kind = input
            .kind
            .or(previous.map(|p| p.kind.clone()))
            .unwrap_or_default();
        if !ActivityKind::VALUES.contains(&kind.as_str()) {
            checks.push("kind", &ActivityKind::expected());
        }
        let is_task = kind == "task";
        let due_at = input.due_at.unwrap_or(previous.and_then(|p| p.due_at));
        let done_at = match input.done {
            Some(true) => previous.and_then(|p| p.done_at).or(Some(Utc::now())),
            Some(false) => None,
            None => previous.and_then(|p| p.done_at),
        };
        if !is_task && (due_at.is_some() || done_at.is_some()) {
            checks.push(
                "due_at",
                "seule une tâche a une échéance ou peut être faite",
            );
        }
        let links = input
            .links
            .or(previous.map(|p| p.links.clone()))
            .unwrap_or_default();
        if links.people.len()
            + links.organisations.len()
            + links.partnerships.len()
            + links.projects.len()
            > 100
        {
            checks.push("links", "pas plus de 100 liens par activité");
        }
        let subject = input
            .subject
            .or(previous.map(|p| p.subject.clone()))
            .unwrap_or_default();
        let body = input
            .body
            .or(previous.map(|p| p.body.clone()))
            .unwrap_or_default();
        let fields = Self {
            occurred_at: input
                .occurred_at
                .or(previous.map(|p| p.occurred_at))
                .unwrap_or_else(Utc::now),
            subject: checks.text("subject", &subject, true, 300),
            body: checks.text("body", &body, false, 50_000),
            kind,
            due_at,
            done_at,
            links,
        };
        checks.finish()?;
        Ok(fields)
    }

    async fn save_links(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> Result<(), Error> {
        sqlx::query!(
            "delete from activity_links where tenant_id = $1 and activity_id = $2",
            tenant_id,
            id
        )
        .execute(&mut *conn)
        .await?;
        let unknown = |field: &'static str| {
            move || Error::field(field, "une fiche liée ne fait pas partie de l'espace")
        };
        sqlx::query!(
            r#"insert into activity_links (tenant_id, id, activity_id, person_id, organisation_id, partnership_id, project_id)
               select $1::uuid, gen_random_uuid(), $2::uuid, person_id, null::uuid, null::uuid, null::uuid
               from unnest($3::uuid[]) as person_id
               union all
               select $1, gen_random_uuid(), $2, null, organisation_id, null, null from unnest($4::uuid[]) as organisation_id
               union all
               select $1, gen_random_uuid(), $2, null, null, partnership_id, null from unnest($5::uuid[]) as partnership_id
               union all
               select $1, gen_random_uuid(), $2, null, null, null, project_id from unnest($6::uuid[]) as project_id"#,
            tenant_id,
            id,
            &self.links.people,
            &self.links.organisations,
            &self.links.partnerships,
            &self.links.projects,
        )
        .execute(&mut *conn)
        .await
        .on_constraint("activity_links_person_fkey", unknown("links.people"))
        .on_constraint("activity_links_organisation_fkey", unknown("links.organisations"))
        .on_constraint("activity_links_partnership_fkey", unknown("links.partnerships"))
        .on_constraint("activity_links_project_fkey", unknown("links.projects"))?;
        Ok(())
    }
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<ActivityInput>,
) -> Result<(StatusCode, HeaderMap, Json<Activity>), Error> {
    identity.require_editor()?;
    let fields = ActivityFields::merge(None, input)?;
    let tenant_id = identity.0.tenant_id;
    let id = Uuid::now_v7();
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        r#"insert into activities (tenant_id, id, kind, occurred_at, subject, body, due_at, done_at, author_user_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        tenant_id,
        id,
        fields.kind,
        fields.occurred_at,
        fields.subject,
        fields.body,
        fields.due_at,
        fields.done_at,
        identity.0.user_id,
    )
    .execute(&mut *tx)
    .await?;
    fields.save_links(&mut tx, tenant_id, id).await?;
    created(tx, &identity, id).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<ActivityInput>,
) -> Result<(HeaderMap, Json<Activity>), Error> {
    let mut change = Change::<Activity>::begin(&state, &identity, id, &headers).await?;
    let fields = ActivityFields::merge(Some(&change.before), input)?;
    sqlx::query!(
        r#"update activities
           set kind = $3, occurred_at = $4, subject = $5, body = $6, due_at = $7, done_at = $8,
               version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        change.tenant_id(),
        id,
        fields.kind,
        fields.occurred_at,
        fields.subject,
        fields.body,
        fields.due_at,
        fields.done_at,
    )
    .execute(&mut *change.tx)
    .await?;
    if fields.links != change.before.links {
        let tenant_id = change.tenant_id();
        fields.save_links(&mut change.tx, tenant_id, id).await?;
    }
    change.commit().await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// meeting, call, email, event, note or task.
    kind: Option<String>,
    /// Only the activities linked to this person (and to every other record named).
    person_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
    project_id: Option<Uuid>,
    /// Tasks: `false` for those still to do, `true` for those done.
    done: Option<bool>,
    /// `-occurred_at` (newest first: the default) or `occurred_at` (oldest first).
    #[param(schema_with = crate::pagination::by_occurred_at)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    after: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct TimelineQuery {
    /// `-occurred_at` (newest first: the default) or `occurred_at` (oldest first).
    #[param(schema_with = crate::pagination::by_occurred_at)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    after: Option<String>,
}

impl TimelineQuery {
    /// The list of one record's activities.
    fn of(self, links: Links) -> ListQuery {
        ListQuery {
            kind: None,
            person_id: links.people.first().copied(),
            organisation_id: links.organisations.first().copied(),
            partnership_id: links.partnerships.first().copied(),
            project_id: links.projects.first().copied(),
            done: None,
            sort: self.sort,
            limit: self.limit,
            after: self.after,
        }
    }
}

/// `GET /v1/activities`: the tenant's activities, filtered.
async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<Activity>>, Error> {
    let mut tx = identity.begin(&state).await?;
    let page = list_in(&mut tx, identity.0.tenant_id, query).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// One live record's activities (`record` names it), a page at a time; 404 when the
/// record is not one of the tenant's, rather than an empty timeline.
async fn timeline(
    state: &AppState,
    identity: &Identity,
    record: Links,
    query: TimelineQuery,
) -> Result<Json<Page<Activity>>, Error> {
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(state).await?;
    let exists = sqlx::query_scalar!(
        r#"select exists(
               select 1 from people where tenant_id = $1 and id = any($2) and deleted_at is null
               union all select 1 from organisations where tenant_id = $1 and id = any($3) and deleted_at is null
               union all select 1 from partnerships where tenant_id = $1 and id = any($4) and deleted_at is null
               union all select 1 from projects where tenant_id = $1 and id = any($5) and deleted_at is null
           ) as "exists!""#,
        tenant_id,
        &record.people,
        &record.organisations,
        &record.partnerships,
        &record.projects,
    )
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        return Err(Error::NotFound);
    }
    let page = list_in(&mut tx, tenant_id, query.of(record)).await?;
    tx.commit().await?;
    Ok(Json(page))
}

/// A page of activities: their ids in the order asked for (one index, read either
/// way), then their rows and links.
async fn list_in(
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

async fn fetch(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<Activity, Error> {
    the_one(fetch_many(conn, tenant_id, &[id]).await?)
}

/// The activities with these ids, in the order given, each with its links.
async fn fetch_many(
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

record!(Activity, "activities", "activity");
