//! serde's messages, which name Rust types in English ("invalid type: string \"x\",
//! expected i16"), said in the words of the people who read them beside a field.

/// A field error: where, and what is wrong, in French.
pub(crate) struct Wording {
    pub field: String,
    pub message: String,
}

/// `field` (a path such as `recurrence` or `emails[1].label`, empty for the whole body)
/// and serde's `message` about it.
pub(crate) fn in_french(field: &str, message: &str) -> Wording {
    let at = |name: &str| {
        if field.is_empty() || field == "." {
            name.to_owned()
        } else {
            format!("{field}.{name}")
        }
    };
    if let Some(name) = quoted_after(message, "missing field ") {
        return Wording {
            field: at(name),
            message: "est obligatoire".into(),
        };
    }
    // serde_path_to_error's path already ends with an unknown field's name.
    if quoted_after(message, "unknown field ").is_some() {
        let known = expected_names(message);
        let message = if known.is_empty() {
            "ce champ n'existe pas".to_owned()
        } else {
            format!(
                "ce champ n'existe pas ; champs possibles : {}",
                known.join(", ")
            )
        };
        return Wording {
            field: field.to_owned(),
            message,
        };
    }
    let message = if message.starts_with("unknown variant ") {
        format!("doit valoir {}", alternatives(&expected_names(message)))
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!(
            "doit être {} (reçu : {})",
            expected_kind(expected),
            got_kind(got)
        )
    } else if let Some(rest) = message.strip_prefix("invalid value: ") {
        let expected = rest.split_once(", expected ").map_or("", |(_, e)| e);
        format!("doit être {}", expected_kind(expected))
    } else if message.starts_with("invalid length ") {
        "n'a pas le nombre d'éléments attendu".to_owned()
    } else if message.starts_with("UUID parsing failed") || message.starts_with("invalid character")
    {
        "doit être un identifiant (UUID)".to_owned()
    } else if is_chrono(message) {
        "doit être une date (AAAA-MM-JJ) ou une date et heure (RFC 3339) valide".to_owned()
    } else if message.starts_with("duplicate field ") {
        "ce champ est donné deux fois".to_owned()
    } else {
        // A deserializer of ours, which speaks French already.
        message.to_owned()
    };
    Wording {
        field: field.to_owned(),
        message,
    }
}

/// The name between backquotes after `prefix`: `missing field `title`` → `title`.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message
        .strip_prefix(prefix)?
        .strip_prefix('`')?
        .split('`')
        .next()
}

/// The names serde lists after "expected": `expected one of `a`, `b``.
fn expected_names(message: &str) -> Vec<&str> {
    message
        .split_once("expected ")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default()
}

/// `a, b ou c`.
fn alternatives(names: &[&str]) -> String {
    match names {
        [] => "une des valeurs prévues".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} ou {last}", rest.join(", ")),
    }
}

fn expected_kind(expected: &str) -> &'static str {
    let expected = expected.trim();
    if [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
    ]
    .contains(&expected)
    {
        "un nombre entier dans les limites prévues"
    } else if expected.starts_with("f32") || expected.starts_with("f64") {
        "un nombre"
    } else if expected.contains("string") || expected == "a str" {
        "du texte"
    } else if expected.contains("bool") {
        "true ou false"
    } else if expected.contains("sequence") {
        "une liste"
    } else if expected.contains("map") || expected.starts_with("struct") {
        "un objet"
    } else if expected.contains("UUID") {
        "un identifiant (UUID)"
    } else if expected.contains("date") {
        "une date (AAAA-MM-JJ) ou une date et heure (RFC 3339)"
    } else {
        "d'un autre type"
    }
}

fn got_kind(got: &str) -> &'static str {
    match got.split([' ', '`']).next().unwrap_or_default() {
        "string" => "du texte",
        "integer" => "un nombre entier",
        "floating" => "un nombre à virgule",
        "boolean" => "un booléen",
        "null" => "null",
        "sequence" => "une liste",
        "map" => "un objet",
        _ => "une autre valeur",
    }
}

/// chrono's parse errors, which carry no type name.
fn is_chrono(message: &str) -> bool {
    [
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "input is out of range",
        "input is not enough for unique date and time",
        "no possible date and time matching input",
        "bad or unsupported format string",
    ]
    .contains(&message)
}

#[cfg(test)]
mod tests {
    use super::in_french;

    fn said(field: &str, message: &str) -> (String, String) {
        let wording = in_french(field, message);
        (wording.field, wording.message)
    }

    #[test]
    fn serde_messages_are_said_in_french_beside_the_right_field() {
        assert_eq!(
            said("", "missing field `frequency`"),
            ("frequency".into(), "est obligatoire".into())
        );
        assert_eq!(
            said("recurrence", "missing field `frequency`"),
            ("recurrence.frequency".into(), "est obligatoire".into())
        );
        assert_eq!(
            said("nom", "unknown field `nom`, expected `name` or `kind`"),
            (
                "nom".into(),
                "ce champ n'existe pas ; champs possibles : name, kind".into()
            )
        );
        assert_eq!(
            said(
                "scope",
                "unknown variant `all`, expected `this` or `following`"
            )
            .1,
            "doit valoir this ou following"
        );
        assert_eq!(
            said("impact_score", "invalid type: string \"5\", expected i16").1,
            "doit être un nombre entier dans les limites prévues (reçu : du texte)"
        );
        assert_eq!(
            said("tags", "invalid type: map, expected a sequence").1,
            "doit être une liste (reçu : un objet)"
        );
        assert_eq!(
            said(
                "impact_score",
                "invalid value: integer `70000`, expected i16"
            )
            .1,
            "doit être un nombre entier dans les limites prévues"
        );
        assert_eq!(
            said("due_at", "input contains invalid characters").1,
            "doit être une date (AAAA-MM-JJ) ou une date et heure (RFC 3339) valide"
        );
        assert_eq!(
            said("send_at", "une heure au format HH:MM est attendue").1,
            "une heure au format HH:MM est attendue"
        );
        for english in [
            "invalid type: null, expected a string",
            "UUID parsing failed: invalid length",
            "duplicate field `name`",
        ] {
            let (_, message) = said("x", english);
            assert!(
                message != english && !message.contains("expected"),
                "{english} → {message}"
            );
        }
    }
}
