//! Working days in France: what a recurring report due on a Saturday, a Sunday or a
//! public holiday moves to (the working day before, when its series asks for it).
//!
//! The eleven public holidays of metropolitan France (Code du travail, art. L3133-1):
//! eight on fixed dates and three that follow Easter. Alsace-Moselle's two more (Good
//! Friday, 26 December) are not counted.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Whether `date` is a public holiday in metropolitan France.
pub fn is_french_public_holiday(date: NaiveDate) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (1, 1) | (5, 1) | (5, 8) | (7, 14) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    );
    fixed
        || easter_sunday(date.year()).is_some_and(|easter| {
            // Easter Monday, Ascension Thursday, Whit Monday.
            [1, 39, 50]
                .iter()
                .any(|&after| easter.checked_add_days(Days::new(after)) == Some(date))
        })
}

/// Whether `date` is a working day: neither a weekend nor a public holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_french_public_holiday(date)
}

/// `date` itself when it is a working day, otherwise the closest working day before it.
pub fn working_day_on_or_before(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    // A week always holds working days; the bound only keeps the loop visibly finite.
    for _ in 0..7 {
        if is_working_day(day) {
            return day;
        }
        match day.pred_opt() {
            Some(before) => day = before,
            None => return day,
        }
    }
    day
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous computus of
/// Meeus/Jones/Butcher).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn easter_falls_on_the_published_dates() {
        for (year, month, d) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(year), Some(day(year, month, d)), "{year}");
        }
    }

    #[test]
    fn the_eleven_holidays_of_2027_are_known_and_ordinary_days_are_not() {
        let holidays = [
            day(2027, 1, 1),
            day(2027, 3, 29), // Easter Monday
            day(2027, 5, 1),
            day(2027, 5, 6), // Ascension
            day(2027, 5, 8),
            day(2027, 5, 17), // Whit Monday
            day(2027, 7, 14),
            day(2027, 8, 15),
            day(2027, 11, 1),
            day(2027, 11, 11),
            day(2027, 12, 25),
        ];
        for holiday in holidays {
            assert!(is_french_public_holiday(holiday), "{holiday}");
        }
        let counted = day(2027, 1, 1)
            .iter_days()
            .take_while(|d| d.year() == 2027)
            .filter(|d| is_french_public_holiday(*d))
            .count();
        assert_eq!(counted, holidays.len());
        assert!(!is_french_public_holiday(day(2027, 3, 26))); // Good Friday
    }

    #[test]
    fn a_day_off_moves_to_the_working_day_before() {
        // Saturday 31 July 2027 → Friday 30.
        assert_eq!(working_day_on_or_before(day(2027, 7, 31)), day(2027, 7, 30));
        // Monday 1 November 2027 (All Saints') → Friday 29 October.
        assert_eq!(
            working_day_on_or_before(day(2027, 11, 1)),
            day(2027, 10, 29)
        );
        // Monday 17 May 2027 (Whit Monday) → Friday 14.
        assert_eq!(working_day_on_or_before(day(2027, 5, 17)), day(2027, 5, 14));
        // A working day stays.
        assert_eq!(working_day_on_or_before(day(2027, 6, 30)), day(2027, 6, 30));
    }
}
