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
