//! The digester worker: the daily and weekly digests, when due (`crate::digest`).

use std::sync::Arc;

use super::{Context, RETRY_DELAY};
use crate::delivery::Outbound;
use crate::digest::send_due;

pub async fn run(context: Context, outbound: Arc<Outbound>) {
    let sender = outbound.sender();
    loop {
        match send_due(&sender, context.clock.now()).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "digests sent"),
            Err(error) => {
                tracing::warn!(worker = "digester", %error, "step failed, retrying");
                tokio::time::sleep(RETRY_DELAY).await;
            }
        }
        tokio::time::sleep(context.poll).await;
    }
}
