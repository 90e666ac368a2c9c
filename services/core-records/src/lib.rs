//! core-records: every tenant's records (people, organisations, reporting deadlines),
//! behind an internal HTTP API that only trusts identities signed by the gateway.

mod audit;
mod config;
mod error;
mod identity;
mod language;
mod outbox;
mod pagination;
mod records;
mod startup;
mod state;

pub use config::{Config, DEFAULT_MAX_IN_FLIGHT, DEFAULT_RETENTION_LOOK_SECONDS};
pub use error::Error;
// The search's queries without the HTTP around them: `make bench` times both.
pub use records::search::{Found, SearchHit, find as search};
pub use startup::build_app;
