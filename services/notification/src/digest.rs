//! The daily digest: for members who chose it, the reminders of the day are held (see
//! `delivery`) and go out together, once a day, a little after the tenant's sending
//! hour, so that the morning's reminders are in it.
//!
//! At most one digest per member, tenant and local day: the `digests` row is written in
//! the transaction that marks its reminders sent, under a lock on that key.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use lettre::AsyncTransport;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use maillage_db::{begin_platform_scan, begin_tenant};
use uuid::Uuid;

use crate::Error;
use crate::delivery::{Sender, signed, unsubscribe_token};
use crate::email::{DigestContent, DigestItem, with_unsubscribe};
use crate::schedule::ReminderKind;

/// The digest leaves this long after the tenant's sending hour.
const AFTER_SENDING_HOUR: Duration = Duration::minutes(10);

/// Sends the digests that are due; returns how many went out.
pub async fn send_due(sender: &Sender<'_>, now: DateTime<Utc>) -> Result<usize, Error> {
    let mut scan = begin_platform_scan(sender.pool).await?;
    let waiting = sqlx::query!(
        r#"select distinct tenant_id, recipient_user_id from reminders
           where status = 'digested' limit 500"#
    )
    .fetch_all(&mut *scan)
    .await?;
    scan.commit().await?;
    let mut sent = 0;
    for member in waiting {
        if send_one(sender, member.tenant_id, member.recipient_user_id, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

async fn send_one(
    sender: &Sender<'_>,
    tenant_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let mut tx = begin_tenant(sender.pool, tenant_id).await?;
    let who = sqlx::query!(
        r#"select t.name as tenant_name, t.slug, t.time_zone, u.email, u.display_name, u.locale,
                  coalesce(p.send_at, '08:00') as "send_at!",
                  in_quiet_hours($3, t.time_zone, coalesce(p.quiet_hours_start, '20:00'),
                                 coalesce(p.quiet_hours_end, '08:00')) as "quiet!"
           from tenants t
           join users u on u.id = $2
           left join reminder_policies p on p.tenant_id = t.id
           where t.id = $1"#,
        tenant_id,
        user_id,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    let zone: Tz = who.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris);
    let local = now.with_timezone(&zone);
    let period = local.date_naive();
    if who.quiet || local.time() < who.send_at + AFTER_SENDING_HOUR {
        return Ok(false);
    }
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended($1, 0))",
        format!("digest:{tenant_id}:{user_id}:{period}")
    )
    .execute(&mut *tx)
    .await?;
    let already = sqlx::query_scalar!(
        r#"select exists(select 1 from digests where tenant_id = $1 and user_id = $2 and period = $3) as "sent!""#,
        tenant_id,
        user_id,
        period,
    )
    .fetch_one(&mut *tx)
    .await?;
    if already {
        // Held after today's digest left: tomorrow's.
        return Ok(false);
    }
    let held = sqlx::query!(
        r#"select r.id, r.kind, d.id as "deadline_id!", d.title as "title!", d.funder_name,
                  d.due_at as "due_at!",
                  d.recorded_status = 'upcoming' and d.due_at = r.due_at as "relevant!"
           from reminders r
           join deadline_overview d on d.tenant_id = r.tenant_id and d.id = r.deadline_id
           where r.tenant_id = $1 and r.recipient_user_id = $2 and r.status = 'digested'
           order by d.due_at, r.id
           for update of r"#,
        tenant_id,
        user_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let (relevant, stale): (Vec<_>, Vec<_>) = held.into_iter().partition(|r| r.relevant);
    // Submitted, waived or moved since they were held.
    let stale: Vec<Uuid> = stale.iter().map(|r| r.id).collect();
    sqlx::query!(
        "update reminders set status = 'cancelled' where tenant_id = $1 and id = any($2)",
        tenant_id,
        &stale,
    )
    .execute(&mut *tx)
    .await?;
    let items: Vec<DigestItem> = relevant
        .iter()
        .filter_map(|r| {
            Some(DigestItem {
                kind: ReminderKind::parse(&r.kind)?,
                deadline_title: &r.title,
                funder_name: r.funder_name.as_deref(),
                due_at: r.due_at,
                link: format!(
                    "{}/t/{}/deadlines/{}",
                    sender.public_base_url, who.slug, r.deadline_id
                ),
            })
        })
        .collect();
    if items.is_empty() {
        tx.commit().await?;
        return Ok(false);
    }
    let token = unsubscribe_token(&mut tx, tenant_id, user_id).await?;
    let unsubscribe = format!("{}/unsubscribe/{tenant_id}/{token}", sender.public_base_url);
    let deadlines = format!("{}/t/{}/deadlines", sender.public_base_url, who.slug);
    let rendered = DigestContent {
        language: &who.locale,
        recipient_name: &who.display_name,
        tenant_name: &who.tenant_name,
        zone,
        items: &items,
        link: &deadlines,
        unsubscribe: &unsubscribe,
    }
    .render()?;
    let message_id = format!(
        "<digest-{tenant_id}-{user_id}-{period}@{}>",
        sender.from.email.domain()
    );
    let message = with_unsubscribe(
        Message::builder()
            .from(sender.from.clone())
            .to(Mailbox::new(
                Some(who.display_name.clone()),
                who.email.parse()?,
            ))
            .subject(rendered.subject)
            .message_id(Some(message_id.clone())),
        &unsubscribe,
    )
    .multipart(MultiPart::alternative_plain_html(
        rendered.text,
        rendered.html,
    ))?;
    // A failure rolls everything back: the next round tries again.
    sender.mailer.send(signed(message, sender.dkim)).await?;
    let ids: Vec<Uuid> = relevant.iter().map(|r| r.id).collect();
    sqlx::query!(
        r#"update reminders set status = 'sent', sent_at = $3, message_id = $4, digest_period = $5
           where tenant_id = $1 and id = any($2)"#,
        tenant_id,
        &ids,
        now,
        message_id,
        period,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into digests (tenant_id, user_id, period, message_id, sent_at) values ($1, $2, $3, $4, $5)",
        tenant_id,
        user_id,
        period,
        message_id,
        now,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}
