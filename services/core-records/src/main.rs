use maillage_core_records::{Application, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    maillage_runtime::init("core-records");
    let config = Config::from_env()?;
    let app = Application::build(config).await?;
    tracing::info!(address = %app.local_addr(), "core-records listening");
    app.run_until_stopped().await?;
    Ok(())
}
