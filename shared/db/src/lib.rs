//! Database access shared by the services: the embedded migrations, pools for each
//! service role, and the tenant-scoped transaction every request runs in.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub use sqlx;

/// Every migration of the shared schema, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

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

/// Opens a pool. Connection failures at start-up are retried by the pool itself.
pub fn connect_lazy(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options))
}

/// A transaction in which row-level security shows one tenant's rows and no other's.
///
/// The setting is transaction-local (`set_config(..., true)`), so it cannot leak to the
/// next user of the pooled connection, nor through a pooler in transaction mode.
pub async fn begin_tenant(
    pool: &PgPool,
    tenant_id: Uuid,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("select set_config('app.tenant_id', $1, true)")
        .bind(tenant_id.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// A transaction that may see the outbox and reminders of every tenant: only the
/// notification role has policies that honour this scope (see the migrations), and only
/// for finding work; the work itself runs in [`begin_tenant`] transactions.
pub async fn begin_platform_scan(
    pool: &PgPool,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("select set_config('app.scope', 'platform-scan', true)")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Whether the database answers: used by the `/readyz` endpoints.
pub async fn ping(pool: &PgPool) -> bool {
    sqlx::query("select 1").execute(pool).await.is_ok()
}
