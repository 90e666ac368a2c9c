//! Database access shared by the services: the embedded migrations, pools for each
//! service role, and the tenant-scoped transaction every request runs in.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub mod platform;

pub use sqlx;

/// Every migration of the shared schema, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The version of the schema this binary knows: its last migration.
pub fn schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or_default()
}

/// The database roles the services connect as (created by the migrations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceRole {
    Gateway,
    CoreRecords,
    Notification,
}

impl ServiceRole {
    pub const ALL: [ServiceRole; 3] = [Self::Gateway, Self::CoreRecords, Self::Notification];

    pub fn role_name(self) -> &'static str {
        match self {
            Self::Gateway => "maillage_gateway",
            Self::CoreRecords => "maillage_core",
            Self::Notification => "maillage_notification",
        }
    }
}

/// A pooled connection idle for longer than this is checked (a ping) before it is lent.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);

/// Opens a pool. Connection failures at start-up are retried by the pool itself.
///
/// sqlx pings every connection it lends by default: one round trip more per transaction
/// (four instead of three for a page of a list, nine instead of seven for an email). Only
/// a connection that sat idle is pinged here. One used within the last second is very
/// likely alive; if the server did go away in that second, the statement fails (an
/// error the caller already handles, as for a server lost mid-transaction) and the pool
/// drops the connection.
pub fn connect_lazy(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > CHECK_AFTER_IDLE {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .connect_lazy_with(options))
}

/// `pool.begin()`, safe to cancel. sqlx (0.8.4 through 0.9.0, transact-rs/sqlx#4393)
/// counts a transaction only once `BEGIN` has been answered: a future dropped during that
/// round trip (a request cancelled because its client went away) leaves the connection
/// inside a transaction that nothing rolls back, and the pool lends it on. The next
/// borrower's plain statements then run inside it, and a later rollback on that
/// connection loses them. Here `BEGIN` runs in a task of its own, which cancelling the
/// caller does not interrupt: a transaction nobody waits for any more is dropped in that
/// task, which rolls it back.
pub async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    begin_setting(pool, &[]).await
}

/// A transaction in which row-level security shows one tenant's rows and no other's.
///
/// The setting is transaction-local (`set_config(..., true)`), so it cannot leak to the
/// next user of the pooled connection, nor through a pooler in transaction mode.
pub async fn begin_tenant(
    pool: &PgPool,
    tenant_id: Uuid,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    begin_setting(pool, &[("app.tenant_id", tenant_id.to_string())]).await
}

/// [`begin_tenant`], on behalf of a member: triggers that keep a history (a person's
/// consent) read who made the change from `app.actor_user_id`.
pub async fn begin_tenant_as(
    pool: &PgPool,
    tenant_id: Uuid,
    actor_user_id: Uuid,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    begin_setting(
        pool,
        &[
            ("app.tenant_id", tenant_id.to_string()),
            ("app.actor_user_id", actor_user_id.to_string()),
        ],
    )
    .await
}

/// A transaction that may see the outbox and reminders of every tenant: only the
/// notification role has policies that honour this scope (see the migrations), and only
/// for finding work; the work itself runs in [`begin_tenant`] transactions.
pub async fn begin_platform_scan(
    pool: &PgPool,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    begin_setting(pool, &[("app.scope", "platform-scan".into())]).await
}

/// `BEGIN` (see [`begin`]), and the transaction-local settings if any, in one round trip:
/// the statements go as one message of the simple query protocol, where a transaction
/// of every request would otherwise wait twice (`make bench`: the list API against
/// pgbench). The value is a tenant id or a scope written here, never text from a
/// request, and is quoted all the same.
async fn begin_setting(
    pool: &PgPool,
    settings: &[(&'static str, String)],
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let pool = pool.clone();
    let statement = (!settings.is_empty()).then(|| {
        let calls: Vec<String> = settings
            .iter()
            .map(|(name, value)| {
                format!(
                    "set_config('{name}', '{}', true)",
                    value.replace('\'', "''")
                )
            })
            .collect();
        format!("begin; select {}", calls.join(", "))
    });
    tokio::spawn(async move {
        match statement {
            None => pool.begin().await,
            Some(statement) => pool.begin_with(sqlx::AssertSqlSafe(statement)).await,
        }
    })
    .await
    .map_err(|error| sqlx::Error::Io(std::io::Error::other(error)))?
}

/// Whether the database answers: used by the `/readyz` endpoints.
pub async fn ping(pool: &PgPool) -> bool {
    sqlx::query("select 1").execute(pool).await.is_ok()
}
