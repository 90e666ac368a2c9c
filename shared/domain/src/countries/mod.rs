//! The countries of an address (ISO 3166-1): stored and sent as their two-letter code,
//! chosen and shown by their name, typed by name or code in an import or the API.

mod list;

use crate::text::fold;

/// One country: its code and its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2, as stored: "FR".
    pub code: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
}

/// Where an association's contacts mostly live: offered first in a form.
pub const COMMON: &[&str] = &["FR", "BE", "CH", "LU", "CA", "DE", "ES", "IT", "GB"];

/// Every country, in the order of ISO 3166-1 codes.
pub fn all() -> &'static [Country] {
    list::LIST
}

/// Every country in the order of the names `name` gives it, accents and case aside
/// (Émirats after Égypte): `by_name(|c| c.fr)`.
pub fn by_name(name: impl Fn(&Country) -> &'static str) -> Vec<Country> {
    let mut countries = list::LIST.to_vec();
    countries.sort_by_cached_key(|c| fold(name(c)));
    countries
}

pub fn by_code(code: &str) -> Option<Country> {
    list::LIST.iter().copied().find(|c| c.code == code)
}

/// The country `typed` names: its code in either case ("fr"), or its French or English
/// name, accents, case and punctuation aside ("cote d ivoire", "Royaume Uni").
pub fn find(typed: &str) -> Option<Country> {
    let typed = typed.trim();
    if typed.len() == 2
        && let Some(country) = by_code(&typed.to_ascii_uppercase())
    {
        return Some(country);
    }
    let folded = fold(typed);
    if folded.is_empty() {
        return None;
    }
    FOLDED_NAMES
        .iter()
        .find(|(fr, en, _)| *fr == folded || *en == folded)
        .map(|(_, _, country)| *country)
}

/// Each country's French and English names folded, once: an import reads a country on
/// every row.
static FOLDED_NAMES: std::sync::LazyLock<Vec<(String, String, Country)>> =
    std::sync::LazyLock::new(|| {
        list::LIST
            .iter()
            .map(|c| (fold(c.fr), fold(c.en), *c))
            .collect()
    });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_found_by_its_code_or_either_name() {
        for typed in ["FR", "fr", "France", " france "] {
            assert_eq!(find(typed).map(|c| c.code), Some("FR"), "{typed}");
        }
        assert_eq!(find("Royaume Uni").map(|c| c.code), Some("GB"));
        assert_eq!(find("United Kingdom").map(|c| c.code), Some("GB"));
        assert_eq!(find("cote d'ivoire").map(|c| c.code), Some("CI"));
        assert_eq!(find("ÉTATS-UNIS").map(|c| c.code), Some("US"));
        for unknown in ["", "XX", "Francia del Sur", "F"] {
            assert_eq!(find(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn the_list_holds_every_code_once_and_sorts_by_either_name() {
        let mut codes: Vec<&str> = all().iter().map(|c| c.code).collect();
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count);
        assert!(count >= 249, "{count}");
        let sorted = by_name(|c| c.fr);
        let position = |code| sorted.iter().position(|c| c.code == code);
        // Égypte sorts among the E, not after Z.
        assert!(position("EG") < position("ES"), "{:?}", position("EG"));
        // Germany is Allemagne in French, among the A; in English, among the G.
        let in_english = by_name(|c| c.en);
        let english_position = |code| in_english.iter().position(|c| c.code == code);
        assert!(position("DE") < position("BE"));
        assert!(english_position("DE") > english_position("BE"));
        assert!(COMMON.iter().all(|code| by_code(code).is_some()));
    }
}
