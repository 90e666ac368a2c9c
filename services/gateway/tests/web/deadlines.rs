//! A deadline moved, a series renamed, from its form.

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
