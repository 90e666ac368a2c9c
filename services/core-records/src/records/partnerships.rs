//! Partnerships: the tenant and one or more partner organisations, the content of
//! their agreement, and a lifecycle that only moves along its allowed transitions.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::kinds::{PartnershipKind, PartnershipStatus};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::{Change, Checks, bin, created, present, read, restore, the_one};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::pagination::{ChangedAfter, ListSort, Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/partnerships",
            list,
            Doc::new("partnerships", "Liste des partenariats, filtrable")
                .query::<ListQuery>()
                .returns_page::<Partnership>(),
        )
        .post(
            "/v1/partnerships",
            create,
            Doc::new("partnerships", "Enregistrer un partenariat")
                .body::<PartnershipInput>()
                .requires(&["title", "kind", "partners"])
                .created()
                .returns::<Partnership>(),
        )
        .get(
            "/v1/partnerships/{id}",
            read::<Partnership>,
            Doc::new("partnerships", "Lire un partenariat").returns::<Partnership>(),
        )
        .patch(
            "/v1/partnerships/{id}",
            update,
            Doc::new(
                "partnerships",
                "Modifier un partenariat (dont son étape : transitions permises seulement)",
            )
            .if_match()
            .body::<PartnershipInput>()
            .returns::<Partnership>(),
        )
        .delete(
            "/v1/partnerships/{id}",
            bin::<Partnership>,
            Doc::new("partnerships", "Mettre un partenariat à la corbeille").no_content(),
        )
        .post(
            "/v1/partnerships/{id}/restore",
            restore::<Partnership>,
            Doc::new("partnerships", "Restaurer un partenariat de la corbeille")
                .returns::<Partnership>(),
        )
}

/// The kinds of partnership, for the document.
fn kind_schema() -> Object {
    maillage_runtime::api::one_of_or_null(PartnershipKind::VALUES)
}

/// Where a partnership may go from each status.
fn next_statuses(status: &str) -> &'static [&'static str] {
    match status {
        "prospect" => &["negotiating", "closed"],
        "negotiating" => &["prospect", "active", "closed"],
        "active" => &["evaluating", "closed"],
        "evaluating" => &["active", "closed"],
        _ => &[],
    }
}

/// The statuses of a partnership, for the document.
fn status_schema() -> Object {
    maillage_runtime::api::one_of_or_null(PartnershipStatus::VALUES)
}

/// A status as a message names it: in French, with its code, "en négociation
/// (negotiating)".
fn status_said(status: &str) -> String {
    let french = match status {
        "prospect" => "piste",
        "negotiating" => "en négociation",
        "active" => "actif",
        "evaluating" => "en évaluation",
        _ => "clos",
    };
    format!("{french} ({status})")
}

/// What the partners agreed on. Every part is optional text, the budget aside.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Agreement {
    #[schema(max_length = 10_000)]
    pub shared_values: String,
    #[schema(max_length = 10_000)]
    pub purpose: String,
    /// Who does what, for each party.
    #[schema(max_length = 10_000)]
    pub roles: String,
    #[schema(max_length = 10_000)]
    pub phasing: String,
    #[schema(max_length = 10_000)]
    pub means: String,
    pub budget: Option<AgreementBudget>,
    #[schema(max_length = 10_000)]
    pub regulation_mode: String,
    #[schema(max_length = 10_000)]
    pub evaluation_method: String,
}

impl Agreement {
    /// Each part checked as text, and trimmed.
    fn checked(mut self, checks: &mut Checks) -> Self {
        for (field, part) in [
            ("agreement.shared_values", &mut self.shared_values),
            ("agreement.purpose", &mut self.purpose),
            ("agreement.roles", &mut self.roles),
            ("agreement.phasing", &mut self.phasing),
            ("agreement.means", &mut self.means),
            ("agreement.regulation_mode", &mut self.regulation_mode),
            ("agreement.evaluation_method", &mut self.evaluation_method),
        ] {
            *part = checks.text(field, part, false, 10_000);
        }
        self
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementBudget {
    /// In cents, to keep money exact.
    #[schema(minimum = 0)]
    pub amount_cents: i64,
    /// ISO 4217, e.g. EUR.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Partner {
    pub organisation_id: Uuid,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Partnership {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub status: String,
    /// The statuses it may move to next.
    pub next_statuses: &'static [&'static str],
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// When the next evaluation (interim or final) is due: its responsibles are reminded.
    pub next_evaluation_on: Option<NaiveDate>,
    pub agreement: Agreement,
    pub partners: Vec<Partner>,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

struct PartnershipRow {
    id: Uuid,
    title: String,
    kind: String,
    status: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    next_evaluation_on: Option<NaiveDate>,
    agreement: JsonColumn<Agreement>,
    notes: String,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl PartnershipRow {
    fn with_partners(self, partners: Vec<Partner>) -> Partnership {
        Partnership {
            next_statuses: next_statuses(&self.status),
            id: self.id,
            title: self.title,
            kind: self.kind,
            status: self.status,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            next_evaluation_on: self.next_evaluation_on,
            agreement: self.agreement.0,
            partners,
            notes: self.notes,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    organisation_id: Uuid,
    #[serde(default)]
    #[schema(max_length = 200)]
    role: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnershipInput {
    #[schema(min_length = 1, max_length = 300)]
    title: Option<String>,
    #[schema(schema_with = kind_schema)]
    kind: Option<String>,
    #[schema(schema_with = status_schema)]
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    ends_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    next_evaluation_on: Option<Option<NaiveDate>>,
    agreement: Option<Agreement>,
    /// Replaces the whole list of partners.
    #[schema(min_items = 1)]
    partners: Option<Vec<PartnerInput>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

struct PartnershipFields {
    title: String,
    kind: String,
    status: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    next_evaluation_on: Option<NaiveDate>,
    agreement: Agreement,
    /// None: keep the current partners.
    partners: Option<Vec<PartnerInput>>,
    notes: String,
}

impl PartnershipFields {
    fn merge(previous: Option<&Partnership>, input: PartnershipInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let title = input
            .title
            .or(previous.map(|p| p.title.clone()))
            .unwrap_or_default();
        let kind = input
            .kind
            .or(previous.map(|p| p.kind.clone()))
            .unwrap_or_default();
        if !PartnershipKind::VALUES.contains(&kind.as_str()) {
            checks.push("kind", &PartnershipKind::expected());
        }
        let status = match (previous, input.status) {
            (None, status) => {
                let status = status.unwrap_or_else(|| "prospect".into());
                if !PartnershipStatus::VALUES.contains(&status.as_str()) {
                    checks.push("status", &PartnershipStatus::expected());
                }
                status
            }
            (Some(previous), Some(status)) if status != previous.status => {
                let allowed = next_statuses(&previous.status);
                if !allowed.contains(&status.as_str()) {
                    let message = if allowed.is_empty() {
                        format!(
                            "un partenariat {} ne change plus de statut",
                            status_said(&previous.status)
                        )
                    } else {
                        let allowed: Vec<String> = allowed.iter().map(|s| status_said(s)).collect();
                        format!(
                            "depuis le statut {}, seuls ces statuts sont possibles : {}",
                            status_said(&previous.status),
                            allowed.join(", ")
                        )
                    };
                    checks.push("status", &message);
                }
                status
            }
            (Some(previous), _) => previous.status.clone(),
        };
        let starts_on = input
            .starts_on
            .unwrap_or(previous.and_then(|p| p.starts_on));
        let ends_on = input.ends_on.unwrap_or(previous.and_then(|p| p.ends_on));
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            checks.push("ends_on", "doit être postérieure à la date de début");
        }
        let next_evaluation_on = input
            .next_evaluation_on
            .unwrap_or(previous.and_then(|p| p.next_evaluation_on));
        let agreement = input
            .agreement
            .or(previous.map(|p| p.agreement.clone()))
            .unwrap_or_default();
        if let Some(budget) = &agreement.budget {
            if budget.amount_cents < 0 {
                checks.push("agreement.budget.amount_cents", "ne peut pas être négatif");
            }
            if budget.currency.len() != 3
                || !budget.currency.chars().all(|c| c.is_ascii_uppercase())
            {
                checks.push(
                    "agreement.budget.currency",
                    "doit être un code ISO 4217, par exemple EUR",
                );
            }
        }
        match (&input.partners, previous) {
            (None, None) => {
                checks.push("partners", "indiquez au moins une organisation partenaire")
            }
            (Some(partners), _) if partners.is_empty() => {
                checks.push("partners", "indiquez au moins une organisation partenaire")
            }
            (Some(partners), _) => {
                let mut ids: Vec<Uuid> = partners.iter().map(|p| p.organisation_id).collect();
                ids.sort();
                ids.dedup();
                if ids.len() != partners.len() {
                    checks.push("partners", "une organisation n'y figure qu'une fois");
                }
            }
            _ => {}
        }
        let mut partners = input.partners;
        for partner in partners.iter_mut().flatten() {
            partner.role = checks.text("partners.role", &partner.role, false, 200);
        }
        let agreement = agreement.checked(&mut checks);
        let notes = input
            .notes
            .or(previous.map(|p| p.notes.clone()))
            .unwrap_or_default();
        let fields = Self {
            title: checks.text("title", &title, true, 300),
            kind,
            status,
            starts_on,
            ends_on,
            next_evaluation_on,
            agreement,
            partners,
            notes: checks.text("notes", &notes, false, 10_000),
        };
        checks.finish()?;
        Ok(fields)
    }

    /// Replaces the partners, when the input named them.
    async fn save_partners(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> Result<(), Error> {
        let Some(partners) = &self.partners else {
            return Ok(());
        };
        sqlx::query!(
            "delete from partnership_partners where tenant_id = $1 and partnership_id = $2",
            tenant_id,
            id
        )
        .execute(&mut *conn)
        .await?;
        let organisations: Vec<Uuid> = partners.iter().map(|p| p.organisation_id).collect();
        let roles: Vec<String> = partners.iter().map(|p| p.role.clone()).collect();
        sqlx::query!(
            r#"insert into partnership_partners (tenant_id, partnership_id, organisation_id, role)
               select $1, $2, organisation_id, role from unnest($3::uuid[], $4::text[]) as p (organisation_id, role)"#,
            tenant_id,
            id,
            &organisations,
            &roles,
        )
        .execute(&mut *conn)
        .await
        .on_constraint("partnership_partners_organisation_fkey", || {
            Error::field("partners", "une organisation ne fait pas partie de l'espace")
        })?;
        Ok(())
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    kind: Option<String>,
    #[serde(default)]
    deleted: bool,
    /// Only the records carrying this tag (by name, any case).
    tag: Option<String>,
    /// `name` (by title: the default) or `-updated_at` (most recently changed first).
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
) -> Result<Json<Page<Partnership>>, Error> {
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
            let (title, id): (String, Uuid) = page.after()?.unwrap_or_default();
            sqlx::query_scalar!(
                r#"select id from partnerships
                   where tenant_id = $1 and (title, id) > ($2, $3) and (deleted_at is not null) = $4
                     and ($5::text is null or status = $5) and ($6::text is null or kind = $6)
                     and ($8::text is null or exists (select 1 from partnership_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = partnerships.tenant_id and l.partnership_id = partnerships.id
                                                         and lower(t.name) = lower($8)))
                   order by title, id
                   limit $7"#,
                tenant_id,
                title,
                id,
                query.deleted,
                query.status,
                query.kind,
                limit + 1,
                query.tag,
            )
            .fetch_all(&mut *tx)
            .await?
        }
        ListSort::RecentlyUpdated => {
            let after: Option<ChangedAfter> = page.after()?;
            sqlx::query_scalar!(
                r#"select id from partnerships
                   where tenant_id = $1 and ($2::timestamptz is null or (updated_at, id) < ($2, $3))
                     and (deleted_at is not null) = $4
                     and ($5::text is null or status = $5) and ($6::text is null or kind = $6)
                     and ($8::text is null or exists (select 1 from partnership_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                       where l.tenant_id = partnerships.tenant_id and l.partnership_id = partnerships.id
                                                         and lower(t.name) = lower($8)))
                   order by updated_at desc, id desc
                   limit $7"#,
                tenant_id,
                after.map(|a| a.updated_at),
                after.map(|a| a.id),
                query.deleted,
                query.status,
                query.kind,
                limit + 1,
                query.tag,
            )
            .fetch_all(&mut *tx)
            .await?
        }
    };
    let items = fetch_many(&mut tx, tenant_id, &ids, query.deleted).await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(items, limit, |p| match sort {
        ListSort::Name => json!([p.title, p.id]),
        ListSort::RecentlyUpdated => json!(ChangedAfter {
            updated_at: p.updated_at,
            id: p.id,
        }),
    })))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<PartnershipInput>,
) -> Result<(StatusCode, HeaderMap, Json<Partnership>), Error> {
    identity.require_editor()?;
    let fields = PartnershipFields::merge(None, input)?;
    let tenant_id = identity.0.tenant_id;
    let id = Uuid::now_v7();
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        r#"insert into partnerships (tenant_id, id, title, kind, status, starts_on, ends_on, agreement, notes, next_evaluation_on)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        tenant_id,
        id,
        fields.title,
        fields.kind,
        fields.status,
        fields.starts_on,
        fields.ends_on,
        JsonColumn(&fields.agreement) as _,
        fields.notes,
        fields.next_evaluation_on,
    )
    .execute(&mut *tx)
    .await?;
    fields.save_partners(&mut tx, tenant_id, id).await?;
    created(tx, &identity, id).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<PartnershipInput>,
) -> Result<(HeaderMap, Json<Partnership>), Error> {
    let mut change = Change::<Partnership>::begin(&state, &identity, id, &headers).await?;
    let tenant_id = change.tenant_id();
    let fields = PartnershipFields::merge(Some(&change.before), input)?;
    sqlx::query!(
        r#"update partnerships
           set title = $3, kind = $4, status = $5, starts_on = $6, ends_on = $7, agreement = $8, notes = $9,
               next_evaluation_on = $10, version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        fields.title,
        fields.kind,
        fields.status,
        fields.starts_on,
        fields.ends_on,
        JsonColumn(&fields.agreement) as _,
        fields.notes,
        fields.next_evaluation_on,
    )
    .execute(&mut *change.tx)
    .await?;
    fields.save_partners(&mut change.tx, tenant_id, id).await?;
    change.commit().await
}

/// One partnership of the tenant, from the bin when `in_bin`, otherwise a live one.
async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Partnership, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These partnerships, in the order of `ids`, live or in the bin, each with its
/// partners: two queries whatever their number.
async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Partnership>, Error> {
    let rows = sqlx::query_as!(
        PartnershipRow,
        r#"select id, title, kind, status, starts_on, ends_on, next_evaluation_on, agreement as "agreement: JsonColumn<Agreement>",
                  notes, version, created_at, updated_at, deleted_at
           from partnerships
           where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut partners: HashMap<Uuid, Vec<Partner>> = HashMap::new();
    for partner in sqlx::query!(
        r#"select pp.partnership_id, pp.organisation_id, o.name, pp.role
           from partnership_partners pp
           join organisations o on o.tenant_id = pp.tenant_id and o.id = pp.organisation_id
           where pp.tenant_id = $1 and pp.partnership_id = any($2)
           order by o.name"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?
    {
        partners
            .entry(partner.partnership_id)
            .or_default()
            .push(Partner {
                organisation_id: partner.organisation_id,
                name: partner.name,
                role: partner.role,
            });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let partners = partners.remove(&row.id).unwrap_or_default();
            row.with_partners(partners)
        })
        .collect())
}

record!(Partnership, "partnerships", "partnership", binnable);
