//! Affiliations: a person's role in an organisation, over a period. Each person's and
//! each organisation's are listed current first, then past.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use maillage_problem::{Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Change, Checks, created, delete, present, read};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .post(
            "/v1/affiliations",
            create,
            Doc::new("affiliations", "Rattacher une personne à une organisation")
                .body::<AffiliationInput>()
                .requires(&["person_id", "organisation_id"])
                .created()
                .returns::<Affiliation>(),
        )
        .get(
            "/v1/affiliations/{id}",
            read::<Affiliation>,
            Doc::new("affiliations", "Lire un rattachement").returns::<Affiliation>(),
        )
        .patch(
            "/v1/affiliations/{id}",
            update,
            Doc::new("affiliations", "Modifier un rattachement")
                .if_match()
                .body::<AffiliationInput>()
                .returns::<Affiliation>(),
        )
        .delete(
            "/v1/affiliations/{id}",
            delete::<Affiliation>,
            Doc::new("affiliations", "Supprimer un rattachement").no_content(),
        )
        .get(
            "/v1/people/{id}/affiliations",
            of_person,
            Doc::new(
                "affiliations",
                "Organisations d'une personne, actuelles et passées",
            )
            .returns::<AffiliationList>(),
        )
        .get(
            "/v1/organisations/{id}/affiliations",
            of_organisation,
            Doc::new(
                "affiliations",
                "Personnes d'une organisation, actuelles et passées",
            )
            .returns::<AffiliationList>(),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Affiliation {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub role: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Not ended, or ending today or later.
    pub current: bool,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffiliationInput {
    person_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
    #[schema(max_length = 200)]
    role: Option<String>,
    #[serde(default, deserialize_with = "present")]
    starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    ends_on: Option<Option<NaiveDate>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

struct AffiliationFields {
    person_id: Uuid,
    organisation_id: Uuid,
    role: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    notes: String,
}

impl AffiliationFields {
    fn merge(previous: Option<&Affiliation>, input: AffiliationInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let person_id = input.person_id.or(previous.map(|p| p.person_id));
        let organisation_id = input
            .organisation_id
            .or(previous.map(|p| p.organisation_id));
        if person_id.is_none() {
            checks.push("person_id", &said("check-required"));
        }
        if organisation_id.is_none() {
            checks.push("organisation_id", &said("check-required"));
        }
        let starts_on = input
            .starts_on
            .unwrap_or(previous.and_then(|p| p.starts_on));
        let ends_on = input.ends_on.unwrap_or(previous.and_then(|p| p.ends_on));
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            checks.push("ends_on", &said("check-after-start"));
        }
        let role = input
            .role
            .or(previous.map(|p| p.role.clone()))
            .unwrap_or_default();
        let notes = input
            .notes
            .or(previous.map(|p| p.notes.clone()))
            .unwrap_or_default();
        let fields = Self {
            person_id: person_id.unwrap_or_default(),
            organisation_id: organisation_id.unwrap_or_default(),
            role: checks.text("role", &role, false, 200),
            starts_on,
            ends_on,
            notes: checks.text("notes", &notes, false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }
}

fn unknown(field: &'static str) -> impl FnOnce() -> Error {
    move || Error::field(field, &said("check-no-such-record"))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<AffiliationInput>,
) -> Result<(StatusCode, HeaderMap, Json<Affiliation>), Error> {
    identity.require_editor()?;
    let fields = AffiliationFields::merge(None, input)?;
    let mut tx = identity.begin(&state).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"insert into affiliations (tenant_id, id, person_id, organisation_id, role, starts_on, ends_on, notes)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        identity.0.tenant_id,
        id,
        fields.person_id,
        fields.organisation_id,
        fields.role,
        fields.starts_on,
        fields.ends_on,
        fields.notes,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("affiliations_person_fkey", unknown("person_id"))
    .on_constraint("affiliations_organisation_fkey", unknown("organisation_id"))?;
    created(tx, &identity, id).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<AffiliationInput>,
) -> Result<(HeaderMap, Json<Affiliation>), Error> {
    let mut change = Change::<Affiliation>::begin(&state, &identity, id, &headers).await?;
    let fields = AffiliationFields::merge(Some(&change.before), input)?;
    sqlx::query!(
        r#"update affiliations
           set person_id = $3, organisation_id = $4, role = $5, starts_on = $6, ends_on = $7, notes = $8,
               version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        change.tenant_id(),
        id,
        fields.person_id,
        fields.organisation_id,
        fields.role,
        fields.starts_on,
        fields.ends_on,
        fields.notes,
    )
    .execute(&mut *change.tx)
    .await
    .on_constraint("affiliations_person_fkey", unknown("person_id"))
    .on_constraint("affiliations_organisation_fkey", unknown("organisation_id"))?;
    change.commit().await
}

/// A person's or an organisation's affiliations: current ones first, each group most
/// recent first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct AffiliationList {
    items: Vec<Affiliation>,
}

async fn of_person(
    State(state): State<AppState>,
    identity: Identity,
    Path(person_id): Path<Uuid>,
) -> Result<Json<AffiliationList>, Error> {
    list(&state, &identity, Some(person_id), None).await
}

async fn of_organisation(
    State(state): State<AppState>,
    identity: Identity,
    Path(organisation_id): Path<Uuid>,
) -> Result<Json<AffiliationList>, Error> {
    list(&state, &identity, None, Some(organisation_id)).await
}

async fn list(
    state: &AppState,
    identity: &Identity,
    person_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
) -> Result<Json<AffiliationList>, Error> {
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(state).await?;
    // The record itself must exist (and be live) in this tenant: otherwise 404, not [].
    let exists = sqlx::query_scalar!(
        r#"select exists(
               select 1 from people where tenant_id = $1 and id = $2 and deleted_at is null
               union all
               select 1 from organisations where tenant_id = $1 and id = $3 and deleted_at is null
           ) as "exists!""#,
        tenant_id,
        person_id,
        organisation_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        return Err(Error::NotFound);
    }
    let items = sqlx::query_as!(
        Affiliation,
        r#"select a.id, a.person_id, trim(p.family_name || ' ' || p.given_name) as "person_name!",
                  a.organisation_id, o.name as organisation_name, a.role, a.starts_on, a.ends_on,
                  (a.ends_on is null or a.ends_on >= current_date) as "current!",
                  a.notes, a.version, a.created_at, a.updated_at
           from affiliations a
           join people p on p.tenant_id = a.tenant_id and p.id = a.person_id
           join organisations o on o.tenant_id = a.tenant_id and o.id = a.organisation_id
           where a.tenant_id = $1 and ($2::uuid is null or a.person_id = $2)
             and ($3::uuid is null or a.organisation_id = $3)
           order by (a.ends_on is null or a.ends_on >= current_date) desc,
                    a.starts_on desc nulls last, a.created_at desc"#,
        tenant_id,
        person_id,
        organisation_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(AffiliationList { items }))
}

async fn fetch(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<Affiliation, Error> {
    sqlx::query_as!(
        Affiliation,
        r#"select a.id, a.person_id, trim(p.family_name || ' ' || p.given_name) as "person_name!",
                  a.organisation_id, o.name as organisation_name, a.role, a.starts_on, a.ends_on,
                  (a.ends_on is null or a.ends_on >= current_date) as "current!",
                  a.notes, a.version, a.created_at, a.updated_at
           from affiliations a
           join people p on p.tenant_id = a.tenant_id and p.id = a.person_id
           join organisations o on o.tenant_id = a.tenant_id and o.id = a.organisation_id
           where a.tenant_id = $1 and a.id = $2"#,
        tenant_id,
        id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

record!(Affiliation, "affiliations", "affiliation");
