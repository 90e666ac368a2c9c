//! Activities — meetings, calls, emails, events, notes, tasks — linked to people,
//! organisations and partnerships; a record's timeline is its activities, newest first.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use maillage_problem::Json;
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Change, Checks, created, delete, present, read};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::pagination::{Page, PageQuery};
use crate::startup::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .post(
            "/v1/activities",
            create,
            Doc::new(
                "activities",
                "Enregistrer une activité (réunion, appel, tâche…)",
            )
            .body::<ActivityInput>()
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
        )
        .get(
            "/v1/people/{id}/timeline",
            person_timeline,
            Doc::new(
                "activities",
                "Fil d'activité d'une personne, le plus récent d'abord",
            )
            .query::<PageQuery>()
            .returns_page::<Activity>(),
        )
        .get(
            "/v1/organisations/{id}/timeline",
            organisation_timeline,
            Doc::new("activities", "Fil d'activité d'une organisation")
                .query::<PageQuery>()
                .returns_page::<Activity>(),
        )
        .get(
            "/v1/partnerships/{id}/timeline",
            partnership_timeline,
            Doc::new("activities", "Fil d'activité d'un partenariat")
                .query::<PageQuery>()
                .returns_page::<Activity>(),
        )
}

const KINDS: [&str; 6] = ["meeting", "call", "email", "event", "note", "task"];

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Links {
    pub people: Vec<Uuid>,
    pub organisations: Vec<Uuid>,
    pub partnerships: Vec<Uuid>,
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
    kind: Option<String>,
    occurred_at: Option<DateTime<Utc>>,
    subject: Option<String>,
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
        if !KINDS.contains(&kind.as_str()) {
            checks.push(
                "kind",
                "doit valoir meeting, call, email, event, note ou task",
            );
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
        if links.people.len() + links.organisations.len() + links.partnerships.len() > 100 {
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
            r#"insert into activity_links (tenant_id, id, activity_id, person_id, organisation_id, partnership_id)
               select $1::uuid, gen_random_uuid(), $2::uuid, person_id, null::uuid, null::uuid from unnest($3::uuid[]) as person_id
               union all
               select $1, gen_random_uuid(), $2, null, organisation_id, null from unnest($4::uuid[]) as organisation_id
               union all
               select $1, gen_random_uuid(), $2, null, null, partnership_id from unnest($5::uuid[]) as partnership_id"#,
            tenant_id,
            id,
            &self.links.people,
            &self.links.organisations,
            &self.links.partnerships,
        )
        .execute(&mut *conn)
        .await
        .on_constraint("activity_links_person_fkey", unknown("links.people"))
        .on_constraint("activity_links_organisation_fkey", unknown("links.organisations"))
        .on_constraint("activity_links_partnership_fkey", unknown("links.partnerships"))?;
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

/// Whose timeline: exactly one of these is set.
#[derive(Default)]
struct Subject {
    person: Option<Uuid>,
    organisation: Option<Uuid>,
    partnership: Option<Uuid>,
}

async fn person_timeline(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Activity>>, Error> {
    timeline(
        &state,
        &identity,
        Subject {
            person: Some(id),
            ..Subject::default()
        },
        page,
    )
    .await
}

async fn organisation_timeline(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Activity>>, Error> {
    timeline(
        &state,
        &identity,
        Subject {
            organisation: Some(id),
            ..Subject::default()
        },
        page,
    )
    .await
}

async fn partnership_timeline(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Query(page): Query<PageQuery>,
) -> Result<Json<Page<Activity>>, Error> {
    timeline(
        &state,
        &identity,
        Subject {
            partnership: Some(id),
            ..Subject::default()
        },
        page,
    )
    .await
}

/// A record's activities, newest first, a page at a time.
async fn timeline(
    state: &AppState,
    identity: &Identity,
    subject: Subject,
    page: PageQuery,
) -> Result<Json<Page<Activity>>, Error> {
    let limit = page.limit()?;
    let after: Option<(DateTime<Utc>, Uuid)> = page.after()?;
    let (after_at, after_id) = after.unzip();
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(state).await?;
    let exists = sqlx::query_scalar!(
        r#"select exists(
               select 1 from people where tenant_id = $1 and id = $2 and deleted_at is null
               union all select 1 from organisations where tenant_id = $1 and id = $3 and deleted_at is null
               union all select 1 from partnerships where tenant_id = $1 and id = $4 and deleted_at is null
           ) as "exists!""#,
        tenant_id,
        subject.person,
        subject.organisation,
        subject.partnership,
    )
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        return Err(Error::NotFound);
    }
    let rows = sqlx::query_as!(
        ActivityRow,
        r#"select a.id, a.kind, a.occurred_at, a.subject, a.body, a.due_at, a.done_at, a.author_user_id,
                  a.version, a.created_at, a.updated_at
           from activities a
           where a.tenant_id = $1
             and exists (select 1 from activity_links l
                         where l.tenant_id = a.tenant_id and l.activity_id = a.id
                           and (l.person_id = $2 or l.organisation_id = $3 or l.partnership_id = $4))
             and ($5::timestamptz is null or (a.occurred_at, a.id) < ($5, $6::uuid))
           order by a.occurred_at desc, a.id desc
           limit $7"#,
        tenant_id,
        subject.person,
        subject.organisation,
        subject.partnership,
        after_at,
        after_id,
        limit + 1,
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let links = links_of(&mut tx, tenant_id, row.id).await?;
        items.push(row.with_links(links));
    }
    tx.commit().await?;
    Ok(Json(Page::from_rows(items, limit, |a| {
        (a.occurred_at, a.id)
    })))
}

async fn links_of(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<Links, Error> {
    let rows = sqlx::query!(
        r#"select person_id, organisation_id, partnership_id from activity_links
           where tenant_id = $1 and activity_id = $2 order by id"#,
        tenant_id,
        id,
    )
    .fetch_all(conn)
    .await?;
    Ok(Links {
        people: rows.iter().filter_map(|r| r.person_id).collect(),
        organisations: rows.iter().filter_map(|r| r.organisation_id).collect(),
        partnerships: rows.iter().filter_map(|r| r.partnership_id).collect(),
    })
}

async fn fetch(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<Activity, Error> {
    let row = sqlx::query_as!(
        ActivityRow,
        r#"select id, kind, occurred_at, subject, body, due_at, done_at, author_user_id, version, created_at, updated_at
           from activities where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let links = links_of(conn, tenant_id, id).await?;
    Ok(row.with_links(links))
}

record!(Activity, Activities, "activity");
