/// What can go wrong while moving work along. Every loop logs it and tries again later:
/// an outage of PostgreSQL, Redis or the SMTP server delays reminders, never loses them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("email: {0}")]
    Email(#[from] lettre::error::Error),
    #[error("address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("a send was interrupted before its outcome was known")]
    Interrupted,
}
