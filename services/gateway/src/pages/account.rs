//! The account page (`/t/{slug}/account`): who is logged in, and the language they read
//! Maillage in — theirs in every workspace, or each workspace's own.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::{CookieJar, Form};
use maillage_i18n::Lang;
use maillage_problem::Query;
use serde::Deserialize;

use super::{Layout, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/t/{slug}/account", get(show).post(choose_language))
}

/// What the language form sends: a language's code, or "workspace".
const AS_THE_WORKSPACE: &str = "workspace";

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    email: String,
    /// The value of each choice, its name, and whether it is the current one.
    choices: Vec<(&'static str, String, bool)>,
    /// Why the choice sent was refused.
    refused: Option<String>,
    saved: bool,
}

fn page(member: &Member, refused: Option<String>, saved: bool) -> AccountPage {
    let layout = Layout::of(member, "account");
    let workspace_language = Lang::from_tag(&member.tenant.locale)
        .unwrap_or_default()
        .name();
    let chosen = member.user.locale.as_deref().and_then(Lang::from_tag);
    let mut choices = vec![(
        AS_THE_WORKSPACE,
        layout.t1("account-language-workspace", "language", workspace_language),
        chosen.is_none(),
    )];
    choices.extend(
        Lang::ALL
            .into_iter()
            .map(|lang| (lang.code(), lang.name().to_owned(), chosen == Some(lang))),
    );
    AccountPage {
        layout,
        email: member.user.email.clone(),
        choices,
        refused,
        saved,
    }
}

#[derive(Debug, Default, Deserialize)]
struct Shown {
    saved: Option<String>,
}

async fn show(member: Member, Query(shown): Query<Shown>) -> Result<Response, Error> {
    page_with_status(StatusCode::OK, &page(&member, None, shown.saved.is_some()))
}

#[derive(Debug, Default, Deserialize)]
struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// Any member may choose their own language, a viewer too: it changes nothing of the
/// workspace's.
async fn choose_language(
    State(state): State<AppState>,
    member: Member,
    jar: CookieJar,
    Form(form): Form<LanguageForm>,
) -> Result<Response, Error> {
    let chosen = match form.language.as_str() {
        AS_THE_WORKSPACE => None,
        code => match Lang::ALL.into_iter().find(|lang| lang.code() == code) {
            Some(lang) => Some(lang),
            None => {
                let refused = member.lang().t("account-language-refused");
                return page_with_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &page(&member, Some(refused), false),
                );
            }
        },
    };
    sqlx::query!(
        "update users set locale = $2 where id = $1",
        member.user.id,
        chosen.map(Lang::code),
    )
    .execute(&state.pool)
    .await?;
    tracing::info!(user_id = %member.user.id, language = ?chosen.map(Lang::code), "language chosen");
    let jar = match chosen {
        Some(lang) => jar.add(state.sessions.language_cookie(lang)),
        None => jar.add(state.sessions.language_removal_cookie()),
    };
    let back = format!("/t/{}/account?saved=1", member.tenant.slug);
    Ok((jar, Redirect::to(&back)).into_response())
}
