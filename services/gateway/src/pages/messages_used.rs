//! Every message a page asks for is in both catalogues: the ids written in the
//! templates and in the gateway's code, looked up in French and in English.

use maillage_i18n::Lang;
use maillage_i18n::usage;

/// Families of ids code hands on as they are (a refused field's message, a banner's
/// summary), to be said where the page is written.
const HANDED_ON: [&str; 7] = [
    "refused-",
    "stale-",
    "project-partner-",
    "target-ring-",
    "target-angle-",
    "export-column-",
    "export-file-",
];

#[test]
fn every_message_a_page_asks_for_is_in_both_languages() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (asked, missing) = usage::missing_under(
        &[root.join("templates"), root.join("src")],
        &HANDED_ON,
        &["messages_used.rs"],
    )?;
    assert!(missing.is_empty(), "messages missing: {missing:#?}");
    assert!(
        asked > 50,
        "only {asked} messages found: is the scan still right?"
    );
    Ok(())
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
