//! `maillage-admin tenant import`: an archive (`maillage_export`) loaded into an empty
//! workspace, in one transaction, audited in the same one.

use std::fs::File;
use std::path::Path;

use anyhow::Context;
use maillage_export::Imported;
use sqlx::PgPool;

pub async fn import(pool: &PgPool, slug: &str, archive: &Path) -> anyhow::Result<Imported> {
    let file = File::open(archive).with_context(|| format!("cannot read {}", archive.display()))?;
    let mut tx = maillage_db::begin(pool).await?;
    let tenant_id = sqlx::query_scalar!("select id from tenants where slug = $1", slug)
        .fetch_optional(&mut *tx)
        .await?
        .with_context(|| format!("no workspace {slug}"))?;
    let imported =
        maillage_export::import_archive(&mut tx, tenant_id, maillage_db::schema_version(), file)
            .await
            .with_context(|| format!("{} not imported into {slug}", archive.display()))?;
    crate::audit(
        &mut tx,
        "tenant.import",
        slug,
        serde_json::json!({ "rows": imported.rows(), "people": imported.users }),
    )
    .await?;
    tx.commit().await?;
    Ok(imported)
}
