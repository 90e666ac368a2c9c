//! A deadline moved, a series renamed, cancelled or deleted, from its pages; every
//! refused field of its form reported at once.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Stack, TestResult, created};

/// A report deadline is changed from its form: moved to another day and hour (read in
/// the tenant's zone), its funder changed; in a series, the title can be passed on to
/// the later reports, each keeping its own date.
#[tokio::test]
async fn a_deadline_is_moved_and_a_series_renamed_from_its_form() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let caf = created(
        &browser,
        "organisations",
        json!({"name": "CAF", "kind": "funder"}),
    )
    .await?;
    let response = browser
        .submit(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Bilan trimestriel"),
                ("funder_id", ""),
                ("due_date", "2027-01-15"),
                ("due_time", "12:00"),
                ("notes", ""),
                ("repeat", "quarterly"),
                ("repeat_until", "2027-12-31"),
            ],
        )
        .await?;
    let page_path = response;
    let id = page_path.rsplit('/').next().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/deadlines/{id}");
    let edit_path = format!("{page_path}/edit");
    let page = browser.page(&page_path).await?;
    assert!(page.contains(&edit_path), "the page links to its form");
    let camille: Uuid = sqlx::query_scalar(
        "select id from users where email = 'camille.martin@demo.maillage.test'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    let new_form = browser.page("/t/asso-demo/deadlines/new").await?;
    assert!(
        new_form.contains(&format!("name=\"responsible\" value=\"{camille}\" checked")),
        "a new report falls to whoever enters it: {new_form}"
    );
    // Dominique joins; the report can fall to both.
    stack
        .member_of(stack.tenant_id, "asso-demo", "dominique", "editor")
        .await?;
    let dominique: Uuid = sqlx::query_scalar(
        "select id from users where email = 'dominique.bernard@demo.maillage.test'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    let form = browser.page(&edit_path).await?;
    assert!(
        form.contains(&format!("value=\"{dominique}\">")),
        "listed, not checked: {form}"
    );
    assert!(
        form.contains("value=\"2027-01-15\"") && form.contains("value=\"12:00\""),
        "{form}"
    );
    assert!(form.contains("name=\"scope\""), "one of a series: {form}");
    assert!(
        !form.contains("name=\"repeat\""),
        "the series is not re-planned here"
    );

    let (camille, dominique) = (camille.to_string(), dominique.to_string());
    let none_responsible = [
        ("version", "1"),
        ("title", "Bilan trimestriel"),
        ("due_date", "2027-01-15"),
        ("due_time", "12:00"),
        ("responsibles_listed", "1"),
    ];
    let response = browser.post_form(&edit_path, &none_responsible).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"responsible-error\""));
    let mut fields = vec![
        ("responsibles_listed", "1"),
        ("responsible", camille.as_str()),
        ("responsible", dominique.as_str()),
        ("version", "1"),
        ("title", "Bilan d'activité trimestriel"),
        ("funder_id", caf.as_str()),
        ("due_date", "2027-01-20"),
        ("due_time", "25:00"),
        ("notes", ""),
        ("scope", "following"),
    ];
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"due_time-error\""));
    fields[7].1 = "17:30";
    browser.submit(&edit_path, &fields).await?;
    let moved = browser.read(&api_path).await?;
    assert_eq!(
        moved["due_at"], "2027-01-20T16:30:00Z",
        "Paris in winter: UTC+1"
    );
    assert_eq!(moved["funder_id"], caf.as_str());
    assert_eq!(
        moved["responsible_user_ids"].as_array().map(Vec::len),
        Some(2),
        "{moved}"
    );
    let page = browser.page(&page_path).await?;
    assert!(
        page.contains("Camille Martin") && page.contains("Dominique Bernard"),
        "{page}"
    );
    let listing = browser
        .read("/api/v1/t/asso-demo/deadlines?limit=10")
        .await?;
    let series = listing["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(series.len(), 4, "{listing}");
    for later in &series[1..] {
        assert_eq!(later["title"], "Bilan d'activité trimestriel", "{later}");
        assert_eq!(later["funder_id"], caf.as_str());
    }
    assert_eq!(
        series[1]["due_at"], "2027-04-15T10:00:00Z",
        "each keeps its date"
    );

    // A form made before that change is stale: it says what is stored now.
    fields[4].1 = "Bilan";
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(
        html.contains("actuellement enregistré : « Bilan d"),
        "{html}"
    );
    assert!(html.contains("name=\"version\" value=\"2\""), "{html}");
    Ok(())
}

/// A form sent empty names every field it refuses at once, those the page reads itself
/// (a date) and those core-records checks (a title), in a banner that links to each;
/// nothing is written.
#[tokio::test]
async fn every_refused_field_is_reported_at_once_and_listed_with_links() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let empty = [
        ("title", ""),
        ("due_date", ""),
        ("due_time", "12:00"),
        ("repeat", "quarterly"),
        ("repeat_until", ""),
    ];
    let response = browser
        .post_form("/t/asso-demo/deadlines/new", &empty)
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await?;
    for (field, label) in [
        ("title", "Rapport attendu : est obligatoire"),
        ("due_date", "À rendre le : indiquez une date"),
        ("repeat_until", "Répéter jusqu"),
    ] {
        assert!(
            page.contains(&format!("<li><a href=\"#{field}\">{label}")),
            "the banner links to {field}: {page}"
        );
        assert!(
            page.contains(&format!("id=\"{field}-error\"")),
            "{field} says it beside itself"
        );
    }
    // An edit too: a date the page cannot read and a title emptied, both at once, and
    // the record unchanged.
    let id = created(
        &browser,
        "deadlines",
        json!({"title": "Bilan", "due_at": "2027-03-31T15:00:00Z"}),
    )
    .await?;
    let response = browser
        .post_form(
            &format!("/t/asso-demo/deadlines/{id}/edit"),
            &[
                ("version", "1"),
                ("title", " "),
                ("due_date", "31/02/2027"),
                ("due_time", "17:00"),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await?;
    assert!(page.contains("<a href=\"#title\">"), "{page}");
    assert!(page.contains("<a href=\"#due_date\">"), "{page}");
    let stored = browser
        .read(&format!("/api/v1/t/asso-demo/deadlines/{id}"))
        .await?;
    assert_eq!(
        (stored["title"].as_str(), stored["version"].as_i64()),
        (Some("Bilan"), Some(1)),
        "a refused form writes nothing"
    );
    let deadlines: i64 = sqlx::query_scalar("select count(*) from reporting_deadlines")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(deadlines, 1, "the empty form made nothing");
    Ok(())
}

/// A deadline no longer owed is cancelled with its reason (and can be reopened); one
/// entered by mistake is deleted after a confirmation, with the rest of its series if
/// asked; a quarterly series kept on working days moves a Saturday to the Friday.
#[tokio::test]
async fn a_deadline_is_cancelled_with_a_reason_or_deleted_and_a_series_skips_days_off() -> TestResult
{
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    // Monthly from Friday 30 April 2027, kept on working days.
    let series_page = browser
        .submit(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Point mensuel"),
                ("due_date", "2027-04-30"),
                ("due_time", "17:00"),
                ("repeat", "monthly"),
                ("repeat_until", "2027-07-31"),
                ("working_days", "1"),
            ],
        )
        .await?;
    let first = series_page
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let stored = browser
        .read(&format!("/api/v1/t/asso-demo/deadlines/{first}"))
        .await?;
    let series = stored["series_id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(stored["working_days"], json!(true));
    let listed = browser
        .read(&format!("/api/v1/t/asso-demo/deadlines?series_id={series}"))
        .await?;
    let days: Vec<&str> = listed["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|d| d["due_at"].as_str())
                .map(|at| &at[..10])
                .collect()
        })
        .unwrap_or_default();
    // 30 May 2027 is a Sunday: the Friday before.
    assert_eq!(
        days,
        ["2027-04-30", "2027-05-28", "2027-06-30", "2027-07-30"]
    );

    // Cancelled with a reason, then reopened: the reason goes with the status.
    let status_path = format!("{series_page}/status");
    let refused = browser
        .post_form(&status_path, &[("status", "waived"), ("version", "1")])
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await?
            .contains("<a href=\"#waiver_reason\">")
    );
    browser
        .submit(
            &status_path,
            &[
                ("status", "waived"),
                ("version", "1"),
                ("waiver_reason", "Convention non renouvelée"),
            ],
        )
        .await?;
    let page = browser.page(&series_page).await?;
    assert!(page.contains("Convention non renouvelée"), "{page}");
    assert!(page.contains("Rouvrir"), "{page}");
    browser
        .submit(&status_path, &[("status", "upcoming"), ("version", "2")])
        .await?;
    let stored = browser
        .read(&format!("/api/v1/t/asso-demo/deadlines/{first}"))
        .await?;
    assert_eq!(stored["waiver_reason"], json!(null));

    // Deleting asks first (this one or the following ones too), then deletes.
    let delete_path = format!("{series_page}/delete");
    let asked = browser.post_form(&delete_path, &[]).await?;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await?;
    assert!(
        asked.contains("name=\"scope\" value=\"following\""),
        "{asked}"
    );
    let second = listed["items"][1]["id"].as_str().unwrap_or_default();
    let gone = browser
        .submit(
            &format!("/t/asso-demo/deadlines/{second}/delete"),
            &[("confirmed", "1"), ("scope", "following")],
        )
        .await?;
    assert_eq!(gone, "/t/asso-demo/deadlines");
    let left = browser
        .read(&format!("/api/v1/t/asso-demo/deadlines?series_id={series}"))
        .await?;
    assert_eq!(left["items"].as_array().map(Vec::len), Some(1));
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where record_type = 'deadline' and action = 'delete'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(audited, 3, "each deletion is in the audit log");
    Ok(())
}
