//! The words of the pages in French and English, and how each language writes dates,
//! numbers and amounts.
//!
//! The words live in Fluent catalogues (`locales/{fr,en}/*.ftl`), compiled into the
//! binary: a page asks for a message by its id, with its arguments, in the reader's
//! language. French is the product's first language; both catalogues must hold the
//! same messages with the same arguments (the tests below fail otherwise).

mod catalogue;
mod format;
pub mod usage;

use std::fmt;

pub use fluent_bundle::FluentValue;

/// A language the pages speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The code stored for a user and written in `<html lang>`: "fr", "en".
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language's own name, as a chooser shows it: "Français", "English".
    pub fn name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    /// The language of a tag such as "fr", "en-GB" or "en_US" (a workspace's locale, an
    /// OpenID provider's `locale` claim); `None` for a language the pages do not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first language of a browser's `Accept-Language` that the pages speak, by the
    /// weights it gives ("de, en;q=0.8, fr;q=0.5" → English).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(u16, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::from_tag(pieces.next()?)?;
                let weight =
                    pieces
                        .find_map(|p| p.trim().strip_prefix("q="))
                        .map_or(Some(1000), |q| {
                            q.trim()
                                .parse::<f32>()
                                .ok()
                                .filter(|q| (0.0..=1.0).contains(q))
                                // Whole thousandths: the weights' own precision.
                                .map(|q| (q * 1000.0).round() as u16)
                        })?;
                (weight > 0).then_some((weight, lang))
            })
            .collect();
        // Stable: of equal weights, the one named first.
        ranked.sort_by_key(|&(weight, _)| std::cmp::Reverse(weight));
        ranked.first().map(|(_, lang)| *lang)
    }

    /// The message `id`, with no argument.
    pub fn t(self, id: &str) -> String {
        catalogue::message(self, id, &[])
    }

    /// Whether the catalogue of this language has the message `id`.
    pub fn has(self, id: &str) -> bool {
        catalogue::has(self, id)
    }

    /// The message `id` with its arguments: `lang.t_with("people-count", &[("count", 3.into())])`.
    pub fn t_with(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        catalogue::message(self, id, args)
    }

    /// The message `id` with one argument: `lang.t1("home-partners", "count", 3)`
    /// (the shape templates can write).
    pub fn t1<'a>(self, id: &str, name: &str, value: impl Into<FluentValue<'a>>) -> String {
        self.t_with(id, &[(name, value.into())])
    }

    /// The message `id` with two arguments.
    pub fn t2<'a, 'b>(
        self,
        id: &str,
        first: &str,
        first_value: impl Into<FluentValue<'a>>,
        second: &str,
        second_value: impl Into<FluentValue<'b>>,
    ) -> String {
        self.t_with(
            id,
            &[(first, first_value.into()), (second, second_value.into())],
        )
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn tags_and_browsers_choose_a_language_the_pages_speak() {
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr_FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("EN"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de-DE"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(
            Lang::from_accept_language("de-DE, en;q=0.8, fr;q=0.5"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.2, fr;q=0.9"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("en;q=0, de"), None);
        assert_eq!(Lang::from_accept_language("en;q=abc"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
