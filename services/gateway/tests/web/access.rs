//! Who may do what from the pages: another site's writes, viewers and editors, another
//! workspace's records.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{Stack, TestResult};

#[tokio::test]
async fn writes_from_another_site_are_refused() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let response = browser
        .http
        .post(format!("{}/t/asso-demo/people/new", stack.base))
        .header(header::ORIGIN, "https://evil.example")
        .form(&[("family_name", "Intrus")])
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stack.db.count("people").await?, 0);
    Ok(())
}

#[tokio::test]
async fn viewers_read_editors_write_and_only_admins_manage_members() -> TestResult {
    let stack = Stack::start().await?;
    for (email, role) in [
        ("dominique.bernard@demo.maillage.test", "admin"),
        ("sacha.petit@demo.maillage.test", "viewer"),
    ] {
        sqlx::query("insert into invitations (tenant_id, email, role) values ($1, $2, $3)")
            .bind(stack.tenant_id)
            .bind(email)
            .bind(role)
            .execute(&stack.db.owner)
            .await?;
    }
    let (camille, dominique, sacha) = (stack.browser()?, stack.browser()?, stack.browser()?);
    camille.login("camille", "/t/asso-demo/").await?;
    dominique.login("dominique", "/t/asso-demo/").await?;
    sacha.login("sacha", "/t/asso-demo/").await?;
    let person = Some(json!({"family_name": "Vincent"}));

    let (status, _) = sacha
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            person.clone(),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer cannot write");
    let (status, _) = sacha
        .api(reqwest::Method::GET, "/api/v1/t/asso-demo/people", None)
        .await?;
    assert_eq!(status, StatusCode::OK, "but reads");
    let (status, _) = camille
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            person.clone(),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "an editor writes");

    let invitation = Some(json!({"email": "nouveau@exemple.fr", "role": "editor"}));
    let (status, _) = camille
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/members/invitations",
            invitation.clone(),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an editor cannot manage members"
    );
    let (status, invited) = dominique
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/members/invitations",
            invitation,
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "an admin invites: {invited}");
    let (status, _) = dominique
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/members/invitations",
            Some(json!({"email": "chef@exemple.fr", "role": "owner"})),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "only owners make owners");

    let members = sacha.read("/api/v1/t/asso-demo/members").await?;
    let camille_id = members["members"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["email"] == "camille.martin@demo.maillage.test")
        .and_then(|m| m["user_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        members["pending_invitations"][0]["email"],
        "nouveau@exemple.fr"
    );
    let (status, changed) = dominique
        .api(
            reqwest::Method::PATCH,
            &format!("/api/v1/t/asso-demo/members/{camille_id}"),
            Some(json!({"role": "viewer"})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{changed}");
    let (status, _) = camille
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/people", person)
        .await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the new role applies at once"
    );
    let (status, _) = dominique
        .api(
            reqwest::Method::DELETE,
            &format!("/api/v1/t/asso-demo/members/{camille_id}"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        camille.get("/t/asso-demo/").await?.status(),
        StatusCode::NOT_FOUND,
        "removed: the workspace is gone for her"
    );
    // Every change is in the tenant's audit log, with who did it, before and after.
    let audited: Vec<(String, String, Option<Value>, Option<Value>)> = sqlx::query_as(
        "select action, record_type, before, after from audit_log \
         where record_type in ('member', 'invitation') order by at, id",
    )
    .fetch_all(&stack.db.owner)
    .await?;
    let summary: Vec<(&str, &str)> = audited
        .iter()
        .map(|(action, record, _, _)| (action.as_str(), record.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("create", "invitation"),
            ("update", "member"),
            ("delete", "member")
        ]
    );
    assert_eq!(
        audited[1].2.as_ref().map(|b| b["role"].clone()),
        Some(json!("editor"))
    );
    assert_eq!(
        audited[1].3.as_ref().map(|a| a["role"].clone()),
        Some(json!("viewer"))
    );
    Ok(())
}

/// Someone who belongs to two workspaces reaches, through one workspace's pages, none of
/// the other's records: every form that reads or writes a record answers 404 and
/// changes nothing.
#[tokio::test]
async fn no_form_reaches_another_workspaces_records() -> TestResult {
    let stack = Stack::start().await?;
    let other = stack.db.create_tenant("autre-asso").await?;
    stack
        .db
        .invite(other, "camille.martin@demo.maillage.test", "editor")
        .await?;
    let browser = stack.editor().await?;
    let mut theirs = std::collections::HashMap::new();
    for (collection, body) in [
        ("people", json!({"family_name": "Secret"})),
        ("organisations", json!({"name": "Secret", "kind": "funder"})),
        ("projects", json!({"name": "Secret"})),
        (
            "deadlines",
            json!({"title": "Secret", "due_at": "2027-01-15T11:00:00Z"}),
        ),
    ] {
        let (status, created) = browser
            .api(
                reqwest::Method::POST,
                &format!("/api/v1/t/autre-asso/{collection}"),
                Some(body),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{collection}: {created}");
        theirs.insert(
            collection,
            created["id"].as_str().unwrap_or_default().to_owned(),
        );
    }
    let (status, created) = browser
        .api(reqwest::Method::POST, "/api/v1/t/autre-asso/partnerships",
            Some(json!({"title": "Secret", "kind": "funding", "partners": [{"organisation_id": theirs["organisations"]}]})))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    theirs.insert(
        "partnerships",
        created["id"].as_str().unwrap_or_default().to_owned(),
    );
    let (status, created) = browser
        .api(reqwest::Method::POST, "/api/v1/t/autre-asso/activities",
            Some(json!({"kind": "note", "subject": "Secret", "links": {"people": [theirs["people"]]}})))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    theirs.insert(
        "activities",
        created["id"].as_str().unwrap_or_default().to_owned(),
    );
    let (status, engagement) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/autre-asso/engagements",
            Some(json!({"kind": "donation", "person_id": theirs["people"], "amount_cents": 100, "occurred_on": "2026-01-01"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{engagement}");
    let engagement = engagement["id"].as_str().unwrap_or_default().to_owned();
    let audit_before = stack.db.count("audit_log").await?;

    let mut forms = Vec::new();
    for collection in [
        "people",
        "organisations",
        "projects",
        "partnerships",
        "deadlines",
        "activities",
    ] {
        forms.push(format!(
            "/t/asso-demo/{collection}/{}/edit",
            theirs[collection]
        ));
    }
    for collection in ["people", "organisations", "projects", "partnerships"] {
        forms.push(format!(
            "/t/asso-demo/{collection}/{}/activities/new",
            theirs[collection]
        ));
    }
    for collection in ["people", "organisations"] {
        forms.push(format!(
            "/t/asso-demo/{collection}/{}/engagements/new",
            theirs[collection]
        ));
    }
    forms.push(format!(
        "/t/asso-demo/partnerships/{}/evaluations/new",
        theirs["partnerships"]
    ));
    forms.push(format!("/t/asso-demo/projects/{}/plan", theirs["projects"]));
    for collection in ["people", "organisations"] {
        forms.push(format!(
            "/t/asso-demo/{collection}/{}/merge",
            theirs[collection]
        ));
        forms.push(format!(
            "/t/asso-demo/{collection}/{}/affiliations/new",
            theirs[collection]
        ));
    }
    for form in &forms {
        assert_eq!(
            browser.get(form).await?.status(),
            StatusCode::NOT_FOUND,
            "GET {form}"
        );
        let sent = [
            ("version", "1"),
            ("title", "Volé"),
            ("name", "Volé"),
            ("family_name", "Volé"),
            ("subject", "Volé"),
            ("kind", "note"),
            ("date", "2027-01-01"),
            ("time", "10:00"),
            ("due_date", "2027-01-01"),
            ("due_time", "10:00"),
            ("amount", "5"),
            ("occurred_on", "2027-01-01"),
            ("organisation_id", theirs["organisations"].as_str()),
            ("duplicate_id", theirs["people"].as_str()),
        ];
        let response = browser.post_form(form, &sent).await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {form}");
    }
    for (collection, id) in [("people", "tags"), ("projects", "tags")] {
        let path = format!("/t/asso-demo/{collection}/{}/{id}", theirs[collection]);
        let response = browser.post_form(&path, &[("tags", "Volé")]).await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    for collection in ["people", "organisations", "projects", "partnerships"] {
        for action in ["delete", "restore"] {
            let path = format!("/t/asso-demo/{collection}/{}/{action}", theirs[collection]);
            let response = browser
                .post_form(&path, &[("version", "1"), ("confirmed", "1")])
                .await?;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
        }
    }
    let path = format!("/t/asso-demo/engagements/{engagement}/edit");
    assert_eq!(browser.get(&path).await?.status(), StatusCode::NOT_FOUND);
    for action in ["edit", "delete"] {
        let path = format!("/t/asso-demo/engagements/{engagement}/{action}");
        let response = browser
            .post_form(
                &path,
                &[
                    ("version", "1"),
                    ("kind", "donation"),
                    ("amount", "1"),
                    ("confirmed", "1"),
                ],
            )
            .await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    for action in ["done", "delete"] {
        let path = format!("/t/asso-demo/activities/{}/{action}", theirs["activities"]);
        let response = browser
            .post_form(&path, &[("version", "1"), ("confirmed", "1")])
            .await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(
        stack.db.count("audit_log").await?,
        audit_before,
        "nothing written"
    );
    let stolen: i64 = sqlx::query_scalar(
        "select (select count(*) from people where family_name = 'Volé') + (select count(*) from activities where subject = 'Volé')",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(stolen, 0);
    Ok(())
}
