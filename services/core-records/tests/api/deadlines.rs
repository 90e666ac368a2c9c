//! Reporting deadlines: the outbox, lateness, what they report on, series, who answers
//! for them.

use maillage_domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, each, id_of};

#[tokio::test]
async fn a_deadline_change_is_announced_in_the_outbox_and_lateness_follows_the_clock() -> TestResult
{
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let (status, past) = app
        .post(
            &editor,
            "/v1/deadlines",
            json!({"title": "Rapport 2025", "due_at": "2025-01-31T18:00:00+01:00"}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{past}");
    assert_eq!(past["status"], "late");
    assert_eq!(
        past["responsible_user_ids"],
        json!([editor.user_id]),
        "the author answers for it unless someone else is named"
    );

    let path = format!("/v1/deadlines/{}", id_of(&past));
    let (status, submitted) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"status": "submitted", "submission_reference": "DEP-42"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    assert!(submitted["submitted_at"].is_string());

    let (status, _) = app
        .patch(&editor, &path, "\"2\"", json!({"status": "late"}))
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "late is computed, never set"
    );

    let late = app.read(&editor, "/v1/deadlines?status=late").await?;
    assert_eq!(late["items"], json!([]));
    let done = app.read(&editor, "/v1/deadlines?status=submitted").await?;
    assert_eq!(done["items"].as_array().map(Vec::len), Some(1));

    let (status, _) = app.delete(&editor, &path).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let events: Vec<(String, Uuid)> =
        sqlx::query_as("select topic, aggregate_id from outbox order by created_at, id")
            .fetch_all(&app.db.owner)
            .await?;
    let expected_id: Uuid = id_of(&past).parse()?;
    assert_eq!(
        events.len(),
        3,
        "create, update and delete each announce themselves"
    );
    assert!(
        events
            .iter()
            .all(|(topic, id)| topic == "deadline.changed" && *id == expected_id)
    );
    Ok(())
}

#[tokio::test]
async fn a_deadline_names_the_project_or_partnership_it_reports_on() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let project = app
        .create(&editor, "/v1/projects", json!({"name": "Jardins partagés"}))
        .await?;
    let deadline = app.create(&editor, "/v1/deadlines", json!({"title": "Bilan intermédiaire", "due_at": "2030-03-31T17:00:00+02:00", "project_id": project["id"]})).await?;
    assert_eq!(deadline["project_name"], "Jardins partagés");
    let (status, problem) = app
        .post(
            &other,
            "/v1/deadlines",
            json!({"title": "Vol", "due_at": "2030-03-31T17:00:00Z", "project_id": project["id"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "project_id");
    let (status, unlinked) = app
        .patch(
            &editor,
            &format!("/v1/deadlines/{}", id_of(&deadline)),
            "\"1\"",
            json!({"project_id": null}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{unlinked}");
    assert_eq!(unlinked["project_id"], Value::Null);
    Ok(())
}

#[tokio::test]
async fn a_quarterly_report_is_a_series_whose_occurrences_each_have_their_own_status() -> TestResult
{
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    // 31 March 2027, 17:00 in Paris, every quarter until the end of the year.
    let first = app
        .create(
            &editor,
            "/v1/deadlines",
            json!({
            "title": "Rapport trimestriel", "due_at": "2027-03-31T17:00:00+02:00",
            "recurrence": {"frequency": "quarterly", "until": "2027-12-31"}}),
        )
        .await?;
    assert_eq!(first["occurrence"], 1);
    assert_eq!(first["recurrence"], "quarterly");
    let series = first["series_id"].as_str().unwrap_or_default().to_owned();
    let listed = app
        .read(&editor, &format!("/v1/deadlines?series_id={series}"))
        .await?;
    let due: Vec<&str> = each(&listed["items"], "due_at");
    assert_eq!(
        due,
        [
            "2027-03-31T15:00:00Z",
            "2027-06-30T15:00:00Z",
            "2027-09-30T15:00:00Z",
            // Winter time: 17:00 in Paris is 16:00 UTC.
            "2027-12-31T16:00:00Z"
        ]
    );
    let events: i64 = sqlx::query_scalar("select count(*) from outbox")
        .fetch_one(&app.db.owner)
        .await?;
    assert_eq!(events, 4, "each occurrence is announced, to be reminded of");

    // Submitting the first leaves the others to do.
    let (status, submitted) = app
        .patch(
            &editor,
            &format!("/v1/deadlines/{}", id_of(&first)),
            "\"1\"",
            json!({"status": "submitted"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    let upcoming = app
        .read(
            &editor,
            &format!("/v1/deadlines?series_id={series}&status=upcoming"),
        )
        .await?;
    assert_eq!(upcoming["items"].as_array().map(Vec::len), Some(3));

    // Renaming the second "and the following" renames the third and fourth, not the first.
    let second = &listed["items"][1];
    let (status, _) = app
        .patch(
            &editor,
            &format!("/v1/deadlines/{}?scope=following", id_of(second)),
            "\"1\"",
            json!({"title": "Rapport à la Région"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let renamed = app
        .read(&editor, &format!("/v1/deadlines?series_id={series}"))
        .await?;
    let titles: Vec<&str> = each(&renamed["items"], "title");
    assert_eq!(
        titles,
        [
            "Rapport trimestriel",
            "Rapport à la Région",
            "Rapport à la Région",
            "Rapport à la Région"
        ]
    );

    // Deleting the third "and the following" ends the series there.
    let third = &listed["items"][2];
    let (status, _) = app
        .delete(
            &editor,
            &format!("/v1/deadlines/{}?scope=following", id_of(third)),
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let left = app
        .read(&editor, &format!("/v1/deadlines?series_id={series}"))
        .await?;
    assert_eq!(left["items"].as_array().map(Vec::len), Some(2));
    let deletions: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'delete' and record_type = 'deadline'",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(deletions, 2, "each deleted occurrence is in the audit log");
    Ok(())
}

#[tokio::test]
async fn a_bad_recurrence_names_its_field_and_writes_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for (recurrence, field) in [
        (
            json!({"frequency": "weekly", "count": 4}),
            "recurrence.frequency",
        ),
        (json!({"frequency": "monthly"}), "recurrence"),
        (
            json!({"frequency": "monthly", "count": 1000}),
            "recurrence.count",
        ),
        (
            json!({"frequency": "monthly", "until": "2060-01-01"}),
            "recurrence.until",
        ),
        (
            json!({"frequency": "dates", "dates": []}),
            "recurrence.dates",
        ),
    ] {
        let (status, problem) = app.post(&editor, "/v1/deadlines", json!({
                "title": "Rapport", "due_at": "2027-03-31T17:00:00+02:00", "recurrence": recurrence}))
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    assert_eq!(app.db.count("reporting_deadlines").await?, 0);
    assert_eq!(app.db.count("deadline_series").await?, 0);
    Ok(())
}

#[tokio::test]
async fn several_members_answer_for_a_deadline_and_only_members_can() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let colleague = app.member_of(editor.tenant_id, Role::Viewer).await?;
    let outsider = app.actor("asso-b", Role::Editor).await?;
    let deadline = app
        .create(
            &editor,
            "/v1/deadlines",
            json!({
            "title": "Bilan annuel", "due_at": "2027-06-30T17:00:00+02:00",
            "responsible_user_ids": [editor.user_id, colleague.user_id]}),
        )
        .await?;
    let mut expected = [editor.user_id, colleague.user_id];
    expected.sort();
    assert_eq!(deadline["responsible_user_ids"], json!(expected));

    let mine = app
        .read(
            &editor,
            &format!("/v1/deadlines?responsible_user_id={}", colleague.user_id),
        )
        .await?;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));

    let path = format!("/v1/deadlines/{}", id_of(&deadline));
    for (ids, why) in [
        (json!([outsider.user_id]), "a member of another tenant"),
        (json!([]), "no one"),
    ] {
        let (status, problem) = app
            .patch(
                &editor,
                &path,
                "\"1\"",
                json!({"responsible_user_ids": ids}),
            )
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "responsible_user_ids");
    }
    let (status, handed_over) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"responsible_user_ids": [colleague.user_id]}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{handed_over}");
    assert_eq!(
        handed_over["responsible_user_ids"],
        json!([colleague.user_id])
    );
    let audited: Value = sqlx::query_scalar(
        "select before -> 'responsible_user_ids' from audit_log where action = 'update'",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(
        audited,
        json!(expected),
        "the audit log keeps who answered before"
    );
    Ok(())
}
