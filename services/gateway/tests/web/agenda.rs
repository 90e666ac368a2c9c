//! The agenda as a month: each day with what falls on it, every entry linked to its
//! record, the months before and after a link away.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

#[tokio::test]
async fn the_agenda_shows_a_month_with_every_entry_linked_to_its_record() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let report = created(
        &browser,
        "deadlines",
        json!({"title": "Compte rendu financier", "due_at": "2027-06-30T15:00:00Z"}),
    )
    .await?;
    let submitted = created(
        &browser,
        "deadlines",
        json!({"title": "Bilan intermédiaire", "due_at": "2027-06-07T08:00:00Z"}),
    )
    .await?;
    let (status, done) = browser
        .change(
            &format!("/api/v1/t/asso-demo/deadlines/{submitted}"),
            "1",
            json!({"status": "submitted"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{done}");
    let project = created(
        &browser,
        "projects",
        json!({"name": "Jardins partagés",
        "milestones": [{"title": "Inauguration", "due_on": "2027-06-12"}]}),
    )
    .await?;
    created(
        &browser,
        "deadlines",
        json!({"title": "Rapport de juillet", "due_at": "2027-07-15T10:00:00Z"}),
    )
    .await?;

    let list = browser.page("/t/asso-demo/agenda").await?;
    assert!(
        list.contains("href=\"/t/asso-demo/agenda/month\">Vue par mois</a>"),
        "{list}"
    );
    let page = browser
        .page("/t/asso-demo/agenda/month?month=2027-06")
        .await?;
    for shown in [
        "Agenda · juin 2027",
        // Paris time, on its day, linked to its record.
        &format!(
            "<span class=\"time\">17:00</span> <span class=\"muted\">Rapport</span> <a href=\"/t/asso-demo/deadlines/{report}\">Compte rendu financier</a>"
        ),
        &format!("<a href=\"/t/asso-demo/projects/{project}\">Inauguration</a>"),
        // Done, it still shows on its day.
        "Bilan intermédiaire</a> <span class=\"status\">Fait</span>",
        "aria-label=\"mercredi 30 juin\"",
        "href=\"?month=2027-05\" rel=\"prev\"",
        "href=\"?month=2027-07\" rel=\"next\"",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(!page.contains("Rapport de juillet"), "another month's");
    // June 2027 begins on a Tuesday: the grid starts on Monday 31 May.
    let first_cell = page.split("<tbody>").nth(1).unwrap_or_default();
    assert!(
        first_cell
            .trim_start()
            .starts_with("<tr>\n<td class=\"other-month quiet\">"),
        "{first_cell}"
    );

    let response = browser.get("/t/asso-demo/agenda/month?month=juin").await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("AAAA-MM"));
    Ok(())
}
