//! Search across the workspace: accents, case, prefixes, typos, ranking.

use maillage_domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult};

/// The labels of a search's results, in order.
fn labels(found: &Value) -> Vec<String> {
    found["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["label"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn search_ignores_accents_and_case_takes_prefixes_and_forgives_typos() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    for (given, family) in [
        ("Hélène", "Durand"),
        ("Héloïse", "Martin"),
        ("Jean", "Dupont"),
    ] {
        let body = json!({"given_name": given, "family_name": family});
        let (status, _) = app.post(&editor, "/v1/people", body).await?;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = app
        .post(
            &editor,
            "/v1/organisations",
            json!({"name": "Mairie de Saint-Étienne", "kind": "public_body"}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let (_, _) = app
        .post(
            &other,
            "/v1/people",
            json!({"given_name": "Hélène", "family_name": "Autre"}),
        )
        .await?;

    let (status, found) = app.search(&editor, "helene").await?;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        labels(&found),
        ["Durand Hélène"],
        "accents ignored, and only this tenant's people"
    );
    let (_, found) = app.search(&editor, "HÉL").await?;
    let mut both = labels(&found);
    both.sort();
    assert_eq!(
        both,
        ["Durand Hélène", "Martin Héloïse"],
        "case ignored, a word's start is enough"
    );
    let (_, found) = app.search(&editor, "hél dur").await?;
    assert_eq!(
        labels(&found),
        ["Durand Hélène"],
        "every word is a prefix, all must match"
    );
    let (_, found) = app.search(&editor, "saint etienne").await?;
    assert_eq!(labels(&found), ["Mairie de Saint-Étienne"]);
    assert_eq!(found["items"][0]["kind"], "organisation");
    assert_eq!(found["approximate"], false);

    let (status, _) = app
        .post(
            &editor,
            "/v1/projects",
            json!({"name": "Jardins partagés Étienne-Dolet", "territory": "Quartier Nord"}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED);
    let (_, found) = app.search(&editor, "jardins partages").await?;
    assert_eq!(labels(&found), ["Jardins partagés Étienne-Dolet"]);
    assert_eq!(
        found["items"][0]["kind"], "project",
        "projects are found by name"
    );
    assert_eq!(found["items"][0]["detail"], "Quartier Nord");
    let (_, found) = app.search(&editor, "Jradins").await?;
    assert_eq!(
        labels(&found),
        ["Jardins partagés Étienne-Dolet"],
        "with a typo too"
    );

    let (_, found) = app.search(&editor, "Durnad").await?;
    assert_eq!(found["approximate"], true);
    assert_eq!(
        labels(&found).first().map(String::as_str),
        Some("Durand Hélène"),
        "a typo still finds her"
    );

    let (_, found) = app.search(&editor, "helene durnad").await?;
    assert_eq!(found["approximate"], true);
    assert_eq!(
        labels(&found),
        ["Durand Hélène"],
        "one word right, one mistyped"
    );
    let (_, found) = app.search(&editor, "jaen dupont").await?;
    assert_eq!(
        labels(&found),
        ["Dupont Jean"],
        "two letters swapped in a short word"
    );

    // A long query of words found nowhere answers at once, with nothing.
    let (status, found) = app.search(&editor, &"qzxw ".repeat(40)).await?;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["items"], json!([]));

    // Without a letter or digit there is no word to find (the web page says so).
    let (status, found) = app.search(&editor, "  --  ").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["items"], json!([]));
    Ok(())
}

/// A short prefix matches many: the word typed itself comes first, then the words it
/// starts, in alphabetical order, each with its records by name; and the page stops at
/// the limit asked.
#[tokio::test]
async fn a_broad_search_lists_the_word_typed_first_then_alphabetically() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    for (given, family) in [
        ("Zoé", "Martin"),
        ("Alice", "Marchand"),
        ("Léon", "Mar"),
        ("Bruno", "Martin"),
        ("Inès", "Dupont"),
    ] {
        let body = json!({"given_name": given, "family_name": family});
        let (status, _) = app.post(&editor, "/v1/people", body).await?;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, found) = app.search(&editor, "mar").await?;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        labels(&found),
        ["Mar Léon", "Marchand Alice", "Martin Bruno", "Martin Zoé"]
    );
    let scores: Vec<f64> = found["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["score"].as_f64())
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] > pair[1]),
        "the score falls with the rank: {scores:?}"
    );
    let found = app.read(&editor, "/v1/search?q=mar&limit=2").await?;
    assert_eq!(labels(&found), ["Mar Léon", "Marchand Alice"]);
    Ok(())
}

/// Partnerships, deadlines and activities are found too, each kind told; a word of a
/// name or title comes before a word of an email or notes ("contrat" finds the
/// partnership "Contrat de ville", not an organisation whose email starts "contact@");
/// an activity names the record it is read on; a search may keep to one kind.
#[tokio::test]
async fn search_finds_every_kind_of_record_and_ranks_names_above_emails_and_notes() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let caf = app
        .create(&editor, "/v1/organisations", json!({"name": "Caisse d'allocations familiales", "kind": "funder", "email": "contact@caf.fr"}))
        .await?;
    let caf_id = caf["id"].as_str().unwrap_or_default();
    app.create(&editor, "/v1/organisations", json!({"name": "Centre social Nord", "kind": "association", "email": "contrat@centre-nord.fr"}))
        .await?;
    let partnership = app
        .create(&editor, "/v1/partnerships", json!({"title": "Contrat de ville", "kind": "funding", "partners": [{"organisation_id": caf_id}]}))
        .await?;
    app.create(&editor, "/v1/deadlines", json!({"title": "Bilan du contrat", "due_at": "2027-06-30T15:00:00Z", "funder_id": caf_id, "notes": "Joindre le compte rendu financier"}))
        .await?;
    let person = app
        .person(
            &editor,
            json!({"given_name": "Inès", "family_name": "Quérard"}),
        )
        .await?;
    app.create(&editor, "/v1/activities", json!({"kind": "call", "subject": "Appel au sujet du renouvellement", "body": "Elle rappelle jeudi",
                                                 "links": {"people": [person["id"]]}}))
        .await?;

    // A long text is kept whole, searched by its beginning.
    let long = format!(
        "Compte rendu détaillé {}",
        "de la réunion du comité ".repeat(2_000)
    );
    let (status, created) = app
        .post(
            &editor,
            "/v1/activities",
            json!({"kind": "note", "subject": "Comité de pilotage", "body": long,
                                                "links": {"people": [person["id"]]}}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created["body"].as_str(),
        Some(long.trim_end()),
        "kept whole"
    );
    let (_, found) = app.search(&editor, "pilotage").await?;
    assert_eq!(labels(&found), ["Comité de pilotage"], "{found}");

    let (status, found) = app.search(&editor, "contrat").await?;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        labels(&found),
        ["Bilan du contrat", "Contrat de ville", "Centre social Nord"],
        "titles first (by title), then the email: {found}"
    );
    assert_eq!(found["approximate"], false);
    assert_eq!(found["items"][0]["kind"], "deadline");
    assert_eq!(
        found["items"][0]["detail"], "Caisse d'allocations familiales",
        "its funder"
    );
    assert_eq!(found["items"][1]["kind"], "partnership");
    assert_eq!(found["items"][1]["id"], partnership["id"]);

    // Notes are searched, below titles.
    let (_, found) = app.search(&editor, "compte rendu fin").await?;
    assert_eq!(labels(&found), ["Bilan du contrat"], "{found}");
    // An activity, by its subject or its text, names the person it is about.
    for typed in ["renouvellement", "rappelle jeudi"] {
        let (_, found) = app.search(&editor, typed).await?;
        assert_eq!(
            labels(&found),
            ["Appel au sujet du renouvellement"],
            "{typed}: {found}"
        );
        assert_eq!(found["items"][0]["kind"], "activity");
        assert_eq!(
            found["items"][0]["about"],
            json!({"kind": "person", "id": person["id"]})
        );
    }
    // One kind only.
    let found = app
        .read(&editor, "/v1/search?q=contrat&kind=organisation")
        .await?;
    assert_eq!(labels(&found), ["Centre social Nord"], "{found}");
    let (status, problem) = app
        .get(&editor, "/v1/search?q=contrat&kind=invoice")
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    // Renamed, found by the new title only; another workspace finds none of it.
    let path = format!(
        "/v1/partnerships/{}",
        partnership["id"].as_str().unwrap_or_default()
    );
    let (status, _) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"title": "Politique de la ville"}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (_, found) = app.search(&editor, "politique").await?;
    assert_eq!(labels(&found), ["Politique de la ville"], "{found}");
    for typed in ["contrat", "politique", "renouvellement"] {
        let (_, found) = app.search(&other, typed).await?;
        assert_eq!(labels(&found), Vec::<String>::new(), "{typed}");
    }
    Ok(())
}
