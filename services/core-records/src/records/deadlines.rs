//! Reporting deadlines: the reports a tenant owes its funders. Every change announces
//! itself in the outbox so that the notification service recomputes its reminders.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use chrono::{DateTime, Utc};
use maillage_problem::Json;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    Checks, Record, RecordTable, check_version, etag, expected_version, lock, present, read,
};
use crate::Error;
use crate::audit::{self, Action};
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::outbox::{self, DEADLINE_CHANGED};
use crate::pagination::{Page, PageQuery};
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/deadlines", get(list).post(create))
        .route(
            "/v1/deadlines/{id}",
            get(read::<Deadline>).patch(update).delete(remove),
        )
}

/// Statuses a user sets; "late" is never stored, it is read off the clock.
const RECORDED_STATUSES: [&str; 3] = ["upcoming", "submitted", "waived"];

#[derive(Debug, Serialize)]
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
    pub responsible_user_id: Uuid,
    /// The project or partnership the report is owed for, if any.
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    pub partnership_id: Option<Uuid>,
    pub partnership_title: Option<String>,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineInput {
    title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    funder_id: Option<Option<Uuid>>,
    due_at: Option<DateTime<Utc>>,
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    submitted_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    submission_reference: Option<Option<String>>,
    responsible_user_id: Option<Uuid>,
    #[serde(default, deserialize_with = "present")]
    project_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    partnership_id: Option<Option<Uuid>>,
    notes: Option<String>,
}

#[derive(Debug)]
struct DeadlineFields {
    title: String,
    funder_id: Option<Uuid>,
    due_at: DateTime<Utc>,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
    submission_reference: Option<String>,
    responsible_user_id: Uuid,
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
            responsible_user_id: deadline.responsible_user_id,
            project_id: deadline.project_id,
            partnership_id: deadline.partnership_id,
            notes: deadline.notes.clone(),
        }
    }

    /// On create there is no previous value: the due date is then required.
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
            responsible_user_id: input
                .responsible_user_id
                .or(previous.as_ref().map(|p| p.responsible_user_id))
                .unwrap_or(actor),
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

    /// Rules that need the database: the responsible user must be a member of the tenant.
    async fn check_references(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
    ) -> Result<(), Error> {
        let is_member = sqlx::query_scalar!(
            r#"select exists(select 1 from memberships where tenant_id = $1 and user_id = $2) as "is_member!""#,
            tenant_id,
            self.responsible_user_id,
        )
        .fetch_one(conn)
        .await?;
        if is_member {
            Ok(())
        } else {
            Err(Error::field(
                "responsible_user_id",
                "doit désigner un membre de l'espace",
            ))
        }
    }
}

fn unknown_funder() -> Error {
    Error::field("funder_id", "ne désigne aucune organisation de l'espace")
}

fn unknown(field: &'static str, what: &'static str) -> impl FnOnce() -> Error {
    move || Error::field(field, &format!("ne désigne {what} de l'espace"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// upcoming, late, submitted or waived.
    status: Option<String>,
    limit: Option<i64>,
    after: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<Deadline>>, Error> {
    let page = PageQuery {
        limit: query.limit,
        after: query.after,
    };
    let limit = page.limit()?;
    let after: Option<(DateTime<Utc>, Uuid)> = page.after()?;
    let (after_due, after_id) = after.unzip();
    let mut tx = identity.begin(&state).await?;
    let rows = sqlx::query_as!(
        Deadline,
        r#"select id as "id!", title as "title!", funder_id, funder_name as "funder_name?", due_at as "due_at!", status as "status!",
                  recorded_status as "recorded_status!", submitted_at, submission_reference,
                  responsible_user_id as "responsible_user_id!", project_id, project_name as "project_name?",
                  partnership_id, partnership_title as "partnership_title?", notes as "notes!", version as "version!",
                  created_at as "created_at!", updated_at as "updated_at!"
           from deadline_overview
           where tenant_id = $1 and ($2::timestamptz is null or (due_at, id) > ($2, $3::uuid)) and ($4::text is null or status = $4)
           order by due_at, id
           limit $5"#,
        identity.0.tenant_id,
        after_due,
        after_id,
        query.status,
        limit + 1,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |d| (d.due_at, d.id))))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<DeadlineInput>,
) -> Result<(StatusCode, HeaderMap, Json<Deadline>), Error> {
    identity.require_editor()?;
    let fields = DeadlineFields::merge(None, input, identity.0.user_id)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    fields.check_references(&mut tx, tenant_id).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"insert into reporting_deadlines
               (tenant_id, id, title, funder_id, due_at, status, submitted_at, submission_reference, responsible_user_id,
                notes, project_id, partnership_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"#,
        tenant_id,
        id,
        fields.title,
        fields.funder_id,
        fields.due_at,
        fields.status,
        fields.submitted_at,
        fields.submission_reference,
        fields.responsible_user_id,
        fields.notes,
        fields.project_id,
        fields.partnership_id,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("reporting_deadlines_funder_fkey", unknown_funder)
    .on_constraint("reporting_deadlines_project_fkey", unknown("project_id", "aucun projet"))
    .on_constraint("reporting_deadlines_partnership_fkey", unknown("partnership_id", "aucun partenariat"))?;
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
    tx.commit().await?;
    Ok((StatusCode::CREATED, etag(deadline.version), Json(deadline)))
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<DeadlineInput>,
) -> Result<(HeaderMap, Json<Deadline>), Error> {
    identity.require_editor()?;
    let expected = expected_version(&headers)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    lock(&mut tx, RecordTable::Deadlines, tenant_id, id).await?;
    let before = fetch(&mut tx, tenant_id, id).await?;
    check_version(expected, before.version)?;
    let fields =
        DeadlineFields::merge(Some(DeadlineFields::of(&before)), input, identity.0.user_id)?;
    fields.check_references(&mut tx, tenant_id).await?;
    sqlx::query!(
        r#"update reporting_deadlines
           set title = $3, funder_id = $4, due_at = $5, status = $6, submitted_at = $7,
               submission_reference = $8, responsible_user_id = $9, notes = $10, project_id = $11, partnership_id = $12,
               version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
        fields.title,
        fields.funder_id,
        fields.due_at,
        fields.status,
        fields.submitted_at,
        fields.submission_reference,
        fields.responsible_user_id,
        fields.notes,
        fields.project_id,
        fields.partnership_id,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("reporting_deadlines_funder_fkey", unknown_funder)
    .on_constraint("reporting_deadlines_project_fkey", unknown("project_id", "aucun projet"))
    .on_constraint("reporting_deadlines_partnership_fkey", unknown("partnership_id", "aucun partenariat"))?;
    let after = fetch(&mut tx, tenant_id, id).await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Update,
        "deadline",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    outbox::emit(&mut tx, tenant_id, DEADLINE_CHANGED, id).await?;
    tx.commit().await?;
    Ok((etag(after.version), Json(after)))
}

async fn remove(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    lock(&mut tx, RecordTable::Deadlines, tenant_id, id).await?;
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
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn fetch(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<Deadline, Error> {
    sqlx::query_as!(
        Deadline,
        r#"select id as "id!", title as "title!", funder_id, funder_name as "funder_name?", due_at as "due_at!",
                  status as "status!", recorded_status as "recorded_status!", submitted_at, submission_reference,
                  responsible_user_id as "responsible_user_id!", project_id, project_name as "project_name?",
                  partnership_id, partnership_title as "partnership_title?", notes as "notes!", version as "version!",
                  created_at as "created_at!", updated_at as "updated_at!"
           from deadline_overview
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

impl Record for Deadline {
    const TABLE: RecordTable = RecordTable::Deadlines;
    const RECORD_TYPE: &'static str = "deadline";

    fn fetch(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        fetch(conn, tenant_id, id)
    }

    fn version(&self) -> i32 {
        self.version
    }
}
