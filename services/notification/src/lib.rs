//! notification: turns everything dated (reports owed to funders, milestones, tasks,
//! partnership dates) into reminder emails that are never lost and
//! never sent twice.
//!
//! ```text
//! outbox (PostgreSQL) ─relay─► stream "events" ─planner─► reminders (PostgreSQL)
//! reminders due ─dispatcher─► stream "reminders" ─sender─► SMTP ─► record "sent", then ack
//! invitations due ─inviter─► SMTP ─► record "sent" (the workspace's invitation emails)
//! ```
//! PostgreSQL is the source of truth; Redis streams only carry work. Each stream is read
//! by a consumer group, an entry is acknowledged only once its effect is committed, and
//! entries left pending by a dead worker are reclaimed by a live one.

mod clock;
mod config;
pub mod dead_letters;
mod delivery;
mod digest;
mod email;
mod error;
mod invitations;
mod metrics;
mod planner;
mod relay;
mod schedule;
mod startup;
mod subject;
mod workers;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, Dkim};
pub use error::Error;
pub use schedule::{PlannedReminder, ReminderKind, plan};
pub use startup::Application;
pub use subject::Subject;
