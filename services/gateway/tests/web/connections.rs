//! A record's page shows what it is connected to: an organisation its partnerships
//! (with its role), projects and the reports it is owed or that are owed for them; a
//! person the same through their organisations; a partnership its projects and
//! reports; a project its reports.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

#[tokio::test]
async fn each_records_page_shows_its_partnerships_projects_and_reports() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let region = created(
        &camille,
        "organisations",
        json!({"name": "Région Sud", "kind": "funder"}),
    )
    .await?;
    let former = created(
        &camille,
        "organisations",
        json!({"name": "Ancien employeur", "kind": "company"}),
    )
    .await?;
    let alice = created(
        &camille,
        "people",
        json!({"given_name": "Alice", "family_name": "Girard"}),
    )
    .await?;
    created(
        &camille,
        "affiliations",
        json!({"person_id": alice, "organisation_id": region, "role": "chargée de mission"}),
    )
    .await?;
    created(
        &camille,
        "affiliations",
        json!({"person_id": alice, "organisation_id": former,
                                             "starts_on": "2015-01-01", "ends_on": "2019-12-31"}),
    )
    .await?;
    let contrat = created(
        &camille,
        "partnerships",
        json!({
        "title": "Contrat de ville", "kind": "funding", "status": "active",
        "partners": [{"organisation_id": region, "role": "financeur"}]}),
    )
    .await?;
    created(
        &camille,
        "partnerships",
        json!({
        "title": "Mécénat d'entreprise", "kind": "funding", "status": "active",
        "partners": [{"organisation_id": former}]}),
    )
    .await?;
    let jardins = created(
        &camille,
        "projects",
        json!({
        "name": "Jardins partagés", "status": "running",
        "partners": [{"partnership_id": contrat, "role": "cadre"}]}),
    )
    .await?;
    created(
        &camille,
        "deadlines",
        json!({"title": "Bilan des subventions", "due_at": "2030-03-31T17:00:00Z",
                                          "funder_id": region}),
    )
    .await?;
    created(
        &camille,
        "deadlines",
        json!({"title": "Rapport du contrat", "due_at": "2030-06-30T17:00:00Z",
                                          "partnership_id": contrat}),
    )
    .await?;
    created(
        &camille,
        "deadlines",
        json!({"title": "Rapport des jardins", "due_at": "2030-09-30T17:00:00Z",
                                          "project_id": jardins}),
    )
    .await?;

    let page = |path: String| {
        let camille = &camille;
        async move { camille.page(&path).await }
    };
    let organisation = page(format!("/t/asso-demo/organisations/{region}")).await?;
    for expected in [
        "<h2 id=\"liens\">Liens</h2>",
        &format!("/t/asso-demo/partnerships/{contrat}\">Contrat de ville</a>"),
        "Actif · financeur",
        &format!("/t/asso-demo/projects/{jardins}\">Jardins partagés</a>"),
        "En cours · cadre · par Contrat de ville",
        "Bilan des subventions",
        "dû à cette organisation",
        "Rapport du contrat",
        "pour Contrat de ville",
        "Rapport des jardins",
        "pour Jardins partagés",
    ] {
        assert!(
            organisation.contains(expected),
            "{expected}:\n{organisation}"
        );
    }
    assert!(!organisation.contains("Mécénat d&#39;entreprise"));

    // A person: through the organisation they belong to now, not the one they left.
    let person = page(format!("/t/asso-demo/people/{alice}")).await?;
    assert!(
        person.contains("Contrat de ville")
            && person.contains("Actif · financeur · par Région Sud"),
        "{person}"
    );
    assert!(person.contains("Jardins partagés"), "{person}");
    assert!(!person.contains("Mécénat"), "a past affiliation: {person}");

    let partnership = page(format!("/t/asso-demo/partnerships/{contrat}")).await?;
    assert!(partnership.contains("Jardins partagés") && partnership.contains("Rapport du contrat"));
    assert!(
        !partnership.contains("Rapport des jardins"),
        "{partnership}"
    );
    let project = page(format!("/t/asso-demo/projects/{jardins}")).await?;
    assert!(project.contains("Rapport des jardins") && !project.contains("Bilan des subventions"));

    // A report is tied to a project from its form, and stays tied when edited.
    let deadline = camille
        .submit(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Bilan de la récolte"),
                ("funder_id", ""),
                ("project_id", &jardins),
                ("partnership_id", ""),
                ("due_date", "2030-10-15"),
                ("due_time", "12:00"),
                ("notes", ""),
                ("repeat", ""),
            ],
        )
        .await?;
    let project = page(format!("/t/asso-demo/projects/{jardins}")).await?;
    assert!(project.contains("Bilan de la récolte"), "{project}");
    let form = page(format!("{deadline}/edit")).await?;
    assert!(
        form.contains(&format!(
            "<option value=\"{jardins}\" selected>Jardins partagés</option>"
        )),
        "{form}"
    );

    // The API says the same; a record that is not there, or another workspace's, is
    // not found.
    let connections = camille
        .read(&format!(
            "/api/v1/t/asso-demo/organisations/{region}/connections"
        ))
        .await?;
    assert_eq!(
        connections["deadlines"].as_array().map(Vec::len),
        Some(4),
        "the three, and the one the form tied to the project: {connections}"
    );
    let (status, _) = camille
        .api(
            Method::GET,
            &format!("/api/v1/t/asso-demo/people/{region}/connections"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = stack.db.create_tenant("autre-asso").await?;
    let dominique = stack
        .member_of(other, "autre-asso", "dominique", "admin")
        .await?;
    let (status, _) = dominique
        .api(
            Method::GET,
            &format!("/api/v1/t/autre-asso/organisations/{region}/connections"),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}
