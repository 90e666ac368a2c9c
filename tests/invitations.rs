//! Invitations on real parts (the three services, the OpenID provider, an SMTP server):
//! a platform admin makes a workspace, whose first owner gets the email and joins through
//! its link; the owner invites a colleague, who joins by the link's button. Each link
//! works once, for the invited address, until it expires; a revoked or tampered one, or
//! one replaced by a resend, works no more.

use maillage_testkit::oidc::email_of;
use maillage_testkit::{Browser, location};
use reqwest::{Method, StatusCode};
use serde_json::json;

mod common;

use common::{Platform, invitation_link};

type TestResult = anyhow::Result<()>;

const API: &str = "/api/v1/t/amis-du-quartier/members";

/// The link of the second invitation email `to` receives, which must differ from the
/// first's (the sink keeps no order between them).
async fn new_link(platform: &Platform, to: &str, first: &str) -> anyhow::Result<String> {
    let links = platform
        .invitations_to(to, 2)
        .await?
        .iter()
        .map(invitation_link)
        .collect::<anyhow::Result<Vec<_>>>()?;
    links
        .into_iter()
        .find(|link| link != first)
        .ok_or_else(|| anyhow::anyhow!("the second email carries the first link again"))
}

/// A page's status and text.
async fn visit(browser: &Browser, path: &str) -> anyhow::Result<(StatusCode, String)> {
    let response = browser.get(path).await?;
    Ok((response.status(), response.text().await?))
}

#[tokio::test]
async fn a_new_workspaces_owner_and_their_colleague_join_through_their_invitation_links()
-> TestResult {
    let platform = Platform::start().await?;
    let _notification = platform.start_notification().await?;
    platform.grant_platform_admin("camille").await?;
    // Sacha has signed in before being invited anywhere.
    let sacha = Browser::new(&platform.gateway)?;
    sacha.login("sacha", "/").await?;

    // The platform admin makes the workspace; its owner-to-be gets the email.
    let operator = Browser::new(&platform.gateway)?;
    operator.login("camille", "/admin").await?;
    let (status, created) = operator
        .api(
            Method::POST,
            "/api/v1/platform/workspaces",
            Some(json!({
                "slug": "amis-du-quartier", "name": "Les Amis du Quartier", "kind": "association",
                "locale": "fr-FR", "time_zone": "Europe/Paris", "owner_email": email_of("dominique"),
            })),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let emails = platform.invitations_to(&email_of("dominique"), 1).await?;
    assert!(
        emails[0].subject.contains("Les Amis du Quartier"),
        "{}",
        emails[0].subject
    );
    let owner_link = invitation_link(&emails[0])?;

    // Followed before signing in: it says who invites whom, and asks to sign in.
    let dominique = Browser::new(&platform.gateway)?;
    let (status, page) = visit(&dominique, &owner_link).await?;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Les Amis du Quartier") && page.contains("Propriétaire"),
        "{page}"
    );
    assert!(page.contains("Se connecter pour accepter"), "{page}");
    // Signing in with the invited address accepts it; the link then leads inside.
    dominique.login("dominique", &owner_link).await?;
    let inside = dominique.get(&owner_link).await?;
    assert_eq!(location(&inside)?, "/t/amis-du-quartier/");
    let members = dominique.read(API).await?;
    assert_eq!(members["members"][0]["role"], "owner", "{members}");

    // Used once: nobody else gets in with it, and a tampered one names nothing.
    let (status, page) = visit(&Browser::new(&platform.gateway)?, &owner_link).await?;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("déjà servi"), "{page}");
    let last = owner_link.chars().last().unwrap_or('0');
    let tampered = format!(
        "{}{}",
        &owner_link[..owner_link.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    let (status, page) = visit(&dominique, &tampered).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("ne sert plus"), "{page}");

    // The owner invites Sacha, takes it back (the link dies), invites again.
    let invite = || {
        dominique.api(
            Method::POST,
            "/api/v1/t/amis-du-quartier/members/invitations",
            Some(json!({ "email": email_of("sacha"), "role": "editor" })),
        )
    };
    let (status, first) = invite().await?;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let revoked_link = invitation_link(&platform.invitations_to(&email_of("sacha"), 1).await?[0])?;
    let (status, _) = dominique
        .api(
            Method::DELETE,
            &format!(
                "{API}/invitations/{}",
                first["id"].as_str().unwrap_or_default()
            ),
            None,
        )
        .await?;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(visit(&sacha, &revoked_link).await?.0, StatusCode::NOT_FOUND);
    let (status, second) = invite().await?;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let link = new_link(&platform, &email_of("sacha"), &revoked_link).await?;

    // Someone else signed in is told whom it was sent to, and joins nothing.
    let (status, page) = visit(&operator, &link).await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains(&email_of("sacha")), "{page}");
    assert_eq!(
        operator.post_form(&link, &[]).await?.status(),
        StatusCode::FORBIDDEN
    );
    // Sacha, already signed in, joins with the page's button.
    let (status, page) = visit(&sacha, &link).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Join the workspace"), "{page}");
    let joined = sacha.post_form(&link, &[]).await?;
    assert_eq!(location(&joined)?, "/t/amis-du-quartier/");
    let members = sacha.read(API).await?;
    let roles: Vec<(String, String)> = members["members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| (m["email"].to_string(), m["role"].to_string()))
        .collect();
    assert_eq!(roles.len(), 2, "{members}");
    assert!(
        members["pending_invitations"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert_eq!(
        sacha.post_form(&link, &[]).await?.status(),
        StatusCode::GONE,
        "once only"
    );
    let joined_audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where record_type = 'member' and after ? 'invitation'",
    )
    .fetch_one(&platform.db.owner)
    .await?;
    assert_eq!(
        joined_audited, 1,
        "joining by the link is in the workspace's audit log"
    );
    Ok(())
}

#[tokio::test]
async fn an_expired_link_is_refused_and_a_resend_replaces_the_link() -> TestResult {
    let platform = Platform::start().await?;
    let _notification = platform.start_notification().await?;
    let owner = Browser::new(&platform.gateway)?;
    owner.login("camille", "/t/asso-demo/").await?;
    let api = "/api/v1/t/asso-demo/members";
    let (status, invited) = owner
        .api(
            Method::POST,
            &format!("{api}/invitations"),
            Some(json!({ "email": email_of("sacha"), "role": "viewer" })),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let id = invited["id"].as_str().unwrap_or_default().to_owned();
    let first = invitation_link(&platform.invitations_to(&email_of("sacha"), 1).await?[0])?;

    // Sent a moment ago: sending it again at once is refused, not a second email.
    let resend = format!("{api}/invitations/{id}/resend");
    let (status, refused) = owner.api(Method::POST, &resend, None).await?;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(
        refused["type"]
            .as_str()
            .map(|t| t.ends_with("invitation-just-sent")),
        Some(true)
    );

    // Expired: the link says so, and signing in with the address joins nothing.
    sqlx::query("update invitations set expires_at = now() - interval '1 minute', email_sent_at = now() - interval '2 minutes' where id = $1::uuid")
        .bind(&id)
        .execute(&platform.db.owner)
        .await?;
    let sacha = Browser::new(&platform.gateway)?;
    let (status, page) = visit(&sacha, &first).await?;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("a expiré"), "{page}");
    let pending = owner.read(api).await?;
    assert_eq!(
        pending["pending_invitations"][0]["email_status"], "expired",
        "{pending}"
    );

    // Sent again: a new link that works, the old one dead.
    let (status, resent) = owner.api(Method::POST, &resend, None).await?;
    assert_eq!(status, StatusCode::OK, "{resent}");
    let second = new_link(&platform, &email_of("sacha"), &first).await?;
    assert_eq!(visit(&sacha, &first).await?.0, StatusCode::NOT_FOUND);
    assert_eq!(visit(&sacha, &second).await?.0, StatusCode::OK);
    sacha.login("sacha", &second).await?;
    assert_eq!(location(&sacha.get(&second).await?)?, "/t/asso-demo/");
    Ok(())
}
