//! People and organisations: affiliations, contact entries, consent, tags, merging
//! duplicates.

use maillage_domain::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, TestResult, each, id_of};

#[tokio::test]
async fn affiliations_link_people_to_organisations_current_and_past() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let person = app
        .person(
            &editor,
            json!({"family_name": "Bernard", "given_name": "Inès"}),
        )
        .await?;
    let mairie = app
        .organisation(&editor, "Mairie de Lyon", "public_body")
        .await?;
    let asso = app.organisation(&editor, "Les Amis", "association").await?;

    let current = app.create(&editor, "/v1/affiliations", json!({
            "person_id": person["id"], "organisation_id": mairie["id"], "role": "Cheffe de projet", "starts_on": "2024-01-01"
        })).await?;
    assert_eq!(current["organisation_name"], "Mairie de Lyon");
    assert_eq!(current["current"], true);
    let past = app
        .create(
            &editor,
            "/v1/affiliations",
            json!({
                "person_id": person["id"], "organisation_id": asso["id"], "role": "Trésorière",
                "starts_on": "2019-09-01", "ends_on": "2023-06-30"
            }),
        )
        .await?;
    assert_eq!(past["current"], false);

    let of_person = app
        .read(
            &editor,
            &format!("/v1/people/{}/affiliations", id_of(&person)),
        )
        .await?;
    let roles: Vec<&str> = each(&of_person["items"], "role");
    assert_eq!(
        roles,
        ["Cheffe de projet", "Trésorière"],
        "current first, then past"
    );
    let of_mairie = app
        .read(
            &editor,
            &format!("/v1/organisations/{}/affiliations", id_of(&mairie)),
        )
        .await?;
    assert_eq!(of_mairie["items"][0]["person_name"], "Bernard Inès");

    // She leaves the mairie: the affiliation becomes past.
    let path = format!("/v1/affiliations/{}", id_of(&current));
    let (status, ended) = app
        .patch(&editor, &path, "\"1\"", json!({"ends_on": "2025-01-31"}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!(ended["current"], false);
    let (status, problem) = app
        .patch(&editor, &path, "\"2\"", json!({"starts_on": "2026-01-01"}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "ends_on");

    // Another tenant neither sees it nor can point at these records.
    let (status, _) = app.get(&other, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.delete(&other, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .get(
            &other,
            &format!("/v1/people/{}/affiliations", id_of(&person)),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stranger = app.person(&other, json!({"family_name": "Autre"})).await?;
    let (status, problem) = app
        .post(
            &other,
            "/v1/affiliations",
            json!({"person_id": stranger["id"], "organisation_id": mairie["id"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "organisation_id");

    let (status, _) = app.delete(&editor, &path).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let of_person = app
        .read(
            &editor,
            &format!("/v1/people/{}/affiliations", id_of(&person)),
        )
        .await?;
    assert_eq!(of_person["items"].as_array().map(Vec::len), Some(1));
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where record_type = 'affiliation'")
            .fetch_one(&app.db.owner)
            .await?;
    assert_eq!(audited, 4, "two creations, one update, one deletion");
    Ok(())
}

#[tokio::test]
async fn tags_are_one_vocabulary_shared_by_people_organisations_and_partnerships() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let person = app
        .person(&editor, json!({"family_name": "Garcia"}))
        .await?;
    let organisation = app.organisation(&editor, "MJC", "association").await?;

    let person_tags = format!("/v1/people/{}/tags", id_of(&person));
    let (status, tagged) = app
        .put(
            &editor,
            &person_tags,
            json!({"tags": ["Bénévole", "Quartier  Nord"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{tagged}");
    assert_eq!(tagged["tags"], json!(["Bénévole", "Quartier Nord"]));
    let organisation_tags = format!("/v1/organisations/{}/tags", id_of(&organisation));
    let (_, tagged) = app
        .put(&editor, &organisation_tags, json!({"tags": ["bénévole"]}))
        .await?;
    assert_eq!(
        tagged["tags"],
        json!(["Bénévole"]),
        "the existing tag is reused, whatever its case"
    );
    let project = app
        .create(&editor, "/v1/projects", json!({"name": "Repair café"}))
        .await?;
    let project_tags = format!("/v1/projects/{}/tags", id_of(&project));
    let (status, tagged) = app
        .put(&editor, &project_tags, json!({"tags": ["BÉNÉVOLE"]}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{tagged}");
    assert_eq!(tagged["tags"], json!(["Bénévole"]));

    let vocabulary = app.read(&editor, "/v1/tags").await?;
    assert_eq!(vocabulary["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(vocabulary["items"][0]["name"], "Bénévole");
    assert_eq!(vocabulary["items"][0]["people"], 1);
    assert_eq!(vocabulary["items"][0]["organisations"], 1);
    assert_eq!(vocabulary["items"][0]["projects"], 1);

    let (status, problem) = app
        .post(&editor, "/v1/tags", json!({"name": "QUARTIER NORD"}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "name");

    let (_, cleared) = app.put(&editor, &person_tags, json!({"tags": []})).await?;
    assert_eq!(cleared["tags"], json!([]));
    let (status, _) = app.get(&other, &person_tags).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .put(&other, &organisation_tags, json!({"tags": ["pirate"]}))
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let theirs = app.read(&other, "/v1/tags").await?;
    assert_eq!(
        theirs["items"],
        json!([]),
        "each tenant has its own vocabulary"
    );
    let still = app.read(&editor, &organisation_tags).await?;
    assert_eq!(still["tags"], json!(["Bénévole"]));
    Ok(())
}

#[tokio::test]
async fn merging_duplicates_moves_every_link_to_the_survivor() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let other = app.actor("asso-b", Role::Editor).await?;
    let survivor = app
        .person(
            &editor,
            json!({"family_name": "Dubois", "given_name": "Zoé"}),
        )
        .await?;
    let duplicate = app
        .person(
            &editor,
            json!({"family_name": "Dubois", "given_name": "Zoe", "email": "zoe@exemple.fr"}),
        )
        .await?;
    let org = app
        .create(
            &editor,
            "/v1/organisations",
            json!({"name": "Club", "kind": "association", "sector": "Sport"}),
        )
        .await?;
    let org_twin = app.create(&editor, "/v1/organisations", json!({"name": "Le Club", "kind": "association", "website": "https://club.example",
                                                                      "sector": "Loisirs", "territory": "Quartier Nord"})).await?;
    app.post(&editor, "/v1/affiliations", json!({"person_id": duplicate["id"], "organisation_id": org_twin["id"], "role": "Présidente"})).await?;
    app.post(&editor, "/v1/engagements", json!({"kind": "donation", "person_id": duplicate["id"], "amount_cents": 2000, "occurred_on": "2026-02-02"})).await?;
    app.post(&editor, "/v1/activities", json!({"kind": "call", "subject": "Appel", "links": {"people": [survivor["id"], duplicate["id"]], "organisations": [org_twin["id"]]}})).await?;
    app.put(
        &editor,
        &format!("/v1/people/{}/tags", id_of(&duplicate)),
        json!({"tags": ["Donatrice"]}),
    )
    .await?;

    let merge = format!("/v1/people/{}/merge", id_of(&survivor));
    let (status, merged) = app
        .post(&editor, &merge, json!({"duplicate_id": duplicate["id"]}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(
        merged["email"], "zoe@exemple.fr",
        "blank details are filled from the duplicate"
    );
    assert_eq!(
        merged["given_name"], "Zoé",
        "the survivor's own details win"
    );
    let person = id_of(&survivor);
    let affiliations = app
        .read(&editor, &format!("/v1/people/{person}/affiliations"))
        .await?;
    assert_eq!(affiliations["items"][0]["role"], "Présidente");
    let engagements = app
        .read(&editor, &format!("/v1/engagements?person_id={person}"))
        .await?;
    assert_eq!(engagements["items"].as_array().map(Vec::len), Some(1));
    let timeline = app
        .read(&editor, &format!("/v1/people/{person}/timeline"))
        .await?;
    assert_eq!(
        timeline["items"][0]["links"]["people"],
        json!([survivor["id"]]),
        "one link where there were two"
    );
    let tags = app
        .read(&editor, &format!("/v1/people/{person}/tags"))
        .await?;
    assert_eq!(tags["tags"], json!(["Donatrice"]));
    let (status, _) = app
        .get(&editor, &format!("/v1/people/{}", id_of(&duplicate)))
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "the duplicate is in the bin");

    let (status, merged_org) = app
        .post(
            &editor,
            &format!("/v1/organisations/{}/merge", id_of(&org)),
            json!({"duplicate_id": org_twin["id"]}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{merged_org}");
    assert_eq!(merged_org["website"], "https://club.example");
    assert_eq!(
        (&merged_org["sector"], &merged_org["territory"]),
        (&json!("Sport"), &json!("Quartier Nord")),
        "the survivor's sector stays, its blank territory is filled"
    );
    let in_the_north = app
        .read(
            &editor,
            "/v1/organisations?territory=quartier%20nord&sector=SPORT",
        )
        .await?;
    assert_eq!(in_the_north["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(in_the_north["items"][0]["name"], "Club");
    let members = app
        .read(
            &editor,
            &format!("/v1/organisations/{}/affiliations", id_of(&org)),
        )
        .await?;
    assert_eq!(members["items"][0]["person_name"], "Dubois Zoé");

    let (status, problem) = app
        .post(&editor, &merge, json!({"duplicate_id": survivor["id"]}))
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let stranger = app.person(&other, json!({"family_name": "Autre"})).await?;
    let (status, _) = app
        .post(&editor, &merge, json!({"duplicate_id": stranger["id"]}))
        .await?;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another tenant's person cannot be merged in"
    );
    let (status, _) = app
        .post(&other, &merge, json!({"duplicate_id": stranger["id"]}))
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let merges: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'merge'")
        .fetch_one(&app.db.owner)
        .await?;
    assert_eq!(merges, 4, "survivor and duplicate, twice");
    Ok(())
}

#[tokio::test]
async fn people_have_several_emails_and_phones_an_address_and_a_recorded_consent() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let person = app.person(&editor, json!({
            "family_name": "Lambert",
            "emails": [{"address": "perso@exemple.fr", "label": "perso"}, {"address": "pro@mairie.fr", "label": "pro", "primary": true}],
            "phones": [{"number": "+33 6 12 34 56 78", "label": "mobile"}],
            "address": {"street": "1 place de la Mairie", "postal_code": "69001", "city": "Lyon", "country": "fr"},
            "email_consent": true, "consent_basis": "consent", "consent_on": "2026-09-01", "consent_source": "Formulaire d'adhésion"
        })).await?;
    assert_eq!(person["email"], "pro@mairie.fr", "the primary one");
    assert_eq!(
        person["phone"], "+33 6 12 34 56 78",
        "the only one becomes primary"
    );
    assert_eq!(person["address"]["country"], "FR");
    assert_eq!(person["consent_basis"], "consent");

    let path = format!("/v1/people/{}", id_of(&person));
    let (_, changed) = app
        .patch(
            &editor,
            &path,
            "\"1\"",
            json!({"email": "nouvelle@mairie.fr"}),
        )
        .await?;
    let addresses: Vec<&str> = each(&changed["emails"], "address");
    assert_eq!(
        addresses,
        ["nouvelle@mairie.fr", "perso@exemple.fr"],
        "setting `email` replaces the primary one"
    );
    let (_, found) = app.search(&editor, "nouvelle").await?;
    assert_eq!(
        found["items"][0]["label"], "Lambert",
        "search follows the primary email"
    );

    for (body, field) in [
        (
            json!({"emails": [{"address": "a@b.fr", "primary": true}, {"address": "c@d.fr", "primary": true}]}),
            "emails",
        ),
        (
            json!({"emails": [{"address": "pas-une-adresse"}]}),
            "emails",
        ),
        (json!({"phones": [{"number": "appelez-moi"}]}), "phones"),
        (json!({"address": {"country": "XX"}}), "address.country"),
        (
            json!({"address": {"country": "Atlantide"}}),
            "address.country",
        ),
        (
            json!({"email_consent": true, "consent_basis": null}),
            "consent_basis",
        ),
        (
            json!({"consent_basis": "consent", "consent_on": null}),
            "consent_on",
        ),
        (json!({"consent_basis": "because"}), "consent_basis"),
    ] {
        let (status, problem) = app.patch(&editor, &path, "\"2\"", body).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    // A country may be named, in French or English: it is kept as its code.
    let (_, moved) = app
        .patch(
            &editor,
            &path,
            "\"2\"",
            json!({"address": {"city": "Londres", "country": "Royaume-Uni"}}),
        )
        .await?;
    assert_eq!(moved["address"]["country"], "GB", "{moved}");
    Ok(())
}

/// Before a person or an organisation is added, the ones it may duplicate: the same
/// email (any case), or the same name with accents, case and spacing aside; a person's
/// current organisation tells them apart. Another workspace's are never named, binned
/// ones neither.
#[tokio::test]
async fn the_records_a_new_one_may_duplicate_are_found_by_email_or_name() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso-a", Role::Editor).await?;
    let stranger = app.actor("asso-b", Role::Editor).await?;
    let foundation = app
        .create(
            &editor,
            "/v1/organisations",
            json!({"name": "Fondation de France", "kind": "funder", "territory": "Paris"}),
        )
        .await?;
    let helene = app
        .person(&editor, json!({"given_name": "Hélène", "family_name": "Durand", "email": "helene.durand@exemple.fr"}))
        .await?;
    app.post(
        &editor,
        "/v1/affiliations",
        json!({"person_id": id_of(&helene), "organisation_id": id_of(&foundation), "role": "Chargée de mission"}),
    )
    .await?;
    app.organisation(&stranger, "Fondation de France", "funder")
        .await?;

    let similar = |actor, path: &'static str| {
        let app = &app;
        async move {
            let found = app.read(actor, path).await?;
            anyhow::Ok(
                each(&found["items"], "label")
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>(),
            )
        }
    };
    let found = app
        .read(
            &editor,
            "/v1/organisations/similar?name=fondation%20%20de%20FRANCE%20",
        )
        .await?;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(
        found["items"][0]["id"], foundation["id"],
        "this workspace's only"
    );
    assert_eq!(found["items"][0]["detail"], "Paris");
    assert_eq!(found["items"][0]["matched"], "name");
    assert!(
        similar(
            &editor,
            "/v1/organisations/similar?name=Fondation%20de%20Lyon"
        )
        .await?
        .is_empty()
    );

    let found = app
        .read(
            &editor,
            "/v1/people/similar?given_name=helene&family_name=DURAND",
        )
        .await?;
    assert_eq!(found["items"][0]["label"], "Hélène Durand", "{found}");
    assert_eq!(found["items"][0]["matched"], "name");
    assert_eq!(
        found["items"][0]["detail"], "Fondation de France · helene.durand@exemple.fr",
        "her current organisation and email tell her apart"
    );
    let found = app
        .read(
            &editor,
            "/v1/people/similar?family_name=Martin&email=Helene.Durand%40exemple.fr",
        )
        .await?;
    assert_eq!(found["items"][0]["matched"], "email", "{found}");
    assert!(
        similar(&editor, "/v1/people/similar?family_name=Durand")
            .await?
            .is_empty(),
        "a family name alone is another person"
    );
    assert!(similar(&editor, "/v1/people/similar").await?.is_empty());
    assert!(
        similar(
            &stranger,
            "/v1/people/similar?given_name=H%C3%A9l%C3%A8ne&family_name=Durand"
        )
        .await?
        .is_empty()
    );

    // Binned, it is no longer a duplicate.
    let (status, _) = app
        .delete(
            &editor,
            &format!("/v1/organisations/{}", id_of(&foundation)),
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        similar(
            &editor,
            "/v1/organisations/similar?name=Fondation%20de%20France"
        )
        .await?
        .is_empty()
    );
    let (status, problem) = app
        .get(
            &editor,
            &format!("/v1/organisations/similar?name={}", "x".repeat(201)),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, problem) = app
        .get(&editor, "/v1/people/similar?family_name=Du%00rand")
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "family_name", "{problem}");
    Ok(())
}
