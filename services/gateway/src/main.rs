use maillage_gateway::{Application, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    maillage_runtime::init("gateway");
    let config = Config::from_env()?;
    let app = Application::build(config).await?;
    tracing::info!(address = %app.local_addr(), "gateway listening");
    app.run_until_stopped().await?;
    Ok(())
}
