//! The history rows carry — activities and engagements — planned once each row's person
//! and organisation are known: attached to them, and matched rather than made twice when
//! the records (or an earlier row of the file) already hold the same one, so that a file
//! sent again adds nothing.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime};
use maillage_domain::kinds::{ActivityKind, EngagementKind};
use maillage_import::{ActivityPart, EngagementPart, ImportedRow};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

/// An activity already held: the record it is about, its day, kind and subject (folded).
type ActivityKey = (Uuid, NaiveDate, ActivityKind, String);
/// An engagement already held: its contributor, kind, day, amount and minutes.
type EngagementKey = (Uuid, EngagementKind, NaiveDate, Option<i64>, Option<i32>);

pub(super) struct NewActivity {
    pub(super) id: Uuid,
    pub(super) person: Option<Uuid>,
    pub(super) organisation: Option<Uuid>,
    pub(super) part: ActivityPart,
}

pub(super) struct NewEngagement {
    pub(super) id: Uuid,
    /// The contributor: the row's person, else its organisation.
    pub(super) person: Option<Uuid>,
    pub(super) organisation: Option<Uuid>,
    pub(super) part: EngagementPart,
}

/// When an imported activity took place: the file gives a day, and midday keeps it that
/// day in every European time zone.
pub(super) fn occurred_at(on: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    on.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
        .and_utc()
}

/// Activities and engagements by what tells one from another: those the records hold
/// for a batch's known people and organisations, or those the file already made.
#[derive(Default)]
pub(super) struct HistoryKeys {
    activities: HashSet<ActivityKey>,
    engagements: HashSet<EngagementKey>,
}

impl HistoryKeys {
    /// Reads what `records` (people and organisations of the records) hold on the days the
    /// batch's rows name.
    pub(super) async fn held(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        rows: &[(i64, ImportedRow)],
        records: &[Uuid],
    ) -> Result<Self, Error> {
        let activity_days: Vec<NaiveDate> = rows
            .iter()
            .filter_map(|(_, r)| Some(r.activity.as_ref()?.on))
            .collect();
        let engagement_days: Vec<NaiveDate> = rows
            .iter()
            .filter_map(|(_, r)| Some(r.engagement.as_ref()?.on))
            .collect();
        let mut held = Self::default();
        if records.is_empty() {
            return Ok(held);
        }
        if !activity_days.is_empty() {
            let found = sqlx::query!(
                r#"select coalesce(l.person_id, l.organisation_id) as "record!", a.kind,
                          (a.occurred_at at time zone 'UTC')::date as "day!", lower(a.subject) as "subject!"
                   from activity_links l
                   join activities a on a.tenant_id = l.tenant_id and a.id = l.activity_id
                   where l.tenant_id = $1 and (l.person_id = any($2) or l.organisation_id = any($2))
                     and (a.occurred_at at time zone 'UTC')::date = any($3)"#,
                tenant_id,
                records,
                &activity_days,
            )
            .fetch_all(&mut *conn)
            .await?;
            held.activities = found
                .into_iter()
                .filter_map(|a| Some((a.record, a.day, a.kind.parse().ok()?, a.subject)))
                .collect();
        }
        if !engagement_days.is_empty() {
            let found = sqlx::query!(
                r#"select coalesce(person_id, organisation_id) as "contributor!", kind, occurred_on,
                          amount_cents, minutes
                   from engagements
                   where tenant_id = $1 and (person_id = any($2) or organisation_id = any($2))
                     and occurred_on = any($3)"#,
                tenant_id,
                records,
                &engagement_days,
            )
            .fetch_all(&mut *conn)
            .await?;
            held.engagements = found
                .into_iter()
                .filter_map(|e| {
                    Some((
                        e.contributor,
                        e.kind.parse().ok()?,
                        e.occurred_on,
                        e.amount_cents,
                        e.minutes,
                    ))
                })
                .collect();
        }
        Ok(held)
    }
}

/// What a row's activity adds: `None` when the records (`held`) or the file (`memory`)
/// already hold it.
pub(super) fn activity_of(
    held: &HistoryKeys,
    memory: &mut HistoryKeys,
    part: &ActivityPart,
    (person, organisation): (Option<Uuid>, Option<Uuid>),
) -> Option<NewActivity> {
    let record = person.or(organisation)?;
    let key = (record, part.on, part.kind, part.subject.to_lowercase());
    if held.activities.contains(&key) || !memory.activities.insert(key) {
        return None;
    }
    Some(NewActivity {
        id: Uuid::now_v7(),
        person,
        organisation,
        part: part.clone(),
    })
}

/// What a row's engagement adds: `None` when the records (`held`) or the file
/// (`memory`) already hold it.
pub(super) fn engagement_of(
    held: &HistoryKeys,
    memory: &mut HistoryKeys,
    part: &EngagementPart,
    (person, organisation): (Option<Uuid>, Option<Uuid>),
) -> Option<NewEngagement> {
    let contributor = person.or(organisation)?;
    let key = (
        contributor,
        part.kind,
        part.on,
        part.amount_cents,
        part.minutes,
    );
    if held.engagements.contains(&key) || !memory.engagements.insert(key) {
        return None;
    }
    Some(NewEngagement {
        id: Uuid::now_v7(),
        person,
        organisation: organisation.filter(|_| person.is_none()),
        part: part.clone(),
    })
}
