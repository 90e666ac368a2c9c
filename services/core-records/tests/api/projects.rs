//! Projects: milestones, budget, partners, and the agenda.

use maillage_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult, each, id_of};

#[tokio::test]
async fn projects_carry_milestones_budget_totals_and_partners() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let region = app.organisation(&editor, "Région", "funder").await?;
    let partnership = app.create(&editor, "/v1/partnerships", json!({"title": "Contrat de ville", "kind": "funding", "partners": [{"organisation_id": region["id"]}]})).await?;

    let project = app.create(&editor, "/v1/projects", json!({
            "name": "Jardins partagés", "status": "running", "territory": "Quartier Nord",
            "target_population": "Familles du quartier", "starts_on": "2026-03-01", "ends_on": "2027-02-28",
            "milestones": [
                {"phase": "Diagnostic", "title": "Réunion publique", "due_on": "2026-04-15", "done_on": "2026-04-15"},
                {"phase": "Mise en œuvre", "title": "Premières plantations", "due_on": "2026-05-30"}
            ],
            "budget_lines": [
                {"label": "Outils", "planned_cents": 150000, "actual_cents": 98000},
                {"label": "Animation", "planned_cents": 600000, "actual_cents": 250000}
            ],
            "partners": [{"organisation_id": region["id"], "role": "financeur"}, {"partnership_id": partnership["id"], "role": "cadre"}]
        })).await?;
    assert_eq!(project["budget"]["planned_cents"], 750000);
    assert_eq!(project["budget"]["actual_cents"], 348000);
    assert_eq!(project["milestones"][0]["title"], "Réunion publique");
    assert_eq!(
        project["owner_user_id"],
        json!(editor.user_id),
        "the creator owns it by default"
    );
    let names: Vec<&str> = each(&project["partners"], "name");
    assert_eq!(names, ["Contrat de ville", "Région"]);

    let path = format!("/v1/projects/{}", id_of(&project));
    let (status, updated) = app
        .patch(&editor, &path, "\"1\"", json!({"budget_lines": [{"label": "Outils", "planned_cents": 150000, "actual_cents": 151000}]}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["budget"]["actual_cents"], 151000);
    assert_eq!(
        updated["milestones"].as_array().map(Vec::len),
        Some(2),
        "lists not named stay as they were"
    );

    for (body, field) in [
        (json!({"ends_on": "2025-01-01"}), "ends_on"),
        (json!({"status": "finished"}), "status"),
        (json!({"partners": [{"role": "sans cible"}]}), "partners"),
        (
            json!({"partners": [{"organisation_id": Uuid::new_v4()}]}),
            "partners",
        ),
        (json!({"owner_user_id": other.user_id}), "owner_user_id"),
        (
            json!({"budget_lines": [{"label": "", "planned_cents": 1}]}),
            "budget_lines.label",
        ),
    ] {
        let (status, problem) = app.patch(&editor, &path, "\"2\"", body).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let (status, _) = app.get(&other, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .post(
            &other,
            "/v1/projects",
            json!({"name": "Vol", "partners": [{"organisation_id": region["id"]}]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) = app.delete(&editor, &path).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let binned = app.read(&editor, "/v1/projects?deleted=true").await?;
    assert_eq!(binned["items"][0]["name"], "Jardins partagés");
    let (status, restored) = app
        .send(&editor, Method::POST, &format!("{path}/restore"), None)
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(restored["budget"]["actual_cents"], 151000);

    // The list carries each project's own milestones, budget and partners.
    app.create(
        &editor,
        "/v1/projects",
        json!({
            "name": "Ateliers vélo",
            "milestones": [{"title": "Atelier d'ouverture", "due_on": "2026-06-01"}],
            "budget_lines": [{"label": "Pièces", "planned_cents": 40000}],
            "partners": [{"organisation_id": region["id"], "role": "soutien"}]
        }),
    )
    .await?;
    let listed = app.read(&editor, "/v1/projects").await?;
    let summary: Vec<(&str, usize, i64, usize)> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default(),
                p["milestones"].as_array().map_or(0, Vec::len),
                p["budget"]["planned_cents"].as_i64().unwrap_or_default(),
                p["partners"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Ateliers vélo", 1, 40000, 1),
            ("Jardins partagés", 2, 150000, 2)
        ]
    );
    Ok(())
}

/// Milestones keep their identity across updates (their reminders and calendar events
/// follow them), and everything dated shows in the agenda with who answers for it.
#[tokio::test]
async fn milestones_keep_their_ids_and_the_agenda_gathers_everything_dated() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let region = app.organisation(&editor, "Région", "funder").await?;
    let partnership = app
        .create(
            &editor,
            "/v1/partnerships",
            json!({
                "title": "Contrat de ville", "kind": "funding", "status": "prospect",
                "ends_on": "2031-06-30", "next_evaluation_on": "2031-01-15",
                "partners": [{"organisation_id": region["id"]}]
            }),
        )
        .await?;
    assert_eq!(partnership["next_evaluation_on"], "2031-01-15");
    let project = app
        .create(
            &editor,
            "/v1/projects",
            json!({
                "name": "Jardins partagés",
                "milestones": [
                    {"title": "Réunion publique", "due_on": "2031-02-01"},
                    {"title": "Premières plantations", "due_on": "2031-03-01"}
                ]
            }),
        )
        .await?;
    let path = format!("/v1/projects/{}", id_of(&project));
    let kept = project["milestones"][0].clone();
    let dropped = project["milestones"][1]["id"].clone();
    assert!(kept["id"].is_string(), "{project}");

    // The first sent back with its id (and a new date), the second left out, a third new.
    let (status, updated) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"milestones": [
                {"id": kept["id"], "title": "Réunion publique", "due_on": "2031-02-08"},
                {"title": "Fête de la récolte", "due_on": "2031-09-20"}
            ]}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        updated["milestones"][0]["id"], kept["id"],
        "same milestone, moved"
    );
    assert_eq!(updated["milestones"][0]["due_on"], "2031-02-08");
    assert_ne!(updated["milestones"][1]["id"], dropped);
    // An id that is not one of this project's milestones changes nothing.
    let (status, problem) = app
        .patch(
            &editor,
            &path,
            "\"2\"",
            json!({"milestones": [{"id": dropped, "title": "Revenant"}]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "milestones.id");
    let unchanged = app.read(&editor, &path).await?;
    assert_eq!(unchanged["milestones"], updated["milestones"]);

    let agenda = app.read(&editor, "/v1/agenda?from=2031-01-01").await?;
    let seen: Vec<(String, String, bool)> = agenda["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["subject"].as_str().unwrap_or_default().to_owned(),
                i["title"].as_str().unwrap_or_default().to_owned(),
                i["mine"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    let item =
        |subject: &str, title: &str, mine: bool| (subject.to_owned(), title.to_owned(), mine);
    assert_eq!(
        seen,
        [
            // The project's owner (its creator) answers for its milestones; a
            // partnership's dates fall to the owners and admins.
            item("partnership-evaluation", "Contrat de ville", false),
            item("milestone", "Réunion publique", true),
            item("partnership-end", "Contrat de ville", false),
            item("milestone", "Fête de la récolte", true),
        ]
    );
    let mine = app
        .read(&editor, "/v1/agenda?from=2031-01-01&mine=true")
        .await?;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(2), "{mine}");
    let theirs = app.read(&other, "/v1/agenda").await?;
    assert_eq!(theirs["items"], json!([]), "another tenant sees none of it");
    let (status, problem) = app.get(&editor, "/v1/agenda?limit=100000").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    Ok(())
}
