//! The reminder policy and each member's choice of how to be reminded.

use maillage_domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, id_of};

#[tokio::test]
async fn admins_set_the_reminder_policy_and_every_upcoming_deadline_is_planned_again() -> TestResult
{
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;
    let editor = app.member_of(admin.tenant_id, Role::Editor).await?;
    let deadline = app
        .create(
            &editor,
            "/v1/deadlines",
            json!({"title": "Bilan", "due_at": "2030-06-30T17:00:00+02:00"}),
        )
        .await?;

    let defaults = app.read(&editor, "/v1/reminder-policy").await?;
    assert_eq!(defaults["days_before"], json!([30, 7, 1]));
    assert_eq!(defaults["overdue_every_days"], 7);
    assert_eq!(defaults["escalate_after_days"], 14);
    assert_eq!(defaults["quiet_hours_start"], "20:00:00");
    assert_eq!(
        defaults["version"], 1,
        "every tenant starts with the defaults"
    );

    let change =
        json!({"days_before": [3, 15], "escalate_after_days": null, "send_at": "09:30:00"});
    let (status, _) = app
        .patch(&editor, "/v1/reminder-policy", "\"1\"", change.clone())
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "editors do not set the policy"
    );
    for (bad, field) in [
        (json!({"days_before": [0]}), "days_before"),
        (json!({"overdue_every_days": 400}), "overdue_every_days"),
        (json!({"escalate_after_days": 0}), "escalate_after_days"),
    ] {
        let (status, problem) = app
            .patch(&admin, "/v1/reminder-policy", "\"1\"", bad)
            .await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let events_before: i64 = sqlx::query_scalar("select count(*) from outbox")
        .fetch_one(&app.db.owner)
        .await?;
    let (status, policy) = app
        .patch(&admin, "/v1/reminder-policy", "\"1\"", change.clone())
        .await?;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(policy["days_before"], json!([15, 3]));
    assert_eq!(policy["escalate_after_days"], Value::Null);
    assert_eq!(policy["send_at"], "09:30:00");
    assert_eq!(policy["version"], 2);
    let (status, _) = app
        .patch(&admin, "/v1/reminder-policy", "\"1\"", change)
        .await?;
    assert_eq!(status, StatusCode::CONFLICT, "a stale version is refused");

    let replanned: Vec<Uuid> =
        sqlx::query_scalar("select aggregate_id from outbox order by created_at, id offset $1")
            .bind(events_before)
            .fetch_all(&app.db.owner)
            .await?;
    assert_eq!(
        replanned,
        [id_of(&deadline).parse::<Uuid>()?],
        "the deadline is planned again"
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where record_type = 'reminder_policy' and before is not null and after is not null",
    )
    .fetch_one(&app.db.owner)
    .await?;
    assert_eq!(audited, 1);
    Ok(())
}

#[tokio::test]
async fn each_member_chooses_how_they_are_reminded() -> TestResult {
    let app = TestApp::spawn().await?;
    let viewer = app.actor("asso-a", Role::Viewer).await?;
    let defaults = app.read(&viewer, "/v1/notification-preferences").await?;
    assert_eq!(defaults, json!({"mode": "each", "version": 0}));
    let (status, problem) = app
        .patch(
            &viewer,
            "/v1/notification-preferences",
            "\"0\"",
            json!({"mode": "hourly"}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "mode");
    // Even a viewer sets their own.
    let (status, daily) = app
        .patch(
            &viewer,
            "/v1/notification-preferences",
            "\"0\"",
            json!({"mode": "daily"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{daily}");
    assert_eq!(daily, json!({"mode": "daily", "version": 1}));
    let (status, _) = app
        .patch(
            &viewer,
            "/v1/notification-preferences",
            "\"0\"",
            json!({"mode": "off"}),
        )
        .await?;
    assert_eq!(status, StatusCode::CONFLICT);
    // Someone else's choice is their own.
    let colleague = app.member_of(viewer.tenant_id, Role::Editor).await?;
    let theirs = app.read(&colleague, "/v1/notification-preferences").await?;
    assert_eq!(theirs["mode"], "each");
    Ok(())
}
