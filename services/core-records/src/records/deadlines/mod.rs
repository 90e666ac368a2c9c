//! Reporting deadlines: the reports a tenant owes its funders, to whom, for which project
//! or partnership, and who answers for them. A recurring report is a series of
//! deadlines, each with its own status. Every change announces itself in the outbox so
//! that the notification service recomputes its reminders.

mod recurrence;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use self::recurrence::RecurrenceInput;
use super::{Checks, check_version, etag, expected_version, lock, present, read, the_one};
use crate::Error;
use crate::audit::{self, Action};
use crate::error::ResultExt;
use crate::identity::Identity;
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

/// Statuses a user sets; "late" is never stored, it is read off the clock.
const RECORDED_STATUSES: [&str; 3] = ["upcoming", "submitted", "waived"];

/// The statuses a deadline is given, for the document.
fn status_schema() -> Object {
    maillage_runtime::api::one_of_or_null(&RECORDED_STATUSES)
}
/// More people than this answering for one report is a mistake.
const MAX_RESPONSIBLES: usize = 20;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    pub id: Uuid,
    pub title: String,
    pub funder_id: Option<Uuid>,
    pub funder_name: Option<String>,
    pub due_at: DateTime<Utc>,
    /// upcoming, late, submitted or waived.
    pub status: String,
    #[serde(skip)]
    pub recorded_status: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submission_reference: Option<String>,
    /// The members who answer for it and are reminded of it.
    pub responsible_user_ids: Vec<Uuid>,
    /// The project or partnership the report is owed for, if any.
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    pub partnership_id: Option<Uuid>,
    pub partnership_title: Option<String>,
    /// For a recurring report: its series, this deadline's rank in it (from 1) and how
    /// the series recurs (monthly, quarterly, yearly or dates).
    pub series_id: Option<Uuid>,
    pub occurrence: Option<i32>,
    pub recurrence: Option<String>,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineInput {
    #[schema(min_length = 1, max_length = 300)]
    title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    funder_id: Option<Option<Uuid>>,
    due_at: Option<DateTime<Utc>>,
    #[schema(schema_with = status_schema)]
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    submitted_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(max_length = 200)]
    submission_reference: Option<Option<String>>,
    responsible_user_ids: Option<Vec<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    project_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    partnership_id: Option<Option<Uuid>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
    /// On creation only: makes the deadline the first of a series.
    recurrence: Option<RecurrenceInput>,
}

impl DeadlineInput {
    /// What a change to one occurrence passes on to the following ones: who, for whom
    /// and what, but not the date, the status or the submission, which are each one's own.
    fn for_following(&self) -> Self {
        Self {
            title: self.title.clone(),
            funder_id: self.funder_id,
            responsible_user_ids: self.responsible_user_ids.clone(),
            project_id: self.project_id,
            partnership_id: self.partnership_id,
            notes: self.notes.clone(),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone)]
struct DeadlineFields {
    title: String,
    funder_id: Option<Uuid>,
    due_at: DateTime<Utc>,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
    submission_reference: Option<String>,
    responsible_user_ids: Vec<Uuid>,
    project_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
    notes: String,
}

impl DeadlineFields {
    fn of(deadline: &Deadline) -> Self {
        Self {
            title: deadline.title.clone(),
            funder_id: deadline.funder_id,
            due_at: deadline.due_at,
            status: deadline.recorded_status.clone(),
            submitted_at: deadline.submitted_at,
            submission_reference: deadline.submission_reference.clone(),
            responsible_user_ids: deadline.responsible_user_ids.clone(),
            project_id: deadline.project_id,
            partnership_id: deadline.partnership_id,
            notes: deadline.notes.clone(),
        }
    }

    /// On create there is no previous value: the due date is then required, and the
    /// author answers for the deadline unless someone else is named.
    fn merge(previous: Option<Self>, input: DeadlineInput, actor: Uuid) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let title = checks.text(
            "title",
            &input
                .title
                .or_else(|| previous.as_ref().map(|p| p.title.clone()))
                .unwrap_or_default(),
            true,
            300,
        );
        let due_at = input.due_at.or(previous.as_ref().map(|p| p.due_at));
        if due_at.is_none() {
            checks.push(
                "due_at",
                "est obligatoire (date et heure au format RFC 3339)",
            );
        }
        let status = input
            .status
            .or_else(|| previous.as_ref().map(|p| p.status.clone()))
            .unwrap_or_else(|| "upcoming".into());
        if !RECORDED_STATUSES.contains(&status.as_str()) {
            checks.push("status", "doit valoir upcoming, submitted ou waived");
        }
        let submitted_at = match (status.as_str(), input.submitted_at) {
            ("submitted", Some(Some(at))) => Some(at),
            ("submitted", Some(None)) => Some(Utc::now()),
            ("submitted", None) => previous
                .as_ref()
                .and_then(|p| p.submitted_at)
                .or(Some(Utc::now())),
            _ => None,
        };
        let reference = input.submission_reference.unwrap_or_else(|| {
            previous
                .as_ref()
                .and_then(|p| p.submission_reference.clone())
        });
        let mut responsible_user_ids = input
            .responsible_user_ids
            .or_else(|| previous.as_ref().map(|p| p.responsible_user_ids.clone()))
            .unwrap_or_else(|| vec![actor]);
        responsible_user_ids.sort();
        responsible_user_ids.dedup();
        if responsible_user_ids.is_empty() {
            checks.push(
                "responsible_user_ids",
                "doit désigner au moins un membre de l'espace",
            );
        } else if responsible_user_ids.len() > MAX_RESPONSIBLES {
            checks.push(
                "responsible_user_ids",
                &format!("ne doit pas désigner plus de {MAX_RESPONSIBLES} membres"),
            );
        }
        if input.recurrence.is_some() && previous.is_some() {
            checks.push(
                "recurrence",
                "se choisit à la création : pour changer de rythme, supprimez les échéances suivantes et créez une nouvelle série",
            );
        }
        let fields = Self {
            title,
            funder_id: input
                .funder_id
                .unwrap_or_else(|| previous.as_ref().and_then(|p| p.funder_id)),
            due_at: due_at.unwrap_or_default(),
            status,
            submitted_at,
            submission_reference: checks.optional_text(
                "submission_reference",
                reference.as_deref(),
                200,
            ),
            project_id: input
                .project_id
                .unwrap_or_else(|| previous.as_ref().and_then(|p| p.project_id)),
            partnership_id: input
                .partnership_id
                .unwrap_or_else(|| previous.as_ref().and_then(|p| p.partnership_id)),
            responsible_user_ids,
            notes: checks.text(
                "notes",
                &input
                    .notes
                    .or_else(|| previous.map(|p| p.notes))
                    .unwrap_or_default(),
                false,
                10_000,
            ),
        };
        checks.finish()?;
        Ok(fields)
    }

    /// Writes the deadline's row, a new one when `new_in` says where it goes, and who
    /// answers for it.
    async fn write(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
        new_in: Option<NewDeadline>,
    ) -> Result<(), Error> {
        let result = match new_in {
            Some(new) => {
                sqlx::query!(
                    r#"insert into reporting_deadlines
                           (tenant_id, id, title, funder_id, due_at, status, submitted_at, submission_reference,
                            notes, project_id, partnership_id, series_id, occurrence)
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"#,
                    tenant_id,
                    id,
                    self.title,
                    self.funder_id,
                    new.due_at,
                    self.status,
                    self.submitted_at,
                    self.submission_reference,
                    self.notes,
                    self.project_id,
                    self.partnership_id,
                    new.series_id,
                    new.occurrence,
                )
                .execute(&mut *conn)
                .await
            }
            None => {
                sqlx::query!(
                    r#"update reporting_deadlines
                       set title = $3, funder_id = $4, due_at = $5, status = $6, submitted_at = $7,
                           submission_reference = $8, notes = $9, project_id = $10, partnership_id = $11,
                           version = version + 1, updated_at = now()
                       where tenant_id = $1 and id = $2"#,
                    tenant_id,
                    id,
                    self.title,
                    self.funder_id,
                    self.due_at,
                    self.status,
                    self.submitted_at,
                    self.submission_reference,
                    self.notes,
                    self.project_id,
                    self.partnership_id,
                )
                .execute(&mut *conn)
                .await
            }
        };
        result
            .on_constraint("reporting_deadlines_funder_fkey", || {
                Error::field("funder_id", "ne désigne aucune organisation de l'espace")
            })
            .on_constraint("reporting_deadlines_project_fkey", || {
                Error::field("project_id", "ne désigne aucun projet de l'espace")
            })
            .on_constraint("reporting_deadlines_partnership_fkey", || {
                Error::field("partnership_id", "ne désigne aucun partenariat de l'espace")
            })?;
        sqlx::query!(
            r#"delete from deadline_responsibles
               where tenant_id = $1 and deadline_id = $2 and user_id <> all($3)"#,
            tenant_id,
            id,
            &self.responsible_user_ids,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"insert into deadline_responsibles (tenant_id, deadline_id, user_id)
               select $1, $2, unnest($3::uuid[])
               on conflict do nothing"#,
            tenant_id,
            id,
            &self.responsible_user_ids,
        )
        .execute(conn)
        .await
        .on_constraint("deadline_responsibles_member_fkey", || {
            Error::field(
                "responsible_user_ids",
                "doit désigner des membres de l'espace",
            )
        })?;
        Ok(())
    }
}

/// Where a new deadline goes: on its own, or as the `occurrence`-th of a series.
#[derive(Clone, Copy)]
struct NewDeadline {
    due_at: DateTime<Utc>,
    series_id: Option<Uuid>,
    occurrence: Option<i32>,
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
                "insert into deadline_series (tenant_id, id, frequency) values ($1, $2, $3)",
                tenant_id,
                series_id,
                rule.frequency,
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
    lock::<Deadline>(&mut *conn, tenant_id, id).await?;
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

/// The later occurrences of `deadline`'s series still to be submitted, in date order.
async fn following(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    deadline: &Deadline,
) -> Result<Vec<Uuid>, Error> {
    let Some(series_id) = deadline.series_id else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_scalar!(
        r#"select id from reporting_deadlines
           where tenant_id = $1 and series_id = $2 and status = 'upcoming'
             and (due_at, id) > ($3, $4)
           order by due_at, id"#,
        tenant_id,
        series_id,
        deadline.due_at,
        deadline.id,
    )
    .fetch_all(conn)
    .await?)
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

/// The tenant's time zone, in which recurring dates are stepped.
async fn tenant_zone(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Tz, Error> {
    let zone = sqlx::query_scalar!("select time_zone from tenants where id = $1", tenant_id)
        .fetch_one(conn)
        .await?;
    Ok(zone.parse().unwrap_or(chrono_tz::Europe::Paris))
}

async fn fetch(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<Deadline, Error> {
    the_one(fetch_many(conn, tenant_id, &[id]).await?)
}

/// These deadlines, in the order of `ids`.
async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Deadline>, Error> {
    Ok(sqlx::query_as!(
        Deadline,
        r#"select id as "id!", title as "title!", funder_id, funder_name as "funder_name?", due_at as "due_at!",
                  status as "status!", recorded_status as "recorded_status!", submitted_at, submission_reference,
                  responsible_user_ids as "responsible_user_ids!", project_id, project_name as "project_name?",
                  partnership_id, partnership_title as "partnership_title?", series_id, occurrence,
                  recurrence as "recurrence?", notes as "notes!", version as "version!",
                  created_at as "created_at!", updated_at as "updated_at!"
           from deadline_overview
           where tenant_id = $1 and id = any($2)
           order by array_position($2, id)"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?)
}

record!(Deadline, "reporting_deadlines", "deadline");
