//! The sender: one reminder, one email, at most once.
//!
//! Under a lock on the reminder row, the sender checks that it is still wanted and
//! marks it `sending` (committed); then hands the email to the SMTP server and records
//! the outcome (`sent`, or a retry) before the stream entry is acknowledged. A second
//! delivery of the same entry (a replay, a reclaim, a second instance) waits on the lock,
//! then finds the reminder sending or sent and sends nothing.
//!
//! A process killed before `sending` loses nothing: the entry is reclaimed and the
//! reminder sent. One killed after it leaves a send whose fate nobody knows (did the
//! server take the email?). A lost reminder is the worst outcome this product has, a
//! reminder received twice a small one: the send holds a lease its process renews while
//! it talks to the server, and once the lease runs out (the process is gone) the send
//! is made again (`planner::resend_interrupted_sends`), with the same Message-ID so that
//! a mail client that got both shows one.
//!
//! An SMTP server that cannot take the email now (4xx, unreachable) gets it again later,
//! after a growing delay; one that refuses it for good (5xx), or still fails after
//! `MAX_ATTEMPTS`, leaves the reminder "failed": dead-lettered, for a platform admin to
//! look at and replay.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use lettre::message::dkim::{DkimConfig, dkim_sign};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use maillage_db::begin_tenant;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::Error;
use crate::email::{ReminderContent, with_unsubscribe};
use crate::planner;
use crate::schedule::ReminderKind;
use crate::subject::Subject;

pub type Mailer = AsyncSmtpTransport<Tokio1Executor>;

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Already sent, skipped or cancelled: nothing to do.
    AlreadySettled,
    /// Its subject was done (a report submitted or waived, a task done…), moved or
    /// deleted since, or the recipient no longer answers for it (or is no longer a
    /// member): the reminder is cancelled.
    NoLongerRelevant,
    /// No such reminder in that tenant: a forged, misrouted or stale message.
    Rejected,
    /// The SMTP server could not take it now: it is tried again at `retry_at`.
    RetryLater {
        retry_at: DateTime<Utc>,
    },
    /// Refused for good, or too many failures: the reminder is failed.
    DeadLettered {
        error: String,
    },
    /// The recipient asked for a daily digest: it waits for it.
    HeldForDigest,
    /// The recipient asked for no reminders in this tenant.
    Muted,
    /// Its workspace is suspended: it waits to be dispatched again.
    Paused,
}

/// Tries before a reminder is given up as failed.
pub const MAX_ATTEMPTS: i32 = 6;

/// The wait after the `attempts`-th failure: 1 min, 5 min, 15 min, 1 h, 3 h.
pub fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(15),
        4 => Duration::hours(1),
        _ => Duration::hours(3),
    }
}

/// What sending an email takes, shared by the sender and the digester.
pub struct Outbound {
    pub pool: PgPool,
    pub send_lease: std::time::Duration,
    pub mailer: Mailer,
    pub from: Mailbox,
    pub public_base_url: String,
    pub dkim: Option<DkimConfig>,
}

impl Outbound {
    pub fn sender(&self) -> Sender<'_> {
        Sender {
            pool: &self.pool,
            lease: self.send_lease,
            mailer: &self.mailer,
            from: &self.from,
            public_base_url: &self.public_base_url,
            dkim: self.dkim.as_ref(),
        }
    }
}

pub struct Sender<'a> {
    pub pool: &'a PgPool,
    /// How long a send's lease lasts (renewed every third of it while sending).
    pub lease: std::time::Duration,
    pub mailer: &'a Mailer,
    pub from: &'a Mailbox,
    pub public_base_url: &'a str,
    /// Signs every email when set.
    pub dkim: Option<&'a DkimConfig>,
}

impl Sender<'_> {
    pub async fn deliver(
        &self,
        tenant_id: Uuid,
        reminder_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Error> {
        let mut tx = begin_tenant(self.pool, tenant_id).await?;
        // Row-level security scopes this to the message's tenant: a reminder of another
        // tenant is simply not found.
        let row = sqlx::query!(
            r#"select r.kind, r.status, r.due_at, r.subject, r.subject_id, r.attempts, r.recipient_user_id,
                      i.title as "title?", i.context, i.all_day as "all_day?", i.path as "path?",
                      reminder_still_wanted(r) as "wanted!",
                      t.name as tenant_name, t.slug, t.time_zone, t.status as tenant_status,
                      u.email, u.display_name, coalesce(u.locale, t.locale) as "locale!",
                      coalesce(p.mode, 'each') as "mode!", p.unsubscribe_token as "unsubscribe_token?"
               from reminders r
               left join lateral remindable_item(r.tenant_id, r.subject, r.subject_id) i on true
               join tenants t on t.id = r.tenant_id
               join users u on u.id = r.recipient_user_id
               left join notification_preferences p on p.tenant_id = r.tenant_id and p.user_id = r.recipient_user_id
               where r.tenant_id = $1 and r.id = $2
               for update of r"#,
            tenant_id,
            reminder_id,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(Outcome::Rejected);
        };
        if !matches!(row.status.as_str(), "pending" | "queued") {
            return Ok(Outcome::AlreadySettled);
        }
        // Queued before its workspace was suspended: it waits with the others, and goes
        // out (or is superseded by a later one) once the workspace is active again.
        if row.tenant_status != "active" {
            sqlx::query!(
                "update reminders set status = 'pending', queued_at = null where tenant_id = $1 and id = $2",
                tenant_id,
                reminder_id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Outcome::Paused);
        }
        let (Some(kind), Some(subject)) =
            (ReminderKind::parse(&row.kind), Subject::parse(&row.subject))
        else {
            return Ok(Outcome::Rejected);
        };
        // The item as it stands now, if it still calls for this reminder.
        let (true, Some(title), Some(all_day), Some(path)) =
            (row.wanted, row.title, row.all_day, row.path)
        else {
            sqlx::query!(
                "update reminders set status = 'cancelled' where tenant_id = $1 and id = $2",
                tenant_id,
                reminder_id
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Outcome::NoLongerRelevant);
        };

        // The recipient's choice: not at all, or in the day's digest.
        let held = match row.mode.as_str() {
            "off" => Some(("muted", Outcome::Muted)),
            "daily" | "weekly" => Some(("digested", Outcome::HeldForDigest)),
            _ => None,
        };
        if let Some((status, outcome)) = held {
            sqlx::query!(
                "update reminders set status = $3 where tenant_id = $1 and id = $2",
                tenant_id,
                reminder_id,
                status,
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(outcome);
        }
        let unsubscribe = match row.unsubscribe_token {
            Some(token) => token,
            None => unsubscribe_token(&mut tx, tenant_id, row.recipient_user_id).await?,
        };
        let unsubscribe_url = format!(
            "{}/unsubscribe/{tenant_id}/{unsubscribe}",
            self.public_base_url
        );

        let link = format!("{}/t/{}/{path}", self.public_base_url, row.slug);
        let rendered = ReminderContent {
            kind,
            subject,
            language: &row.locale,
            recipient_name: &row.display_name,
            tenant_name: &row.tenant_name,
            title: &title,
            context: row.context.as_deref(),
            due_at: row.due_at,
            all_day,
            zone: row
                .time_zone
                .parse::<Tz>()
                .unwrap_or(chrono_tz::Europe::Paris),
            link: &link,
            unsubscribe: &unsubscribe_url,
        }
        .render()?;
        // Stable per reminder: a mail client that somehow got it twice shows it once.
        let message_id = format!("<reminder-{reminder_id}@{}>", self.from.email.domain());
        let message = match row.email.parse() {
            Ok(address) => Ok(signed(
                with_unsubscribe(
                    Message::builder()
                        .from(self.from.clone())
                        .to(Mailbox::new(Some(row.display_name.clone()), address))
                        .subject(rendered.subject)
                        .message_id(Some(message_id.clone())),
                    &unsubscribe_url,
                )
                .multipart(MultiPart::alternative_plain_html(
                    rendered.text,
                    rendered.html,
                ))?,
                self.dkim,
            )),
            Err(error) => Err(format!("invalid recipient address: {error}")),
        };
        // The send begins: say so, durably, before the first byte goes out, with the
        // lease this process renews while sending. Another delivery of the same entry
        // now finds it settled; should this process die before recording the outcome,
        // the lease runs out and the send is made again (`planner::resend_interrupted_sends`).
        sqlx::query!(
            r#"update reminders
               set status = 'sending', sending_at = $3,
                   lease_until = clock_timestamp() + make_interval(secs => $4)
               where tenant_id = $1 and id = $2"#,
            tenant_id,
            reminder_id,
            now,
            self.lease.as_secs_f64(),
        )
        .execute(&mut *tx)
        .await?;
        // From the commit of that mark on, the outcome must be recorded whatever happens
        // to the caller: the commit, the send and its record run as a task of their own,
        // which cancelling the worker (an instance shutting down, a worker restarted)
        // does not interrupt. Committed in the worker, a cancellation landing between the
        // commit and the send would leave a send marked begun that never began: failed
        // as uncertain, never sent.
        let attempt = Attempt {
            pool: self.pool.clone(),
            mailer: self.mailer.clone(),
            tenant_id,
            reminder_id,
            subject,
            subject_id: row.subject_id,
            kind,
            attempts: row.attempts,
            message_id,
            now,
            lease: self.lease,
        };
        tokio::spawn(attempt.run(tx, message))
            .await
            .map_err(|_| Error::Interrupted)?
    }
}

/// One send of one reminder, and the record of how it went.
struct Attempt {
    pool: PgPool,
    mailer: Mailer,
    tenant_id: Uuid,
    reminder_id: Uuid,
    subject: Subject,
    subject_id: Uuid,
    kind: ReminderKind,
    attempts: i32,
    message_id: String,
    now: DateTime<Utc>,
    lease: std::time::Duration,
}

impl Attempt {
    /// Commits `begun` (the reminder marked `sending`), sends, records the outcome.
    async fn run(
        self,
        begun: Transaction<'static, Postgres>,
        message: Result<Message, String>,
    ) -> Result<Outcome, Error> {
        begun.commit().await?;
        let (tenant_id, reminder_id, now) = (self.tenant_id, self.reminder_id, self.now);
        let send = async {
            match message {
                Ok(message) => self.mailer.send(message).await.map_err(|error| {
                    let permanent = error.is_permanent();
                    (error.to_string(), permanent)
                }),
                Err(error) => Err((error, true)),
            }
        };
        // The lease is renewed for as long as the SMTP exchange lasts.
        let sent = tokio::select! {
            sent = send => sent,
            never = self.renew_lease() => match never {},
        };
        let mut tx = begin_tenant(&self.pool, tenant_id).await?;
        if let Err((error, permanent)) = sent {
            let attempts = self.attempts + 1;
            let given_up = permanent || attempts >= MAX_ATTEMPTS;
            let (status, retry_at, failed_at) = if given_up {
                tracing::warn!(%reminder_id, attempts, %error, "reminder failed: dead-lettered");
                ("failed", None, Some(now))
            } else {
                tracing::info!(%reminder_id, attempts, %error, "SMTP failure, will retry");
                ("pending", Some(now + backoff(attempts)), None)
            };
            sqlx::query!(
                r#"update reminders
                   set status = $3, attempts = $4, retry_at = $5, failed_at = $6, last_error = $7
                   where tenant_id = $1 and id = $2"#,
                tenant_id,
                reminder_id,
                status,
                attempts,
                retry_at,
                failed_at,
                &error,
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(match retry_at {
                Some(retry_at) => Outcome::RetryLater { retry_at },
                None => Outcome::DeadLettered { error },
            });
        }

        sqlx::query!(
            "update reminders set status = 'sent', sent_at = $3, message_id = $4 where tenant_id = $1 and id = $2",
            tenant_id,
            reminder_id,
            now,
            self.message_id,
        )
        .execute(&mut *tx)
        .await?;
        // A late reminder went out: the one after it is planned, in the same transaction.
        if matches!(self.kind, ReminderKind::Overdue(_)) {
            planner::plan_in(&mut tx, tenant_id, self.subject, self.subject_id, now).await?;
        }
        tx.commit().await?;
        Ok(Outcome::Sent)
    }

    /// Renews the send's lease every third of it, until dropped (the send is over). A
    /// renewal that fails (the database away) is tried again at the next tick: the
    /// lease may then run out and the email be sent twice, never lost.
    async fn renew_lease(&self) -> std::convert::Infallible {
        let mut ticks = tokio::time::interval(self.lease / 3);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if let Err(error) = self.extend_lease().await {
                tracing::warn!(reminder_id = %self.reminder_id, %error, "send lease not renewed");
            }
        }
    }

    /// Moves the lease's end a whole lease ahead of now, while the send is still on.
    async fn extend_lease(&self) -> Result<(), Error> {
        let mut tx = begin_tenant(&self.pool, self.tenant_id).await?;
        sqlx::query!(
            r#"update reminders set lease_until = clock_timestamp() + make_interval(secs => $3)
               where tenant_id = $1 and id = $2 and status = 'sending'"#,
            self.tenant_id,
            self.reminder_id,
            self.lease.as_secs_f64(),
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The member's unsubscribe token in this tenant, created with their preferences (all
/// defaults) the first time they are emailed.
pub async fn unsubscribe_token(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Uuid, Error> {
    sqlx::query!(
        "insert into notification_preferences (tenant_id, user_id) values ($1, $2) on conflict do nothing",
        tenant_id,
        user_id,
    )
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar!(
        "select unsubscribe_token from notification_preferences where tenant_id = $1 and user_id = $2",
        tenant_id,
        user_id,
    )
    .fetch_one(conn)
    .await?)
}

/// The message with its DKIM signature, when the deployment signs.
pub fn signed(mut message: Message, dkim: Option<&DkimConfig>) -> Message {
    if let Some(dkim) = dkim {
        dkim_sign(&mut message, dkim);
    }
    message
}
