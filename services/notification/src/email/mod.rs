//! The emails (reminders, digests, invitations), in the recipient's language, as HTML
//! and plain text.

mod digest;
mod invitation;
mod layout;
mod reminder;
mod words;

use lettre::message::MessageBuilder;
use lettre::message::header::{HeaderName, HeaderValue};

pub use self::digest::{Cadence, DigestContent, DigestItem};
pub use self::invitation::InvitationContent;
pub use self::layout::RenderedEmail;
pub use self::reminder::ReminderContent;

/// The headers that let a mail client stop these emails in one click (RFC 8058).
pub fn with_unsubscribe(builder: MessageBuilder, url: &str) -> MessageBuilder {
    builder
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{url}>"),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".into(),
        ))
}

#[cfg(test)]
mod tests;
