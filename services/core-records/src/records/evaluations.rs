//! Evaluations of a partnership, interim or final (one final at most): effectiveness,
//! efficiency and impact, each scored from 1 to 5, with notes.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use maillage_problem::{Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Change, Checks, created, delete, read};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::language::{one_of, said};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/partnerships/{id}/evaluations",
            list,
            Doc::new("partnerships", "Évaluations d'un partenariat").returns::<EvaluationList>(),
        )
        .post(
            "/v1/partnerships/{id}/evaluations",
            create,
            Doc::new(
                "partnerships",
                "Évaluer un partenariat (intermédiaire ou finale)",
            )
            .body::<EvaluationInput>()
            .requires(&[
                "evaluated_on",
                "effectiveness_score",
                "efficiency_score",
                "impact_score",
            ])
            .created()
            .returns::<Evaluation>(),
        )
        .get(
            "/v1/partnerships/{id}/evaluations/{evaluation_id}",
            read::<Evaluation>,
            Doc::new("partnerships", "Lire une évaluation").returns::<Evaluation>(),
        )
        .patch(
            "/v1/partnerships/{id}/evaluations/{evaluation_id}",
            update,
            Doc::new("partnerships", "Modifier une évaluation")
                .if_match()
                .body::<EvaluationInput>()
                .returns::<Evaluation>(),
        )
        .delete(
            "/v1/partnerships/{id}/evaluations/{evaluation_id}",
            delete::<Evaluation>,
            Doc::new("partnerships", "Supprimer une évaluation").no_content(),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Evaluation {
    pub id: Uuid,
    pub partnership_id: Uuid,
    /// interim or final.
    pub stage: String,
    pub evaluated_on: NaiveDate,
    pub objectives_set: String,
    pub objectives_reached: String,
    pub effectiveness_score: i16,
    pub effectiveness_notes: String,
    pub efficiency_score: i16,
    pub efficiency_notes: String,
    pub impact_score: i16,
    pub impact_notes: String,
    pub author_user_id: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A partnership's evaluations, in the order they were made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct EvaluationList {
    items: Vec<Evaluation>,
}

const STAGES: [&str; 2] = ["interim", "final"];

/// The stages of an evaluation, for the document.
fn stage_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of_or_null(&STAGES)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    #[schema(schema_with = stage_schema)]
    stage: Option<String>,
    evaluated_on: Option<NaiveDate>,
    objectives_set: Option<String>,
    objectives_reached: Option<String>,
    #[schema(minimum = 1, maximum = 5)]
    effectiveness_score: Option<i16>,
    effectiveness_notes: Option<String>,
    #[schema(minimum = 1, maximum = 5)]
    efficiency_score: Option<i16>,
    efficiency_notes: Option<String>,
    #[schema(minimum = 1, maximum = 5)]
    impact_score: Option<i16>,
    impact_notes: Option<String>,
}

struct EvaluationFields {
    stage: String,
    evaluated_on: NaiveDate,
    objectives_set: String,
    objectives_reached: String,
    scores: [i16; 3],
    notes: [String; 3],
}

impl EvaluationFields {
    fn merge(previous: Option<&Evaluation>, input: EvaluationInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let stage = input
            .stage
            .or(previous.map(|p| p.stage.clone()))
            .unwrap_or_else(|| "interim".into());
        if !STAGES.contains(&stage.as_str()) {
            checks.push("stage", &one_of(&["interim", "final"]));
        }
        let evaluated_on = input.evaluated_on.or(previous.map(|p| p.evaluated_on));
        if evaluated_on.is_none() {
            checks.push("evaluated_on", &said("check-date-required"));
        }
        let mut score = |field: &str, new: Option<i16>, old: Option<i16>| {
            let value = new.or(old);
            if !value.is_some_and(|v| (1..=5).contains(&v)) {
                checks.push(field, &said("check-score"));
            }
            value.unwrap_or_default()
        };
        let scores = [
            score(
                "effectiveness_score",
                input.effectiveness_score,
                previous.map(|p| p.effectiveness_score),
            ),
            score(
                "efficiency_score",
                input.efficiency_score,
                previous.map(|p| p.efficiency_score),
            ),
            score(
                "impact_score",
                input.impact_score,
                previous.map(|p| p.impact_score),
            ),
        ];
        let text =
            |new: Option<String>, old: Option<&String>| new.or(old.cloned()).unwrap_or_default();
        let notes = [
            checks.text(
                "effectiveness_notes",
                &text(
                    input.effectiveness_notes,
                    previous.map(|p| &p.effectiveness_notes),
                ),
                false,
                10_000,
            ),
            checks.text(
                "efficiency_notes",
                &text(
                    input.efficiency_notes,
                    previous.map(|p| &p.efficiency_notes),
                ),
                false,
                10_000,
            ),
            checks.text(
                "impact_notes",
                &text(input.impact_notes, previous.map(|p| &p.impact_notes)),
                false,
                10_000,
            ),
        ];
        let fields = Self {
            stage,
            evaluated_on: evaluated_on.unwrap_or_default(),
            objectives_set: checks.text(
                "objectives_set",
                &text(input.objectives_set, previous.map(|p| &p.objectives_set)),
                false,
                10_000,
            ),
            objectives_reached: checks.text(
                "objectives_reached",
                &text(
                    input.objectives_reached,
                    previous.map(|p| &p.objectives_reached),
                ),
                false,
                10_000,
            ),
            scores,
            notes,
        };
        checks.finish()?;
        Ok(fields)
    }
}

fn second_final() -> Error {
    Error::field("stage", &said("check-final-evaluation-exists"))
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Path(partnership_id): Path<Uuid>,
) -> Result<Json<EvaluationList>, Error> {
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    ensure_partnership(&mut tx, tenant_id, partnership_id).await?;
    let items = sqlx::query_as!(
        Evaluation,
        r#"select id, partnership_id, stage, evaluated_on, objectives_set, objectives_reached,
                  effectiveness_score, effectiveness_notes, efficiency_score, efficiency_notes,
                  impact_score, impact_notes, author_user_id, version, created_at, updated_at
           from partnership_evaluations where tenant_id = $1 and partnership_id = $2
           order by evaluated_on, created_at"#,
        tenant_id,
        partnership_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(EvaluationList { items }))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Path(partnership_id): Path<Uuid>,
    Json(input): Json<EvaluationInput>,
) -> Result<(StatusCode, HeaderMap, Json<Evaluation>), Error> {
    identity.require_editor()?;
    let fields = EvaluationFields::merge(None, input)?;
    let tenant_id = identity.0.tenant_id;
    let id = Uuid::now_v7();
    let mut tx = identity.begin(&state).await?;
    ensure_partnership(&mut tx, tenant_id, partnership_id).await?;
    let [effectiveness, efficiency, impact] = fields.scores;
    let [effectiveness_notes, efficiency_notes, impact_notes] = &fields.notes;
    sqlx::query!(
        r#"insert into partnership_evaluations
               (tenant_id, id, partnership_id, stage, evaluated_on, objectives_set, objectives_reached,
                effectiveness_score, effectiveness_notes, efficiency_score, efficiency_notes, impact_score, impact_notes,
                author_user_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
        tenant_id,
        id,
        partnership_id,
        fields.stage,
        fields.evaluated_on,
        fields.objectives_set,
        fields.objectives_reached,
        effectiveness,
        effectiveness_notes,
        efficiency,
        efficiency_notes,
        impact,
        impact_notes,
        identity.0.user_id,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("partnership_evaluations_final_key", second_final)?;
    created(tx, &identity, (partnership_id, id)).await
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(key): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
    Json(input): Json<EvaluationInput>,
) -> Result<(HeaderMap, Json<Evaluation>), Error> {
    let mut change = Change::<Evaluation>::begin(&state, &identity, key, &headers).await?;
    let fields = EvaluationFields::merge(Some(&change.before), input)?;
    let [effectiveness, efficiency, impact] = fields.scores;
    let [effectiveness_notes, efficiency_notes, impact_notes] = &fields.notes;
    sqlx::query!(
        r#"update partnership_evaluations
           set stage = $3, evaluated_on = $4, objectives_set = $5, objectives_reached = $6,
               effectiveness_score = $7, effectiveness_notes = $8, efficiency_score = $9, efficiency_notes = $10,
               impact_score = $11, impact_notes = $12, version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        change.tenant_id(),
        change.id(),
        fields.stage,
        fields.evaluated_on,
        fields.objectives_set,
        fields.objectives_reached,
        effectiveness,
        effectiveness_notes,
        efficiency,
        efficiency_notes,
        impact,
        impact_notes,
    )
    .execute(&mut *change.tx)
    .await
    .on_constraint("partnership_evaluations_final_key", second_final)?;
    change.commit().await
}

/// The live partnership of the tenant, or 404.
async fn ensure_partnership(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<(), Error> {
    sqlx::query_scalar!(
        "select 1 as found from partnerships where tenant_id = $1 and id = $2 and deleted_at is null",
        tenant_id,
        id
    )
    .fetch_optional(conn)
    .await?
    .map(|_| ())
    .ok_or(Error::NotFound)
}

async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    partnership_id: Uuid,
    id: Uuid,
) -> Result<Evaluation, Error> {
    sqlx::query_as!(
        Evaluation,
        r#"select id, partnership_id, stage, evaluated_on, objectives_set, objectives_reached,
                  effectiveness_score, effectiveness_notes, efficiency_score, efficiency_notes,
                  impact_score, impact_notes, author_user_id, version, created_at, updated_at
           from partnership_evaluations where tenant_id = $1 and partnership_id = $2 and id = $3"#,
        tenant_id,
        partnership_id,
        id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

impl super::Deletable for Evaluation {
    const DELETE_SQL: &'static str =
        "delete from partnership_evaluations where tenant_id = $1 and id = $2";
}

impl super::Record for Evaluation {
    const LOCK_SQL: &'static str = super::lock_sql!("partnership_evaluations");
    const RECORD_TYPE: &'static str = "evaluation";
    type Key = (Uuid, Uuid);

    fn fetch(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        (partnership_id, id): (Uuid, Uuid),
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        fetch(conn, tenant_id, partnership_id, id)
    }

    fn version(&self) -> i32 {
        self.version
    }
}
