//! The target's pages without JavaScript: drawn, stakeholders added by name and placed
//! by the plain form, gaps turned into tasks, prospects promoted, the SVG file, the
//! comparison with another target; what viewers, strangers and bad forms get.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Stack, TestResult, created};

const TARGETS: &str = "/t/asso-demo/targets";

/// The stakeholder of `target` (as the API reads it) named `label`.
fn stakeholder<'a>(target: &'a Value, label: &str) -> &'a Value {
    target["stakeholders"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["label"] == label)
        .unwrap_or(&Value::Null)
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_target_is_built_from_its_page_and_each_gap_becomes_a_task() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let region = created(
        &camille,
        "organisations",
        json!({"name": "Région Sud", "kind": "public_body"}),
    )
    .await?;

    let empty = camille.page(TARGETS).await?;
    assert!(
        empty.contains("Aucune cible pour l&#39;instant."),
        "{empty}"
    );
    let page = camille
        .submit(
            TARGETS,
            &[("name", "Cible 2026"), ("drawn_on", "2026-01-15")],
        )
        .await?;
    let id = page.rsplit('/').next().unwrap_or_default().to_owned();
    let api = format!("/api/v1/t/asso-demo/targets/{id}");
    // By name: the organisation of that name; another name is a prospect.
    let stakeholders = format!("{TARGETS}/{id}/stakeholders");
    camille
        .submit(
            &stakeholders,
            &[
                ("name", "région sud"),
                ("today_ring", "3"),
                ("ideal_ring", "0"),
            ],
        )
        .await?;
    camille
        .submit(
            &stakeholders,
            &[
                ("name", "Fondation <du> \"Rivage\""),
                ("today_ring", ""),
                ("ideal_ring", "1"),
            ],
        )
        .await?;
    let target = camille.read(&api).await?;
    let placed = stakeholder(&target, "Région Sud");
    assert_eq!(text(&placed["organisation_id"]), region);

    let shown = camille.page(&format!("{TARGETS}/{id}")).await?;
    for expected in [
        "<h1>Cible 2026</h1>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"",
        ">Partenaires stratégiques</text>",
        ">Contacts</text>",
        "Région Sud</a> : de « Contacts » à « Partenaires stratégiques » <span class=\"said\">— 3 cercles à gagner</span>",
        "<em>Fondation &#60;du&#62; &#34;Rivage&#34;</em> : de « hors de la cible » à « Partenaires réguliers »",
        "<label for=\"new-name\">Organisation, ou piste à nommer</label>",
        "<script src=\"/static/target.js\"></script>",
    ] {
        assert!(shown.contains(expected), "{expected}:\n{shown}");
    }
    assert!(!shown.contains("<du>"), "the name is escaped everywhere");

    // The plain form places and gives reasons, from the version shown.
    let one = format!("{stakeholders}/{}", text(&placed["id"]));
    let form = [
        ("version", "1"),
        ("today_ring", "1"),
        ("ideal_ring", "0"),
        ("our_reasons", "Cofinancer le projet jeunesse"),
        ("their_reasons", "Atteindre les quartiers"),
    ];
    camille.submit(&one, &form).await?;
    let stale = camille.post_form(&one, &form).await?;
    assert_eq!(
        stale.status(),
        StatusCode::CONFLICT,
        "a colleague moved it first"
    );
    let shown = camille.page(&format!("{TARGETS}/{id}")).await?;
    assert!(shown.contains("— 1 cercle à gagner"), "{shown}");
    assert!(
        shown.contains(">Cofinancer le projet jeunesse</textarea>"),
        "{shown}"
    );

    // A gap becomes a task on the organisation's timeline, with one click.
    let back = camille.submit(&format!("{one}/task"), &[]).await?;
    let told = camille.page(&back).await?;
    assert!(told.contains("Tâche créée pour Région Sud"), "{told}");
    let timeline = camille
        .read(&format!(
            "/api/v1/t/asso-demo/organisations/{region}/timeline"
        ))
        .await?;
    assert_eq!(
        timeline["items"][0]["subject"],
        "Rapprocher Région Sud : de « Partenaires réguliers » à « Partenaires stratégiques »"
    );

    // The prospect becomes an organisation of the records.
    let prospect = stakeholder(&target, "Fondation <du> \"Rivage\"");
    camille
        .submit(
            &format!("{stakeholders}/{}/promote", text(&prospect["id"])),
            &[("version", "1")],
        )
        .await?;
    let target = camille.read(&api).await?;
    assert!(stakeholder(&target, "Fondation <du> \"Rivage\"")["organisation_id"].is_string());

    // The drawing as a file: an SVG document, names escaped.
    let file = camille.get(&format!("{TARGETS}/{id}/cible.svg")).await?;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.headers()[reqwest::header::CONTENT_TYPE],
        "image/svg+xml; charset=utf-8"
    );
    assert!(
        file.headers()[reqwest::header::CONTENT_DISPOSITION]
            .to_str()?
            .contains("cible-2026-01-15.svg")
    );
    let svg = file.text().await?;
    assert!(
        svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns="),
        "{svg}"
    );
    assert_eq!(svg.matches("class=\"place today\"").count(), 2);
    assert!(
        svg.contains(">Fondation &#60;du&#62; &#34;Rivage&#34;</text>"),
        "{svg}"
    );

    // Next year's target starts from this one; the two are compared.
    let next = camille
        .submit(
            TARGETS,
            &[
                ("name", "Cible 2027"),
                ("drawn_on", "2027-01-15"),
                ("copy_from", &id),
            ],
        )
        .await?;
    let next_id = next.rsplit('/').next().unwrap_or_default().to_owned();
    let next_target = camille
        .read(&format!("/api/v1/t/asso-demo/targets/{next_id}"))
        .await?;
    let moved = stakeholder(&next_target, "Région Sud");
    camille
        .submit(
            &format!("{TARGETS}/{next_id}/stakeholders/{}", text(&moved["id"])),
            &[("version", "1"), ("today_ring", "0")],
        )
        .await?;
    let compared = camille
        .page(&format!("{TARGETS}/{next_id}?compare_with={id}"))
        .await?;
    assert!(
        compared.contains("<caption>Depuis Cible 2026 (15/01/2026)</caption>"),
        "{compared}"
    );
    assert!(
        compared.contains("<td>Région Sud</td><td>Partenaires réguliers</td><td>Partenaires stratégiques</td><td>s&#39;est rapprochée de 1 cercle</td>"),
        "{compared}"
    );
    let list = camille.page(TARGETS).await?;
    assert!(
        list.find("Cible 2027")
            .zip(list.find("Cible 2026"))
            .is_some_and(|(a, b)| a < b),
        "the latest first: {list}"
    );
    Ok(())
}

#[tokio::test]
async fn bad_forms_viewers_and_strangers_change_nothing() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let made = camille
        .create("/api/v1/t/asso-demo/targets", json!({"name": "Cible"}))
        .await?;
    let id = text(&made["id"]).to_owned();
    let placed = camille
        .create(
            &format!("/api/v1/t/asso-demo/targets/{id}/stakeholders"),
            json!({"prospect_name": "Piste", "today_ring": 2}),
        )
        .await?;
    let one = format!("{TARGETS}/{id}/stakeholders/{}", text(&placed["id"]));

    // Refused, said in French on a page, and nothing changes.
    for form in [
        vec![("version", "1"), ("today_ring", "douze")],
        vec![("version", "1"), ("today_ring", "9")],
        vec![("version", "1"), ("angle", "NaN")],
        vec![("version", "1"), ("angle", "inf")],
    ] {
        let refused = camille.post_form(&one, &form).await?;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form:?}"
        );
        let page = refused.text().await?;
        assert!(page.contains("<html lang=\"fr\">"), "{page}");
    }
    let missing_version = camille.post_form(&one, &[("today_ring", "1")]).await?;
    assert!(missing_version.status().is_client_error());
    let refused = camille
        .post_form(
            &format!("{TARGETS}/{id}"),
            &[
                ("name", "Cible"),
                ("drawn_on", "2026-01-01"),
                ("rings", "Seul"),
                ("version", "1"),
            ],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await?.contains("de 2 à 6 cercles"));
    let target = camille
        .read(&format!("/api/v1/t/asso-demo/targets/{id}"))
        .await?;
    assert_eq!(target["stakeholders"][0]["today_ring"], 2);
    assert_eq!(target["stakeholders"][0]["version"], 1);
    assert_eq!(target["rings"].as_array().map(Vec::len), Some(4));
    for missing in [
        format!("{TARGETS}/{}", uuid::Uuid::new_v4()),
        format!("{TARGETS}/pas-un-identifiant"),
        format!("{TARGETS}/{}/cible.svg", uuid::Uuid::new_v4()),
    ] {
        let response = camille.get(&missing).await?;
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::BAD_REQUEST].contains(&response.status()),
            "{missing}: {}",
            response.status()
        );
    }

    // A viewer reads the target, without its forms, and cannot change it.
    let sacha = stack.viewer().await?;
    let seen = sacha.page(&format!("{TARGETS}/{id}")).await?;
    assert!(seen.contains("<h1>Cible</h1>"), "{seen}");
    assert!(
        !seen.contains("Ajouter à la cible") && !seen.contains("data-editable"),
        "{seen}"
    );
    let refused = sacha
        .post_form(&one, &[("version", "1"), ("today_ring", "0")])
        .await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = sacha.post_form(TARGETS, &[("name", "La mienne")]).await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Another workspace's member finds nothing.
    let other = stack.db.create_tenant("autre-asso").await?;
    let dominique = stack
        .member_of(other, "autre-asso", "dominique", "admin")
        .await?;
    for path in [
        format!("/t/autre-asso/targets/{id}"),
        format!("/t/autre-asso/targets/{id}/cible.svg"),
    ] {
        let response = dominique.get(&path).await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let refused = dominique
        .post_form(
            &format!("/t/autre-asso/targets/{id}/stakeholders"),
            &[("name", "Intrus")],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let response = dominique.get(&format!("/t/asso-demo/targets/{id}")).await?;
    assert_ne!(response.status(), StatusCode::OK, "not a member there");
    let target = camille
        .read(&format!("/api/v1/t/asso-demo/targets/{id}"))
        .await?;
    assert_eq!(target["stakeholders"].as_array().map(Vec::len), Some(1));
    Ok(())
}
