//! What text people type may hold. Every text the services store passes through here:
//! PostgreSQL refuses the NUL character (a 500 if it got that far), and invisible or
//! direction-changing characters let a name look empty, or like another name.

/// Why a text is refused, in the words shown beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextDefect {
    /// U+0000, which PostgreSQL cannot store.
    Nul,
    /// Another control character (line breaks and tabs aside).
    Control,
    /// A bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069):
    /// it reorders how the text, and what follows it, is displayed.
    DirectionOverride,
}

impl TextDefect {
    /// The catalogues' message for it, for a service that words refusals in the
    /// reader's language.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Nul => "check-nul",
            Self::Control => "check-control",
            Self::DirectionOverride => "check-direction",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Nul => "ne doit pas contenir le caractère nul (U+0000)",
            Self::Control => "ne doit pas contenir de caractère de contrôle",
            Self::DirectionOverride => {
                "ne doit pas contenir de caractère qui inverse le sens d'affichage (U+202A–U+202E, U+2066–U+2069)"
            }
        }
    }
}

/// The first defect of `text`, if any. Line breaks and tabs are text.
pub fn defect(text: &str) -> Option<TextDefect> {
    text.chars().find_map(|c| match c {
        '\0' => Some(TextDefect::Nul),
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some(TextDefect::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(TextDefect::DirectionOverride),
        _ => None,
    })
}

/// `text` as two spellings of one name compare: lower case, without accents or
/// punctuation, words separated by one space ("Fondation de France" and "fondation
/// de  FRANCE", "Côte-d'Ivoire" and "cote d ivoire").
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let spelled = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            c if c.is_alphanumeric() => {
                folded.extend(c.to_lowercase());
                continue;
            }
            _ => " ",
        };
        if spelled != " " || !folded.is_empty() && !folded.ends_with(' ') {
            folded.push_str(spelled);
        }
    }
    folded.truncate(folded.trim_end().len());
    folded
}

/// Characters that take no room: spaces of every width, and the invisible format
/// characters (zero-width space and joiners, word joiner, byte-order mark, soft hyphen).
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

/// `text` without the blank characters around it: a name made only of invisible
/// characters is empty.
pub fn trim_blank(text: &str) -> &str {
    text.trim_matches(is_blank)
}

/// A cell written into a CSV file that a spreadsheet will show as text, never run: one
/// that begins with `=`, `+`, `-`, `@`, a tab or a carriage return goes after an
/// apostrophe (OWASP's advice on CSV injection).
pub fn inert_in_spreadsheets(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Whether a search can find anything in `query`: words are made of letters and digits.
pub fn has_a_word(query: &str) -> bool {
    query.chars().any(char::is_alphanumeric)
}

/// The characters [`defect`] refuses, as a regular-expression class body: the same
/// text in ECMA-262 (OpenAPI), Python and Rust's `regex`.
const DEFECTS: &str =
    r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069";

/// The characters [`trim_blank`] trims, as a class body.
const BLANKS: &str = r"\u0009-\u000D\u0020\u0085\u00A0\u00AD\u1680\u180E\u2000-\u200F\u2028\u2029\u202F\u205F-\u2064\u3000\uFEFF";

/// A web address as the services take it: blank, or `http://` or `https://` after any
/// blank characters, with no [`defect`].
pub fn web_address_pattern() -> String {
    // The blanks that are not themselves defects (control characters are).
    const LEADING: &str = r"\u0009\u000A\u000D\u0020\u00A0\u00AD\u1680\u180E\u2000-\u200F\u2028\u2029\u202F\u205F-\u2064\u3000\uFEFF";
    format!("^[{LEADING}]*(https?://[^{DEFECTS}]*)?$")
}

/// Text with no [`defect`]: what the API document says of every free text it takes.
pub fn pattern() -> String {
    format!("^[^{DEFECTS}]*$")
}

/// Text with no [`defect`] and something left once [`trim_blank`]ed: a required name.
pub fn non_blank_pattern() -> String {
    format!("^[^{DEFECTS}]*[^{DEFECTS}{BLANKS}][^{DEFECTS}]*$")
}

#[cfg(test)]
mod tests {
    use super::{
        TextDefect, defect, fold, non_blank_pattern, pattern, trim_blank, web_address_pattern,
    };

    #[test]
    fn two_spellings_of_one_name_fold_alike() {
        assert_eq!(fold("Fondation de  FRANCE"), "fondation de france");
        assert_eq!(fold("Côte-d'Ivoire"), "cote d ivoire");
        assert_eq!(fold(" Œuvre  des Élèves… "), "oeuvre des eleves");
        assert_eq!(fold("Ünïcödé Straße"), "unicode strasse");
        assert_eq!(fold("--"), "");
    }

    #[test]
    fn names_made_only_of_invisible_characters_are_empty() {
        for blank in [
            "",
            "   ",
            "\u{200B}",
            "\u{FEFF}\u{200B} \u{2060}",
            "\u{00A0}\u{3000}",
        ] {
            assert_eq!(trim_blank(blank), "", "{blank:?}");
        }
        assert_eq!(trim_blank("\u{FEFF} Zoé\u{200B} "), "Zoé");
        // Joiners inside a name are part of it (some scripts need them).
        assert_eq!(trim_blank("a\u{200D}b"), "a\u{200D}b");
    }

    #[test]
    fn nul_controls_and_direction_overrides_are_defects() {
        assert_eq!(defect("Dupont\0"), Some(TextDefect::Nul));
        assert_eq!(defect("a\u{7}b"), Some(TextDefect::Control));
        assert_eq!(defect("a\u{1b}[31m"), Some(TextDefect::Control));
        assert_eq!(
            defect("abc\u{202E}fdp.exe"),
            Some(TextDefect::DirectionOverride)
        );
        assert_eq!(defect("\u{2067}x"), Some(TextDefect::DirectionOverride));
        for fine in [
            "Zoé Écoffier",
            "ligne 1\nligne 2\ttab",
            "محمد",
            "李小龙",
            "Ⅻ 🚀",
        ] {
            assert_eq!(defect(fine), None, "{fine:?}");
        }
    }

    /// The patterns the API document publishes say exactly what `defect` and
    /// `trim_blank` decide, character by character over the Basic Multilingual Plane
    /// and a few beyond it.
    #[test]
    fn the_published_patterns_agree_with_the_checks() -> Result<(), regex::Error> {
        let text = regex::Regex::new(&pattern())?;
        let non_blank = regex::Regex::new(&non_blank_pattern())?;
        let planes = (0..=0xFFFF).chain([0x1_F680, 0xE_0001, 0x10_FFFF]);
        for c in planes.filter_map(char::from_u32) {
            let alone = c.to_string();
            let inside = format!("a{c}b");
            assert_eq!(text.is_match(&inside), defect(&inside).is_none(), "{c:?}");
            assert_eq!(
                non_blank.is_match(&alone),
                defect(&alone).is_none() && !trim_blank(&alone).is_empty(),
                "{c:?}"
            );
        }
        assert!(non_blank.is_match("  Zoé\u{200B} "));
        assert!(!non_blank.is_match(" \u{FEFF}\u{3000}"));
        Ok(())
    }

    #[test]
    fn the_web_address_pattern_takes_blank_or_http_addresses() -> Result<(), regex::Error> {
        let address = regex::Regex::new(&web_address_pattern())?;
        for taken in [
            "",
            "   ",
            "https://asso.fr",
            " \u{FEFF}http://x.fr/a b ",
            "https://",
        ] {
            assert!(address.is_match(taken), "{taken:?}");
        }
        for refused in [
            "asso.fr",
            "ftp://x",
            "https://a\u{7}",
            "\u{85}https://a",
            "javascript:x",
        ] {
            assert!(!address.is_match(refused), "{refused:?}");
        }
        Ok(())
    }
}
