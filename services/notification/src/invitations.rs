//! Invitation emails: the gateway records an invitation with its email due; this sends
//! it, once, with the link only the email carries, then wipes the token from the row
//! (its hash stays, for the link to be checked).
//!
//! Each send holds a lock on its invitation until its outcome is recorded, so that two
//! instances never send the same one. A process killed mid-send leaves the row as it
//! was (the transaction rolls back): the email goes again, with the same link. An SMTP
//! server that cannot take it now gets it again after a growing delay; one that refuses
//! it for good, or `MAX_ATTEMPTS` failures, leave it "failed" on the members page, for an
//! admin to check the address and send it again. A suspended workspace's invitations
//! wait; an expired one is not sent.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncTransport, Message};
use maillage_db::{begin_platform_scan, begin_tenant};
use uuid::Uuid;

use crate::Error;
use crate::delivery::{MAX_ATTEMPTS, Sender, backoff, signed};
use crate::email::InvitationContent;

/// Invitations looked at per round.
const ROUND: i64 = 100;

/// Sends the invitation emails that are due; returns how many went out.
pub async fn send_due(sender: &Sender<'_>, now: DateTime<Utc>) -> Result<usize, Error> {
    let mut scan = begin_platform_scan(sender.pool).await?;
    let due = sqlx::query!(
        r#"select tenant_id, id from invitations i
           where email_due_at <= $1 and accepted_at is null
             and exists (select 1 from tenants t where t.id = i.tenant_id and t.status = 'active')
           order by email_due_at limit $2"#,
        now,
        ROUND,
    )
    .fetch_all(&mut *scan)
    .await?;
    scan.commit().await?;
    let mut sent = 0;
    for invitation in due {
        if send_one(sender, invitation.tenant_id, invitation.id, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// How one send went, as the row records it.
enum Sent {
    Yes,
    RetryLater(String),
    Failed(String),
}

async fn send_one(
    sender: &Sender<'_>,
    tenant_id: Uuid,
    invitation_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let mut tx = begin_tenant(sender.pool, tenant_id).await?;
    // Skipped when another instance holds it: that one is sending it.
    let row = sqlx::query!(
        r#"select i.email, i.role, i.email_token, i.expires_at, i.email_attempts,
                  i.expires_at <= $3 as "expired!",
                  t.name as tenant_name, t.locale, t.time_zone, u.display_name as "inviter?"
           from invitations i
           join tenants t on t.id = i.tenant_id
           left join users u on u.id = i.invited_by
           where i.tenant_id = $1 and i.id = $2 and i.email_due_at <= $3 and i.accepted_at is null
           for update of i skip locked"#,
        tenant_id,
        invitation_id,
        now,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let Some(token) = row.email_token.filter(|_| !row.expired) else {
        // Expired (or its token gone): a link that would not work is not sent.
        sqlx::query!(
            "update invitations set email_due_at = null, email_token = null where tenant_id = $1 and id = $2",
            tenant_id,
            invitation_id,
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(false);
    };
    let link = format!("{}/invitations/{tenant_id}/{token}", sender.public_base_url);
    let rendered = InvitationContent {
        language: &row.locale,
        tenant_name: &row.tenant_name,
        inviter: row.inviter.as_deref(),
        invited_email: &row.email,
        role: &row.role,
        expires_at: row.expires_at,
        zone: row
            .time_zone
            .parse::<Tz>()
            .unwrap_or(chrono_tz::Europe::Paris),
        link: &link,
    }
    .render()?;
    // One per link: a mail client that somehow got it twice shows it once.
    let message_id = format!(
        "<invitation-{invitation_id}-{}@{}>",
        row.expires_at.timestamp(),
        sender.from.email.domain()
    );
    let message = match row.email.parse() {
        Ok(address) => Ok(signed(
            Message::builder()
                .from(sender.from.clone())
                .to(Mailbox::new(None, address))
                .subject(rendered.subject)
                .message_id(Some(message_id))
                .multipart(MultiPart::alternative_plain_html(
                    rendered.text,
                    rendered.html,
                ))?,
            sender.dkim,
        )),
        Err(error) => Err(format!("invalid recipient address: {error}")),
    };
    let attempts = row.email_attempts + 1;
    let mailer = sender.mailer.clone();
    // The send and its record run as a task of their own: cancelling the worker (an
    // instance shutting down) cannot cut between the two.
    let record = async move {
        let sent = match message {
            Err(error) => Sent::Failed(error),
            Ok(message) => match mailer.send(message).await {
                Ok(_) => Sent::Yes,
                Err(error) if error.is_permanent() || attempts >= MAX_ATTEMPTS => {
                    Sent::Failed(error.to_string())
                }
                Err(error) => Sent::RetryLater(error.to_string()),
            },
        };
        match &sent {
            Sent::Yes => {
                sqlx::query!(
                    r#"update invitations
                       set email_sent_at = $3, email_due_at = null, email_token = null,
                           email_attempts = $4, email_error = null
                       where tenant_id = $1 and id = $2"#,
                    tenant_id,
                    invitation_id,
                    now,
                    attempts,
                )
                .execute(&mut *tx)
                .await?;
            }
            Sent::RetryLater(error) => {
                tracing::warn!(%tenant_id, invitation = %invitation_id, %error, "invitation email not taken, retrying later");
                sqlx::query!(
                    "update invitations set email_due_at = $3, email_attempts = $4 where tenant_id = $1 and id = $2",
                    tenant_id,
                    invitation_id,
                    now + backoff(attempts),
                    attempts,
                )
                .execute(&mut *tx)
                .await?;
            }
            Sent::Failed(error) => {
                tracing::warn!(%tenant_id, invitation = %invitation_id, %error, "invitation email refused");
                sqlx::query!(
                    r#"update invitations
                       set email_due_at = null, email_token = null, email_attempts = $4, email_error = $3
                       where tenant_id = $1 and id = $2"#,
                    tenant_id,
                    invitation_id,
                    error,
                    attempts,
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok::<bool, Error>(matches!(sent, Sent::Yes))
    };
    tokio::spawn(record).await.map_err(|_| Error::Interrupted)?
}
