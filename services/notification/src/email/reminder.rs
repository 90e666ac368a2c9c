//! One reminder, one email.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::schedule::ReminderKind;
use crate::subject::Subject;

use super::RenderedEmail;
use super::layout::Layout;
use super::words::{detail, local_when, words};

/// What a reminder email says, before it is laid out.
pub struct ReminderContent<'a> {
    pub kind: ReminderKind,
    pub subject: Subject,
    pub language: &'a str,
    pub recipient_name: &'a str,
    pub tenant_name: &'a str,
    pub title: &'a str,
    /// A report's funder, a milestone's project.
    pub context: Option<&'a str>,
    pub due_at: DateTime<Utc>,
    /// Dated by a day, not a time: the time is not said.
    pub all_day: bool,
    pub zone: Tz,
    pub link: &'a str,
    /// Where one click stops these emails.
    pub unsubscribe: &'a str,
}

impl ReminderContent<'_> {
    pub fn render(&self) -> Result<RenderedEmail, askama::Error> {
        let english = self.language.starts_with("en");
        let when = local_when(self.due_at, self.zone, self.all_day, english);
        let title = self.title;
        let words = words(self.subject, english);
        let (noun, due) = (words.noun, words.due);
        let headline = match (english, self.kind) {
            (false, ReminderKind::Before(1)) => format!("Rappel : {noun}« {title} » {due} demain"),
            (false, ReminderKind::Before(days)) => {
                format!("Rappel : {noun}« {title} » {due} dans {days} jours")
            }
            (false, ReminderKind::DueToday) => {
                format!("Rappel : {noun}« {title} » {due} aujourd'hui")
            }
            (false, ReminderKind::Overdue(1)) => {
                format!("En retard : {noun}« {title} » {}", words.late)
            }
            (false, ReminderKind::Overdue(days)) => {
                format!(
                    "En retard de {days} jours : {noun}« {title} » {}",
                    words.still_late
                )
            }
            (false, ReminderKind::Escalation(days)) => {
                format!("Alerte : {noun}« {title} » est en retard de {days} jours")
            }
            (true, ReminderKind::Before(1)) => format!("Reminder: {noun}“{title}” {due} tomorrow"),
            (true, ReminderKind::Before(days)) => {
                format!("Reminder: {noun}“{title}” {due} in {days} days")
            }
            (true, ReminderKind::DueToday) => format!("Reminder: {noun}“{title}” {due} today"),
            (true, ReminderKind::Overdue(1)) => {
                format!("Overdue: {noun}“{title}” {}", words.late)
            }
            (true, ReminderKind::Overdue(days)) => {
                format!(
                    "Overdue by {days} days: {noun}“{title}” {}",
                    words.still_late
                )
            }
            (true, ReminderKind::Escalation(days)) => {
                format!("Alert: {noun}“{title}” is {days} days overdue")
            }
        };
        let subject = format!("[{}] {headline}", self.tenant_name);
        let mut lines = vec![detail(self.subject, title, self.context, &when, english)];
        match self.kind {
            ReminderKind::Overdue(_) if !words.to_stop.is_empty() => {
                lines.push(words.to_stop.into());
            }
            ReminderKind::Escalation(_) => lines.push(if english {
                "Its responsible members have been reminded; as an administrator of the workspace, you may want to step in.".into()
            } else {
                "Ses responsables ont été relancés ; en tant qu'administrateur de l'espace, vous pouvez intervenir.".into()
            }),
            _ => {}
        }
        let as_admin = matches!(self.kind, ReminderKind::Escalation(_));
        let (greeting, footer) = if english {
            (
                format!("Hello {},", self.recipient_name),
                format!(
                    "You receive this email because you {} in the {} workspace on Maillage.",
                    if as_admin {
                        "are an administrator"
                    } else {
                        words.why
                    },
                    self.tenant_name
                ),
            )
        } else {
            (
                format!("Bonjour {},", self.recipient_name),
                format!(
                    "Vous recevez ce message car vous {} dans l'espace {} sur Maillage.",
                    if as_admin {
                        "êtes administrateur"
                    } else {
                        words.why
                    },
                    self.tenant_name
                ),
            )
        };
        Layout {
            english,
            greeting: &greeting,
            lines: &lines,
            action: words.action,
            link: self.link,
            footer: &footer,
            unsubscribe: Some(self.unsubscribe),
        }
        .render(subject)
    }
}
