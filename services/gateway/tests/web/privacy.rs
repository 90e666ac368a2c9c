//! A person's rights from the pages: their consent's history on their page, the copy of
//! their data to print or download, their erasure previewed, refused unconfirmed, then
//! done. Admins only: an editor is offered neither and refused both.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

#[tokio::test]
async fn an_admin_hands_out_a_persons_data_then_erases_them() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let id = created(
        &camille,
        "people",
        json!({"given_name": "Inès", "family_name": "Quérard", "email": "ines.querard@exemple.org",
               "email_consent": true, "consent_basis": "consent", "consent_on": "2026-02-01"}),
    )
    .await?;
    let person = format!("/t/asso-demo/people/{id}");
    let version = camille
        .read(&format!("/api/v1/t/asso-demo/people/{id}"))
        .await?["version"]
        .to_string();
    let (status, changed) = camille
        .change(
            &format!("/api/v1/t/asso-demo/people/{id}"),
            &version,
            json!({"email_consent": false}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{changed}");

    let html = camille.page(&person).await?;
    assert!(html.contains("Historique du consentement"), "{html}");
    assert!(html.contains("Consentement de la personne"), "{html}");
    assert!(
        !html.contains("/erasure"),
        "an editor is not offered the erasure"
    );
    let refused = camille.get(&format!("{person}/personal-data")).await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = camille
        .post_form(&format!("{person}/erasure"), &[("confirmed", "1")])
        .await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "admin")
        .await?;
    let html = sacha.page(&person).await?;
    assert!(html.contains(&format!("{person}/personal-data")), "{html}");
    let copy = sacha.page(&format!("{person}/personal-data")).await?;
    assert!(copy.contains("Personal data: Inès Quérard"), "{copy}");
    assert!(copy.contains("ines.querard@exemple.org"));
    assert!(copy.contains("Consent history"));
    let download = sacha
        .get(&format!("/api/v1/t/asso-demo/people/{id}/personal-data"))
        .await?;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment")),
    );

    let preview = sacha.page(&format!("{person}/erasure")).await?;
    assert!(preview.contains("Erase Inès Quérard?"), "{preview}");
    let unconfirmed = sacha.post_form(&format!("{person}/erasure"), &[]).await?;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed
            .text()
            .await?
            .contains("Tick this box to erase.")
    );
    assert_eq!(
        sacha.get(&person).await?.status(),
        StatusCode::OK,
        "nothing erased yet"
    );

    let back = sacha
        .submit(&format!("{person}/erasure"), &[("confirmed", "1")])
        .await?;
    assert_eq!(back, "/t/asso-demo/people?erased=1");
    assert!(
        sacha
            .page(&back)
            .await?
            .contains("The person has been erased")
    );
    assert_eq!(sacha.get(&person).await?.status(), StatusCode::NOT_FOUND);
    let (_, found) = sacha
        .api(
            reqwest::Method::GET,
            "/api/v1/t/asso-demo/search?q=Quérard",
            None,
        )
        .await?;
    assert_eq!(found["items"], json!([]), "{found}");
    Ok(())
}

#[tokio::test]
async fn an_admin_tries_a_retention_period_then_schedules_it() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let refused = camille.get("/t/asso-demo/settings/retention").await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let id = created(
        &camille,
        "people",
        json!({"given_name": "Oublié", "family_name": "Depuis-Longtemps"}),
    )
    .await?;
    sqlx::query("update people set updated_at = now() - interval '6 years' where id = $1::uuid")
        .bind(&id)
        .execute(&stack.db.owner)
        .await?;

    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "admin")
        .await?;
    let html = sacha.page("/t/asso-demo/settings/retention").await?;
    assert!(
        html.contains("No rule: the workspace keeps people"),
        "{html}"
    );
    let tried = sacha
        .page("/t/asso-demo/settings/retention?years=5")
        .await?;
    assert!(tried.contains("Oublié Depuis-Longtemps"), "{tried}");
    let wrong = sacha.get("/t/asso-demo/settings/retention?years=0").await?;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await?.contains("between 1 and 30"));

    let back = sacha
        .submit("/t/asso-demo/settings/retention", &[("years", "5")])
        .await?;
    assert_eq!(back, "/t/asso-demo/settings/retention?saved=1");
    let html = sacha.page(&back).await?;
    assert!(
        html.contains("People with no activity for 5 years are shown below, but not erased."),
        "{html}"
    );
    sacha
        .submit(
            "/t/asso-demo/settings/retention",
            &[("years", "5"), ("purge_scheduled", "1")],
        )
        .await?;
    let html = sacha.page("/t/asso-demo/settings/retention").await?;
    assert!(
        html.contains("People with no activity for 5 years are erased every day."),
        "{html}"
    );
    let rule = sacha.read("/api/v1/t/asso-demo/retention").await?;
    assert_eq!(rule["inactive_years"], 5);
    assert_eq!(rule["purge_scheduled"], true);

    // The register of processing says so, among the rest, all in sacha's English:
    // its headings and what core-records draws from the workspace.
    let register = sacha.page("/t/asso-demo/settings/register").await?;
    for words in [
        "Record of processing",
        "5 years without any activity, then erasure",
        "Contacts and partner network management",
        "Each workspace is isolated in the database",
    ] {
        assert!(register.contains(words), "{words}: {register}");
    }
    assert!(
        !register.contains("personne(s)") && !register.contains("Gestion des contacts"),
        "French left in the register: {register}"
    );
    let refused = camille.get("/t/asso-demo/settings/register").await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    Ok(())
}
