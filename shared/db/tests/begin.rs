//! A transaction whose `BEGIN` is cut short (its request cancelled, its client gone)
//! leaves nothing open on the pooled connection: the next borrower's statements are
//! their own, committed as they run.

use std::future::Future;
use std::task::Poll;

use maillage_testkit::TestDatabase;
use sqlx::postgres::PgPoolOptions;
use uuid::Uuid;

#[tokio::test]
async fn a_cancelled_begin_leaves_no_transaction_open_on_the_pooled_connection()
-> anyhow::Result<()> {
    let db = TestDatabase::create().await?;
    // One connection: whatever a cancelled begin leaves on it, the next borrower gets.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&db.owner_url())
        .await?;
    for polls in (1..=60).cycle().take(600) {
        // Dropped after a number of polls: at some point of the acquire, of `BEGIN`'s
        // round trip, or of the tenant's setting.
        let mut begin = Box::pin(maillage_db::begin_tenant(&pool, Uuid::new_v4()));
        for _ in 0..polls {
            let polled = std::future::poll_fn(|cx| Poll::Ready(begin.as_mut().poll(cx))).await;
            if polled.is_ready() {
                break;
            }
            tokio::task::yield_now().await;
        }
        drop(begin);
        // Outside a transaction block each statement is a transaction of its own: two
        // statements, two transactions.
        let mut conn = pool.acquire().await?;
        let first: i64 = sqlx::query_scalar("select txid_current()")
            .fetch_one(&mut *conn)
            .await?;
        let second: i64 = sqlx::query_scalar("select txid_current()")
            .fetch_one(&mut *conn)
            .await?;
        assert_ne!(
            first, second,
            "cancelled after {polls} polls: the connection was lent on inside a transaction"
        );
    }
    Ok(())
}
