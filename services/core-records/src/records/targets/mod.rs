//! The partnership-strategy target ("la cible"): everyone the organisation could work
//! with — organisations of the records, or prospects by name — placed on concentric
//! rings by closeness, today and in the ideal situation; the gap between the two, each
//! turned into a task with one call; several dated targets kept and compared.

mod comparison;
mod fields;
mod queries;
mod stakeholders;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use maillage_domain::target::{Stakeholder, Target, TargetComparison, TargetList};
use maillage_problem::{Json, Path, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use self::fields::{NewTarget, TargetChange, TargetFields};
use super::{Change, created, delete, read};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/targets",
            list,
            Doc::new("targets", "Les cibles de l'espace, la plus récente d'abord")
                .query::<ListQuery>()
                .returns::<TargetList>(),
        )
        .post(
            "/v1/targets",
            create,
            Doc::new(
                "targets",
                "Dessiner une cible (vide, ou à partir d'une autre : celle de l'an dernier)",
            )
            .body::<NewTarget>()
            .requires(&["name"])
            .created()
            .returns::<Target>(),
        )
        .get(
            "/v1/targets/{id}",
            read::<Target>,
            Doc::new("targets", "Lire une cible et ses parties prenantes").returns::<Target>(),
        )
        .patch(
            "/v1/targets/{id}",
            update,
            Doc::new(
                "targets",
                "Renommer une cible, la dater, changer ses cercles",
            )
            .if_match()
            .body::<TargetChange>()
            .returns::<Target>(),
        )
        .delete(
            "/v1/targets/{id}",
            delete::<Target>,
            Doc::new("targets", "Supprimer une cible").no_content(),
        )
        .get(
            "/v1/targets/{id}/comparison",
            compare,
            Doc::new(
                "targets",
                "Comparer une cible à une autre : qui s'est rapproché, qui s'est éloigné",
            )
            .query::<ComparisonQuery>()
            .returns::<TargetComparison>(),
        )
        .merge(stakeholders::router())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// Only the targets of this project.
    project_id: Option<Uuid>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<ListQuery>,
) -> Result<Json<TargetList>, Error> {
    let mut tx = identity.begin(&state).await?;
    let items = queries::summaries(&mut tx, identity.0.tenant_id, query.project_id, None).await?;
    tx.commit().await?;
    Ok(Json(TargetList { items }))
}

fn unknown_project() -> Error {
    Error::field("project_id", &said("check-project-elsewhere"))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<NewTarget>,
) -> Result<(StatusCode, HeaderMap, Json<Target>), Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let latest_rings = queries::latest_rings(&mut tx, tenant_id).await?;
    let fields = TargetFields::new(input, latest_rings)?;
    if let Some(source) = fields.copy_from {
        queries::fetch(&mut tx, tenant_id, source)
            .await
            .map_err(|e| match e {
                Error::NotFound => Error::field("copy_from", &said("check-no-such-target")),
                other => other,
            })?;
    }
    let drawn_on = match fields.drawn_on {
        Some(day) => day,
        None => super::dashboard::today(&mut tx, tenant_id).await?,
    };
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"insert into targets (tenant_id, id, name, drawn_on, project_id, rings, notes)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
        tenant_id,
        id,
        fields.name,
        drawn_on,
        fields.project_id,
        &fields.rings,
        fields.notes,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("targets_project_fkey", unknown_project)?;
    if let Some(source) = fields.copy_from {
        sqlx::query!(
            r#"insert into target_stakeholders
                   (tenant_id, id, target_id, organisation_id, prospect_name, today_ring, ideal_ring,
                    angle, our_reasons, their_reasons)
               select tenant_id, gen_random_uuid(), $2, organisation_id, prospect_name,
                      case when today_ring >= $4 then $4 - 1 else today_ring end,
                      case when ideal_ring >= $4 then $4 - 1 else ideal_ring end,
                      angle, our_reasons, their_reasons
               from target_stakeholders where tenant_id = $1 and target_id = $3"#,
            tenant_id,
            id,
            source,
            ring_limit(&fields.rings),
        )
        .execute(&mut *tx)
        .await?;
    }
    created(tx, &identity, id).await
}

/// The number of rings, as the SQL that keeps stakeholders on them counts.
fn ring_limit(rings: &[String]) -> i16 {
    i16::try_from(rings.len()).unwrap_or(i16::MAX)
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Json(input): Json<TargetChange>,
) -> Result<(HeaderMap, Json<Target>), Error> {
    let mut change = Change::<Target>::begin(&state, &identity, id, &headers).await?;
    let fields = TargetFields::changed(&change.before, input)?;
    sqlx::query!(
        r#"update targets
           set name = $3, drawn_on = $4, project_id = $5, rings = $6, notes = $7,
               version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        change.tenant_id(),
        id,
        fields.name,
        fields.drawn_on,
        fields.project_id,
        &fields.rings,
        fields.notes,
    )
    .execute(&mut *change.tx)
    .await
    .on_constraint("targets_project_fkey", unknown_project)?;
    if fields.rings.len() < change.before.rings.len() {
        // Those of the rings taken away come onto the last one; outside stays outside.
        sqlx::query!(
            r#"update target_stakeholders
               set today_ring = case when today_ring >= $3 then $3 - 1 else today_ring end,
                   ideal_ring = case when ideal_ring >= $3 then $3 - 1 else ideal_ring end,
                   version = version + 1, updated_at = now()
               where tenant_id = $1 and target_id = $2 and (today_ring >= $3 or ideal_ring >= $3)"#,
            change.tenant_id(),
            id,
            ring_limit(&fields.rings),
        )
        .execute(&mut *change.tx)
        .await?;
    }
    change.commit().await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct ComparisonQuery {
    /// The other target (last year's).
    with: Uuid,
}

async fn compare(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Query(query): Query<ComparisonQuery>,
) -> Result<Json<TargetComparison>, Error> {
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let now = queries::fetch(&mut tx, tenant_id, id).await?;
    let earlier = queries::fetch(&mut tx, tenant_id, query.with)
        .await
        .map_err(|e| match e {
            Error::NotFound => Error::field("with", &said("check-no-such-target")),
            other => other,
        })?;
    let target = super::the_one(queries::summaries(&mut tx, tenant_id, None, Some(id)).await?)?;
    let earlier_summary =
        super::the_one(queries::summaries(&mut tx, tenant_id, None, Some(earlier.id)).await?)?;
    tx.commit().await?;
    Ok(Json(TargetComparison {
        moves: comparison::moves(
            &earlier.stakeholders,
            earlier.rings.len(),
            &now.stakeholders,
            now.rings.len(),
        ),
        target,
        earlier: earlier_summary,
        earlier_rings: earlier.rings,
        rings: now.rings,
    }))
}

/// The number of rings of a live target of the tenant, read under a share lock so
/// that they cannot change while a stakeholder is placed on them; or `NotFound`.
async fn ring_count(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> Result<usize, Error> {
    let count = sqlx::query_scalar!(
        r#"select cardinality(rings) as "count!" from targets where tenant_id = $1 and id = $2 for share"#,
        tenant_id,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(usize::try_from(count).unwrap_or_default())
}

impl super::Record for Target {
    const LOCK_SQL: &'static str = super::lock_sql!("targets");
    const RECORD_TYPE: &'static str = "target";
    type Key = Uuid;

    fn fetch(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        queries::fetch(conn, tenant_id, id)
    }

    fn version(&self) -> i32 {
        self.version
    }
}

impl super::Deletable for Target {
    const DELETE_SQL: &'static str = "delete from targets where tenant_id = $1 and id = $2";
}

impl super::Record for Stakeholder {
    const LOCK_SQL: &'static str = super::lock_sql!("target_stakeholders");
    const RECORD_TYPE: &'static str = "target_stakeholder";
    type Key = (Uuid, Uuid);

    fn fetch(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        (target_id, id): (Uuid, Uuid),
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        queries::fetch_stakeholder(conn, tenant_id, target_id, id)
    }

    fn version(&self) -> i32 {
        self.version
    }
}

impl super::Deletable for Stakeholder {
    const DELETE_SQL: &'static str =
        "delete from target_stakeholders where tenant_id = $1 and id = $2";
}
