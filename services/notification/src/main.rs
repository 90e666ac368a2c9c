use std::sync::Arc;

use maillage_notification::{Application, Config, SystemClock};

#[global_allocator]
static ALLOCATOR: maillage_runtime::Allocator = maillage_runtime::Allocator;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    maillage_runtime::init("notification");
    let config = Config::from_env()?;
    let app = Application::build(config, Arc::new(SystemClock)).await?;
    tracing::info!(address = %app.local_addr(), "notification health endpoints listening");
    app.run_until_stopped().await
}
