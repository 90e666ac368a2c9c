//! The day's or the week's reminders of one member, in one email.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::schedule::ReminderKind;
use crate::subject::Subject;

use super::RenderedEmail;
use super::layout::Layout;
use super::words::{capitalised, due_phrase, local_when, words};

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

impl DigestContent<'_> {
    pub fn render(&self) -> Result<RenderedEmail, askama::Error> {
        let english = self.language.starts_with("en");
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
            unsubscribe: Some(self.unsubscribe),
        }
        .render(subject)
    }
}
