//! Reporting deadlines: the reports a tenant owes its funders, to whom, for which project
//! or partnership, and who answers for them. A recurring report is a series of
//! deadlines, each with its own status. Every change announces itself in the outbox so
//! that the notification service recomputes its reminders.

mod fields;
mod model;
mod queries;
mod recurrence;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use self::fields::{DeadlineFields, DeadlineInput, NewDeadline};
use self::model::Deadline;
use self::queries::{fetch, fetch_many, following, tenant_zone};
use super::{check_version, etag, expected_version, lock, lock_for, read};
use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::language::said;
use crate::outbox::{self, DEADLINE_CHANGED};
use crate::pagination::{DateOrder, Page, PageQuery};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/deadlines",
            list,
            Doc::new(
                "deadlines",
                "Échéances de rapport, les plus proches d'abord, filtrables",
            )
            .query::<ListQuery>()
            .returns_page::<Deadline>(),
        )
        .post(
            "/v1/deadlines",
            create,
            Doc::new(
                "deadlines",
                "Enregistrer une échéance, ou avec `recurrence` une série",
            )
            .body::<DeadlineInput>()
            .requires(&["title", "due_at"])
            .created()
            .returns::<Deadline>(),
        )
        .get(
            "/v1/deadlines/{id}",
            read::<Deadline>,
            Doc::new("deadlines", "Lire une échéance").returns::<Deadline>(),
        )
        .patch(
            "/v1/deadlines/{id}",
            update,
            Doc::new(
                "deadlines",
                "Modifier une échéance (et avec scope=following les suivantes de sa série)",
            )
            .query::<ScopeQuery>()
            .if_match()
            .body::<DeadlineInput>()
            .returns::<Deadline>(),
        )
        .delete(
            "/v1/deadlines/{id}",
            remove,
            Doc::new(
                "deadlines",
                "Supprimer une échéance (et avec scope=following les suivantes de sa série)",
            )
            .query::<ScopeQuery>()
            .no_content(),
        )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// upcoming, late, submitted or waived.
    status: Option<String>,
    /// Only the deadlines this member answers for ("mes échéances").
    responsible_user_id: Option<Uuid>,
    funder_id: Option<Uuid>,
    project_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
    series_id: Option<Uuid>,
    /// Only the deadlines due before this many days from now ("à rendre sous 30 jours").
    #[param(minimum = 1, maximum = 3660)]
    due_within_days: Option<i32>,
    /// `due_at` (soonest first: the default) or `-due_at` (latest first).
    #[param(schema_with = crate::pagination::by_due_at)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    after: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<Deadline>>, Error> {
    let order = DateOrder::parse(query.sort.as_deref(), "due_at", DateOrder::OldestFirst)?;
    if query
        .due_within_days
        .is_some_and(|days| !(1..=3660).contains(&days))
    {
        return Err(Error::field("due_within_days", &said("check-within-days")));
    }
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let after: Option<(DateTime<Utc>, Uuid)> = page.after()?;
    let (after_due, after_id) = after.unzip();
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    // The page's ids in the order asked for (the same index, read either way); then
    // their rows.
    let ids = if order == DateOrder::NewestFirst {
        sqlx::query_scalar!(
            r#"select id as "id!" from deadline_overview
               where tenant_id = $1 and ($2::timestamptz is null or (due_at, id) < ($2, $3::uuid))
                 and ($4::text is null or status = $4)
                 and ($5::uuid is null or $5 = any(responsible_user_ids))
                 and ($6::uuid is null or funder_id = $6)
                 and ($7::uuid is null or project_id = $7)
                 and ($8::uuid is null or partnership_id = $8)
                 and ($9::uuid is null or series_id = $9)
                 and ($11::int is null or due_at < now() + make_interval(days => $11))
               order by due_at desc, id desc
               limit $10"#,
            tenant_id,
            after_due,
            after_id,
            query.status,
            query.responsible_user_id,
            query.funder_id,
            query.project_id,
            query.partnership_id,
            query.series_id,
            limit + 1,
            query.due_within_days,
        )
        .fetch_all(&mut *tx)
        .await?
    } else {
        sqlx::query_scalar!(
            r#"select id as "id!" from deadline_overview
               where tenant_id = $1 and ($2::timestamptz is null or (due_at, id) > ($2, $3::uuid))
                 and ($4::text is null or status = $4)
                 and ($5::uuid is null or $5 = any(responsible_user_ids))
                 and ($6::uuid is null or funder_id = $6)
                 and ($7::uuid is null or project_id = $7)
                 and ($8::uuid is null or partnership_id = $8)
                 and ($9::uuid is null or series_id = $9)
                 and ($11::int is null or due_at < now() + make_interval(days => $11))
               order by due_at, id
               limit $10"#,
            tenant_id,
            after_due,
            after_id,
            query.status,
            query.responsible_user_id,
            query.funder_id,
            query.project_id,
            query.partnership_id,
            query.series_id,
            limit + 1,
            query.due_within_days,
        )
        .fetch_all(&mut *tx)
        .await?
    };
    let rows = fetch_many(&mut tx, tenant_id, &ids).await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |d| (d.due_at, d.id))))
}

/// `POST /v1/deadlines`: one deadline, or with `recurrence` every occurrence of a
/// series; the answer is the (first) deadline, whose `series_id` lists the others.
async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(mut input): Json<DeadlineInput>,
) -> Result<(StatusCode, HeaderMap, Json<Deadline>), Error> {
    identity.require_editor()?;
    let rule = input.recurrence.take();
    let fields = DeadlineFields::merge(None, input, identity.0.user_id)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let (due_dates, series) = match rule {
        None => (vec![fields.due_at], None),
        Some(rule) => {
            let zone = tenant_zone(&mut tx, tenant_id).await?;
            let dates =
                recurrence::occurrences(fields.due_at, zone, &rule).map_err(Error::Validation)?;
            let series_id = Uuid::now_v7();
            sqlx::query!(
                "insert into deadline_series (tenant_id, id, frequency, working_days) values ($1, $2, $3, $4)",
                tenant_id,
                series_id,
                rule.frequency,
                rule.working_days,
            )
            .execute(&mut *tx)
            .await?;
            (dates, Some(series_id))
        }
    };
    // The later occurrences are still to be submitted, whatever the first one's status.
    let later_fields = DeadlineFields {
        status: "upcoming".into(),
        submitted_at: None,
        submission_reference: None,
        waiver_reason: None,
        ..fields.clone()
    };
    let mut first = None;
    for (rank, due_at) in (1..).zip(due_dates) {
        let id = Uuid::now_v7();
        let new = NewDeadline {
            due_at,
            series_id: series,
            occurrence: series.map(|_| rank),
        };
        let occurrence_fields = if rank == 1 { &fields } else { &later_fields };
        occurrence_fields
            .write(&mut tx, tenant_id, id, Some(new))
            .await?;
        let deadline = fetch(&mut tx, tenant_id, id).await?;
        audit::record(
            &mut tx,
            &identity,
            Action::Create,
            "deadline",
            id,
            None,
            Some(&deadline),
        )
        .await?;
        outbox::emit(&mut tx, tenant_id, DEADLINE_CHANGED, id).await?;
        first.get_or_insert(deadline);
    }
    let first = first.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, etag(first.version), Json(first)))
}

/// Which deadlines of a series a change or a deletion applies to.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ScopeQuery {
    /// `this` (the default) or `following`: this one and the later ones of its series
    /// that are still to be submitted.
    #[serde(default)]
    #[param(inline)]
    scope: Scope,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
enum Scope {
    #[default]
    This,
    Following,
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Query(query): Query<ScopeQuery>,
    headers: HeaderMap,
    Json(input): Json<DeadlineInput>,
) -> Result<(HeaderMap, Json<Deadline>), Error> {
    identity.require_editor()?;
    let expected = expected_version(&headers)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let after = update_one(&mut tx, &identity, id, input.clone(), Some(expected)).await?;
    if query.scope == Scope::Following {
        for later in following(&mut tx, tenant_id, &after).await? {
            update_one(&mut tx, &identity, later, input.for_following(), None).await?;
        }
    }
    tx.commit().await?;
    Ok((etag(after.version), Json(after)))
}

/// Changes one deadline (checking its version when `expected` is given), audited and
/// announced; returns it as it now is.
async fn update_one(
    conn: &mut PgConnection,
    identity: &Identity,
    id: Uuid,
    input: DeadlineInput,
    expected: Option<i32>,
) -> Result<Deadline, Error> {
    let tenant_id = identity.0.tenant_id;
    lock_for::<Deadline>(&mut *conn, identity, id).await?;
    let before = fetch(&mut *conn, tenant_id, id).await?;
    if let Some(expected) = expected {
        check_version(expected, before.version)?;
    }
    let fields =
        DeadlineFields::merge(Some(DeadlineFields::of(&before)), input, identity.0.user_id)?;
    fields.write(&mut *conn, tenant_id, id, None).await?;
    let after = fetch(&mut *conn, tenant_id, id).await?;
    audit::record(
        &mut *conn,
        identity,
        Action::Update,
        "deadline",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    outbox::emit(conn, tenant_id, DEADLINE_CHANGED, id).await?;
    Ok(after)
}

async fn remove(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Query(query): Query<ScopeQuery>,
) -> Result<StatusCode, Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    lock::<Deadline>(&mut tx, tenant_id, id).await?;
    let deadline = fetch(&mut tx, tenant_id, id).await?;
    let mut doomed = vec![id];
    if query.scope == Scope::Following {
        doomed.extend(following(&mut tx, tenant_id, &deadline).await?);
    }
    for id in doomed {
        lock::<Deadline>(&mut tx, tenant_id, id).await?;
        let before = fetch(&mut tx, tenant_id, id).await?;
        sqlx::query!(
            "delete from reporting_deadlines where tenant_id = $1 and id = $2",
            tenant_id,
            id
        )
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &identity,
            Action::Delete,
            "deadline",
            id,
            Some(&before),
            None,
        )
        .await?;
        outbox::emit(&mut tx, tenant_id, DEADLINE_CHANGED, id).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

record!(Deadline, "reporting_deadlines", "deadline");
