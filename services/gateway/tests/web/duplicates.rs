//! Adding a person or an organisation that may exist already: the form names the ones
//! found before anything is added; the person opens one, merges into it, or adds anyway.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

#[tokio::test]
async fn adding_a_record_that_may_exist_warns_and_offers_to_open_merge_or_add_anyway() -> TestResult
{
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let foundation = created(
        &browser,
        "organisations",
        json!({"name": "Fondation de France", "kind": "funder", "territory": "Paris"}),
    )
    .await?;
    let count = |collection: &'static str| {
        let browser = &browser;
        async move {
            let list = browser
                .read(&format!("/api/v1/t/asso-demo/{collection}?limit=200"))
                .await?;
            anyhow::Ok(list["items"].as_array().map_or(0, Vec::len))
        }
    };
    let organisations_before = count("organisations").await?;

    // "Fondation de france": nothing is added, the one that exists is named and linked.
    let fields = [
        ("name", "fondation de  france"),
        ("kind", "funder"),
        ("sector", ""),
        ("territory", ""),
        ("website", ""),
        ("notes", "Appel à projets jeunesse"),
    ];
    let response = browser
        .post_form("/t/asso-demo/organisations/new", &fields)
        .await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    for shown in [
        "Cette fiche existe peut-être déjà",
        &format!(
            "href=\"/t/asso-demo/organisations/{foundation}\">Fondation de France</a> (même nom · Paris)"
        ),
        &format!("formaction=\"?merge_into={foundation}\""),
        "formaction=\"?duplicates=checked\"",
        // What was typed stays.
        "Appel à projets jeunesse",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert_eq!(
        count("organisations").await?,
        organisations_before,
        "nothing added"
    );

    // Added anyway: it is there, beside the other.
    let added = browser
        .submit("/t/asso-demo/organisations/new?duplicates=checked", &fields)
        .await?;
    assert!(added.starts_with("/t/asso-demo/organisations"), "{added}");
    assert_eq!(count("organisations").await?, organisations_before + 1);

    // A person with the same email: added, then merged into the one that exists.
    let helene = created(&browser, "people", json!({"given_name": "Hélène", "family_name": "Durand", "email": "helene.durand@exemple.fr"})).await?;
    let person = [
        ("given_name", "H."),
        ("family_name", "Durand-Lefèvre"),
        ("email", "Helene.Durand@exemple.fr"),
        ("phone", "06 12 34 56 78"),
        ("street", ""),
        ("postal_code", ""),
        ("city", ""),
        ("country", ""),
        ("consent_basis", ""),
        ("consent_on", ""),
        ("consent_source", ""),
        ("notes", ""),
    ];
    let response = browser
        .post_form("/t/asso-demo/people/new", &person)
        .await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await?;
    assert!(
        html.contains("Hélène Durand</a> (même e-mail · helene.durand@exemple.fr)"),
        "{html}"
    );
    let confirm = browser
        .submit(
            &format!("/t/asso-demo/people/new?merge_into={helene}"),
            &person,
        )
        .await?;
    let (path, duplicate) = confirm
        .split_once("?duplicate_id=")
        .ok_or_else(|| anyhow::anyhow!("not sent to the merge: {confirm}"))?;
    assert_eq!(path, format!("/t/asso-demo/people/{helene}/merge"));
    let page = browser.page(&confirm).await?;
    assert!(
        page.contains("Fusionner « H. Durand-Lefèvre » dans « Hélène Durand » ?"),
        "{page}"
    );
    let kept = browser
        .submit(&confirm, &[("duplicate_id", duplicate), ("confirmed", "1")])
        .await?;
    assert_eq!(kept, format!("/t/asso-demo/people/{helene}"));
    let merged = browser
        .read(&format!("/api/v1/t/asso-demo/people/{helene}"))
        .await?;
    assert_eq!(
        merged["phone"], "06 12 34 56 78",
        "the number typed reached the one kept"
    );
    let (status, _) = browser
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/t/asso-demo/people/{duplicate}"),
            None,
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the one just added went to the bin"
    );

    // Nothing alike: added straight away.
    let added = browser
        .submit(
            "/t/asso-demo/organisations/new",
            &[("name", "Les Amis du Parc"), ("kind", "association")],
        )
        .await?;
    assert!(added.starts_with("/t/asso-demo/organisations"), "{added}");
    Ok(())
}
