//! `maillage-admin tenant export`: the workspace's archive (`maillage_export`) written to
//! a file, from one snapshot of the database.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use anyhow::Context;
use maillage_export::{Summary, Workspace};
use sqlx::PgPool;

pub async fn export(pool: &PgPool, slug: &str, out: &Path) -> anyhow::Result<Summary> {
    let mut conn = pool.acquire().await?;
    // One snapshot for every table: the archive is consistent even while people work.
    sqlx::query("begin isolation level repeatable read read only")
        .execute(&mut *conn)
        .await?;
    let workspace = sqlx::query_as!(
        Workspace,
        "select id, slug, name, kind, status, locale, time_zone, created_at from tenants where slug = $1",
        slug
    )
    .fetch_optional(&mut *conn)
    .await?
    .with_context(|| format!("no workspace {slug}"))?;
    let file = File::create(out).with_context(|| format!("cannot write {}", out.display()))?;
    let summary = maillage_export::write_archive(
        &mut conn,
        &workspace,
        maillage_db::schema_version(),
        BufWriter::new(file),
    )
    .await;
    sqlx::query("rollback").execute(&mut *conn).await?;
    Ok(summary?)
}
