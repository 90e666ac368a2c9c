//! People: the individuals a tenant works with.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::contact::{self, Address, EmailEntry, PhoneEntry};
use super::custom_fields;
use super::{Change, Checks, MergeInput, bin, created, etag, present, read, restore, the_one};
use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::pagination::{ChangedAfter, ListSort, Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/people",
            list,
            Doc::new("people", "Liste des personnes, filtrable")
                .query::<ListQuery>()
                .returns_page::<Person>(),
        )
        .post(
            "/v1/people",
            create,
            Doc::new("people", "Enregistrer une personne")
                .body::<PersonInput>()
                .requires(&["family_name"])
                .created()
                .returns::<Person>(),
        )
        .get(
            "/v1/people/{id}",
            read::<Person>,
            Doc::new("people", "Lire une personne").returns::<Person>(),
        )
        .patch(
            "/v1/people/{id}",
            update,
            Doc::new("people", "Modifier une personne")
                .if_match()
                .body::<PersonInput>()
                .returns::<Person>(),
        )
        .delete(
            "/v1/people/{id}",
            bin::<Person>,
            Doc::new("people", "Mettre une personne à la corbeille").no_content(),
        )
        .post(
            "/v1/people/{id}/restore",
            restore::<Person>,
            Doc::new("people", "Restaurer une personne de la corbeille").returns::<Person>(),
        )
        .post(
            "/v1/people/{id}/merge",
            merge,
            Doc::new("people", "Fusionner un doublon dans cette personne")
                .body::<MergeInput>()
                .returns::<Person>(),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    /// The primary email and phone, from the lists below.
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(value_type = Vec<EmailEntry>)]
    pub emails: JsonColumn<Vec<EmailEntry>>,
    #[schema(value_type = Vec<PhoneEntry>)]
    pub phones: JsonColumn<Vec<PhoneEntry>>,
    #[schema(value_type = Option<Address>)]
    pub address: Option<JsonColumn<Address>>,
    /// May the tenant write to this person? With the GDPR legal basis, when and how.
    pub email_consent: bool,
    pub consent_basis: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub consent_source: String,
    /// The tenant's own fields (see /v1/custom-fields), by key.
    pub custom: serde_json::Value,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the record is in the bin.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A create or PATCH body: absent fields keep their value (or the default on create).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    #[schema(max_length = 200)]
    given_name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    family_name: Option<String>,
    /// Sets the primary email (null removes it); `emails` replaces the whole list.
    #[serde(default, deserialize_with = "present")]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    phone: Option<Option<String>>,
    emails: Option<Vec<EmailEntry>>,
    phones: Option<Vec<PhoneEntry>>,
    #[serde(default, deserialize_with = "present")]
    address: Option<Option<Address>>,
    email_consent: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = consent_basis_schema)]
    consent_basis: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    consent_on: Option<Option<NaiveDate>>,
    #[schema(max_length = 200)]
    consent_source: Option<String>,
    /// Custom values to set, by key; null removes one.
    custom: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

const CONSENT_BASES: [&str; 6] = [
    "consent",
    "contract",
    "legal_obligation",
    "vital_interest",
    "public_task",
    "legitimate_interest",
];

/// The GDPR legal bases, for the document.
fn consent_basis_schema() -> Object {
    maillage_runtime::api::one_of_or_null(&CONSENT_BASES)
}

/// A person's editable fields, validated.
#[derive(Debug, Default)]
struct PersonFields {
    given_name: String,
    family_name: String,
    emails: Vec<EmailEntry>,
    phones: Vec<PhoneEntry>,
    address: Option<Address>,
    email_consent: bool,
    consent_basis: Option<String>,
    consent_on: Option<NaiveDate>,
    consent_source: String,
    custom: serde_json::Map<String, serde_json::Value>,
    notes: String,
}

impl PersonFields {
    fn of(person: &Person) -> Self {
        Self {
            given_name: person.given_name.clone(),
            family_name: person.family_name.clone(),
            emails: person.emails.0.clone(),
            phones: person.phones.0.clone(),
            address: person.address.as_ref().map(|a| a.0.clone()),
            email_consent: person.email_consent,
            consent_basis: person.consent_basis.clone(),
            consent_on: person.consent_on,
            consent_source: person.consent_source.clone(),
            notes: person.notes.clone(),
            custom: person.custom.as_object().cloned().unwrap_or_default(),
        }
    }

    fn merge(self, input: PersonInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let mut emails = input.emails.unwrap_or(self.emails);
        if let Some(email) = input.email {
            let email = checks.optional_email("email", email.as_deref());
            emails = contact::with_primary_email(emails, email);
        }
        let mut phones = input.phones.unwrap_or(self.phones);
        if let Some(phone) = input.phone {
            phones = contact::with_primary_phone(phones, phone);
        }
        let email_consent = input.email_consent.unwrap_or(self.email_consent);
        let consent_basis = input.consent_basis.unwrap_or(self.consent_basis);
        let consent_on = input.consent_on.unwrap_or(self.consent_on);
        if let Some(basis) = &consent_basis
            && !CONSENT_BASES.contains(&basis.as_str())
        {
            checks.push(
                "consent_basis",
                "doit être une base légale du RGPD (consent, contract, legitimate_interest…)",
            );
        }
        if email_consent && consent_basis.is_none() {
            checks.push(
                "consent_basis",
                "indiquez la base légale qui permet d'écrire à cette personne",
            );
        }
        if consent_basis.as_deref() == Some("consent") && consent_on.is_none() {
            checks.push("consent_on", "indiquez la date du consentement");
        }
        let mut custom = self.custom;
        for (key, value) in input.custom.unwrap_or_default() {
            custom.insert(key, value);
        }
        let fields = Self {
            custom,
            given_name: checks.text(
                "given_name",
                &input.given_name.unwrap_or(self.given_name),
                false,
                200,
            ),
            family_name: checks.text(
                "family_name",
                &input.family_name.unwrap_or(self.family_name),
                true,
                200,
            ),
            emails: contact::check_emails(&mut checks, emails),
            phones: contact::check_phones(&mut checks, phones),
            address: contact::check_address(&mut checks, input.address.unwrap_or(self.address)),
            email_consent,
            consent_basis,
            consent_on,
            consent_source: checks.text(
                "consent_source",
                &input.consent_source.unwrap_or(self.consent_source),
                false,
                200,
            ),
            notes: checks.text("notes", &input.notes.unwrap_or(self.notes), false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// `true` lists the bin instead of the live records.
    #[serde(default)]
    deleted: bool,
    /// Only the records carrying this tag (by name, any case).
    tag: Option<String>,
    /// `name` (family name, then given name: the default) or `-updated_at` (most
    /// recently changed first).
    #[param(schema_with = crate::pagination::list_sorts)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    after: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<Person>>, Error> {
    let sort = ListSort::parse(query.sort.as_deref())?;
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    // One statement per order: the page's ids through that order's index, then their
    // rows by primary key. As two statements (the ids, then the rows), a page cost one
    // more round trip: a fifth of a list's time under load (`make bench`, 8 clients).
    let rows = match sort {
        ListSort::Name => {
            let (family, given, id): (String, String, Uuid) = page.after()?.unwrap_or_default();
            sqlx::query_as!(
                Person,
                r#"select id, given_name, family_name, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                          phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                          email_consent, consent_basis, consent_on, consent_source,
                          notes, version, created_at, updated_at, deleted_at
                   from people
                   where tenant_id = $1 and (deleted_at is not null) = $6
                     and id = any(array(
                         select id from people
                         where tenant_id = $1 and (family_name, given_name, id) > ($2, $3, $4)
                           and (deleted_at is not null) = $6
                           and ($7::text is null or exists (select 1 from person_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                             where l.tenant_id = people.tenant_id and l.person_id = people.id
                                                               and lower(t.name) = lower($7)))
                         order by family_name, given_name, id
                         limit $5))
                   order by family_name, given_name, id"#,
                tenant_id,
                family,
                given,
                id,
                limit + 1,
                query.deleted,
                query.tag,
            )
            .fetch_all(&mut *tx)
            .await?
        }
        ListSort::RecentlyUpdated => {
            let after: Option<ChangedAfter> = page.after()?;
            sqlx::query_as!(
                Person,
                r#"select id, given_name, family_name, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                          phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                          email_consent, consent_basis, consent_on, consent_source,
                          notes, version, created_at, updated_at, deleted_at
                   from people
                   where tenant_id = $1 and (deleted_at is not null) = $5
                     and id = any(array(
                         select id from people
                         where tenant_id = $1 and ($2::timestamptz is null or (updated_at, id) < ($2, $3))
                           and (deleted_at is not null) = $5
                           and ($6::text is null or exists (select 1 from person_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                             where l.tenant_id = people.tenant_id and l.person_id = people.id
                                                               and lower(t.name) = lower($6)))
                         order by updated_at desc, id desc
                         limit $4))
                   order by updated_at desc, id desc"#,
                tenant_id,
                after.map(|a| a.updated_at),
                after.map(|a| a.id),
                limit + 1,
                query.deleted,
                query.tag,
            )
            .fetch_all(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |p| match sort {
        ListSort::Name => json!([p.family_name, p.given_name, p.id]),
        ListSort::RecentlyUpdated => json!(ChangedAfter {
            updated_at: p.updated_at,
            id: p.id,
        }),
    })))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<PersonInput>,
) -> Result<(StatusCode, HeaderMap, Json<Person>), Error> {
    identity.require_editor()?;
    let fields = PersonFields::default().merge(input)?;
    let mut tx = identity.begin(&state).await?;
    let custom = custom_fields::check_values(
        &mut tx,
        identity.0.tenant_id,
        "person",
        fields.custom.clone(),
    )
    .await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"insert into people (tenant_id, id, given_name, family_name, email, phone, emails, phones, address,
                               email_consent, consent_basis, consent_on, consent_source, notes, custom)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"#,
        identity.0.tenant_id,
        id,
        fields.given_name,
        fields.family_name,
        contact::primary_email(&fields.emails),
        contact::primary_phone(&fields.phones),
        JsonColumn(&fields.emails) as _,
        JsonColumn(&fields.phones) as _,
        fields.address.as_ref().map(JsonColumn) as _,
        fields.email_consent,
        fields.consent_basis,
        fields.consent_on,
        fields.consent_source,
        fields.notes,
        custom,
    )
    .execute(&mut *tx)
    .await?;
    created(tx, &identity, id).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<PersonInput>,
) -> Result<(HeaderMap, Json<Person>), Error> {
    let mut change = Change::<Person>::begin(&state, &identity, id, &headers).await?;
    let tenant_id = change.tenant_id();
    let fields = PersonFields::of(&change.before).merge(input)?;
    let custom =
        custom_fields::check_values(&mut change.tx, tenant_id, "person", fields.custom.clone())
            .await?;
    sqlx::query!(
        r#"update people
           set given_name = $3, family_name = $4, email = $5, phone = $6, emails = $7, phones = $8, address = $9,
               email_consent = $10, consent_basis = $11, consent_on = $12, consent_source = $13, notes = $14,
               custom = $15, version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        fields.given_name,
        fields.family_name,
        contact::primary_email(&fields.emails),
        contact::primary_phone(&fields.phones),
        JsonColumn(&fields.emails) as _,
        JsonColumn(&fields.phones) as _,
        fields.address.as_ref().map(JsonColumn) as _,
        fields.email_consent,
        fields.consent_basis,
        fields.consent_on,
        fields.consent_source,
        fields.notes,
        custom,
    )
    .execute(&mut *change.tx)
    .await?;
    change.commit().await
}

/// Merges a duplicate into this person: affiliations, activities, engagements and tags
/// move over, blank contact details are filled from the duplicate, which goes to the bin.
async fn merge(
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

/// One record of the tenant, from the bin when `in_bin`, otherwise from the live ones.
async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Person, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These people, in the order of `ids`, live or in the bin.
async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Person>, Error> {
    Ok(sqlx::query_as!(
        Person,
        r#"select id, given_name, family_name, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                  phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                  email_consent, consent_basis, consent_on, consent_source,
                  notes, version, created_at, updated_at, deleted_at
           from people where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(conn)
    .await?)
}

record!(Person, "people", "person", binnable);
