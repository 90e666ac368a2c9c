//! A batch's plan written: records inserted a kind at a time (one statement per kind,
//! whatever the batch's size), people of the records completed, and each of these
//! written down in `import_items` so that the import can be undone.

use serde_json::{Value, json};
use sqlx::PgConnection;
use uuid::Uuid;

use super::history;
use super::plan::{Completion, Plan};
use crate::Error;

/// One line of `import_items`.
struct Item {
    record_type: &'static str,
    record_id: Uuid,
    tag_id: Option<Uuid>,
    before: Option<Value>,
    after: Option<Value>,
}

impl Item {
    fn created(record_type: &'static str, record_id: Uuid) -> Self {
        Self {
            record_type,
            record_id,
            tag_id: None,
            before: None,
            after: None,
        }
    }
}

/// Writes `plan` for the import `import_id` of the file `file_name`, sent by `author`.
pub(super) async fn write(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    (import_id, file_name, author): (Uuid, &str, Uuid),
    plan: &Plan,
) -> Result<(), Error> {
    let mut items = Vec::new();
    insert_tags(conn, tenant_id, plan, &mut items).await?;
    insert_organisations(conn, tenant_id, plan, &mut items).await?;
    insert_people(conn, tenant_id, file_name, plan, &mut items).await?;
    for completion in &plan.completions {
        items.push(complete(conn, tenant_id, file_name, completion).await?);
    }
    insert_links(conn, tenant_id, plan, &mut items).await?;
    insert_activities(conn, tenant_id, author, plan, &mut items).await?;
    insert_engagements(conn, tenant_id, plan, &mut items).await?;
    record_items(conn, tenant_id, import_id, items).await
}

async fn insert_tags(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plan: &Plan,
    items: &mut Vec<Item>,
) -> Result<(), Error> {
    let (ids, names): (Vec<Uuid>, Vec<String>) = plan.new_tags.iter().cloned().unzip();
    sqlx::query!(
        r#"insert into tags (tenant_id, id, name)
           select $1, * from unnest($2::uuid[], $3::text[])"#,
        tenant_id,
        &ids,
        &names,
    )
    .execute(conn)
    .await?;
    items.extend(ids.into_iter().map(|id| Item::created("tag", id)));
    Ok(())
}

/// The contact list of one address, or none.
fn single_email(address: Option<&String>) -> Value {
    address.map_or_else(
        || json!([]),
        |a| json!([{ "address": a, "label": "", "primary": true }]),
    )
}

async fn insert_organisations(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plan: &Plan,
    items: &mut Vec<Item>,
) -> Result<(), Error> {
    let organisations = &plan.new_organisations;
    let ids: Vec<Uuid> = organisations.iter().map(|(id, _)| *id).collect();
    let names: Vec<String> = organisations.iter().map(|(_, o)| o.name.clone()).collect();
    let kinds: Vec<String> = organisations
        .iter()
        .map(|(_, o)| o.kind.unwrap_or("other").to_owned())
        .collect();
    let emails: Vec<Option<String>> = organisations.iter().map(|(_, o)| o.email.clone()).collect();
    let email_lists: Vec<Value> = organisations
        .iter()
        .map(|(_, o)| single_email(o.email.as_ref()))
        .collect();
    let phones: Vec<Option<String>> = organisations.iter().map(|(_, o)| o.phone.clone()).collect();
    let phone_lists: Vec<Value> = organisations
        .iter()
        .map(|(_, o)| {
            o.phone.as_ref().map_or_else(
                || json!([]),
                |n| json!([{ "number": n, "label": "", "primary": true }]),
            )
        })
        .collect();
    let websites: Vec<Option<String>> = organisations
        .iter()
        .map(|(_, o)| o.website.clone())
        .collect();
    let sectors: Vec<String> = organisations
        .iter()
        .map(|(_, o)| o.sector.clone())
        .collect();
    let territories: Vec<String> = organisations
        .iter()
        .map(|(_, o)| o.territory.clone())
        .collect();
    sqlx::query!(
        r#"insert into organisations (tenant_id, id, name, kind, email, emails, phone, phones, website,
                                      sector, territory)
           select $1, * from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[],
                                    $7::text[], $8::jsonb[], $9::text[], $10::text[], $11::text[])"#,
        tenant_id,
        &ids,
        &names,
        &kinds,
        &emails as &[Option<String>],
        &email_lists,
        &phones as &[Option<String>],
        &phone_lists,
        &websites as &[Option<String>],
        &sectors,
        &territories,
    )
    .execute(conn)
    .await?;
    items.extend(ids.into_iter().map(|id| Item::created("organisation", id)));
    Ok(())
}

/// Where a consent given in the file comes from, for the person's consent history.
fn consent_source(file_name: &str) -> String {
    let source = format!("Import du fichier « {file_name} »");
    source.chars().take(200).collect()
}

async fn insert_people(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    file_name: &str,
    plan: &Plan,
    items: &mut Vec<Item>,
) -> Result<(), Error> {
    let people = &plan.new_people;
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let given: Vec<String> = people.iter().map(|p| p.part.given_name.clone()).collect();
    let family: Vec<String> = people.iter().map(|p| p.part.family_name.clone()).collect();
    let emails: Vec<Option<String>> = people.iter().map(|p| p.part.email.clone()).collect();
    let email_lists: Vec<Value> = people
        .iter()
        .map(|p| single_email(p.part.email.as_ref()))
        .collect();
    let phone_lists: Vec<Value> = people
        .iter()
        .map(|p| {
            let mut phones = Vec::new();
            for (number, label) in [(&p.part.phone, ""), (&p.part.mobile, "mobile")] {
                if let Some(number) = number {
                    phones.push(
                        json!({ "number": number, "label": label, "primary": phones.is_empty() }),
                    );
                }
            }
            Value::Array(phones)
        })
        .collect();
    let phones: Vec<Option<String>> = people
        .iter()
        .map(|p| p.part.phone.clone().or_else(|| p.part.mobile.clone()))
        .collect();
    let addresses: Vec<Option<Value>> = people
        .iter()
        .map(|p| {
            p.part
                .address
                .as_ref()
                .and_then(|a| serde_json::to_value(a).ok())
        })
        .collect();
    let consents: Vec<bool> = people
        .iter()
        .map(|p| p.part.email_consent == Some(true))
        .collect();
    let consent_on: Vec<Option<chrono::NaiveDate>> =
        people.iter().map(|p| p.part.consent_on).collect();
    let notes: Vec<String> = people.iter().map(|p| p.part.notes.clone()).collect();
    sqlx::query!(
        r#"insert into people (tenant_id, id, given_name, family_name, email, emails, phone, phones, address,
                               email_consent, consent_basis, consent_on, consent_source, notes)
           select $1, t.id, t.given, t.family, t.email, t.emails, t.phone, t.phones, t.address,
                  t.consent, case when t.consent then 'consent' end, case when t.consent then t.consent_on end,
                  case when t.consent then $13 else '' end, t.notes
           from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::jsonb[],
                       $9::jsonb[], $10::bool[], $11::date[], $12::text[])
                as t(id, given, family, email, emails, phone, phones, address, consent, consent_on, notes)"#,
        tenant_id,
        &ids,
        &given,
        &family,
        &emails as &[Option<String>],
        &email_lists,
        &phones as &[Option<String>],
        &phone_lists,
        &addresses as &[Option<Value>],
        &consents,
        &consent_on as &[Option<chrono::NaiveDate>],
        &notes,
        consent_source(file_name),
    )
    .execute(conn)
    .await?;
    items.extend(ids.into_iter().map(|id| Item::created("person", id)));
    Ok(())
}

/// Completes one person of the records; the item that can put them back.
async fn complete(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    file_name: &str,
    completion: &Completion,
) -> Result<Item, Error> {
    let before = sqlx::query_scalar!(
        r#"select jsonb_build_object(
                    'email', email, 'emails', emails, 'phone', phone, 'phones', phones, 'address', address,
                    'email_consent', email_consent, 'consent_basis', consent_basis, 'consent_on', consent_on,
                    'consent_source', consent_source, 'notes', notes, 'version', version,
                    'updated_at', updated_at) as "before!"
           from people where tenant_id = $1 and id = $2 for update"#,
        tenant_id,
        completion.id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let phones = completion
        .phones
        .as_ref()
        .and_then(|p| serde_json::to_value(p).ok());
    let address = completion
        .address
        .as_ref()
        .and_then(|a| serde_json::to_value(a).ok());
    let (consent, consent_on) = completion.consent.unwrap_or((false, None));
    let after = sqlx::query_scalar!(
        r#"update people set
             email = coalesce(email, $3),
             emails = case when email is null and $3::text is not null
                           then emails || jsonb_build_array(jsonb_build_object('address', $3::text, 'label', '', 'primary', true))
                           else emails end,
             phones = coalesce($4, phones),
             phone = coalesce(phone, $4::jsonb -> 0 ->> 'number'),
             address = coalesce(address, $5),
             email_consent = email_consent or $6,
             consent_basis = case when $6 then coalesce(consent_basis, 'consent') else consent_basis end,
             consent_on = case when $6 then coalesce(consent_on, $7) else consent_on end,
             consent_source = case when $6 and consent_source = '' then $8 else consent_source end,
             notes = case when notes = '' then coalesce($9, '') else notes end,
             version = version + 1,
             updated_at = now()
           where tenant_id = $1 and id = $2
           returning jsonb_build_object('version', version) as "after!""#,
        tenant_id,
        completion.id,
        completion.email,
        phones,
        address,
        consent,
        consent_on,
        consent_source(file_name),
        completion.notes,
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Item {
        record_type: "person",
        record_id: completion.id,
        tag_id: None,
        before: Some(before),
        after: Some(after),
    })
}

async fn insert_links(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plan: &Plan,
    items: &mut Vec<Item>,
) -> Result<(), Error> {
    let affiliations = &plan.new_affiliations;
    let ids: Vec<Uuid> = affiliations.iter().map(|a| a.0).collect();
    let people: Vec<Uuid> = affiliations.iter().map(|a| a.1).collect();
    let organisations: Vec<Uuid> = affiliations.iter().map(|a| a.2).collect();
    let roles: Vec<String> = affiliations.iter().map(|a| a.3.clone()).collect();
    sqlx::query!(
        r#"insert into affiliations (tenant_id, id, person_id, organisation_id, role)
           select $1, * from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[])"#,
        tenant_id,
        &ids,
        &people,
        &organisations,
        &roles,
    )
    .execute(&mut *conn)
    .await?;
    items.extend(ids.into_iter().map(|id| Item::created("affiliation", id)));

    let (people, tags): (Vec<Uuid>, Vec<Uuid>) = plan.person_tags.iter().copied().unzip();
    sqlx::query!(
        r#"insert into person_tags (tenant_id, person_id, tag_id)
           select $1, * from unnest($2::uuid[], $3::uuid[]) on conflict do nothing"#,
        tenant_id,
        &people,
        &tags,
    )
    .execute(&mut *conn)
    .await?;
    items.extend(people.into_iter().zip(tags).map(|(person, tag)| Item {
        tag_id: Some(tag),
        ..Item::created("person_tag", person)
    }));

    let (organisations, tags): (Vec<Uuid>, Vec<Uuid>) =
        plan.organisation_tags.iter().copied().unzip();
    sqlx::query!(
        r#"insert into organisation_tags (tenant_id, organisation_id, tag_id)
           select $1, * from unnest($2::uuid[], $3::uuid[]) on conflict do nothing"#,
        tenant_id,
        &organisations,
        &tags,
    )
    .execute(&mut *conn)
    .await?;
    items.extend(
        organisations
            .into_iter()
            .zip(tags)
            .map(|(organisation, tag)| Item {
                tag_id: Some(tag),
                ..Item::created("organisation_tag", organisation)
            }),
    );
    Ok(())
}

async fn insert_activities(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    author: Uuid,
    plan: &Plan,
    items: &mut Vec<Item>,
) -> Result<(), Error> {
    let activities = &plan.new_activities;
    let ids: Vec<Uuid> = activities.iter().map(|a| a.id).collect();
    let kinds: Vec<String> = activities
        .iter()
        .map(|a| a.part.kind.as_str().to_owned())
        .collect();
    let when: Vec<chrono::DateTime<chrono::Utc>> = activities
        .iter()
        .map(|a| history::occurred_at(a.part.on))
        .collect();
    let subjects: Vec<String> = activities.iter().map(|a| a.part.subject.clone()).collect();
    let bodies: Vec<String> = activities.iter().map(|a| a.part.body.clone()).collect();
    let people: Vec<Option<Uuid>> = activities.iter().map(|a| a.person).collect();
    let organisations: Vec<Option<Uuid>> = activities.iter().map(|a| a.organisation).collect();
    sqlx::query!(
        r#"with made as (
               insert into activities (tenant_id, id, kind, occurred_at, subject, body, author_user_id)
               select $1, t.id, t.kind, t.occurred_at, t.subject, t.body, $2
               from unnest($3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
                    as t(id, kind, occurred_at, subject, body)
               returning id)
           insert into activity_links (tenant_id, id, activity_id, person_id, organisation_id)
           select $1, gen_random_uuid(), t.id, target.person_id, target.organisation_id
           from unnest($3::uuid[], $8::uuid[], $9::uuid[]) as t(id, person_id, organisation_id)
           cross join lateral (values (t.person_id, null::uuid), (null::uuid, t.organisation_id))
                as target(person_id, organisation_id)
           where num_nonnulls(target.person_id, target.organisation_id) = 1
             and t.id in (select id from made)"#,
        tenant_id,
        author,
        &ids,
        &kinds,
        &when,
        &subjects,
        &bodies,
        &people as &[Option<Uuid>],
        &organisations as &[Option<Uuid>],
    )
    .execute(&mut *conn)
    .await?;
    items.extend(ids.into_iter().map(|id| Item::created("activity", id)));
    Ok(())
}

async fn insert_engagements(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    plan: &Plan,
    items: &mut Vec<Item>,
) -> Result<(), Error> {
    let engagements = &plan.new_engagements;
    let ids: Vec<Uuid> = engagements.iter().map(|e| e.id).collect();
    let kinds: Vec<String> = engagements
        .iter()
        .map(|e| e.part.kind.as_str().to_owned())
        .collect();
    let people: Vec<Option<Uuid>> = engagements.iter().map(|e| e.person).collect();
    let organisations: Vec<Option<Uuid>> = engagements.iter().map(|e| e.organisation).collect();
    let amounts: Vec<Option<i64>> = engagements.iter().map(|e| e.part.amount_cents).collect();
    let minutes: Vec<Option<i32>> = engagements.iter().map(|e| e.part.minutes).collect();
    let days: Vec<chrono::NaiveDate> = engagements.iter().map(|e| e.part.on).collect();
    let campaigns: Vec<String> = engagements
        .iter()
        .map(|e| e.part.campaign.clone())
        .collect();
    sqlx::query!(
        r#"insert into engagements (tenant_id, id, kind, person_id, organisation_id, amount_cents, currency,
                                    minutes, occurred_on, campaign)
           select $1, t.id, t.kind, t.person_id, t.organisation_id, t.amount_cents,
                  case when t.amount_cents is not null then 'EUR' end, t.minutes, t.occurred_on, t.campaign
           from unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::bigint[], $7::int[], $8::date[],
                       $9::text[])
                as t(id, kind, person_id, organisation_id, amount_cents, minutes, occurred_on, campaign)"#,
        tenant_id,
        &ids,
        &kinds,
        &people as &[Option<Uuid>],
        &organisations as &[Option<Uuid>],
        &amounts as &[Option<i64>],
        &minutes as &[Option<i32>],
        &days,
        &campaigns,
    )
    .execute(&mut *conn)
    .await?;
    items.extend(ids.into_iter().map(|id| Item::created("engagement", id)));
    Ok(())
}

async fn record_items(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    import_id: Uuid,
    items: Vec<Item>,
) -> Result<(), Error> {
    let ids: Vec<Uuid> = items.iter().map(|_| Uuid::now_v7()).collect();
    let types: Vec<String> = items.iter().map(|i| i.record_type.to_owned()).collect();
    let records: Vec<Uuid> = items.iter().map(|i| i.record_id).collect();
    let tags: Vec<Option<Uuid>> = items.iter().map(|i| i.tag_id).collect();
    let befores: Vec<Option<Value>> = items.iter().map(|i| i.before.clone()).collect();
    let afters: Vec<Option<Value>> = items.into_iter().map(|i| i.after).collect();
    sqlx::query!(
        r#"insert into import_items (tenant_id, import_id, id, record_type, record_id, tag_id, before, after)
           select $1, $2, * from unnest($3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::jsonb[], $8::jsonb[])"#,
        tenant_id,
        import_id,
        &ids,
        &types,
        &records,
        &tags as &[Option<Uuid>],
        &befores as &[Option<Value>],
        &afters as &[Option<Value>],
    )
    .execute(conn)
    .await?;
    Ok(())
}
