//! Keeps the reminders of everything dated (deadlines, milestones, tasks, partnership
//! dates) in PostgreSQL in step with it, and hands the reminders that are due to the
//! senders.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use maillage_db::{begin_platform_scan, begin_tenant};
use redis::aio::ConnectionManager;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::Error;
use crate::schedule::{Policy, plan};
use crate::subject::Subject;
use maillage_queue::WorkStream;

/// A reminder queued this long ago and still not sent has lost its stream entry (Redis
/// restarted without its data, say): queue it again. Sending stays idempotent.
const REQUEUE_AFTER: Duration = Duration::minutes(10);
pub const DISPATCH_BATCH: i64 = 500;

/// Recomputes the reminders of what an outbox event is about, in its tenant, from its
/// current state, and marks the event (if any) processed, in the same transaction.
pub async fn plan_event(
    pool: &PgPool,
    tenant_id: Uuid,
    subjects: &[Subject],
    subject_id: Uuid,
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
    for subject in subjects {
        plan_in(&mut tx, tenant_id, *subject, subject_id, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The tenant's policy (created with the tenant: the table's defaults until changed).
async fn policy_of(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Policy, Error> {
    let row = sqlx::query!(
        r#"select days_before, on_due_day, overdue_every_days, escalate_after_days, send_at
           from reminder_policies where tenant_id = $1"#,
        tenant_id,
    )
    .fetch_one(conn)
    .await?;
    let days = |d: i16| u16::try_from(d).ok();
    Ok(Policy {
        days_before: row.days_before.into_iter().filter_map(days).collect(),
        on_due_day: row.on_due_day,
        overdue_every_days: days(row.overdue_every_days).unwrap_or(0),
        escalate_after_days: row.escalate_after_days.and_then(days),
        send_at: row.send_at,
    })
}

/// Plans one subject within the caller's tenant transaction.
pub async fn plan_in(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    subject: Subject,
    subject_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let item = sqlx::query!(
        r#"select i.due_at as "due_at!", i.open as "open!", t.time_zone
           from remindable_items i join tenants t on t.id = i.tenant_id
           where i.tenant_id = $1 and i.subject = $2 and i.id = $3"#,
        tenant_id,
        subject.as_str(),
        subject_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let planned = match &item {
        // Done (submitted, waived, reached, closed…) or gone: nothing more to remind.
        Some(item) if item.open => {
            let zone: Tz = item.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris);
            let policy = subject.policy(&policy_of(&mut *conn, tenant_id).await?);
            plan(item.due_at, zone, now, &policy)
        }
        _ => Vec::new(),
    };
    let kinds: Vec<String> = planned.iter().map(|p| p.kind.as_str()).collect();
    // What is no longer wanted goes: reminders of an old date, of a kind the policy
    // dropped, or for someone no longer in their audience.
    sqlx::query!(
        r#"update reminders r set status = 'cancelled'
           where r.tenant_id = $1 and r.subject = $2 and r.subject_id = $3
             and r.status in ('pending', 'queued')
             and (r.due_at is distinct from $4
                  or r.kind <> all($5)
                  or r.recipient_user_id not in (select reminder_audience(r.tenant_id, r.subject, r.subject_id, r.kind)))"#,
        tenant_id,
        subject.as_str(),
        subject_id,
        item.as_ref().map(|item| item.due_at),
        &kinds,
    )
    .execute(&mut *conn)
    .await?;
    let Some(item) = item.filter(|_| !planned.is_empty()) else {
        return Ok(());
    };
    let fire_ats: Vec<DateTime<Utc>> = planned.iter().map(|p| p.fire_at).collect();
    let statuses: Vec<&str> = planned
        .iter()
        .map(|p| if p.missed { "skipped" } else { "pending" })
        .collect();
    // Every reminder, for each one of its audience.
    sqlx::query!(
        r#"insert into reminders (tenant_id, id, subject, subject_id, kind, due_at, fire_at, recipient_user_id, status)
           select $1, gen_random_uuid(), $2, $3, kind, $4, fire_at, recipient, status
           from unnest($5::text[], $6::timestamptz[], $7::text[]) as planned (kind, fire_at, status)
           cross join lateral reminder_audience($1, $2, $3, kind) as audience (recipient)
           on conflict on constraint reminders_idempotency_key do update
           set fire_at = excluded.fire_at,
               status = case when reminders.status = 'cancelled' then 'pending' else reminders.status end
           where reminders.status in ('pending', 'queued', 'cancelled')"#,
        tenant_id,
        subject.as_str(),
        subject_id,
        item.due_at,
        &kinds,
        &fire_ats,
        &statuses as &[&str],
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Queues a batch of the reminders due at `now` (across tenants) on the reminders
/// stream; returns how many it handled (a full batch: call again). When several
/// reminders of one subject are due at once (the deadline was created late, the service
/// was down, or the workspace was suspended: its reminders wait), only the latest goes
/// out.
pub async fn dispatch_due(
    pool: &PgPool,
    redis: &mut ConnectionManager,
    reminders: &WorkStream,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let mut tx = begin_platform_scan(pool).await?;
    // The batch, oldest first, through the partial index on what is due; each one's
    // quiet hours looked up by its tenant's key. (Joined instead, the policies were
    // read whole for every reminder, or became the driving table: 0.1 to 5 s a batch
    // at 6 M reminders and 10 k tenants, measured by `make bench`.)
    let due = sqlx::query!(
        r#"select r.tenant_id, r.id from reminders r
           join tenants t on t.id = r.tenant_id
           where r.next_attempt_at <= $1
             and (r.status = 'pending' or (r.status = 'queued' and r.queued_at < $2))
             and t.status = 'active'
             and not coalesce((select in_quiet_hours($1, t.time_zone, p.quiet_hours_start, p.quiet_hours_end)
                               from reminder_policies p where p.tenant_id = r.tenant_id), false)
           order by r.next_attempt_at
           limit $3
           for update of r skip locked"#,
        now,
        now - REQUEUE_AFTER,
        DISPATCH_BATCH,
    )
    .fetch_all(&mut *tx)
    .await?;
    let (tenants, ids): (Vec<Uuid>, Vec<Uuid>) = due.iter().map(|r| (r.tenant_id, r.id)).unzip();
    // Of the batch, those a later reminder of the same deadline and recipient, also due,
    // supersedes (each looked up through the idempotency key's index).
    let superseded = sqlx::query!(
        r#"update reminders r set status = 'skipped'
           where (r.tenant_id, r.id) in (select * from unnest($1::uuid[], $2::uuid[]))
             and r.status = 'pending'
             and exists (select 1 from reminders later
                         where later.tenant_id = r.tenant_id and later.subject = r.subject
                           and later.subject_id = r.subject_id
                           and later.due_at = r.due_at and later.recipient_user_id = r.recipient_user_id
                           and later.fire_at <= $3 and later.fire_at > r.fire_at
                           and later.status in ('pending', 'queued', 'sent'))
           returning r.id"#,
        &tenants,
        &ids,
        now,
    )
    .fetch_all(&mut *tx)
    .await?;
    let superseded: std::collections::HashSet<Uuid> =
        superseded.into_iter().map(|r| r.id).collect();
    let (tenants, ids): (Vec<Uuid>, Vec<Uuid>) = due
        .iter()
        .filter(|r| !superseded.contains(&r.id))
        .map(|r| (r.tenant_id, r.id))
        .unzip();
    let entries: Vec<[(&str, String); 2]> = tenants
        .iter()
        .zip(&ids)
        .map(|(tenant_id, id)| {
            [
                ("tenant_id", tenant_id.to_string()),
                ("reminder_id", id.to_string()),
            ]
        })
        .collect();
    reminders.publish_all(redis, &entries).await?;
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

/// Puts back to be sent, across tenants, the sends whose lease ran out: their process
/// died mid-way (or lost the database for longer than a lease). Whether the SMTP server
/// took the email nobody knows; sending it again, with the same Message-ID, may make a
/// duplicate that mail clients fold into one, where not sending it would lose it.
/// Returns them (tenant, reminder), to count and log.
pub async fn resend_interrupted_sends(pool: &PgPool) -> Result<Vec<(Uuid, Uuid)>, Error> {
    let mut tx = begin_platform_scan(pool).await?;
    let resent = sqlx::query!(
        r#"update reminders
           set status = 'pending', resends = resends + 1, lease_until = null,
               last_error = 'interrupted during the send (its process stopped): sent again'
           where status = 'sending' and lease_until < clock_timestamp()
           returning tenant_id, id"#,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(resent.into_iter().map(|r| (r.tenant_id, r.id)).collect())
}
