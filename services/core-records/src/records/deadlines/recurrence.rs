//! Recurring reports: the due dates of every occurrence of a series, from the first one.
//!
//! Dates are stepped in the tenant's local time, each from the first occurrence (not
//! from the previous one), so that a report due on the 31st at 17:00 in Paris stays due
//! at 17:00 local time whatever the season, on the last day of the shorter months, and
//! back on the 31st when the month has one.

use crate::language::{one_of, reader, said};
use chrono::{DateTime, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use maillage_domain::local_instant;
use maillage_domain::working_days::working_day_on_or_before;
use maillage_problem::FieldError;
use serde::Deserialize;

/// A series of more occurrences than this is a mistake (a monthly report for ten years).
pub const MAX_OCCURRENCES: usize = 120;

/// `{"frequency": "quarterly", "until": "2029-12-31"}`, `{"frequency": "monthly", "count": 12}`
/// or `{"frequency": "dates", "dates": ["2027-03-31T17:00:00+02:00", …]}`.
/// How a series repeats, for the document.
fn frequency_schema() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(&["monthly", "quarterly", "yearly", "dates"])
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurrenceInput {
    #[schema(schema_with = frequency_schema)]
    pub frequency: String,
    /// The last day an occurrence may fall on, in the tenant's time zone.
    pub until: Option<NaiveDate>,
    /// How many occurrences, the first included.
    #[schema(minimum = 2, maximum = 120)]
    pub count: Option<usize>,
    /// For `dates`: the occurrences after the first.
    #[schema(max_items = 119)]
    pub dates: Option<Vec<DateTime<Utc>>>,
    /// For `monthly`, `quarterly` and `yearly`: an occurrence that would fall on a
    /// Saturday, a Sunday or a French public holiday is due the working day before, at
    /// the same time. The first one stays as given.
    #[serde(default)]
    pub working_days: bool,
}

/// The due dates of every occurrence, the first (`first`) included, in order; or what
/// is wrong with the rule, field by field.
pub fn occurrences(
    first: DateTime<Utc>,
    zone: Tz,
    rule: &RecurrenceInput,
) -> Result<Vec<DateTime<Utc>>, Vec<FieldError>> {
    let step = match rule.frequency.as_str() {
        "monthly" => 1,
        "quarterly" => 3,
        "yearly" => 12,
        "dates" => return explicit(first, rule),
        _ => {
            return Err(vec![FieldError::new(
                "recurrence.frequency",
                one_of(&["monthly", "quarterly", "yearly", "dates"]),
            )]);
        }
    };
    let mut errors = Vec::new();
    if rule.dates.is_some() {
        errors.push(FieldError::new(
            "recurrence.dates",
            said("check-dates-only"),
        ));
    }
    let limit = match (rule.until, rule.count) {
        (Some(_), Some(_)) | (None, None) => {
            errors.push(FieldError::new("recurrence", said("check-until-or-count")));
            None
        }
        (None, Some(count)) if !(2..=MAX_OCCURRENCES).contains(&count) => {
            errors.push(FieldError::new(
                "recurrence.count",
                reader().t1("check-count-between", "max", MAX_OCCURRENCES),
            ));
            None
        }
        (None, Some(count)) => Some(Limit::Count(count)),
        (Some(until), None) => Some(Limit::Until(until)),
    };
    let Some(limit) = limit.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };

    let start = first.with_timezone(&zone).naive_local();
    let mut dates = Vec::new();
    for n in 0u32.. {
        let Some(local) = start.checked_add_months(Months::new(step * n)) else {
            break;
        };
        let done = match limit {
            Limit::Count(count) => dates.len() == count,
            Limit::Until(until) => local.date() > until,
        };
        if done {
            break;
        }
        if dates.len() == MAX_OCCURRENCES {
            return Err(vec![FieldError::new(
                "recurrence.until",
                reader().t1("check-until-too-far", "max", MAX_OCCURRENCES),
            )]);
        }
        let local = if rule.working_days && n > 0 {
            working_day_on_or_before(local.date()).and_time(local.time())
        } else {
            local
        };
        dates.push(local_instant(zone, local));
    }
    if dates.len() < 2 {
        return Err(vec![FieldError::new(
            "recurrence.until",
            said("check-one-after-first"),
        )]);
    }
    Ok(dates)
}

#[derive(Clone, Copy)]
enum Limit {
    Count(usize),
    Until(NaiveDate),
}

fn explicit(
    first: DateTime<Utc>,
    rule: &RecurrenceInput,
) -> Result<Vec<DateTime<Utc>>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if rule.until.is_some() || rule.count.is_some() {
        errors.push(FieldError::new(
            "recurrence",
            said("check-until-count-dates"),
        ));
    }
    if rule.working_days {
        errors.push(FieldError::new(
            "recurrence.working_days",
            said("check-not-with-dates"),
        ));
    }
    let mut dates = vec![first];
    dates.extend(rule.dates.iter().flatten().copied());
    dates.sort();
    dates.dedup();
    if dates.len() < 2 {
        errors.push(FieldError::new(
            "recurrence.dates",
            said("check-another-date"),
        ));
    } else if dates.len() > MAX_OCCURRENCES {
        errors.push(FieldError::new(
            "recurrence.dates",
            reader().t1("check-most-dates", "max", MAX_OCCURRENCES),
        ));
    }
    if errors.is_empty() {
        Ok(dates)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    fn rule(frequency: &str) -> RecurrenceInput {
        RecurrenceInput {
            frequency: frequency.into(),
            until: None,
            count: None,
            dates: None,
            working_days: false,
        }
    }

    fn fields(result: Result<Vec<DateTime<Utc>>, Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn monthly_reports_keep_the_local_hour_and_the_end_of_the_month() {
        // 31 January 2027, 17:00 in Paris (UTC+1).
        let dates = occurrences(
            utc("2027-01-31T16:00:00Z"),
            chrono_tz::Europe::Paris,
            &RecurrenceInput {
                count: Some(4),
                ..rule("monthly")
            },
        );
        assert_eq!(
            dates.unwrap_or_default(),
            [
                utc("2027-01-31T16:00:00Z"),
                // The last day of February.
                utc("2027-02-28T16:00:00Z"),
                // Back on the 31st, and 17:00 is now UTC+2.
                utc("2027-03-31T15:00:00Z"),
                utc("2027-04-30T15:00:00Z"),
            ]
        );
    }

    #[test]
    fn a_series_on_working_days_moves_a_sunday_to_the_friday_before() {
        // Sunday 31 January 2027 stays as given; Sunday 28 February moves to Friday 26.
        let dates = occurrences(
            utc("2027-01-31T16:00:00Z"),
            chrono_tz::Europe::Paris,
            &RecurrenceInput {
                count: Some(3),
                working_days: true,
                ..rule("monthly")
            },
        );
        assert_eq!(
            dates.unwrap_or_default(),
            [
                utc("2027-01-31T16:00:00Z"),
                utc("2027-02-26T16:00:00Z"),
                utc("2027-03-31T15:00:00Z"),
            ]
        );
    }

    #[test]
    fn quarterly_until_a_day_includes_that_day() {
        let dates = occurrences(
            utc("2027-03-31T15:00:00Z"),
            chrono_tz::Europe::Paris,
            &RecurrenceInput {
                until: NaiveDate::from_ymd_opt(2027, 12, 31),
                ..rule("quarterly")
            },
        )
        .unwrap_or_default();
        assert_eq!(dates.len(), 4);
        assert_eq!(dates.last(), Some(&utc("2027-12-31T16:00:00Z")));
    }

    #[test]
    fn explicit_dates_are_sorted_and_deduplicated_with_the_first() {
        let dates = occurrences(
            utc("2027-06-30T15:00:00Z"),
            chrono_tz::Europe::Paris,
            &RecurrenceInput {
                dates: Some(vec![
                    utc("2027-12-31T16:00:00Z"),
                    utc("2027-03-31T15:00:00Z"),
                    utc("2027-06-30T15:00:00Z"),
                ]),
                ..rule("dates")
            },
        );
        assert_eq!(
            dates.unwrap_or_default(),
            [
                utc("2027-03-31T15:00:00Z"),
                utc("2027-06-30T15:00:00Z"),
                utc("2027-12-31T16:00:00Z"),
            ]
        );
    }

    #[test]
    fn bad_rules_name_the_field_at_fault() {
        let first = utc("2027-01-31T16:00:00Z");
        let paris = chrono_tz::Europe::Paris;
        assert_eq!(
            fields(occurrences(first, paris, &rule("weekly"))),
            ["recurrence.frequency"]
        );
        assert_eq!(
            fields(occurrences(first, paris, &rule("monthly"))),
            ["recurrence"]
        );
        let too_many = RecurrenceInput {
            count: Some(500),
            ..rule("monthly")
        };
        assert_eq!(
            fields(occurrences(first, paris, &too_many)),
            ["recurrence.count"]
        );
        let too_far = RecurrenceInput {
            until: NaiveDate::from_ymd_opt(2060, 1, 1),
            ..rule("monthly")
        };
        assert_eq!(
            fields(occurrences(first, paris, &too_far)),
            ["recurrence.until"]
        );
        let before_first = RecurrenceInput {
            until: NaiveDate::from_ymd_opt(2026, 1, 1),
            ..rule("yearly")
        };
        assert_eq!(
            fields(occurrences(first, paris, &before_first)),
            ["recurrence.until"]
        );
        assert_eq!(
            fields(occurrences(first, paris, &rule("dates"))),
            ["recurrence.dates"]
        );
    }
}
