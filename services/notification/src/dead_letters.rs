//! Failed reminders, for the platform admins: listed with what went wrong, and replayed
//! once the cause is fixed (a mailbox full, a typo in an address, the SMTP account
//! suspended). PostgreSQL holds them; the dead-letter stream in Redis announces each
//! one to whatever watches it (alerting).

use chrono::{DateTime, Utc};
use maillage_db::begin_platform_scan;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use redis::streams::StreamMaxlen;
use sqlx::PgPool;
use uuid::Uuid;

use crate::Error;

/// The dead-letter stream keeps about this many announcements.
const STREAM_LENGTH: usize = 10_000;

#[derive(Debug, Clone)]
pub struct FailedReminder {
    pub tenant_id: Uuid,
    pub tenant_slug: String,
    pub reminder_id: Uuid,
    /// What it is about: `deadline`, `milestone`, `task`…
    pub subject: String,
    pub subject_id: Uuid,
    pub kind: String,
    pub recipient_email: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub failed_at: Option<DateTime<Utc>>,
}

/// The key of a deployment's dead-letter stream.
pub fn stream_key(namespace: &str) -> String {
    format!("{namespace}:reminders:dead")
}

/// Announces a failed reminder on the dead-letter stream.
pub async fn announce(
    redis: &mut ConnectionManager,
    namespace: &str,
    tenant_id: Uuid,
    reminder_id: Uuid,
    error: &str,
) -> Result<(), Error> {
    let _: Option<String> = redis
        .xadd_maxlen(
            stream_key(namespace),
            StreamMaxlen::Approx(STREAM_LENGTH),
            "*",
            &[
                ("tenant_id", tenant_id.to_string()),
                ("reminder_id", reminder_id.to_string()),
                ("error", error.to_owned()),
            ],
        )
        .await?;
    Ok(())
}

/// The failed reminders of every tenant, most recent first.
pub async fn failed(pool: &PgPool, limit: i64) -> Result<Vec<FailedReminder>, Error> {
    let mut tx = begin_platform_scan(pool).await?;
    let rows = sqlx::query_as!(
        FailedReminder,
        r#"select r.tenant_id, t.slug as tenant_slug, r.id as reminder_id, r.subject, r.subject_id, r.kind,
                  u.email as recipient_email, r.attempts, r.last_error, r.failed_at
           from reminders r
           join tenants t on t.id = r.tenant_id
           join users u on u.id = r.recipient_user_id
           where r.status = 'failed'
           order by r.failed_at desc, r.id
           limit $1"#,
        limit,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// Puts failed reminders back in line, with a fresh count of attempts: one (`Some`) or
/// all of them. The dispatcher sends them at its next round, if still relevant (the
/// sender checks its subject again). Returns how many.
pub async fn replay(pool: &PgPool, reminder: Option<(Uuid, Uuid)>) -> Result<u64, Error> {
    let (tenant_id, reminder_id) = reminder.unzip();
    let mut tx = begin_platform_scan(pool).await?;
    let replayed = sqlx::query!(
        r#"update reminders
           set status = 'pending', attempts = 0, retry_at = null, failed_at = null
           where status = 'failed'
             and ($1::uuid is null or (tenant_id = $1 and id = $2))"#,
        tenant_id,
        reminder_id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(replayed)
}
