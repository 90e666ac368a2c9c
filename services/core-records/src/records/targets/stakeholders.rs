//! A target's stakeholders: placed, moved, given reasons, taken off; a prospect
//! promoted to an organisation of the records; a gap turned into a task.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use maillage_domain::kinds::OrganisationKind;
use maillage_domain::target::{Stakeholder, Target};
use maillage_problem::{Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::fields::{NewStakeholder, StakeholderChange, StakeholderFields};
use super::{queries, ring_count};
use crate::Error;
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::language::{one_of, reader, said};
use crate::records::activities::{self, Activity, Links};
use crate::records::organisations;
use crate::records::{Change, created, delete, read};
use crate::state::AppState;

/// How far apart, in degrees, stakeholders added one after the other are drawn: the
/// golden angle, so that however many there are none falls on another.
const GOLDEN_ANGLE: f64 = 137.507_764;

/// How long a task made from a gap gives, unless the body says when it is due.
const TASK_DAYS: i64 = 30;

pub fn router() -> ApiRouter<AppState> {
    let one = "/v1/targets/{id}/stakeholders/{stakeholder_id}";
    ApiRouter::new()
        .post(
            "/v1/targets/{id}/stakeholders",
            add,
            Doc::new(
                "targets",
                "Placer une organisation, ou une piste nommée, sur une cible",
            )
            .body::<NewStakeholder>()
            .created()
            .returns::<Stakeholder>(),
        )
        .get(
            one,
            read::<Stakeholder>,
            Doc::new("targets", "Lire une partie prenante d'une cible").returns::<Stakeholder>(),
        )
        .patch(
            one,
            update,
            Doc::new(
                "targets",
                "Déplacer une partie prenante (aujourd'hui, idéal), changer ses raisons",
            )
            .if_match()
            .body::<StakeholderChange>()
            .returns::<Stakeholder>(),
        )
        .delete(
            one,
            delete::<Stakeholder>,
            Doc::new("targets", "Retirer une partie prenante de la cible").no_content(),
        )
        .post(
            "/v1/targets/{id}/stakeholders/{stakeholder_id}/promote",
            promote,
            Doc::new(
                "targets",
                "Faire d'une piste une organisation des fiches (ou la relier à celle du même nom)",
            )
            .if_match()
            .body::<PromoteInput>()
            .returns::<Stakeholder>(),
        )
        .post(
            "/v1/targets/{id}/stakeholders/{stakeholder_id}/tasks",
            task,
            Doc::new(
                "targets",
                "Faire de l'écart une tâche, sur le fil de l'organisation (et du projet de la cible)",
            )
            .body::<TaskInput>()
            .created()
            .returns::<Activity>(),
        )
}

fn already_there() -> Error {
    Error::field("organisation_id", &said("check-already-on-target"))
}

fn prospect_already_there() -> Error {
    Error::field("prospect_name", &said("check-prospect-on-target"))
}

async fn add(
    State(state): State<AppState>,
    identity: Identity,
    Path(target_id): Path<Uuid>,
    Json(input): Json<NewStakeholder>,
) -> Result<(StatusCode, HeaderMap, Json<Stakeholder>), Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let rings = ring_count(&mut tx, tenant_id, target_id).await?;
    let placed = queries::stakeholder_count(&mut tx, tenant_id, target_id).await?;
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let angle = ((placed as f64 * GOLDEN_ANGLE) % 360.0) as f32;
    let mut fields = StakeholderFields::new(input, rings, angle)?;
    if let Some(name) = fields.name.take() {
        match organisations::named(&mut tx, tenant_id, &name).await? {
            Some(id) => fields.organisation_id = Some(id),
            None => fields.prospect_name = Some(name),
        }
    }
    if let Some(organisation_id) = fields.organisation_id {
        ensure_organisation(&mut tx, tenant_id, organisation_id).await?;
    }
    let id = Uuid::now_v7();
    sqlx::query!(
        r#"insert into target_stakeholders
               (tenant_id, id, target_id, organisation_id, prospect_name, today_ring, ideal_ring,
                angle, our_reasons, their_reasons)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        tenant_id,
        id,
        target_id,
        fields.organisation_id,
        fields.prospect_name,
        fields.today_ring,
        fields.ideal_ring,
        fields.angle,
        fields.our_reasons,
        fields.their_reasons,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("target_stakeholders_organisation_key", already_there)
    .on_constraint("target_stakeholders_prospect_key", prospect_already_there)?;
    created(tx, &identity, (target_id, id)).await
}

/// A live organisation of the tenant, or a field error naming it.
async fn ensure_organisation(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<(), Error> {
    sqlx::query_scalar!(
        "select 1 as found from organisations where tenant_id = $1 and id = $2 and deleted_at is null",
        tenant_id,
        id
    )
    .fetch_optional(conn)
    .await?
    .map(|_| ())
    .ok_or_else(|| Error::field("organisation_id", &said("check-organisation-elsewhere")))
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    Path(key): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
    Json(input): Json<StakeholderChange>,
) -> Result<(HeaderMap, Json<Stakeholder>), Error> {
    let mut change = Change::<Stakeholder>::begin(&state, &identity, key, &headers).await?;
    let tenant_id = change.tenant_id();
    let rings = ring_count(&mut change.tx, tenant_id, key.0).await?;
    let fields = StakeholderFields::changed(&change.before, input, rings)?;
    sqlx::query!(
        r#"update target_stakeholders
           set prospect_name = $3, today_ring = $4, ideal_ring = $5, angle = $6, our_reasons = $7,
               their_reasons = $8, version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        change.tenant_id(),
        change.id(),
        fields.prospect_name,
        fields.today_ring,
        fields.ideal_ring,
        fields.angle,
        fields.our_reasons,
        fields.their_reasons,
    )
    .execute(&mut *change.tx)
    .await
    .on_constraint("target_stakeholders_prospect_key", prospect_already_there)?;
    change.commit().await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromoteInput {
    /// The new organisation's kind (other by default).
    #[schema(schema_with = organisation_kinds)]
    kind: Option<String>,
}

fn organisation_kinds() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of_or_null(OrganisationKind::VALUES)
}

/// A prospect becomes an organisation of the records: the live one of the same name,
/// or a new one; the stakeholder keeps its places and reasons.
async fn promote(
    State(state): State<AppState>,
    identity: Identity,
    Path(key): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
    Json(input): Json<PromoteInput>,
) -> Result<(HeaderMap, Json<Stakeholder>), Error> {
    let kind = input.kind.unwrap_or_else(|| "other".into());
    if !OrganisationKind::VALUES.contains(&kind.as_str()) {
        return Err(Error::field("kind", &one_of(OrganisationKind::VALUES)));
    }
    let mut change = Change::<Stakeholder>::begin(&state, &identity, key, &headers).await?;
    let Some(name) = change.before.prospect_name.clone() else {
        return Err(Error::field(
            "prospect_name",
            &said("check-already-organisation"),
        ));
    };
    let organisation_id =
        organisations::found_or_created(&mut change.tx, &identity, &name, &kind).await?;
    sqlx::query!(
        r#"update target_stakeholders
           set organisation_id = $3, prospect_name = null, version = version + 1, updated_at = now()
           where tenant_id = $1 and id = $2"#,
        change.tenant_id(),
        change.id(),
        organisation_id,
    )
    .execute(&mut *change.tx)
    .await
    .on_constraint("target_stakeholders_organisation_key", || {
        Error::field("prospect_name", &said("check-organisation-on-target"))
    })?;
    change.commit().await
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// When it is due (in 30 days by default).
    due_at: Option<DateTime<Utc>>,
}

/// The gap of one stakeholder as a task on its organisation's timeline (and its
/// project's, for a project's target): what to do, and why, in its words.
async fn task(
    State(state): State<AppState>,
    identity: Identity,
    Path((target_id, id)): Path<(Uuid, Uuid)>,
    Json(input): Json<TaskInput>,
) -> Result<(StatusCode, HeaderMap, Json<Activity>), Error> {
    identity.require_editor()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let target: Target = queries::fetch(&mut tx, tenant_id, target_id).await?;
    let stakeholder = queries::fetch_stakeholder(&mut tx, tenant_id, target_id, id).await?;
    let links = Links {
        organisations: stakeholder.organisation_id.into_iter().collect(),
        projects: target.project_id.into_iter().collect(),
        ..Links::default()
    };
    let due_at = input
        .due_at
        .unwrap_or_else(|| Utc::now() + chrono::Duration::days(TASK_DAYS));
    activities::create_task(
        tx,
        &identity,
        &task_subject(&target, &stakeholder),
        &task_body(&target, &stakeholder),
        due_at,
        links,
    )
    .await
}

/// What is to be done, in a line, in the words of the member who asks: "Rapprocher
/// Région Sud : de « Contacts » à « Partenaires stratégiques »".
fn task_subject(target: &Target, stakeholder: &Stakeholder) -> String {
    let lang = reader();
    let ring = |ring: Option<i16>| {
        ring.and_then(|r| target.rings.get(usize::try_from(r).ok()?))
            .map_or_else(
                || lang.t("target-outside"),
                |name| lang.t1("target-task-ring", "ring", name.as_str()),
            )
    };
    let (today, ideal) = (ring(stakeholder.today_ring), ring(stakeholder.ideal_ring));
    let id = match stakeholder.gap {
        0 => "target-task-keep",
        gap if gap > 0 && stakeholder.today_ring.is_none() => "target-task-bring-in",
        gap if gap > 0 => "target-task-closer",
        _ => "target-task-further",
    };
    let subject = lang.t_with(
        id,
        &[
            ("who", stakeholder.label.as_str().into()),
            ("today", today.into()),
            ("ideal", ideal.into()),
        ],
    );
    subject.chars().take(300).collect()
}

/// The task's text: the target it comes from and the reasons to work together.
fn task_body(target: &Target, stakeholder: &Stakeholder) -> String {
    let lang = reader();
    let mut body = lang.t1("target-task-body", "target", target.name.as_str());
    for (heading, reasons) in [
        ("target-task-our-reasons", &stakeholder.our_reasons),
        ("target-task-their-reasons", &stakeholder.their_reasons),
    ] {
        if !reasons.is_empty() {
            let heading = lang.t1(heading, "reasons", reasons.as_str());
            body.push_str(&format!("\n\n{heading}"));
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use maillage_domain::target::{DEFAULT_RINGS, Stakeholder, Target};
    use uuid::Uuid;

    use super::task_subject;

    fn target() -> Target {
        Target {
            id: Uuid::nil(),
            name: "Cible 2026".into(),
            drawn_on: NaiveDate::default(),
            project_id: None,
            project_name: None,
            rings: DEFAULT_RINGS.iter().map(|r| (*r).to_owned()).collect(),
            notes: String::new(),
            stakeholders: Vec::new(),
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn at(today: Option<i16>, ideal: Option<i16>, gap: i16) -> Stakeholder {
        Stakeholder {
            id: Uuid::nil(),
            target_id: Uuid::nil(),
            organisation_id: None,
            prospect_name: Some("Région Sud".into()),
            label: "Région Sud".into(),
            today_ring: today,
            ideal_ring: ideal,
            angle: 0.0,
            our_reasons: String::new(),
            their_reasons: String::new(),
            gap,
            version: 1,
        }
    }

    #[test]
    fn a_gap_says_what_to_do_between_which_rings() {
        let target = target();
        assert_eq!(
            task_subject(&target, &at(Some(3), Some(0), 3)),
            "Rapprocher Région Sud : de « Contacts » à « Partenaires stratégiques »"
        );
        assert_eq!(
            task_subject(&target, &at(None, Some(1), 3)),
            "Faire entrer Région Sud dans la cible : « Partenaires réguliers »"
        );
        assert_eq!(
            task_subject(&target, &at(Some(0), None, -4)),
            "Prendre de la distance avec Région Sud : de « Partenaires stratégiques » à hors de la cible"
        );
        assert_eq!(
            task_subject(&target, &at(Some(1), Some(1), 0)),
            "Entretenir la relation avec Région Sud (« Partenaires réguliers »)"
        );
    }
}
