//! The inviter worker: invitation emails, when due (`crate::invitations`).

use std::sync::Arc;

use super::{Context, RETRY_DELAY};
use crate::delivery::Outbound;
use crate::invitations::send_due;

pub async fn run(context: Context, outbound: Arc<Outbound>) {
    let sender = outbound.sender();
    loop {
        match send_due(&sender, context.clock.now()).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "invitation emails sent"),
            Err(error) => {
                tracing::warn!(worker = "inviter", %error, "step failed, retrying");
                tokio::time::sleep(RETRY_DELAY).await;
            }
        }
        tokio::time::sleep(context.poll).await;
    }
}
