//! The services' pools lend a connection without pinging it first unless it sat idle:
//! a connection the server closed in the meantime is replaced, never lent on for good.

use std::time::Duration;

use maillage_testkit::TestDatabase;
use sqlx::PgPool;

async fn backend_of(pool: &PgPool) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("select pg_backend_pid()")
        .fetch_one(pool)
        .await
}

async fn terminate(db: &TestDatabase, pid: i32) -> anyhow::Result<()> {
    let terminated: bool = sqlx::query_scalar("select pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(&db.owner)
        .await?;
    anyhow::ensure!(terminated, "backend {pid} was not terminated");
    // The signal is sent, not yet obeyed: wait until the backend is gone.
    for _ in 0..100 {
        let alive: bool =
            sqlx::query_scalar("select exists (select from pg_stat_activity where pid = $1)")
                .bind(pid)
                .fetch_one(&db.owner)
                .await?;
        if !alive {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    anyhow::bail!("backend {pid} still there")
}

#[tokio::test]
async fn a_connection_closed_while_idle_is_checked_and_replaced_before_it_is_lent()
-> anyhow::Result<()> {
    let db = TestDatabase::create().await?;
    let pool = maillage_db::connect_lazy(&db.owner_url(), 1)?;
    let first = backend_of(&pool).await?;
    terminate(&db, first).await?;
    // Idle for longer than the pool trusts a connection unchecked.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let second = backend_of(&pool).await?;
    assert_ne!(first, second);
    Ok(())
}

/// Lent at once, a connection is not checked: if the server closed it, the statement
/// fails (or, the connection having sat idle past the threshold meanwhile, it is checked
/// and replaced). Either way it costs at most that one statement.
#[tokio::test]
async fn a_connection_closed_between_two_statements_costs_at_most_one_of_them() -> anyhow::Result<()>
{
    let db = TestDatabase::create().await?;
    let pool = maillage_db::connect_lazy(&db.owner_url(), 1)?;
    let first = backend_of(&pool).await?;
    terminate(&db, first).await?;
    let second = match backend_of(&pool).await {
        Ok(replaced) => replaced,
        Err(_) => backend_of(&pool).await?,
    };
    assert_ne!(first, second);
    Ok(())
}
