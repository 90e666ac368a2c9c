//! Invitation emails: each goes out once, with a link only it carries (the row keeps
//! the link's hash, not the link); a suspended workspace's wait; an SMTP server that
//! cannot take one now gets it again later with the same link; one refused for good, or
//! expired, is not sent again.

use std::time::Duration;

use maillage_testkit::eventually;
use uuid::Uuid;

use crate::helpers::{TestResult, WAIT, World};

/// An invitation whose email is due, as the gateway writes one.
async fn invite(world: &World, email: &str) -> anyhow::Result<Uuid> {
    Ok(sqlx::query_scalar(
        "insert into invitations (tenant_id, email, role, invited_by, email_due_at)
         values ($1, $2, 'editor', $3, now() - interval '1 second') returning id",
    )
    .bind(world.tenant_id)
    .bind(email)
    .bind(world.user_id)
    .fetch_one(&world.db.owner)
    .await?)
}

/// The token of the invitation link an email carries.
fn link_token(text: &str, tenant_id: Uuid) -> Option<String> {
    let prefix = format!("https://maillage.example.org/invitations/{tenant_id}/");
    let start = text.find(&prefix)? + prefix.len();
    Some(
        text[start..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect(),
    )
}

/// Whether the row's hash is that of `token`, and whether the row still holds a token.
async fn stored(world: &World, id: Uuid, token: &str) -> anyhow::Result<(bool, bool)> {
    Ok(sqlx::query_as(
        "select token_hash = sha256(convert_to($2, 'UTF8')), email_token is not null
         from invitations where id = $1",
    )
    .bind(id)
    .bind(token)
    .fetch_one(&world.db.owner)
    .await?)
}

#[tokio::test]
async fn an_invitation_email_goes_out_once_with_a_link_only_it_carries() -> TestResult {
    let world = World::new().await?;
    let id = invite(&world, "nouvelle@example.org").await?;
    let _instance = world.start_instance().await?;

    let emails = world.wait_for_emails(1).await?;
    let email = &emails[0];
    assert_eq!(email.envelope_to, "nouvelle@example.org");
    assert!(
        email.subject.contains("Rejoindre l'espace"),
        "{}",
        email.subject
    );
    assert!(
        email.text.contains("camille@example.org vous invite") && email.text.contains("éditeur"),
        "who invites, and as what: {}",
        email.text
    );
    assert!(
        email.header("List-Unsubscribe").is_none(),
        "a one-off email has nothing to unsubscribe from"
    );
    let token = link_token(&email.text, world.tenant_id)
        .ok_or_else(|| anyhow::anyhow!("no link in {}", email.text))?;
    assert_eq!(token.len(), 64, "{token}");
    assert!(
        email.html.contains(&token),
        "the button carries the same link"
    );
    // The email is out before the sender records it: the row settles just after.
    let settled = eventually(WAIT, || async {
        let state = stored(&world, id, &token).await.ok()?;
        (state == (true, false)).then_some(())
    })
    .await;
    assert!(
        settled.is_some(),
        "the row keeps the link's hash, and no longer the link"
    );

    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(world.sink.received()?.len(), 1, "sent once");
    Ok(())
}

#[tokio::test]
async fn a_suspended_workspaces_invitations_wait_then_go() -> TestResult {
    let world = World::new().await?;
    let status = |status: &'static str| {
        sqlx::query("update tenants set status = $2 where id = $1")
            .bind(world.tenant_id)
            .bind(status)
            .execute(&world.db.owner)
    };
    status("suspended").await?;
    invite(&world, "nouvelle@example.org").await?;
    let _instance = world.start_instance().await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        world.sink.received()?.is_empty(),
        "nothing leaves a suspended workspace"
    );

    status("active").await?;
    world.wait_for_emails(1).await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(world.sink.received()?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn an_invitation_the_server_cannot_take_now_goes_later_with_the_same_link() -> TestResult {
    let world = World::new().await?;
    world.sink.fail_temporarily(1)?;
    let id = invite(&world, "nouvelle@example.org").await?;
    let _instance = world.start_instance().await?;
    let attempted = eventually(WAIT, || async {
        let (attempts, later): (i32, bool) = sqlx::query_as(
            "select email_attempts, email_due_at > now() from invitations where id = $1",
        )
        .bind(id)
        .fetch_one(&world.db.owner)
        .await
        .ok()?;
        (attempts == 1 && later).then_some(())
    })
    .await;
    assert!(
        attempted.is_some(),
        "the failure is recorded, the send put off"
    );
    assert!(world.sink.received()?.is_empty());

    world.clock.advance(chrono::Duration::minutes(2));
    let emails = world.wait_for_emails(1).await?;
    let token = link_token(&emails[0].text, world.tenant_id)
        .ok_or_else(|| anyhow::anyhow!("no link in {}", emails[0].text))?;
    let settled = eventually(WAIT, || async {
        let state = stored(&world, id, &token).await.ok()?;
        (state == (true, false)).then_some(())
    })
    .await;
    assert!(settled.is_some(), "sent with the link first made");
    Ok(())
}

#[tokio::test]
async fn a_refused_or_expired_invitation_is_not_sent_again() -> TestResult {
    let world = World::new().await?;
    world.sink.reject("refusee@example.org")?;
    let refused = invite(&world, "refusee@example.org").await?;
    let expired = invite(&world, "expiree@example.org").await?;
    sqlx::query("update invitations set expires_at = now() - interval '1 minute' where id = $1")
        .bind(expired)
        .execute(&world.db.owner)
        .await?;
    let _instance = world.start_instance().await?;
    let settled = eventually(WAIT, || async {
        let due: i64 =
            sqlx::query_scalar("select count(*) from invitations where email_due_at is not null")
                .fetch_one(&world.db.owner)
                .await
                .ok()?;
        (due == 0).then_some(())
    })
    .await;
    assert!(settled.is_some(), "both settled");
    let (error, token_left): (Option<String>, bool) = sqlx::query_as(
        "select email_error, email_token is not null from invitations where id = $1",
    )
    .bind(refused)
    .fetch_one(&world.db.owner)
    .await?;
    assert!(
        error.is_some_and(|e| e.contains("550")),
        "the refusal is kept for the members page"
    );
    assert!(!token_left, "a link that never went is not kept");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(world.sink.received()?.is_empty(), "neither went out");
    Ok(())
}
