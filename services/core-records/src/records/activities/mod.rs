//! Activities — meetings, calls, emails, events, notes, tasks — linked to people,
//! organisations, partnerships and projects; a record's timeline is its activities,
//! newest first.

mod fields;
mod model;
mod queries;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use uuid::Uuid;

use self::fields::{ActivityFields, ActivityInput};
pub(super) use self::model::{Activity, Links};
use self::queries::{fetch, list_in};
use super::{Change, created, delete, read};
use crate::Error;
use crate::identity::Identity;
use crate::pagination::Page;
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

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<ActivityInput>,
) -> Result<(StatusCode, HeaderMap, Json<Activity>), Error> {
    identity.require_editor()?;
    let fields = ActivityFields::merge(None, input)?;
    let mut tx = identity.begin(&state).await?;
    let id = insert(&mut tx, &identity, &fields).await?;
    created(tx, &identity, id).await
}

/// A task on the timelines of the records `links` names, due at `due_at`; what the
/// target's gaps turn into. Answered as `POST /v1/activities` answers.
pub(super) async fn create_task(
    mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
    identity: &Identity,
    subject: &str,
    body: &str,
    due_at: chrono::DateTime<chrono::Utc>,
    links: Links,
) -> Result<(StatusCode, HeaderMap, Json<Activity>), Error> {
    let fields = ActivityFields::merge(
        None,
        ActivityInput::task(subject.to_owned(), body.to_owned(), due_at, links),
    )?;
    let id = insert(&mut tx, identity, &fields).await?;
    created(tx, identity, id).await
}

/// Writes a new activity and its links; the caller audits and commits.
async fn insert(
    conn: &mut sqlx::PgConnection,
    identity: &Identity,
    fields: &ActivityFields,
) -> Result<Uuid, Error> {
    let tenant_id = identity.0.tenant_id;
    let id = Uuid::now_v7();
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
    .execute(&mut *conn)
    .await?;
    fields.save_links(conn, tenant_id, id).await?;
    Ok(id)
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

record!(Activity, "activities", "activity");
