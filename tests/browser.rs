//! The web pages in a real browser (headless Chromium driven through chromedriver):
//! what a person does, with what the browser really does with cookies, forms and
//! redirects.

mod common;

use std::time::Duration;

use common::chromium::{Chromium, eventually_in_page, sign_in_at_provider, tempfile_dir};
use common::network::seed_large_network;
use common::{Platform, invitation_link};
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, Locator};

type TestResult = anyhow::Result<()>;

/// The names of the page's fields that no label names.
async fn unlabelled_fields(browser: &Client) -> anyhow::Result<serde_json::Value> {
    Ok(browser
        .execute(
            "return [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
                .filter(e => e.labels.length === 0).map(e => e.name)",
            vec![],
        )
        .await?)
}

async fn text_of(client: &Client, css: &str) -> anyhow::Result<String> {
    Ok(client.find(Locator::Css(css)).await?.text().await?)
}

#[tokio::test]
async fn a_person_logs_in_enters_a_deadline_and_logs_out_in_a_real_browser() -> TestResult {
    let platform = Platform::start().await?;
    let chromium = Chromium::start().await?;
    let browser = &chromium.client;

    browser.goto(&format!("{}/", platform.gateway)).await?;
    browser
        .find(Locator::LinkText("Se connecter"))
        .await?
        .click()
        .await?;
    sign_in_at_provider(browser, "camille").await?;

    browser.wait().for_element(Locator::Css("main h1")).await?;
    assert_eq!(text_of(browser, "main h1").await?, "Association asso-demo");
    assert_eq!(
        browser
            .execute("return document.documentElement.lang", vec![])
            .await?,
        "fr"
    );

    browser
        .find(Locator::LinkText("Nouvelle échéance"))
        .await?
        .click()
        .await?;
    assert_eq!(
        unlabelled_fields(browser).await?,
        serde_json::json!([]),
        "every field has a label"
    );
    browser
        .find(Locator::Id("title"))
        .await?
        .send_keys("Rapport d'étape")
        .await?;
    // Date inputs take keys in the browser's own format: set the value as the picker would.
    browser
        .execute(
            "document.getElementById('due_date').value = '2030-06-30'",
            vec![],
        )
        .await?;
    browser
        .find(Locator::Css("main form button[type=submit]"))
        .await?
        .click()
        .await?;

    browser.wait().for_element(Locator::Css("dl.facts")).await?;
    assert_eq!(text_of(browser, "main h1").await?, "Rapport d'étape");
    let facts = text_of(browser, "dl.facts").await?;
    assert!(
        facts.contains("À venir") && facts.contains("dimanche 30 juin 2030 à 12:00"),
        "{facts}"
    );

    browser
        .find(Locator::Css("form[action='/logout'] button"))
        .await?
        .click()
        .await?;
    // The provider asks whether to end its session too (RP-initiated logout), then
    // sends the browser back.
    browser
        .wait()
        .for_element(Locator::Css("button[name=logout][value=yes]"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css(".notice")).await?;
    assert_eq!(text_of(browser, ".notice").await?, "Vous êtes déconnecté.");
    let status = browser
        .execute_async(
            "const done = arguments[0]; fetch('/api/v1/me').then(r => done(r.status))",
            vec![],
        )
        .await?;
    assert_eq!(status, 401, "the session is gone on the server");

    chromium.client.clone().close().await?;
    assert_eq!(platform.db.count("reporting_deadlines").await?, 1);
    Ok(())
}

/// A coordinator filters a list from its bar, saves the view, opens it again from its
/// link, and bins two ticked records at once, in a real browser.
#[tokio::test]
async fn a_list_is_filtered_saved_as_a_view_and_acted_on_in_a_real_browser() -> TestResult {
    let platform = Platform::start().await?;
    let camille = maillage_testkit::Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
    for (name, kind) in [
        ("CAF du Rhône", "funder"),
        ("Fondation Abbé", "funder"),
        ("Les Voisins", "association"),
    ] {
        camille
            .create(
                "/api/v1/t/asso-demo/organisations",
                serde_json::json!({"name": name, "kind": kind}),
            )
            .await?;
    }
    let chromium = Chromium::start().await?;
    let browser = &chromium.client;
    chromium
        .sign_in(&platform.gateway, "camille", "/t/asso-demo/organisations")
        .await?;
    browser
        .wait()
        .for_element(Locator::Id("filter-kind"))
        .await?;
    browser
        .execute(
            "document.getElementById('filter-kind').value = 'funder'",
            vec![],
        )
        .await?;
    browser
        .find(Locator::Css("form.list-filters button[type=submit]"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css(".notice")).await?;
    assert_eq!(
        browser.current_url().await?.query(),
        Some("kind=funder"),
        "the filters are in the address, for the view to be shared"
    );
    let rows = |browser: &Client| {
        let browser = browser.clone();
        async move {
            browser
                .execute(
                    "return [...document.querySelectorAll('main tbody tr td:nth-child(2) a')].map(a => a.textContent)",
                    vec![],
                )
                .await
        }
    };
    assert_eq!(
        rows(browser).await?,
        serde_json::json!(["CAF du Rhône", "Fondation Abbé"])
    );

    // Save the view, then come back to it from the whole list.
    browser
        .find(Locator::Css(".list-views details summary"))
        .await?
        .click()
        .await?;
    browser
        .find(Locator::Id("view-name"))
        .await?
        .send_keys("Financeurs")
        .await?;
    browser
        .find(Locator::Css(".list-views form[action$='/views'] button"))
        .await?
        .click()
        .await?;
    browser
        .wait()
        .for_element(Locator::LinkText("Financeurs"))
        .await?;
    browser
        .goto(&format!("{}/t/asso-demo/organisations", platform.gateway))
        .await?;
    assert_eq!(rows(browser).await?.as_array().map(Vec::len), Some(3));
    browser
        .find(Locator::LinkText("Financeurs"))
        .await?
        .click()
        .await?;
    browser
        .wait()
        .for_element(Locator::Css("a[aria-current=true]"))
        .await?;
    assert_eq!(
        rows(browser).await?,
        serde_json::json!(["CAF du Rhône", "Fondation Abbé"])
    );

    // Tick both and move them to the bin: the actions show once something is ticked.
    let bulk_form = Locator::Css("form#bulk");
    assert!(!browser.find(bulk_form).await?.is_displayed().await?);
    for checkbox in browser.find_all(Locator::Css("td.select input")).await? {
        checkbox.click().await?;
    }
    assert!(browser.find(bulk_form).await?.is_displayed().await?);
    browser
        .execute(
            "document.getElementById('bulk-action').value = 'bin'",
            vec![],
        )
        .await?;
    browser
        .find(Locator::Css("form#bulk button[type=submit]"))
        .await?
        .click()
        .await?;
    // The filtered list already says what it is filtered by in a notice: wait for the
    // page the action leads to, whose notice says what was done.
    browser
        .wait()
        .for_element(Locator::XPath(
            "//main//p[contains(@class, 'notice') and contains(., 'corbeille')]",
        ))
        .await?;
    let said = text_of(browser, "main .notice").await?;
    assert_eq!(said, "2 fiches mises à la corbeille.");
    assert_eq!(
        serious_accessibility_violations(browser).await?,
        Vec::<String>::new()
    );
    chromium.client.clone().close().await?;
    let live: i64 =
        sqlx::query_scalar("select count(*) from organisations where deleted_at is null")
            .fetch_one(&platform.db.owner)
            .await?;
    assert_eq!(live, 1);
    Ok(())
}

/// A platform administrator signs in, finds the console from the home page and makes a
/// workspace from its form, in a real browser.
#[tokio::test]
async fn a_platform_admin_makes_a_workspace_from_the_console_in_a_real_browser() -> TestResult {
    let platform = Platform::start().await?;
    platform.grant_platform_admin("dominique").await?;
    let chromium = Chromium::start().await?;
    let browser = &chromium.client;

    browser.goto(&format!("{}/login", platform.gateway)).await?;
    sign_in_at_provider(browser, "dominique").await?;
    browser
        .wait()
        .for_element(Locator::LinkText("Console de la plateforme"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css("main h1")).await?;
    assert_eq!(text_of(browser, "main h1").await?, "Espaces de travail");
    assert_eq!(
        unlabelled_fields(browser).await?,
        serde_json::json!([]),
        "every field has a label"
    );

    for (id, text) in [
        ("name", "Réseau des jardins"),
        ("slug", "reseau-jardins"),
        ("owner_email", "sacha.petit@demo.maillage.test"),
    ] {
        browser.find(Locator::Id(id)).await?.send_keys(text).await?;
    }
    browser
        .find(Locator::Css("select#kind option[value=federation]"))
        .await?
        .click()
        .await?;
    browser
        .find(Locator::Css(
            "form[action='/admin/workspaces'] button[type=submit]",
        ))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css(".notice")).await?;
    let notice = text_of(browser, ".notice").await?;
    assert!(
        notice.contains("reseau-jardins") && notice.contains("est créé"),
        "{notice}"
    );
    let table = text_of(browser, "main table").await?;
    assert!(
        table.contains("Réseau des jardins") && table.contains("Fédération"),
        "{table}"
    );

    chromium.client.clone().close().await?;
    let kind: String = sqlx::query_scalar("select kind from tenants where slug = 'reseau-jardins'")
        .fetch_one(&platform.db.owner)
        .await?;
    assert_eq!(kind, "federation");
    Ok(())
}

/// An owner invites a colleague from the members page; the colleague follows the
/// email's link, signs in, and is in the workspace: in a real browser, the invitation's
/// page fitting a phone's width.
#[tokio::test]
async fn an_owner_invites_a_colleague_who_joins_by_the_emails_link_in_a_real_browser() -> TestResult
{
    let platform = Platform::start().await?;
    let _notification = platform.start_notification().await?;
    let chromium = Chromium::start().await?;
    let browser = &chromium.client;

    chromium
        .sign_in(&platform.gateway, "camille", "/t/asso-demo/")
        .await?;
    browser
        .wait()
        .for_element(Locator::LinkText("Membres"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Id("email")).await?;
    assert_eq!(unlabelled_fields(browser).await?, serde_json::json!([]));
    browser
        .find(Locator::Id("email"))
        .await?
        .send_keys("sacha.petit@demo.maillage.test")
        .await?;
    browser
        .find(Locator::Css("select#role option[value=editor]"))
        .await?
        .click()
        .await?;
    browser
        .find(Locator::XPath("//button[normalize-space()='Inviter']"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css(".notice")).await?;
    assert!(
        text_of(browser, ".notice")
            .await?
            .contains("part par e-mail")
    );
    assert!(
        text_of(browser, "main")
            .await?
            .contains("sacha.petit@demo.maillage.test")
    );

    let emails = platform
        .invitations_to("sacha.petit@demo.maillage.test", 1)
        .await?;
    let link = format!("{}{}", platform.gateway, invitation_link(&emails[0])?);

    // Sacha, on a phone, in a browser where nobody is signed in.
    browser.delete_all_cookies().await?;
    browser.set_window_size(390, 844).await?;
    browser.goto(&link).await?;
    browser.wait().for_element(Locator::Css("main h1")).await?;
    assert!(text_of(browser, "main h1").await?.contains("asso-demo"));
    let overflow: serde_json::Value = browser
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await?;
    assert_eq!(
        overflow,
        serde_json::json!(0),
        "the invitation fits a phone's width"
    );
    browser
        .find(Locator::LinkText("Se connecter pour accepter"))
        .await?
        .click()
        .await?;
    sign_in_at_provider(browser, "sacha").await?;
    // sacha's provider says English: the workspace's pages speak it.
    browser
        .wait()
        .for_element(Locator::LinkText("Members"))
        .await?;
    let here = browser.current_url().await?;
    assert!(here.path().ends_with("/t/asso-demo/"), "{here}");
    chromium.client.clone().close().await?;
    let role: String = sqlx::query_scalar(
        "select m.role from memberships m join users u on u.id = m.user_id where u.email = 'sacha.petit@demo.maillage.test'",
    )
    .fetch_one(&platform.db.owner)
    .await?;
    assert_eq!(role, "editor");
    Ok(())
}

#[tokio::test]
async fn an_owner_gives_the_workspace_a_logo_that_shows_in_the_header_in_a_real_browser()
-> TestResult {
    let platform = Platform::start().await?;
    let chromium = Chromium::start().await?;
    let browser = &chromium.client;
    let file = std::path::Path::new(&tempfile_dir()?).join("logo.png");
    std::fs::write(
        &file,
        maillage_testkit::pictures::picture(
            maillage_testkit::pictures::ImageFormat::Png,
            960,
            320,
        )?,
    )?;

    chromium
        .sign_in(&platform.gateway, "camille", "/t/asso-demo/settings")
        .await?;
    browser.wait().for_element(Locator::Id("logo")).await?;
    assert_eq!(unlabelled_fields(browser).await?, serde_json::json!([]));
    browser
        .find(Locator::Id("logo"))
        .await?
        .send_keys(&file.to_string_lossy())
        .await?;
    browser
        .find(Locator::XPath(
            "//button[normalize-space()='Envoyer le logo']",
        ))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css(".notice")).await?;
    // The browser fetched it and drew it (the page's security policy lets it).
    let mut drawn = serde_json::Value::Null;
    for _ in 0..50 {
        drawn = browser
            .execute(
                "const logo = document.querySelector('header img.tenant-logo');
                 return logo && logo.complete ? [logo.naturalWidth, logo.naturalHeight, logo.getBoundingClientRect().height] : null",
                vec![],
            )
            .await?;
        if !drawn.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        drawn,
        serde_json::json!([480, 160, 40]),
        "480 × 160 pixels, drawn 40 px high"
    );
    chromium.client.clone().close().await?;
    Ok(())
}

/// Keeps what the browser shows, for people to look at (the issues' notes list them):
/// `$TMPDIR/maillage-screenshots/{name}.png`.
async fn screenshot(browser: &Client, name: &str) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join("maillage-screenshots");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("{name}.png")), browser.screenshot().await?)?;
    Ok(())
}

/// axe-core, run in the page by the tests only (never served to users).
const AXE: &str = include_str!("vendor/axe.min.js");

/// What axe-core finds on the page as it is that is serious or critical, WCAG 2.1 A
/// and AA: one line per rule, naming the elements.
async fn serious_accessibility_violations(browser: &Client) -> anyhow::Result<Vec<String>> {
    browser
        .execute(&format!("{AXE}\n;return typeof window.axe;"), vec![])
        .await?;
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

/// The elements that stick out of the window's width, as `tag.class: right edge`
/// (none: the page fits).
async fn overflow(browser: &Client) -> anyhow::Result<serde_json::Value> {
    Ok(browser
        .execute(
            "const width = document.documentElement.clientWidth;
             return [...document.querySelectorAll('body *')]
               .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'absolute')
               .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
               .slice(0, 10)
               .map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + ': ' + Math.round(e.getBoundingClientRect().right))",
            vec![],
        )
        .await?)
}

#[tokio::test]
async fn the_dashboard_and_the_network_are_drawn_from_the_records_in_a_real_browser() -> TestResult
{
    let platform = Platform::start().await?;
    let camille = maillage_testkit::Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
    let api = "/api/v1/t/asso-demo";
    let mut organisations = Vec::new();
    for (name, kind) in [
        ("Région Sud", "public_body"),
        ("Fondation Abbé", "funder"),
        ("Les Voisins", "association"),
    ] {
        let territory = if name == "Région Sud" {
            "Marseille"
        } else {
            ""
        };
        let made = camille
            .create(
                &format!("{api}/organisations"),
                serde_json::json!({"name": name, "kind": kind, "territory": territory}),
            )
            .await?;
        organisations.push(made["id"].clone());
    }
    for (title, partner) in [
        ("Contrat de ville", 0),
        ("Mécénat", 1),
        ("Fête de quartier", 2),
    ] {
        camille
            .create(
                &format!("{api}/partnerships"),
                serde_json::json!({"title": title, "kind": "funding", "status": "active",
                                   "partners": [{"organisation_id": organisations[partner]}]}),
            )
            .await?;
    }
    camille
        .create(
            &format!("{api}/deadlines"),
            serde_json::json!({"title": "Bilan CAF", "due_at": chrono::Utc::now() - chrono::Duration::days(2)}),
        )
        .await?;
    let photograph = camille.read(&format!("{api}/network/photograph")).await?;
    let expected_nodes = photograph["nodes"].as_array().map_or(0, Vec::len);
    assert_eq!(expected_nodes, 6);

    let chromium = Chromium::start().await?;
    let browser = &chromium.client;
    chromium
        .sign_in(&platform.gateway, "camille", "/t/asso-demo/")
        .await?;
    // The dashboard's figures, as the page shows them.
    browser.wait().for_element(Locator::Id("rapports")).await?;
    let reports = text_of(browser, "section[aria-labelledby=rapports] .figures").await?;
    assert!(reports.contains("1 en retard"), "{reports}");
    let network = text_of(browser, "section[aria-labelledby=reseau] .figures").await?;
    assert!(network.contains("3 partenaires"), "{network}");
    let panels_overflow = browser
        .execute("return document.querySelector('.dashboard').scrollWidth - document.querySelector('.dashboard').clientWidth", vec![])
        .await?;
    assert_eq!(
        panels_overflow,
        serde_json::json!(0),
        "the panels fit the page"
    );
    screenshot(browser, "dashboard").await?;
    assert_eq!(
        serious_accessibility_violations(browser).await?,
        Vec::<String>::new()
    );

    // The network page draws the same nodes and ties, from the page.
    browser
        .find(Locator::LinkText(
            "Voir le réseau dessiné, et son évolution",
        ))
        .await?
        .click()
        .await?;
    let drawn = eventually_in_page(
        browser,
        "const d = document.getElementById('network-drawing'); return d && d.dataset.drawnNodes ? [Number(d.dataset.drawnNodes), Number(d.dataset.drawnTies)] : null",
    )
    .await?;
    assert_eq!(drawn, serde_json::json!([expected_nodes, 3]));
    screenshot(browser, "network").await?;
    // The SVG export is an SVG document with a shape per node.
    let svg = browser
        .execute(
            "const doc = new DOMParser().parseFromString(window.maillageNetwork.svg(), 'image/svg+xml');
             return doc.querySelector('parsererror') ? 'error' : doc.querySelectorAll('circle, rect').length",
            vec![],
        )
        .await?;
    assert_eq!(svg, serde_json::json!(expected_nodes));
    assert_eq!(unlabelled_fields(browser).await?, serde_json::json!([]));
    assert_eq!(
        serious_accessibility_violations(browser).await?,
        Vec::<String>::new()
    );
    // A filter from the form: the territory's organisation and what it is tied to.
    browser
        .find(Locator::Id("territory"))
        .await?
        .send_keys("Marseille")
        .await?;
    browser
        .find(Locator::XPath("//button[text()='Afficher']"))
        .await?
        .click()
        .await?;
    let filtered = eventually_in_page(
        browser,
        "const d = document.getElementById('network-drawing'); return d && location.search.includes('territory') && d.dataset.drawnNodes ? [Number(d.dataset.drawnNodes), Number(d.dataset.drawnTies)] : null",
    )
    .await?;
    assert_eq!(
        filtered,
        serde_json::json!([2, 1]),
        "Région Sud and its partnership"
    );
    // The time comparison: since yesterday, every tie appeared.
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    browser
        .goto(&format!(
            "{}/t/asso-demo/network?compare_with={yesterday}",
            platform.gateway
        ))
        .await?;
    let evolution = browser
        .wait()
        .for_element(Locator::Css("section[aria-labelledby=evolution]"))
        .await?
        .text()
        .await?;
    assert!(
        evolution.contains("Apparus (3)") && evolution.contains("Disparus (0)"),
        "{evolution}"
    );
    eventually_in_page(
        browser,
        "const d = document.getElementById('network-drawing'); return d && d.dataset.drawnNodes ? true : null",
    )
    .await?;
    screenshot(browser, "network-compared").await?;

    // A click on a node opens its record.
    let opened = browser
        .execute(
            "const node = window.maillageNetwork.node('Région Sud');
             node.emit('tap'); return true",
            vec![],
        )
        .await?;
    assert_eq!(opened, serde_json::json!(true));
    browser.wait().for_element(Locator::Css("main h1")).await?;
    assert_eq!(text_of(browser, "main h1").await?, "Région Sud");

    // On a phone, the dashboard and the network fit the screen's width.
    browser.set_window_size(390, 844).await?;
    for (path, name) in [
        ("/t/asso-demo/", "dashboard-phone"),
        ("/t/asso-demo/network", "network-phone"),
    ] {
        browser.goto(&format!("{}{path}", platform.gateway)).await?;
        browser.wait().for_element(Locator::Css("main h1")).await?;
        assert_eq!(
            overflow(browser).await?,
            serde_json::json!([]),
            "{path} fits 390 px"
        );
        screenshot(browser, name).await?;
    }
    chromium.client.clone().close().await?;
    Ok(())
}

#[tokio::test]
async fn a_target_is_built_by_dragging_and_by_the_form_in_a_real_browser() -> TestResult {
    let platform = Platform::start().await?;
    let camille = maillage_testkit::Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
    camille
        .create(
            "/api/v1/t/asso-demo/organisations",
            serde_json::json!({"name": "Région Sud", "kind": "public_body"}),
        )
        .await?;

    let chromium = Chromium::start().await?;
    let browser = &chromium.client;
    chromium
        .sign_in(&platform.gateway, "camille", "/t/asso-demo/targets")
        .await?;
    // Named…
    browser
        .wait()
        .for_element(Locator::Id("name"))
        .await?
        .send_keys("Cible 2026")
        .await?;
    browser
        .find(Locator::XPath("//button[text()='Dessiner']"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Id("new-name")).await?;
    // …an organisation of the records and a prospect, each placed today and ideally…
    for (name, today, ideal) in [("Région Sud", "3", "0"), ("Fondation du Rivage", "", "1")] {
        browser
            .find(Locator::Id("new-name"))
            .await?
            .send_keys(name)
            .await?;
        browser
            .find(Locator::Id("new-today"))
            .await?
            .select_by_value(today)
            .await?;
        browser
            .find(Locator::Id("new-ideal"))
            .await?
            .select_by_value(ideal)
            .await?;
        browser
            .find(Locator::XPath("//button[text()='Ajouter']"))
            .await?
            .click()
            .await?;
        eventually_in_page(
            browser,
            &format!("return document.querySelector('#placer-section').textContent.includes('{name}') ? true : null"),
        )
        .await?;
    }
    let gaps = text_of(browser, "#ecarts-section").await?;
    assert!(
        gaps.contains("Région Sud : de « Contacts » à « Partenaires stratégiques »"),
        "{gaps}"
    );
    let targets = camille.read("/api/v1/t/asso-demo/targets").await?;
    let api = format!(
        "/api/v1/t/asso-demo/targets/{}",
        targets["items"][0]["id"].as_str().unwrap_or("")
    );
    let placed = camille.read(&api).await?;
    let id_of = |label: &str| {
        placed["stakeholders"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|s| s["label"] == label)
            .and_then(|s| s["id"].as_str())
            .unwrap_or("")
            .to_owned()
    };
    let (region, fondation) = (id_of("Région Sud"), id_of("Fondation du Rivage"));

    // …the prospect dragged from outside the target onto its second ring, with the mouse…
    let marker = browser
        .find(Locator::Css(&format!(
            "circle.today[data-stakeholder='{fondation}']"
        )))
        .await?;
    let destination = browser
        .execute(
            "const svg = document.getElementById('target-drawing');
             svg.scrollIntoView({block: 'center'});
             const m = document.querySelector(arguments[0]);
             const angle = Math.atan2(Number(m.getAttribute('cy')), Number(m.getAttribute('cx')));
             const radius = Number(svg.dataset.radius) * 1.5 / Number(svg.dataset.rings);
             const p = svg.createSVGPoint();
             p.x = radius * Math.cos(angle); p.y = radius * Math.sin(angle);
             const s = p.matrixTransform(svg.getScreenCTM());
             return [s.x, s.y]",
            vec![serde_json::json!(format!(
                "circle.today[data-stakeholder='{fondation}']"
            ))],
        )
        .await?;
    let (x, y) = (
        destination[0].as_f64().unwrap_or(0.0),
        destination[1].as_f64().unwrap_or(0.0),
    );
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: marker,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(300)),
            x,
            y,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    browser.perform_actions(drag).await?;
    let saved = eventually_in_page(
        browser,
        "const s = document.getElementById('target-status').textContent;
         return s && s !== 'Enregistrement…' ? s : null",
    )
    .await?;
    assert_eq!(saved, serde_json::json!("Place enregistrée."));
    let moved = camille.read(&api).await?;
    let fondation_now = moved["stakeholders"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["label"] == "Fondation du Rivage")
        .cloned()
        .unwrap_or_default();
    assert_eq!(fondation_now["today_ring"], 1, "dropped on the second ring");
    assert_eq!(fondation_now["gap"], 0, "where it should be");
    let gaps = text_of(browser, "#ecarts-section").await?;
    assert!(
        !gaps.contains("Fondation du Rivage"),
        "the gaps are drawn again: {gaps}"
    );

    // …Région Sud moved by the plain form (as from the keyboard)…
    browser
        .find(Locator::Id(&format!("today-{region}")))
        .await?
        .select_by_value("1")
        .await?;
    browser
        .find(Locator::XPath("//button[text()='Enregistrer Région Sud']"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Id("ecarts")).await?;
    let gaps = text_of(browser, "#ecarts-section").await?;
    assert!(
        gaps.contains("Région Sud : de « Partenaires réguliers » à « Partenaires stratégiques »"),
        "{gaps}"
    );
    // …and its gap made a task with one click.
    browser
        .find(Locator::Css(
            "button[aria-label='Créer une tâche pour Région Sud']",
        ))
        .await?
        .click()
        .await?;
    let notice = browser
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await?
        .text()
        .await?;
    assert!(notice.contains("Tâche créée pour Région Sud"), "{notice}");

    // The SVG export parses, with a place for each; the page's fields have labels, and
    // axe-core finds nothing serious.
    let exported = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('a[href$=\"cible.svg\"]').href).then(r => r.text()).then(text => {
               const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
               done(doc.querySelector('parsererror') ? 'error' : doc.querySelectorAll('circle.today').length);
             });",
            vec![],
        )
        .await?;
    assert_eq!(exported, serde_json::json!(2));
    assert_eq!(unlabelled_fields(browser).await?, serde_json::json!([]));
    assert_eq!(
        serious_accessibility_violations(browser).await?,
        Vec::<String>::new()
    );
    browser.execute("window.scrollTo(0, 0)", vec![]).await?;
    screenshot(browser, "target").await?;
    browser
        .execute(
            "document.getElementById('target-drawing').scrollIntoView()",
            vec![],
        )
        .await?;
    screenshot(browser, "target-drawing").await?;

    browser.set_window_size(390, 844).await?;
    browser.refresh().await?;
    browser
        .wait()
        .for_element(Locator::Id("target-drawing"))
        .await?;
    assert_eq!(
        overflow(browser).await?,
        serde_json::json!([]),
        "the target fits 390 px"
    );
    screenshot(browser, "target-phone").await?;
    chromium.client.clone().close().await?;
    Ok(())
}

#[tokio::test]
async fn the_network_stays_readable_at_500_records_and_2000_ties_in_a_real_browser() -> TestResult {
    let platform = Platform::start().await?;
    seed_large_network(&platform.db.owner).await?;
    let camille = maillage_testkit::Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
    let photograph = camille
        .read("/api/v1/t/asso-demo/network/photograph")
        .await?;
    let nodes = photograph["nodes"].as_array().map_or(0, Vec::len);
    let ties = photograph["ties"].as_array().map_or(0, Vec::len);
    assert!(nodes >= 490 && ties == 2000, "{nodes} nodes, {ties} ties");

    let chromium = Chromium::start().await?;
    let browser = &chromium.client;
    chromium
        .sign_in(&platform.gateway, "camille", "/t/asso-demo/network")
        .await?;
    let drawn = eventually_in_page(
        browser,
        "const d = document.getElementById('network-drawing'); return d && d.dataset.drawnNodes ? [Number(d.dataset.drawnNodes), Number(d.dataset.drawnTies)] : null",
    )
    .await?;
    assert_eq!(drawn, serde_json::json!([nodes, ties]));
    // Readable: hardly any organisation, partnership or project drawn over another.
    let overlapping = browser
        .execute("return window.maillageNetwork.overlapping()", vec![])
        .await?;
    let overlapping = overlapping.as_u64().unwrap_or(u64::MAX);
    browser
        .execute(
            "document.getElementById('network-drawing').scrollIntoView()",
            vec![],
        )
        .await?;
    screenshot(browser, "network-500").await?;
    let layout_ms = browser
        .execute(
            "return document.getElementById('network-drawing').dataset.layoutMs",
            vec![],
        )
        .await?;
    assert!(
        overlapping == 0,
        "{overlapping} of 350 drawn over another (layout: {layout_ms} ms)"
    );
    chromium.client.clone().close().await?;
    Ok(())
}

/// A person's rights from the pages, as an admin uses them: the copy of their data, the
/// workspace's retention rule, the imports' page, and the erasure confirmed by its box.
/// Each page has its fields labelled, nothing serious for axe-core, and fits a phone.
#[tokio::test]
async fn a_persons_data_is_handed_out_then_erased_in_a_real_browser() -> TestResult {
    let platform = Platform::start().await?;
    let camille = maillage_testkit::Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
    let person = camille
        .create(
            "/api/v1/t/asso-demo/people",
            serde_json::json!({"given_name": "Inès", "family_name": "Quérard", "email": "ines@exemple.fr",
                               "email_consent": true, "consent_basis": "consent", "consent_on": "2026-02-01"}),
        )
        .await?;
    let page = format!(
        "/t/asso-demo/people/{}",
        person["id"].as_str().unwrap_or_default()
    );

    let chromium = Chromium::start().await?;
    let browser = &chromium.client;
    chromium
        .sign_in(&platform.gateway, "camille", &page)
        .await?;
    let pages = [
        (page.clone(), "person"),
        (format!("{page}/personal-data"), "personal-data"),
        (format!("{page}/erasure"), "erasure"),
        (
            "/t/asso-demo/settings/retention?years=3".to_owned(),
            "retention",
        ),
        ("/t/asso-demo/settings/register".to_owned(), "register"),
        ("/t/asso-demo/imports".to_owned(), "imports"),
    ];
    for (width, suffix) in [(1280, ""), (390, "-phone")] {
        browser.set_window_size(width, 900).await?;
        for (path, name) in &pages {
            browser.goto(&format!("{}{path}", platform.gateway)).await?;
            browser.wait().for_element(Locator::Css("main h1")).await?;
            assert_eq!(
                unlabelled_fields(browser).await?,
                serde_json::json!([]),
                "{path}"
            );
            assert_eq!(
                serious_accessibility_violations(browser).await?,
                Vec::<String>::new(),
                "{path}"
            );
            if width == 390 {
                assert_eq!(
                    overflow(browser).await?,
                    serde_json::json!([]),
                    "{path} fits 390 px"
                );
            }
            screenshot(browser, &format!("{name}{suffix}")).await?;
        }
    }

    browser
        .goto(&format!("{}{page}/erasure", platform.gateway))
        .await?;
    browser.wait().for_element(Locator::Id("confirmed")).await?;
    browser
        .find(Locator::Id("confirmed"))
        .await?
        .click()
        .await?;
    browser
        .find(Locator::XPath(
            "//button[normalize-space()='Effacer définitivement']",
        ))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css(".notice")).await?;
    let notice = text_of(browser, ".notice").await?;
    assert!(notice.contains("La personne a été effacée"), "{notice}");
    chromium.client.clone().close().await?;
    Ok(())
}

/// Every main page of a workspace with records in it, at a desktop's width and at a
/// phone's (390 px): nothing sticks out sideways, nothing serious for axe-core. On the
/// phone the menu folds behind its button, and tables read as cards labelled by column.
#[tokio::test]
async fn every_main_page_fits_a_phone_and_a_desktop_in_a_real_browser() -> TestResult {
    let platform = Platform::start().await?;
    let camille = maillage_testkit::Browser::new(&platform.gateway)?;
    camille.login("camille", "/t/asso-demo/").await?;
    let create = |collection: &'static str, body: serde_json::Value| {
        let camille = &camille;
        async move {
            let made = camille
                .create(&format!("/api/v1/t/asso-demo/{collection}"), body)
                .await?;
            anyhow::Ok(format!(
                "/t/asso-demo/{collection}/{}",
                made["id"].as_str().unwrap_or_default()
            ))
        }
    };
    // Long words and addresses, as real records have them.
    let organisation = create(
        "organisations",
        serde_json::json!({"name": "Communauté d'agglomération du Grand Villeneuvois-et-Environs",
                           "kind": "public_body", "email": "service.developpement.associatif@agglomeration-grand-villeneuvois.fr",
                           "website": "https://www.agglomeration-grand-villeneuvois.fr/vie-associative/subventions"}),
    )
    .await?;
    let organisation_id = organisation.rsplit('/').next().unwrap_or_default();
    let person = create(
        "people",
        serde_json::json!({"given_name": "Marie-Françoise", "family_name": "de La Tour-d'Auvergne-Lauraguais",
                           "email": "marie-francoise.de-la-tour-dauvergne@association-exemple.org"}),
    )
    .await?;
    let project = create(
        "projects",
        serde_json::json!({"name": "Jardins partagés", "territory": "Quartier des Capucins"}),
    )
    .await?;
    let partnership = create(
        "partnerships",
        serde_json::json!({"title": "Convention pluriannuelle d'objectifs", "kind": "funding",
                           "partners": [{"organisation_id": organisation_id, "role": "financeur"}]}),
    )
    .await?;
    let deadline = create(
        "deadlines",
        serde_json::json!({"title": "Compte rendu financier", "due_at": "2027-06-30T15:00:00Z",
                           "funder_id": organisation_id}),
    )
    .await?;

    let chromium = Chromium::start().await?;
    let browser = &chromium.client;
    chromium
        .sign_in(&platform.gateway, "camille", "/t/asso-demo/")
        .await?;
    let pages = [
        ("/t/asso-demo/".to_owned(), "home"),
        ("/t/asso-demo/deadlines".to_owned(), "deadlines"),
        (deadline.clone(), "deadline"),
        ("/t/asso-demo/deadlines/new".to_owned(), "deadline-form"),
        ("/t/asso-demo/agenda".to_owned(), "agenda"),
        (
            "/t/asso-demo/agenda/month?month=2027-06".to_owned(),
            "agenda-month",
        ),
        ("/t/asso-demo/people".to_owned(), "people"),
        (person.clone(), "person"),
        (format!("{person}/edit"), "person-form"),
        ("/t/asso-demo/organisations".to_owned(), "organisations"),
        (organisation.clone(), "organisation"),
        ("/t/asso-demo/projects".to_owned(), "projects"),
        (project.clone(), "project"),
        ("/t/asso-demo/partnerships".to_owned(), "partnerships"),
        (partnership.clone(), "partnership"),
        (format!("{partnership}/edit"), "partnership-form"),
        ("/t/asso-demo/targets".to_owned(), "targets"),
        ("/t/asso-demo/imports".to_owned(), "imports"),
        ("/t/asso-demo/search?q=jardins".to_owned(), "search"),
        ("/t/asso-demo/settings/reminders".to_owned(), "reminders"),
        ("/t/asso-demo/settings".to_owned(), "settings"),
        ("/t/asso-demo/settings/members".to_owned(), "members"),
        ("/t/asso-demo/settings/fields".to_owned(), "fields"),
        ("/t/asso-demo/bin".to_owned(), "bin"),
        ("/t/asso-demo/account".to_owned(), "account"),
        ("/t/asso-demo/no-such-page".to_owned(), "not-found"),
    ];
    for (width, suffix) in [(1280, ""), (390, "-phone")] {
        browser.set_window_size(width, 900).await?;
        for (path, name) in &pages {
            let page = format!("{}{path}", platform.gateway);
            fits_and_passes_axe(browser, &page, &format!("{name}{suffix}"), "fr").await?;
        }
    }

    // On the phone: the menu is folded until its button opens it.
    browser
        .goto(&format!("{}/t/asso-demo/", platform.gateway))
        .await?;
    let menu_link = Locator::Css("#menu a[href='/t/asso-demo/people']");
    browser
        .wait()
        .for_element(Locator::Css(".menu-toggle"))
        .await?;
    assert!(!browser.find(menu_link).await?.is_displayed().await?);
    browser
        .find(Locator::Css(".menu-toggle"))
        .await?
        .click()
        .await?;
    assert!(browser.find(menu_link).await?.is_displayed().await?);
    browser.find(menu_link).await?.click().await?;
    browser.wait().for_element(Locator::Css("main h1")).await?;
    assert_eq!(text_of(browser, "main h1").await?, "Personnes");
    // The people list reads as cards, each value under its column's heading.
    let labelled = browser
        .execute(
            "const cell = document.querySelector('main table tbody td');
             return cell ? [cell.getAttribute('data-label'), getComputedStyle(cell).display] : null",
            vec![],
        )
        .await?;
    assert_eq!(labelled[1], serde_json::json!("block"), "{labelled}");
    assert!(
        labelled[0].as_str().is_some_and(|l| !l.is_empty()),
        "{labelled}"
    );

    // The check for French words finds them where they are meant to be.
    browser
        .goto(&format!("{}{}/edit", platform.gateway, person))
        .await?;
    browser.wait().for_element(Locator::Css("main h1")).await?;
    assert!(
        !french_words_in_the_pages_own_text(browser)
            .await?
            .is_empty(),
        "a French form reads as French"
    );

    // In English, chosen on the account page: the pages speak it, and still fit and
    // pass axe (longer or shorter words move things).
    browser.set_window_size(1280, 900).await?;
    browser
        .goto(&format!("{}/t/asso-demo/account", platform.gateway))
        .await?;
    browser
        .find(Locator::Css("input[name=language][value=en]"))
        .await?
        .click()
        .await?;
    browser
        .find(Locator::Css("main form button[type=submit]"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css(".notice")).await?;
    assert_eq!(text_of(browser, "main h1").await?, "My account");
    for (width, suffix) in [(1280, "-en"), (390, "-en-phone")] {
        browser.set_window_size(width, 900).await?;
        for (path, name) in &pages {
            let page = format!("{}{path}", platform.gateway);
            fits_and_passes_axe(browser, &page, &format!("{name}{suffix}"), "en").await?;
            assert_eq!(
                french_words_in_the_pages_own_text(browser).await?,
                Vec::<String>::new(),
                "{page} in English"
            );
        }
    }
    chromium.client.clone().close().await?;
    Ok(())
}

/// The page's own words (section headings, column heads, labels, buttons, legends, hints) that
/// read as French: a message the catalogues miss in English. The records' own text
/// (names, notes) is left out: it is written in whatever language people typed.
async fn french_words_in_the_pages_own_text(browser: &Client) -> anyhow::Result<Vec<String>> {
    let found = browser
        .execute(
            r#"const french = /(^|[\s(«'’])(le|la|les|des|du|une|aux|pour|avec|sans|dans|est|sont|aucun|aucune|enregistrer|ajouter|supprimer|modifier|retour)(?=[\s).,:;»!?]|$)/i;
               const own = 'main h2, main h3, th[scope=col], label, button, legend, summary, .hint, nav a';
               return [...document.querySelectorAll(own)]
                 .filter(e => !e.closest('td, dd, .said, .notes, datalist, option'))
                 .filter(e => !(e.matches('.hint') && e.closest('main li')))
                 .map(e => e.innerText.trim())
                 .filter(text => french.test(text));"#,
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

/// Opens `page`, keeps its screenshot as `layout-{name}`, and checks that it speaks
/// `lang`, that nothing sticks out past the window and that axe finds nothing serious.
async fn fits_and_passes_axe(browser: &Client, page: &str, name: &str, lang: &str) -> TestResult {
    browser.goto(page).await?;
    browser.wait().for_element(Locator::Css("main h1")).await?;
    screenshot(browser, &format!("layout-{name}")).await?;
    let spoken = browser
        .execute("return document.documentElement.lang", vec![])
        .await?;
    assert_eq!(spoken, lang, "{page}");
    assert_eq!(
        overflow(browser).await?,
        serde_json::json!([]),
        "{page} fits ({name})"
    );
    assert_eq!(
        serious_accessibility_violations(browser).await?,
        Vec::<String>::new(),
        "{page} ({name})"
    );
    Ok(())
}
