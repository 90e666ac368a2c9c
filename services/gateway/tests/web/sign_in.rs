//! A workspace's own sign-in, against a second instance of the development OpenID
//! provider as the association's own: its owner connects it (checked first, the secret
//! sealed), its members then sign in there and keep their role, and only there; such a
//! session opens nothing else; a callback is taken only from the provider the login went
//! to; addresses of other domains are refused; back to the platform's provider, the
//! members keep their role again.

use maillage_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, email_of};
use maillage_testkit::{Browser, OidcProvider, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Stack, TestResult};

const SETTINGS: &str = "/api/v1/t/asso-demo/settings/sign-in";

fn settings(issuer: &str, domains: &[&str]) -> Value {
    json!({
        "label": "Connexion de l'asso", "issuer": issuer, "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET, "allowed_domains": domains,
    })
}

#[tokio::test]
async fn members_sign_in_through_their_workspaces_own_provider_and_only_through_it() -> TestResult {
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "owner")
        .await?;
    let own =
        OidcProvider::start(&format!("{}/auth/callback/{}", stack.base, stack.tenant_id)).await?;

    // Owners only; the provider is checked before it is saved.
    let (status, _) = camille
        .api(Method::PUT, SETTINGS, Some(settings(&own.issuer, &[])))
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, refused) = sacha
        .api(
            Method::PUT,
            SETTINGS,
            Some(settings("http://127.0.0.1:9", &[])),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["errors"][0]["field"], "issuer", "{refused}");
    let (status, refused) = sacha
        .api(
            Method::PUT,
            SETTINGS,
            Some(settings(&own.issuer, &["ville.example"])),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused.to_string().contains("votre propre adresse"),
        "the owner would lock themself out: {refused}"
    );
    let (status, saved) = sacha
        .api(
            Method::PUT,
            SETTINGS,
            Some(settings(&own.issuer, &["demo.maillage.test"])),
        )
        .await?;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["configured"], true);
    assert!(
        !saved.to_string().contains(CLIENT_SECRET),
        "never the secret"
    );
    let sealed: Vec<u8> =
        sqlx::query_scalar("select client_secret_sealed from workspace_identity_providers")
            .fetch_one(&stack.db.owner)
            .await?;
    assert!(
        !sealed
            .windows(CLIENT_SECRET.len())
            .any(|w| w == CLIENT_SECRET.as_bytes()),
        "the secret is sealed at rest"
    );

    // The platform's sessions no longer open the workspace: its login goes to its own.
    let (status, _) = camille
        .api(Method::GET, "/api/v1/t/asso-demo/people", None)
        .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let to_login = camille.get("/t/asso-demo/").await?;
    assert_eq!(location(&to_login)?, "/login?return_to=%2Ft%2Fasso-demo%2F");
    let to_provider = camille.get("/login?return_to=/t/asso-demo/").await?;
    assert!(
        location(&to_provider)?.starts_with(&own.issuer),
        "to the workspace's provider: {}",
        location(&to_provider)?
    );

    // Through it, camille is in, with her role (carried over from her old sign-in).
    let camille = Browser::new(&stack.base)?;
    let (callback, _) = camille.login("camille", "/t/asso-demo/").await?;
    assert!(callback.contains(&format!("/auth/callback/{}", stack.tenant_id)));
    assert_eq!(camille.get("/t/asso-demo/").await?.status(), StatusCode::OK);
    let (status, _) = camille
        .api(
            Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": "Girard"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "still an editor");
    // Such a session opens that workspace only: not another, not the console.
    let elsewhere = stack.db.create_tenant("asso-voisine").await?;
    stack
        .db
        .invite(elsewhere, &email_of("camille"), "editor")
        .await?;
    sqlx::query("insert into platform_admins (email) values ($1)")
        .bind(email_of("camille"))
        .execute(&stack.db.owner)
        .await?;
    let (status, _) = camille
        .api(Method::GET, "/api/v1/t/asso-voisine/people", None)
        .await?;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "not a member under this sign-in"
    );
    let (status, _) = camille
        .api(Method::GET, "/api/v1/platform/workspaces", None)
        .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Mix-up: a callback of the platform's provider brought to the workspace's is refused.
    let intruder = Browser::new(&stack.base)?;
    let platform_callback = intruder.login_until_callback("dominique", "/").await?;
    let swapped = platform_callback.replace(
        "/auth/callback?",
        &format!("/auth/callback/{}?", stack.tenant_id),
    );
    let refused = intruder.get(&swapped.replace(&stack.base, "")).await?;
    assert!(refused.status().is_client_error() || refused.status().is_server_error());
    assert!(refused.headers().get("set-cookie").is_none_or(|c| {
        !c.to_str()
            .unwrap_or_default()
            .starts_with("maillage_session")
    }));

    // An address of a domain the workspace does not accept is refused.
    sqlx::query("update workspace_identity_providers set allowed_domains = '{ville.example}'")
        .execute(&stack.db.owner)
        .await?;
    let outsider = Browser::new(&stack.base)?;
    let callback = outsider
        .login_until_callback("dominique", "/t/asso-demo/")
        .await?;
    let refused = outsider.get(&callback.replace(&stack.base, "")).await?;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await?.contains("domaine"));
    sqlx::query("update workspace_identity_providers set allowed_domains = '{demo.maillage.test}'")
        .execute(&stack.db.owner)
        .await?;

    // The owner, through the workspace's provider, goes back to the platform's: the
    // platform's sessions open it again, with their role.
    let sacha = Browser::new(&stack.base)?;
    sacha.login("sacha", "/t/asso-demo/").await?;
    let (status, back) = sacha.api(Method::DELETE, SETTINGS, None).await?;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["configured"], false);
    let dominique_free = Browser::new(&stack.base)?;
    let camille_again = Browser::new(&stack.base)?;
    camille_again.login("camille", "/t/asso-demo/").await?;
    assert_eq!(
        camille_again.get("/t/asso-demo/").await?.status(),
        StatusCode::OK
    );
    drop(dominique_free);
    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where record_type = 'sign_in' order by at",
    )
    .fetch_all(&stack.db.owner)
    .await?;
    assert_eq!(audited, ["update", "delete"]);
    Ok(())
}

#[tokio::test]
async fn the_sign_in_page_shows_the_addresses_to_register_and_saves_for_owners_only() -> TestResult
{
    let stack = Stack::start().await?;
    let camille = stack.editor().await?;
    let page = "/t/asso-demo/settings/sign-in";
    assert_eq!(camille.get(page).await?.status(), StatusCode::FORBIDDEN);
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "owner")
        .await?;
    let html = sacha.page(page).await?;
    assert!(
        html.contains(&format!("{}/auth/callback/{}", stack.base, stack.tenant_id))
            && html.contains("sign in through the platform"),
        "{html}"
    );
    // Every refused field is said at once, and the secret typed is not sent back.
    let refused = sacha
        .post_form(
            page,
            &[
                ("label", ""),
                ("issuer", "ftp://nulle-part"),
                ("client_id", ""),
                ("client_secret", "tres-secret"),
                ("allowed_domains", "pas un domaine!"),
            ],
        )
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await?;
    assert!(!html.contains("tres-secret"), "{html}");
    for field in ["label-error", "client_id-error", "allowed_domains-error"] {
        assert!(html.contains(field), "{field}: {html}");
    }
    let own =
        OidcProvider::start(&format!("{}/auth/callback/{}", stack.base, stack.tenant_id)).await?;
    let saved = sacha
        .submit(
            page,
            &[
                ("label", "ProConnect"),
                ("issuer", &own.issuer),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("allowed_domains", "demo.maillage.test"),
                ("acr_values", "eidas1"),
            ],
        )
        .await?;
    assert_eq!(saved, format!("{page}?done=saved"));
    // Starting from one's address: its domain leads to the workspace's own sign-in;
    // another domain, to the platform's.
    let anonymous = Browser::new(&stack.base)?;
    let by_email = |email: &'static str| {
        let anonymous = &anonymous;
        async move {
            let answer = anonymous
                .post_form("/login/email", &[("email", email)])
                .await?;
            location(&answer)
        }
    };
    assert_eq!(
        by_email("Claire@Demo.Maillage.test").await?,
        "/t/asso-demo/login"
    );
    assert_eq!(by_email("claire@ailleurs.example").await?, "/login");
    assert_eq!(by_email("pas une adresse").await?, "/login");
    // The level asked for goes with each sign-in.
    let to_provider = Browser::new(&stack.base)?.get("/t/asso-demo/login").await?;
    let authorize = location(&to_provider)?;
    assert!(
        authorize.starts_with(&own.issuer) && authorize.contains("acr_values=eidas1"),
        "{authorize}"
    );
    Ok(())
}

#[tokio::test]
async fn a_workspace_on_proconnect_signs_its_members_in_from_the_signed_userinfo() -> TestResult {
    let stack = Stack::start().await?;
    let sacha = stack
        .member_of(stack.tenant_id, "asso-demo", "sacha", "owner")
        .await?;
    stack.editor().await?;
    let proconnect = OidcProvider::start_as_proconnect(&format!(
        "{}/auth/callback/{}",
        stack.base, stack.tenant_id
    ))
    .await?;
    let mut body = settings(&proconnect.issuer, &["demo.maillage.test"]);
    body["label"] = json!("ProConnect");
    body["acr_values"] = json!("eidas1");
    let (status, saved) = sacha.api(Method::PUT, SETTINGS, Some(body)).await?;
    assert_eq!(status, StatusCode::OK, "{saved}");

    // The ID token names nobody: the address and the name come from the signed
    // userinfo; the address, of the workspace's own domain, is vouched for by it.
    let camille = Browser::new(&stack.base)?;
    camille.login("camille", "/t/asso-demo/").await?;
    assert_eq!(camille.get("/t/asso-demo/").await?.status(), StatusCode::OK);
    let (status, _) = camille
        .api(
            Method::POST,
            "/api/v1/t/asso-demo/people",
            Some(json!({"family_name": "Girard"})),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "her role came with her");
    let (email, name): (String, String) = sqlx::query_as(
        "select email, display_name from users where issuer = $1 and subject = 'camille'",
    )
    .bind(&proconnect.issuer)
    .fetch_one(&stack.db.owner)
    .await?;
    assert_eq!(
        (email.as_str(), name.as_str()),
        ("camille.martin@demo.maillage.test", "Camille Martin")
    );
    Ok(())
}
