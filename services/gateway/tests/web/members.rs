//! The members page: admins invite, change roles and remove by the same rules as the
//! API (only owners touch owners; the last owner stays); others only see who belongs.

use maillage_testkit::oidc::email_of;
use reqwest::StatusCode;

use crate::helpers::{Stack, TestResult};

const PAGE: &str = "/t/asso-demo/settings/members";

#[tokio::test]
async fn an_owner_invites_changes_a_role_and_removes_a_member_from_the_page() -> TestResult {
    let stack = Stack::start().await?;
    let editor = stack.editor().await?;
    let owner = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "owner")
        .await?;

    let page = owner.page(PAGE).await?;
    assert!(
        page.contains(&email_of("camille")) && page.contains("Invite someone"),
        "{page}"
    );

    let refused = owner
        .post_form(PAGE, &[("email", "pas-une-adresse"), ("role", "viewer")])
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = refused.text().await?;
    assert!(
        form.contains("adresse e-mail valide") && form.contains("value=\"pas-une-adresse\""),
        "{form}"
    );

    let invited = owner
        .submit(
            PAGE,
            &[("email", "Nouvelle@Exemple.fr"), ("role", "viewer")],
        )
        .await?;
    assert_eq!(invited, format!("{PAGE}?done=invited"));
    let page = owner.page(&invited).await?;
    assert!(
        page.contains("<td>nouvelle@exemple.fr</td>\n<td>Viewer</td>")
            && page.contains("email being sent")
            && page.contains("goes by email"),
        "{page}"
    );

    // camille, editor, becomes a viewer: she reads, and no longer writes.
    let owner_db = stack.db.owner.clone();
    let camille_id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind(email_of("camille"))
        .fetch_one(&owner_db)
        .await?;
    let changed = owner
        .submit(&format!("{PAGE}/{camille_id}/role"), &[("role", "viewer")])
        .await?;
    assert_eq!(changed, format!("{PAGE}?done=role"));
    let (status, _) = editor
        .api(
            reqwest::Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(serde_json::json!({"family_name": "Martin"})),
        )
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // As a viewer she sees who belongs, without the means to change it.
    let seen = editor.page(PAGE).await?;
    assert!(
        seen.contains(&email_of("sacha")) && !seen.contains("Inviter quelqu"),
        "{seen}"
    );
    let tried = editor
        .post_form(PAGE, &[("email", "intrus@exemple.fr"), ("role", "owner")])
        .await?;
    assert_eq!(tried.status(), StatusCode::FORBIDDEN);

    // The last owner cannot leave; camille can be removed, and the workspace is gone for her.
    let sacha_id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind(email_of("sacha"))
        .fetch_one(&owner_db)
        .await?;
    let last = owner
        .post_form(&format!("{PAGE}/{sacha_id}/remove"), &[])
        .await?;
    assert_eq!(last.status(), StatusCode::CONFLICT);
    assert!(
        last.text()
            .await?
            .contains("The workspace must keep at least one owner.")
    );
    let removed = owner
        .submit(&format!("{PAGE}/{camille_id}/remove"), &[])
        .await?;
    assert_eq!(removed, format!("{PAGE}?done=removed"));
    assert_eq!(
        editor.get("/t/asso-demo/").await?.status(),
        StatusCode::NOT_FOUND
    );
    let invitations: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where record_type in ('member', 'invitation')",
    )
    .fetch_one(&owner_db)
    .await?;
    assert_eq!(
        invitations, 3,
        "the invitation, the role and the removal, audited"
    );
    Ok(())
}

#[tokio::test]
async fn a_person_in_two_workspaces_switches_between_them_from_the_header() -> TestResult {
    let stack = Stack::start().await?;
    let other = stack.db.create_tenant("asso-voisine").await?;
    stack
        .db
        .invite(other, &email_of("camille"), "viewer")
        .await?;
    let camille = stack.editor().await?;
    let page = camille.page("/t/asso-demo/people").await?;
    assert!(
        page.contains("Changer d&#39;espace") && page.contains("href=\"/t/asso-voisine/\""),
        "{page}"
    );
    let there = camille.page("/t/asso-voisine/").await?;
    assert!(
        there.contains("href=\"/t/asso-demo/\""),
        "and back: {there}"
    );

    // Someone in one workspace only has nothing to switch to.
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "viewer")
        .await?;
    assert!(
        !sacha
            .page("/t/asso-demo/people")
            .await?
            .contains("<details class=\"workspaces\">")
    );
    Ok(())
}

#[tokio::test]
async fn an_admin_resends_and_revokes_an_invitation_from_the_page_and_no_one_else_does()
-> TestResult {
    let stack = Stack::start().await?;
    let editor = stack.editor().await?;
    let owner = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "owner")
        .await?;
    owner
        .submit(
            PAGE,
            &[("email", "nouvelle@exemple.fr"), ("role", "editor")],
        )
        .await?;
    let invitation: uuid::Uuid =
        sqlx::query_scalar("select id from invitations where email = 'nouvelle@exemple.fr'")
            .fetch_one(&stack.db.owner)
            .await?;
    let resend = format!("{PAGE}/invitations/{invitation}/resend");
    let revoke = format!("{PAGE}/invitations/{invitation}/revoke");

    // Its email is on its way: sending it again now is refused, in words.
    let refused = owner.post_form(&resend, &[]).await?;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        refused
            .text()
            .await?
            .contains("Wait a minute before sending it again.")
    );
    // An editor neither resends nor revokes; another workspace's admin finds nothing.
    assert_eq!(
        editor.post_form(&revoke, &[]).await?.status(),
        StatusCode::FORBIDDEN
    );
    let elsewhere = stack.db.create_tenant("asso-voisine").await?;
    let neighbour = stack
        .member_of(elsewhere, "asso-voisine", "dominique", "owner")
        .await?;
    let foreign = format!("/t/asso-voisine/settings/members/invitations/{invitation}/revoke");
    assert_eq!(
        neighbour.post_form(&foreign, &[]).await?.status(),
        StatusCode::NOT_FOUND
    );
    let api = format!("/api/v1/t/asso-voisine/members/invitations/{invitation}");
    let (status, _) = neighbour.api(reqwest::Method::DELETE, &api, None).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        stack.db.count("invitations").await?,
        4,
        "nothing was taken back"
    );

    // Sent a while ago: sent again, with a new link; then revoked.
    let old_hash: Vec<u8> = sqlx::query_scalar(
        "update invitations set email_due_at = null, email_sent_at = now() - interval '5 minutes'
         where id = $1 returning token_hash",
    )
    .bind(invitation)
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(
        owner.submit(&resend, &[]).await?,
        format!("{PAGE}?done=resent")
    );
    let new_hash: Vec<u8> = sqlx::query_scalar("select token_hash from invitations where id = $1")
        .bind(invitation)
        .fetch_one(&stack.db.owner)
        .await?;
    assert_ne!(old_hash, new_hash, "the older link stops working");
    assert_eq!(
        owner.submit(&revoke, &[]).await?,
        format!("{PAGE}?done=revoked")
    );
    let page = owner.page(PAGE).await?;
    assert!(!page.contains("nouvelle@exemple.fr"), "{page}");
    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where record_type = 'invitation' and record_id = $1 order by at",
    )
    .bind(invitation)
    .fetch_all(&stack.db.owner)
    .await?;
    assert_eq!(audited, ["create", "update", "delete"]);
    Ok(())
}
