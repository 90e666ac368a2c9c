//! The whole path on real parts: the three services, PostgreSQL, Redis, the OpenID
//! provider and an SMTP server. A person logs in, enters a report due tomorrow, and gets
//! exactly one J-1 reminder — once, even when the notification service restarts.

use std::time::Duration;

use chrono::Utc;
use maillage_testkit::{Browser, eventually, location};

mod common;

use common::Platform;

type TestResult = anyhow::Result<()>;

#[tokio::test]
async fn a_deadline_due_tomorrow_brings_exactly_one_reminder_the_day_before() -> TestResult {
    let platform = Platform::start().await?;
    let notification = platform.start_notification().await?;
    let browser = Browser::new(&platform.gateway)?;
    browser.login("camille", "/t/asso-demo/").await?;

    let funder = browser
        .post_form(
            "/t/asso-demo/organisations/new",
            &[("name", "Région Occitanie"), ("kind", "funder")],
        )
        .await?;
    assert_eq!(funder.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, organisations) = browser
        .api(
            reqwest::Method::GET,
            "/api/v1/t/asso-demo/organisations",
            None,
        )
        .await?;
    let funder_id = organisations["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Due the day after tomorrow at noon, Paris time.
    let (today, due_day) = today_and_the_day_after_tomorrow();
    let created = browser
        .post_form(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Rapport final"),
                ("funder_id", &funder_id),
                ("due_date", &due_day),
                ("due_time", "12:00"),
            ],
        )
        .await?;
    assert_eq!(created.status(), reqwest::StatusCode::SEE_OTHER);
    let deadline_path = location(&created)?;

    // Once the notification service has planned the deadline (planning it after its J-1
    // day would rightly skip that reminder)…
    eventually(Duration::from_secs(20), || async {
        let planned: i64 = sqlx::query_scalar("select count(*) from reminders")
            .fetch_one(&platform.db.owner)
            .await
            .ok()?;
        (planned >= 6).then_some(())
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("the deadline was never planned"))?;
    // …tomorrow at 09:00, Paris time, the J-1 reminder is due (and it is not the quiet
    // hours, 20:00 to 08:00).
    advance_to_nine_tomorrow(&platform, today)?;
    let emails = eventually(Duration::from_secs(20), || async {
        let emails = platform.sink.received().ok()?;
        (!emails.is_empty()).then_some(emails)
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("no reminder reached the SMTP server"))?;
    assert_eq!(emails.len(), 1);
    let email = &emails[0];
    assert_eq!(email.envelope_to, "camille.martin@demo.maillage.test");
    assert_eq!(
        email.subject,
        "[Association asso-demo] Rappel : « Rapport final » à rendre demain"
    );
    let link = format!("{}{deadline_path}", platform.gateway);
    assert!(
        email.text.contains(&link),
        "the email links to the deadline: {}",
        email.text
    );
    assert!(
        email.text.contains("Région Occitanie") && email.text.contains("à 12:00"),
        "{}",
        email.text
    );
    let page = browser.get(&deadline_path).await?;
    assert_eq!(
        page.status(),
        reqwest::StatusCode::OK,
        "the link opens the deadline"
    );

    // A restarted notification service sends nothing more.
    notification.abort();
    let _ = notification.await;
    let _restarted = platform.start_notification().await?;
    platform.clock.advance(chrono::Duration::minutes(30));
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        platform.sink.received()?.len(),
        1,
        "exactly one J-1 email, restart or not"
    );
    Ok(())
}

#[tokio::test]
async fn a_report_repeated_every_year_in_the_form_becomes_a_series() -> TestResult {
    let platform = Platform::start().await?;
    let browser = Browser::new(&platform.gateway)?;
    browser.login("camille", "/t/asso-demo/").await?;

    let refused = browser
        .post_form(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Bilan annuel"),
                ("due_date", "2027-06-30"),
                ("due_time", "17:00"),
                ("repeat", "yearly"),
            ],
        )
        .await?;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await?;
    assert!(
        page.contains("indiquez jusqu&#x27;à quelle date répéter")
            || page.contains("indiquez jusqu&#39;à quelle date répéter"),
        "{page}"
    );
    assert_eq!(platform.db.count("reporting_deadlines").await?, 0);

    let created = browser
        .post_form(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Bilan annuel"),
                ("due_date", "2027-06-30"),
                ("due_time", "17:00"),
                ("repeat", "yearly"),
                ("repeat_until", "2029-12-31"),
            ],
        )
        .await?;
    assert_eq!(created.status(), reqwest::StatusCode::SEE_OTHER);
    let page = browser.get(&location(&created)?).await?.text().await?;
    assert!(
        page.contains("Échéance n° 1 d&#x27;une série annuelle")
            || page.contains("Échéance n° 1 d&#39;une série annuelle"),
        "{page}"
    );
    let (_, listed) = browser
        .api(reqwest::Method::GET, "/api/v1/t/asso-demo/deadlines", None)
        .await?;
    let due: Vec<&str> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["due_at"].as_str())
        .collect();
    assert_eq!(
        due,
        [
            "2027-06-30T15:00:00Z",
            "2028-06-30T15:00:00Z",
            "2029-06-30T15:00:00Z"
        ]
    );
    Ok(())
}

/// The string literals of the gateway's sources that look like API routes.
fn gateway_api_literals() -> anyhow::Result<Vec<String>> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../services/gateway/src");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(src)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path)?;
            found.extend(
                source
                    .split('"')
                    .skip(1)
                    .step_by(2)
                    .filter(|l| l.starts_with("/api/v1/"))
                    .map(str::to_owned),
            );
        }
    }
    Ok(found)
}

#[tokio::test]
async fn the_public_api_is_described_by_a_valid_openapi_document_with_interactive_docs()
-> TestResult {
    let platform = Platform::start().await?;
    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/api/v1/openapi.json", platform.gateway))
        .send()
        .await?;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let text = response.text().await?;
    let document: serde_json::Value = serde_json::from_str(&text)?;
    let paths = document["paths"]
        .as_object()
        .ok_or_else(|| anyhow::anyhow!("no paths"))?;
    for path in [
        "/api/v1/me",
        "/api/v1/t/{slug}/members",
        "/api/v1/t/{slug}/people",
        "/api/v1/t/{slug}/people/{id}",
        "/api/v1/t/{slug}/deadlines",
        "/api/v1/t/{slug}/network",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
    }
    assert!(
        paths.keys().all(|p| !p.starts_with("/v1/")),
        "core-records' internal paths are not exposed as they are"
    );
    // The gateway's own API routes are all documented (the forwarding route and the
    // document itself aside).
    for literal in gateway_api_literals()? {
        // (`format!` templates, with `{{`, are the forwarded records.)
        if literal == "/api/v1/t/{slug}/{*path}"
            || literal == "/api/v1/openapi.json"
            || literal.contains("{{")
        {
            continue;
        }
        assert!(paths.contains_key(&literal), "{literal} is not documented");
    }
    let slug_first = &document["paths"]["/api/v1/t/{slug}/people"]["get"]["parameters"][0];
    assert_eq!(slug_first["name"], "slug");
    assert_eq!(slug_first["in"], "path");

    // A real validator accepts it as OpenAPI 3.1.
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), &text)?;
    let python = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| "python3".into());
    let validation = std::process::Command::new(python)
        .args(["-m", "openapi_spec_validator"])
        .arg(file.path())
        .output()?;
    let verdict = String::from_utf8_lossy(&validation.stdout);
    assert!(
        validation.status.success(),
        "{}",
        verdict.chars().take(600).collect::<String>()
    );

    // The interactive documentation is served by the gateway itself.
    let docs = http
        .get(format!("{}/api/docs/", platform.gateway))
        .send()
        .await?;
    assert_eq!(docs.status(), reqwest::StatusCode::OK);
    let page = docs.text().await?;
    assert!(page.contains("swagger-ui"), "{page}");
    let config = http
        .get(format!(
            "{}/api/docs/swagger-initializer.js",
            platform.gateway
        ))
        .send()
        .await?
        .text()
        .await?;
    assert!(config.contains("/api/v1/openapi.json"), "{config}");
    Ok(())
}

#[tokio::test]
async fn one_click_in_the_mail_client_stops_the_reminders() -> TestResult {
    let platform = Platform::start().await?;
    let browser = Browser::new(&platform.gateway)?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (tenant_id, user_id): (uuid::Uuid, uuid::Uuid) =
        sqlx::query_as("select tenant_id, user_id from memberships")
            .fetch_one(&platform.db.owner)
            .await?;
    let token: uuid::Uuid = sqlx::query_scalar(
        "insert into notification_preferences (tenant_id, user_id) values ($1, $2) returning unsubscribe_token",
    )
    .bind(tenant_id)
    .bind(user_id)
    .fetch_one(&platform.db.owner)
    .await?;
    let url = format!("{}/unsubscribe/{tenant_id}/{token}", platform.gateway);
    let mode = || async {
        sqlx::query_scalar::<_, String>("select mode from notification_preferences")
            .fetch_one(&platform.db.owner)
            .await
    };

    // Following the link shows a page and changes nothing (link scanners do follow links).
    let http = reqwest::Client::new();
    let page = http.get(&url).send().await?;
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    assert!(page.text().await?.contains("Me désabonner"));
    assert_eq!(mode().await?, "each");
    // The mail client's one-click POST (RFC 8058), without session or Origin.
    let clicked = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await?;
    assert_eq!(clicked.status(), reqwest::StatusCode::OK);
    assert!(
        clicked
            .text()
            .await?
            .contains("vous ne recevrez plus de rappels")
    );
    assert_eq!(mode().await?, "off");
    // A made-up token finds nothing.
    let forged = http
        .post(format!(
            "{}/unsubscribe/{tenant_id}/{}",
            platform.gateway,
            uuid::Uuid::new_v4()
        ))
        .send()
        .await?;
    assert_eq!(forged.status(), reqwest::StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn members_choose_their_reminders_and_admins_set_the_tenants_in_the_settings_page()
-> TestResult {
    let platform = Platform::start().await?;
    let browser = Browser::new(&platform.gateway)?;
    browser.login("camille", "/t/asso-demo/").await?;
    let settings = "/t/asso-demo/settings/reminders";
    let page = browser.get(settings).await?.text().await?;
    assert!(page.contains("Comment je suis prévenu·e"), "{page}");
    assert!(
        page.contains("value=\"30, 7, 1\""),
        "the defaults are shown"
    );

    let chosen = browser
        .post_form(
            &format!("{settings}/mine"),
            &[("mode", "daily"), ("version", "0")],
        )
        .await?;
    assert_eq!(chosen.status(), reqwest::StatusCode::SEE_OTHER);
    let mode: String = sqlx::query_scalar("select mode from notification_preferences")
        .fetch_one(&platform.db.owner)
        .await?;
    assert_eq!(mode, "daily");

    let policy = |days: &'static str| {
        [
            ("days_before", days),
            ("on_due_day", "on"),
            ("overdue_every_days", "7"),
            ("escalate_after_days", ""),
            ("send_at", "09:00"),
            ("quiet_hours_start", "19:00"),
            ("quiet_hours_end", "08:30"),
            ("version", "1"),
        ]
    };
    let refused = browser
        .post_form(&format!("{settings}/policy"), &policy("trente"))
        .await?;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await?
            .contains("indiquez des nombres de jours")
    );
    let saved = browser
        .post_form(&format!("{settings}/policy"), &policy("15, 3"))
        .await?;
    assert_eq!(saved.status(), reqwest::StatusCode::SEE_OTHER);
    let (days, escalation, quiet): (Vec<i16>, Option<i16>, chrono::NaiveTime) = sqlx::query_as(
        "select days_before, escalate_after_days, quiet_hours_start from reminder_policies",
    )
    .fetch_one(&platform.db.owner)
    .await?;
    assert_eq!(days, [15, 3]);
    assert_eq!(escalation, None);
    assert_eq!(
        quiet,
        chrono::NaiveTime::from_hms_opt(19, 0, 0).unwrap_or_default()
    );

    // The calendar address, made from the same page.
    let made = browser
        .post_form(&format!("{settings}/calendar"), &[("action", "renew")])
        .await?;
    assert_eq!(made.status(), reqwest::StatusCode::SEE_OTHER);
    let page = browser.get(settings).await?.text().await?;
    assert!(
        page.contains(&format!("{}/calendar/", platform.gateway)),
        "{page}"
    );
    Ok(())
}

/// What Python's `icalendar` (a real parser) reads in a feed: (UID, SUMMARY, DTSTART).
fn parse_calendar(ics: &str) -> anyhow::Result<Vec<(String, String, String)>> {
    let script = "import sys, icalendar\n\
                  cal = icalendar.Calendar.from_ical(sys.stdin.read())\n\
                  for e in cal.walk('VEVENT'):\n\
                  \x20   print(str(e['UID']), str(e['SUMMARY']), e.decoded('DTSTART').isoformat(), sep='\\t')\n";
    let python = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, ics.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    anyhow::ensure!(
        output.status.success(),
        "the parser refused the feed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t').map(str::to_owned);
            Some((fields.next()?, fields.next()?, fields.next()?))
        })
        .collect())
}

#[tokio::test]
async fn a_member_subscribes_to_their_deadlines_and_milestones_in_a_calendar_app() -> TestResult {
    let platform = Platform::start().await?;
    let browser = Browser::new(&platform.gateway)?;
    browser.login("camille", "/t/asso-demo/").await?;
    let (_, me) = browser
        .api(reqwest::Method::GET, "/api/v1/me", None)
        .await?;
    let api = "/api/v1/t/asso-demo";
    let (status, deadline) = browser
        .api(
            reqwest::Method::POST,
            &format!("{api}/deadlines"),
            Some(serde_json::json!({
            "title": "Bilan annuel", "due_at": "2027-06-30T17:00:00+02:00"})),
        )
        .await?;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{deadline}");
    let (status, project) = browser
        .api(
            reqwest::Method::POST,
            &format!("{api}/projects"),
            Some(serde_json::json!({
            "name": "Jardins partagés", "owner_user_id": me["id"],
            "milestones": [{"title": "Première récolte", "due_on": "2027-09-15"}]})),
        )
        .await?;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{project}");
    let (status, task) = browser
        .api(
            reqwest::Method::POST,
            &format!("{api}/activities"),
            Some(serde_json::json!({
            "kind": "task", "occurred_at": "2027-01-04T08:00:00Z", "subject": "Appeler la mairie",
            "due_at": "2027-07-01T10:00:00+02:00", "links": {}})),
        )
        .await?;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{task}");

    let (status, _) = browser
        .api(reqwest::Method::GET, &format!("{api}/calendar-feed"), None)
        .await?;
    assert_eq!(
        status,
        reqwest::StatusCode::NOT_FOUND,
        "no feed until asked for"
    );
    let (status, feed) = browser
        .api(reqwest::Method::POST, &format!("{api}/calendar-feed"), None)
        .await?;
    assert_eq!(status, reqwest::StatusCode::OK, "{feed}");
    let url = format!(
        "{}{}",
        platform.gateway,
        feed["path"].as_str().unwrap_or_default()
    );

    // A calendar app has no session: the secret URL is enough.
    let http = reqwest::Client::new();
    let response = http.get(&url).send().await?;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/calendar"))
    );
    let events = parse_calendar(&response.text().await?)?;
    let deadline_id = deadline["id"].as_str().unwrap_or_default();
    let milestone_id = project["milestones"][0]["id"].as_str().unwrap_or_default();
    let task_id = task["id"].as_str().unwrap_or_default();
    assert_eq!(
        events,
        [
            (
                format!("deadline-{deadline_id}@maillage"),
                "Rapport à rendre : Bilan annuel".to_owned(),
                "2027-06-30T15:00:00+00:00".to_owned()
            ),
            (
                format!("milestone-{milestone_id}@maillage"),
                "Jalon : Première récolte (Jardins partagés)".to_owned(),
                "2027-09-15".to_owned()
            ),
            (
                format!("task-{task_id}@maillage"),
                "Tâche : Appeler la mairie".to_owned(),
                "2027-07-01T08:00:00+00:00".to_owned()
            ),
        ]
    );

    // The agenda page shows each of them, at the anchor reminder emails link to, each
    // leading to its record (the milestone to its project).
    let agenda = browser.get("/t/asso-demo/agenda?mine=1").await?;
    assert_eq!(agenda.status(), reqwest::StatusCode::OK);
    let agenda = agenda.text().await?;
    for expected in [
        format!("id=\"task-{task_id}\""),
        format!("id=\"milestone-{milestone_id}\""),
        format!("href=\"/t/asso-demo/deadlines/{deadline_id}\""),
        format!(
            "href=\"/t/asso-demo/projects/{}\">Première récolte",
            project["id"].as_str().unwrap_or_default()
        ),
        "Appeler la mairie".to_owned(),
        "mercredi 15 septembre 2027".to_owned(),
    ] {
        assert!(agenda.contains(&expected), "{expected} in {agenda}");
    }

    // Renewing the address cuts off the old one; revoking cuts off everything.
    let (_, renewed) = browser
        .api(reqwest::Method::POST, &format!("{api}/calendar-feed"), None)
        .await?;
    assert_eq!(
        http.get(&url).send().await?.status(),
        reqwest::StatusCode::NOT_FOUND
    );
    let renewed_url = format!(
        "{}{}",
        platform.gateway,
        renewed["path"].as_str().unwrap_or_default()
    );
    assert_eq!(
        http.get(&renewed_url).send().await?.status(),
        reqwest::StatusCode::OK
    );
    let (status, _) = browser
        .api(
            reqwest::Method::DELETE,
            &format!("{api}/calendar-feed"),
            None,
        )
        .await?;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    assert_eq!(
        http.get(&renewed_url).send().await?.status(),
        reqwest::StatusCode::NOT_FOUND
    );
    Ok(())
}

/// A deadline entered by mistake or no longer owed is cancelled from its page, with its
/// reason: its pending reminders are withdrawn and no email goes out afterwards.
#[tokio::test]
async fn a_deadline_cancelled_from_its_page_sends_no_more_reminders() -> TestResult {
    let platform = Platform::start().await?;
    let _notification = platform.start_notification().await?;
    let browser = Browser::new(&platform.gateway)?;
    browser.login("camille", "/t/asso-demo/").await?;

    let (today, due_day) = today_and_the_day_after_tomorrow();
    let created = browser
        .post_form(
            "/t/asso-demo/deadlines/new",
            &[
                ("title", "Bilan annulé"),
                ("due_date", &due_day),
                ("due_time", "12:00"),
            ],
        )
        .await?;
    assert_eq!(created.status(), reqwest::StatusCode::SEE_OTHER);
    let deadline_path = location(&created)?;
    let pending = || async {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from reminders where status in ('pending', 'queued')",
        )
        .fetch_one(&platform.db.owner)
        .await
        .ok()
    };
    eventually(Duration::from_secs(20), || async {
        (pending().await? > 0).then_some(())
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("the deadline was never planned"))?;

    // Without a reason, the page asks for one and nothing changes.
    let status_path = format!("{deadline_path}/status");
    let refused = browser
        .post_form(&status_path, &[("status", "waived"), ("version", "1")])
        .await?;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await?;
    assert!(page.contains("indiquez pourquoi"), "{page}");
    assert!(pending().await.unwrap_or_default() > 0);

    let cancelled = browser
        .post_form(
            &status_path,
            &[
                ("status", "waived"),
                ("version", "1"),
                ("waiver_reason", "Le financeur a renoncé au bilan"),
            ],
        )
        .await?;
    assert_eq!(cancelled.status(), reqwest::StatusCode::SEE_OTHER);
    let page = browser.page(&deadline_path).await?;
    assert!(
        page.contains("Annulée") && page.contains("Le financeur a renoncé au bilan"),
        "{page}"
    );
    eventually(Duration::from_secs(20), || async {
        (pending().await? == 0).then_some(())
    })
    .await
    .ok_or_else(|| anyhow::anyhow!("the reminders were not withdrawn"))?;

    // The day before, when the reminder would have gone: nothing.
    advance_to_nine_tomorrow(&platform, today)?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        platform.sink.received()?.len(),
        0,
        "no email after cancelling"
    );
    Ok(())
}

/// Moves the platform's clock to 09:00 tomorrow, Paris time: when the J-1 reminder of a
/// deadline due the day after is sent (outside the quiet hours, 20:00 to 08:00).
fn advance_to_nine_tomorrow(platform: &Platform, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let nine_tomorrow = (today + chrono::Days::new(1))
        .and_hms_opt(9, 0, 0)
        .and_then(|at| at.and_local_timezone(chrono_tz::Europe::Paris).earliest())
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| anyhow::anyhow!("no 09:00 tomorrow"))?;
    platform
        .clock
        .advance(nine_tomorrow - maillage_notification::Clock::now(&*platform.clock));
    Ok(())
}

/// Today in Paris, and the day after tomorrow as a form takes it ("2026-12-05").
fn today_and_the_day_after_tomorrow() -> (chrono::NaiveDate, String) {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    let due_day = (today + chrono::Days::new(2))
        .format("%Y-%m-%d")
        .to_string();
    (today, due_day)
}
