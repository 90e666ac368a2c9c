use maillage_core_records::{Config, build_app};

#[global_allocator]
static ALLOCATOR: maillage_runtime::Allocator = maillage_runtime::Allocator;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    maillage_runtime::init("core-records");
    let config = Config::from_env()?;
    let app = build_app(config).await?;
    tracing::info!(address = %app.local_addr(), "core-records listening");
    app.run_until_stopped().await?;
    Ok(())
}
