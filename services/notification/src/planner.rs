//! Keeps each deadline's reminders in PostgreSQL in step with the deadline, and hands
//! the reminders that are due to the senders.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use maillage_db::{begin_platform_scan, begin_tenant};
use redis::aio::ConnectionManager;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::Error;
use crate::schedule::{Audience, Policy, plan};
use crate::streams::WorkStream;

/// A reminder queued this long ago and still not sent has lost its stream entry (Redis
/// restarted without its data, say): queue it again. Sending stays idempotent.
const REQUEUE_AFTER: Duration = Duration::minutes(10);
pub const DISPATCH_BATCH: i64 = 500;

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
    plan_in(&mut tx, tenant_id, deadline_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The tenant's policy, or the defaults.
async fn policy_of(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Policy, Error> {
    let row = sqlx::query!(
        r#"select days_before, on_due_day, overdue_every_days, escalate_after_days, send_at
           from reminder_policies where tenant_id = $1"#,
        tenant_id,
    )
    .fetch_optional(conn)
    .await?;
    let days = |d: i16| u16::try_from(d).ok();
    Ok(match row {
        None => Policy::default(),
        Some(row) => Policy {
            days_before: row.days_before.into_iter().filter_map(days).collect(),
            on_due_day: row.on_due_day,
            overdue_every_days: days(row.overdue_every_days).unwrap_or(0),
            escalate_after_days: row.escalate_after_days.and_then(days),
            send_at: row.send_at,
        },
    })
}

/// Plans one deadline within the caller's tenant transaction.
pub async fn plan_in(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    deadline_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let deadline = sqlx::query!(
        r#"select d.due_at as "due_at!", d.recorded_status as "recorded_status!", t.time_zone,
                  array(select deadline_recipients(d.tenant_id, d.id)) as "recipients!",
                  array(select tenant_admins(d.tenant_id)) as "admins!"
           from deadline_overview d join tenants t on t.id = d.tenant_id
           where d.tenant_id = $1 and d.id = $2"#,
        tenant_id,
        deadline_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    // A deleted deadline took its reminders with it (foreign key cascade).
    let Some(deadline) = deadline else {
        return Ok(());
    };
    let policy = policy_of(&mut *conn, tenant_id).await?;
    let zone: Tz = deadline
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Paris);
    // Submitted or waived: nothing more to remind.
    let planned = if deadline.recorded_status == "upcoming" {
        plan(deadline.due_at, zone, now, &policy)
    } else {
        Vec::new()
    };
    let kinds: Vec<String> = planned.iter().map(|p| p.kind.as_str()).collect();
    // What is no longer wanted goes: reminders of an old date, of a kind the policy
    // dropped, or for someone no longer responsible (or no longer an admin).
    sqlx::query!(
        r#"update reminders set status = 'cancelled'
           where tenant_id = $1 and deadline_id = $2 and status in ('pending', 'queued')
             and (due_at <> $3
                  or kind <> all($4)
                  or (kind like 'e+%' and recipient_user_id <> all($5))
                  or (kind not like 'e+%' and recipient_user_id <> all($6))
                  or $7)"#,
        tenant_id,
        deadline_id,
        deadline.due_at,
        &kinds,
        &deadline.admins,
        &deadline.recipients,
        planned.is_empty(),
    )
    .execute(&mut *conn)
    .await?;
    if planned.is_empty() {
        return Ok(());
    }
    let fire_ats: Vec<DateTime<Utc>> = planned.iter().map(|p| p.fire_at).collect();
    let statuses: Vec<&str> = planned
        .iter()
        .map(|p| if p.missed { "skipped" } else { "pending" })
        .collect();
    let to_admins: Vec<bool> = planned
        .iter()
        .map(|p| p.kind.audience() == Audience::Admins)
        .collect();
    // Every reminder, for each of its recipients.
    sqlx::query!(
        r#"insert into reminders (tenant_id, id, deadline_id, kind, due_at, fire_at, recipient_user_id, status)
           select $1, gen_random_uuid(), $2, kind, $3, fire_at, recipient, status
           from unnest($4::text[], $5::timestamptz[], $6::text[], $7::bool[]) as planned (kind, fire_at, status, to_admins)
           cross join lateral unnest(case when to_admins then $8::uuid[] else $9::uuid[] end) as recipients (recipient)
           on conflict on constraint reminders_idempotency_key do update
           set fire_at = excluded.fire_at,
               status = case when reminders.status = 'cancelled' then 'pending' else reminders.status end
           where reminders.status in ('pending', 'queued', 'cancelled')"#,
        tenant_id,
        deadline_id,
        deadline.due_at,
        &kinds,
        &fire_ats,
        &statuses as &[&str],
        &to_admins,
        &deadline.admins,
        &deadline.recipients,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Queues a batch of the reminders due at `now` (across tenants) on the reminders
/// stream; returns how many it handled (a full batch: call again). When several
/// reminders of one deadline are due at once (the deadline was created late, or the
/// service was down), only the latest goes out.
pub async fn dispatch_due(
    pool: &PgPool,
    redis: &mut ConnectionManager,
    reminders: &WorkStream,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let mut tx = begin_platform_scan(pool).await?;
    // The batch, oldest first, through the partial index on what is due.
    let due = sqlx::query!(
        r#"select r.tenant_id, r.id from reminders r
           join tenants t on t.id = r.tenant_id
           left join reminder_policies p on p.tenant_id = r.tenant_id
           where coalesce(r.retry_at, r.fire_at) <= $1
             and (r.status = 'pending' or (r.status = 'queued' and r.queued_at < $2))
             and not in_quiet_hours($1, t.time_zone, coalesce(p.quiet_hours_start, '20:00'),
                                    coalesce(p.quiet_hours_end, '08:00'))
           order by coalesce(r.retry_at, r.fire_at)
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
                         where later.tenant_id = r.tenant_id and later.deadline_id = r.deadline_id
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
