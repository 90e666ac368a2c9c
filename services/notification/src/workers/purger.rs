//! The purger worker: deletes the workspaces whose grace period after a deletion request
//! is over (the database's `purge_due_tenants`: every row of every tenant table).

use super::{Context, RETRY_DELAY};

pub async fn run(context: Context) {
    loop {
        match purge_due(&context).await {
            Ok(deleted) => {
                for slug in deleted {
                    tracing::info!(%slug, "workspace deleted after its grace period");
                }
            }
            Err(error) => {
                tracing::warn!(worker = "purger", %error, "step failed, retrying");
                tokio::time::sleep(RETRY_DELAY).await;
            }
        }
        tokio::time::sleep(context.poll).await;
    }
}

async fn purge_due(context: &Context) -> Result<Vec<String>, crate::Error> {
    let mut tx = maillage_db::begin(&context.pool).await?;
    let deleted = sqlx::query_scalar!(
        r#"select slug as "slug!" from purge_due_tenants($1) as slug"#,
        context.clock.now()
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(deleted)
}
