use maillage_gateway::{Config, build_app};

#[global_allocator]
static ALLOCATOR: maillage_runtime::Allocator = maillage_runtime::Allocator;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    maillage_runtime::init("gateway");
    let config = Config::from_env()?;
    let app = build_app(config).await?;
    tracing::info!(address = %app.local_addr(), "gateway listening");
    app.run_until_stopped().await?;
    Ok(())
}
