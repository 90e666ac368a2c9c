//! An import taken back as a whole, in one transaction: the history and links it made
//! removed, the people it completed put back as they were, the records it created
//! removed — except those someone has changed or linked to since (kept, and counted),
//! for an undo must not take a colleague's work with it.

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::Error;
use crate::audit::{self, Action};
use crate::records::search::vocabulary;

/// Undoes a finished import, at its sender's request.
pub(super) async fn undo(pool: &PgPool, tenant_id: Uuid, import_id: Uuid) -> Result<(), Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let kept = take_back(&mut tx, tenant_id, import_id).await?;
    let row = sqlx::query!(
        r#"update imports
           set status = 'undone', undone_at = now(), claimed_at = null, updated_at = now(),
               counts = counts || jsonb_build_object('kept_after_undo', $3::bigint)
           where tenant_id = $1 and id = $2
           returning created_by, file_name"#,
        tenant_id,
        import_id,
        kept,
    )
    .fetch_one(&mut *tx)
    .await?;
    let request_id = request_id(import_id);
    let entry = audit::Entry {
        tenant_id,
        actor_user_id: row.created_by,
        request_id: &request_id,
    };
    entry
        .record(
            &mut tx,
            Action::Delete,
            "import",
            import_id,
            Some(&json!({ "file_name": row.file_name, "kept_after_undo": kept })),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A run that cannot go on: what it wrote is taken back and the import says why.
pub(super) async fn fail(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
    reason: &str,
) -> Result<(), Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    take_back(&mut tx, tenant_id, import_id).await?;
    sqlx::query!(
        r#"update imports set status = 'failed', error = $3, claimed_at = null, finished_at = now(),
                  updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        import_id,
        format!("l'import s'est arrêté ({reason}) : tout ce qu'il avait écrit a été retiré"),
    )
    .execute(&mut *tx)
    .await?;
    super::file::drop_parts(&mut tx, tenant_id, import_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes back what the import wrote; how many records were kept because they were
/// changed or linked to since.
async fn take_back(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
) -> Result<i64, Error> {
    // The words of the records it created (read before any goes), to forget those no
    // record has any more: the typo pass's vocabulary keeps words otherwise.
    let words = sqlx::query_scalar!(
        r#"select distinct t.term as "term!" from search_terms t join import_items i
             on i.tenant_id = t.tenant_id and i.record_id = t.record_id
           where i.tenant_id = $1 and i.import_id = $2 and i.before is null
             and i.record_type in ('person', 'organisation', 'activity')"#,
        tenant_id,
        import_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    // History first: the people and organisations it hangs from go after it.
    let engagements = sqlx::query!(
        r#"delete from engagements e using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'engagement'
             and e.tenant_id = $1 and e.id = i.record_id and e.version = 1"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let created_engagements = count(&mut *conn, tenant_id, import_id, "engagement", false).await?;
    let activities = sqlx::query!(
        r#"delete from activities a using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'activity'
             and a.tenant_id = $1 and a.id = i.record_id and a.version = 1"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let created_activities = count(&mut *conn, tenant_id, import_id, "activity", false).await?;
    sqlx::query!(
        r#"delete from person_tags t using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'person_tag'
             and t.tenant_id = $1 and t.person_id = i.record_id and t.tag_id = i.tag_id"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"delete from organisation_tags t using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'organisation_tag'
             and t.tenant_id = $1 and t.organisation_id = i.record_id and t.tag_id = i.tag_id"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"delete from affiliations a using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'affiliation'
             and a.tenant_id = $1 and a.id = i.record_id and a.version = 1"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?;
    // People completed: put back as they were, unless changed since the import.
    let restored = sqlx::query!(
        r#"update people p set
             email = i.before ->> 'email',
             emails = i.before -> 'emails',
             phone = i.before ->> 'phone',
             phones = i.before -> 'phones',
             address = nullif(i.before -> 'address', 'null'::jsonb),
             email_consent = (i.before ->> 'email_consent')::boolean,
             consent_basis = i.before ->> 'consent_basis',
             consent_on = (i.before ->> 'consent_on')::date,
             consent_source = i.before ->> 'consent_source',
             notes = i.before ->> 'notes',
             version = (i.before ->> 'version')::integer,
             updated_at = (i.before ->> 'updated_at')::timestamptz
           from import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'person' and i.before is not null
             and p.tenant_id = $1 and p.id = i.record_id
             and p.version = (i.after ->> 'version')::integer"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let completed = count(&mut *conn, tenant_id, import_id, "person", true).await?;
    let people = sqlx::query!(
        r#"delete from people p using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'person' and i.before is null
             and p.tenant_id = $1 and p.id = i.record_id and p.version = 1
             and not exists (select 1 from affiliations a where a.tenant_id = $1 and a.person_id = p.id)
             and not exists (select 1 from activity_links l where l.tenant_id = $1 and l.person_id = p.id)
             and not exists (select 1 from engagements e where e.tenant_id = $1 and e.person_id = p.id)"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let created_people = count(&mut *conn, tenant_id, import_id, "person", false).await?;
    let organisations = sqlx::query!(
        r#"delete from organisations o using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'organisation'
             and o.tenant_id = $1 and o.id = i.record_id and o.version = 1
             and not exists (select 1 from affiliations a where a.tenant_id = $1 and a.organisation_id = o.id)
             and not exists (select 1 from activity_links l where l.tenant_id = $1 and l.organisation_id = o.id)
             and not exists (select 1 from engagements e where e.tenant_id = $1 and e.organisation_id = o.id)
             and not exists (select 1 from partnership_partners x where x.tenant_id = $1 and x.organisation_id = o.id)
             and not exists (select 1 from project_partners x where x.tenant_id = $1 and x.organisation_id = o.id)
             and not exists (select 1 from reporting_deadlines d where d.tenant_id = $1 and d.funder_id = o.id)
             and not exists (select 1 from target_stakeholders s where s.tenant_id = $1 and s.organisation_id = o.id)"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let created_organisations =
        count(&mut *conn, tenant_id, import_id, "organisation", false).await?;
    // Tags it created go once nothing carries them any more.
    sqlx::query!(
        r#"delete from tags t using import_items i
           where i.tenant_id = $1 and i.import_id = $2 and i.record_type = 'tag'
             and t.tenant_id = $1 and t.id = i.record_id
             and not exists (select 1 from person_tags x where x.tenant_id = $1 and x.tag_id = t.id)
             and not exists (select 1 from organisation_tags x where x.tenant_id = $1 and x.tag_id = t.id)
             and not exists (select 1 from partnership_tags x where x.tenant_id = $1 and x.tag_id = t.id)
             and not exists (select 1 from project_tags x where x.tenant_id = $1 and x.tag_id = t.id)"#,
        tenant_id,
        import_id,
    )
    .execute(&mut *conn)
    .await?;
    vocabulary::forget_unused(conn, tenant_id, &words).await?;
    sqlx::query!(
        "delete from import_items where tenant_id = $1 and import_id = $2",
        tenant_id,
        import_id
    )
    .execute(&mut *conn)
    .await?;
    let kept = (completed - restored as i64)
        + (created_people - people as i64)
        + (created_organisations - organisations as i64)
        + (created_engagements - engagements as i64)
        + (created_activities - activities as i64);
    Ok(kept)
}

/// How many people or organisations the import created (`completed`: completed).
async fn count(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    record_type: &str,
    completed: bool,
) -> Result<i64, Error> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from import_items
           where tenant_id = $1 and import_id = $2 and record_type = $3 and (before is not null) = $4"#,
        tenant_id,
        import_id,
        record_type,
        completed,
    )
    .fetch_one(conn)
    .await?)
}

/// What the import's lines in the audit log come from, in place of a request's id.
pub(super) fn request_id(import_id: Uuid) -> String {
    format!("import-{import_id}")
}
