//! A person's rights over HTTP: their consent's history, the copy of everything held
//! about them, and an erasure after which their name, address and number are in no table
//! of the database.

use maillage_domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Actor, TestApp, TestResult, each, id_of};

const GIVEN: &str = "Zéphyrine";
const FAMILY: &str = "Quillebeuf";
const EMAIL: &str = "zephyrine.quillebeuf@exemple.org";

impl TestApp {
    /// The tables and columns where `text` is still written: every table of the schema,
    /// rows of other tenants aside, each row read as text, and every binary column (a
    /// stored file) searched for the text's UTF-8 bytes.
    async fn places_holding(&self, tenant_id: Uuid, text: &str) -> anyhow::Result<Vec<String>> {
        let tables: Vec<(String, bool)> = sqlx::query_as(
            r#"select c.relname::text,
                      exists (select 1 from pg_attribute a
                              where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
               from pg_class c
               where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
               order by 1"#,
        )
        .fetch_all(&self.db.owner)
        .await?;
        let mut places = Vec::new();
        for (table, scoped) in tables {
            let scope = if scoped { "t.tenant_id = $2" } else { "true" };
            let found: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select count(*) from {table} t where {scope} and strpos(lower(t::text), lower($1)) > 0"
            )))
            .bind(text)
            .bind(tenant_id)
            .fetch_one(&self.db.owner)
            .await?;
            if found > 0 {
                places.push(table.clone());
            }
            let binary: Vec<String> = sqlx::query_scalar(
                r#"select a.attname::text from pg_attribute a
                   where a.attrelid = $1::regclass and a.atttypid = 'bytea'::regtype and a.attnum > 0
                     and not a.attisdropped"#,
            )
            .bind(&table)
            .fetch_all(&self.db.owner)
            .await?;
            for column in binary {
                let found: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "select count(*) from {table} t where {scope} and position(convert_to($1, 'UTF8') in t.{column}) > 0"
                )))
                .bind(text)
                .bind(tenant_id)
                .fetch_one(&self.db.owner)
                .await?;
                if found > 0 {
                    places.push(format!("{table}.{column}"));
                }
            }
        }
        Ok(places)
    }

    /// Zéphyrine in every corner of `actor`'s workspace: imported (a line refused too),
    /// consent changed, tagged, working for an organisation, giving, met alone and with
    /// others, named in a colleague's notes and on a target. Her id.
    async fn zephyrine_everywhere(&self, actor: &Actor) -> anyhow::Result<String> {
        let file = format!(
            "Prénom;Nom;Courriel;Téléphone;Structure;Étiquettes;Consentement\n\
             {GIVEN};{FAMILY};{EMAIL};06 98 76 54 32;Les Amis du Port;Bénévoles;Oui\n\
             {GIVEN};{FAMILY};pas-une-adresse-de-{FAMILY};;;;\n"
        );
        let (_, sent) = self
            .send_file(actor, "adherents.csv", file.into_bytes())
            .await?;
        let import = id_of(&sent);
        self.import_when(actor, &import, "checked").await?;
        self.post(actor, &format!("/v1/imports/{import}/run"), json!({}))
            .await?;
        self.import_when(actor, &import, "done").await?;
        let people = self.read(actor, "/v1/people").await?;
        let id = id_of(&people["items"][0]);
        let port = id_of(&self.read(actor, "/v1/organisations").await?["items"][0]);
        let person = self.read(actor, &format!("/v1/people/{id}")).await?;
        let (status, changed) = self
            .patch(
                actor,
                &format!("/v1/people/{id}"),
                &format!("\"{}\"", person["version"]),
                json!({"consent_basis": "legitimate_interest", "notes": "Préfère le téléphone"}),
            )
            .await?;
        anyhow::ensure!(status == StatusCode::OK, "{changed}");
        self.create(actor, "/v1/engagements", json!({"kind": "donation", "person_id": id, "amount_cents": 5000, "currency": "EUR", "occurred_on": "2026-03-01"}))
            .await?;
        self.create(actor, "/v1/activities", json!({"kind": "call", "occurred_at": "2026-03-02T10:00:00Z", "subject": "Appel de Zéphyrine", "links": {"people": [id]}}))
            .await?;
        self.create(actor, "/v1/activities", json!({"kind": "meeting", "occurred_at": "2026-03-03T10:00:00Z", "subject": "Assemblée générale", "body": format!("Présents : {GIVEN}  {FAMILY} ({EMAIL}) et le bureau."), "links": {"people": [id], "organisations": [port]}}))
            .await?;
        self.person(actor, json!({"given_name": "Marc", "family_name": "Voisin", "notes": format!("Cousin de {FAMILY} {GIVEN}, joignable au 06 98 76 54 32")}))
            .await?;
        let project = id_of(
            &self
                .create(actor, "/v1/projects", json!({"name": "Fête du port"}))
                .await?,
        );
        let target = id_of(
            &self
                .create(
                    actor,
                    "/v1/targets",
                    json!({"name": "Cible 2026", "project_id": project}),
                )
                .await?,
        );
        self.create(
            actor,
            &format!("/v1/targets/{target}/stakeholders"),
            json!({"prospect_name": format!("{GIVEN} {FAMILY}"), "today_ring": 2}),
        )
        .await?;
        Ok(id)
    }
}

#[tokio::test]
async fn consent_keeps_its_history_by_whom_and_only_when_it_changes() -> TestResult {
    let app = TestApp::spawn().await?;
    let editor = app.actor("asso", Role::Editor).await?;
    let person = app
        .person(
            &editor,
            json!({"given_name": "Ana", "family_name": "Roux", "email_consent": true,
                   "consent_basis": "consent", "consent_on": "2026-01-15", "consent_source": "Bulletin papier"}),
        )
        .await?;
    let path = format!("/v1/people/{}", id_of(&person));
    let (status, _) = app
        .patch(&editor, &path, "\"1\"", json!({"notes": "rien à voir"}))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .patch(&editor, &path, "\"2\"", json!({"email_consent": false}))
        .await?;
    assert_eq!(status, StatusCode::OK);
    let history = app
        .read(&editor, &format!("{path}/consent-history"))
        .await?;
    let changes = history["changes"].as_array().cloned().unwrap_or_default();
    assert_eq!(changes.len(), 2, "{history}");
    assert_eq!(changes[0]["email_consent"], false, "the latest first");
    assert_eq!(changes[1]["email_consent"], true);
    assert_eq!(changes[1]["consent_on"], "2026-01-15");
    assert_eq!(changes[1]["consent_source"], "Bulletin papier");
    let editor_name: String = sqlx::query_scalar("select display_name from users where id = $1")
        .bind(editor.user_id)
        .fetch_one(&app.db.owner)
        .await?;
    assert_eq!(changes[0]["changed_by"], editor_name.as_str());

    // A person with nothing known of their consent has no history yet.
    let silent = app
        .person(&editor, json!({"family_name": "Sans-avis"}))
        .await?;
    let history = app
        .read(
            &editor,
            &format!("/v1/people/{}/consent-history", id_of(&silent)),
        )
        .await?;
    assert_eq!(history["changes"], json!([]));
    let stranger = app.actor("autre", Role::Owner).await?;
    let (status, _) = app
        .get(&stranger, &format!("{path}/consent-history"))
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn an_admin_gets_everything_held_about_a_person_and_the_copy_is_logged() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso", Role::Admin).await?;
    let id = app.zephyrine_everywhere(&admin).await?;
    let path = format!("/v1/people/{id}/personal-data");

    let editor = app.member_of(admin.tenant_id, Role::Editor).await?;
    let (status, _) = app.get(&editor, &path).await?;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a copy is the admins' to give"
    );

    let response = app
        .request(&admin, reqwest::Method::GET, &path)?
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some(format!("attachment; filename=\"donnees-personnelles-{id}.json\"").as_str())
    );
    let data: Value = response.json().await?;
    assert_eq!(data["person"]["family_name"], FAMILY);
    assert_eq!(data["person"]["emails"][0]["address"], EMAIL);
    assert_eq!(data["person"]["notes"], "Préfère le téléphone");
    assert_eq!(data["tags"], json!(["Bénévoles"]));
    assert_eq!(data["organisations"][0]["organisation"], "Les Amis du Port");
    let subjects = each(&data["activities"], "subject");
    assert_eq!(subjects, ["Appel de Zéphyrine", "Assemblée générale"]);
    assert_eq!(data["engagements"][0]["amount_cents"], 5000);
    assert_eq!(data["imports"][0]["file_name"], "adherents.csv");
    assert_eq!(data["imports"][0]["created"], true);
    let bases: Vec<&str> = data["consent_history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["consent_basis"].as_str())
        .collect();
    assert_eq!(bases, ["legitimate_interest", "consent"], "{data}");
    let actions = each(&data["audit"], "action");
    assert!(actions.contains(&"update"), "{actions:?}");

    // The copy is in the audit log, and so in the next copy.
    let again = app.read(&admin, &path).await?;
    assert_eq!(each(&again["audit"], "action").last(), Some(&"access"));

    let stranger = app.actor("autre", Role::Owner).await?;
    let (status, body) = app.get(&stranger, &path).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.to_string().contains(FAMILY));
    Ok(())
}

#[tokio::test]
async fn an_erased_person_is_in_no_table_and_the_workspace_keeps_the_rest() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso", Role::Admin).await?;
    let id = app.zephyrine_everywhere(&admin).await?;
    // Her namesake in another workspace is another person, and stays.
    let elsewhere = app.actor("ailleurs", Role::Admin).await?;
    let namesake = app
        .person(
            &elsewhere,
            json!({"given_name": GIVEN, "family_name": FAMILY, "email": EMAIL}),
        )
        .await?;
    let path = format!("/v1/people/{id}/erasure");

    let editor = app.member_of(admin.tenant_id, Role::Editor).await?;
    let (status, _) = app.post(&editor, &path, json!({})).await?;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let preview = app.read(&admin, &path).await?;
    let counted = |field: &str| preview[field].as_i64().unwrap_or(-1);
    let removed = [
        "tags",
        "affiliations",
        "engagements",
        "activities_removed",
        "activities_unlinked",
        "consent_changes",
    ]
    .map(counted);
    assert_eq!(removed, [1, 1, 1, 1, 1, 2], "{preview}");
    // The shared meeting, her cousin's notes, the target's prospect.
    assert!(counted("mentions_replaced") >= 3, "{preview}");
    // The import's line for her record, its refused line.
    assert!(counted("import_traces") >= 2, "{preview}");
    assert!(counted("audit_entries_blanked") >= 5, "{preview}");
    let (status, _) = app.get(&admin, &format!("/v1/people/{id}")).await?;
    assert_eq!(status, StatusCode::OK, "a preview changes nothing");

    let (status, erased) = app.post(&admin, &path, json!({})).await?;
    assert_eq!(status, StatusCode::OK, "{erased}");
    assert_eq!(erased, preview, "the erasure does what its preview said");

    for trace in [
        FAMILY,
        "zephyrine",
        GIVEN,
        EMAIL,
        "98 76 54 32",
        "698765432",
    ] {
        assert_eq!(
            app.places_holding(admin.tenant_id, trace).await?,
            Vec::<String>::new(),
            "{trace} is still held"
        );
    }
    let (status, _) = app.get(&admin, &format!("/v1/people/{id}")).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, found) = app.search(&admin, FAMILY).await?;
    assert_eq!(found["items"], json!([]), "{found}");

    // The rest of the workspace stays, her mentions replaced.
    let meetings = app.read(&admin, "/v1/activities").await?;
    assert_eq!(each(&meetings["items"], "subject"), ["Assemblée générale"]);
    assert_eq!(
        meetings["items"][0]["body"],
        "Présents : [personne effacée] ([personne effacée]) et le bureau."
    );
    let people = app.read(&admin, "/v1/people").await?;
    assert_eq!(each(&people["items"], "family_name"), ["Voisin"]);
    assert_eq!(
        people["items"][0]["notes"],
        "Cousin de [personne effacée], joignable au [personne effacée]"
    );
    assert_eq!(
        each(
            &app.read(&admin, "/v1/organisations").await?["items"],
            "name"
        ),
        ["Les Amis du Port"]
    );
    // The audit log keeps the fact and the counts, not the person.
    let trail = app
        .read(
            &admin,
            &format!("/v1/audit?record_type=person&record_id={id}"),
        )
        .await?;
    let entries = trail["items"].as_array().cloned().unwrap_or_default();
    let last = entries.iter().find(|e| e["action"] == "erase");
    assert_eq!(last.map(|e| &e["after"]), Some(&preview));
    assert!(entries.iter().all(|e| e["before"].is_null()));

    let (status, _) = app.post(&admin, &path, json!({})).await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "erased once");
    let kept = app
        .read(&elsewhere, &format!("/v1/people/{}", id_of(&namesake)))
        .await?;
    assert_eq!(kept["email"], EMAIL);
    Ok(())
}

#[tokio::test]
async fn a_retention_rule_shows_who_would_go_then_the_keeper_erases_them() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso", Role::Admin).await?;
    let stranger = app.actor("autre", Role::Admin).await?;
    let silent = id_of(
        &app.person(
            &admin,
            json!({"given_name": "Ancien", "family_name": "Membre"}),
        )
        .await?,
    );
    let met = id_of(
        &app.person(
            &admin,
            json!({"given_name": "Encore", "family_name": "Actif"}),
        )
        .await?,
    );
    let giving = id_of(
        &app.person(
            &admin,
            json!({"given_name": "Donatrice", "family_name": "Fidèle"}),
        )
        .await?,
    );
    let fresh = id_of(
        &app.person(
            &admin,
            json!({"given_name": "Toute", "family_name": "Nouvelle"}),
        )
        .await?,
    );
    let elsewhere = id_of(
        &app.person(
            &stranger,
            json!({"given_name": "Ancien", "family_name": "Ailleurs"}),
        )
        .await?,
    );
    for id in [&silent, &met, &giving, &elsewhere] {
        sqlx::query(
            "update people set updated_at = now() - interval '4 years' where id = $1::uuid",
        )
        .bind(id)
        .execute(&app.db.owner)
        .await?;
    }
    let last_year = (chrono::Utc::now() - chrono::Duration::days(365)).to_rfc3339();
    app.create(&admin, "/v1/activities", json!({"kind": "call", "occurred_at": last_year, "subject": "Nouvelles", "links": {"people": [met]}}))
        .await?;
    app.create(&admin, "/v1/engagements", json!({"kind": "donation", "person_id": giving, "amount_cents": 2000, "currency": "EUR", "occurred_on": &last_year[..10]}))
        .await?;

    let editor = app.member_of(admin.tenant_id, Role::Editor).await?;
    let (status, _) = app.get(&editor, "/v1/retention").await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let rule = app.read(&admin, "/v1/retention").await?;
    assert_eq!(rule["inactive_years"], Value::Null);
    let (status, _) = app
        .get(&admin, "/v1/retention/preview?inactive_years=0")
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let preview = app
        .read(&admin, "/v1/retention/preview?inactive_years=3")
        .await?;
    assert_eq!(preview["count"], 1, "{preview}");
    assert_eq!(each(&preview["people"], "id"), [silent.as_str()]);
    let preview = app
        .read(&admin, "/v1/retention/preview?inactive_years=5")
        .await?;
    assert_eq!(preview["count"], 0);

    // Set but not scheduled: shown, kept.
    let (status, rule) = app
        .put(
            &admin,
            "/v1/retention",
            json!({"inactive_years": 3, "purge_scheduled": false}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{rule}");
    assert_eq!(rule["inactive_years"], 3);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let (status, _) = app.get(&admin, &format!("/v1/people/{silent}")).await?;
    assert_eq!(status, StatusCode::OK, "an unscheduled rule erases no one");

    let (status, _) = app
        .put(
            &admin,
            "/v1/retention",
            json!({"inactive_years": 3, "purge_scheduled": true}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    let purged = maillage_testkit::eventually(std::time::Duration::from_secs(20), || async {
        let rule = app.read(&admin, "/v1/retention").await.ok()?;
        (rule["last_purge_erased"] == 1).then_some(rule)
    })
    .await;
    assert!(purged.is_some(), "the keeper never erased");
    let (status, _) = app.get(&admin, &format!("/v1/people/{silent}")).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for kept in [&met, &giving, &fresh] {
        let (status, _) = app.get(&admin, &format!("/v1/people/{kept}")).await?;
        assert_eq!(status, StatusCode::OK, "{kept} had a sign of life");
    }
    let (status, _) = app
        .get(&stranger, &format!("/v1/people/{elsewhere}"))
        .await?;
    assert_eq!(
        status,
        StatusCode::OK,
        "another workspace's rule is its own"
    );
    let trail = app
        .read(
            &admin,
            &format!("/v1/audit?record_type=person&record_id={silent}"),
        )
        .await?;
    let erasure = trail["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["action"] == "erase")
        .cloned()
        .unwrap_or_default();
    assert_eq!(erasure["actor_user_id"], admin.user_id.to_string());
    assert_eq!(erasure["request_id"], "retention");
    Ok(())
}

#[tokio::test]
async fn the_register_of_processing_is_drawn_from_what_the_workspace_holds() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso", Role::Admin).await?;
    app.person(&admin, json!({"given_name": "Ana", "family_name": "Roux", "email": "ana@exemple.org",
                              "email_consent": true, "consent_basis": "consent", "consent_on": "2026-01-15"}))
        .await?;
    let bruno = app
        .person(
            &admin,
            json!({"given_name": "Bruno", "family_name": "Petit", "consent_basis": "contract"}),
        )
        .await?;
    app.person(&admin, json!({"family_name": "Sans-base"}))
        .await?;
    app.create(&admin, "/v1/custom-fields", json!({"record_type": "person", "key": "quartier", "label": "Quartier", "field_type": "text"}))
        .await?;
    app.put(&admin, "/v1/retention", json!({"inactive_years": 5}))
        .await?;
    app.read(
        &admin,
        &format!("/v1/people/{}/personal-data", id_of(&bruno)),
    )
    .await?;

    let editor = app.member_of(admin.tenant_id, Role::Editor).await?;
    let (status, _) = app.get(&editor, "/v1/processing-register").await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let register = app.read(&admin, "/v1/processing-register").await?;
    let contacts = &register["activities"][0];
    assert!(
        contacts["subjects"]
            .as_str()
            .is_some_and(|s| s.starts_with("3 personne(s)")),
        "{contacts}"
    );
    let bases: Vec<&str> = contacts["legal_bases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        bases,
        [
            "Consentement de la personne : 1 personne(s)",
            "Contrat (adhésion, inscription…) : 1 personne(s)",
            "Base légale non renseignée : 1 personne(s)"
        ]
    );
    assert!(
        contacts["data"]
            .to_string()
            .contains("Adresses e-mail (1 personne(s))")
    );
    assert!(
        contacts["data"]
            .to_string()
            .contains("Champs propres à l'espace : Quartier")
    );
    assert_eq!(
        contacts["retention"],
        "5 ans sans aucune activité, puis effacement (règle de l'espace)"
    );
    assert_eq!(register["copies_given"], 1);
    assert_eq!(register["erasures"], 0);
    assert_eq!(register["activities"].as_array().map(Vec::len), Some(4));
    Ok(())
}
