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

#[cfg(test)]
mod tests {
    use super::{TextDefect, defect, trim_blank};

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
}
