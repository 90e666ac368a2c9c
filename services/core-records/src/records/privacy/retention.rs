//! The workspace's retention rule (`/v1/retention`): people with no sign of life for so
//! many years, shown first, then erased each day by the keeper once an admin schedules
//! it (see [`super::keeper`]).

use axum::extract::State;
use maillage_domain::privacy::{InactivePerson, RETENTION_YEARS, RetentionPreview, RetentionRule};
use maillage_problem::{Json, Query};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::language::reader;
use crate::records::Checks;
use crate::state::AppState;

/// The people a preview names; the count says how many in all.
const PREVIEW_PEOPLE: i64 = 100;

/// A rule to set: no `inactive_years` removes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RetentionInput {
    #[schema(minimum = 1, maximum = 30)]
    inactive_years: Option<i32>,
    /// Erase them each day; false only shows them.
    #[serde(default)]
    purge_scheduled: bool,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct PreviewQuery {
    /// The rule to try; the workspace's own when absent.
    #[param(minimum = 1, maximum = 30)]
    inactive_years: Option<i32>,
}

pub(super) async fn read(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<RetentionRule>, Error> {
    identity.require_admin()?;
    let mut tx = identity.begin(&state).await?;
    let rule = rule(&mut tx, identity.0.tenant_id).await?;
    tx.commit().await?;
    Ok(Json(rule))
}

pub(super) async fn set(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<RetentionInput>,
) -> Result<Json<RetentionRule>, Error> {
    identity.require_admin()?;
    years_checked(input.inactive_years)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    match input.inactive_years {
        None => {
            sqlx::query!(
                "delete from retention_rules where tenant_id = $1",
                tenant_id
            )
            .execute(&mut *tx)
            .await?;
        }
        Some(years) => {
            sqlx::query!(
                r#"insert into retention_rules (tenant_id, inactive_years, purge_scheduled, set_by)
                   values ($1, $2, $3, $4)
                   on conflict (tenant_id) do update
                   set inactive_years = excluded.inactive_years, purge_scheduled = excluded.purge_scheduled,
                       set_by = excluded.set_by, set_at = now()"#,
                tenant_id,
                years,
                input.purge_scheduled,
                identity.0.user_id,
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    let rule = rule(&mut tx, tenant_id).await?;
    tx.commit().await?;
    Ok(Json(rule))
}

pub(super) async fn preview(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<PreviewQuery>,
) -> Result<Json<RetentionPreview>, Error> {
    identity.require_admin()?;
    years_checked(query.inactive_years)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let years = match query.inactive_years {
        Some(years) => years,
        None => rule(&mut tx, tenant_id)
            .await?
            .inactive_years
            .ok_or(Error::NotFound)?,
    };
    let count = sqlx::query_scalar!(
        r#"select count(*) as "count!" from maillage_silent_people(now() - make_interval(years => $1))"#,
        years,
    )
    .fetch_one(&mut *tx)
    .await?;
    let people = inactive(&mut tx, years, PREVIEW_PEOPLE).await?;
    tx.commit().await?;
    Ok(Json(RetentionPreview {
        inactive_years: years,
        count,
        people,
    }))
}

fn years_checked(years: Option<i32>) -> Result<(), Error> {
    let mut checks = Checks::default();
    if years.is_some_and(|y| !RETENTION_YEARS.contains(&y)) {
        let expected = reader().t2(
            "retention-years-expected",
            "min",
            *RETENTION_YEARS.start(),
            "max",
            *RETENTION_YEARS.end(),
        );
        checks.push("inactive_years", &expected);
    }
    checks.finish()
}

pub(super) async fn rule(conn: &mut PgConnection, tenant_id: Uuid) -> Result<RetentionRule, Error> {
    Ok(sqlx::query_as!(
        RetentionRule,
        r#"select r.inactive_years as "inactive_years?", r.purge_scheduled, u.display_name as "set_by?",
                  r.set_at as "set_at?", r.last_purge_at, r.last_purge_erased
           from retention_rules r left join users u on u.id = r.set_by
           where r.tenant_id = $1"#,
        tenant_id,
    )
    .fetch_optional(conn)
    .await?
    .unwrap_or_default())
}

/// The people of the transaction's tenant silent for more than `years`, the longest
/// silent first.
pub(super) async fn inactive(
    conn: &mut PgConnection,
    years: i32,
    limit: i64,
) -> Result<Vec<InactivePerson>, Error> {
    Ok(sqlx::query_as!(
        InactivePerson,
        r#"select id as "id!", given_name as "given_name!", family_name as "family_name!",
                  last_sign_of_life as "last_sign_of_life!"
           from maillage_silent_people(now() - make_interval(years => $1))
           order by last_sign_of_life, id
           limit $2"#,
        years,
        limit,
    )
    .fetch_all(conn)
    .await?)
}
