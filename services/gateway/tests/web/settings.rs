//! The workspace's settings: admins change its name, language and time zone, every
//! refused field said at once; a new time zone plans every reminder again; others read.
//! Admins give it a logo, which its members, and only they, see in the header.

use reqwest::{Method, StatusCode};
use serde_json::json;

use maillage_testkit::Browser;
use maillage_testkit::pictures::{ImageFormat, dimensions, picture};

use crate::helpers::{Stack, TestResult, created};

const PAGE: &str = "/t/asso-demo/settings";

#[tokio::test]
async fn admins_change_the_name_language_and_time_zone_and_reminders_follow() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "admin")
        .await?;
    created(
        &camille,
        "deadlines",
        json!({"title": "Bilan annuel", "due_at": "2030-06-30T17:00:00+02:00"}),
    )
    .await?;

    // An editor reads them, and cannot change them.
    let page = camille.page(PAGE).await?;
    assert!(
        page.contains("<fieldset disabled>") && page.contains("/settings/sign-in"),
        "{page}"
    );
    assert_eq!(
        camille
            .post_form(
                PAGE,
                &[
                    ("name", "Pris"),
                    ("locale", "fr-FR"),
                    ("time_zone", "Europe/Paris")
                ]
            )
            .await?
            .status(),
        StatusCode::FORBIDDEN
    );

    // Every refused field at once, what was typed kept.
    let refused = sacha
        .post_form(
            PAGE,
            &[
                ("name", " "),
                ("locale", "de-DE"),
                ("time_zone", "Mars/Olympus"),
            ],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await?;
    for field in ["name-error", "locale-error", "time_zone-error"] {
        assert!(html.contains(field), "{field}");
    }
    assert!(html.contains("value=\"Mars/Olympus\""));

    let outbox_before = stack.db.count("outbox").await?;
    let saved = sacha
        .submit(
            PAGE,
            &[
                ("name", "Les Amis de Cayenne"),
                ("locale", "fr-FR"),
                ("time_zone", "America/Cayenne"),
            ],
        )
        .await?;
    assert_eq!(saved, format!("{PAGE}?saved=1"));
    assert!(
        sacha
            .page("/t/asso-demo/")
            .await?
            .contains("Les Amis de Cayenne")
    );
    assert!(
        stack.db.count("outbox").await? > outbox_before,
        "the deadline's reminders are planned again under the new zone"
    );
    let settings = sacha.read("/api/v1/t/asso-demo/settings/workspace").await?;
    assert_eq!(settings["time_zone"], "America/Cayenne", "{settings}");
    let (status, _) = sacha
        .api(
            Method::PATCH,
            "/api/v1/t/asso-demo/settings/workspace",
            Some(json!({"slug": "autre"})),
        )
        .await?;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the address is not a setting"
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where record_type = 'workspace' and after->>'time_zone' = 'America/Cayenne'",
    )
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(audited, 1);
    Ok(())
}

const SETTINGS_API: &str = "/api/v1/t/asso-demo/settings/workspace";
const LOGO_API: &str = "/api/v1/t/asso-demo/settings/logo";
const LOGO_FORM: &str = "/t/asso-demo/settings/logo";

/// Where the workspace's logo is, as its settings say (none: empty).
async fn logo_url(browser: &Browser) -> anyhow::Result<String> {
    let settings = browser.read(SETTINGS_API).await?;
    Ok(settings["logo"]["url"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test]
async fn an_admin_gives_the_workspace_a_logo_its_members_see_in_the_header() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "admin")
        .await?;
    assert!(!sacha.page(PAGE).await?.contains("tenant-logo"));
    assert_eq!(logo_url(&sacha).await?, "");

    // From the settings page: a JPEG far wider than the header needs.
    let jpeg = picture(ImageFormat::Jpeg, 1600, 400)?;
    let sent = sacha.upload(LOGO_FORM, "logo", "logo.jpg", &jpeg).await?;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let settings = sacha.read(SETTINGS_API).await?;
    assert_eq!(
        (&settings["logo"]["width"], &settings["logo"]["height"]),
        (&json!(480), &json!(120)),
        "{settings}"
    );
    let url = logo_url(&sacha).await?;

    // Every member sees it in the header; what is served is a PNG the gateway made.
    let home = camille.page("/t/asso-demo/").await?;
    assert!(
        home.contains(&format!(
            "<img class=\"tenant-logo\" src=\"{url}\" alt=\"\""
        )),
        "{home}"
    );
    let served = camille.get(&url).await?;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()[reqwest::header::CONTENT_TYPE], "image/png");
    assert!(
        served.headers()[reqwest::header::CACHE_CONTROL]
            .to_str()?
            .starts_with("private"),
        "the workspace's own, never in a shared cache"
    );
    assert_eq!(dimensions(&served.bytes().await?)?, (480, 120));

    // What is not a PNG, JPEG or WebP image, or is one cut short, or is too large, is
    // refused with the reason beside the file input, and the logo stays.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec();
    let png = picture(ImageFormat::Png, 300, 300)?;
    let cut = png[..png.len() / 2].to_vec();
    let huge = vec![0_u8; 6 << 20];
    for (bytes, status, reason) in [
        (
            svg.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "PNG, JPEG ou WebP",
        ),
        (cut, StatusCode::UNPROCESSABLE_ENTITY, "illisible"),
        (
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "choisissez une image",
        ),
        (huge.clone(), StatusCode::PAYLOAD_TOO_LARGE, "5 Mo"),
    ] {
        let refused = sacha.upload(LOGO_FORM, "logo", "logo.svg", &bytes).await?;
        assert_eq!(refused.status(), status, "{reason}");
        let html = refused.text().await?;
        assert!(
            html.contains("id=\"logo-error\"") && html.contains(reason),
            "{reason}: {html}"
        );
    }
    // The API says the same, as problems.
    let (status, problem) = sacha.send_file(Method::PUT, LOGO_API, svg).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "logo", "{problem}");
    let (status, problem) = sacha.send_file(Method::PUT, LOGO_API, huge).await?;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{problem}");
    assert_eq!(logo_url(&sacha).await?, url, "the logo stays");

    // Only admins change it.
    let (status, _) = camille
        .send_file(Method::PUT, LOGO_API, png.clone())
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = camille.api(Method::DELETE, LOGO_API, None).await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!camille.page(PAGE).await?.contains("name=\"logo\""));

    // Another image through the API: a new address.
    let webp = picture(ImageFormat::WebP, 64, 64)?;
    let (status, settings) = sacha.send_file(Method::PUT, LOGO_API, webp).await?;
    assert_eq!(status, StatusCode::OK, "{settings}");
    let new_url = logo_url(&sacha).await?;
    assert_ne!(new_url, url);
    assert_eq!(
        dimensions(&sacha.get(&new_url).await?.bytes().await?)?,
        (64, 64)
    );

    // It is the workspace's: not served to another workspace's member, nor to nobody.
    let other = stack.db.create_tenant("autre-asso").await?;
    let dominique = stack
        .member_of(other, "autre-asso", "dominique", "admin")
        .await?;
    assert_eq!(
        dominique.get(&new_url).await?.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        dominique.get("/t/autre-asso/logo").await?.status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        !dominique
            .page("/t/autre-asso/")
            .await?
            .contains("tenant-logo")
    );
    let nobody = stack.browser()?.get(&new_url).await?;
    assert_ne!(nobody.status(), StatusCode::OK);

    // Taken away: the header shows the name alone.
    assert_eq!(
        sacha
            .submit("/t/asso-demo/settings/logo/remove", &[])
            .await?,
        format!("{PAGE}?saved=1")
    );
    assert_eq!(logo_url(&sacha).await?, "");
    assert!(!camille.page("/t/asso-demo/").await?.contains("tenant-logo"));
    assert_eq!(camille.get(&new_url).await?.status(), StatusCode::NOT_FOUND);

    let audited: Vec<(Option<serde_json::Value>, Option<serde_json::Value>)> = sqlx::query_as(
        "select before->'logo', after->'logo' from audit_log
         where record_type = 'workspace' and (before ? 'logo' or after ? 'logo') order by id",
    )
    .fetch_all(&stack.db.owner)
    .await?;
    assert_eq!(
        audited,
        [
            (
                Some(json!(null)),
                Some(json!({"width": 480, "height": 120}))
            ),
            (
                Some(json!({"width": 480, "height": 120})),
                Some(json!({"width": 64, "height": 64}))
            ),
            (Some(json!({"width": 64, "height": 64})), Some(json!(null))),
        ]
    );
    Ok(())
}
