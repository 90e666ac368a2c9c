//! Keeps each deadline's reminders in PostgreSQL in step with the deadline, and hands
//! the reminders that are due to the senders.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use maillage_db::{begin_platform_scan, begin_tenant};
use redis::aio::ConnectionManager;
use sqlx::PgPool;
use uuid::Uuid;

use crate::Error;
use crate::schedule::plan;
use crate::streams::WorkStream;

/// A reminder queued this long ago and still not sent has lost its stream entry (Redis
/// restarted without its data, say): queue it again. Sending stays idempotent.
const REQUEUE_AFTER: Duration = Duration::minutes(10);
const DISPATCH_BATCH: i64 = 500;

/// Recomputes the reminders of one deadline, in its tenant, from its current state, and
/// marks the outbox event that asked for it (if any) processed, in the same transaction.
pub async fn plan_deadline(
    pool: &PgPool,
    tenant_id: Uuid,
    deadline_id: Uuid,
    event_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let mut tx = begin_tenant(pool, tenant_id).await?;
    if let Some(event_id) = event_id {
        sqlx::query!(
            "update outbox set processed_at = $3 where tenant_id = $1 and id = $2",
            tenant_id,
            event_id,
            now,
        )
        .execute(&mut *tx)
        .await?;
    }
    let deadline = sqlx::query!(
        r#"select d.due_at as "due_at!", d.recorded_status as "recorded_status!", t.time_zone,
                  array(select deadline_recipients(d.tenant_id, d.id)) as "recipients!"
           from deadline_overview d join tenants t on t.id = d.tenant_id
           where d.tenant_id = $1 and d.id = $2"#,
        tenant_id,
        deadline_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    // A deleted deadline took its reminders with it (foreign key cascade).
    let Some(deadline) = deadline else {
        return Ok(tx.commit().await?);
    };
    // Submitted or waived: nothing more to remind. Moved: the old date's reminders go.
    // Someone no longer responsible: theirs go.
    let keep_due_at = (deadline.recorded_status == "upcoming").then_some(deadline.due_at);
    sqlx::query!(
        r#"update reminders set status = 'cancelled'
           where tenant_id = $1 and deadline_id = $2 and status in ('pending', 'queued')
             and (due_at is distinct from $3 or recipient_user_id <> all($4))"#,
        tenant_id,
        deadline_id,
        keep_due_at,
        &deadline.recipients,
    )
    .execute(&mut *tx)
    .await?;
    if keep_due_at.is_some() {
        let zone: Tz = deadline
            .time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Paris);
        let planned = plan(deadline.due_at, zone, now);
        let kinds: Vec<String> = planned.iter().map(|p| p.kind.as_str().to_owned()).collect();
        let fire_ats: Vec<DateTime<Utc>> = planned.iter().map(|p| p.fire_at).collect();
        let statuses: Vec<&str> = planned
            .iter()
            .map(|p| if p.missed { "skipped" } else { "pending" })
            .collect();
        // Every reminder, for every recipient.
        sqlx::query!(
            r#"insert into reminders (tenant_id, id, deadline_id, kind, due_at, fire_at, recipient_user_id, status)
               select $1, gen_random_uuid(), $2, kind, $3, fire_at, recipient, status
               from unnest($5::text[], $6::timestamptz[], $7::text[]) as planned (kind, fire_at, status)
               cross join unnest($4::uuid[]) as recipients (recipient)
               on conflict on constraint reminders_idempotency_key do update
               set fire_at = excluded.fire_at,
                   status = case when reminders.status = 'cancelled' then 'pending' else reminders.status end
               where reminders.status in ('pending', 'queued', 'cancelled')"#,
            tenant_id,
            deadline_id,
            deadline.due_at,
            &deadline.recipients,
            &kinds,
            &fire_ats,
            &statuses as &[&str],
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Queues every reminder due at `now` (across tenants) on the reminders stream; returns
/// how many. When several reminders of one deadline are due at once (the deadline was
/// created late, or the service was down), only the latest goes out.
pub async fn dispatch_due(
    pool: &PgPool,
    redis: &mut ConnectionManager,
    reminders: &WorkStream,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let mut tx = begin_platform_scan(pool).await?;
    sqlx::query!(
        r#"update reminders r set status = 'skipped'
           where r.status = 'pending' and r.fire_at <= $1
             and exists (select 1 from reminders later
                         where later.tenant_id = r.tenant_id and later.deadline_id = r.deadline_id
                           and later.due_at = r.due_at and later.recipient_user_id = r.recipient_user_id and later.fire_at <= $1 and later.fire_at > r.fire_at
                           and later.status in ('pending', 'queued', 'sent'))"#,
        now,
    )
    .execute(&mut *tx)
    .await?;
    let due = sqlx::query!(
        r#"select tenant_id, id from reminders
           where coalesce(retry_at, fire_at) <= $1
             and (status = 'pending' or (status = 'queued' and queued_at < $2))
           order by coalesce(retry_at, fire_at)
           limit $3
           for update skip locked"#,
        now,
        now - REQUEUE_AFTER,
        DISPATCH_BATCH,
    )
    .fetch_all(&mut *tx)
    .await?;
    for reminder in &due {
        reminders
            .publish(
                redis,
                &[
                    ("tenant_id", reminder.tenant_id.to_string()),
                    ("reminder_id", reminder.id.to_string()),
                ],
            )
            .await?;
    }
    let (tenants, ids): (Vec<Uuid>, Vec<Uuid>) = due.iter().map(|r| (r.tenant_id, r.id)).unzip();
    sqlx::query!(
        r#"update reminders set status = 'queued', queued_at = $3
           where (tenant_id, id) in (select * from unnest($1::uuid[], $2::uuid[]))"#,
        &tenants,
        &ids,
        now,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(due.len())
}
