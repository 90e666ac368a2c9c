//! The workspace's settings: admins change its name, language and time zone, every
//! refused field said at once; a new time zone plans every reminder again; others read.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

const PAGE: &str = "/t/asso-demo/settings";

#[tokio::test]
async fn admins_change_the_name_language_and_time_zone_and_reminders_follow() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "admin")
        .await?;
    created(
        &camille,
        "deadlines",
        json!({"title": "Bilan annuel", "due_at": "2030-06-30T17:00:00+02:00"}),
    )
    .await?;

    // An editor reads them, and cannot change them.
    let page = camille.page(PAGE).await?;
    assert!(
        page.contains("<fieldset disabled>") && page.contains("/settings/sign-in"),
        "{page}"
    );
    assert_eq!(
        camille
            .post_form(
                PAGE,
                &[
                    ("name", "Pris"),
                    ("locale", "fr-FR"),
                    ("time_zone", "Europe/Paris")
                ]
            )
            .await?
            .status(),
        StatusCode::FORBIDDEN
    );

    // Every refused field at once, what was typed kept.
    let refused = sacha
        .post_form(
            PAGE,
            &[
                ("name", " "),
                ("locale", "de-DE"),
                ("time_zone", "Mars/Olympus"),
            ],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await?;
    for field in ["name-error", "locale-error", "time_zone-error"] {
        assert!(html.contains(field), "{field}");
    }
    assert!(html.contains("value=\"Mars/Olympus\""));

    let outbox_before = stack.db.count("outbox").await?;
    let saved = sacha
        .submit(
            PAGE,
            &[
                ("name", "Les Amis de Cayenne"),
                ("locale", "fr-FR"),
                ("time_zone", "America/Cayenne"),
            ],
        )
        .await?;
    assert_eq!(saved, format!("{PAGE}?saved=1"));
    assert!(
        sacha
            .page("/t/asso-demo/")
            .await?
            .contains("Les Amis de Cayenne")
    );
    assert!(
        stack.db.count("outbox").await? > outbox_before,
        "the deadline's reminders are planned again under the new zone"
    );
    let settings = sacha.read("/api/v1/t/asso-demo/settings/workspace").await?;
    assert_eq!(settings["time_zone"], "America/Cayenne", "{settings}");
    let (status, _) = sacha
        .api(
            Method::PATCH,
            "/api/v1/t/asso-demo/settings/workspace",
            Some(json!({"slug": "autre"})),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the address is not a setting"
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where record_type = 'workspace' and after->>'time_zone' = 'America/Cayenne'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(audited, 1);
    Ok(())
}
