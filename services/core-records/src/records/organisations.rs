//! Organisations: funders, public bodies, associations, companies, networks…

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use maillage_domain::kinds::OrganisationKind;
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
            "/v1/organisations",
            list,
            Doc::new("organisations", "Liste des organisations, filtrable")
                .query::<ListQuery>()
                .returns_page::<Organisation>(),
        )
        .post(
            "/v1/organisations",
            create,
            Doc::new("organisations", "Enregistrer une organisation")
                .body::<OrganisationInput>()
                .requires(&["name"])
                .created()
                .returns::<Organisation>(),
        )
        .get(
            "/v1/organisations/{id}",
            read::<Organisation>,
            Doc::new("organisations", "Lire une organisation").returns::<Organisation>(),
        )
        .patch(
            "/v1/organisations/{id}",
            update,
            Doc::new("organisations", "Modifier une organisation")
                .if_match()
                .body::<OrganisationInput>()
                .returns::<Organisation>(),
        )
        .delete(
            "/v1/organisations/{id}",
            bin::<Organisation>,
            Doc::new("organisations", "Mettre une organisation à la corbeille").no_content(),
        )
        .post(
            "/v1/organisations/{id}/restore",
            restore::<Organisation>,
            Doc::new(
                "organisations",
                "Restaurer une organisation de la corbeille",
            )
            .returns::<Organisation>(),
        )
        .post(
            "/v1/organisations/{id}/merge",
            merge,
            Doc::new(
                "organisations",
                "Fusionner un doublon dans cette organisation",
            )
            .body::<MergeInput>()
            .returns::<Organisation>(),
        )
}

/// Blank, or an http(s) address of at most 500 characters, or null.
fn website_schema() -> Object {
    maillage_runtime::api::string_or_null()
        .max_length(Some(500))
        .pattern(Some(maillage_domain::text::web_address_pattern()))
        .build()
}

/// The kinds of organisation, for the document.
fn kind_schema() -> Object {
    maillage_runtime::api::one_of_or_null(OrganisationKind::VALUES)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    /// Its field of action: social, culture, sport, housing…
    pub sector: String,
    /// The territory it covers: a district, a town, a département…
    pub territory: String,
    pub website: Option<String>,
    /// The primary email and phone, from the lists below.
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(value_type = Vec<EmailEntry>)]
    pub emails: JsonColumn<Vec<EmailEntry>>,
    #[schema(value_type = Vec<PhoneEntry>)]
    pub phones: JsonColumn<Vec<PhoneEntry>>,
    #[schema(value_type = Option<Address>)]
    pub address: Option<JsonColumn<Address>>,
    /// The tenant's own fields (see /v1/custom-fields), by key.
    pub custom: serde_json::Value,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the record is in the bin.
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    #[schema(min_length = 1, max_length = 300)]
    name: Option<String>,
    #[schema(schema_with = kind_schema)]
    kind: Option<String>,
    #[schema(max_length = 200)]
    sector: Option<String>,
    #[schema(max_length = 200)]
    territory: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = website_schema)]
    website: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    phone: Option<Option<String>>,
    emails: Option<Vec<EmailEntry>>,
    phones: Option<Vec<PhoneEntry>>,
    #[serde(default, deserialize_with = "present")]
    address: Option<Option<Address>>,
    /// Custom values to set, by key; null removes one.
    custom: Option<serde_json::Map<String, serde_json::Value>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

#[derive(Debug)]
struct OrganisationFields {
    name: String,
    kind: String,
    sector: String,
    territory: String,
    website: Option<String>,
    emails: Vec<EmailEntry>,
    phones: Vec<PhoneEntry>,
    address: Option<Address>,
    custom: serde_json::Map<String, serde_json::Value>,
    notes: String,
}

impl Default for OrganisationFields {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: "other".into(),
            sector: String::new(),
            territory: String::new(),
            website: None,
            emails: Vec::new(),
            phones: Vec::new(),
            address: None,
            custom: serde_json::Map::new(),
            notes: String::new(),
        }
    }
}

impl OrganisationFields {
    fn of(organisation: &Organisation) -> Self {
        Self {
            name: organisation.name.clone(),
            kind: organisation.kind.clone(),
            sector: organisation.sector.clone(),
            territory: organisation.territory.clone(),
            website: organisation.website.clone(),
            emails: organisation.emails.0.clone(),
            phones: organisation.phones.0.clone(),
            address: organisation.address.as_ref().map(|a| a.0.clone()),
            notes: organisation.notes.clone(),
            custom: organisation.custom.as_object().cloned().unwrap_or_default(),
        }
    }

    fn merge(self, input: OrganisationInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let kind = input.kind.unwrap_or(self.kind);
        if !OrganisationKind::VALUES.contains(&kind.as_str()) {
            checks.push("kind", &OrganisationKind::expected());
        }
        let website = checks.optional_text(
            "website",
            input.website.unwrap_or(self.website).as_deref(),
            500,
        );
        if website
            .as_deref()
            .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")))
        {
            checks.push("website", "doit commencer par https:// ou http://");
        }
        let mut emails = input.emails.unwrap_or(self.emails);
        if let Some(email) = input.email {
            let email = checks.optional_email("email", email.as_deref());
            emails = contact::with_primary_email(emails, email);
        }
        let mut phones = input.phones.unwrap_or(self.phones);
        if let Some(phone) = input.phone {
            phones = contact::with_primary_phone(phones, phone);
        }
        let mut custom = self.custom;
        for (key, value) in input.custom.unwrap_or_default() {
            custom.insert(key, value);
        }
        let fields = Self {
            custom,
            name: checks.text("name", &input.name.unwrap_or(self.name), true, 300),
            kind,
            sector: checks.text("sector", &input.sector.unwrap_or(self.sector), false, 200),
            territory: checks.text(
                "territory",
                &input.territory.unwrap_or(self.territory),
                false,
                200,
            ),
            website,
            emails: contact::check_emails(&mut checks, emails),
            phones: contact::check_phones(&mut checks, phones),
            address: contact::check_address(&mut checks, input.address.unwrap_or(self.address)),
            notes: checks.text("notes", &input.notes.unwrap_or(self.notes), false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    kind: Option<String>,
    /// Only this sector (any case).
    sector: Option<String>,
    /// Only this territory (any case).
    territory: Option<String>,
    /// `true` lists the bin instead of the live records.
    #[serde(default)]
    deleted: bool,
    /// Only the records carrying this tag (by name, any case).
    tag: Option<String>,
    /// `name` (the default) or `-updated_at` (most recently changed first).
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
) -> Result<Json<Page<Organisation>>, Error> {
    let sort = ListSort::parse(query.sort.as_deref())?;
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    // The page's ids, through the index of the order asked for; then their rows.
    let ids = match sort {
        ListSort::Name => {
            let (name, id): (String, Uuid) = page.after()?.unwrap_or_default();
            sqlx::query_scalar!(
                r#"select id from organisations
                   where tenant_id = $1 and (name, id) > ($2, $3) and ($4::text is null or kind = $4)
                     and (deleted_at is not null) = $6
                     and ($7::text is null or exists (select 1 from organisation_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = organisations.tenant_id and l.organisation_id = organisations.id
                                                         and lower(t.name) = lower($7)))
                     and ($8::text is null or lower(sector) = lower($8))
                     and ($9::text is null or lower(territory) = lower($9))
                   order by name, id
                   limit $5"#,
                tenant_id,
                name,
                id,
                query.kind,
                limit + 1,
                query.deleted,
                query.tag,
                query.sector,
                query.territory,
            )
            .fetch_all(&mut *tx)
            .await?
        }
        ListSort::RecentlyUpdated => {
            let after: Option<ChangedAfter> = page.after()?;
            sqlx::query_scalar!(
                r#"select id from organisations
                   where tenant_id = $1 and ($2::timestamptz is null or (updated_at, id) < ($2, $3))
                     and ($4::text is null or kind = $4)
                     and (deleted_at is not null) = $6
                     and ($7::text is null or exists (select 1 from organisation_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = organisations.tenant_id and l.organisation_id = organisations.id
                                                         and lower(t.name) = lower($7)))
                     and ($8::text is null or lower(sector) = lower($8))
                     and ($9::text is null or lower(territory) = lower($9))
                   order by updated_at desc, id desc
                   limit $5"#,
                tenant_id,
                after.map(|a| a.updated_at),
                after.map(|a| a.id),
                query.kind,
                limit + 1,
                query.deleted,
                query.tag,
                query.sector,
                query.territory,
            )
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let rows = fetch_many(&mut tx, tenant_id, &ids, query.deleted).await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |o| match sort {
        ListSort::Name => json!([o.name, o.id]),
        ListSort::RecentlyUpdated => json!(ChangedAfter {
            updated_at: o.updated_at,
            id: o.id,
        }),
    })))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<OrganisationInput>,
) -> Result<(StatusCode, HeaderMap, Json<Organisation>), Error> {
    identity.require_editor()?;
    let fields = OrganisationFields::default().merge(input)?;
    let mut tx = identity.begin(&state).await?;
    let custom = custom_fields::check_values(
        &mut tx,
        identity.0.tenant_id,
        "organisation",
        fields.custom.clone(),
    )
    .await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"insert into organisations (tenant_id, id, name, kind, website, email, phone, emails, phones, address, notes,
                                      custom, sector, territory)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
        identity.0.tenant_id,
        id,
        fields.name,
        fields.kind,
        fields.website,
        contact::primary_email(&fields.emails),
        contact::primary_phone(&fields.phones),
        JsonColumn(&fields.emails) as _,
        JsonColumn(&fields.phones) as _,
        fields.address.as_ref().map(JsonColumn) as _,
        fields.notes,
        custom,
        fields.sector,
        fields.territory,
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
    Json(input): Json<OrganisationInput>,
) -> Result<(HeaderMap, Json<Organisation>), Error> {
    let mut change = Change::<Organisation>::begin(&state, &identity, id, &headers).await?;
    let tenant_id = change.tenant_id();
    let fields = OrganisationFields::of(&change.before).merge(input)?;
    let custom = custom_fields::check_values(
        &mut change.tx,
        tenant_id,
        "organisation",
        fields.custom.clone(),
    )
    .await?;
    sqlx::query!(
        r#"update organisations
           set name = $3, kind = $4, website = $5, email = $6, phone = $7, emails = $8, phones = $9, address = $10,
               notes = $11, custom = $12, sector = $13, territory = $14,
               version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        fields.name,
        fields.kind,
        fields.website,
        contact::primary_email(&fields.emails),
        contact::primary_phone(&fields.phones),
        JsonColumn(&fields.emails) as _,
        JsonColumn(&fields.phones) as _,
        fields.address.as_ref().map(JsonColumn) as _,
        fields.notes,
        custom,
        fields.sector,
        fields.territory,
    )
    .execute(&mut *change.tx)
    .await?;
    change.commit().await
}

/// Merges a duplicate into this organisation: its people, partnerships, projects,
/// activities, engagements, tags and deadlines move over; blank details are filled from
/// the duplicate, which goes to the bin.
async fn merge(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Json(input): Json<MergeInput>,
) -> Result<(HeaderMap, Json<Organisation>), Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let duplicate_id = input.duplicate_id;
    let mut tx = identity.begin(&state).await?;
    input
        .lock_both::<Organisation>(&mut tx, tenant_id, id)
        .await?;
    let before = fetch(&mut tx, tenant_id, id, false).await?;
    let duplicate = fetch(&mut tx, tenant_id, duplicate_id, false)
        .await
        .map_err(|_| Error::field("duplicate_id", "ne désigne aucune organisation de l'espace"))?;
    sqlx::query!(
        r#"update organisations s
           set website = coalesce(s.website, d.website), email = coalesce(s.email, d.email),
               phone = coalesce(s.phone, d.phone),
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
               sector = case when s.sector = '' then d.sector else s.sector end,
               territory = case when s.territory = '' then d.territory else s.territory end,
               notes = case when d.notes = '' or d.notes = s.notes then s.notes
                            when s.notes = '' then d.notes
                            else s.notes || E'\n\n' || d.notes end,
               version = s.version + 1, updated_at = now()
           from organisations d
           where s.tenant_id = $1 and s.id = $2 and d.tenant_id = $1 and d.id = $3"#,
        tenant_id,
        id,
        duplicate_id,
    )
    .execute(&mut *tx)
    .await?;
    // Where both take part in the same partnership, project or activity, one link is enough.
    sqlx::query!(
        r#"delete from partnership_partners d where d.tenant_id = $1 and d.organisation_id = $3
             and exists (select 1 from partnership_partners s where s.tenant_id = $1
                         and s.partnership_id = d.partnership_id and s.organisation_id = $2)"#,
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"delete from project_partners d where d.tenant_id = $1 and d.organisation_id = $3
             and exists (select 1 from project_partners s where s.tenant_id = $1
                         and s.project_id = d.project_id and s.organisation_id = $2)"#,
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"delete from activity_links d where d.tenant_id = $1 and d.organisation_id = $3
             and exists (select 1 from activity_links s where s.tenant_id = $1
                         and s.activity_id = d.activity_id and s.organisation_id = $2)"#,
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"insert into organisation_tags (tenant_id, tag_id, organisation_id)
           select tenant_id, tag_id, $2 from organisation_tags where tenant_id = $1 and organisation_id = $3
           on conflict do nothing"#,
        tenant_id,
        id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from organisation_tags where tenant_id = $1 and organisation_id = $2",
        tenant_id,
        duplicate_id
    )
    .execute(&mut *tx)
    .await?;
    for statement in [
        "update affiliations set organisation_id = $2 where tenant_id = $1 and organisation_id = $3",
        "update partnership_partners set organisation_id = $2 where tenant_id = $1 and organisation_id = $3",
        "update project_partners set organisation_id = $2 where tenant_id = $1 and organisation_id = $3",
        "update activity_links set organisation_id = $2 where tenant_id = $1 and organisation_id = $3",
        "update engagements set organisation_id = $2 where tenant_id = $1 and organisation_id = $3",
        "update reporting_deadlines set funder_id = $2 where tenant_id = $1 and funder_id = $3",
    ] {
        sqlx::query(statement)
            .bind(tenant_id)
            .bind(id)
            .bind(duplicate_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query!(
        r#"update organisations set deleted_at = now(), version = version + 1, updated_at = now()
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
        "organisation",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Merge,
        "organisation",
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
) -> Result<Organisation, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These organisations, in the order of `ids`, live or in the bin.
async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Organisation>, Error> {
    Ok(sqlx::query_as!(
        Organisation,
        r#"select id, name, kind, sector, territory, website, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                  phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                  notes, version, created_at, updated_at, deleted_at
           from organisations where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(conn)
    .await?)
}

record!(Organisation, "organisations", "organisation", binnable);
