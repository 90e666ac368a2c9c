//! Two records of one person become one (`records::merge`).

use sqlx::PgConnection;
use uuid::Uuid;

use super::model::Person;
use crate::Error;
use crate::records::Mergeable;

/// Affiliations, activities, engagements and tags move over; blank contact details are
/// filled from the duplicate.
impl Mergeable for Person {
    const NO_SUCH_DUPLICATE: &'static str = "check-no-such-person";

    async fn absorb(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        survivor: Uuid,
        duplicate: Uuid,
    ) -> Result<(), Error> {
        sqlx::query!(
            r#"update people s
               set email = coalesce(s.email, d.email), phone = coalesce(s.phone, d.phone),
                   emails = merged_contact_entries(s.emails, d.emails, 'address'),
                   phones = merged_contact_entries(s.phones, d.phones, 'number'),
                   address = coalesce(s.address, d.address),
                   notes = case when d.notes = '' or d.notes = s.notes then s.notes
                                when s.notes = '' then d.notes
                                else s.notes || E'\n\n' || d.notes end,
                   version = s.version + 1, updated_at = now()
               from people d
               where s.tenant_id = $1 and s.id = $2 and d.tenant_id = $1 and d.id = $3"#,
            tenant_id,
            survivor,
            duplicate,
        )
        .execute(&mut *conn)
        .await?;
        // Where both took part in the same activity, one link is enough.
        sqlx::query!(
            r#"delete from activity_links d where d.tenant_id = $1 and d.person_id = $3
                 and exists (select 1 from activity_links s
                             where s.tenant_id = $1 and s.activity_id = d.activity_id and s.person_id = $2)"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        // Every other link, in one statement (they touch different tables).
        sqlx::query!(
            r#"with affiliations as (update affiliations set person_id = $2 where tenant_id = $1 and person_id = $3),
                    activities as (update activity_links set person_id = $2 where tenant_id = $1 and person_id = $3)
               update engagements set person_id = $2 where tenant_id = $1 and person_id = $3"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"insert into person_tags (tenant_id, tag_id, person_id)
               select tenant_id, tag_id, $2 from person_tags where tenant_id = $1 and person_id = $3
               on conflict do nothing"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "delete from person_tags where tenant_id = $1 and person_id = $2",
            tenant_id,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
