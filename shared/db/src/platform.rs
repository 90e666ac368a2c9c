//! Making a workspace, the one way: the database's `provision_tenant` (the workspace and
//! its first owner's invitation in one transaction, retry-safe), for the provisioning
//! API and `maillage-admin` alike.

use maillage_domain::workspace::NewWorkspace;
use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

/// How a creation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provisioning {
    /// Made now.
    Created(Uuid),
    /// Made before with these very details (a retry): nothing changed.
    AlreadyThere(Uuid),
    /// The slug is another workspace's.
    SlugTaken,
}

pub async fn provision(
    conn: &mut PgConnection,
    workspace: &NewWorkspace,
) -> Result<Provisioning, sqlx::Error> {
    let provisioned = sqlx::query!(
        r#"select tenant_id as "tenant_id!", created as "created!"
           from provision_tenant($1, $2, $3, $4, $5, $6, $7)"#,
        Uuid::now_v7(),
        workspace.slug.as_str(),
        workspace.name,
        workspace.kind.as_str(),
        workspace.locale,
        workspace.time_zone.name(),
        workspace.owner_email.as_str(),
    )
    .fetch_one(conn)
    .await;
    match provisioned {
        Ok(made) if made.created => Ok(Provisioning::Created(made.tenant_id)),
        Ok(made) => Ok(Provisioning::AlreadyThere(made.tenant_id)),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Ok(Provisioning::SlugTaken)
        }
        Err(error) => Err(error),
    }
}

/// What the platform audit log keeps of a creation.
pub fn creation_detail(workspace: &NewWorkspace) -> Value {
    json!({
        "name": workspace.name,
        "kind": workspace.kind.as_str(),
        "locale": workspace.locale,
        "time_zone": workspace.time_zone.name(),
        "owner_email": workspace.owner_email.as_str(),
    })
}
