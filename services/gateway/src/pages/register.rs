//! The register of processing activities (`/t/{slug}/settings/register`), as
//! core-records draws it from what the workspace holds: a page to read and print for
//! whoever asks for it (the CNIL, a funder, an auditor). Admins only.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use maillage_domain::privacy::ProcessingRegister;

use super::{Layout, page, tenant_zone};
use crate::Error;
use crate::membership::Admin;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/t/{slug}/settings/register", get(show))
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    produced: String,
    register: ProcessingRegister,
}

impl RegisterPage {
    /// The people's requests answered, in figures.
    fn rights(&self) -> String {
        self.layout.lang.t_with(
            "register-rights-figures",
            &[
                ("copies", self.register.copies_given.into()),
                ("erasures", self.register.erasures.into()),
                ("by_retention", self.register.erasures_by_retention.into()),
            ],
        )
    }
}

async fn show(State(state): State<AppState>, Admin(member): Admin) -> Result<Response, Error> {
    let register: ProcessingRegister = state.core.get(&member, "/v1/processing-register").await?;
    page(&RegisterPage {
        produced: member
            .lang()
            .date_time(register.produced_at, tenant_zone(&member)),
        layout: Layout::of(&member, "register"),
        register,
    })
}
