//! People: the individuals a tenant works with.

mod fields;
mod merge;
mod model;
mod queries;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use serde_json::json;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use self::fields::{PersonFields, PersonInput};
use self::model::Person;
use self::queries::{PeopleFilter, fetch, page_of};
use super::contact;
use super::custom_fields;
use super::routes::{BinnableDocs, binnable_routes};
use super::{Change, MergeInput, created, merge};
use crate::Error;
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
        .patch(
            "/v1/people/{id}",
            update,
            Doc::new("people", "Modifier une personne")
                .if_match()
                .body::<PersonInput>()
                .returns::<Person>(),
        )
        .post(
            "/v1/people/{id}/merge",
            merge::<Person>,
            Doc::new("people", "Fusionner un doublon dans cette personne")
                .body::<MergeInput>()
                .returns::<Person>(),
        )
        .merge(binnable_routes::<Person>(
            "/v1/people",
            BinnableDocs {
                tag: "people",
                read: "Lire une personne",
                bin: "Mettre une personne à la corbeille",
                restore: "Restaurer une personne de la corbeille",
            },
        ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// `true` lists the bin instead of the live records.
    #[serde(default)]
    deleted: bool,
    /// Only the records carrying this tag (by name, any case).
    tag: Option<String>,
    /// Only the records changed at or after this instant (RFC 3339).
    changed_since: Option<chrono::DateTime<chrono::Utc>>,
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
    let rows = page_of(
        &mut tx,
        tenant_id,
        sort,
        &page,
        limit,
        PeopleFilter {
            in_bin: query.deleted,
            tag: query.tag.as_deref(),
            changed_since: query.changed_since,
        },
    )
    .await?;
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

record!(Person, "people", "person", binnable);
