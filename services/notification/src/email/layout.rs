//! What every email says around its lines, laid out as HTML and plain text.

use askama::Template;

#[derive(Template)]
#[template(path = "reminder.html")]
struct ReminderHtml<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    lines: &'a [String],
    action: &'a str,
    link: &'a str,
    footer: &'a str,
    unsubscribe_label: &'a str,
    unsubscribe: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "reminder.txt")]
struct ReminderText<'a> {
    greeting: &'a str,
    lines: &'a [String],
    action: &'a str,
    link: &'a str,
    footer: &'a str,
    unsubscribe_label: &'a str,
    unsubscribe: Option<&'a str>,
}

pub struct RenderedEmail {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// What every email says around its lines: the greeting, the button, why you get it and
/// how to stop it.
pub(super) struct Layout<'a> {
    pub(super) english: bool,
    pub(super) greeting: &'a str,
    pub(super) lines: &'a [String],
    pub(super) action: &'a str,
    pub(super) link: &'a str,
    pub(super) footer: &'a str,
    /// Where one click stops these emails: none for a one-off (an invitation).
    pub(super) unsubscribe: Option<&'a str>,
}

impl Layout<'_> {
    pub(super) fn render(&self, subject: String) -> Result<RenderedEmail, askama::Error> {
        let unsubscribe_label = if self.english {
            "Stop these reminders"
        } else {
            "Ne plus recevoir ces rappels"
        };
        let html = ReminderHtml {
            lang: if self.english { "en" } else { "fr" },
            subject: &subject,
            greeting: self.greeting,
            lines: self.lines,
            action: self.action,
            link: self.link,
            footer: self.footer,
            unsubscribe_label,
            unsubscribe: self.unsubscribe,
        }
        .render()?;
        let text = ReminderText {
            greeting: self.greeting,
            lines: self.lines,
            action: self.action,
            link: self.link,
            footer: self.footer,
            unsubscribe_label,
            unsubscribe: self.unsubscribe,
        }
        .render()?;
        Ok(RenderedEmail {
            subject,
            html,
            text,
        })
    }
}
