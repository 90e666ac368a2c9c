//! The tenant's vocabulary (`search_vocabulary`): every word its records are found by,
//! which near misses are corrected towards. The index's triggers add words as records
//! come; records that go in numbers (an undone import, an erasure) take theirs away.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

/// Forgets those of `words` no record of the tenant is found by any more: the typo pass
/// would otherwise still suggest them (an erased person's name among them).
pub(crate) async fn forget_unused(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    words: &[String],
) -> Result<(), Error> {
    sqlx::query!(
        r#"delete from search_vocabulary v
           where v.tenant_id = $1 and v.term = any($2)
             and not exists (select 1 from search_terms t
                             where t.tenant_id = $1 and t.label_rank in (0, 1) and t.term = v.term)"#,
        tenant_id,
        words,
    )
    .execute(conn)
    .await?;
    Ok(())
}
