//! Every message a page asks for is in both catalogues: the ids written in the
//! templates and in the gateway's code (`t("…")`, `t1("…", …)`, `t2(…)`, `t_with(…)`),
//! looked up in French and in English. A typo or a message added to one language only
//! fails here, before a reader sees an id in place of words.

use std::path::Path;

use maillage_i18n::Lang;

/// Families of ids code hands on as they are (a refused field's message, a banner's
/// summary), to be said where the page is written.
const HANDED_ON: [&str; 5] = [
    "\"refused-",
    "\"stale-",
    "\"project-partner-",
    "\"target-ring-",
    "\"target-angle-",
];

/// The message ids named in `source`: the string literal after each call, and each
/// literal of a family handed on.
fn ids_in(source: &str) -> Vec<String> {
    const CALLS: [&str; 4] = ["t(\"", "t1(\"", "t2(\"", "t_with(\""];
    let mut ids = Vec::new();
    for family in HANDED_ON {
        for (start, _) in source.match_indices(family) {
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

fn files_under(dir: &Path, into: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
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

#[test]
fn every_message_a_page_asks_for_is_in_both_languages() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("templates"), &mut files)?;
    files_under(&root.join("src"), &mut files)?;
    let mut asked = 0;
    let mut missing = Vec::new();
    for file in files {
        // This file names calls in its own words, not messages.
        if file.ends_with("messages_used.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file)?;
        for id in ids_in(&source) {
            asked += 1;
            for lang in Lang::ALL {
                if !lang.has(&id) {
                    missing.push(format!("{}: {id} ({lang})", file.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "messages missing: {missing:#?}");
    assert!(
        asked > 50,
        "only {asked} messages found: is the scan still right?"
    );
    Ok(())
}

#[test]
fn the_scan_finds_the_ids_of_each_kind_of_call() {
    let source = r#"{{ layout.t("nav-home") }} {{ layout.t1("home-for-me", "count", n) }}
        lang.t_with("error-field", &[]) self.t2("a-b", "x", 1, "y", 2) format("x")
        FormErrors::field("q", "refused-search")"#;
    assert_eq!(
        ids_in(source),
        [
            "refused-search",
            "nav-home",
            "home-for-me",
            "a-b",
            "error-field"
        ]
    );
}

/// Every value of every closed list has its name in both languages, the French one the
/// domain's own.
#[test]
fn every_value_records_choose_from_is_named_in_both_languages() {
    use maillage_domain::kinds::{
        ActivityKind, ConsentBasis, EngagementKind, OrganisationKind, PartnershipKind,
        PartnershipStatus, ProjectStatus, TenantKind,
    };
    fn named<K: Copy>(all: &[K], id: fn(K) -> &'static str, label: fn(K) -> &'static str) {
        for value in all.iter().copied() {
            assert_eq!(Lang::Fr.t(id(value)), label(value), "{}", id(value));
            assert!(Lang::En.has(id(value)), "{} has no English", id(value));
        }
    }
    named(TenantKind::ALL, TenantKind::message_id, TenantKind::label);
    named(
        OrganisationKind::ALL,
        OrganisationKind::message_id,
        OrganisationKind::label,
    );
    named(
        PartnershipKind::ALL,
        PartnershipKind::message_id,
        PartnershipKind::label,
    );
    named(
        PartnershipStatus::ALL,
        PartnershipStatus::message_id,
        PartnershipStatus::label,
    );
    named(
        ProjectStatus::ALL,
        ProjectStatus::message_id,
        ProjectStatus::label,
    );
    named(
        ActivityKind::ALL,
        ActivityKind::message_id,
        ActivityKind::label,
    );
    named(
        EngagementKind::ALL,
        EngagementKind::message_id,
        EngagementKind::label,
    );
    named(
        ConsentBasis::ALL,
        ConsentBasis::message_id,
        ConsentBasis::label,
    );
}

/// Every record form's labels and headings, given as the catalogues' ids, are in both.
#[test]
fn every_forms_labels_and_headings_are_in_both_languages() {
    use super::editing::{EntryPages, FormPages, RecordForm};
    fn form<F: RecordForm>(also: &[&'static str]) -> Vec<&'static str> {
        F::labels()
            .into_iter()
            .map(|(_, id)| id)
            .chain(also.iter().copied())
            .collect()
    }
    let ids = [
        form::<super::people::PersonForm>(&[<super::people::PersonForm as FormPages>::ADDING]),
        form::<super::organisations::OrganisationForm>(&[
            <super::organisations::OrganisationForm as FormPages>::ADDING,
        ]),
        form::<super::projects::ProjectForm>(&[
            <super::projects::ProjectForm as FormPages>::ADDING,
        ]),
        form::<super::partnerships::form::PartnershipForm>(&[
            <super::partnerships::form::PartnershipForm as FormPages>::ADDING,
        ]),
        form::<super::deadlines::DeadlineForm>(&[
            <super::deadlines::DeadlineForm as FormPages>::ADDING,
        ]),
        form::<super::activities::ActivityForm>(&[
            <super::activities::ActivityForm as EntryPages>::CORRECTING,
        ]),
        form::<super::engagements::EngagementForm>(&[
            <super::engagements::EngagementForm as EntryPages>::CORRECTING,
        ]),
    ]
    .concat();
    assert!(
        ids.len() > 40,
        "only {} ids: are the forms' labels still ids?",
        ids.len()
    );
    for id in ids {
        for lang in Lang::ALL {
            assert!(lang.has(id), "{id} ({lang})");
        }
    }
}
