//! The gateway with everything real behind it: core-records, PostgreSQL, Redis and the
//! development OpenID provider, driven over HTTP the way a browser would.

use maillage_testkit::location;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;

mod common;

use common::{Stack, created};

type TestResult = anyhow::Result<()>;

#[tokio::test]
async fn a_member_logs_in_through_the_provider_and_lands_in_the_workspace() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;

    // Not logged in: the workspace sends to the login.
    let response = browser.get("/t/asso-demo/").await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response)?.starts_with("/login?return_to="));

    browser.login("camille", "/t/asso-demo/").await?;
    let home = browser.get("/t/asso-demo/").await?;
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await?;
    assert!(html.contains("Association asso-demo"), "{html}");
    assert!(html.contains("Camille Martin"));

    // The invitation became a membership with its role.
    let role: String = sqlx::query_scalar(
        "select m.role from memberships m join users u on u.id = m.user_id where u.email = $1",
    )
    .bind("camille.martin@demo.maillage.test")
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(role, "editor");
    Ok(())
}

#[tokio::test]
async fn a_login_callback_with_a_wrong_or_replayed_state_is_refused() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    let (callback, _) = browser.login("camille", "/t/asso-demo/").await?;

    let fresh = stack.browser()?;
    let replayed = fresh.http.get(&callback).send().await?;
    assert_eq!(
        replayed.status(),
        StatusCode::BAD_REQUEST,
        "a callback works once"
    );
    assert!(replayed.text().await?.contains("expiré ou a déjà servi"));
    let forged = fresh.get("/auth/callback?code=abc&state=made-up").await?;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    let response = fresh.get("/t/asso-demo/").await?;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "neither attempt logged anyone in"
    );
    Ok(())
}

#[tokio::test]
async fn a_user_without_membership_sees_no_such_workspace() -> TestResult {
    let stack = Stack::start().await?;
    stack.db.create_tenant("autre-asso").await?;
    let camille = stack.browser()?;
    camille.login("camille", "/t/asso-demo/").await?;
    for path in ["/t/autre-asso/", "/t/autre-asso/people", "/t/inexistante/"] {
        assert_eq!(
            camille.get(path).await?.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (status, problem) = camille
        .api(reqwest::Method::GET, "/api/v1/t/autre-asso/people", None)
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["type"], "/problems/not-found");

    let sacha = stack.browser()?;
    sacha.login("sacha", "/t/asso-demo/").await?;
    assert_eq!(
        sacha.get("/t/asso-demo/").await?.status(),
        StatusCode::NOT_FOUND
    );
    Ok(())
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_and_login_rotates_it() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    let (_, first) = browser.login("camille", "/t/asso-demo/").await?;
    let (_, second) = browser.login("camille", "/t/asso-demo/").await?;
    assert_ne!(first, second, "a new login gets a new session id");

    let stolen = |cookie: String| {
        let base = stack.base.clone();
        async move {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            Ok::<_, anyhow::Error>(
                client
                    .get(format!("{base}/t/asso-demo/"))
                    .header(header::COOKIE, cookie)
                    .send()
                    .await?
                    .status(),
            )
        }
    };
    assert_eq!(
        stolen(first).await?,
        StatusCode::SEE_OTHER,
        "the previous session died with the new login"
    );
    assert_eq!(stolen(second.clone()).await?, StatusCode::OK);

    let response = browser.post_form("/logout", &[]).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        stolen(second).await?,
        StatusCode::SEE_OTHER,
        "a copied cookie is useless after logout"
    );
    Ok(())
}

#[tokio::test]
async fn people_organisations_and_deadlines_are_created_through_pages_and_api() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;

    let created = browser
        .post_form(
            "/t/asso-demo/people/new",
            &[
                ("family_name", "Durand"),
                ("given_name", "Hélène"),
                ("email", "helene@example.org"),
            ],
        )
        .await?;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let list = browser.get("/t/asso-demo/people").await?.text().await?;
    assert!(list.contains("Durand Hélène"), "{list}");
    let created = browser
        .post_form(
            "/t/asso-demo/people/new",
            &[("family_name", "Zidane"), ("given_name", "Ali")],
        )
        .await?;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    // Alphabetical by default; the newest change first when asked.
    let position = |page: &str, name: &str| page.find(name).unwrap_or(usize::MAX);
    let list = browser.get("/t/asso-demo/people").await?.text().await?;
    assert!(
        position(&list, "Durand Hélène") < position(&list, "Zidane Ali"),
        "{list}"
    );
    let recent = browser
        .get("/t/asso-demo/people?sort=recent")
        .await?
        .text()
        .await?;
    assert!(
        position(&recent, "Zidane Ali") < position(&recent, "Durand Hélène"),
        "{recent}"
    );
    assert!(
        recent.contains("récemment modifiées d'abord</strong>"),
        "{recent}"
    );

    let refused = browser
        .post_form(
            "/t/asso-demo/people/new",
            &[("family_name", ""), ("email", "nope")],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = refused.text().await?;
    assert!(
        form.contains("est obligatoire") && form.contains("pas une adresse e-mail valide"),
        "{form}"
    );
    assert!(form.contains("value=\"nope\""), "what was typed is kept");

    let organisation = browser
        .post_form(
            "/t/asso-demo/organisations/new",
            &[
                ("name", "Fondation Lumière"),
                ("kind", "funder"),
                ("sector", "Culture"),
                ("territory", "Occitanie"),
                ("email", ""),
                ("website", ""),
            ],
        )
        .await?;
    assert_eq!(organisation.status(), StatusCode::SEE_OTHER);
    let (status, organisations) = browser
        .api(
            reqwest::Method::GET,
            "/api/v1/t/asso-demo/organisations",
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            &organisations["items"][0]["sector"],
            &organisations["items"][0]["territory"]
        ),
        (&json!("Culture"), &json!("Occitanie"))
    );
    let funder_id = organisations["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let deadline = browser
        .post_form(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Bilan annuel"),
                ("funder_id", &funder_id),
                ("due_date", "2030-06-30"),
                ("due_time", "17:00"),
                ("notes", ""),
            ],
        )
        .await?;
    assert_eq!(deadline.status(), StatusCode::SEE_OTHER);
    let page_path = location(&deadline)?;
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains("Bilan annuel") && page.contains("Fondation Lumière"));
    assert!(
        page.contains("dimanche 30 juin 2030 à 17:00"),
        "shown in the tenant's time: {page}"
    );
    let (_, stored) = browser
        .api(reqwest::Method::GET, "/api/v1/t/asso-demo/deadlines", None)
        .await?;
    assert_eq!(
        stored["items"][0]["due_at"], "2030-06-30T15:00:00Z",
        "17:00 in Paris in summer"
    );

    let (status, person) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": "Martin"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{person}");
    let (status, problem) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": 7})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "/problems/invalid-body");

    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where tenant_id = $1")
        .bind(stack.tenant_id)
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(audited, 5, "each creation is audited, with the acting user");
    Ok(())
}

#[tokio::test]
async fn writes_from_another_site_are_refused() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
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

    let (_, members) = sacha
        .api(reqwest::Method::GET, "/api/v1/t/asso-demo/members", None)
        .await?;
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

#[tokio::test]
async fn a_persons_and_an_organisations_pages_show_details_links_and_history() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (_, person) = browser.api(reqwest::Method::POST, "/api/v1/t/asso-demo/people",
        Some(json!({"family_name": "Girard", "given_name": "Noël", "emails": [{"address": "noel@exemple.fr", "label": "perso"}],
                    "address": {"street": "3 rue des Lilas", "postal_code": "31000", "city": "Toulouse"}})),
    )
    .await?;
    let person_id = person["id"].as_str().unwrap_or_default().to_owned();
    let (_, club) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/organisations",
            Some(json!({"name": "Club de lecture", "kind": "association"})),
        )
        .await?;
    browser.api(reqwest::Method::POST, "/api/v1/t/asso-demo/affiliations",
        Some(json!({"person_id": person_id, "organisation_id": club["id"], "role": "Animateur", "starts_on": "2025-09-01"})),
    )
    .await?;
    browser.api(reqwest::Method::POST, "/api/v1/t/asso-demo/activities",
        Some(json!({"kind": "meeting", "subject": "Point rentrée", "occurred_at": "2026-09-02T10:00:00+02:00",
                    "links": {"people": [person_id], "organisations": [club["id"]]}})),
    )
    .await?;
    browser
        .api(
            reqwest::Method::PUT,
            &format!("/api/v1/t/asso-demo/people/{person_id}/tags"),
            Some(json!({"tags": ["Bénévole"]})),
        )
        .await?;
    for engagement in [
        json!({"kind": "donation", "person_id": person_id, "amount_cents": 5000, "occurred_on": "2026-03-01"}),
        json!({"kind": "volunteering", "person_id": person_id, "minutes": 150, "occurred_on": "2026-04-05"}),
    ] {
        let (status, created) = browser
            .api(
                reqwest::Method::POST,
                "/api/v1/t/asso-demo/engagements",
                Some(engagement),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
    }

    let list = browser.get("/t/asso-demo/people").await?.text().await?;
    assert!(
        list.contains(&format!("/t/asso-demo/people/{person_id}")),
        "the list links to the page"
    );
    let page = browser
        .get(&format!("/t/asso-demo/people/{person_id}"))
        .await?;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    for expected in [
        "Noël Girard",
        "noel@exemple.fr",
        "31000 Toulouse",
        "Club de lecture",
        "Animateur",
        "depuis le 01/09/2025",
        "Réunion",
        "Point rentrée",
        "mercredi 2 septembre 2026 à 10:00",
        "Bénévole",
        "Dons",
        "50,00\u{a0}€",
        "Bénévolat",
        "2 h 30",
    ] {
        assert!(html.contains(expected), "{expected} missing from the page");
    }
    let club_id = club["id"].as_str().unwrap_or_default();
    let club_page = format!("/t/asso-demo/organisations/{club_id}");
    assert!(
        html.contains(&club_page),
        "the person's page links to the organisation's"
    );
    let list = browser
        .get("/t/asso-demo/organisations")
        .await?
        .text()
        .await?;
    assert!(list.contains(&club_page), "the list links to the page");
    let page = browser.get(&club_page).await?;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    for expected in [
        "Club de lecture",
        "Association",
        "Girard Noël",
        &format!("/t/asso-demo/people/{person_id}"),
        "Animateur",
        "En cours, depuis le 01/09/2025",
        "Point rentrée",
    ] {
        assert!(
            html.contains(expected),
            "{expected} missing from the club's page"
        );
    }
    for missing in ["people", "organisations"] {
        assert_eq!(
            browser
                .get(&format!("/t/asso-demo/{missing}/{}", uuid::Uuid::new_v4()))
                .await?
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_projects_and_a_partnerships_pages_show_what_was_agreed_and_done() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (_, region) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/organisations",
            Some(json!({"name": "Région Occitanie", "kind": "funder"})),
        )
        .await?;
    let (status, partnership) = browser
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/partnerships",
            Some(json!({"title": "Contrat de ville", "kind": "funding", "status": "active",
                        "starts_on": "2026-01-01", "ends_on": "2028-12-31",
                        "partners": [{"organisation_id": region["id"], "role": "financeur"}],
                        "agreement": {"purpose": "Animer le quartier Nord", "budget": {"amount_cents": 4500000, "currency": "EUR"}}})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{partnership}");
    let partnership_id = partnership["id"].as_str().unwrap_or_default().to_owned();
    let (status, evaluation) = browser
        .api(reqwest::Method::POST, &format!("/api/v1/t/asso-demo/partnerships/{partnership_id}/evaluations"),
            Some(json!({"stage": "interim", "evaluated_on": "2026-06-30", "effectiveness_score": 4,
                        "effectiveness_notes": "Objectifs tenus", "efficiency_score": 3, "impact_score": 5})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{evaluation}");
    let (status, project) = browser
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/projects",
            Some(json!({"name": "Jardins partagés", "status": "running", "territory": "Quartier Nord",
                        "milestones": [{"phase": "Diagnostic", "title": "Réunion publique", "due_on": "2026-04-15"}],
                        "budget_lines": [{"label": "Outils", "planned_cents": 150000, "actual_cents": 98050}],
                        "partners": [{"partnership_id": partnership_id, "role": "cadre"}]})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{project}");
    let project_id = project["id"].as_str().unwrap_or_default().to_owned();
    let (status, sponsorship) = browser
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/engagements",
            Some(json!({"kind": "sponsorship", "organisation_id": region["id"], "project_id": project_id,
                        "amount_cents": 1200000, "occurred_on": "2026-02-01"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{sponsorship}");
    browser
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/activities",
            Some(json!({"kind": "meeting", "subject": "Comité de pilotage", "occurred_at": "2026-05-12T14:00:00+02:00",
                        "links": {"projects": [project_id], "partnerships": [partnership_id]}})),
        )
        .await?;

    let projects = browser.get("/t/asso-demo/projects").await?.text().await?;
    let project_page = format!("/t/asso-demo/projects/{project_id}");
    assert!(
        projects.contains(&project_page),
        "the list links to the page"
    );
    assert!(projects.contains("1\u{202f}500,00\u{a0}€"), "{projects}");
    let page = browser.get(&project_page).await?;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    for expected in [
        "Jardins partagés",
        "En cours",
        "Quartier Nord",
        "Diagnostic",
        "Réunion publique",
        "prévu le 15/04/2026",
        "980,50\u{a0}€",
        "Mécénat",
        "12\u{202f}000,00\u{a0}€",
        &format!("/t/asso-demo/partnerships/{partnership_id}"),
        "Comité de pilotage",
    ] {
        assert!(
            html.contains(expected),
            "{expected} missing from the project's page"
        );
    }

    let partnerships = browser
        .get("/t/asso-demo/partnerships")
        .await?
        .text()
        .await?;
    let partnership_page = format!("/t/asso-demo/partnerships/{partnership_id}");
    assert!(partnerships.contains(&partnership_page));
    assert!(partnerships.contains("Région Occitanie"));
    let page = browser.get(&partnership_page).await?;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    for expected in [
        "Contrat de ville",
        "Financement · Actif, du 01/01/2026 au 31/12/2028",
        "45\u{202f}000,00\u{a0}€",
        "Région Occitanie",
        "Animer le quartier Nord",
        "Évaluation intermédiaire du 30/06/2026",
        "4/5 — Objectifs tenus",
        "Comité de pilotage",
    ] {
        assert!(
            html.contains(expected),
            "{expected} missing from the partnership's page"
        );
    }
    // A project is added from its form; a refused one keeps what was typed.
    let refused = browser
        .post_form(
            "/t/asso-demo/projects/new",
            &[
                ("name", ""),
                ("status", "planned"),
                ("territory", "Centre-ville"),
                ("target_population", ""),
                ("starts_on", "2026-09-01"),
                ("ends_on", "2026-06-30"),
                ("description", ""),
            ],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = refused.text().await?;
    assert!(form.contains("est obligatoire"), "{form}");
    assert!(
        form.contains("id=\"ends_on-error\""),
        "the end date is named: {form}"
    );
    assert!(
        form.contains("value=\"Centre-ville\""),
        "what was typed is kept"
    );
    let added = browser
        .post_form(
            "/t/asso-demo/projects/new",
            &[
                ("name", "Repair café"),
                ("status", "planned"),
                ("territory", "Centre-ville"),
                ("target_population", "Tous publics"),
                ("starts_on", "2026-09-01"),
                ("ends_on", ""),
                ("description", "Réparer ensemble plutôt que jeter."),
            ],
        )
        .await?;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let html = browser.get(&location(&added)?).await?.text().await?;
    for expected in [
        "Repair café",
        "Prévu, depuis le 01/09/2026",
        "Tous publics",
        "Réparer ensemble",
    ] {
        assert!(
            html.contains(expected),
            "{expected} missing from the new project's page"
        );
    }

    for missing in ["projects", "partnerships"] {
        assert_eq!(
            browser
                .get(&format!("/t/asso-demo/{missing}/{}", Uuid::new_v4()))
                .await?
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    Ok(())
}

/// From any record's page an editor notes what happened (a meeting, a call…) or a task
/// to do, and ticks the task off; a viewer sees neither; another workspace's record, or
/// a page outside the workspace to go back to, is out of reach.
#[tokio::test]
async fn activities_are_noted_and_tasks_ticked_off_from_a_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let mut records = Vec::new();
    for (collection, body) in [
        (
            "people",
            json!({"family_name": "Girard", "given_name": "Noël"}),
        ),
        (
            "organisations",
            json!({"name": "Club de lecture", "kind": "association"}),
        ),
        ("projects", json!({"name": "Jardins partagés"})),
        (
            "partnerships",
            json!({"title": "Contrat de ville", "kind": "funding"}),
        ),
    ] {
        let mut body = body;
        if let Some((_, club)) = records.iter().find(|(c, _)| *c == "organisations") {
            body["partners"] = json!([{"organisation_id": club, "role": "porteur"}]);
        }
        let (status, created) = browser
            .api(
                reqwest::Method::POST,
                &format!("/api/v1/t/asso-demo/{collection}"),
                Some(body),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap_or_default().to_owned();
        records.push((collection, id));
    }
    let timeline = |collection: &str, id: &str| {
        let browser = &browser;
        let path = format!("/api/v1/t/asso-demo/{collection}/{id}/timeline");
        async move {
            let (_, listing) = browser.api(reqwest::Method::GET, &path, None).await?;
            anyhow::Ok(listing["items"].as_array().cloned().unwrap_or_default())
        }
    };

    for (collection, id) in &records {
        let page_path = format!("/t/asso-demo/{collection}/{id}");
        let form_path = format!("{page_path}/activities/new");
        let page = browser.get(&page_path).await?.text().await?;
        assert!(page.contains(&form_path), "{collection}: {page}");
        let form = browser.get(&form_path).await?;
        assert_eq!(form.status(), StatusCode::OK, "{collection}");
        assert!(form.text().await?.contains("Noter une activité"));

        // A meeting, at a time of the tenant's zone (Paris, summer time).
        let response = browser
            .post_form(
                &form_path,
                &[
                    ("kind", "meeting"),
                    ("subject", "Comité de pilotage"),
                    ("date", "2026-05-12"),
                    ("time", "14:00"),
                    ("body", "Décisions : le budget est voté."),
                ],
            )
            .await?;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{collection}");
        assert_eq!(location(&response)?, format!("{page_path}#historique"));
        let items = timeline(collection, id).await?;
        assert_eq!(items.len(), 1, "{collection}: {items:?}");
        assert_eq!(items[0]["kind"], "meeting");
        assert_eq!(items[0]["occurred_at"], "2026-05-12T12:00:00Z");
        assert_eq!(items[0]["body"], "Décisions : le budget est voté.");
        let page = browser.get(&page_path).await?.text().await?;
        assert!(page.contains("Réunion"), "{collection}: {page}");
        assert!(page.contains("Comité de pilotage"));
        assert!(page.contains("mardi 12 mai 2026 à 14:00"), "{page}");
    }

    // Refused forms name their field, keep what was typed, and write nothing.
    let (collection, person_id) = &records[0];
    let form_path = format!("/t/asso-demo/{collection}/{person_id}/activities/new");
    for (fields, field) in [
        (
            vec![
                ("kind", "call"),
                ("subject", ""),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
            "subject-error",
        ),
        (
            vec![
                ("kind", "call"),
                ("subject", "Relance"),
                ("date", "12 mai"),
                ("time", "09:00"),
            ],
            "date-error",
        ),
        (
            vec![
                ("kind", "call"),
                ("subject", "Relance"),
                ("date", "2026-03-29"),
                ("time", "02:30"),
            ],
            "time-error",
        ),
        (
            vec![
                ("kind", "visio"),
                ("subject", "Relance"),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
            "kind-error",
        ),
    ] {
        let response = browser.post_form(&form_path, &fields).await?;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let html = response.text().await?;
        assert!(html.contains(&format!("id=\"{field}\"")), "{field}: {html}");
        assert!(html.contains("value=\"Relance\"") || field == "subject-error");
    }
    assert_eq!(
        timeline(collection, person_id).await?.len(),
        1,
        "nothing written"
    );

    // A task: due at the date given, shown to do, ticked off from the page.
    let response = browser
        .post_form(
            &form_path,
            &[
                ("kind", "task"),
                ("subject", "Envoyer la convention"),
                ("date", "2026-12-15"),
                ("time", "17:00"),
                ("body", ""),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let items = timeline(collection, person_id).await?;
    let task = items
        .iter()
        .find(|a| a["kind"] == "task")
        .cloned()
        .unwrap_or_default();
    assert_eq!(task["due_at"], "2026-12-15T16:00:00Z");
    assert!(task["done_at"].is_null());
    let page_path = format!("/t/asso-demo/{collection}/{person_id}");
    let page = browser.get(&page_path).await?.text().await?;
    assert!(
        page.contains("à faire pour le mardi 15 décembre 2026 à 17:00"),
        "{page}"
    );
    let task_id = task["id"].as_str().unwrap_or_default().to_owned();
    let done_path = format!("/t/asso-demo/activities/{task_id}/done");
    assert!(page.contains(&done_path), "the page has the button");
    let version = task["version"].to_string();
    // A page outside the workspace is not where the answer leads.
    let response = browser
        .post_form(
            &done_path,
            &[("version", &version), ("back", "https://ailleurs.example/")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, "/t/asso-demo/#historique");
    let items = timeline(collection, person_id).await?;
    let task = items.iter().find(|a| a["kind"] == "task");
    assert!(
        task.is_some_and(|t| !t["done_at"].is_null()),
        "the task is done: {items:?}"
    );
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains("faite le"), "{page}");
    assert!(!page.contains(&done_path), "no button once done");
    // Clicked again from a stale page: nothing changes, back to the page.
    let response = browser
        .post_form(&done_path, &[("version", &version), ("back", &page_path)])
        .await?;
    assert_eq!(location(&response)?, format!("{page_path}#historique"));

    // Another workspace's record: no form, nothing noted on it.
    let other = stack.db.create_tenant("autre-asso").await?;
    let stranger = Uuid::now_v7();
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name) values ($1, $2, 'Secret', '')",
    )
    .bind(other)
    .bind(stranger)
    .execute(&stack.db.owner)
    .await?;
    let foreign = format!("/t/asso-demo/people/{stranger}/activities/new");
    assert_eq!(browser.get(&foreign).await?.status(), StatusCode::NOT_FOUND);
    let response = browser
        .post_form(
            &foreign,
            &[
                ("kind", "note"),
                ("subject", "Espion"),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
        )
        .await?;
    assert_ne!(response.status(), StatusCode::SEE_OTHER);
    let noted: i64 = sqlx::query_scalar("select count(*) from activities where subject = 'Espion'")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(noted, 0);

    // A viewer sees the history, not the buttons, and cannot note anything.
    let sacha = stack.viewer().await?;
    let page = sacha.get(&page_path).await?.text().await?;
    assert!(page.contains("Comité de pilotage"));
    assert!(
        !page.contains(&form_path) && !page.contains("/done\""),
        "{page}"
    );
    let response = sacha
        .post_form(
            &form_path,
            &[
                ("kind", "note"),
                ("subject", "Lecture seule"),
                ("date", "2026-05-12"),
                ("time", "09:00"),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        timeline(collection, person_id).await?.len(),
        2,
        "nothing more"
    );
    Ok(())
}

/// A person's, an organisation's and a project's details are changed from their forms:
/// what is not on the form is kept, a refused form names its field and changes nothing,
/// and a form made from a version changed since says what is stored now.
#[tokio::test]
async fn records_are_changed_from_their_forms_and_a_stale_form_says_what_is_stored() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (status, person) = browser.api(reqwest::Method::POST, "/api/v1/t/asso-demo/people",
        Some(json!({"family_name": "Girard", "given_name": "Noël",
                    "emails": [{"address": "noel@exemple.fr", "label": "perso"}, {"address": "n.girard@mairie.fr", "label": "travail"}],
                    "phone": "05 61 00 00 00",
                    "address": {"street": "3 rue des Lilas", "postal_code": "31000", "city": "Toulouse", "country": "FR"}})),
    )
    .await?;
    assert_eq!(status, StatusCode::CREATED, "{person}");
    let id = person["id"].as_str().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/people/{id}");
    let page_path = format!("/t/asso-demo/people/{id}");
    let edit_path = format!("{page_path}/edit");
    let stored = || async {
        let (_, person) = browser.api(reqwest::Method::GET, &api_path, None).await?;
        anyhow::Ok(person)
    };

    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains(&edit_path), "the page links to its form");
    let form = browser.get(&edit_path).await?.text().await?;
    for shown in [
        "value=\"Girard\"",
        "value=\"noel@exemple.fr\"",
        "value=\"05 61 00 00 00\"",
        "value=\"Toulouse\"",
        "name=\"version\" value=\"1\"",
    ] {
        assert!(form.contains(shown), "{shown}: {form}");
    }

    let mut fields = vec![
        ("version", "1"),
        ("family_name", "Girard-Martin"),
        ("given_name", "Noël"),
        ("email", "noel@exemple.fr"),
        ("phone", "05 61 00 00 00"),
        ("street", "3 rue des Lilas"),
        ("postal_code", "31700"),
        ("city", "Blagnac"),
        ("country", "FR"),
        ("email_consent", "on"),
        ("consent_basis", ""),
        ("consent_on", ""),
        ("consent_source", ""),
        ("notes", "Préfère le téléphone."),
    ];
    // Refused: consent without its legal basis; an email that is none.
    let set = |fields: &mut Vec<(&'static str, &'static str)>, name, value| {
        if let Some(field) = fields.iter_mut().find(|(f, _)| *f == name) {
            field.1 = value;
        }
    };
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"consent_basis-error\""), "{html}");
    assert!(
        html.contains("value=\"Girard-Martin\""),
        "what was typed stays"
    );
    set(&mut fields, "email", "pas-une-adresse");
    set(&mut fields, "consent_basis", "consent");
    set(&mut fields, "consent_on", "2026-03-01");
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"email-error\""));
    assert_eq!(stored().await?["version"], 1, "nothing changed");

    set(&mut fields, "email", "noel@exemple.fr");
    set(&mut fields, "consent_source", "Bulletin d'adhésion");
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, page_path);
    let person = stored().await?;
    assert_eq!(person["version"], 2);
    assert_eq!(person["family_name"], "Girard-Martin");
    assert_eq!(person["address"]["city"], "Blagnac");
    assert_eq!(person["email_consent"], true);
    assert_eq!(person["consent_basis"], "consent");
    assert_eq!(person["consent_on"], "2026-03-01");
    assert_eq!(person["notes"], "Préfère le téléphone.");
    assert_eq!(
        person["emails"],
        json!([{"address": "noel@exemple.fr", "label": "perso", "primary": true},
               {"address": "n.girard@mairie.fr", "label": "travail", "primary": false}]),
        "the primary email sent back unchanged keeps its label, the other stays"
    );

    // The page tells who changed what, newest first.
    let page = browser.get(&page_path).await?.text().await?;
    let changes = page
        .split("Modifications de la fiche")
        .nth(1)
        .unwrap_or_default();
    let (modified, created) = (
        changes.find("Camille Martin a modifié : adresse, consentement, nom, notes"),
        changes.find("Camille Martin a créé la fiche"),
    );
    assert!(
        modified.zip(created).is_some_and(|(m, c)| m < c),
        "{changes}"
    );

    // Someone else changes the city meanwhile; a form made from version 1 is stale.
    let response = browser
        .http
        .patch(format!("{}{api_path}", stack.base))
        .header(header::IF_MATCH, "\"2\"")
        .json(&json!({"address": {"street": "3 rue des Lilas", "postal_code": "31700", "city": "Cornebarrieu", "country": "FR"}}))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    set(&mut fields, "notes", "Joignable le matin.");
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(html.contains("a modifié cette fiche pendant que"), "{html}");
    assert!(
        html.contains("actuellement enregistré : « Cornebarrieu »"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Joignable le matin.\"")
            || html.contains(">Joignable le matin.</textarea>")
    );
    assert!(html.contains("name=\"version\" value=\"3\""), "{html}");
    assert_eq!(
        stored().await?["notes"],
        "Préfère le téléphone.",
        "nothing saved"
    );
    // Sent again from the page it answered: what was typed is kept, on purpose.
    set(&mut fields, "version", "3");
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let person = stored().await?;
    assert_eq!(person["notes"], "Joignable le matin.");
    assert_eq!(person["address"]["city"], "Blagnac");

    // An organisation: kept what the form does not show (its tags), refused a bad site.
    let (_, club) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/organisations",
            Some(json!({"name": "Club de lecture", "kind": "association", "sector": "culture"})),
        )
        .await?;
    let club_id = club["id"].as_str().unwrap_or_default().to_owned();
    browser
        .api(
            reqwest::Method::PUT,
            &format!("/api/v1/t/asso-demo/organisations/{club_id}/tags"),
            Some(json!({"tags": ["Partenaire"]})),
        )
        .await?;
    let club_edit = format!("/t/asso-demo/organisations/{club_id}/edit");
    let form = browser.get(&club_edit).await?.text().await?;
    assert!(form.contains("value=\"culture\""), "{form}");
    assert!(
        form.contains("<option value=\"association\" selected>"),
        "{form}"
    );
    let mut club_fields = vec![
        ("version", "1"),
        ("name", "Club de lecture du Mirail"),
        ("kind", "association"),
        ("sector", "culture"),
        ("territory", "Mirail"),
        ("email", ""),
        ("phone", ""),
        ("street", ""),
        ("postal_code", ""),
        ("city", ""),
        ("country", ""),
        ("website", "club-lecture.fr"),
        ("notes", ""),
    ];
    let response = browser.post_form(&club_edit, &club_fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"website-error\""));
    set(&mut club_fields, "website", "https://club-lecture.fr");
    let response = browser.post_form(&club_edit, &club_fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(&format!("/t/asso-demo/organisations/{club_id}"))
        .await?
        .text()
        .await?;
    assert!(page.contains("Club de lecture du Mirail") && page.contains("Mirail"));
    assert!(page.contains("Partenaire"), "tags are kept: {page}");

    // A project: an end before its start is refused on the end; then saved.
    let (_, project) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/projects",
            Some(json!({"name": "Jardins partagés", "milestones": [{"phase": "Diagnostic", "title": "Réunion publique"}]})),
        )
        .await?;
    let project_id = project["id"].as_str().unwrap_or_default().to_owned();
    let project_edit = format!("/t/asso-demo/projects/{project_id}/edit");
    assert_eq!(browser.get(&project_edit).await?.status(), StatusCode::OK);
    let mut project_fields = vec![
        ("version", "1"),
        ("name", "Jardins partagés"),
        ("status", "running"),
        ("territory", "Quartier Nord"),
        ("target_population", "Habitants"),
        ("starts_on", "2026-04-01"),
        ("ends_on", "2026-03-01"),
        ("description", ""),
    ];
    let response = browser.post_form(&project_edit, &project_fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"ends_on-error\""));
    set(&mut project_fields, "ends_on", "2027-03-31");
    let response = browser.post_form(&project_edit, &project_fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, project) = browser
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/t/asso-demo/projects/{project_id}"),
            None,
        )
        .await?;
    assert_eq!(project["status"], "running");
    assert_eq!(project["ends_on"], "2027-03-31");
    assert_eq!(
        project["milestones"].as_array().map(Vec::len),
        Some(1),
        "milestones kept"
    );

    // A viewer gets no form and changes nothing; another workspace's record is not found.
    let sacha = stack.viewer().await?;
    assert!(
        !sacha
            .get(&page_path)
            .await?
            .text()
            .await?
            .contains(&edit_path)
    );
    assert_eq!(sacha.get(&edit_path).await?.status(), StatusCode::FORBIDDEN);
    set(&mut fields, "version", "4");
    set(&mut fields, "family_name", "Lecture seule");
    let response = sacha.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored().await?["family_name"], "Girard-Martin");
    let other = stack.db.create_tenant("autre-asso").await?;
    let stranger = Uuid::now_v7();
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name) values ($1, $2, 'Secret', '')",
    )
    .bind(other)
    .bind(stranger)
    .execute(&stack.db.owner)
    .await?;
    let foreign = format!("/t/asso-demo/people/{stranger}/edit");
    assert_eq!(browser.get(&foreign).await?.status(), StatusCode::NOT_FOUND);
    let response = browser.post_form(&foreign, &fields).await?;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let name: String = sqlx::query_scalar("select family_name from people where id = $1")
        .bind(stranger)
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(name, "Secret");
    Ok(())
}

/// A partnership is added and changed from its form: partners chosen among the
/// organisations with their role, the agreement's parts, a budget typed the French way;
/// its status offers only where it may go, and a stale form names the stored partners.
#[tokio::test]
async fn partnerships_are_added_and_changed_from_their_form() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let mut ids = Vec::new();
    for name in ["Région Occitanie", "Ville de Toulouse"] {
        let (_, created) = browser
            .api(
                reqwest::Method::POST,
                "/api/v1/t/asso-demo/organisations",
                Some(json!({"name": name, "kind": "public_body"})),
            )
            .await?;
        ids.push(created["id"].as_str().unwrap_or_default().to_owned());
    }
    let (region, ville) = (ids[0].as_str(), ids[1].as_str());
    let list = browser
        .get("/t/asso-demo/partnerships")
        .await?
        .text()
        .await?;
    assert!(list.contains("/t/asso-demo/partnerships/new"), "{list}");
    let form = browser
        .get("/t/asso-demo/partnerships/new")
        .await?
        .text()
        .await?;
    assert!(form.contains(&format!(
        "<option value=\"{region}\">Région Occitanie</option>"
    )));
    assert_eq!(
        form.matches("name=\"partner_id\"").count(),
        2,
        "two blank lines"
    );
    let count = || async {
        let (_, listing) = browser
            .api(
                reqwest::Method::GET,
                "/api/v1/t/asso-demo/partnerships",
                None,
            )
            .await?;
        anyhow::Ok(listing["items"].as_array().map_or(0, Vec::len))
    };

    let mut fields = vec![
        ("title", "Contrat de ville"),
        ("kind", "funding"),
        ("status", "negotiating"),
        ("partner_id", ""),
        ("partner_role", ""),
        ("partner_id", ""),
        ("partner_role", ""),
        ("starts_on", "2026-01-01"),
        ("ends_on", "2028-12-31"),
        ("next_evaluation_on", ""),
        ("purpose", "Animer le quartier Nord"),
        ("budget", "douze mille"),
        ("notes", ""),
    ];
    let response = browser
        .post_form("/t/asso-demo/partnerships/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"budget-error\""));
    fields[11].1 = "45 000";
    let response = browser
        .post_form("/t/asso-demo/partnerships/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"partners-error\""), "{html}");
    assert!(
        html.contains("Animer le quartier Nord"),
        "what was typed stays"
    );
    assert_eq!(count().await?, 0, "nothing written");

    fields[3].1 = region;
    fields[4].1 = "financeur";
    let response = browser
        .post_form("/t/asso-demo/partnerships/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page_path = location(&response)?;
    let id = page_path.rsplit('/').next().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/partnerships/{id}");
    let (_, stored) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(stored["status"], "negotiating");
    assert_eq!(
        stored["partners"],
        json!([{"organisation_id": region, "name": "Région Occitanie", "role": "financeur"}])
    );
    assert_eq!(
        stored["agreement"]["budget"],
        json!({"amount_cents": 4_500_000, "currency": "EUR"})
    );
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains("45\u{202f}000,00\u{a0}€"), "{page}");

    // Changed: offered only where it may go from "negotiating"; a partner added.
    let edit_path = format!("{page_path}/edit");
    let form = browser.get(&edit_path).await?.text().await?;
    for status in ["negotiating", "prospect", "active", "closed"] {
        assert!(
            form.contains(&format!("<option value=\"{status}\"")),
            "{status}"
        );
    }
    assert!(!form.contains("<option value=\"evaluating\""), "{form}");
    assert!(form.contains("value=\"45000,00\""), "{form}");
    assert!(form.contains(&format!("<option value=\"{region}\" selected>")));
    assert_eq!(form.matches("name=\"partner_id\"").count(), 3);
    let edit = |status: &'static str, version: &'static str| {
        vec![
            ("version", version),
            ("title", "Contrat de ville"),
            ("kind", "funding"),
            ("status", status),
            ("partner_id", region),
            ("partner_role", "financeur"),
            ("partner_id", ville),
            ("partner_role", "co-porteur"),
            ("partner_id", ""),
            ("partner_role", ""),
            ("starts_on", "2026-01-01"),
            ("ends_on", "2028-12-31"),
            ("purpose", "Animer le quartier Nord"),
            ("budget", "45000,00"),
        ]
    };
    let response = browser.post_form(&edit_path, &edit("active", "1")).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, stored) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(stored["status"], "active");
    assert_eq!(stored["partners"][1]["role"], "co-porteur");
    assert_eq!(stored["agreement"]["purpose"], "Animer le quartier Nord");

    // Back to "prospect" from "active" is not a way it may go: the field says so.
    let response = browser
        .post_form(&edit_path, &edit("prospect", "2"))
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"status-error\""), "{html}");
    assert!(
        html.contains(
            "seuls ces statuts sont possibles : en évaluation (evaluating), clos (closed)"
        ),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"evaluating\""),
        "offered from active"
    );

    // Someone drops the second partner meanwhile; a form from version 2 is stale.
    let response = browser
        .http
        .patch(format!("{}{api_path}", stack.base))
        .header(header::IF_MATCH, "\"2\"")
        .json(&json!({"partners": [{"organisation_id": region, "role": "financeur"}]}))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let response = browser
        .post_form(&edit_path, &edit("evaluating", "2"))
        .await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(
        html.contains("actuellement enregistré : « Région Occitanie (financeur) »"),
        "{html}"
    );
    let (_, stored) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(stored["status"], "active", "nothing saved");
    Ok(())
}

/// The field in every page's header finds people, organisations and projects of the
/// workspace (only of it), accents and typing mistakes forgiven.
#[tokio::test]
async fn the_header_search_finds_records_forgiving_accents_and_typos() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let mut ids = Vec::new();
    for (collection, body) in [
        (
            "people",
            json!({"family_name": "Dupré", "given_name": "Hélène", "email": "helene@exemple.fr"}),
        ),
        (
            "organisations",
            json!({"name": "Maison des Jeunes", "kind": "association"}),
        ),
        (
            "projects",
            json!({"name": "Jardins partagés", "territory": "Quartier Nord"}),
        ),
    ] {
        let (status, created) = browser
            .api(
                reqwest::Method::POST,
                &format!("/api/v1/t/asso-demo/{collection}"),
                Some(body),
            )
            .await?;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        ids.push(format!(
            "/t/asso-demo/{collection}/{}",
            created["id"].as_str().unwrap_or_default()
        ));
    }
    let other = stack.db.create_tenant("autre-asso").await?;
    sqlx::query(
        "insert into people (tenant_id, id, family_name, given_name) values ($1, $2, 'Secret', 'Hélène')",
    )
    .bind(other)
    .bind(Uuid::now_v7())
    .execute(&stack.db.owner)
    .await?;

    let home = browser.get("/t/asso-demo/").await?.text().await?;
    assert!(
        home.contains("action=\"/t/asso-demo/search\""),
        "the header has the field"
    );
    let found = |q: &'static str| {
        let browser = &browser;
        async move {
            let response = browser.get(&format!("/t/asso-demo/search?q={q}")).await?;
            anyhow::Ok((response.status(), response.text().await?))
        }
    };
    let (status, html) = found("helene").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&ids[0]) && html.contains("Dupré Hélène"),
        "{html}"
    );
    assert!(html.contains("helene@exemple.fr"));
    assert!(
        html.contains("value=\"helene\""),
        "the field keeps the search"
    );
    assert!(
        !html.contains("Secret"),
        "another workspace's people are not found"
    );
    assert!(!html.contains("Aucun résultat exact"));
    let (_, html) = found("MAISON%20jeu").await?;
    assert!(
        html.contains(&ids[1]) && html.contains("Organisations"),
        "{html}"
    );
    let (_, html) = found("jardin").await?;
    assert!(
        html.contains(&ids[2]) && html.contains("Quartier Nord"),
        "{html}"
    );
    let (_, html) = found("duprez").await?;
    assert!(html.contains("Aucun résultat exact"), "{html}");
    assert!(html.contains(&ids[0]), "a typo still finds her: {html}");
    let (status, html) = found("zzzzqx").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Aucune personne, organisation ni projet ne correspond"));
    let (status, html) = found("%21%21%21").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("au moins une lettre ou un chiffre"), "{html}");
    let (status, html) = found("").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Les accents et les fautes de frappe sont pardonnés"));
    Ok(())
}

/// From a person's page she is linked to an organisation (role, dates); from a person's
/// or an organisation's page what they gave is recorded: an amount typed in euros, or
/// volunteering hours typed as people say them.
#[tokio::test]
async fn affiliations_and_engagements_are_recorded_from_a_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let mut paths = Vec::new();
    for (collection, body) in [
        (
            "people",
            json!({"family_name": "Girard", "given_name": "Noël"}),
        ),
        (
            "organisations",
            json!({"name": "Club de lecture", "kind": "association"}),
        ),
        ("projects", json!({"name": "Jardins partagés"})),
    ] {
        let (_, created) = browser
            .api(
                reqwest::Method::POST,
                &format!("/api/v1/t/asso-demo/{collection}"),
                Some(body),
            )
            .await?;
        paths.push((
            collection,
            created["id"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    let (person, club, project) = (paths[0].1.clone(), paths[1].1.clone(), paths[2].1.clone());
    let person_page = format!("/t/asso-demo/people/{person}");
    let club_page = format!("/t/asso-demo/organisations/{club}");
    let page = browser.get(&person_page).await?.text().await?;
    assert!(page.contains(&format!("{person_page}/affiliations/new")));
    assert!(page.contains(&format!("{person_page}/engagements/new")));
    let page = browser
        .get(&format!("/t/asso-demo/projects/{project}"))
        .await?
        .text()
        .await?;
    assert!(
        !page.contains("/engagements/new"),
        "a project receives, it does not give"
    );

    // Linked to the club: the organisation is required, the dates in order.
    let link = format!("{person_page}/affiliations/new");
    let form = browser.get(&link).await?.text().await?;
    assert!(form.contains(&format!(
        "<option value=\"{club}\">Club de lecture</option>"
    )));
    let mut fields = vec![
        ("organisation_id", ""),
        ("role", "Animateur"),
        ("starts_on", "2026-09-01"),
        ("ends_on", "2026-06-30"),
    ];
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await?
            .contains("id=\"organisation_id-error\"")
    );
    fields[0].1 = &club;
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"ends_on-error\""), "{html}");
    assert!(
        html.contains(&format!("<option value=\"{club}\" selected>")),
        "kept"
    );
    fields[3].1 = "";
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, format!("{person_page}#affiliations"));
    let page = browser.get(&club_page).await?.text().await?;
    assert!(
        page.contains("Noël Girard") || page.contains("Girard Noël"),
        "{page}"
    );
    assert!(page.contains("Animateur"));

    // Volunteering hours, then a donation to a project, then the club's sponsorship.
    let give = format!("{person_page}/engagements/new");
    let volunteering = [
        ("kind", "volunteering"),
        ("occurred_on", "2026-04-05"),
        ("amount", ""),
        ("duration", "2 h 30"),
        ("project_id", ""),
        ("campaign", ""),
        ("notes", ""),
    ];
    let response = browser.post_form(&give, &volunteering).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut donation = vec![
        ("kind", "donation"),
        ("occurred_on", "2026-05-01"),
        ("amount", "douze"),
        ("duration", ""),
        ("project_id", project.as_str()),
        ("campaign", "Appel de printemps"),
        ("notes", ""),
    ];
    let response = browser.post_form(&give, &donation).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"amount-error\""), "{html}");
    assert!(html.contains("value=\"Appel de printemps\""), "kept");
    donation[2].1 = "50";
    let response = browser.post_form(&give, &donation).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let sponsorship = [
        ("kind", "sponsorship"),
        ("occurred_on", "2026-06-01"),
        ("amount", "1 500"),
        ("duration", ""),
        ("project_id", ""),
        ("campaign", ""),
        ("notes", ""),
    ];
    let response = browser
        .post_form(&format!("{club_page}/engagements/new"), &sponsorship)
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (_, listing) = browser
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/t/asso-demo/engagements?person_id={person}&sort=occurred_on"),
            None,
        )
        .await?;
    let items = listing["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{listing}");
    assert_eq!(items[0]["minutes"], 150);
    assert_eq!(items[1]["amount_cents"], 5000);
    assert_eq!(items[1]["project_id"], project.as_str());
    let page = browser.get(&person_page).await?.text().await?;
    assert!(
        page.contains("2 h 30") && page.contains("50,00\u{a0}€"),
        "{page}"
    );
    let page = browser.get(&club_page).await?.text().await?;
    assert!(page.contains("1\u{202f}500,00\u{a0}€"), "{page}");

    // A viewer gets none of these forms; another workspace's person is not found.
    let sacha = stack.viewer().await?;
    for form in [&link, &give] {
        assert_eq!(sacha.get(form).await?.status(), StatusCode::FORBIDDEN);
    }
    let response = sacha.post_form(&give, &volunteering).await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let stranger = Uuid::now_v7();
    let foreign = format!("/t/asso-demo/people/{stranger}/engagements/new");
    assert_eq!(browser.get(&foreign).await?.status(), StatusCode::NOT_FOUND);
    let response = browser.post_form(&foreign, &volunteering).await?;
    assert_ne!(response.status(), StatusCode::SEE_OTHER);
    let given: i64 = sqlx::query_scalar("select count(*) from engagements")
        .fetch_one(&stack.db.owner)
        .await?;
    assert_eq!(given, 3);
    Ok(())
}

/// A report deadline is changed from its form: moved to another day and hour (read in
/// the tenant's zone), its funder changed; in a series, the title can be passed on to
/// the later reports, each keeping its own date.
#[tokio::test]
async fn a_deadline_is_moved_and_a_series_renamed_from_its_form() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let caf = created(
        &browser,
        "organisations",
        json!({"name": "CAF", "kind": "funder"}),
    )
    .await?;
    let response = browser
        .post_form(
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
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page_path = location(&response)?;
    let id = page_path.rsplit('/').next().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/deadlines/{id}");
    let edit_path = format!("{page_path}/edit");
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains(&edit_path), "the page links to its form");
    let camille: Uuid = sqlx::query_scalar(
        "select id from users where email = 'camille.martin@demo.maillage.test'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    let new_form = browser
        .get("/t/asso-demo/deadlines/new")
        .await?
        .text()
        .await?;
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
    let form = browser.get(&edit_path).await?.text().await?;
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
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, moved) = browser.api(reqwest::Method::GET, &api_path, None).await?;
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
    let page = browser.get(&page_path).await?.text().await?;
    assert!(
        page.contains("Camille Martin") && page.contains("Dominique Bernard"),
        "{page}"
    );
    let (_, listing) = browser
        .api(
            reqwest::Method::GET,
            "/api/v1/t/asso-demo/deadlines?limit=10",
            None,
        )
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

/// An activity noted wrongly is corrected from the timeline (a meeting that was a task,
/// the wrong day) or deleted once confirmed; a stale correction says what is stored.
#[tokio::test]
async fn an_activity_is_corrected_or_deleted_from_the_timeline() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let person = created(&browser, "people", json!({"family_name": "Girard"})).await?;
    let page_path = format!("/t/asso-demo/people/{person}");
    let (status, activity) = browser
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/activities",
            Some(json!({"kind": "meeting", "subject": "Rappeler la mairie", "occurred_at": "2026-05-12T14:00:00+02:00",
                        "links": {"people": [person]}})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{activity}");
    let id = activity["id"].as_str().unwrap_or_default().to_owned();
    let api_path = format!("/api/v1/t/asso-demo/activities/{id}");
    let edit_path = format!("/t/asso-demo/activities/{id}/edit");

    let page = browser.get(&page_path).await?.text().await?;
    let link = format!("{edit_path}?back={page_path}");
    assert!(page.contains(&link), "{page}");
    let form = browser.get(&link).await?.text().await?;
    assert!(form.contains("value=\"2026-05-12\"") && form.contains("value=\"14:00\""));
    assert!(form.contains(&format!("name=\"back\" value=\"{page_path}\"")));

    // It was a task to do, due on the 20th: corrected.
    let mut fields = vec![
        ("version", "1"),
        ("back", page_path.as_str()),
        ("kind", "task"),
        ("subject", "Rappeler la mairie"),
        ("date", "2026-05-20"),
        ("time", "10:00"),
        ("body", ""),
    ];
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, format!("{page_path}#historique"));
    let (_, stored) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(stored["kind"], "task");
    assert_eq!(stored["due_at"], "2026-05-20T08:00:00Z");
    assert_eq!(
        stored["occurred_at"], "2026-05-12T12:00:00Z",
        "noted when it was"
    );
    // From the old version: stale, nothing changed.
    fields[3].1 = "Appeler la mairie";
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(
        html.contains("actuellement enregistré : « Rappeler la mairie »"),
        "{html}"
    );
    assert!(html.contains("name=\"version\" value=\"2\""), "{html}");

    // Deleted: asked first, then gone from the timeline.
    let delete_path = format!("/t/asso-demo/activities/{id}/delete");
    let response = browser
        .post_form(&delete_path, &[("version", "2"), ("back", &page_path)])
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await?
            .contains("Supprimer « Rappeler la mairie » ?")
    );
    let (status, _) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(status, StatusCode::OK, "not before it is confirmed");
    let response = browser
        .post_form(
            &delete_path,
            &[("version", "2"), ("back", &page_path), ("confirmed", "1")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, format!("{page_path}#historique"));
    let (status, _) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let page = browser.get(&page_path).await?.text().await?;
    assert!(!page.contains("Rappeler la mairie"), "{page}");
    Ok(())
}

/// A record's tags are typed in one field on its page, separated by commas; a refusal
/// says why; a viewer cannot change them.
#[tokio::test]
async fn tags_are_edited_from_a_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let project = created(&browser, "projects", json!({"name": "Jardins partagés"})).await?;
    let page_path = format!("/t/asso-demo/projects/{project}");
    let tags_path = format!("{page_path}/tags");
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains(&format!("action=\"{tags_path}\"")), "{page}");

    let response = browser
        .post_form(&tags_path, &[("tags", " Écologie, Quartier Nord ,, ")])
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, page_path);
    let (_, stored) = browser
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/t/asso-demo/projects/{project}/tags"),
            None,
        )
        .await?;
    assert_eq!(
        stored["tags"],
        json!(["Écologie", "Quartier Nord"]),
        "in the order French readers expect, accents aside"
    );
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains("<li>Écologie</li>"), "{page}");

    let many: Vec<String> = (1..=51).map(|n| format!("tag {n}")).collect();
    let response = browser
        .post_form(&tags_path, &[("tags", &many.join(","))])
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("pas plus de 50 tags"));

    let sacha = stack.viewer().await?;
    assert!(
        !sacha
            .get(&page_path)
            .await?
            .text()
            .await?
            .contains(&tags_path)
    );
    let response = sacha.post_form(&tags_path, &[("tags", "")]).await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (_, stored) = browser
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/t/asso-demo/projects/{project}/tags"),
            None,
        )
        .await?;
    assert_eq!(
        stored["tags"].as_array().map(Vec::len),
        Some(2),
        "unchanged"
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
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
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

/// A person, an organisation, a project or a partnership goes to the bin from its form,
/// once confirmed; the bin lists them, most recently deleted first, and restores them.
#[tokio::test]
async fn records_go_to_the_bin_from_their_form_and_come_back_from_it() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (_, club) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/organisations",
            Some(json!({"name": "Club de lecture", "kind": "association"})),
        )
        .await?;
    let (_, person) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": "Girard", "given_name": "Noël"})),
        )
        .await?;
    let bin = browser.get("/t/asso-demo/bin").await?.text().await?;
    assert!(bin.contains("La corbeille est vide."), "{bin}");

    for (collection, record, name) in [
        ("organisations", &club, "Club de lecture"),
        ("people", &person, "Noël Girard"),
    ] {
        let page_path = format!(
            "/t/asso-demo/{collection}/{}",
            record["id"].as_str().unwrap_or_default()
        );
        let form = browser
            .get(&format!("{page_path}/edit"))
            .await?
            .text()
            .await?;
        assert!(form.contains("Mettre cette fiche à la corbeille"), "{form}");
        let delete = format!("{page_path}/delete");
        let response = browser.post_form(&delete, &[("version", "1")]).await?;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response
                .text()
                .await?
                .contains(&format!("Mettre « {name} » à la corbeille ?"))
        );
        assert_eq!(
            browser.get(&page_path).await?.status(),
            StatusCode::OK,
            "asked first"
        );
        let response = browser
            .post_form(&delete, &[("version", "1"), ("confirmed", "1")])
            .await?;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response)?, "/t/asso-demo/bin?binned=1");
        assert_eq!(
            browser.get(&page_path).await?.status(),
            StatusCode::NOT_FOUND
        );
    }
    let bin = browser
        .get("/t/asso-demo/bin?binned=1")
        .await?
        .text()
        .await?;
    assert!(bin.contains("La fiche est dans la corbeille"), "{bin}");
    let (girard, club_at) = (bin.find("Noël Girard"), bin.find("Club de lecture"));
    assert!(
        girard.zip(club_at).is_some_and(|(g, c)| g < c),
        "most recently deleted first: {bin}"
    );
    let people = browser.get("/t/asso-demo/people").await?.text().await?;
    assert!(!people.contains("Girard"), "gone from the list");

    let person_id = person["id"].as_str().unwrap_or_default();
    let restore = format!("/t/asso-demo/people/{person_id}/restore");
    assert!(bin.contains(&restore));
    let response = browser.post_form(&restore, &[]).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response)?,
        format!("/t/asso-demo/people/{person_id}")
    );
    let page = browser
        .get(&format!("/t/asso-demo/people/{person_id}"))
        .await?;
    assert_eq!(page.status(), StatusCode::OK);
    let bin = browser.get("/t/asso-demo/bin").await?.text().await?;
    assert!(
        !bin.contains("Noël Girard") && bin.contains("Club de lecture"),
        "{bin}"
    );

    // A viewer sees the bin, not the buttons, and restores nothing.
    let sacha = stack.viewer().await?;
    let bin = sacha.get("/t/asso-demo/bin").await?.text().await?;
    assert!(
        bin.contains("Club de lecture") && !bin.contains("/restore"),
        "{bin}"
    );
    let club_id = club["id"].as_str().unwrap_or_default();
    let response = sacha
        .post_form(
            &format!("/t/asso-demo/organisations/{club_id}/restore"),
            &[],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    Ok(())
}

/// A partnership is evaluated from its page: each criterion scored 1 to 5 with what
/// justifies it; a missing score is named and nothing is written.
#[tokio::test]
async fn a_partnership_is_evaluated_from_its_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (_, caf) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/organisations",
            Some(json!({"name": "CAF", "kind": "funder"})),
        )
        .await?;
    let (_, partnership) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/partnerships",
            Some(json!({"title": "Convention CAF", "kind": "funding", "partners": [{"organisation_id": caf["id"]}]})),
        )
        .await?;
    let id = partnership["id"].as_str().unwrap_or_default().to_owned();
    let page_path = format!("/t/asso-demo/partnerships/{id}");
    let form_path = format!("{page_path}/evaluations/new");
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains(&form_path), "{page}");
    let form = browser.get(&form_path).await?.text().await?;
    for criterion in ["Efficacité", "Efficience", "Impact"] {
        assert!(
            form.contains(&format!("<legend>{criterion}</legend>")),
            "{form}"
        );
    }

    let mut fields = vec![
        ("stage", "interim"),
        ("evaluated_on", "2026-06-30"),
        ("objectives_set", "Accueillir 40 familles"),
        ("objectives_reached", "38 familles accueillies"),
        ("effectiveness_score", "4"),
        ("effectiveness_notes", "Objectifs presque tenus"),
        ("efficiency_score", ""),
        ("efficiency_notes", ""),
        ("impact_score", "5"),
        ("impact_notes", ""),
    ];
    let response = browser.post_form(&form_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"efficiency_score-error\""), "{html}");
    assert!(
        html.contains("<option value=\"4\" selected>"),
        "kept: {html}"
    );
    let (_, listing) = browser
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/t/asso-demo/partnerships/{id}/evaluations"),
            None,
        )
        .await?;
    assert_eq!(listing["items"], json!([]), "nothing written");

    fields[6].1 = "3";
    let response = browser.post_form(&form_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, format!("{page_path}#evaluations"));
    let page = browser.get(&page_path).await?.text().await?;
    assert!(
        page.contains("Évaluation intermédiaire du 30/06/2026"),
        "{page}"
    );
    assert!(page.contains("4/5 — Objectifs presque tenus"), "{page}");
    assert!(page.contains("38 familles accueillies"));

    let sacha = stack.viewer().await?;
    assert_eq!(sacha.get(&form_path).await?.status(), StatusCode::FORBIDDEN);
    Ok(())
}

/// A project's milestones and budget lines are changed as a whole from one form: lines
/// added, a milestone marked done (keeping its identity), an amount typed in euros; an
/// amount that is none is named on its line and nothing changes.
#[tokio::test]
async fn a_projects_milestones_and_budget_are_planned_from_one_form() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (status, project) = browser
        .api(reqwest::Method::POST, "/api/v1/t/asso-demo/projects",
            Some(json!({"name": "Jardins partagés",
                        "milestones": [{"phase": "Diagnostic", "title": "Réunion publique", "due_on": "2026-04-15"}],
                        "budget_lines": [{"label": "Outils", "planned_cents": 150000, "actual_cents": 0}]})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{project}");
    let id = project["id"].as_str().unwrap_or_default().to_owned();
    let milestone_id = project["milestones"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let api_path = format!("/api/v1/t/asso-demo/projects/{id}");
    let page_path = format!("/t/asso-demo/projects/{id}");
    let plan_path = format!("{page_path}/plan");
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains(&plan_path), "{page}");
    let form = browser.get(&plan_path).await?.text().await?;
    assert!(
        form.contains("value=\"Réunion publique\"") && form.contains("value=\"1500,00\""),
        "{form}"
    );
    assert_eq!(
        form.matches("name=\"milestone_title\"").count(),
        3,
        "one and two blank"
    );
    assert_eq!(form.matches("name=\"budget_label\"").count(), 3);

    let mut fields = vec![
        ("version", "1"),
        ("milestone_id", milestone_id.as_str()),
        ("milestone_phase", "Diagnostic"),
        ("milestone_title", "Réunion publique"),
        ("milestone_due_on", "2026-04-15"),
        ("milestone_done_on", "2026-04-16"),
        ("milestone_id", ""),
        ("milestone_phase", "Chantier"),
        ("milestone_title", "Inauguration"),
        ("milestone_due_on", "2026-09-01"),
        ("milestone_done_on", ""),
        ("milestone_id", ""),
        ("milestone_phase", ""),
        ("milestone_title", ""),
        ("milestone_due_on", ""),
        ("milestone_done_on", ""),
        ("budget_label", "Outils"),
        ("budget_planned", "1500,00"),
        ("budget_actual", "1 200"),
        ("budget_label", "Semences"),
        ("budget_planned", "beaucoup"),
        ("budget_actual", ""),
    ];
    let response = browser.post_form(&plan_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"budget_planned_2-error\""), "{html}");
    assert!(html.contains("value=\"Inauguration\""), "kept: {html}");
    let (_, stored) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(stored["version"], 1, "nothing changed");

    fields[20].1 = "300";
    let response = browser.post_form(&plan_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, format!("{page_path}#jalons"));
    let (_, stored) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    let milestones = stored["milestones"].as_array().cloned().unwrap_or_default();
    assert_eq!(milestones.len(), 2, "{stored}");
    assert_eq!(
        milestones[0]["id"],
        milestone_id.as_str(),
        "the same milestone"
    );
    assert_eq!(milestones[0]["done_on"], "2026-04-16");
    assert_eq!(milestones[1]["title"], "Inauguration");
    assert_eq!(stored["budget"]["planned_cents"], 180_000);
    assert_eq!(stored["budget"]["actual_cents"], 120_000);
    let page = browser.get(&page_path).await?.text().await?;
    assert!(
        page.contains("fait le 16/04/2026") && page.contains("1\u{202f}800,00\u{a0}€"),
        "{page}"
    );

    // From the old version: stale, says what the milestones are now.
    fields[3].1 = "Réunion de quartier";
    let response = browser.post_form(&plan_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(
        html.contains("actuellement enregistré : « Réunion publique"),
        "{html}"
    );
    Ok(())
}

/// A duplicate is found from the kept person's page, merged once confirmed: what it
/// held moves to the kept one, and it goes to the bin.
#[tokio::test]
async fn a_duplicate_is_found_and_merged_from_the_kept_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let kept = created(
        &browser,
        "people",
        json!({"family_name": "Girard", "given_name": "Noël", "email": "noel@exemple.fr"}),
    )
    .await?;
    let duplicate = created(
        &browser,
        "people",
        json!({"family_name": "Girard", "given_name": "Noel", "phone": "05 61 00 00 00"}),
    )
    .await?;
    let club = created(
        &browser,
        "organisations",
        json!({"name": "Club de lecture", "kind": "association"}),
    )
    .await?;
    let (status, _) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/affiliations",
            Some(json!({"person_id": duplicate, "organisation_id": club, "role": "Trésorier"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let kept_page = format!("/t/asso-demo/people/{kept}");
    let merge_path = format!("{kept_page}/merge");
    let page = browser.get(&kept_page).await?.text().await?;
    assert!(page.contains(&merge_path), "{page}");

    let found = browser
        .get(&format!("{merge_path}?q=girard"))
        .await?
        .text()
        .await?;
    assert!(found.contains(&format!("value=\"{duplicate}\"")), "{found}");
    assert!(!found.contains(&format!("value=\"{kept}\"")), "not itself");
    let response = browser
        .post_form(&merge_path, &[("duplicate_id", duplicate.as_str())])
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await?
            .contains("Fusionner « Noel Girard » dans « Noël Girard » ?")
    );
    let duplicate_page = format!("/t/asso-demo/people/{duplicate}");
    assert_eq!(
        browser.get(&duplicate_page).await?.status(),
        StatusCode::OK,
        "asked first"
    );

    let response = browser
        .post_form(
            &merge_path,
            &[("duplicate_id", duplicate.as_str()), ("confirmed", "1")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, kept_page);
    let page = browser.get(&kept_page).await?.text().await?;
    assert!(
        page.contains("05 61 00 00 00"),
        "the phone it lacked: {page}"
    );
    assert!(
        page.contains("Club de lecture") && page.contains("Trésorier"),
        "{page}"
    );
    assert!(
        page.contains("y a fusionné un doublon"),
        "told in its changes"
    );
    assert_eq!(
        browser.get(&duplicate_page).await?.status(),
        StatusCode::NOT_FOUND
    );
    let bin = browser.get("/t/asso-demo/bin").await?.text().await?;
    assert!(bin.contains("Noel Girard"), "{bin}");

    let sacha = stack.viewer().await?;
    assert_eq!(
        sacha.get(&merge_path).await?.status(),
        StatusCode::FORBIDDEN
    );
    Ok(())
}

/// From an organisation's page a person is found by name and linked to it, with a role.
#[tokio::test]
async fn a_person_is_found_and_linked_from_an_organisations_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let person = created(
        &browser,
        "people",
        json!({"family_name": "Girard", "given_name": "Noël", "email": "noel@exemple.fr"}),
    )
    .await?;
    let club = created(
        &browser,
        "organisations",
        json!({"name": "Club de lecture", "kind": "association"}),
    )
    .await?;
    let club_page = format!("/t/asso-demo/organisations/{club}");
    let link = format!("{club_page}/affiliations/new");
    let page = browser.get(&club_page).await?.text().await?;
    assert!(page.contains(&link), "{page}");
    let found = browser.get(&format!("{link}?q=noel")).await?.text().await?;
    assert!(found.contains(&format!("value=\"{person}\"")), "{found}");
    assert!(found.contains("noel@exemple.fr"));

    let mut fields = vec![
        ("q", "noel"),
        ("role", "Président"),
        ("starts_on", "2025-09-01"),
        ("ends_on", ""),
    ];
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(html.contains("id=\"person_id-error\""), "{html}");
    assert!(
        html.contains(&format!("value=\"{person}\"")),
        "the people found stay"
    );
    fields.push(("person_id", person.as_str()));
    let response = browser.post_form(&link, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, format!("{club_page}#affiliations"));
    let page = browser.get(&club_page).await?.text().await?;
    assert!(
        page.contains("Président") && page.contains("Girard"),
        "{page}"
    );
    Ok(())
}

/// An engagement entered wrongly is corrected from the record's list of engagements, or
/// deleted once confirmed; the yearly totals follow.
#[tokio::test]
async fn an_engagement_is_corrected_or_deleted_from_the_records_page() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let person = created(&browser, "people", json!({"family_name": "Girard"})).await?;
    let donation = created(
        &browser,
        "engagements",
        json!({"kind": "donation", "person_id": person, "amount_cents": 5000, "occurred_on": "2026-05-01", "campaign": "Appel de printemps"}),
    )
    .await?;
    let page_path = format!("/t/asso-demo/people/{person}");
    let page = browser.get(&page_path).await?.text().await?;
    let link = format!("/t/asso-demo/engagements/{donation}/edit?back={page_path}");
    assert!(
        page.contains(&link) && page.contains("Appel de printemps"),
        "{page}"
    );
    let form = browser.get(&link).await?.text().await?;
    assert!(
        form.contains("value=\"50,00\"") && form.contains("value=\"2026-05-01\""),
        "{form}"
    );

    let edit_path = format!("/t/asso-demo/engagements/{donation}/edit");
    let mut fields = vec![
        ("version", "1"),
        ("back", page_path.as_str()),
        ("kind", "donation"),
        ("occurred_on", "2026-05-01"),
        ("amount", "75"),
        ("duration", ""),
        ("project_id", ""),
        ("campaign", "Appel de printemps"),
        ("notes", ""),
    ];
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response)?, format!("{page_path}#engagements"));
    let api_path = format!("/api/v1/t/asso-demo/engagements/{donation}");
    let (_, stored) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(stored["amount_cents"], 7500);
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains("75,00\u{a0}€"), "the totals follow: {page}");
    fields[4].1 = "80";
    let response = browser.post_form(&edit_path, &fields).await?;
    assert_eq!(
        response.status(),
        StatusCode::CONFLICT,
        "made from version 1"
    );
    assert!(
        response
            .text()
            .await?
            .contains("actuellement enregistré : « 75,00 »")
    );

    let delete_path = format!("/t/asso-demo/engagements/{donation}/delete");
    let response = browser
        .post_form(&delete_path, &[("version", "2"), ("back", &page_path)])
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await?
            .contains("Supprimer cet engagement du 01/05/2026 ?")
    );
    let response = browser
        .post_form(
            &delete_path,
            &[("version", "2"), ("back", &page_path), ("confirmed", "1")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains("Aucun engagement enregistré."), "{page}");
    Ok(())
}

/// The fields a workspace added to people show on a person's form and page: typed as
/// their kind says (a number as a number, a choice among its values), checked, and
/// removed when emptied.
#[tokio::test]
async fn a_workspaces_own_fields_are_filled_from_the_form_and_shown() -> TestResult {
    let stack = Stack::start().await?;
    let admin = stack
        .member_of(stack.tenant_id, "asso-demo", "dominique", "admin")
        .await?;
    // The admin adds them from the settings page; a choice needs its values.
    let settings = "/t/asso-demo/settings/fields";
    let response = admin
        .post_form(
            settings,
            &[
                ("record_type", "person"),
                ("label", "Quartier"),
                ("field_type", "choice"),
                ("choices", " "),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await?.contains("id=\"choices-error\""));
    for (record_type, label, field_type, choices) in [
        ("person", "Quartier", "choice", "Nord, Sud"),
        ("person", "Enfants", "number", ""),
        ("person", "Adhésion", "date", ""),
        ("organisation", "SIRET", "text", ""),
    ] {
        let response = admin
            .post_form(
                settings,
                &[
                    ("record_type", record_type),
                    ("label", label),
                    ("field_type", field_type),
                    ("choices", choices),
                ],
            )
            .await?;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{label}");
    }
    let page = admin.get(settings).await?.text().await?;
    assert!(page.contains("Choix dans une liste : Nord, Sud"), "{page}");
    let browser = stack.browser()?;
    browser.login("camille", "/t/asso-demo/").await?;
    let form = browser.get("/t/asso-demo/people/new").await?.text().await?;
    assert!(form.contains("name=\"custom.choice.quartier\""), "{form}");
    assert!(form.contains("name=\"custom.number.enfants\""));
    assert!(
        !form.contains("siret"),
        "an organisation's field is not a person's"
    );

    let mut fields = vec![
        ("family_name", "Girard"),
        ("custom.choice.quartier", "Nord"),
        ("custom.number.enfants", "deux"),
        ("custom.date.adhesion", "2026-01-10"),
    ];
    let response = browser
        .post_form("/t/asso-demo/people/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await?;
    assert!(
        html.contains("id=\"custom.number.enfants-error\""),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"Nord\" selected>"),
        "kept: {html}"
    );
    fields[2].1 = "2";
    let response = browser
        .post_form("/t/asso-demo/people/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, listing) = browser
        .api(reqwest::Method::GET, "/api/v1/t/asso-demo/people", None)
        .await?;
    let id = listing["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let api_path = format!("/api/v1/t/asso-demo/people/{id}");
    let (_, person) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(
        person["custom"],
        json!({"quartier": "Nord", "enfants": 2, "adhesion": "2026-01-10"})
    );
    let page_path = format!("/t/asso-demo/people/{id}");
    let page = browser.get(&page_path).await?.text().await?;
    assert!(page.contains("<dt>Quartier</dt><dd>Nord</dd>"), "{page}");
    assert!(page.contains("<dt>Enfants</dt><dd>2</dd>"), "{page}");
    assert!(
        page.contains("<dt>Adhésion</dt><dd>10/01/2026</dd>"),
        "{page}"
    );

    // Changed from the filled form: a value emptied is removed.
    let form = browser
        .get(&format!("{page_path}/edit"))
        .await?
        .text()
        .await?;
    assert!(
        form.contains("value=\"2026-01-10\"") && form.contains("<option value=\"Nord\" selected>"),
        "{form}"
    );
    let response = browser
        .post_form(
            &format!("{page_path}/edit"),
            &[
                ("version", "1"),
                ("family_name", "Girard"),
                ("custom.choice.quartier", "Sud"),
                ("custom.number.enfants", ""),
                ("custom.date.adhesion", "2026-01-10"),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, person) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(
        person["custom"],
        json!({"quartier": "Sud", "adhesion": "2026-01-10"})
    );

    // An editor sees the fields, cannot change them; the admin removes one, and its
    // values go with it.
    let page = browser.get(settings).await?.text().await?;
    assert!(
        page.contains("Quartier") && !page.contains("Ajouter le champ"),
        "{page}"
    );
    let response = browser
        .post_form(
            settings,
            &[
                ("record_type", "person"),
                ("label", "Taille"),
                ("field_type", "text"),
            ],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (_, fields) = admin
        .api(
            reqwest::Method::GET,
            "/api/v1/t/asso-demo/custom-fields",
            None,
        )
        .await?;
    let quartier = fields["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["key"] == "quartier")
        .map(|f| f["id"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let response = admin
        .post_form(&format!("{settings}/{quartier}/delete"), &[])
        .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, person) = browser.api(reqwest::Method::GET, &api_path, None).await?;
    assert_eq!(person["custom"], json!({"adhesion": "2026-01-10"}));
    Ok(())
}
