//! How each language writes dates, numbers and amounts: "30/06/2026" in both (British
//! English writes the day first too), "1 500,00 €" and "€1,500.00".

use chrono::{DateTime, Locale, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::Lang;

impl Lang {
    /// "30/06/2026".
    pub fn date(self, date: NaiveDate) -> String {
        date.format("%d/%m/%Y").to_string()
    }

    /// "vendredi 27 novembre 2026 à 09:00", "Friday 27 November 2026 at 09:00", in `zone`.
    pub fn date_time(self, at: DateTime<Utc>, zone: Tz) -> String {
        let (format, locale) = match self {
            Lang::Fr => ("%A %-d %B %Y à %H:%M", Locale::fr_FR),
            Lang::En => ("%A %-d %B %Y at %H:%M", Locale::en_GB),
        };
        at.with_timezone(&zone)
            .format_localized(format, locale)
            .to_string()
    }

    /// "mardi 30 juin 2026", "Tuesday 30 June 2026".
    pub fn long_date(self, date: NaiveDate) -> String {
        let locale = match self {
            Lang::Fr => Locale::fr_FR,
            Lang::En => Locale::en_GB,
        };
        date.format_localized("%A %-d %B %Y", locale).to_string()
    }

    /// "juin 2026", "June 2026".
    pub fn month(self, first_day: NaiveDate) -> String {
        let locale = match self {
            Lang::Fr => Locale::fr_FR,
            Lang::En => Locale::en_GB,
        };
        first_day.format_localized("%B %Y", locale).to_string()
    }

    /// A whole number grouped by thousands: "12 500" (narrow no-break spaces), "12,500".
    pub fn number(self, n: i64) -> String {
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{}", self.grouped(n.unsigned_abs()))
    }

    /// An amount in cents: "1 500,00 €", "€1,500.00"; another currency by its code.
    pub fn money(self, cents: i64, currency: &str) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let units = self.grouped((cents / 100).unsigned_abs());
        let fraction = (cents % 100).unsigned_abs();
        match (self, currency) {
            (Lang::Fr, "EUR") => format!("{sign}{units},{fraction:02}\u{a0}€"),
            (Lang::Fr, code) => format!("{sign}{units},{fraction:02}\u{a0}{code}"),
            (Lang::En, "EUR") => format!("{sign}€{units}.{fraction:02}"),
            (Lang::En, code) => format!("{sign}{code}\u{a0}{units}.{fraction:02}"),
        }
    }

    fn grouped(self, n: u64) -> String {
        let separator = match self {
            Lang::Fr => '\u{202f}',
            Lang::En => ',',
        };
        let digits = n.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(digit);
        }
        grouped
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use crate::Lang;

    #[test]
    fn amounts_and_numbers_are_written_the_way_each_language_writes_them() {
        assert_eq!(Lang::Fr.money(150_050, "EUR"), "1\u{202f}500,50\u{a0}€");
        assert_eq!(Lang::En.money(150_050, "EUR"), "€1,500.50");
        assert_eq!(Lang::En.money(-5, "EUR"), "-€0.05");
        assert_eq!(Lang::Fr.money(99, "CHF"), "0,99\u{a0}CHF");
        assert_eq!(
            Lang::En.money(1_234_567_800, "GBP"),
            "GBP\u{a0}12,345,678.00"
        );
        assert_eq!(Lang::Fr.number(12_500), "12\u{202f}500");
        assert_eq!(Lang::En.number(-1_000), "-1,000");
        assert_eq!(Lang::En.number(999), "999");
    }

    #[test]
    fn dates_are_written_in_the_readers_language_and_the_workspaces_zone() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).single();
        let at = at.unwrap_or_default();
        assert_eq!(
            Lang::Fr.date_time(at, chrono_tz::Europe::Paris),
            "vendredi 27 novembre 2026 à 09:00"
        );
        assert_eq!(
            Lang::En.date_time(at, chrono_tz::Europe::Paris),
            "Friday 27 November 2026 at 09:00"
        );
        let june = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
        assert_eq!(Lang::Fr.month(june), "juin 2026");
        assert_eq!(Lang::En.month(june), "June 2026");
        assert_eq!(Lang::En.date(june), "01/06/2026");
        assert_eq!(Lang::Fr.long_date(june), "lundi 1 juin 2026");
        assert_eq!(Lang::En.long_date(june), "Monday 1 June 2026");
    }
}
