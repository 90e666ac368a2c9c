//! The notification service against real PostgreSQL, Redis and an SMTP server.
//! Deadlines are written the way core-records writes them: row + outbox event in one
//! transaction.

mod digests;
mod helpers;
mod invitations;
mod recipients;
mod sending;
mod suspension;
mod usage;
