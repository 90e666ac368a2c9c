//! When each reminder of a deadline goes out: on the morning of the day it is due for,
//! in the tenant's time zone, so that a J-1 reminder for a Tuesday 09:00 deadline in
//! Paris arrives on Monday morning, Paris time, whatever the season.
//!
//! A reminder whose day is already over when the deadline is entered (a J-30 reminder
//! for a deadline due next week) is missed on purpose: its words would be wrong. One
//! whose day is today still goes out, even if the morning has passed.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Reminders go out at this local hour.
const SEND_HOUR: u32 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    ThirtyDaysBefore,
    SevenDaysBefore,
    DayBefore,
    Overdue,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 4] = [
        Self::ThirtyDaysBefore,
        Self::SevenDaysBefore,
        Self::DayBefore,
        Self::Overdue,
    ];

    /// The stored name (see the `reminders_kind_check` constraint).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ThirtyDaysBefore => "j30",
            Self::SevenDaysBefore => "j7",
            Self::DayBefore => "j1",
            Self::Overdue => "overdue",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// Days from the due date to the day the reminder is sent (negative: before).
    fn day_offset(self) -> i64 {
        match self {
            Self::ThirtyDaysBefore => -30,
            Self::SevenDaysBefore => -7,
            Self::DayBefore => -1,
            Self::Overdue => 1,
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

/// Every reminder of a deadline due at `due_at`, for a tenant in `zone`, planned at `now`.
pub fn plan(due_at: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> Vec<PlannedReminder> {
    let due_day = due_at.with_timezone(&zone).date_naive();
    let today = now.with_timezone(&zone).date_naive();
    ReminderKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let day = shift(due_day, kind.day_offset())?;
            Some(PlannedReminder {
                kind,
                fire_at: morning_of(day, zone),
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

/// `SEND_HOUR` local time on `day`; on a daylight-saving jump, the first valid instant.
fn morning_of(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(SEND_HOUR, 0, 0).unwrap_or(NaiveTime::MIN));
    zone.from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
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

    #[test]
    fn reminders_go_out_in_the_local_morning() {
        // Friday 27 November 2026, 09:00 in Paris (UTC+1).
        let plan = plan(
            utc("2026-11-27T08:00:00Z"),
            chrono_tz::Europe::Paris,
            utc("2026-01-01T00:00:00Z"),
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::DayBefore),
            Some(utc("2026-11-26T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::SevenDaysBefore),
            Some(utc("2026-11-20T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::ThirtyDaysBefore),
            Some(utc("2026-10-28T07:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::Overdue),
            Some(utc("2026-11-28T07:00:00Z"))
        );
    }

    #[test]
    fn daylight_saving_changes_keep_the_local_hour() {
        // Monday 30 March 2026, 09:00 in Paris: summer time began on Sunday 29 March.
        let plan = plan(
            utc("2026-03-30T07:00:00Z"),
            chrono_tz::Europe::Paris,
            utc("2026-01-01T00:00:00Z"),
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::DayBefore),
            Some(utc("2026-03-29T06:00:00Z"))
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::SevenDaysBefore),
            Some(utc("2026-03-23T07:00:00Z"))
        );
    }

    #[test]
    fn the_due_day_is_the_tenants_day_not_utcs() {
        // 00:30 on 1 December in Paris is still 30 November in UTC.
        let plan = plan(
            utc("2026-11-30T23:30:00Z"),
            chrono_tz::Europe::Paris,
            utc("2026-01-01T00:00:00Z"),
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::DayBefore),
            Some(utc("2026-11-30T07:00:00Z"))
        );
        // The same instant in Martinique (UTC-4) is still 30 November.
        let plan = super::plan(
            utc("2026-11-30T23:30:00Z"),
            chrono_tz::America::Martinique,
            utc("2026-01-01T00:00:00Z"),
        );
        assert_eq!(
            fire_at(&plan, ReminderKind::DayBefore),
            Some(utc("2026-11-29T12:00:00Z"))
        );
    }

    #[test]
    fn reminders_of_days_already_over_are_missed_but_todays_still_go_out() {
        // Entered on Thursday 26 November at 15:00 in Paris, due Friday 27 at 09:00.
        let plan = plan(
            utc("2026-11-27T08:00:00Z"),
            chrono_tz::Europe::Paris,
            utc("2026-11-26T14:00:00Z"),
        );
        let missed: Vec<(ReminderKind, bool)> = plan.iter().map(|p| (p.kind, p.missed)).collect();
        assert_eq!(
            missed,
            [
                (ReminderKind::ThirtyDaysBefore, true),
                (ReminderKind::SevenDaysBefore, true),
                (ReminderKind::DayBefore, false),
                (ReminderKind::Overdue, false),
            ]
        );
    }

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in ReminderKind::ALL {
            assert_eq!(ReminderKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ReminderKind::parse("j2"), None);
    }
}
