//! Organisations: funders, public bodies, associations, companies, networks…

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

use self::fields::{OrganisationFields, OrganisationInput};
use self::model::Organisation;
use self::queries::{fetch, fetch_many};
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
        .patch(
            "/v1/organisations/{id}",
            update,
            Doc::new("organisations", "Modifier une organisation")
                .if_match()
                .body::<OrganisationInput>()
                .returns::<Organisation>(),
        )
        .post(
            "/v1/organisations/{id}/merge",
            merge::<Organisation>,
            Doc::new(
                "organisations",
                "Fusionner un doublon dans cette organisation",
            )
            .body::<MergeInput>()
            .returns::<Organisation>(),
        )
        .merge(binnable_routes::<Organisation>(
            "/v1/organisations",
            BinnableDocs {
                tag: "organisations",
                read: "Lire une organisation",
                bin: "Mettre une organisation à la corbeille",
                restore: "Restaurer une organisation de la corbeille",
            },
        ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    kind: Option<String>,
    /// Only this sector (any case).
    sector: Option<String>,
    /// Only this territory (any case).
    territory: Option<String>,
    /// Only the organisations of this very name (any case): what a form typed.
    #[param(max_length = 300)]
    name: Option<String>,
    /// `true` lists the bin instead of the live records.
    #[serde(default)]
    deleted: bool,
    /// Only the records carrying this tag (by name, any case).
    tag: Option<String>,
    /// Only the records changed at or after this instant (RFC 3339).
    changed_since: Option<chrono::DateTime<chrono::Utc>>,
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
                     and ($10::text is null or lower(organisations.name) = lower($10))
                     and ($11::timestamptz is null or updated_at >= $11)
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
                query.name.as_deref().map(str::trim),
                query.changed_since,
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
                     and ($10::text is null or lower(organisations.name) = lower($10))
                     and ($11::timestamptz is null or updated_at >= $11)
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
                query.name.as_deref().map(str::trim),
                query.changed_since,
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

/// The live organisation of this name (any case), the oldest if there are several.
pub(super) async fn named(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    name: &str,
) -> Result<Option<Uuid>, Error> {
    Ok(sqlx::query_scalar!(
        r#"select id from organisations
           where tenant_id = $1 and deleted_at is null and lower(name) = lower($2)
           order by created_at limit 1"#,
        tenant_id,
        name,
    )
    .fetch_optional(conn)
    .await?)
}

/// The live organisation of this name (any case), or a new one of that name and
/// `kind`, audited: what a target's prospect becomes when it is promoted.
pub(super) async fn found_or_created(
    conn: &mut sqlx::PgConnection,
    identity: &Identity,
    name: &str,
    kind: &str,
) -> Result<Uuid, Error> {
    let tenant_id = identity.0.tenant_id;
    if let Some(id) = named(conn, tenant_id, name).await? {
        return Ok(id);
    }
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into organisations (tenant_id, id, name, kind) values ($1, $2, $3, $4)",
        tenant_id,
        id,
        name,
        kind,
    )
    .execute(&mut *conn)
    .await?;
    let made = fetch(&mut *conn, tenant_id, id, false).await?;
    crate::audit::record(
        conn,
        identity,
        crate::audit::Action::Create,
        <Organisation as super::Record>::RECORD_TYPE,
        id,
        None,
        Some(&made),
    )
    .await?;
    Ok(id)
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

record!(Organisation, "organisations", "organisation", binnable);
