use super::*;
use crate::schedule::ReminderKind;
use crate::subject::Subject;

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
fn french_reminders_name_the_tenant_the_deadline_and_the_local_time() -> Result<(), askama::Error> {
    let email = content("fr").render()?;
    assert_eq!(
        email.subject,
        "[Les Amis du Quartier] Rappel : « Bilan annuel » à rendre demain"
    );
    assert!(
        email
            .text
            .contains("dû à Région Occitanie est à rendre le vendredi 27 novembre 2026 à 09:00"),
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
        email.text.contains(
            "Partenariat « Convention CAF » — prend fin aujourd'hui, le vendredi 27 novembre 2026 :"
        ),
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
