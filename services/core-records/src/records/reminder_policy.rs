//! The tenant's reminder policy: when reporting deadlines are reminded, to whom it
//! escalates, and the quiet hours. Read by every member, changed by admins; a change
//! has every deadline still to submit planned again.

use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{DateTime, NaiveTime, Utc};
use maillage_problem::Json;
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Checks, check_version, etag, expected_version, present};
use crate::Error;
use crate::audit::{self, Action};
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/reminder-policy",
            read,
            Doc::new("reminders", "La politique de rappel de l'espace").returns::<ReminderPolicy>(),
        )
        .patch(
            "/v1/reminder-policy",
            update,
            Doc::new(
                "reminders",
                "Changer la politique de rappel (administrateurs)",
            )
            .if_match()
            .body::<ReminderPolicyInput>()
            .returns::<ReminderPolicy>(),
        )
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReminderPolicy {
    /// Reminders so many days before the due day, e.g. [30, 7, 1].
    pub days_before: Vec<i16>,
    /// A reminder on the due day.
    pub on_due_day: bool,
    /// While late, a reminder every so many days (0: none).
    pub overdue_every_days: i16,
    /// Late by so many days, the owners and admins are alerted (null: never).
    pub escalate_after_days: Option<i16>,
    /// The local time reminders go out at, e.g. "08:00:00".
    #[schema(value_type = String)]
    pub send_at: NaiveTime,
    /// No reminder leaves between these local times (they may span midnight).
    #[schema(value_type = String)]
    pub quiet_hours_start: NaiveTime,
    #[schema(value_type = String)]
    pub quiet_hours_end: NaiveTime,
    pub version: i32,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderPolicyInput {
    #[schema(schema_with = days_before_schema)]
    days_before: Option<Vec<i16>>,
    on_due_day: Option<bool>,
    #[schema(minimum = 0, maximum = 90)]
    overdue_every_days: Option<i16>,
    #[serde(default, deserialize_with = "present")]
    #[schema(minimum = 1, maximum = 365)]
    escalate_after_days: Option<Option<i16>>,
    #[serde(default, deserialize_with = "time_of_day")]
    #[schema(schema_with = time_of_day_schema)]
    send_at: Option<NaiveTime>,
    #[serde(default, deserialize_with = "time_of_day")]
    #[schema(schema_with = time_of_day_schema)]
    quiet_hours_start: Option<NaiveTime>,
    #[serde(default, deserialize_with = "time_of_day")]
    #[schema(schema_with = time_of_day_schema)]
    quiet_hours_end: Option<NaiveTime>,
}

/// A time of day as `HH:MM` or `HH:MM:SS`, and nothing looser (chrono's own parser
/// takes `8:0`, leading spaces or a 61st second, which the document could not say).
const TIME_OF_DAY: &str = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";

fn time_of_day<'de, D>(deserializer: D) -> Result<Option<NaiveTime>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let Some(sent) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    parse_time_of_day(&sent)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(said("check-time-of-day")))
}

fn parse_time_of_day(sent: &str) -> Option<NaiveTime> {
    let bytes = sent.as_bytes();
    let two = |at: usize| -> Option<u32> {
        let (tens, units) = (*bytes.get(at)?, *bytes.get(at + 1)?);
        (tens.is_ascii_digit() && units.is_ascii_digit())
            .then(|| u32::from(tens - b'0') * 10 + u32::from(units - b'0'))
    };
    let seconds = match bytes.len() {
        5 => 0,
        8 if bytes[5] == b':' => two(6)?,
        _ => return None,
    };
    if bytes[2] != b':' || seconds > 59 {
        return None;
    }
    NaiveTime::from_hms_opt(two(0)?, two(3)?, seconds)
}

/// `HH:MM` or `HH:MM:SS`, or null, for the document.
fn time_of_day_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::string_or_null()
        .pattern(Some(TIME_OF_DAY))
        .build()
}

/// Up to 10 reminders, each 1 to 365 days before the deadline, or null.
fn days_before_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(365)),
        )
        .max_items(Some(10))
        .build()
}

/// The tenant's policy (created with the tenant, with the table's defaults).
async fn fetch(conn: &mut PgConnection, tenant_id: Uuid) -> Result<ReminderPolicy, Error> {
    sqlx::query_as!(
        ReminderPolicy,
        r#"select days_before, on_due_day, overdue_every_days, escalate_after_days, send_at,
                  quiet_hours_start, quiet_hours_end, version, updated_at as "updated_at?"
           from reminder_policies where tenant_id = $1"#,
        tenant_id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

async fn read(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<(HeaderMap, Json<ReminderPolicy>), Error> {
    let mut tx = identity.begin(&state).await?;
    let policy = fetch(&mut tx, identity.0.tenant_id).await?;
    tx.commit().await?;
    Ok((etag(policy.version), Json(policy)))
}

async fn update(
    State(state): State<AppState>,
    identity: Identity,
    headers: HeaderMap,
    Json(input): Json<ReminderPolicyInput>,
) -> Result<(HeaderMap, Json<ReminderPolicy>), Error> {
    identity.require_admin()?;
    let expected = expected_version(&headers)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    // Serialises two admins' changes.
    sqlx::query!(
        "select 1 as locked from reminder_policies where tenant_id = $1 for update",
        tenant_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let before = fetch(&mut tx, tenant_id).await?;
    check_version(expected, before.version)?;

    let mut checks = Checks::default();
    // At most 10 as sent (the document's maxItems), repeats included.
    let mut days_before = input
        .days_before
        .unwrap_or_else(|| before.days_before.clone());
    let too_many = days_before.len() > 10;
    days_before.sort_unstable_by(|a, b| b.cmp(a));
    days_before.dedup();
    if too_many || days_before.iter().any(|d| !(1..=365).contains(d)) {
        checks.push("days_before", &said("check-reminder-offsets"));
    }
    let overdue_every_days = input
        .overdue_every_days
        .unwrap_or(before.overdue_every_days);
    if !(0..=90).contains(&overdue_every_days) {
        checks.push("overdue_every_days", &said("check-follow-up-days"));
    }
    let escalate_after_days = input
        .escalate_after_days
        .unwrap_or(before.escalate_after_days);
    if escalate_after_days.is_some_and(|d| !(1..=365).contains(&d)) {
        checks.push("escalate_after_days", &said("check-escalation-days"));
    }
    checks.finish()?;

    sqlx::query!(
        r#"update reminder_policies
           set days_before = $2, on_due_day = $3, overdue_every_days = $4,
               escalate_after_days = $5, send_at = $6, quiet_hours_start = $7,
               quiet_hours_end = $8, version = version + 1, updated_at = now()
           where tenant_id = $1"#,
        tenant_id,
        &days_before,
        input.on_due_day.unwrap_or(before.on_due_day),
        overdue_every_days,
        escalate_after_days,
        input.send_at.unwrap_or(before.send_at),
        input.quiet_hours_start.unwrap_or(before.quiet_hours_start),
        input.quiet_hours_end.unwrap_or(before.quiet_hours_end),
    )
    .execute(&mut *tx)
    .await?;
    // Everything dated still to do is planned again under the new policy.
    sqlx::query!(
        r#"insert into outbox (tenant_id, id, topic, aggregate_id)
           select distinct on (topic, id) tenant_id, gen_random_uuid(), reminder_topic(subject) as topic, id
           from remindable_items
           where tenant_id = $1 and open"#,
        tenant_id,
    )
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, tenant_id).await?;
    audit::record(
        &mut tx,
        &identity,
        Action::Update,
        "reminder_policy",
        tenant_id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok((etag(after.version), Json(after)))
}

#[cfg(test)]
mod tests {
    use super::{TIME_OF_DAY, parse_time_of_day};

    /// The services read a time exactly as the document's pattern describes it.
    #[test]
    fn times_of_day_are_read_as_the_document_says() -> Result<(), regex::Error> {
        let pattern = regex::Regex::new(TIME_OF_DAY)?;
        for sent in [
            "08:00",
            "08:30:15",
            "23:59",
            "00:00:00",
            "8:00",
            "08:0",
            "24:00",
            "08:60",
            "08:00:60",
            " 08:00",
            "08:00Z",
            "08h00",
            "0800",
            "08:00:00.5",
            "",
            "é8:00",
        ] {
            assert_eq!(
                parse_time_of_day(sent).is_some(),
                pattern.is_match(sent),
                "{sent:?}"
            );
        }
        assert_eq!(
            parse_time_of_day("07:05:09").map(|t| t.to_string()),
            Some("07:05:09".to_owned())
        );
        Ok(())
    }
}
