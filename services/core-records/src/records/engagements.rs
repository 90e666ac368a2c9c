//! Engagements: donations, membership fees, volunteering hours, subscriptions,
//! purchases and sponsorships, by a person or an organisation, for a project or a
//! campaign, with totals per year.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::kinds::EngagementKind;
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::{Change, Checks, created, delete, present, read, the_one};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::language::{one_of, said};
use crate::pagination::{DateOrder, Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/engagements",
            list,
            Doc::new(
                "engagements",
                "Engagements (dons, cotisations, bénévolat…), filtrables",
            )
            .query::<ListQuery>()
            .returns_page::<Engagement>(),
        )
        .post(
            "/v1/engagements",
            create,
            Doc::new("engagements", "Enregistrer un engagement")
                .body::<EngagementInput>()
                .requires(&["kind", "occurred_on"])
                .created()
                .returns::<Engagement>(),
        )
        .get(
            "/v1/engagements/totals",
            totals,
            Doc::new(
                "engagements",
                "Totaux par année, pour une fiche ou tout l'espace",
            )
            .query::<TotalsQuery>()
            .returns::<Totals>(),
        )
        .get(
            "/v1/engagements/{id}",
            read::<Engagement>,
            Doc::new("engagements", "Lire un engagement").returns::<Engagement>(),
        )
        .patch(
            "/v1/engagements/{id}",
            update,
            Doc::new("engagements", "Modifier un engagement")
                .if_match()
                .body::<EngagementInput>()
                .returns::<Engagement>(),
        )
        .delete(
            "/v1/engagements/{id}",
            delete::<Engagement>,
            Doc::new("engagements", "Supprimer un engagement").no_content(),
        )
}

/// The kinds of engagement, for the document.
fn kind_schema() -> Object {
    maillage_runtime::api::one_of_or_null(EngagementKind::VALUES)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Engagement {
    pub id: Uuid,
    pub kind: String,
    pub person_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    /// Money, in cents, with its currency; absent for volunteering.
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
    /// Volunteering time; absent otherwise.
    pub minutes: Option<i32>,
    pub occurred_on: NaiveDate,
    /// The project it was given to, if any.
    pub project_id: Option<Uuid>,
    pub campaign: String,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EngagementInput {
    #[schema(schema_with = kind_schema)]
    kind: Option<String>,
    person_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
    #[schema(minimum = 0)]
    amount_cents: Option<i64>,
    #[schema(pattern = "^[A-Z]{3}$")]
    currency: Option<String>,
    #[schema(minimum = 1)]
    minutes: Option<i32>,
    occurred_on: Option<NaiveDate>,
    /// null detaches it from its project.
    #[serde(default, deserialize_with = "present")]
    project_id: Option<Option<Uuid>>,
    #[schema(max_length = 200)]
    campaign: Option<String>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

struct EngagementFields {
    kind: String,
    person_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
    amount_cents: Option<i64>,
    currency: Option<String>,
    minutes: Option<i32>,
    occurred_on: NaiveDate,
    project_id: Option<Uuid>,
    campaign: String,
    notes: String,
}

impl EngagementFields {
    fn merge(previous: Option<&Engagement>, input: EngagementInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let kind = input
            .kind
            .or(previous.map(|p| p.kind.clone()))
            .unwrap_or_default();
        if !EngagementKind::VALUES.contains(&kind.as_str()) {
            checks.push("kind", &one_of(EngagementKind::VALUES));
        }
        // Naming one contributor replaces the other.
        let (person_id, organisation_id) = match (input.person_id, input.organisation_id) {
            (None, None) => (
                previous.and_then(|p| p.person_id),
                previous.and_then(|p| p.organisation_id),
            ),
            given => given,
        };
        if person_id.is_some() == organisation_id.is_some() {
            checks.push("person_id", &said("check-person-or-organisation"));
        }
        let volunteering = kind == "volunteering";
        let (amount_cents, currency, minutes) = if volunteering {
            let minutes = input.minutes.or(previous.and_then(|p| p.minutes));
            if minutes.is_none_or(|m| m <= 0) {
                checks.push("minutes", &said("check-volunteer-minutes"));
            }
            (None, None, minutes)
        } else {
            let amount = input.amount_cents.or(previous.and_then(|p| p.amount_cents));
            let currency = input
                .currency
                .or(previous.and_then(|p| p.currency.clone()))
                .unwrap_or_else(|| "EUR".into());
            if amount.is_none_or(|a| a < 0) {
                checks.push("amount_cents", &said("check-amount-cents"));
            }
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                checks.push("currency", &said("check-currency"));
            }
            (amount, Some(currency), None)
        };
        let occurred_on = input.occurred_on.or(previous.map(|p| p.occurred_on));
        if occurred_on.is_none() {
            checks.push("occurred_on", &said("check-date-required"));
        }
        let campaign = input
            .campaign
            .or(previous.map(|p| p.campaign.clone()))
            .unwrap_or_default();
        let notes = input
            .notes
            .or(previous.map(|p| p.notes.clone()))
            .unwrap_or_default();
        let fields = Self {
            kind,
            person_id,
            organisation_id,
            amount_cents,
            currency,
            minutes,
            occurred_on: occurred_on.unwrap_or_default(),
            project_id: input
                .project_id
                .unwrap_or(previous.and_then(|p| p.project_id)),
            campaign: checks.text("campaign", &campaign, false, 200),
            notes: checks.text("notes", &notes, false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }
}

fn unknown(field: &'static str) -> impl FnOnce() -> Error {
    move || Error::field(field, &said("check-no-such-record"))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    person_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
    project_id: Option<Uuid>,
    kind: Option<String>,
    /// `-occurred_on` (most recent first: the default) or `occurred_on` (oldest first).
    #[param(schema_with = crate::pagination::by_occurred_on)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    after: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<Engagement>>, Error> {
    let order = DateOrder::parse(query.sort.as_deref(), "occurred_on", DateOrder::NewestFirst)?;
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let after: Option<(NaiveDate, Uuid)> = page.after()?;
    let (after_on, after_id) = after.unzip();
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    // The page's ids in the order asked for (the same index, read either way); then
    // their rows.
    let ids = match order {
        DateOrder::NewestFirst => {
            sqlx::query_scalar!(
                r#"select id from engagements
                   where tenant_id = $1 and ($2::uuid is null or person_id = $2)
                     and ($3::uuid is null or organisation_id = $3) and ($4::text is null or kind = $4)
                     and ($8::uuid is null or project_id = $8)
                     and ($5::date is null or (occurred_on, id) < ($5, $6::uuid))
                   order by occurred_on desc, id desc
                   limit $7"#,
                tenant_id,
                query.person_id,
                query.organisation_id,
                query.kind,
                after_on,
                after_id,
                limit + 1,
                query.project_id,
            )
            .fetch_all(&mut *tx)
            .await?
        }
        DateOrder::OldestFirst => {
            sqlx::query_scalar!(
                r#"select id from engagements
                   where tenant_id = $1 and ($2::uuid is null or person_id = $2)
                     and ($3::uuid is null or organisation_id = $3) and ($4::text is null or kind = $4)
                     and ($8::uuid is null or project_id = $8)
                     and ($5::date is null or (occurred_on, id) > ($5, $6::uuid))
                   order by occurred_on, id
                   limit $7"#,
                tenant_id,
                query.person_id,
                query.organisation_id,
                query.kind,
                after_on,
                after_id,
                limit + 1,
                query.project_id,
            )
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let rows = fetch_many(&mut tx, tenant_id, &ids).await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |e| {
        (e.occurred_on, e.id)
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct TotalsQuery {
    person_id: Option<Uuid>,
    organisation_id: Option<Uuid>,
    project_id: Option<Uuid>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct YearTotal {
    pub year: i32,
    pub kind: String,
    /// None for volunteering (counted in minutes).
    pub currency: Option<String>,
    pub amount_cents: i64,
    pub minutes: i64,
    pub count: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Totals {
    items: Vec<YearTotal>,
}

/// Sums per year, kind and currency: for one person, one organisation, one project, or
/// the tenant.
async fn totals(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<TotalsQuery>,
) -> Result<Json<Totals>, Error> {
    let mut tx = identity.begin(&state).await?;
    let items = sqlx::query_as!(
        YearTotal,
        r#"select extract(year from occurred_on)::int as "year!", kind, currency,
                  coalesce(sum(amount_cents), 0)::bigint as "amount_cents!",
                  coalesce(sum(minutes), 0)::bigint as "minutes!", count(*) as "count!"
           from engagements
           where tenant_id = $1 and ($2::uuid is null or person_id = $2) and ($3::uuid is null or organisation_id = $3)
             and ($4::uuid is null or project_id = $4)
           group by 1, kind, currency
           order by 1 desc, kind, currency"#,
        identity.0.tenant_id,
        query.person_id,
        query.organisation_id,
        query.project_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(Totals { items }))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<EngagementInput>,
) -> Result<(StatusCode, HeaderMap, Json<Engagement>), Error> {
    identity.require_editor()?;
    let fields = EngagementFields::merge(None, input)?;
    let id = Uuid::now_v7();
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        r#"insert into engagements (tenant_id, id, kind, person_id, organisation_id, amount_cents, currency, minutes,
                                    occurred_on, campaign, notes, project_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"#,
        identity.0.tenant_id,
        id,
        fields.kind,
        fields.person_id,
        fields.organisation_id,
        fields.amount_cents,
        fields.currency,
        fields.minutes,
        fields.occurred_on,
        fields.campaign,
        fields.notes,
        fields.project_id,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("engagements_person_fkey", unknown("person_id"))
    .on_constraint("engagements_organisation_fkey", unknown("organisation_id"))
    .on_constraint("engagements_project_fkey", unknown("project_id"))?;
    created(tx, &identity, id).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<EngagementInput>,
) -> Result<(HeaderMap, Json<Engagement>), Error> {
    let mut change = Change::<Engagement>::begin(&state, &identity, id, &headers).await?;
    let fields = EngagementFields::merge(Some(&change.before), input)?;
    sqlx::query!(
        r#"update engagements
           set kind = $3, person_id = $4, organisation_id = $5, amount_cents = $6, currency = $7, minutes = $8,
               occurred_on = $9, campaign = $10, notes = $11, project_id = $12, version = version + 1,
               updated_at = now()
           where tenant_id = $1 and id = $2"#,
        change.tenant_id(),
        id,
        fields.kind,
        fields.person_id,
        fields.organisation_id,
        fields.amount_cents,
        fields.currency,
        fields.minutes,
        fields.occurred_on,
        fields.campaign,
        fields.notes,
        fields.project_id,
    )
    .execute(&mut *change.tx)
    .await
    .on_constraint("engagements_person_fkey", unknown("person_id"))
    .on_constraint("engagements_organisation_fkey", unknown("organisation_id"))
    .on_constraint("engagements_project_fkey", unknown("project_id"))?;
    change.commit().await
}

async fn fetch(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<Engagement, Error> {
    the_one(fetch_many(conn, tenant_id, &[id]).await?)
}

/// The engagements with these ids, in the order given.
async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Engagement>, Error> {
    Ok(sqlx::query_as!(
        Engagement,
        r#"select id, kind, person_id, organisation_id, amount_cents, currency, minutes, occurred_on, project_id,
                  campaign, notes, version, created_at, updated_at
           from engagements where tenant_id = $1 and id = any($2)
           order by array_position($2, id)"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?)
}

record!(Engagement, "engagements", "engagement");
