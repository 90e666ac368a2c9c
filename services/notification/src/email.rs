//! The reminder email, in the recipient's language, as HTML and plain text.

use askama::Template;
use chrono::{DateTime, Locale, Utc};
use chrono_tz::Tz;
use lettre::message::MessageBuilder;
use lettre::message::header::{HeaderName, HeaderValue};

use crate::schedule::ReminderKind;

/// What a reminder email says, before it is laid out.
pub struct ReminderContent<'a> {
    pub kind: ReminderKind,
    pub language: &'a str,
    pub recipient_name: &'a str,
    pub tenant_name: &'a str,
    pub deadline_title: &'a str,
    pub funder_name: Option<&'a str>,
    pub due_at: DateTime<Utc>,
    pub zone: Tz,
    pub link: &'a str,
    /// Where one click stops these emails.
    pub unsubscribe: &'a str,
}

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
    unsubscribe: &'a str,
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
    unsubscribe: &'a str,
}

pub struct RenderedEmail {
    pub subject: String,
    pub html: String,
    pub text: String,
}

impl ReminderContent<'_> {
    pub fn render(&self) -> Result<RenderedEmail, askama::Error> {
        let english = self.language == "en";
        let local_due = self.due_at.with_timezone(&self.zone);
        let when = if english {
            local_due
                .format_localized("%A %-d %B %Y at %H:%M", Locale::en_GB)
                .to_string()
        } else {
            local_due
                .format_localized("%A %-d %B %Y à %H:%M", Locale::fr_FR)
                .to_string()
        };
        let title = self.deadline_title;
        let headline = match (english, self.kind) {
            (false, ReminderKind::Before(1)) => format!("Rappel : « {title} » à rendre demain"),
            (false, ReminderKind::Before(days)) => {
                format!("Rappel : « {title} » à rendre dans {days} jours")
            }
            (false, ReminderKind::DueToday) => {
                format!("Rappel : « {title} » à rendre aujourd'hui")
            }
            (false, ReminderKind::Overdue(1)) => {
                format!("En retard : « {title} » n'a pas été rendu")
            }
            (false, ReminderKind::Overdue(days)) => {
                format!("En retard de {days} jours : « {title} » n'a toujours pas été rendu")
            }
            (false, ReminderKind::Escalation(days)) => {
                format!("Alerte : « {title} » est en retard de {days} jours")
            }
            (true, ReminderKind::Before(1)) => format!("Reminder: “{title}” is due tomorrow"),
            (true, ReminderKind::Before(days)) => {
                format!("Reminder: “{title}” is due in {days} days")
            }
            (true, ReminderKind::DueToday) => format!("Reminder: “{title}” is due today"),
            (true, ReminderKind::Overdue(1)) => {
                format!("Overdue: “{title}” has not been submitted")
            }
            (true, ReminderKind::Overdue(days)) => {
                format!("Overdue by {days} days: “{title}” has still not been submitted")
            }
            (true, ReminderKind::Escalation(days)) => {
                format!("Alert: “{title}” is {days} days overdue")
            }
        };
        let subject = format!("[{}] {headline}", self.tenant_name);
        let mut lines = vec![match (english, self.funder_name) {
            (false, Some(funder)) => {
                format!("Le rapport « {title} » dû à {funder} est à rendre le {when}.")
            }
            (false, None) => format!("Le rapport « {title} » est à rendre le {when}."),
            (true, Some(funder)) => {
                format!("The report “{title}” owed to {funder} is due on {when}.")
            }
            (true, None) => format!("The report “{title}” is due on {when}."),
        }];
        match self.kind {
            ReminderKind::Overdue(_) => lines.push(if english {
                "Once it is submitted, mark it as such in Maillage to stop these reminders.".into()
            } else {
                "Une fois le rapport envoyé, indiquez-le dans Maillage pour arrêter ces rappels."
                    .into()
            }),
            ReminderKind::Escalation(_) => lines.push(if english {
                "Its responsible members have been reminded; as an administrator of the workspace, you may want to step in.".into()
            } else {
                "Ses responsables ont été relancés ; en tant qu'administrateur de l'espace, vous pouvez intervenir.".into()
            }),
            _ => {}
        }
        let as_admin = matches!(self.kind, ReminderKind::Escalation(_));
        let (greeting, action, footer) = if english {
            (
                format!("Hello {},", self.recipient_name),
                "Open the deadline".to_owned(),
                format!(
                    "You receive this email because you {} in the {} workspace on Maillage.",
                    if as_admin {
                        "are an administrator"
                    } else {
                        "are responsible for this deadline"
                    },
                    self.tenant_name
                ),
            )
        } else {
            (
                format!("Bonjour {},", self.recipient_name),
                "Ouvrir l'échéance".to_owned(),
                format!(
                    "Vous recevez ce message car vous {} dans l'espace {} sur Maillage.",
                    if as_admin {
                        "êtes administrateur"
                    } else {
                        "êtes responsable de cette échéance"
                    },
                    self.tenant_name
                ),
            )
        };
        Layout {
            english,
            greeting: &greeting,
            lines: &lines,
            action: &action,
            link: self.link,
            footer: &footer,
            unsubscribe: self.unsubscribe,
        }
        .render(subject)
    }
}

/// What every email says around its lines: the greeting, the button, why you get it and
/// how to stop it.
struct Layout<'a> {
    english: bool,
    greeting: &'a str,
    lines: &'a [String],
    action: &'a str,
    link: &'a str,
    footer: &'a str,
    unsubscribe: &'a str,
}

impl Layout<'_> {
    fn render(&self, subject: String) -> Result<RenderedEmail, askama::Error> {
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

/// One reminder in a digest.
pub struct DigestItem<'a> {
    pub kind: ReminderKind,
    pub deadline_title: &'a str,
    pub funder_name: Option<&'a str>,
    pub due_at: DateTime<Utc>,
    pub link: String,
}

/// The day's reminders of one member in one tenant, in one email.
pub struct DigestContent<'a> {
    pub language: &'a str,
    pub recipient_name: &'a str,
    pub tenant_name: &'a str,
    pub zone: Tz,
    pub items: &'a [DigestItem<'a>],
    /// The tenant's deadlines page.
    pub link: &'a str,
    pub unsubscribe: &'a str,
}

/// "demain", "dans 7 jours", "en retard de 8 jours"…
fn due_phrase(kind: ReminderKind, english: bool) -> String {
    match (english, kind) {
        (false, ReminderKind::Before(1)) => "à rendre demain".into(),
        (false, ReminderKind::Before(days)) => format!("à rendre dans {days} jours"),
        (false, ReminderKind::DueToday) => "à rendre aujourd'hui".into(),
        (false, ReminderKind::Overdue(1)) => "en retard".into(),
        (false, ReminderKind::Overdue(days) | ReminderKind::Escalation(days)) => {
            format!("en retard de {days} jours")
        }
        (true, ReminderKind::Before(1)) => "due tomorrow".into(),
        (true, ReminderKind::Before(days)) => format!("due in {days} days"),
        (true, ReminderKind::DueToday) => "due today".into(),
        (true, ReminderKind::Overdue(1)) => "overdue".into(),
        (true, ReminderKind::Overdue(days) | ReminderKind::Escalation(days)) => {
            format!("{days} days overdue")
        }
    }
}

fn local_when(due_at: DateTime<Utc>, zone: Tz, english: bool) -> String {
    let local = due_at.with_timezone(&zone);
    if english {
        local
            .format_localized("%A %-d %B %Y at %H:%M", Locale::en_GB)
            .to_string()
    } else {
        local
            .format_localized("%A %-d %B %Y à %H:%M", Locale::fr_FR)
            .to_string()
    }
}

impl DigestContent<'_> {
    pub fn render(&self) -> Result<RenderedEmail, askama::Error> {
        let english = self.language == "en";
        let count = self.items.len();
        let subject = match (english, count) {
            (false, 1) => format!("[{}] Votre rappel du jour : 1 échéance", self.tenant_name),
            (false, n) => format!("[{}] Vos rappels du jour : {n} échéances", self.tenant_name),
            (true, 1) => format!("[{}] Your reminder for today: 1 deadline", self.tenant_name),
            (true, n) => format!(
                "[{}] Your reminders for today: {n} deadlines",
                self.tenant_name
            ),
        };
        let lines: Vec<String> = self
            .items
            .iter()
            .map(|item| {
                let title = item.deadline_title;
                let when = local_when(item.due_at, self.zone, english);
                let phrase = due_phrase(item.kind, english);
                match (english, item.funder_name) {
                    (false, Some(funder)) => format!(
                        "« {title} » ({funder}) — {phrase}, le {when} : {}",
                        item.link
                    ),
                    (false, None) => format!("« {title} » — {phrase}, le {when} : {}", item.link),
                    (true, Some(funder)) => {
                        format!("“{title}” ({funder}) — {phrase}, on {when}: {}", item.link)
                    }
                    (true, None) => format!("“{title}” — {phrase}, on {when}: {}", item.link),
                }
            })
            .collect();
        let (greeting, action, footer) = if english {
            (
                format!("Hello {},", self.recipient_name),
                "All the deadlines",
                format!(
                    "You receive this daily digest as a member of the {} workspace on Maillage.",
                    self.tenant_name
                ),
            )
        } else {
            (
                format!("Bonjour {},", self.recipient_name),
                "Toutes les échéances",
                format!(
                    "Vous recevez ce récapitulatif quotidien en tant que membre de l'espace {} sur Maillage.",
                    self.tenant_name
                ),
            )
        };
        Layout {
            english,
            greeting: &greeting,
            lines: &lines,
            action,
            link: self.link,
            footer: &footer,
            unsubscribe: self.unsubscribe,
        }
        .render(subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(language: &str) -> ReminderContent<'static> {
        ReminderContent {
            kind: ReminderKind::Before(1),
            language: if language == "en" { "en" } else { "fr" },
            recipient_name: "Camille <Martin>",
            tenant_name: "Les Amis du Quartier",
            deadline_title: "Bilan annuel",
            funder_name: Some("Région Occitanie"),
            due_at: "2026-11-27T08:00:00Z".parse().unwrap_or_default(),
            zone: chrono_tz::Europe::Paris,
            unsubscribe: "https://maillage.example.org/unsubscribe/x/y",
            link: "https://app.example.org/t/amis/deadlines/1",
        }
    }

    #[test]
    fn french_reminders_name_the_tenant_the_deadline_and_the_local_time()
    -> Result<(), askama::Error> {
        let email = content("fr").render()?;
        assert_eq!(
            email.subject,
            "[Les Amis du Quartier] Rappel : « Bilan annuel » à rendre demain"
        );
        assert!(
            email.text.contains(
                "dû à Région Occitanie est à rendre le vendredi 27 novembre 2026 à 09:00"
            ),
            "{}",
            email.text
        );
        assert!(
            email
                .text
                .contains("https://app.example.org/t/amis/deadlines/1")
        );
        assert!(
            email
                .html
                .contains("href=\"https://app.example.org/t/amis/deadlines/1\"")
        );
        assert!(
            email.html.contains("Camille &#60;Martin&#62;")
                || email.html.contains("Camille &lt;Martin&gt;"),
            "HTML is escaped: {}",
            email.html
        );
        Ok(())
    }

    #[test]
    fn english_speakers_get_english() -> Result<(), askama::Error> {
        let email = content("en").render()?;
        assert_eq!(
            email.subject,
            "[Les Amis du Quartier] Reminder: “Bilan annuel” is due tomorrow"
        );
        assert!(
            email
                .text
                .contains("due on Friday 27 November 2026 at 09:00"),
            "{}",
            email.text
        );
        Ok(())
    }
}
