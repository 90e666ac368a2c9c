//! Where the browser may be sent back to after logging in: a path of this site, and
//! nothing a browser could read as another site.

/// Longer than any page of ours; a longer `return_to` is someone's experiment.
const MAX_LENGTH: usize = 2048;

/// `raw` when it is a path on this site, otherwise `/`.
///
/// Browsers drop tabs and newlines inside URLs and read `\` as `/`, so `/\t/evil.example`
/// and `/\evil.example` both lead to evil.example: only visible ASCII is accepted, no
/// backslash, and the path must not start with two slashes. The result is then resolved
/// against a placeholder origin and must stay on it (belt and braces). A value accepted
/// here is always a valid `Location` header.
pub fn safe_return_path(raw: Option<&str>) -> String {
    raw.filter(|path| is_local_path(path))
        .map(str::to_owned)
        .unwrap_or_else(|| "/".into())
}

fn is_local_path(path: &str) -> bool {
    let visible_ascii = path
        .bytes()
        .all(|b| (0x21..=0x7e).contains(&b) && b != b'\\');
    let shape = path.starts_with('/') && !path.starts_with("//") && path.len() <= MAX_LENGTH;
    visible_ascii && shape && stays_on_this_site(path)
}

fn stays_on_this_site(path: &str) -> bool {
    let Ok(origin) = url::Url::parse("https://maillage.invalid/") else {
        return false;
    };
    origin
        .join(path)
        .is_ok_and(|resolved| resolved.origin() == origin.origin())
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn paths_of_this_site_are_kept() {
        for path in [
            "/",
            "/t/asso-demo/",
            "/t/asso-demo/people?tag=b%C3%A9n%C3%A9vole&after=abc",
            "/t/asso-demo/deadlines/01a22cae-8a42-7461-9c22-6b91b4d5eb09#reminders",
            "/%09/evil.example/x",
        ] {
            assert_eq!(safe_return_path(Some(path)), path, "{path:?}");
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_goes_home() {
        for path in [
            "//evil.example/x",
            "/\t/evil.example/x",
            "/\n/evil.example/x",
            "/\r\n/evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\\/evil.example",
            "https://evil.example/",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            " /t/asso-demo/",
            "/t/asso-demo/\u{0}",
            "/t/é",
            "/t/asso demo/",
            "",
        ] {
            assert_eq!(safe_return_path(Some(path)), "/", "{path:?}");
        }
        assert_eq!(safe_return_path(None), "/");
        assert_eq!(
            safe_return_path(Some(&format!("/{}", "a".repeat(3000)))),
            "/"
        );
    }
}
