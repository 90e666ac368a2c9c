//! Projects' and partnerships' pages; milestones and budget planned from one form.

use maillage_testkit::location;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Stack, TestResult};

#[tokio::test]
async fn a_projects_and_a_partnerships_pages_show_what_was_agreed_and_done() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let region = browser
        .create(
            "/api/v1/t/asso-demo/organisations",
            json!({"name": "Région Occitanie", "kind": "funder"}),
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

    let projects = browser.page("/t/asso-demo/projects").await?;
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

    let partnerships = browser.page("/t/asso-demo/partnerships").await?;
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
    let html = browser.page(&location(&added)?).await?;
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

/// A project's milestones and budget lines are changed as a whole from one form: lines
/// added, a milestone marked done (keeping its identity), an amount typed in euros; an
/// amount that is none is named on its line and nothing changes.
#[tokio::test]
async fn a_projects_milestones_and_budget_are_planned_from_one_form() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
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
    let page = browser.page(&page_path).await?;
    assert!(page.contains(&plan_path), "{page}");
    let form = browser.page(&plan_path).await?;
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
    let stored = browser.read(&api_path).await?;
    assert_eq!(stored["version"], 1, "nothing changed");

    fields[20].1 = "300";
    let response = browser.submit(&plan_path, &fields).await?;
    assert_eq!(response, format!("{page_path}#jalons"));
    let stored = browser.read(&api_path).await?;
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
    let page = browser.page(&page_path).await?;
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

#[tokio::test]
async fn a_projects_partners_are_added_and_removed_from_its_page() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let api = "/api/v1/t/asso-demo";
    let region = camille
        .create(
            &format!("{api}/organisations"),
            json!({"name": "Région Sud", "kind": "public_body"}),
        )
        .await?;
    let contrat = camille
        .create(
            &format!("{api}/partnerships"),
            json!({"title": "Contrat de ville", "kind": "funding",
                   "partners": [{"organisation_id": region["id"]}]}),
        )
        .await?;
    let project = camille
        .create(
            &format!("{api}/projects"),
            json!({"name": "Jardins partagés"}),
        )
        .await?;
    let project_id = project["id"].as_str().unwrap_or("");
    let (page, project_api) = (
        format!("/t/asso-demo/projects/{project_id}"),
        format!("{api}/projects/{project_id}"),
    );
    let shown = camille.page(&page).await?;
    assert!(
        shown.contains("Aucun partenaire.") && shown.contains("Ajouter un partenaire"),
        "{shown}"
    );

    // An organisation by its name (any case), then a whole partnership.
    let partners = format!("{page}/partners");
    camille
        .submit(
            &partners,
            &[
                ("name", "région sud"),
                ("role", "Cofinanceur"),
                ("version", "1"),
            ],
        )
        .await?;
    let contrat_id = contrat["id"].as_str().unwrap_or("");
    camille
        .submit(
            &partners,
            &[
                ("partnership_id", contrat_id),
                ("role", ""),
                ("version", "2"),
            ],
        )
        .await?;
    let read = camille.read(&project_api).await?;
    let names: Vec<_> = read["partners"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or(""),
                p["role"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        names,
        [("Contrat de ville", ""), ("Région Sud", "Cofinanceur")],
        "by name"
    );
    let shown = camille.page(&page).await?;
    assert!(shown.contains("Région Sud</a> — Cofinanceur"), "{shown}");

    // Refused, said on a page, and nothing changes.
    for (form, said) in [
        (
            vec![("name", "Région Sud"), ("version", "3")],
            "déjà un partenaire",
        ),
        (
            vec![("name", "Mairie inconnue"), ("version", "3")],
            "Aucune organisation ne s&#39;appelle « Mairie inconnue »",
        ),
        (
            vec![("name", ""), ("version", "3")],
            "Nommez une organisation",
        ),
        (
            vec![("partnership_id", "pas-un-id"), ("version", "3")],
            "Ce partenariat n&#39;existe pas",
        ),
    ] {
        let refused = camille.post_form(&partners, &form).await?;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        let text = refused.text().await?;
        assert!(text.contains(said), "{said}: {text}");
    }
    let stale = camille
        .post_form(&partners, &[("name", "Région Sud"), ("version", "1")])
        .await?;
    assert!(stale.status().is_client_error());

    // Taken off.
    let region_id = region["id"].as_str().unwrap_or("");
    camille
        .submit(
            &format!("{partners}/remove"),
            &[("organisation_id", region_id), ("version", "3")],
        )
        .await?;
    let read = camille.read(&project_api).await?;
    assert_eq!(read["partners"].as_array().map(Vec::len), Some(1));
    assert_eq!(read["partners"][0]["name"], "Contrat de ville");

    let sacha = stack.viewer().await?;
    let seen = sacha.page(&page).await?;
    assert!(!seen.contains("Ajouter un partenaire"), "{seen}");
    let refused = sacha
        .post_form(&partners, &[("name", "Région Sud"), ("version", "4")])
        .await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    Ok(())
}
