//! Digests: for members who chose one, reminders are held (see `delivery`) and go out
//! together, a little after the tenant's sending hour so that the morning's reminders
//! are in it: every day (daily), or on Mondays (weekly). A weekly digest also lists
//! everything the member answers for that is late or due within the week, reminded or
//! not yet: it is their week's agenda.
//!
//! At most one digest per member, tenant and period (the day, or the week's Monday): the
//! `digests` row is written in the transaction that marks its reminders sent, under a
//! lock on that key.
//!
//! A round looks at the members with reminders held, and at the weekly members whose
//! `next_digest_at` has come: once looked at, a weekly member is next looked at on their
//! sending hour if it is still to come today, or else on next Monday, so that a round
//! when nobody is due costs one index lookup.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use lettre::AsyncTransport;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use maillage_db::{begin_platform_scan, begin_tenant};
use uuid::Uuid;

use crate::Error;
use crate::delivery::{Sender, signed, unsubscribe_token};
use crate::email::{Cadence, DigestContent, DigestItem, with_unsubscribe};
use crate::schedule::ReminderKind;
use crate::subject::Subject;

/// The digest leaves this long after the tenant's sending hour.
const AFTER_SENDING_HOUR: Duration = Duration::minutes(10);

/// A weekly digest lists what falls due within this many days.
const WEEK: u64 = 7;

/// Sends the digests that are due; returns how many went out.
pub async fn send_due(sender: &Sender<'_>, now: DateTime<Utc>) -> Result<usize, Error> {
    let mut scan = begin_platform_scan(sender.pool).await?;
    // Members with reminders held, and every member who chose the weekly digest, of the
    // active workspaces (a suspended one's digests wait).
    let waiting = sqlx::query!(
        r#"select distinct tenant_id as "tenant_id!", user_id as "user_id!" from (
               (select tenant_id, recipient_user_id as user_id from reminders r
                where status = 'digested'
                  and exists (select 1 from tenants t where t.id = r.tenant_id and t.status = 'active')
                limit 500)
               union all
               (select tenant_id, user_id from notification_preferences n
                where mode = 'weekly' and next_digest_at <= $1
                  and exists (select 1 from tenants t where t.id = n.tenant_id and t.status = 'active')
                limit 500)
           ) as members"#,
        now,
    )
    .fetch_all(&mut *scan)
    .await?;
    scan.commit().await?;
    let mut sent = 0;
    for member in waiting {
        let round = send_one(sender, member.tenant_id, member.user_id, now).await?;
        if round.sent {
            sent += 1;
        }
        if let Some(at) = round.weekly_look_again_at {
            look_again_at(sender, member.tenant_id, member.user_id, at).await?;
        }
    }
    Ok(sent)
}

/// What a round did for one member.
struct Round {
    sent: bool,
    /// For a weekly member: when their digest is next worth looking at.
    weekly_look_again_at: Option<DateTime<Utc>>,
}

/// A quiet hour postpones a digest by this much at a time.
const QUIET_RETRY: Duration = Duration::minutes(15);

async fn look_again_at(
    sender: &Sender<'_>,
    tenant_id: Uuid,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    let mut tx = begin_tenant(sender.pool, tenant_id).await?;
    sqlx::query!(
        "update notification_preferences set next_digest_at = $3 where tenant_id = $1 and user_id = $2 and mode = 'weekly'",
        tenant_id,
        user_id,
        at,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How far `day` is from `today`, as a reminder kind would say it.
fn distance(day: NaiveDate, today: NaiveDate) -> ReminderKind {
    let days = (day - today).num_days();
    let magnitude = u16::try_from(days.unsigned_abs()).unwrap_or(u16::MAX);
    match days {
        0 => ReminderKind::DueToday,
        ..0 => ReminderKind::Overdue(magnitude),
        _ => ReminderKind::Before(magnitude),
    }
}

async fn send_one(
    sender: &Sender<'_>,
    tenant_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Round, Error> {
    let mut tx = begin_tenant(sender.pool, tenant_id).await?;
    let who = sqlx::query!(
        r#"select t.name as tenant_name, t.slug, t.time_zone, u.email, u.display_name, coalesce(u.locale, t.locale) as "locale!",
                  p.send_at, coalesce(n.mode, 'each') as "mode!",
                  in_quiet_hours($3, t.time_zone, p.quiet_hours_start, p.quiet_hours_end) as "quiet!"
           from tenants t
           join users u on u.id = $2
           join reminder_policies p on p.tenant_id = t.id
           left join notification_preferences n on n.tenant_id = t.id and n.user_id = u.id
           where t.id = $1"#,
        tenant_id,
        user_id,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    let zone: Tz = who.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris);
    let local = now.with_timezone(&zone);
    let today = local.date_naive();
    let cadence = if who.mode == "weekly" {
        Cadence::Weekly
    } else {
        Cadence::Daily
    };
    // The period's first day: today, or this week's Monday.
    let period = match cadence {
        Cadence::Daily => today,
        Cadence::Weekly => today.week(Weekday::Mon).first_day(),
    };
    let weekly = cadence == Cadence::Weekly;
    let not_sent = |at: Option<DateTime<Utc>>| Round {
        sent: false,
        weekly_look_again_at: at.filter(|_| weekly),
    };
    // Next week's Monday, at its start: the sending hour is read again then.
    let next_week = local_day_start(zone, period.checked_add_days(Days::new(WEEK)));
    let sending_time =
        maillage_domain::local_instant(zone, today.and_time(who.send_at)) + AFTER_SENDING_HOUR;
    if who.quiet {
        return Ok(not_sent(Some(now + QUIET_RETRY)));
    }
    if now < sending_time {
        return Ok(not_sent(Some(sending_time)));
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
        // Held after this period's digest left: the next one's.
        return Ok(not_sent(next_week));
    }
    let held = sqlx::query!(
        r#"select r.id, r.subject, r.subject_id, reminder_still_wanted(r) as "relevant!"
           from reminders r
           where r.tenant_id = $1 and r.recipient_user_id = $2 and r.status = 'digested'
           for update of r"#,
        tenant_id,
        user_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let (relevant, stale): (Vec<_>, Vec<_>) = held.into_iter().partition(|r| r.relevant);
    // Done, moved or deleted since they were held.
    let stale: Vec<Uuid> = stale.iter().map(|r| r.id).collect();
    sqlx::query!(
        "update reminders set status = 'cancelled' where tenant_id = $1 and id = any($2)",
        tenant_id,
        &stale,
    )
    .execute(&mut *tx)
    .await?;
    // What the digest lists: the subjects of the held reminders and, weekly, whatever
    // the member answers for that is late or due within the week.
    let subjects: Vec<String> = relevant.iter().map(|r| r.subject.clone()).collect();
    let subject_ids: Vec<Uuid> = relevant.iter().map(|r| r.subject_id).collect();
    let horizon = match cadence {
        Cadence::Daily => None,
        Cadence::Weekly => local_day_start(zone, today.checked_add_days(Days::new(WEEK))),
    };
    let items = sqlx::query!(
        r#"select i.subject as "subject!", i.id as "id!", i.title as "title!", i.context,
                  i.due_at as "due_at!", i.all_day as "all_day!", i.path as "path!"
           from remindable_items i
           where i.tenant_id = $1 and i.open
             and ((i.subject, i.id) in (select * from unnest($3::text[], $4::uuid[]))
                  or (i.due_at < $5 and (i.subject <> 'partnership-end' or i.due_at >= $6)
                      and $2 in (select reminder_recipients(i.tenant_id, i.subject, i.id))))
           order by i.due_at, i.subject, i.id"#,
        tenant_id,
        user_id,
        &subjects,
        &subject_ids,
        horizon,
        local_day_start(zone, Some(today)),
    )
    .fetch_all(&mut *tx)
    .await?;
    let items: Vec<DigestItem> = items
        .iter()
        .filter_map(|item| {
            Some(DigestItem {
                kind: distance(item.due_at.with_timezone(&zone).date_naive(), today),
                subject: Subject::parse(&item.subject)?,
                title: &item.title,
                context: item.context.as_deref(),
                due_at: item.due_at,
                all_day: item.all_day,
                link: format!("{}/t/{}/{}", sender.public_base_url, who.slug, item.path),
            })
        })
        .collect();
    if items.is_empty() {
        tx.commit().await?;
        return Ok(not_sent(next_week));
    }
    let token = unsubscribe_token(&mut tx, tenant_id, user_id).await?;
    let unsubscribe = format!("{}/unsubscribe/{tenant_id}/{token}", sender.public_base_url);
    let agenda = format!("{}/t/{}/agenda", sender.public_base_url, who.slug);
    let rendered = DigestContent {
        cadence,
        language: &who.locale,
        recipient_name: &who.display_name,
        tenant_name: &who.tenant_name,
        zone,
        items: &items,
        link: &agenda,
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
    let ids: Vec<Uuid> = relevant.iter().map(|r| r.id).collect();
    let (mailer, message) = (sender.mailer.clone(), signed(message, sender.dkim));
    // The send and its record run as a task of their own: cancelling the digester (an
    // instance shutting down) cannot cut between the two.
    let record = async move {
        match mailer.send(message).await {
            Ok(_) => {
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
            // Refused for good: its reminders fail (listed for platform admins, who may
            // replay them) rather than being tried again every round.
            Err(error) if error.is_permanent() => {
                tracing::warn!(%tenant_id, %user_id, %error, "digest refused: its reminders failed");
                sqlx::query!(
                    r#"update reminders set status = 'failed', failed_at = $3, last_error = $4
                       where tenant_id = $1 and id = any($2)"#,
                    tenant_id,
                    &ids,
                    now,
                    error.to_string(),
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(false)
            }
            // Not now: everything rolls back, and a later round tries again.
            Err(error) => Err(Error::from(error)),
        }
    };
    let sent = tokio::spawn(record)
        .await
        .map_err(|_| Error::Interrupted)??;
    Ok(Round {
        sent,
        weekly_look_again_at: next_week.filter(|_| weekly),
    })
}

/// The instant a local day begins (the first instant that exists, on a day clocks
/// spring forward at midnight).
fn local_day_start(zone: Tz, day: Option<NaiveDate>) -> Option<DateTime<Utc>> {
    day.map(|day| maillage_domain::local_instant(zone, day.and_time(chrono::NaiveTime::MIN)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_read_like_reminders() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        assert_eq!(distance(today, today), ReminderKind::DueToday);
        assert_eq!(distance(day(3), today), ReminderKind::Before(3));
        assert_eq!(
            distance(
                NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
                today
            ),
            ReminderKind::Overdue(8)
        );
    }
}
