//! A workspace's sign-in settings, for its owners (`/api/v1/t/{slug}/settings/sign-in`
//! and the settings page): read them (never the secret), save them after checking the
//! provider, or go back to the platform's provider.
//!
//! Switching provider changes who a member is (a sign-in is an issuer and a subject):
//! the members keep their role through an invitation each, accepted at their first
//! sign-in through the provider now in use with their (verified) address.

use axum::extract::State;
use axum::http::StatusCode;
use maillage_domain::Role;
use maillage_problem::{FieldError, Json, Problem};
use maillage_runtime::api::{ApiRouter, Doc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::reachable;
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/api/v1/t/{slug}/settings/sign-in",
            show,
            Doc::new(
                "members",
                "La connexion propre à l'espace : son fournisseur d'identité, sans le secret (administrateurs)",
            )
            .returns::<SignInView>(),
        )
        .put(
            "/api/v1/t/{slug}/settings/sign-in",
            save_settings,
            Doc::new(
                "members",
                "Connecter l'espace à son propre fournisseur d'identité, vérifié avant d'être enregistré (propriétaires)",
            )
            .body::<SignInInput>()
            .returns::<SignInView>(),
        )
        .delete(
            "/api/v1/t/{slug}/settings/sign-in",
            remove_settings,
            Doc::new(
                "members",
                "Revenir au fournisseur d'identité de la plateforme (propriétaires)",
            )
            .returns::<SignInView>(),
        )
}

/// Members carried over to another provider have this long to sign in through it.
const CARRIED_OVER_FOR_DAYS: i32 = 90;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignInView {
    /// Whether this platform lets workspaces bring their own provider.
    pub available: bool,
    /// Whether this workspace has its own.
    pub configured: bool,
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub allowed_domains: Vec<String>,
    pub acr_values: Option<String>,
    pub label: Option<String>,
    /// The address to register at the provider as the client's redirect URI.
    pub redirect_uri: String,
    /// The address to register as the post-logout redirect URI.
    pub post_logout_redirect_uri: String,
    /// The workspace's own sign-in page, to give its members.
    pub sign_in_page: String,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInInput {
    /// The provider's issuer, as its discovery document names it
    /// (`https://auth.example.org/realms/asso`).
    #[schema(min_length = 1, max_length = 500)]
    pub issuer: String,
    #[schema(min_length = 1, max_length = 200)]
    pub client_id: String,
    /// Required the first time and when the issuer or the client changes; left out, the
    /// stored one stays.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 500)]
    pub client_secret: Option<String>,
    /// Only addresses of these domains sign in (none: any the provider vouches for).
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    /// Asked of the provider at each sign-in (ProConnect: `eidas1`).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub acr_values: Option<String>,
    /// What the sign-in button says.
    #[schema(min_length = 1, max_length = 60)]
    pub label: String,
}

async fn show(State(state): State<AppState>, member: Member) -> Result<Json<SignInView>, Error> {
    if member.role < Role::Admin {
        return Err(Error::Refused(forbidden()));
    }
    Ok(Json(view(&state, member.tenant.id).await?))
}

fn forbidden() -> Problem {
    Problem::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "Seuls les propriétaires de l'espace choisissent comment ses membres se connectent.",
    )
}

/// The workspace's sign-in as it stands.
pub async fn view(state: &AppState, tenant_id: Uuid) -> Result<SignInView, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let row = sqlx::query!(
        r#"select issuer, client_id, allowed_domains, acr_values, label
           from workspace_identity_providers where tenant_id = $1"#,
        tenant_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let slug = sqlx::query_scalar!("select slug from tenants where id = $1", tenant_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    let registry = &state.workspace_sign_in;
    Ok(SignInView {
        available: registry.available(),
        configured: row.is_some(),
        issuer: row.as_ref().map(|r| r.issuer.clone()),
        client_id: row.as_ref().map(|r| r.client_id.clone()),
        allowed_domains: row
            .as_ref()
            .map(|r| r.allowed_domains.clone())
            .unwrap_or_default(),
        acr_values: row.as_ref().and_then(|r| r.acr_values.clone()),
        label: row.map(|r| r.label),
        redirect_uri: registry.redirect_url(tenant_id),
        post_logout_redirect_uri: format!("{}/?logged_out=1", state.public_base_url),
        sign_in_page: format!("{}/t/{slug}/login", state.public_base_url),
    })
}

/// Each field that is not what it should be, at once.
fn refused_fields(input: &SignInInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut refuse = |field: &str, message: &str| errors.push(FieldError::new(field, message));
    if input.issuer.trim().is_empty() || input.issuer.len() > 500 {
        refuse("issuer", "est obligatoire (au plus 500 caractères)");
    }
    if input.client_id.trim().is_empty() || input.client_id.len() > 200 {
        refuse("client_id", "est obligatoire (au plus 200 caractères)");
    }
    if input
        .client_secret
        .as_ref()
        .is_some_and(|s| s.is_empty() || s.len() > 500)
    {
        refuse("client_secret", "doit compter de 1 à 500 caractères");
    }
    if input.label.trim().is_empty() || input.label.chars().count() > 60 {
        refuse("label", "est obligatoire (au plus 60 caractères)");
    }
    if input.allowed_domains.len() > 20 || !input.allowed_domains.iter().all(|d| is_domain(d)) {
        refuse(
            "allowed_domains",
            "doit lister au plus 20 domaines, comme ville-lyon.fr",
        );
    }
    if input.acr_values.as_ref().is_some_and(|acr| {
        acr.len() > 200 || !acr.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
    }) {
        refuse(
            "acr_values",
            "doit être une liste de valeurs séparées par des espaces",
        );
    }
    errors
}

/// `ville-lyon.fr`: labels of letters, digits and hyphens, at least two, lowercase.
fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

async fn save_settings(
    State(state): State<AppState>,
    member: Member,
    Json(input): Json<SignInInput>,
) -> Result<Result<Json<SignInView>, Problem>, Error> {
    Ok(save(&state, &member, input).await?.map(Json))
}

/// Checks the provider, then stores the settings (the secret sealed) and carries the
/// members over.
pub async fn save(
    state: &AppState,
    member: &Member,
    mut input: SignInInput,
) -> Result<Result<SignInView, Problem>, Error> {
    if member.role != Role::Owner {
        return Ok(Err(forbidden()));
    }
    let registry = &state.workspace_sign_in;
    let Some(key) = registry.key() else {
        return Ok(Err(Problem::new(
            StatusCode::CONFLICT,
            "sign-in-unavailable",
            "Cette plateforme ne permet pas encore aux espaces d'avoir leur propre connexion.",
        )
        .with_detail(
            "Son administrateur doit d'abord définir IDENTITY_SECRETS_KEY.",
        )));
    };
    input.issuer = input.issuer.trim().to_owned();
    input.client_id = input.client_id.trim().to_owned();
    input.label = input.label.trim().to_owned();
    input.acr_values = input
        .acr_values
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty());
    for domain in &mut input.allowed_domains {
        *domain = domain.trim().to_lowercase();
    }
    input.allowed_domains.retain(|d| !d.is_empty());
    let mut errors = refused_fields(&input);
    // The owner making the change must be able to sign in through it afterwards.
    let own_domain = member
        .user
        .email
        .rsplit_once('@')
        .map(|(_, d)| d.to_lowercase());
    if !input.allowed_domains.is_empty()
        && !own_domain.is_some_and(|own| input.allowed_domains.contains(&own))
    {
        errors.push(FieldError::new(
            "allowed_domains",
            "doit comprendre le domaine de votre propre adresse, sans quoi vous ne pourriez plus vous connecter",
        ));
    }
    let tenant_id = member.tenant.id;
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let stored = sqlx::query!(
        r#"select issuer, client_id, client_secret_sealed from workspace_identity_providers
           where tenant_id = $1 for update"#,
        tenant_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let sealed = match (&input.client_secret, &stored) {
        (Some(secret), _) => Some(key.seal(tenant_id, &SecretString::from(secret.clone()))),
        // The same client of the same provider keeps its secret.
        (None, Some(stored))
            if stored.issuer == input.issuer && stored.client_id == input.client_id =>
        {
            Some(stored.client_secret_sealed.clone())
        }
        (None, _) => {
            errors.push(FieldError::new(
                "client_secret",
                "est obligatoire pour ce client",
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Ok(Err(Problem::validation(errors)));
    }
    if let Err(reason) = reachable::check(&input.issuer, registry.may_be_local()).await {
        return Ok(Err(Problem::validation(vec![FieldError::new(
            "issuer", reason,
        )])));
    }
    let changes_provider = stored.as_ref().is_none_or(|s| s.issuer != input.issuer);
    sqlx::query!(
        r#"insert into workspace_identity_providers
               (tenant_id, issuer, client_id, client_secret_sealed, allowed_domains, acr_values, label, updated_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           on conflict (tenant_id) do update
           set issuer = excluded.issuer, client_id = excluded.client_id,
               client_secret_sealed = excluded.client_secret_sealed,
               allowed_domains = excluded.allowed_domains, acr_values = excluded.acr_values,
               label = excluded.label, updated_by = excluded.updated_by, updated_at = clock_timestamp()"#,
        tenant_id,
        input.issuer,
        input.client_id,
        sealed.unwrap_or_default(),
        &input.allowed_domains,
        input.acr_values,
        input.label,
        member.user.id,
    )
    .execute(&mut *tx)
    .await?;
    let carried = if changes_provider {
        carry_members_over(&mut tx, tenant_id, &input.issuer, member.user.id).await?
    } else {
        0
    };
    let after = json!({
        "issuer": input.issuer, "client_id": input.client_id, "allowed_domains": input.allowed_domains,
        "acr_values": input.acr_values, "label": input.label, "members_carried_over": carried,
    });
    audit(&mut tx, member, "update", after).await?;
    tx.commit().await?;
    tracing::info!(tenant = %member.tenant.slug, carried, "workspace sign-in saved");
    Ok(Ok(view(state, tenant_id).await?))
}

async fn remove_settings(
    State(state): State<AppState>,
    member: Member,
) -> Result<Result<Json<SignInView>, Problem>, Error> {
    Ok(remove(&state, &member).await?.map(Json))
}

/// Back to the platform's provider; the members carried over to it.
pub async fn remove(
    state: &AppState,
    member: &Member,
) -> Result<Result<SignInView, Problem>, Error> {
    if member.role != Role::Owner {
        return Ok(Err(forbidden()));
    }
    let tenant_id = member.tenant.id;
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let removed = sqlx::query_scalar!(
        "delete from workspace_identity_providers where tenant_id = $1 returning issuer",
        tenant_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if removed.is_some() {
        let platform = state.oidc.issuer().to_owned();
        let carried = carry_members_over(&mut tx, tenant_id, &platform, member.user.id).await?;
        audit(
            &mut tx,
            member,
            "delete",
            json!({ "members_carried_over": carried }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(view(state, tenant_id).await?))
}

/// Invites again, with their role and without an email, each member whose sign-in is
/// not through `issuer` and who has no membership through it yet: at their first
/// sign-in there, with their verified address, they are members again. Returns how
/// many.
async fn carry_members_over(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    issuer: &str,
    actor: Uuid,
) -> Result<u64, Error> {
    let carried = sqlx::query!(
        r#"insert into invitations (tenant_id, email, role, invited_by, expires_at)
           select distinct on (lower(u.email)) m.tenant_id, lower(u.email), m.role, $3,
                  now() + make_interval(days => $4)
           from memberships m join users u on u.id = m.user_id
           where m.tenant_id = $1 and u.issuer <> $2
             and not exists (select 1 from memberships n join users v on v.id = n.user_id
                             where n.tenant_id = $1 and v.issuer = $2 and lower(v.email) = lower(u.email))
           order by lower(u.email),
                    array_position(array['owner', 'admin', 'editor', 'viewer'], m.role)
           on conflict (tenant_id, email) do update
           set role = excluded.role, invited_by = excluded.invited_by, expires_at = excluded.expires_at,
               accepted_at = null, accepted_by = null, email_token = new_invitation_token(),
               email_due_at = null, email_attempts = 0, email_sent_at = null, email_error = null"#,
        tenant_id,
        issuer,
        actor,
        CARRIED_OVER_FOR_DAYS,
    )
    .execute(conn)
    .await?;
    Ok(carried.rows_affected())
}

/// The change, in the workspace's audit log (never the secret).
async fn audit(
    conn: &mut sqlx::PgConnection,
    member: &Member,
    action: &str,
    after: serde_json::Value,
) -> Result<(), Error> {
    sqlx::query!(
        r#"insert into audit_log (tenant_id, id, actor_user_id, request_id, action, record_type, record_id, after)
           values ($1, $2, $3, $4, $5, 'sign_in', $1, $6)"#,
        member.tenant.id,
        Uuid::now_v7(),
        member.user.id,
        member.request_id,
        action,
        after,
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_field_is_named_at_once() {
        let input = SignInInput {
            allowed_domains: vec!["Pas un domaine".into()],
            acr_values: Some("eidas1\n".into()),
            ..SignInInput::default()
        };
        let fields: Vec<String> = refused_fields(&input)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "issuer",
                "client_id",
                "label",
                "allowed_domains",
                "acr_values"
            ]
        );
        assert!(is_domain("ville-lyon.fr") && is_domain("mairie.paris.fr"));
        assert!(!is_domain("localhost") && !is_domain("-a.fr") && !is_domain("a..fr"));
    }
}
