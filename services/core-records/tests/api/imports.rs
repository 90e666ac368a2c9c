//! Imports over HTTP: a file sent, checked in the background (the dry run), run, and
//! undone back to the very state before it, compared table by table.

use std::time::Duration;

use maillage_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Actor, TestApp, TestResult, each, id_of};

impl TestApp {
    /// The import of `bytes` sent by `actor` as `file_name`.
    pub(crate) async fn send_file(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let response = self
            .request(
                actor,
                Method::POST,
                &format!("/v1/imports?file_name={file_name}"),
            )?
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await?;
        let status = response.status();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }

    /// The import once its importer has brought it to `status`.
    pub(crate) async fn import_when(
        &self,
        actor: &Actor,
        id: &str,
        status: &str,
    ) -> anyhow::Result<Value> {
        let path = format!("/v1/imports/{id}");
        let found = maillage_testkit::eventually(Duration::from_secs(30), || async {
            let import = self.read(actor, &path).await.ok()?;
            (import["status"] == status).then_some(import)
        })
        .await;
        match found {
            Some(import) => Ok(import),
            None => anyhow::bail!("import never {status}: {}", self.read(actor, &path).await?),
        }
    }

    /// Every row of every tenant table the import may touch, as JSON, in a stable order:
    /// the imports' own tables and the audit log (which keeps the import's lines) aside.
    pub(crate) async fn records_of(
        &self,
        tenant_id: Uuid,
    ) -> anyhow::Result<Vec<(String, Vec<Value>)>> {
        let tables: Vec<String> = sqlx::query_scalar(
            "select t from tenant_tables() t where t not like 'import%' and t <> 'audit_log' order by t",
        )
        .fetch_all(&self.db.owner)
        .await?;
        let mut records = Vec::new();
        for table in tables {
            let rows: Vec<Value> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select to_jsonb(t) from {table} t where tenant_id = $1 order by to_jsonb(t)::text"
            )))
            .bind(tenant_id)
            .fetch_all(&self.db.owner)
            .await?;
            records.push((table, rows));
        }
        Ok(records)
    }
}

/// The field of each column of an import, "-" for a column left out.
pub(crate) fn fields_of(import: &Value) -> Vec<&str> {
    import["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["field"].as_str().unwrap_or("-"))
        .collect()
}

/// `text` in Windows-1252, as Excel saves a CSV on a French Windows.
fn windows_1252(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

const CONTACTS: &str = "Prénom;Nom;Courriel;Téléphone;Structure;Fonction;Étiquettes;Consentement\n\
Anaïs;Lefèvre;anais@exemple.fr;06 12 34 56 78;Mairie de Lyon;Chargée de mission;Élus, Culture;Oui\n\
Hélène;Durand;HELENE@exemple.fr;07 00 00 00 01;Cœur de quartier;Directrice;;Non\n\
Zoé;Martin;pas-une-adresse;;;;;\n\
=cmd|' /C calc'!A0;Piège;;;;;;\n\
Anaïs;Lefèvre;anais@exemple.fr;;;;;\n";

#[tokio::test]
async fn a_file_is_checked_then_run_then_undone_to_the_state_before_it() -> TestResult {
    let app = TestApp::spawn().await?;
    let actor = app.actor("asso", Role::Editor).await?;
    app.person(
        &actor,
        json!({"given_name": "Hélène", "family_name": "Durand", "email": "helene@exemple.fr"}),
    )
    .await?;
    app.organisation(&actor, "Mairie de LYON", "public_body")
        .await?;
    app.create(&actor, "/v1/tags", json!({"name": "élus"}))
        .await?;
    let before = app.records_of(actor.tenant_id).await?;

    let (status, sent) = app
        .send_file(&actor, "contacts.csv", windows_1252(CONTACTS))
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let id = id_of(&sent);
    let checked = app.import_when(&actor, &id, "checked").await?;
    assert_eq!(checked["file_shape"], "CSV, Windows-1252, séparateur « ; »");
    assert_eq!(
        fields_of(&checked),
        [
            "given_name",
            "family_name",
            "email",
            "phone",
            "organisation_name",
            "role",
            "tags",
            "email_consent"
        ]
    );
    let expected = json!({
        "rows": 5, "skipped": 0, "rejected": 2,
        "people_created": 1, "people_updated": 1, "people_matched": 1,
        "organisations_created": 1, "organisations_matched": 1,
        "affiliations_created": 2, "tags_created": 1, "tags_attached": 2,
        "likely_duplicates": 0, "kept_after_undo": 0,
        "activities_created": 0, "activities_matched": 0,
        "engagements_created": 0, "engagements_matched": 0,
    });
    assert_eq!(checked["counts"], expected);
    let problems: Vec<(u64, &str)> = checked["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["line"].as_u64().unwrap_or(0),
                p["column"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(problems, [(4, "Courriel"), (5, "Prénom")]);
    assert!(
        checked["problems"][1]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("formule"))
    );
    assert_eq!(
        app.records_of(actor.tenant_id).await?,
        before,
        "a dry run writes nothing"
    );

    let rejected = app
        .request(
            &actor,
            Method::GET,
            &format!("/v1/imports/{id}/rejected.csv"),
        )?
        .send()
        .await?
        .text()
        .await?;
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(lines.len(), 3, "{rejected}");
    assert!(lines[0].starts_with("\u{feff}Ligne;Colonne;Raison;Prénom;Nom"));
    assert!(lines[1].starts_with("4;Courriel;"));
    assert!(lines[2].contains(";'=cmd|' /C calc'!A0;"), "{rejected}");

    let (status, queued) = app
        .post(&actor, &format!("/v1/imports/{id}/run"), json!({}))
        .await?;
    assert_eq!(status, StatusCode::OK, "{queued}");
    let done = app.import_when(&actor, &id, "done").await?;
    assert_eq!(
        done["counts"], expected,
        "the run does what its dry run said"
    );
    assert_eq!(done["totals_before"]["people"], 1);
    assert_eq!(done["totals_after"]["people"], 2);
    assert_eq!(done["totals_after"]["organisations"], 2);
    assert_eq!(done["totals_after"]["affiliations"], 2);

    let people = app.read(&actor, "/v1/people").await?;
    assert_eq!(each(&people["items"], "family_name"), ["Durand", "Lefèvre"]);
    let anais = &people["items"][1];
    assert_eq!(anais["phone"], "+33612345678");
    assert_eq!(anais["email_consent"], true);
    assert_eq!(anais["consent_basis"], "consent");
    assert_eq!(
        anais["consent_source"],
        "Import du fichier « contacts.csv »"
    );
    let helene = &people["items"][0];
    assert_eq!(helene["phone"], "+33700000001", "a blank is filled");
    assert_eq!(
        helene["email"], "helene@exemple.fr",
        "nothing is overwritten"
    );
    let (_, found) = app.search(&actor, "lefevre").await?;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1), "{found}");
    let tags = app
        .read(&actor, &format!("/v1/people/{}/tags", id_of(anais)))
        .await?;
    let mut names: Vec<&str> = tags["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Culture", "élus"]);

    let (status, _) = app
        .post(&actor, &format!("/v1/imports/{id}/undo"), json!({}))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let undone = app.import_when(&actor, &id, "undone").await?;
    assert_eq!(undone["counts"]["kept_after_undo"], 0);
    let after = app.records_of(actor.tenant_id).await?;
    for ((table, rows_before), (_, rows_after)) in before.iter().zip(&after) {
        assert_eq!(rows_after, rows_before, "{table} after the undo");
    }
    let (_, found) = app.search(&actor, "lefevre").await?;
    assert_eq!(found["items"], json!([]));
    Ok(())
}

#[tokio::test]
async fn likely_duplicates_are_listed_and_decided_row_by_row() -> TestResult {
    let app = TestApp::spawn().await?;
    let actor = app.actor("asso", Role::Editor).await?;
    let jean = app
        .person(
            &actor,
            json!({"given_name": "Jean", "family_name": "Dupont"}),
        )
        .await?;
    let asso = app.organisation(&actor, "Asso A", "association").await?;
    app.create(
        &actor,
        "/v1/affiliations",
        json!({"person_id": id_of(&jean), "organisation_id": id_of(&asso)}),
    )
    .await?;
    let file =
        "Prénom,Nom,Organisation\nJEAN,DUPONT,asso a\nJean,Dupont,Autre asso\nJéan,Dupont,\n";
    let (_, sent) = app
        .send_file(&actor, "dupes.csv", file.as_bytes().to_vec())
        .await?;
    let id = id_of(&sent);
    let checked = app.import_when(&actor, &id, "checked").await?;
    let lines: Vec<u64> = checked["likely_duplicates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["line"].as_u64())
        .collect();
    assert_eq!(
        lines,
        [2, 4],
        "accents and case aside, at the same organisation or none"
    );
    assert_eq!(
        checked["likely_duplicates"][0]["person_name"],
        "Jean Dupont"
    );
    assert_eq!(checked["likely_duplicates"][0]["decision"], "match");
    assert_eq!(checked["counts"]["people_created"], 1);

    let (status, changed) = app
        .send(
            &actor,
            Method::PATCH,
            &format!("/v1/imports/{id}"),
            Some(json!({"decisions": [{"line": 2, "decision": "create"}, {"line": 4, "decision": "skip"}]})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["status"], "checking");
    let checked = app.import_when(&actor, &id, "checked").await?;
    assert_eq!(checked["counts"]["people_created"], 2);
    assert_eq!(checked["counts"]["skipped"], 1);
    assert_eq!(checked["likely_duplicates"][0]["decision"], "create");
    assert_eq!(checked["likely_duplicates"][1]["decision"], "skip");

    let (status, problem) = app
        .send(
            &actor,
            Method::PATCH,
            &format!("/v1/imports/{id}"),
            Some(json!({"decisions": [{"line": 3, "decision": "skip"}]})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    Ok(())
}

#[tokio::test]
async fn files_that_cannot_be_read_are_refused_and_nothing_else_goes_through() -> TestResult {
    let app = TestApp::spawn().await?;
    let actor = app.actor("asso", Role::Editor).await?;
    let viewer = app.member_of(actor.tenant_id, Role::Viewer).await?;
    let before = app.records_of(actor.tenant_id).await?;

    let (_, sent) = app
        .send_file(
            &actor,
            "photo.csv",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
        )
        .await?;
    let refused = app.import_when(&actor, &id_of(&sent), "refused").await?;
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("ni un CSV ni un classeur"))
    );
    let (status, _) = app
        .post(
            &actor,
            &format!("/v1/imports/{}/run", id_of(&sent)),
            json!({}),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a refused file does not run"
    );

    let (_, sent) = app
        .send_file(
            &actor,
            "broken.xlsx",
            b"PK\x03\x04\x14\0\0\0\x08\0truncated".to_vec(),
        )
        .await?;
    let refused = app.import_when(&actor, &id_of(&sent), "refused").await?;
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("XLSX"))
    );

    let (status, problem) = app.send_file(&actor, "vide.csv", Vec::new()).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _) = app
        .send_file(&actor, &"a".repeat(201), b"a\n1\n".to_vec())
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a name too long");
    let (status, _) = app.send_file(&actor, "%00", b"a\n1\n".to_vec()).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a name that is not text");

    let (status, _) = app
        .send_file(&viewer, "x.csv", b"Nom\nA\n".to_vec())
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, sent) = app
        .send_file(&actor, "ok.csv", b"Nom;Prenom\nMartin;Camille\n".to_vec())
        .await?;
    let id = id_of(&sent);
    app.import_when(&actor, &id, "checked").await?;
    let (status, problem) = app
        .send(
            &actor,
            Method::PATCH,
            &format!("/v1/imports/{id}"),
            Some(json!({"mapping": ["family_name", "family_name"]})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _) = app
        .send(
            &actor,
            Method::PATCH,
            &format!("/v1/imports/{id}"),
            Some(json!({"mapping": ["family_name"]})),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one field per column"
    );

    let other = app.actor("ailleurs", Role::Owner).await?;
    let (status, _) = app.get(&other, &format!("/v1/imports/{id}")).await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "another workspace's import");
    let (status, _) = app
        .post(&other, &format!("/v1/imports/{id}/run"), json!({}))
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = app.delete(&actor, &format!("/v1/imports/{id}")).await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.records_of(actor.tenant_id).await?, before);
    Ok(())
}
