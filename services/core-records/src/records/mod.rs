//! The tenant's records, one module per resource: its routes, its types and its SQL.

/// `Record` for a resource type with a `version` field kept in `$table`, whose module
/// reads one with `fetch(conn, tenant_id, id)`: then also `Deletable`. With `binnable`,
/// one with a bin, read with `fetch(conn, tenant_id, id, in_bin)`: then `Binnable`
/// instead, so that deleting such a record for good does not compile.
macro_rules! record {
    ($type:ty, $table:literal, $name:literal) => {
        record!(@record $type, $table, $name;);

        impl super::Deletable for $type {
            const DELETE_SQL: &'static str =
                concat!("delete from ", $table, " where tenant_id = $1 and id = $2");
        }
    };
    ($type:ty, $table:literal, $name:literal, binnable) => {
        record!(@record $type, $table, $name; false);

        impl super::Binnable for $type {
            const BIN_SQL: &'static str = concat!(
                "update ", $table, " set deleted_at = case when $3 then now() end, ",
                "version = version + 1, updated_at = now() where tenant_id = $1 and id = $2"
            );

            fn fetch_binned(
                conn: &mut sqlx::PgConnection,
                tenant_id: uuid::Uuid,
                id: uuid::Uuid,
            ) -> impl Future<Output = Result<Self, crate::Error>> + Send {
                fetch(conn, tenant_id, id, true)
            }
        }
    };
    (@record $type:ty, $table:literal, $name:literal; $($in_bin:expr)?) => {
        impl super::Record for $type {
            const LOCK_SQL: &'static str = super::lock_sql!($table);
            const RECORD_TYPE: &'static str = $name;
            type Key = uuid::Uuid;

            fn fetch(
                conn: &mut sqlx::PgConnection,
                tenant_id: uuid::Uuid,
                id: uuid::Uuid,
            ) -> impl Future<Output = Result<Self, crate::Error>> + Send {
                fetch(conn, tenant_id, id $(, $in_bin)?)
            }

            fn version(&self) -> i32 {
                self.version
            }
        }
    };
}

/// The statement that locks one record of `$table` (see `lock`).
macro_rules! lock_sql {
    ($table:literal) => {
        concat!(
            "select 1 from ",
            $table,
            " where tenant_id = $1 and id = $2 for update"
        )
    };
}
use lock_sql;

mod activities;
mod affiliations;
mod agenda;
mod audit_trail;
mod bin;
mod calendar;
mod checks;
mod connections;
mod contact;
mod custom_fields;
mod dashboard;
mod deadlines;
mod engagements;
mod evaluations;
pub(crate) mod imports;
mod network;
mod notification_preferences;
mod organisations;
mod partnerships;
mod people;
mod photograph;
pub(crate) mod privacy;
mod projects;
mod record;
mod reminder_policy;
mod routes;
pub(crate) mod search;
mod similar;
mod tags;
mod targets;

use maillage_runtime::api::ApiRouter;

use self::checks::{Checks, present};
use self::record::{
    Binnable, Change, Deletable, MergeInput, Mergeable, Record, bin, check_version, created,
    delete, etag, expected_version, lock, lock_for, merge, read, restore, the_one,
};
use crate::state::AppState;

/// Every route of the records, each with its OpenAPI description.
pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .merge(people::router())
        .merge(organisations::router())
        .merge(deadlines::router())
        .merge(search::router())
        .merge(similar::router())
        .merge(affiliations::router())
        .merge(partnerships::router())
        .merge(audit_trail::router())
        .merge(bin::router())
        .merge(tags::router())
        .merge(activities::router())
        .merge(engagements::router())
        .merge(projects::router())
        .merge(network::router())
        .merge(dashboard::router())
        .merge(connections::router())
        .merge(targets::router())
        .merge(photograph::router())
        .merge(evaluations::router())
        .merge(custom_fields::router())
        .merge(reminder_policy::router())
        .merge(notification_preferences::router())
        .merge(calendar::router())
        .merge(agenda::router())
        .merge(imports::router())
        .merge(privacy::router())
}

#[cfg(test)]
mod tests {
    /// Two types given one schema name would leave one of them described by the other's
    /// schema in the OpenAPI document.
    #[test]
    fn every_schema_of_the_document_has_a_name_of_its_own() {
        assert_eq!(super::router().schema_conflicts(), Vec::<String>::new());
    }
}
