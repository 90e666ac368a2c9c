//! The history of a person's consent, kept by a trigger on `people` (migration 61).

use maillage_domain::privacy::{ConsentChange, ConsentHistory};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

/// Every recorded state of the person's consent, the latest first; a person not in the
/// workspace (or erased) is not found.
pub(super) async fn history(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
) -> Result<ConsentHistory, Error> {
    let exists = sqlx::query_scalar!(
        "select 1 from people where tenant_id = $1 and id = $2",
        tenant_id,
        person_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if exists.is_none() {
        return Err(Error::NotFound);
    }
    let changes = sqlx::query_as!(
        ConsentChange,
        r#"select c.changed_at, u.display_name as "changed_by?", c.email_consent, c.consent_basis,
                  c.consent_on, c.consent_source
           from consent_changes c left join users u on u.id = c.changed_by
           where c.tenant_id = $1 and c.person_id = $2
           order by c.changed_at desc, c.id desc"#,
        tenant_id,
        person_id,
    )
    .fetch_all(conn)
    .await?;
    Ok(ConsentHistory { changes })
}
