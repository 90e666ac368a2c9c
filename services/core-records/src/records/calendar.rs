//! Each member's calendar (iCalendar, RFC 5545): what they are reminded of (the
//! reporting deadlines they answer for, the milestones of the projects they lead, their
//! tasks and, for admins, partnership ends and evaluations), for Outlook, Google or
//! Apple calendars to subscribe to at a secret URL (served by the gateway, revocable
//! here).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use maillage_problem::Json;
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/calendar-feed",
            read_feed,
            Doc::new("calendar", "L'adresse secrète de mon agenda (404 : aucune)")
                .returns::<CalendarFeed>(),
        )
        .post(
            "/v1/calendar-feed",
            renew_feed,
            Doc::new(
                "calendar",
                "Créer mon agenda, ou remplacer son adresse (l'ancienne cesse de marcher)",
            )
            .returns::<CalendarFeed>(),
        )
        .delete(
            "/v1/calendar-feed",
            revoke_feed,
            Doc::new("calendar", "Révoquer l'adresse de mon agenda").no_content(),
        )
        .get(
            "/v1/calendar.ics",
            calendar,
            Doc::new(
                "calendar",
                "Mon agenda (text/calendar) : mes échéances et les jalons de mes projets",
            ),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarFeed {
    /// On the gateway: `/calendar/{tenant_id}/{token}.ics`. Whoever has it reads the
    /// calendar: keep it to yourself, renew it if it leaked.
    pub path: String,
    pub created_at: DateTime<Utc>,
}

async fn feed(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<CalendarFeed, Error> {
    let row = sqlx::query!(
        "select token, created_at from calendar_feeds where tenant_id = $1 and user_id = $2",
        tenant_id,
        user_id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(CalendarFeed {
        path: format!("/calendar/{tenant_id}/{}.ics", row.token),
        created_at: row.created_at,
    })
}

async fn read_feed(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<CalendarFeed>, Error> {
    let mut tx = identity.begin(&state).await?;
    let feed = feed(&mut tx, identity.0.tenant_id, identity.0.user_id).await?;
    tx.commit().await?;
    Ok(Json(feed))
}

async fn renew_feed(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<CalendarFeed>, Error> {
    let (tenant_id, user_id) = (identity.0.tenant_id, identity.0.user_id);
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        r#"insert into calendar_feeds (tenant_id, user_id) values ($1, $2)
           on conflict (tenant_id, user_id) do update set token = gen_random_uuid(), created_at = now()"#,
        tenant_id,
        user_id,
    )
    .execute(&mut *tx)
    .await?;
    let feed = feed(&mut tx, tenant_id, user_id).await?;
    tx.commit().await?;
    Ok(Json(feed))
}

async fn revoke_feed(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<StatusCode, Error> {
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        "delete from calendar_feeds where tenant_id = $1 and user_id = $2",
        identity.0.tenant_id,
        identity.0.user_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How long a deadline's event lasts in the calendar (it is a moment, not a meeting).
const DEADLINE_EVENT: Duration = Duration::minutes(30);

async fn calendar(State(state): State<AppState>, identity: Identity) -> Result<Response, Error> {
    let (tenant_id, user_id) = (identity.0.tenant_id, identity.0.user_id);
    let mut tx = identity.begin(&state).await?;
    let tenant = sqlx::query!(
        "select name, time_zone from tenants where id = $1",
        tenant_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let (tenant, zone): (String, chrono_tz::Tz) = (
        tenant.name,
        tenant.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris),
    );
    let deadlines = sqlx::query!(
        r#"select id as "id!", title as "title!", due_at as "due_at!", status as "status!",
                  funder_name, project_name, partnership_title, updated_at as "updated_at!"
           from deadline_overview
           where tenant_id = $1 and status <> 'waived' and due_at > now() - interval '1 year'
             and $2 in (select reminder_recipients(tenant_id, 'deadline', id))
           order by due_at, id"#,
        tenant_id,
        user_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let milestones = sqlx::query!(
        r#"select m.id, m.title, m.due_on as "due_on!", m.done_on, m.phase, p.name as project_name
           from project_milestones m join projects p on p.tenant_id = m.tenant_id and p.id = m.project_id
           where m.tenant_id = $1 and p.deleted_at is null and m.due_on is not null
             and $2 in (select reminder_recipients(m.tenant_id, 'milestone', m.id))
           order by m.due_on, m.id"#,
        tenant_id,
        user_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    // Tasks and partnership dates: the rest of what the member is reminded of.
    let others = sqlx::query!(
        r#"select subject as "subject!", id as "id!", title as "title!", due_at as "due_at!",
                  all_day as "all_day!", open as "open!"
           from remindable_items i
           where tenant_id = $1 and subject in ('task', 'partnership-end', 'partnership-evaluation')
             and due_at > now() - interval '1 year'
             and $2 in (select reminder_recipients(i.tenant_id, i.subject, i.id))
           order by due_at, subject, id"#,
        tenant_id,
        user_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;

    let mut calendar = Calendar::new();
    calendar.name(&format!("Maillage · {tenant}"));
    for d in &deadlines {
        let late = d.status == "late";
        let summary = match d.status.as_str() {
            "submitted" => format!("Rapport rendu : {}", d.title),
            _ if late => format!("En retard — rapport : {}", d.title),
            _ => format!("Rapport à rendre : {}", d.title),
        };
        let context: Vec<String> = [
            d.funder_name.as_ref().map(|f| format!("Financeur : {f}")),
            d.project_name.as_ref().map(|p| format!("Projet : {p}")),
            d.partnership_title
                .as_ref()
                .map(|p| format!("Partenariat : {p}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        calendar.push(
            Event::new()
                .uid(&format!("deadline-{}@maillage", d.id))
                .timestamp(d.updated_at)
                .summary(&summary)
                .description(&context.join("\n"))
                .starts(d.due_at)
                .ends(d.due_at + DEADLINE_EVENT)
                .status(EventStatus::Confirmed)
                .done(),
        );
    }
    for m in &milestones {
        let summary = match m.done_on {
            Some(_) => format!("Jalon atteint : {} ({})", m.title, m.project_name),
            None => format!("Jalon : {} ({})", m.title, m.project_name),
        };
        calendar.push(
            Event::new()
                .uid(&format!("milestone-{}@maillage", m.id))
                .summary(&summary)
                .description(&m.phase)
                .all_day(m.due_on)
                .done(),
        );
    }
    for item in &others {
        let summary = match (item.subject.as_str(), item.open) {
            ("task", true) => format!("Tâche : {}", item.title),
            ("task", false) => format!("Tâche faite : {}", item.title),
            ("partnership-end", _) => format!("Fin du partenariat : {}", item.title),
            (_, _) => format!("Évaluation du partenariat : {}", item.title),
        };
        let mut event = Event::new();
        event
            .uid(&format!("{}-{}@maillage", item.subject, item.id))
            .summary(&summary);
        if item.all_day {
            event.all_day(item.due_at.with_timezone(&zone).date_naive());
        } else {
            event.starts(item.due_at).ends(item.due_at + DEADLINE_EVENT);
        }
        calendar.push(event.done());
    }
    let body = calendar.done().to_string();
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok((headers, body).into_response())
}
