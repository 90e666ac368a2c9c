//! The front door, tried as an attacker would: a login finished in someone else's
//! browser, redirects off the site, sessions minted by another provider, paths that
//! climb out of the API, text PostgreSQL cannot store, missing security headers.

use maillage_testkit::{Browser, OidcProvider, location, raw_request};
use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{Stack, TestResult};

/// The `maillage_session` cookie a response sets, if any.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("maillage_session=") && !v.starts_with("maillage_session=;"))
        .map(str::to_owned)
}

#[tokio::test]
async fn a_login_sent_to_someone_else_logs_nobody_in() -> TestResult {
    let stack = Stack::start().await?;
    // The attacker logs in at the provider and stops before coming back…
    let attacker = stack.browser()?;
    let callback = attacker
        .login_until_callback("camille", "/t/asso-demo/")
        .await?;
    // …and sends the callback link to someone, whose browser follows it.
    let victim = stack.browser()?;
    let followed = victim.http.get(&callback).send().await?;
    assert_eq!(followed.status(), StatusCode::BAD_REQUEST);
    assert!(session_cookie(&followed).is_none(), "no session was set");
    assert!(
        followed.text().await?.contains("autre navigateur"),
        "the page says what happened"
    );
    let home = victim.get("/t/asso-demo/").await?;
    assert_eq!(
        home.status(),
        StatusCode::SEE_OTHER,
        "the victim is not logged in"
    );

    // Two logins started in two tabs of one browser both finish.
    let person = stack.browser()?;
    let first = person
        .login_until_callback("camille", "/t/asso-demo/")
        .await?;
    let second = person
        .login_until_callback("camille", "/t/asso-demo/")
        .await?;
    for callback in [first, second] {
        let finished = person.http.get(&callback).send().await?;
        assert_eq!(finished.status(), StatusCode::SEE_OTHER);
        assert!(session_cookie(&finished).is_some());
    }
    Ok(())
}

#[tokio::test]
async fn after_login_the_browser_goes_back_only_to_a_page_of_this_site() -> TestResult {
    let stack = Stack::start().await?;
    for (return_to, expected) in [
        ("/t/asso-demo/people", "/t/asso-demo/people"),
        ("/%09/evil.example/x", "/"),
        ("/%0A/evil.example/x", "/"),
        ("/t/asso-demo/%0D%0ASet-Cookie:%20x=y", "/"),
        ("//evil.example/x", "/"),
        ("/%5Cevil.example", "/"),
        ("%5C%5Cevil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ] {
        let browser = stack.browser()?;
        let callback = browser.login_until_callback("camille", return_to).await?;
        let finished = browser.http.get(&callback).send().await?;
        assert_eq!(finished.status(), StatusCode::SEE_OTHER, "{return_to}");
        assert!(session_cookie(&finished).is_some(), "{return_to}");
        assert_eq!(location(&finished)?, expected, "{return_to}");
    }
    Ok(())
}

#[tokio::test]
async fn a_session_vouched_for_by_another_provider_is_not_honoured() -> TestResult {
    let stack = Stack::start().await?;
    // A second gateway sharing the Redis key space, configured with another provider
    // (as a misconfigured or hostile deployment would be).
    let other_port = maillage_testkit::free_port()?;
    let other_base = format!("http://127.0.0.1:{other_port}");
    let other_provider = OidcProvider::start(&format!("{other_base}/auth/callback")).await?;
    let other = stack
        .another_gateway(|config| {
            config.bind_addr = format!("127.0.0.1:{other_port}")
                .parse()
                .unwrap_or(config.bind_addr);
            config.public_base_url = other_base.clone();
            config.oidc_issuer_url = other_provider.issuer.clone();
        })
        .await?;
    let browser = Browser::new(&other)?;
    let (_, cookie) = browser.login("camille", "/").await?;

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let at_main = client
        .get(format!("{}/api/v1/me", stack.base))
        .header(header::COOKIE, &cookie)
        .send()
        .await?;
    assert_eq!(
        at_main.status(),
        StatusCode::UNAUTHORIZED,
        "the main gateway does not honour a session its provider never vouched for"
    );
    let at_other = client
        .get(format!("{other}/api/v1/me"))
        .header(header::COOKIE, &cookie)
        .send()
        .await?;
    assert_eq!(
        at_other.status(),
        StatusCode::OK,
        "it works where it was made"
    );
    Ok(())
}

#[tokio::test]
async fn pages_and_api_answers_carry_the_security_headers() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;

    for (path, private) in [
        ("/", false),
        ("/t/asso-demo/", true),
        ("/t/asso-demo/people", true),
        ("/api/v1/me", true),
        ("/api/v1/t/asso-demo/people", true),
        ("/api/v1/t/asso-demo/people/not-a-uuid", true),
        ("/no-such-page", false),
    ] {
        let response = browser.get(path).await?;
        let headers = response.headers();
        let value = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let policy = value("content-security-policy");
        for directive in [
            "default-src 'self'",
            "script-src 'self';",
            "style-src 'self';",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} in {policy:?}"
            );
        }
        assert!(!policy.contains("unsafe"), "{path}: {policy}");
        assert_eq!(value("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(value("x-frame-options"), "DENY", "{path}");
        assert_eq!(value("referrer-policy"), "same-origin", "{path}");
        assert!(value("permissions-policy").contains("camera=()"), "{path}");
        assert_eq!(
            value("strict-transport-security"),
            "",
            "{path}: not over http"
        );
        if private {
            assert_eq!(value("cache-control"), "no-store", "{path}");
        }
    }
    // The stylesheet may be cached; the interactive API docs keep a strict policy but
    // for the inline styles Swagger UI sets.
    let css = browser.get("/static/app.css").await?;
    assert_eq!(
        css.headers()
            .get(header::CACHE_CONTROL)
            .map(|v| v.as_bytes()),
        Some("public, max-age=3600".as_bytes())
    );
    let docs = browser.get("/api/docs/").await?;
    let policy = docs
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"),
        "{policy}"
    );

    // Served as https, the site pins HTTPS.
    let https = stack
        .another_gateway(|config| config.public_base_url = "https://maillage.example".into())
        .await?;
    let page = reqwest::get(format!("{https}/")).await?;
    assert_eq!(
        page.headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok()),
        Some("max-age=63072000; includeSubDomains")
    );
    Ok(())
}

#[tokio::test]
async fn the_api_forwards_only_paths_of_the_records_and_refuses_the_rest_as_problems() -> TestResult
{
    let stack = Stack::start().await?;
    let browser = stack.browser()?;
    let (_, cookie) = browser.login("camille", "/t/asso-demo/").await?;
    let cookie = [("Cookie", cookie.as_str())];

    for target in [
        "/api/v1/t/asso-demo/..%5c..%5chealthz",
        "/api/v1/t/asso-demo/..%5C..%5Creadyz",
        "/api/v1/t/asso-demo/%252e%252e/readyz",
        "/api/v1/t/asso-demo/%2e%2e/%2e%2e/healthz",
        "/api/v1/t/asso-demo/people/%2e%2e/%2e%2e/metrics",
        "/api/v1/t/asso-demo/people%3Flimit=1",
        "/api/v1/t/asso-demo/people/abc%23def",
        "/api/v1/t/asso-demo/people/abc%0Adef",
        "/api/v1/t/asso-demo/people/abc%2Fdef",
        "/api/v1/t/asso-demo/people\\..\\..\\healthz",
    ] {
        let answer = raw_request(&stack.base, "GET", target, &cookie).await?;
        assert_eq!(answer.status, 404, "{target}: {}", answer.body);
        assert_eq!(
            answer.header("content-type"),
            Some("application/problem+json"),
            "{target}"
        );
    }
    let fine = raw_request(
        &stack.base,
        "GET",
        "/api/v1/t/asso-demo/people?limit=1",
        &cookie,
    )
    .await?;
    assert_eq!(fine.status, 200);

    // An unknown route, a wrong method: problems for the API, saying what is allowed.
    let unknown = raw_request(&stack.base, "GET", "/api/v1/nothing", &cookie).await?;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.header("content-type"),
        Some("application/problem+json")
    );
    for target in ["/api/v1/me", "/api/v1/t/asso-demo/search"] {
        let wrong = raw_request(&stack.base, "DELETE", target, &cookie).await?;
        assert_eq!(wrong.status, 405, "{target}");
        assert!(
            wrong.header("allow").is_some_and(|a| a.contains("GET")),
            "{target}: {:?}",
            wrong.headers
        );
        assert_eq!(
            wrong.header("content-type"),
            Some("application/problem+json"),
            "{target}"
        );
    }
    // People get pages.
    let page = raw_request(&stack.base, "GET", "/no-such-page", &cookie).await?;
    assert_eq!(page.status, 404);
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    );
    Ok(())
}

#[tokio::test]
async fn a_nul_character_is_refused_naming_the_field_in_the_api_and_the_forms() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;

    let (status, problem) = browser
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": "Du\u{0}pont"})),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "family_name");
    let search = browser
        .get("/api/v1/t/asso-demo/search?q=du%00pont")
        .await?;
    assert_eq!(search.status(), StatusCode::BAD_REQUEST);

    let form = browser
        .post_form("/t/asso-demo/people/new", &[("family_name", "Du\u{0}pont")])
        .await?;
    assert_eq!(form.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.text().await?.contains("caractère nul"));
    let header_search = browser.get("/t/asso-demo/search?q=du%00pont").await?;
    assert!(
        header_search.status().is_client_error(),
        "{}",
        header_search.status()
    );
    assert_eq!(stack.db.count("people").await?, 0);
    Ok(())
}

#[tokio::test]
async fn one_click_unsubscribe_works_from_a_webmail_and_other_writes_keep_the_origin_check()
-> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;
    let (tenant_id, token): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        r#"insert into notification_preferences (tenant_id, user_id)
           select tenant_id, user_id from memberships limit 1
           on conflict (tenant_id, user_id) do update set mode = 'each'
           returning tenant_id, unsubscribe_token"#,
    )
    .fetch_one(&stack.db.owner)
    .await?;

    // Webmails post the one-click request from their own origin (RFC 8058).
    let unsubscribed = reqwest::Client::new()
        .post(format!("{}/unsubscribe/{tenant_id}/{token}", stack.base))
        .header(header::ORIGIN, "https://mail.example")
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await?;
    assert_eq!(unsubscribed.status(), StatusCode::OK);
    let mode: String = sqlx::query_scalar(
        "select mode from notification_preferences where unsubscribe_token = $1",
    )
    .bind(token)
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(mode, "off");

    // Every other write still refuses another site's origin.
    let foreign = browser
        .http
        .post(format!("{}/logout", stack.base))
        .header(header::ORIGIN, "https://mail.example")
        .send()
        .await?;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test]
async fn logging_out_ends_the_session_at_the_provider_too() -> TestResult {
    let stack = Stack::start().await?;
    let browser = stack.editor().await?;

    let logout = browser.post_form("/logout", &[]).await?;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    let end_session = location(&logout)?;
    assert!(
        end_session.starts_with(&stack.provider.issuer),
        "to the provider: {end_session}"
    );
    let url = url::Url::parse(&end_session)?;
    let params: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert!(
        params
            .get("id_token_hint")
            .is_some_and(|t| t.split('.').count() == 3)
    );
    assert_eq!(
        params.get("post_logout_redirect_uri").map(String::as_str),
        Some(format!("{}/?logged_out=1", stack.base).as_str())
    );

    // The provider asks, the person confirms, and is sent back to Maillage.
    let page = browser.http.get(&end_session).send().await?;
    let page_url = page.url().clone();
    let html = page.text().await?;
    let field = |name: &str| {
        html.split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
    };
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| anyhow::anyhow!("no logout form: {html}"))?;
    let xsrf = field("xsrf").ok_or_else(|| anyhow::anyhow!("no xsrf: {html}"))?;
    let confirmed = browser
        .http
        .post(page_url.join(action)?)
        .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
        .send()
        .await?;
    assert_eq!(
        location(&confirmed)?,
        format!("{}/?logged_out=1", stack.base)
    );

    // Logging in again asks for the account: the provider's session is over as well.
    let mut next = format!("{}/login", stack.base);
    let asks_again = loop {
        let response = browser.http.get(&next).send().await?;
        if !response.status().is_redirection() {
            break response.url().as_str().starts_with(&stack.provider.issuer);
        }
        next = response.url().join(&location(&response)?)?.to_string();
        if next.starts_with(&format!("{}/auth/callback", stack.base)) {
            break false;
        }
    };
    assert!(asks_again, "the provider still had a session");
    Ok(())
}

/// A workspace keeps an owner: taking the last one away is refused as a conflict with
/// the workspace's state (409, said in French), not as a malformed request, and changes
/// nothing; once a second owner exists, the first may step down.
#[tokio::test]
async fn the_last_owner_of_a_workspace_cannot_be_taken_away() -> TestResult {
    let stack = Stack::start().await?;
    let owner = stack
        .member_of(stack.tenant_id, "asso-demo", "dominique", "owner")
        .await?;
    let members = owner.read("/api/v1/t/asso-demo/members").await?;
    let owner_id = members["members"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["role"] == "owner")
        .and_then(|m| m["user_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let member = format!("/api/v1/t/asso-demo/members/{owner_id}");
    for (method, body) in [
        (reqwest::Method::PATCH, Some(json!({"role": "admin"}))),
        (reqwest::Method::DELETE, None),
    ] {
        let (status, problem) = owner.api(method.clone(), &member, body).await?;
        assert_eq!(status, StatusCode::CONFLICT, "{method}: {problem}");
        assert_eq!(problem["type"], "/problems/last-owner");
        assert_eq!(
            problem["title"],
            "L'espace doit garder au moins un propriétaire."
        );
    }
    let still = owner.read("/api/v1/t/asso-demo/members").await?;
    assert_eq!(still, members, "nothing changed");

    stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "owner")
        .await?;
    let (status, changed) = owner
        .api(
            reqwest::Method::PATCH,
            &member,
            Some(json!({"role": "admin"})),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{changed}");
    Ok(())
}
