//! How things are said: the words of each subject, the due phrase, dates in the
//! recipient's language.

use chrono::{DateTime, Locale, Utc};
use chrono_tz::Tz;

use crate::schedule::ReminderKind;
use crate::subject::Subject;

/// How each subject is spoken of: the words that change from a report to a task.
pub(super) struct Words {
    /// Before the title in a headline ("" for a report: its title says what it is).
    pub(super) noun: &'static str,
    /// What happens on the day: "à rendre", "is due", "prend fin"…
    pub(super) due: &'static str,
    /// What a late one has not been: "n'a pas été rendu", "has not been done"…
    pub(super) late: &'static str,
    /// The same, a second time: "n'a toujours pas été rendu"…
    pub(super) still_late: &'static str,
    /// What stops late reminders.
    pub(super) to_stop: &'static str,
    /// Why the recipient gets it (for all but escalations).
    pub(super) why: &'static str,
    pub(super) action: &'static str,
}

pub(super) fn words(subject: Subject, english: bool) -> Words {
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

/// The sentence that says what is due, and when.
pub(super) fn detail(
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

/// "à rendre demain", "prévu dans 7 jours", "en retard de 8 jours"…
pub(super) fn due_phrase(subject: Subject, kind: ReminderKind, english: bool) -> String {
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
pub(super) fn local_when(due_at: DateTime<Utc>, zone: Tz, all_day: bool, english: bool) -> String {
    let local = due_at.with_timezone(&zone);
    let (format, locale) = match (english, all_day) {
        (true, false) => ("%A %-d %B %Y at %H:%M", Locale::en_GB),
        (true, true) => ("%A %-d %B %Y", Locale::en_GB),
        (false, false) => ("%A %-d %B %Y à %H:%M", Locale::fr_FR),
        (false, true) => ("%A %-d %B %Y", Locale::fr_FR),
    };
    local.format_localized(format, locale).to_string()
}

/// "jalon " → "Jalon ".
pub(super) fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
