//! Two records of one person become one.

use axum::extract::State;
use axum::http::HeaderMap;
use maillage_problem::{Json, Path};
use uuid::Uuid;

use super::model::Person;
use super::queries::fetch;
use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::records::{MergeInput, etag};
use crate::state::AppState;

/// Merges a duplicate into this person: affiliations, activities, engagements and tags
/// move over, blank contact details are filled from the duplicate, which goes to the bin.
pub(super) async fn merge(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Json(input): Json<MergeInput>,
) -> Result<(HeaderMap, Json<Person>), Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let duplicate_id = input.duplicate_id;
    let mut tx = identity.begin(&state).await?;
    input.lock_both::<Person>(&mut tx, tenant_id, id).await?;
    let before = fetch(&mut tx, tenant_id, id, false).await?;
    let duplicate = fetch(&mut tx, tenant_id, duplicate_id, false)
        .await
        .map_err(|_| Error::field("duplicate_id", "ne désigne aucune personne de l'espace"))?;
    sqlx::query!(
        r#"update people s
           set email = coalesce(s.email, d.email), phone = coalesce(s.phone, d.phone),
               emails = case when jsonb_array_length(s.emails) = 0 then d.emails
                             else s.emails || (select coalesce(jsonb_agg(e || '{"primary": false}'::jsonb), '[]'::jsonb)
                                               from jsonb_array_elements(d.emails) e
                                               where not exists (select 1 from jsonb_array_elements(s.emails) x
                                                                 where lower(x->>'address') = lower(e->>'address'))) end,
               phones = case when jsonb_array_length(s.phones) = 0 then d.phones
                             else s.phones || (select coalesce(jsonb_agg(e || '{"primary": false}'::jsonb), '[]'::jsonb)
                                               from jsonb_array_elements(d.phones) e
                                               where not exists (select 1 from jsonb_array_elements(s.phones) x
                                                                 where x->>'number' = e->>'number')) end,
               address = coalesce(s.address, d.address),
               notes = case when d.notes = '' or d.notes = s.notes then s.notes
                            when s.notes = '' then d.notes
                            else s.notes || E'\n\n' || d.notes end,
               version = s.version + 1, updated_at = now()
           from people d
           where s.tenant_id = $1 and s.id = $2 and d.tenant_id = $1 and d.id = $3"#,
        tenant_id,
        id,
        duplicate_id,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update affiliations set person_id = $2 where tenant_id = $1 and person_id = $3",
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"delete from activity_links d where d.tenant_id = $1 and d.person_id = $3
             and exists (select 1 from activity_links s
                         where s.tenant_id = $1 and s.activity_id = d.activity_id and s.person_id = $2)"#,
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update activity_links set person_id = $2 where tenant_id = $1 and person_id = $3",
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update engagements set person_id = $2 where tenant_id = $1 and person_id = $3",
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"insert into person_tags (tenant_id, tag_id, person_id)
           select tenant_id, tag_id, $2 from person_tags where tenant_id = $1 and person_id = $3
           on conflict do nothing"#,
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from person_tags where tenant_id = $1 and person_id = $2",
        tenant_id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"update people set deleted_at = now(), version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, tenant_id, id, false).await?;
    let binned = fetch(&mut tx, tenant_id, duplicate_id, true).await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Merge,
        "person",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Merge,
        "person",
        duplicate_id,
        Some(&duplicate),
        Some(&binned),
    )
    .await?;
    tx.commit().await?;
    Ok((etag(after.version), Json(after)))
}
