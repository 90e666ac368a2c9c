//! Two people editing one record at once: only what each changed is sent, a colleague's
//! change to another field (or another part of the address) is kept, and a field both
//! changed differently is shown with both values until the person chooses.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

/// The value of the hidden field `name` of a page's form, unescaped.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split_once(&marker)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(value, _)| {
            value
                .replace("&#34;", "\"")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn two_people_editing_one_record_keep_each_others_changes() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let dominique = stack
        .member_of(stack.tenant_id, "asso-demo", "dominique", "editor")
        .await?;
    let id = created(&camille, "people", json!({"given_name": "Noël", "family_name": "Girard", "phone": "05 61 00 00 00",
        "address": {"street": "3 rue des Lilas", "postal_code": "75008", "city": "Paris", "country": "FR"}})).await?;
    let edit = format!("/t/asso-demo/people/{id}/edit");
    let api = format!("/api/v1/t/asso-demo/people/{id}");
    let form = |page: &str, changes: &[(&'static str, &'static str)]| {
        let mut fields: Vec<(&'static str, String)> = vec![
            ("version", hidden(page, "version")),
            ("base", hidden(page, "base")),
            ("given_name", "Noël".into()),
            ("family_name", "Girard".into()),
            ("email", String::new()),
            ("phone", "05 61 00 00 00".into()),
            ("street", "3 rue des Lilas".into()),
            ("postal_code", "75008".into()),
            ("city", "Paris".into()),
            ("country", "FR".into()),
            ("consent_basis", String::new()),
            ("consent_on", String::new()),
            ("consent_source", String::new()),
            ("notes", String::new()),
        ];
        for (name, value) in changes {
            if let Some(field) = fields.iter_mut().find(|(f, _)| f == name) {
                field.1 = (*value).to_owned();
            }
        }
        fields
    };
    // Dominique saves the form she opened, with `changes`.
    let dominique_saves = |page: String, changes: &'static [(&'static str, &'static str)]| {
        let (dominique, edit, form) = (&dominique, &edit, &form);
        async move {
            let fields = form(&page, changes);
            let fields: Vec<(&str, &str)> = fields.iter().map(|(f, v)| (*f, v.as_str())).collect();
            dominique.submit(edit, &fields).await
        }
    };
    let send = |path: String, fields: Vec<(&'static str, String)>| {
        let camille = &camille;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(f, v)| (*f, v.as_str())).collect();
            camille.post_form(&path, &fields).await
        }
    };

    // Both open the form; Dominique moves the city, then Camille changes the phone from
    // the form opened before: both changes stand.
    let camilles_page = camille.page(&edit).await?;
    assert!(
        !hidden(&camilles_page, "base").is_empty(),
        "the form carries its base"
    );
    let dominiques_page = dominique.page(&edit).await?;
    dominique_saves(dominiques_page, &[("city", "Paris 8e")]).await?;
    let response = send(
        edit.clone(),
        form(&camilles_page, &[("phone", "06 12 34 56 78")]),
    )
    .await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "merged and saved");
    let person = camille.read(&api).await?;
    assert_eq!(person["phone"], "06 12 34 56 78");
    assert_eq!(
        person["address"]["city"], "Paris 8e",
        "the colleague's city is not reverted"
    );
    assert_eq!(person["version"], 3);

    // Both change the family name, differently: nothing is saved, both values are shown.
    let camilles_page = camille.page(&edit).await?;
    let dominiques_page = dominique.page(&edit).await?;
    dominique_saves(
        dominiques_page,
        &[
            ("family_name", "Girard-Martin"),
            ("city", "Paris 8e"),
            ("phone", "06 12 34 56 78"),
        ],
    )
    .await?;
    let mine = [
        ("family_name", "Girard-Lefèvre"),
        ("city", "Paris 8e"),
        ("phone", "06 12 34 56 78"),
        ("notes", "Vu au forum"),
    ];
    let response = send(edit.clone(), form(&camilles_page, &mine)).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = response.text().await?;
    for shown in [
        "Rien n&#39;est encore enregistré",
        "qui a enregistré « Girard-Martin » : gardez votre saisie ou reprenez la sienne",
        "value=\"Girard-Lefèvre\"",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    let person = camille.read(&api).await?;
    assert_eq!(
        (person["family_name"].as_str(), person["notes"].as_str()),
        (Some("Girard-Martin"), Some("")),
        "nothing of Camille's saved yet"
    );
    // Camille keeps hers: her name and her note are saved, the rest stays.
    let response = send(edit.clone(), form(&page, &mine)).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let person = camille.read(&api).await?;
    assert_eq!(person["family_name"], "Girard-Lefèvre");
    assert_eq!(person["notes"], "Vu au forum");
    assert_eq!(person["address"]["city"], "Paris 8e");

    // Or takes the colleague's back: nothing is sent for it.
    let camilles_page = camille.page(&edit).await?;
    let dominiques_page = dominique.page(&edit).await?;
    dominique_saves(
        dominiques_page,
        &[
            ("family_name", "Girard"),
            ("city", "Paris 8e"),
            ("phone", "06 12 34 56 78"),
            ("notes", "Vu au forum"),
        ],
    )
    .await?;
    let theirs_then_mine = [
        ("family_name", "Girard-Lefèvre-Martin"),
        ("city", "Paris 8e"),
        ("phone", "06 12 34 56 78"),
        ("notes", "Vu au forum"),
    ];
    let response = send(edit.clone(), form(&camilles_page, &theirs_then_mine)).await?;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = response.text().await?;
    let chose = [
        ("family_name", "Girard"),
        ("city", "Paris 8e"),
        ("phone", "06 12 34 56 78"),
        ("notes", "Rappelée"),
    ];
    let response = send(edit.clone(), form(&page, &chose)).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let person = camille.read(&api).await?;
    assert_eq!(person["family_name"], "Girard");
    assert_eq!(person["notes"], "Rappelée");

    // A form sent unchanged changes nothing.
    let page = camille.page(&edit).await?;
    let version = person["version"].clone();
    let response = send(edit.clone(), form(&page, &chose)).await?;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(camille.read(&api).await?["version"], version);
    Ok(())
}
