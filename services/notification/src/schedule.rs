//! When each reminder of a deadline goes out, by the tenant's policy: so many days
//! before, on the day, then every so many days while it is late, and an escalation to
//! the tenant's admins once it is late by so many days. Each goes out on the morning of
//! its day, in the tenant's time zone, so that a J-1 reminder for a Tuesday 09:00
//! deadline in Paris arrives on Monday morning, Paris time, whatever the season.
//!
//! A reminder whose day is already over when the deadline is planned (a J-30 reminder
//! for a deadline due next week) is missed on purpose: its words would be wrong. One
//! whose day is today still goes out, even if the morning has passed.
//!
//! Late reminders repeat until the report is submitted or waived: only the next two are
//! planned at a time, and sending one plans the one after.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use maillage_domain::local_instant;

/// What a reminder is about, relative to the day the report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// So many days before the due day.
    Before(u16),
    DueToday,
    /// Late by so many days.
    Overdue(u16),
    /// Late by so many days: to the tenant's owners and admins (see
    /// `reminder_audience` in SQL).
    Escalation(u16),
}

impl ReminderKind {
    /// The stored name: `d-30`, `d0`, `d+7`, `e+14` (see `reminders_kind_check`).
    pub fn as_str(self) -> String {
        match self {
            Self::Before(days) => format!("d-{days}"),
            Self::DueToday => "d0".into(),
            Self::Overdue(days) => format!("d+{days}"),
            Self::Escalation(days) => format!("e+{days}"),
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let days = |digits: &str| digits.parse::<u16>().ok().filter(|d| *d > 0);
        if raw == "d0" {
            Some(Self::DueToday)
        } else if let Some(digits) = raw.strip_prefix("d-") {
            days(digits).map(Self::Before)
        } else if let Some(digits) = raw.strip_prefix("d+") {
            days(digits).map(Self::Overdue)
        } else {
            raw.strip_prefix("e+").and_then(days).map(Self::Escalation)
        }
    }

    /// Days from the due day to the day the reminder is sent (negative: before).
    fn day_offset(self) -> i64 {
        match self {
            Self::Before(days) => -i64::from(days),
            Self::DueToday => 0,
            Self::Overdue(days) | Self::Escalation(days) => i64::from(days),
        }
    }
}

/// A tenant's reminder policy (see the `reminder_policies` table for its defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub days_before: Vec<u16>,
    pub on_due_day: bool,
    /// Late reminders every so many days from the day after the due day; 0: none.
    pub overdue_every_days: u16,
    pub escalate_after_days: Option<u16>,
    /// The local hour reminders go out at.
    pub send_at: NaiveTime,
}

/// The defaults of the `reminder_policies` table, for the unit tests: the service itself
/// always reads the tenant's row.
#[cfg(test)]
impl Default for Policy {
    fn default() -> Self {
        Self {
            days_before: vec![30, 7, 1],
            on_due_day: true,
            overdue_every_days: 7,
            escalate_after_days: Some(14),
            send_at: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedReminder {
    pub kind: ReminderKind,
    pub fire_at: DateTime<Utc>,
    /// Its day was over before it was planned: it will not be sent.
    pub missed: bool,
}

/// The reminders of a deadline due at `due_at`, for a tenant in `zone` with `policy`,
/// planned at `now`: those before and on the due day, the escalation, and the next two
/// late reminders from today on.
pub fn plan(
    due_at: DateTime<Utc>,
    zone: Tz,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Vec<PlannedReminder> {
    let due_day = due_at.with_timezone(&zone).date_naive();
    let today = now.with_timezone(&zone).date_naive();
    let mut kinds: Vec<ReminderKind> = policy
        .days_before
        .iter()
        .filter(|days| **days > 0)
        .map(|days| ReminderKind::Before(*days))
        .collect();
    if policy.on_due_day {
        kinds.push(ReminderKind::DueToday);
    }
    if let Some(days) = policy.escalate_after_days.filter(|d| *d > 0) {
        kinds.push(ReminderKind::Escalation(days));
    }
    if policy.overdue_every_days > 0 {
        // Late by 1, 1 + every, 1 + 2·every… days: the first whose day is not over.
        let days_late = (today - due_day).num_days().max(1);
        let every = i64::from(policy.overdue_every_days);
        let rounds = (days_late - 1 + every - 1) / every;
        // That one and the one after: sending a late reminder plans the next again, so
        // one is always waiting.
        for round in [rounds, rounds + 1] {
            if let Ok(days) = u16::try_from(1 + round * every) {
                kinds.push(ReminderKind::Overdue(days));
            }
        }
    }
    kinds
        .into_iter()
        .filter_map(|kind| {
            let day = shift(due_day, kind.day_offset())?;
            Some(PlannedReminder {
                kind,
                fire_at: local_instant(zone, day.and_time(policy.send_at)),
                missed: day < today,
            })
        })
        .collect()
}

fn shift(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    let magnitude = Days::new(days.unsigned_abs());
    if days < 0 {
        day.checked_sub_days(magnitude)
    } else {
        day.checked_add_days(magnitude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    fn fire_at(plan: &[PlannedReminder], kind: ReminderKind) -> Option<DateTime<Utc>> {
        plan.iter().find(|p| p.kind == kind).map(|p| p.fire_at)
    }

    fn paris_plan(due: &str, now: &str) -> Vec<PlannedReminder> {
        plan(
            utc(due),
            chrono_tz::Europe::Paris,
            utc(now),
            &Policy::default(),
        )
    }

    #[test]
    fn reminders_go_out_in_the_local_morning() {
        // Friday 27 November 2026, 09:00 in Paris (UTC+1).
        let plan = paris_plan("2026-11-27T08:00:00Z", "2026-01-01T00:00:00Z");
        assert_eq!(
            fire_at(&plan, ReminderKind::Before(1)),
            Some(utc("2026-11-26T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::Before(7)),
            Some(utc("2026-11-20T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::Before(30)),
            Some(utc("2026-10-28T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::DueToday),
            Some(utc("2026-11-27T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::Overdue(1)),
            Some(utc("2026-11-28T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::Escalation(14)),
            Some(utc("2026-12-11T07:00:00Z"))
        );
    }

    #[test]
    fn daylight_saving_changes_keep_the_local_hour() {
        // Monday 30 March 2026, 09:00 in Paris: summer time began on Sunday 29 March.
        let plan = paris_plan("2026-03-30T07:00:00Z", "2026-01-01T00:00:00Z");
        assert_eq!(
            fire_at(&plan, ReminderKind::Before(1)),
            Some(utc("2026-03-29T06:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::Before(7)),
            Some(utc("2026-03-23T07:00:00Z"))
        );
    }

    #[test]
    fn the_due_day_is_the_tenants_day_not_utcs() {
        // 00:30 on 1 December in Paris is still 30 November in UTC.
        let plan = paris_plan("2026-11-30T23:30:00Z", "2026-01-01T00:00:00Z");
        assert_eq!(
            fire_at(&plan, ReminderKind::Before(1)),
            Some(utc("2026-11-30T07:00:00Z"))
        );
        // The same instant in Martinique (UTC-4) is still 30 November.
        let plan = plan_in_martinique();
        assert_eq!(
            fire_at(&plan, ReminderKind::Before(1)),
            Some(utc("2026-11-29T12:00:00Z"))
        );
    }

    fn plan_in_martinique() -> Vec<PlannedReminder> {
        plan(
            utc("2026-11-30T23:30:00Z"),
            chrono_tz::America::Martinique,
            utc("2026-01-01T00:00:00Z"),
            &Policy::default(),
        )
    }

    #[test]
    fn reminders_of_days_already_over_are_missed_but_todays_still_go_out() {
        // Entered on Thursday 26 November at 15:00 in Paris, due Friday 27 at 09:00.
        let plan = paris_plan("2026-11-27T08:00:00Z", "2026-11-26T14:00:00Z");
        let missed: Vec<(ReminderKind, bool)> = plan.iter().map(|p| (p.kind, p.missed)).collect();
        assert_eq!(
            missed,
            [
                (ReminderKind::Before(30), true),
                (ReminderKind::Before(7), true),
                (ReminderKind::Before(1), false),
                (ReminderKind::DueToday, false),
                (ReminderKind::Escalation(14), false),
                (ReminderKind::Overdue(1), false),
                (ReminderKind::Overdue(8), false),
            ]
        );
    }

    #[test]
    fn late_reminders_repeat_every_week_one_at_a_time() {
        let due = "2026-11-27T08:00:00Z";
        let next_overdue = |now: &str| -> Vec<(u16, DateTime<Utc>)> {
            paris_plan(due, now)
                .into_iter()
                .filter_map(|p| match p.kind {
                    ReminderKind::Overdue(days) => Some((days, p.fire_at)),
                    _ => None,
                })
                .collect()
        };
        // The day after: late by 1, then by 8.
        assert_eq!(
            next_overdue("2026-11-28T10:00:00Z"),
            [
                (1, utc("2026-11-28T07:00:00Z")),
                (8, utc("2026-12-05T07:00:00Z"))
            ]
        );
        // Two days after: the next is a week after the first.
        assert_eq!(
            next_overdue("2026-11-29T10:00:00Z")[0],
            (8, utc("2026-12-05T07:00:00Z"))
        );
        assert_eq!(
            next_overdue("2026-12-05T10:00:00Z")[0],
            (8, utc("2026-12-05T07:00:00Z"))
        );
        assert_eq!(
            next_overdue("2026-12-06T10:00:00Z"),
            [
                (15, utc("2026-12-12T07:00:00Z")),
                (22, utc("2026-12-19T07:00:00Z"))
            ]
        );
    }

    #[test]
    fn a_tenant_policy_chooses_the_days_the_hour_and_the_escalation() {
        let policy = Policy {
            days_before: vec![15, 3],
            on_due_day: false,
            overdue_every_days: 0,
            escalate_after_days: None,
            send_at: NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN),
        };
        let plan = plan(
            utc("2026-11-27T08:00:00Z"),
            chrono_tz::Europe::Paris,
            utc("2026-01-01T00:00:00Z"),
            &policy,
        );
        let kinds: Vec<(ReminderKind, DateTime<Utc>)> =
            plan.iter().map(|p| (p.kind, p.fire_at)).collect();
        assert_eq!(
            kinds,
            [
                (ReminderKind::Before(15), utc("2026-11-12T08:30:00Z")),
                (ReminderKind::Before(3), utc("2026-11-24T08:30:00Z")),
            ]
        );
    }

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in [
            ReminderKind::Before(30),
            ReminderKind::DueToday,
            ReminderKind::Overdue(8),
            ReminderKind::Escalation(14),
        ] {
            assert_eq!(ReminderKind::parse(&kind.as_str()), Some(kind));
        }
        for bad in ["j1", "d-0", "d+", "e-3", "x"] {
            assert_eq!(ReminderKind::parse(bad), None, "{bad}");
        }
    }
}
