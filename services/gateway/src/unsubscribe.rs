//! One-click unsubscribe (RFC 8058): every reminder email carries
//! `List-Unsubscribe: <…/unsubscribe/{tenant_id}/{token}>`. A mail client POSTs to it
//! (no session, no Origin: the token is the authority); a person following the link
//! sees a page and confirms, so that a link scanner's GET changes nothing.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use maillage_problem::Path;
use uuid::Uuid;

use maillage_i18n::Lang;

use crate::Error;
use crate::lang::ReaderLang;
use crate::pages::page;
use crate::state::AppState;

/// Where every unsubscribe link starts.
pub const PATH_PREFIX: &str = "/unsubscribe/";

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/unsubscribe/{tenant_id}/{token}",
        get(confirm).post(unsubscribe),
    )
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    lang: Lang,
    tenant_name: String,
    done: bool,
}

/// The tenant's name if the token is one of its members'.
async fn tenant_of(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    token: Uuid,
) -> Result<String, Error> {
    sqlx::query_scalar!(
        r#"select t.name from notification_preferences p join tenants t on t.id = p.tenant_id
           where p.tenant_id = $1 and p.unsubscribe_token = $2"#,
        tenant_id,
        token,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

async fn confirm(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    Path((tenant_id, token)): Path<(Uuid, Uuid)>,
) -> Result<Response, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let tenant_name = tenant_of(&mut tx, tenant_id, token).await?;
    tx.commit().await?;
    page(&UnsubscribePage {
        lang,
        tenant_name,
        done: false,
    })
}

async fn unsubscribe(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    Path((tenant_id, token)): Path<(Uuid, Uuid)>,
) -> Result<Response, Error> {
    let mut tx = maillage_db::begin_tenant(&state.pool, tenant_id).await?;
    let tenant_name = tenant_of(&mut tx, tenant_id, token).await?;
    sqlx::query!(
        r#"update notification_preferences
           set mode = 'off', version = version + 1, updated_at = now()
           where tenant_id = $1 and unsubscribe_token = $2 and mode <> 'off'"#,
        tenant_id,
        token,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(%tenant_id, "member unsubscribed from reminders");
    page(&UnsubscribePage {
        lang,
        tenant_name,
        done: true,
    })
}
