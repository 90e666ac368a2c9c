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

#[tokio::test]
async fn a_connection_closed_between_two_statements_fails_one_and_is_replaced() -> anyhow::Result<()>
{
    let db = TestDatabase::create().await?;
    let pool = maillage_db::connect_lazy(&db.owner_url(), 1)?;
    let first = backend_of(&pool).await?;
    terminate(&db, first).await?;
    // Lent at once, unchecked: the statement meets the closed connection.
    assert!(backend_of(&pool).await.is_err());
    let second = backend_of(&pool).await?;
    assert_ne!(first, second);
    Ok(())
}
