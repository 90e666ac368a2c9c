//! The pages in the reader's language: the provider's `locale` at first login, then
//! their choice on the account page, the workspace's when they have none; the error
//! pages too, before and outside any workspace.

use reqwest::StatusCode;
use reqwest::header::ACCEPT_LANGUAGE;

use serde_json::json;

use crate::helpers::{Stack, TestResult, created};

fn speaks(html: &str, lang: &str, words: &[&str]) -> anyhow::Result<()> {
    anyhow::ensure!(
        html.contains(&format!("<html lang=\"{lang}\">")),
        "the page is not marked {lang}"
    );
    for word in words {
        anyhow::ensure!(html.contains(word), "no {word:?} in the page");
    }
    Ok(())
}

#[tokio::test]
async fn each_member_reads_their_language_and_may_choose_another() -> TestResult {
    let stack = Stack::start().await?;
    // camille's provider says French, sacha's English.
    let camille = stack.editor().await?;
    let sacha = stack.viewer().await?;
    let home = camille.page("/t/asso-demo/").await?;
    speaks(&home, "fr", &["Personnes", "Se déconnecter", "Rapports"])?;
    let home = sacha.page("/t/asso-demo/").await?;
    speaks(
        &home,
        "en",
        &["People", "Log out", "Reports", "Skip to content"],
    )?;
    anyhow::ensure!(!home.contains("Personnes"), "French left in: {home}");
    let people = sacha.page("/t/asso-demo/people").await?;
    speaks(&people, "en", &["<h1>People</h1>", "No person yet."])?;
    // The values records choose from, and amounts and dates, are said in English too.
    created(
        &camille,
        "projects",
        json!({"name": "Jardins partagés", "status": "planned",
               "starts_on": "2027-01-01", "ends_on": "2027-12-31"}),
    )
    .await?;
    created(
        &camille,
        "deadlines",
        json!({"title": "Bilan", "due_at": "2027-06-30T15:00:00Z"}),
    )
    .await?;
    let projects = sacha.page("/t/asso-demo/projects").await?;
    speaks(
        &projects,
        "en",
        &[
            "<td>Planned</td>",
            "Planned budget",
            "01/01/2027 to 31/12/2027",
        ],
    )?;
    let projects = camille.page("/t/asso-demo/projects").await?;
    speaks(
        &projects,
        "fr",
        &["<td>Prévu</td>", "du 01/01/2027 au 31/12/2027"],
    )?;
    let deadlines = sacha.page("/t/asso-demo/deadlines").await?;
    speaks(
        &deadlines,
        "en",
        &["Upcoming", "Due on", "Wednesday 30 June 2027 at 17:00"],
    )?;
    let home = sacha.page("/t/asso-demo/").await?;
    speaks(
        &home,
        "en",
        &[
            "1</strong> planned",
            "Jardins partagés</a> <span class=\"said\">Planned",
        ],
    )?;
    let home = camille.page("/t/asso-demo/").await?;
    speaks(
        &home,
        "fr",
        &["1</strong> prévu", "<span class=\"said\">Prévu"],
    )?;
    let found = sacha.page("/t/asso-demo/search?q=jardins").await?;
    speaks(
        &found,
        "en",
        &[
            "Results for “jardins”",
            "<h2 id=\"resultats-projects\">Projects</h2>",
        ],
    )?;
    let bin = sacha.page("/t/asso-demo/bin").await?;
    speaks(&bin, "en", &["<h1>Bin</h1>", "The bin is empty."])?;
    let settings = sacha.page("/t/asso-demo/settings").await?;
    speaks(
        &settings,
        "en",
        &[
            "Workspace settings",
            "Only the workspace&#39;s administrators change them.",
        ],
    )?;
    let agenda = sacha.page("/t/asso-demo/agenda").await?;
    speaks(
        &agenda,
        "en",
        &["<td>Report</td>", "Upcoming", "Month view"],
    )?;
    let agenda = camille.page("/t/asso-demo/agenda").await?;
    speaks(
        &agenda,
        "fr",
        &["<td>Rapport</td>", "À venir", "Vue par mois"],
    )?;

    // camille chooses English: every page follows, and the error pages too.
    let account = camille.page("/t/asso-demo/account").await?;
    speaks(
        &account,
        "fr",
        &["Mon compte", "Celle de l&#39;espace (Français)"],
    )?;
    let back = camille
        .submit("/t/asso-demo/account", &[("language", "en")])
        .await?;
    let saved = camille.page(&back).await?;
    speaks(&saved, "en", &["Your language is saved.", "My account"])?;
    let people = camille.page("/t/asso-demo/people").await?;
    speaks(&people, "en", &["Add a person", "No person yet."])?;
    let missing = camille.get("/t/asso-demo/no-such-page").await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    speaks(&missing.text().await?, "en", &["This page does not exist."])?;

    // "As the workspace": camille then reads the workspace's language, whichever it is.
    camille
        .submit("/t/asso-demo/account", &[("language", "workspace")])
        .await?;
    speaks(&camille.page("/t/asso-demo/").await?, "fr", &["Accueil"])?;
    sqlx::query("update tenants set locale = 'en-GB' where id = $1")
        .bind(stack.tenant_id)
        .execute(&stack.db.owner)
        .await?;
    let home = camille.page("/t/asso-demo/").await?;
    speaks(&home, "en", &["Home", "Running projects"])?;
    // sacha's own choice stands over the workspace's.
    sqlx::query("update tenants set locale = 'fr-FR' where id = $1")
        .bind(stack.tenant_id)
        .execute(&stack.db.owner)
        .await?;
    speaks(&sacha.page("/t/asso-demo/").await?, "en", &["Home"])?;
    speaks(&camille.page("/t/asso-demo/").await?, "fr", &["Accueil"])?;
    Ok(())
}

/// A language the pages do not speak, or none, is refused and changes nothing.
#[tokio::test]
async fn a_language_not_offered_is_refused() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    for sent in [&[("language", "de")][..], &[("language", "")][..], &[][..]] {
        let refused = camille.post_form("/t/asso-demo/account", sent).await?;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await?;
        speaks(&page, "fr", &["Choisissez une des langues proposées."])?;
    }
    let locale: Option<String> = sqlx::query_scalar(
        "select locale from users where email = 'camille.martin@demo.maillage.test'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(locale.as_deref(), Some("fr"));
    Ok(())
}

/// Before anyone logs in, the welcome and error pages speak the browser's language.
#[tokio::test]
async fn pages_before_login_speak_the_browsers_language() -> TestResult {
    let stack = Stack::start().await?;
    let http = reqwest::Client::new();
    let ask = |accept: &'static str| {
        http.get(format!("{}/no/such/page", stack.base))
            .header(ACCEPT_LANGUAGE, accept)
            .send()
    };
    let english = ask("en-GB,en;q=0.9,fr;q=0.5").await?;
    assert_eq!(english.status(), StatusCode::NOT_FOUND);
    speaks(
        &english.text().await?,
        "en",
        &["This page does not exist.", "Back to the home page"],
    )?;
    let french = ask("fr-FR,fr;q=0.9").await?;
    speaks(
        &french.text().await?,
        "fr",
        &["Cette page n&#39;existe pas.", "Revenir à l&#39;accueil"],
    )?;
    let other = ask("de-DE").await?;
    speaks(
        &other.text().await?,
        "fr",
        &["Cette page n&#39;existe pas."],
    )?;
    // The welcome page too, before anyone logs in.
    let welcome = |accept: &'static str| {
        http.get(format!("{}/", stack.base))
            .header(ACCEPT_LANGUAGE, accept)
            .send()
    };
    let english = welcome("en-US").await?.text().await?;
    speaks(&english, "en", &["Log in", "Work email address"])?;
    let french = welcome("fr").await?.text().await?;
    speaks(
        &french,
        "fr",
        &["Se connecter", "Adresse e-mail professionnelle"],
    )?;
    // The API keeps answering problems, whatever the language.
    let api = http
        .get(format!("{}/api/v1/no-such", stack.base))
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await?;
    assert_eq!(
        api.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    Ok(())
}

#[tokio::test]
async fn a_records_page_and_its_history_speak_the_readers_language() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack.viewer().await?;
    let lea = created(
        &camille,
        "people",
        json!({"given_name": "Léa", "family_name": "Durand", "email_consent": true,
               "consent_basis": "consent", "consent_on": "2026-01-15",
               "emails": [{"address": "lea@example.org", "primary": true}],
               "address": {"street": "1 Unter den Linden", "postal_code": "10117",
                           "city": "Berlin", "country": "DE"}}),
    )
    .await?;
    created(
        &camille,
        "activities",
        json!({"kind": "task", "subject": "Rappeler Léa", "occurred_at": "2026-11-02T09:00:00Z",
               "due_at": "2027-01-04T09:00:00Z", "links": {"people": [lea]}}),
    )
    .await?;
    let page = sacha.page(&format!("/t/asso-demo/people/{lea}")).await?;
    speaks(
        &page,
        "en",
        &[
            "← All people",
            "Accepts emails",
            "<dd>Yes</dd>",
            "The person&#39;s consent",
            "Email, main",
            "<h2 id=\"historique\">History</h2>",
            "<strong>Task</strong>",
            "to do by Monday 4 January 2027 at 10:00",
            "created the record",
            "Personal data (GDPR)",
            "Berlin<br>Germany</dd>",
        ],
    )?;
    anyhow::ensure!(!page.contains("Historique"), "French left in: {page}");
    let french = camille.page(&format!("/t/asso-demo/people/{lea}")).await?;
    speaks(&french, "fr", &["Berlin<br>Allemagne</dd>"])?;
    // The form offers countries by their names in the reader's language.
    let form = camille.page("/t/asso-demo/people/new").await?;
    speaks(&form, "fr", &[">Allemagne</option>"])?;
    let reminders = sacha.page("/t/asso-demo/settings/reminders").await?;
    speaks(
        &reminders,
        "en",
        &[
            "<h1>Email reminders</h1>",
            "One summary a day",
            "Only the workspace",
        ],
    )?;
    let fields = sacha.page("/t/asso-demo/settings/fields").await?;
    speaks(
        &fields,
        "en",
        &[
            "No field yet.",
            "Only the workspace&#39;s administrators add or remove fields.",
        ],
    )?;
    let network = sacha.page("/t/asso-demo/network").await?;
    speaks(
        &network,
        "en",
        &[
            "<h1>The network on",
            "In figures",
            "All types",
            "All ties",
            ">People</li>",
        ],
    )?;
    let garden = created(
        &camille,
        "projects",
        json!({"name": "Jardins", "status": "running",
               "milestones": [{"title": "Réunion publique", "due_on": "2027-04-15"}],
               "budget_lines": [{"label": "Outils", "planned_cents": 150000, "actual_cents": 0}]}),
    )
    .await?;
    let page = sacha
        .page(&format!("/t/asso-demo/projects/{garden}"))
        .await?;
    speaks(
        &page,
        "en",
        &[
            "← All projects",
            "Running",
            "Milestones",
            "due on 15/04/2027",
            "€1,500.00",
            "No partner.",
        ],
    )?;
    let report = created(
        &camille,
        "deadlines",
        json!({"title": "Bilan", "due_at": "2027-06-30T15:00:00Z"}),
    )
    .await?;
    let page = sacha
        .page(&format!("/t/asso-demo/deadlines/{report}"))
        .await?;
    speaks(
        &page,
        "en",
        &[
            "← All deadlines",
            "Upcoming",
            "Wednesday 30 June 2027 at 17:00",
            "Due on",
        ],
    )?;
    let page = camille.page(&format!("/t/asso-demo/people/{lea}")).await?;
    speaks(
        &page,
        "fr",
        &[
            "← Toutes les personnes",
            "Consentement de la personne",
            "E-mail, principal",
            "<strong>Tâche</strong>",
            "à faire pour le lundi 4 janvier 2027 à 10:00",
            "a créé la fiche",
        ],
    )?;
    Ok(())
}

#[tokio::test]
async fn a_form_its_choices_and_its_refusals_speak_the_readers_language() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    camille
        .submit("/t/asso-demo/account", &[("language", "en")])
        .await?;
    let form = camille.page("/t/asso-demo/organisations/new").await?;
    speaks(
        &form,
        "en",
        &[
            "<h1>Add an organisation</h1>",
            "Name (required)",
            "— Choose the type —",
            ">Funder</option>",
            "Postal address",
            ">United Kingdom</option>",
            "<button type=\"submit\">Save</button>",
        ],
    )?;
    let response = camille
        .post_form(
            "/t/asso-demo/organisations/new",
            &[("name", ""), ("kind", "")],
        )
        .await?;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = response.text().await?;
    speaks(
        &refused,
        "en",
        // Core-records words its refusals in the member's language too.
        &[
            "Some fields are invalid.",
            "<a href=\"#name\">Name: is required</a>",
            "<a href=\"#kind\">Type: choose the type of organisation</a>",
        ],
    )?;
    let form = camille.page("/t/asso-demo/deadlines/new").await?;
    speaks(
        &form,
        "en",
        &[
            "New report deadline",
            "Report expected (required)",
            "Responsible (they receive the reminders)",
        ],
    )?;
    // A refusal the gateway words itself, on a page of its own, is in English too.
    let project = created(&camille, "projects", json!({"name": "Jardins"})).await?;
    let refused = camille
        .post_form(
            &format!("/t/asso-demo/projects/{project}/partners"),
            &[("name", "Mairie inconnue"), ("version", "1")],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    speaks(
        &refused.text().await?,
        "en",
        &["No organisation is called &#34;Mairie inconnue&#34;: record it first."],
    )?;
    Ok(())
}
