//! The agenda: everything dated in the tenant that reminders are about (reports owed to
//! funders, project milestones, tasks, partnership ends and evaluations), soonest first.
//! It is where the reminder emails that are not about a report link to.

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_problem::{Json, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

/// The most items one answer holds.
const MAX_ITEMS: i64 = 500;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get(
        "/v1/agenda",
        agenda,
        Doc::new(
            "reminders",
            "L'agenda : échéances, jalons, tâches et dates des partenariats",
        )
        .query::<AgendaQuery>()
        .returns::<Agenda>(),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct AgendaQuery {
    /// Only what the caller answers for (and is reminded of).
    #[serde(default)]
    mine: bool,
    /// Also what is done (submitted, reached, closed…); by default only what is still
    /// to do.
    #[serde(default)]
    include_done: bool,
    /// Due on or after this day (UTC).
    from: Option<NaiveDate>,
    /// Due before this day (UTC).
    to: Option<NaiveDate>,
    /// At most this many items (500 at most, 200 by default).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgendaItem {
    /// deadline, milestone, task, partnership-end or partnership-evaluation.
    pub subject: String,
    /// The deadline's, milestone's, task's or partnership's id.
    pub id: Uuid,
    pub title: String,
    /// A report's funder, a milestone's project.
    pub context: Option<String>,
    pub due_at: DateTime<Utc>,
    /// Dated by a day rather than a time.
    pub all_day: bool,
    /// Still to do.
    pub open: bool,
    /// Still to do and past its date.
    pub late: bool,
    /// The caller answers for it.
    pub mine: bool,
    /// Where the web app shows it, under the tenant's pages.
    pub path: String,
    /// The page of the record it belongs to: the deadline, the milestone's project,
    /// the partnership, what a task is about (none for a task about nothing).
    pub record_path: Option<String>,
}

/// Everything dated, late first then soonest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Agenda {
    items: Vec<AgendaItem>,
}

async fn agenda(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<AgendaQuery>,
) -> Result<Json<Agenda>, Error> {
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to <= from
    {
        return Err(Error::field("to", &said("check-after-from")));
    }
    let limit = match query.limit {
        None => 200,
        Some(limit) if (1..=MAX_ITEMS).contains(&limit) => limit,
        Some(_) => return Err(Error::field("limit", &said("check-limit-500"))),
    };
    let at_midnight =
        |day: Option<NaiveDate>| day.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc());
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let items = sqlx::query_as!(
        AgendaItem,
        r#"select i.subject as "subject!", i.id as "id!", i.title as "title!", i.context,
                  i.due_at as "due_at!", i.all_day as "all_day!", i.open as "open!",
                  (i.open and i.due_at < now() and i.subject <> 'partnership-end') as "late!",
                  $2 in (select reminder_recipients(i.tenant_id, i.subject, i.id)) as "mine!",
                  i.path as "path!",
                  case i.subject
                      when 'deadline' then 'deadlines/' || i.id
                      when 'milestone' then (select 'projects/' || m.project_id from project_milestones m
                                             where m.tenant_id = i.tenant_id and m.id = i.id)
                      when 'task' then (select case s.kind when 'person' then 'people'
                                                           when 'organisation' then 'organisations'
                                                           when 'partnership' then 'partnerships'
                                                           else 'projects' end || '/' || s.id
                                        from activity_subject(i.tenant_id, i.id) s)
                      else 'partnerships/' || i.id
                  end as record_path
           from remindable_items i
           where i.tenant_id = $1
             and (i.open or $3)
             and ($4::timestamptz is null or i.due_at >= $4)
             and ($5::timestamptz is null or i.due_at < $5)
             and (not $6 or $2 in (select reminder_recipients(i.tenant_id, i.subject, i.id)))
           order by i.due_at, i.subject, i.id
           limit $7"#,
        tenant_id,
        identity.0.user_id,
        query.include_done,
        at_midnight(query.from),
        at_midnight(query.to),
        query.mine,
        limit,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(Agenda { items }))
}
