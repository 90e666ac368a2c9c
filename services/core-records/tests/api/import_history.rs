//! Imports that bring history (activities and engagements) with the records, columns
//! changed by the transforms chosen for them, and mappings saved as templates that the
//! next file of the same headers takes by itself.

use maillage_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResult, each, id_of};
use crate::imports::fields_of;

/// The person of a list whose family name is `family_name`.
fn person_named<'a>(people: &'a Value, family_name: &str) -> &'a Value {
    people["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["family_name"] == family_name)
        .unwrap_or(&Value::Null)
}

const DONATIONS: &str = "Courriel;Nom;Structure;Type de don;Montant;Heures;Date du don;Campagne;Date de l'activité;Type d'activité;Objet\n\
anais@exemple.fr;Lefèvre;Mairie de Lyon;Don;1 250,00 €;;15/03/2024;Printemps;01/03/2024;Réunion;Présentation du projet\n\
anais@exemple.fr;Lefèvre;Mairie de Lyon;Cotisation;30;;10/01/2024;;;;\n\
;;Fondation Abeille;Subvention;15.000;;01/06/2024;;;;\n\
bob@exemple.fr;Martin;;Bénévolat;;2h30;02/02/2024;;;;\n\
carla@exemple.fr;Roux;;Don;20;;;;;;\n\
dan@exemple.fr;Petit;;Prêt;20;;01/01/2024;;;;\n";

#[tokio::test]
async fn rows_bring_their_history_once_however_often_the_file_is_sent() -> TestResult {
    let app = TestApp::spawn().await?;
    let actor = app.actor("asso", Role::Editor).await?;
    let before = app.records_of(actor.tenant_id).await?;

    let (status, sent) = app
        .send_file(&actor, "dons.csv", DONATIONS.as_bytes().to_vec())
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let id = id_of(&sent);
    let checked = app.import_when(&actor, &id, "checked").await?;
    assert_eq!(
        fields_of(&checked),
        [
            "email",
            "family_name",
            "organisation_name",
            "engagement_kind",
            "engagement_amount",
            "engagement_hours",
            "engagement_on",
            "engagement_campaign",
            "activity_on",
            "activity_kind",
            "activity_subject"
        ]
    );
    let counts = &checked["counts"];
    assert_eq!(counts["rejected"], 2, "{checked}");
    assert_eq!(counts["engagements_created"], 4);
    assert_eq!(counts["activities_created"], 1);
    let reasons: Vec<&str> = checked["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["reason"].as_str())
        .collect();
    assert!(reasons[0].contains("pas de date"), "{reasons:?}");
    assert!(reasons[1].contains("Prêt"), "{reasons:?}");

    app.post(&actor, &format!("/v1/imports/{id}/run"), json!({}))
        .await?;
    let done = app.import_when(&actor, &id, "done").await?;
    assert_eq!(done["counts"], checked["counts"]);
    assert_eq!(done["totals_after"]["engagements"], 4);
    assert_eq!(done["totals_after"]["activities"], 1);

    let engagements = app.read(&actor, "/v1/engagements").await?;
    let mut held: Vec<(String, Value, Value)> = engagements["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["amount_cents"].clone(),
                e["minutes"].clone(),
            )
        })
        .collect();
    held.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        held,
        [
            ("donation".to_owned(), json!(125_000), Value::Null),
            ("grant".to_owned(), json!(1_500_000), Value::Null),
            ("membership_fee".to_owned(), json!(3_000), Value::Null),
            ("volunteering".to_owned(), Value::Null, json!(150)),
        ]
    );
    let grant = engagements["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["kind"] == "grant")
        .cloned()
        .unwrap_or_default();
    assert!(grant["person_id"].is_null() && grant["organisation_id"].is_string());
    let people = app.read(&actor, "/v1/people").await?;
    let anais = id_of(person_named(&people, "Lefèvre"));
    let activities = app
        .read(&actor, &format!("/v1/activities?person_id={anais}"))
        .await?;
    assert_eq!(
        each(&activities["items"], "subject"),
        ["Présentation du projet"]
    );
    assert_eq!(activities["items"][0]["kind"], "meeting");

    // The same file again: its history is already there.
    let (_, again) = app
        .send_file(&actor, "dons.csv", DONATIONS.as_bytes().to_vec())
        .await?;
    let again = app.import_when(&actor, &id_of(&again), "checked").await?;
    assert_eq!(again["counts"]["engagements_created"], 0, "{again}");
    assert_eq!(again["counts"]["engagements_matched"], 4);
    assert_eq!(again["counts"]["activities_matched"], 1);
    let (status, _) = app
        .delete(&actor, &format!("/v1/imports/{}", id_of(&again)))
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Undone: the history goes with the records, to the state before.
    app.post(&actor, &format!("/v1/imports/{id}/undo"), json!({}))
        .await?;
    let undone = app.import_when(&actor, &id, "undone").await?;
    assert_eq!(undone["counts"]["kept_after_undo"], 0);
    let after = app.records_of(actor.tenant_id).await?;
    for ((table, rows_before), (_, rows_after)) in before.iter().zip(&after) {
        assert_eq!(rows_after, rows_before, "{table} after the undo");
    }
    Ok(())
}

const TOWN_FILE: &str = "Contact;Ville;Courriel;Ne pas contacter\n\
Martin Camille;SAINT-ÉTIENNE;camille@exemple.fr;Oui\n";

const NEXT_TOWN_FILE: &str = "NE PAS CONTACTER;courriel;contact;ville\n\
Non;helene@exemple.fr;Durand Hélène;LYON\n";

const OTHER_TOWN_FILE: &str = "NE PAS CONTACTER;courriel;contact;ville;Remarque\n\
Non;ines@exemple.fr;Benali Inès;LYON;à rappeler\n";

#[tokio::test]
async fn transforms_chosen_for_a_file_are_saved_as_a_template_the_next_file_takes() -> TestResult {
    let app = TestApp::spawn().await?;
    let actor = app.actor("mairie", Role::Editor).await?;
    let (_, sent) = app
        .send_file(&actor, "export.csv", TOWN_FILE.as_bytes().to_vec())
        .await?;
    let id = id_of(&sent);
    let checked = app.import_when(&actor, &id, "checked").await?;
    let transforms: Vec<&Value> = checked["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| &c["transform"])
        .collect();
    assert_eq!(
        transforms,
        [&Value::Null, &Value::Null, &Value::Null, &json!("negate")],
        "a column saying the opposite of consent is read negated"
    );

    // A transform that does not fit its column's field is refused, and nothing changes.
    let path = format!("/v1/imports/{id}");
    let (status, refused) = app
        .send(
            &actor,
            Method::PATCH,
            &path,
            Some(json!({"transforms": ["month_first", null, null, "negate"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused.to_string().contains("ne s'applique pas"),
        "{refused}"
    );

    let (status, changed) = app
        .send(
            &actor,
            Method::PATCH,
            &path,
            Some(json!({"transforms": ["family_name_first", "capitalise", null, "negate"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{changed}");
    app.import_when(&actor, &id, "checked").await?;
    let (status, template) = app
        .post(
            &actor,
            "/v1/import-templates",
            json!({"name": "Export de la mairie", "import_id": id}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{template}");
    app.post(&actor, &format!("{path}/run"), json!({})).await?;
    app.import_when(&actor, &id, "done").await?;
    let people = app.read(&actor, "/v1/people").await?;
    let camille = &people["items"][0];
    assert_eq!(
        (&camille["given_name"], &camille["family_name"]),
        (&json!("Camille"), &json!("Martin"))
    );
    assert_eq!(camille["address"]["city"], "Saint-Étienne");
    assert_eq!(camille["email_consent"], false);

    // Next month's file: the same columns in another order.
    let (_, next) = app
        .send_file(&actor, "export-2.csv", NEXT_TOWN_FILE.as_bytes().to_vec())
        .await?;
    let next_id = id_of(&next);
    let next = app.import_when(&actor, &next_id, "checked").await?;
    assert_eq!(next["template_name"], "Export de la mairie", "{next}");
    let (_, other) = app
        .send_file(&actor, "other.csv", OTHER_TOWN_FILE.as_bytes().to_vec())
        .await?;
    let other = app.import_when(&actor, &id_of(&other), "checked").await?;
    assert_eq!(
        other["template_name"],
        Value::Null,
        "a file of other headers takes no template: {other}"
    );
    // Applied by hand, the template maps the columns it knows and leaves the others out.
    let (status, applied) = app
        .send(
            &actor,
            Method::PATCH,
            &format!("/v1/imports/{}", id_of(&other)),
            Some(json!({"template_id": id_of(&template)})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{applied}");
    let applied = app.import_when(&actor, &id_of(&other), "checked").await?;
    assert_eq!(applied["template_name"], "Export de la mairie");
    assert_eq!(applied["columns"][4]["field"], Value::Null);

    app.post(&actor, &format!("/v1/imports/{next_id}/run"), json!({}))
        .await?;
    app.import_when(&actor, &next_id, "done").await?;
    let people = app.read(&actor, "/v1/people").await?;
    let helene = person_named(&people, "Durand");
    assert_eq!(helene["given_name"], "Hélène");
    assert_eq!(helene["address"]["city"], "Lyon");
    assert_eq!(
        helene["email_consent"], true,
        "« Non » to « ne pas contacter »"
    );

    let templates = app.read(&actor, "/v1/import-templates").await?;
    assert_eq!(each(&templates["items"], "name"), ["Export de la mairie"]);
    let template_path = format!("/v1/import-templates/{}", id_of(&template));
    let (status, _) = app.delete(&actor, &template_path).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.delete(&actor, &template_path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}
