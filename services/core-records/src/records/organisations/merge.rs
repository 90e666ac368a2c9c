//! Two records of one organisation become one (`records::merge`).

use sqlx::PgConnection;
use uuid::Uuid;

use super::model::Organisation;
use crate::Error;
use crate::records::Mergeable;

/// Its people, partnerships, projects, activities, engagements, tags and deadlines
/// move over; blank details are filled from the duplicate.
impl Mergeable for Organisation {
    const NO_SUCH_DUPLICATE: &'static str = "check-no-such-organisation";

    async fn absorb(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        survivor: Uuid,
        duplicate: Uuid,
    ) -> Result<(), Error> {
        sqlx::query!(
            r#"update organisations s
               set website = coalesce(s.website, d.website), email = coalesce(s.email, d.email),
                   phone = coalesce(s.phone, d.phone),
                   emails = merged_contact_entries(s.emails, d.emails, 'address'),
                   phones = merged_contact_entries(s.phones, d.phones, 'number'),
                   address = coalesce(s.address, d.address),
                   sector = case when s.sector = '' then d.sector else s.sector end,
                   territory = case when s.territory = '' then d.territory else s.territory end,
                   notes = case when d.notes = '' or d.notes = s.notes then s.notes
                                when s.notes = '' then d.notes
                                else s.notes || E'\n\n' || d.notes end,
                   version = s.version + 1, updated_at = now()
               from organisations d
               where s.tenant_id = $1 and s.id = $2 and d.tenant_id = $1 and d.id = $3"#,
            tenant_id,
            survivor,
            duplicate,
        )
        .execute(&mut *conn)
        .await?;
        // Where both take part in the same partnership, project or activity, one link is enough.
        sqlx::query!(
            r#"delete from partnership_partners d where d.tenant_id = $1 and d.organisation_id = $3
                 and exists (select 1 from partnership_partners s where s.tenant_id = $1
                             and s.partnership_id = d.partnership_id and s.organisation_id = $2)"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"delete from project_partners d where d.tenant_id = $1 and d.organisation_id = $3
                 and exists (select 1 from project_partners s where s.tenant_id = $1
                             and s.project_id = d.project_id and s.organisation_id = $2)"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"delete from target_stakeholders d where d.tenant_id = $1 and d.organisation_id = $3
                 and exists (select 1 from target_stakeholders s where s.tenant_id = $1
                             and s.target_id = d.target_id and s.organisation_id = $2)"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"delete from activity_links d where d.tenant_id = $1 and d.organisation_id = $3
                 and exists (select 1 from activity_links s where s.tenant_id = $1
                             and s.activity_id = d.activity_id and s.organisation_id = $2)"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"insert into organisation_tags (tenant_id, tag_id, organisation_id)
               select tenant_id, tag_id, $2 from organisation_tags where tenant_id = $1 and organisation_id = $3
               on conflict do nothing"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "delete from organisation_tags where tenant_id = $1 and organisation_id = $2",
            tenant_id,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        // Every other link, in one statement (they touch different tables).
        sqlx::query!(
            r#"with affiliations as (update affiliations set organisation_id = $2 where tenant_id = $1 and organisation_id = $3),
                    partnerships as (update partnership_partners set organisation_id = $2 where tenant_id = $1 and organisation_id = $3),
                    projects as (update project_partners set organisation_id = $2 where tenant_id = $1 and organisation_id = $3),
                    activities as (update activity_links set organisation_id = $2 where tenant_id = $1 and organisation_id = $3),
                    engagements as (update engagements set organisation_id = $2 where tenant_id = $1 and organisation_id = $3),
                    targets as (update target_stakeholders set organisation_id = $2 where tenant_id = $1 and organisation_id = $3)
               update reporting_deadlines set funder_id = $2 where tenant_id = $1 and funder_id = $3"#,
            tenant_id,
            survivor,
            duplicate
        )
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
