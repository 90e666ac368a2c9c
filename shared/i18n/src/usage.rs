//! Which messages a crate asks for, found in its sources, so that a test can check each
//! is in both catalogues: a typo or a message added to one language only then fails
//! before a reader sees an id in place of words.

use std::path::{Path, PathBuf};

use crate::Lang;

/// The calls whose first argument is a message id: a template's `t("…")`, code's
/// `t1("…", …)`, `t2(…)`, `t_with(…)`, and core-records' `said("…")`.
const CALLS: [&str; 5] = ["t(\"", "t1(\"", "t2(\"", "t_with(\"", "said(\""];

/// The message ids named in `source`: the string literal after each call, and each
/// literal that starts with one of `handed_on` (ids code passes on as they are, to be
/// said where the page is written: `"refused-`).
pub fn ids_in(source: &str, handed_on: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for family in handed_on {
        let quoted = format!("\"{family}");
        for (start, _) in source.match_indices(&quoted) {
            let id = &source[start + 1..];
            if let Some(end) = id.find('"') {
                ids.push(id[..end].to_owned());
            }
        }
    }
    for call in CALLS {
        let mut rest = source;
        while let Some(start) = rest.find(call) {
            let preceded_by_word = rest[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[start + call.len()..];
            if preceded_by_word {
                continue;
            }
            if let Some(end) = rest.find('"') {
                ids.push(rest[..end].to_owned());
            }
        }
    }
    ids
}

/// What the files under `roots` ask for: how many ids, and those missing in a language
/// ("path: id (en)"). Files named in `skip` (a test's own, which names calls in its own
/// words) are not read.
pub fn missing_under(
    roots: &[PathBuf],
    handed_on: &[&str],
    skip: &[&str],
) -> std::io::Result<(usize, Vec<String>)> {
    let mut files = Vec::new();
    for root in roots {
        files_under(root, &mut files)?;
    }
    let mut asked = 0;
    let mut missing = Vec::new();
    for file in files {
        if skip.iter().any(|name| file.ends_with(name)) {
            continue;
        }
        let source = std::fs::read_to_string(&file)?;
        for id in ids_in(&source, handed_on) {
            asked += 1;
            for lang in Lang::ALL {
                if !lang.has(&id) {
                    missing.push(format!("{}: {id} ({lang})", file.display()));
                }
            }
        }
    }
    Ok((asked, missing))
}

fn files_under(dir: &Path, into: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files_under(&path, into)?;
        } else {
            into.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ids_in;

    #[test]
    fn the_scan_finds_the_ids_of_each_kind_of_call() {
        let source = r#"{{ layout.t("nav-home") }} {{ layout.t1("home-for-me", "count", n) }}
            lang.t_with("error-field", &[]) self.t2("a-b", "x", 1, "y", 2) format("x")
            FormErrors::field("q", "refused-search") &said("check-required") unsaid("x")"#;
        assert_eq!(
            ids_in(source, &["refused-"]),
            [
                "refused-search",
                "nav-home",
                "home-for-me",
                "a-b",
                "error-field",
                "check-required"
            ]
        );
    }
}
