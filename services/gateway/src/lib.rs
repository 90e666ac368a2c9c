//! gateway: the only service people and API clients talk to. It logs people in with
//! OpenID Connect, keeps their session, checks their membership of the tenant named in
//! the URL, serves the web pages and `/api/v1`, and calls core-records on their behalf
//! with a short-lived signed identity.

mod api;
mod calendar;
mod config;
mod core_client;
mod error;
mod html_errors;
mod invitation_links;
mod lang;
mod login;
mod members;
mod membership;
mod openapi;
mod pages;
mod platform;
mod rate_limit;
mod return_path;
mod security_headers;
mod session;
mod startup;
mod state;
mod unsubscribe;
mod workspace_logo;
mod workspace_settings;
mod workspace_sign_in;

pub use config::{Config, DEFAULT_MAX_IN_FLIGHT};
pub use error::Error;
pub use rate_limit::RateLimitConfig;
pub use startup::build_app;
