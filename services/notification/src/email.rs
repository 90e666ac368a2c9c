//! The reminder email, in the recipient's language, as HTML and plain text.

use askama::Template;
use chrono::{DateTime, Locale, Utc};
use chrono_tz::Tz;
use lettre::message::MessageBuilder;
use lettre::message::header::{HeaderName, HeaderValue};

use crate::schedule::ReminderKind;
use crate::subject::Subject;

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

/// How each subject is spoken of: the words that change from a report to a task.
struct Words {
    /// Before the title in a headline ("" for a report: its title says what it is).
    noun: &'static str,
    /// What happens on the day: "à rendre", "is due", "prend fin"…
    due: &'static str,
    /// What a late one has not been: "n'a pas été rendu", "has not been done"…
    late: &'static str,
    /// The same, a second time: "n'a toujours pas été rendu"…
    still_late: &'static str,
    /// What stops late reminders.
    to_stop: &'static str,
    /// Why the recipient gets it (for all but escalations).
    why: &'static str,
    action: &'static str,
}

fn words(subject: Subject, english: bool) -> Words {
    match (subject, english) {
        (Subject::Deadline, false) => Words {
            noun: "",
            due: "à rendre",
            late: "n'a pas été rendu",
            still_late: "n'a toujours pas été rendu",
            to_stop: "Une fois le rapport envoyé, indiquez-le dans Maillage pour arrêter ces rappels.",
            why: "êtes responsable de cette échéance",
            action: "Ouvrir l'échéance",
        },
        (Subject::Deadline, true) => Words {
            noun: "",
            due: "is due",
            late: "has not been submitted",
            still_late: "has still not been submitted",
            to_stop: "Once it is submitted, mark it as such in Maillage to stop these reminders.",
            why: "are responsible for this deadline",
            action: "Open the deadline",
        },
        (Subject::Milestone, false) => Words {
            noun: "jalon ",
            due: "prévu",
            late: "n'est pas atteint",
            still_late: "n'est toujours pas atteint",
            to_stop: "Une fois le jalon atteint, indiquez-le dans le projet pour arrêter ces rappels.",
            why: "pilotez ce projet",
            action: "Voir l'agenda",
        },
        (Subject::Milestone, true) => Words {
            noun: "milestone ",
            due: "is due",
            late: "has not been reached",
            still_late: "has still not been reached",
            to_stop: "Once it is reached, mark it as such in the project to stop these reminders.",
            why: "lead this project",
            action: "Open the agenda",
        },
        (Subject::Task, false) => Words {
            noun: "tâche ",
            due: "à faire",
            late: "n'est pas faite",
            still_late: "n'est toujours pas faite",
            to_stop: "Une fois la tâche faite, cochez-la dans Maillage pour arrêter ces rappels.",
            why: "avez créé cette tâche",
            action: "Voir l'agenda",
        },
        (Subject::Task, true) => Words {
            noun: "task ",
            due: "is due",
            late: "has not been done",
            still_late: "has still not been done",
            to_stop: "Once it is done, tick it in Maillage to stop these reminders.",
            why: "created this task",
            action: "Open the agenda",
        },
        (Subject::PartnershipEnd, false) => Words {
            noun: "partenariat ",
            due: "prend fin",
            late: "a pris fin",
            still_late: "a pris fin",
            to_stop: "",
            why: "administrez l'espace",
            action: "Voir l'agenda",
        },
        (Subject::PartnershipEnd, true) => Words {
            noun: "partnership ",
            due: "ends",
            late: "has ended",
            still_late: "has ended",
            to_stop: "",
            why: "are an administrator",
            action: "Open the agenda",
        },
        (Subject::PartnershipEvaluation, false) => Words {
            noun: "évaluation du partenariat ",
            due: "à mener",
            late: "n'a pas été enregistrée",
            still_late: "n'a toujours pas été enregistrée",
            to_stop: "Une fois l'évaluation enregistrée, indiquez la date de la suivante (ou aucune) pour arrêter ces rappels.",
            why: "administrez l'espace",
            action: "Voir l'agenda",
        },
        (Subject::PartnershipEvaluation, true) => Words {
            noun: "evaluation of partnership ",
            due: "is due",
            late: "has not been recorded",
            still_late: "has still not been recorded",
            to_stop: "Once it is recorded, set the date of the next one (or none) to stop these reminders.",
            why: "are an administrator",
            action: "Open the agenda",
        },
    }
}

impl ReminderContent<'_> {
    pub fn render(&self) -> Result<RenderedEmail, askama::Error> {
        let english = self.language == "en";
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
            unsubscribe: self.unsubscribe,
        }
        .render(subject)
    }
}

/// The sentence that says what is due, and when.
fn detail(
    subject: Subject,
    title: &str,
    context: Option<&str>,
    when: &str,
    english: bool,
) -> String {
    match (subject, english, context) {
        (Subject::Deadline, false, Some(funder)) => {
            format!("Le rapport « {title} » dû à {funder} est à rendre le {when}.")
        }
        (Subject::Deadline, false, None) => {
            format!("Le rapport « {title} » est à rendre le {when}.")
        }
        (Subject::Deadline, true, Some(funder)) => {
            format!("The report “{title}” owed to {funder} is due on {when}.")
        }
        (Subject::Deadline, true, None) => format!("The report “{title}” is due on {when}."),
        (Subject::Milestone, false, project) => format!(
            "Le jalon « {title} »{} est prévu le {when}.",
            project
                .map(|p| format!(" du projet {p}"))
                .unwrap_or_default()
        ),
        (Subject::Milestone, true, project) => format!(
            "The milestone “{title}”{} is due on {when}.",
            project
                .map(|p| format!(" of the project {p}"))
                .unwrap_or_default()
        ),
        (Subject::Task, false, _) => format!("La tâche « {title} » est à faire pour le {when}."),
        (Subject::Task, true, _) => format!("The task “{title}” is due on {when}."),
        (Subject::PartnershipEnd, false, _) => {
            format!("Le partenariat « {title} » prend fin le {when}.")
        }
        (Subject::PartnershipEnd, true, _) => format!("The partnership “{title}” ends on {when}."),
        (Subject::PartnershipEvaluation, false, _) => {
            format!("L'évaluation du partenariat « {title} » est prévue le {when}.")
        }
        (Subject::PartnershipEvaluation, true, _) => {
            format!("The evaluation of the partnership “{title}” is due on {when}.")
        }
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

/// One item of a digest.
pub struct DigestItem<'a> {
    pub kind: ReminderKind,
    pub subject: Subject,
    pub title: &'a str,
    pub context: Option<&'a str>,
    pub due_at: DateTime<Utc>,
    pub all_day: bool,
    pub link: String,
}

/// How often a member gets their digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Daily,
    Weekly,
}

/// The reminders of one member in one tenant, for the day or the week, in one email.
pub struct DigestContent<'a> {
    pub cadence: Cadence,
    pub language: &'a str,
    pub recipient_name: &'a str,
    pub tenant_name: &'a str,
    pub zone: Tz,
    pub items: &'a [DigestItem<'a>],
    /// The tenant's agenda.
    pub link: &'a str,
    pub unsubscribe: &'a str,
}

/// "à rendre demain", "prévu dans 7 jours", "en retard de 8 jours"…
fn due_phrase(subject: Subject, kind: ReminderKind, english: bool) -> String {
    let due = words(subject, english).due;
    match (english, kind) {
        (false, ReminderKind::Before(1)) => format!("{due} demain"),
        (false, ReminderKind::Before(days)) => format!("{due} dans {days} jours"),
        (false, ReminderKind::DueToday) => format!("{due} aujourd'hui"),
        (false, ReminderKind::Overdue(1)) => "en retard".into(),
        (false, ReminderKind::Overdue(days) | ReminderKind::Escalation(days)) => {
            format!("en retard de {days} jours")
        }
        (true, ReminderKind::Before(1)) => format!("{due} tomorrow"),
        (true, ReminderKind::Before(days)) => format!("{due} in {days} days"),
        (true, ReminderKind::DueToday) => format!("{due} today"),
        (true, ReminderKind::Overdue(1)) => "overdue".into(),
        (true, ReminderKind::Overdue(days) | ReminderKind::Escalation(days)) => {
            format!("{days} days overdue")
        }
    }
}

/// "vendredi 27 novembre 2026 à 09:00", or without the time for a day.
fn local_when(due_at: DateTime<Utc>, zone: Tz, all_day: bool, english: bool) -> String {
    let local = due_at.with_timezone(&zone);
    let (format, locale) = match (english, all_day) {
        (true, false) => ("%A %-d %B %Y at %H:%M", Locale::en_GB),
        (true, true) => ("%A %-d %B %Y", Locale::en_GB),
        (false, false) => ("%A %-d %B %Y à %H:%M", Locale::fr_FR),
        (false, true) => ("%A %-d %B %Y", Locale::fr_FR),
    };
    local.format_localized(format, locale).to_string()
}

impl DigestContent<'_> {
    pub fn render(&self) -> Result<RenderedEmail, askama::Error> {
        let english = self.language == "en";
        let count = self.items.len();
        let tenant = self.tenant_name;
        let subject = match (english, self.cadence, count) {
            (false, Cadence::Daily, 1) => format!("[{tenant}] Votre rappel du jour : 1 échéance"),
            (false, Cadence::Daily, n) => format!("[{tenant}] Vos rappels du jour : {n} échéances"),
            (false, Cadence::Weekly, 1) => format!("[{tenant}] Votre semaine : 1 échéance"),
            (false, Cadence::Weekly, n) => format!("[{tenant}] Votre semaine : {n} échéances"),
            (true, Cadence::Daily, 1) => format!("[{tenant}] Your reminder for today: 1 deadline"),
            (true, Cadence::Daily, n) => {
                format!("[{tenant}] Your reminders for today: {n} deadlines")
            }
            (true, Cadence::Weekly, 1) => format!("[{tenant}] Your week: 1 deadline"),
            (true, Cadence::Weekly, n) => format!("[{tenant}] Your week: {n} deadlines"),
        };
        let lines: Vec<String> = self
            .items
            .iter()
            .map(|item| {
                let title = item.title;
                let noun = capitalised(words(item.subject, english).noun);
                let when = local_when(item.due_at, self.zone, item.all_day, english);
                let phrase = due_phrase(item.subject, item.kind, english);
                let context = item.context.map(|c| format!(" ({c})")).unwrap_or_default();
                if english {
                    format!(
                        "{noun}“{title}”{context} — {phrase}, on {when}: {}",
                        item.link
                    )
                } else {
                    format!(
                        "{noun}« {title} »{context} — {phrase}, le {when} : {}",
                        item.link
                    )
                }
            })
            .collect();
        let (period_en, period_fr) = match self.cadence {
            Cadence::Daily => ("daily", "quotidien"),
            Cadence::Weekly => ("weekly", "hebdomadaire"),
        };
        let (greeting, action, footer) = if english {
            (
                format!("Hello {},", self.recipient_name),
                "Open the agenda",
                format!(
                    "You receive this {period_en} digest as a member of the {tenant} workspace on Maillage."
                ),
            )
        } else {
            (
                format!("Bonjour {},", self.recipient_name),
                "Voir l'agenda",
                format!(
                    "Vous recevez ce récapitulatif {period_fr} en tant que membre de l'espace {tenant} sur Maillage."
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

/// "jalon " → "Jalon ".
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(language: &str) -> ReminderContent<'static> {
        ReminderContent {
            kind: ReminderKind::Before(1),
            subject: Subject::Deadline,
            language: if language == "en" { "en" } else { "fr" },
            recipient_name: "Camille <Martin>",
            tenant_name: "Les Amis du Quartier",
            title: "Bilan annuel",
            context: Some("Région Occitanie"),
            due_at: "2026-11-27T08:00:00Z".parse().unwrap_or_default(),
            all_day: false,
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

    #[test]
    fn a_milestone_is_spoken_of_as_a_milestone_and_dated_by_its_day() -> Result<(), askama::Error> {
        let email = ReminderContent {
            kind: ReminderKind::Overdue(8),
            subject: Subject::Milestone,
            context: Some("Jardins partagés"),
            title: "Convention signée",
            all_day: true,
            ..content("fr")
        }
        .render()?;
        assert_eq!(
            email.subject,
            "[Les Amis du Quartier] En retard de 8 jours : jalon « Convention signée » n'est toujours pas atteint"
        );
        assert!(
            email.text.contains(
                "Le jalon « Convention signée » du projet Jardins partagés est prévu le vendredi 27 novembre 2026."
            ),
            "{}",
            email.text
        );
        assert!(email.text.contains("pilotez ce projet"), "{}", email.text);
        Ok(())
    }

    #[test]
    fn a_weekly_digest_says_so_and_names_each_kind_of_item() -> Result<(), askama::Error> {
        let due_at = "2026-11-27T11:00:00Z".parse().unwrap_or_default();
        let items = [
            DigestItem {
                kind: ReminderKind::Before(3),
                subject: Subject::Task,
                title: "Appeler la mairie",
                context: None,
                due_at,
                all_day: false,
                link: "https://app.example.org/t/amis/agenda#task-1".into(),
            },
            DigestItem {
                kind: ReminderKind::DueToday,
                subject: Subject::PartnershipEnd,
                title: "Convention CAF",
                context: None,
                due_at,
                all_day: true,
                link: "https://app.example.org/t/amis/agenda#partnership-end-2".into(),
            },
        ];
        let email = DigestContent {
            cadence: Cadence::Weekly,
            language: "fr",
            recipient_name: "Camille",
            tenant_name: "Les Amis du Quartier",
            zone: chrono_tz::Europe::Paris,
            items: &items,
            link: "https://app.example.org/t/amis/agenda",
            unsubscribe: "https://maillage.example.org/unsubscribe/x/y",
        }
        .render()?;
        assert_eq!(
            email.subject,
            "[Les Amis du Quartier] Votre semaine : 2 échéances"
        );
        assert!(
            email.text.contains("Tâche « Appeler la mairie » — à faire dans 3 jours, le vendredi 27 novembre 2026 à 12:00"),
            "{}",
            email.text
        );
        assert!(
            email.text.contains("Partenariat « Convention CAF » — prend fin aujourd'hui, le vendredi 27 novembre 2026 :"),
            "{}",
            email.text
        );
        assert!(
            email.text.contains("récapitulatif hebdomadaire"),
            "{}",
            email.text
        );
        Ok(())
    }
}
