//! The measurer worker: what each workspace stores, for the platform console (the
//! database's `measure_tenant_usage`: the bytes of its rows, each workspace at most once
//! an hour, a few at a time so that no round holds the database long).

use super::{Context, RETRY_DELAY};

/// Workspaces measured per round.
const PER_ROUND: i32 = 5;

pub async fn run(context: Context) {
    loop {
        match measure(&context).await {
            Ok(0) => {}
            Ok(measured) => tracing::debug!(measured, "workspaces measured"),
            Err(error) => {
                tracing::warn!(worker = "measurer", %error, "step failed, retrying");
                tokio::time::sleep(RETRY_DELAY).await;
            }
        }
        tokio::time::sleep(context.poll).await;
    }
}

async fn measure(context: &Context) -> Result<i32, crate::Error> {
    let mut tx = maillage_db::begin(&context.pool).await?;
    let measured = sqlx::query_scalar!(
        r#"select measure_tenant_usage($1, $2) as "measured!""#,
        context.clock.now(),
        PER_ROUND,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(measured)
}
