//! What a batch of rows would do: each row's person, organisation, link and tags found
//! among the records (or among those the file created before it) or to be created. The
//! dry run counts the plan; the run writes it (see `write`). Both go through here, so
//! the dry run's counts are the run's.

use std::collections::{HashMap, HashSet};

use maillage_domain::import::{DuplicateDecision, ImportCounts};
use maillage_import::{ImportedRow, OrganisationPart, PersonPart};
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use super::history::{self, HistoryKeys, NewActivity, NewEngagement};
use crate::Error;
use crate::records::contact::{Address, PhoneEntry};

/// What the file has led to so far, by the keys rows are matched with: records it
/// created (or, in a dry run, would have), and links already made.
#[derive(Default)]
pub(super) struct Memory {
    people_by_email: HashMap<String, Uuid>,
    /// A person without an email, by their name and their organisation's (folded).
    people_by_name: HashMap<(String, String), Uuid>,
    organisations: HashMap<String, Uuid>,
    tags: HashMap<String, Uuid>,
    affiliations: HashSet<(Uuid, Uuid)>,
    person_tags: HashSet<(Uuid, Uuid)>,
    organisation_tags: HashSet<(Uuid, Uuid)>,
    /// People of the records the file already completed, or matched with nothing to add.
    seen_people: HashSet<Uuid>,
    /// The history the file made (or, in a dry run, would have).
    history: HistoryKeys,
}

/// How the rows whose person looks like someone already there are taken.
pub(super) struct Decisions {
    pub(super) default: DuplicateDecision,
    pub(super) by_line: HashMap<i64, DuplicateDecision>,
}

impl Decisions {
    fn of(&self, line: i64) -> DuplicateDecision {
        self.by_line.get(&line).copied().unwrap_or(self.default)
    }
}

pub(super) struct NewPerson {
    pub(super) id: Uuid,
    pub(super) part: PersonPart,
}

/// What a row adds to a person of the records: only what they lack.
pub(super) struct Completion {
    pub(super) id: Uuid,
    pub(super) email: Option<String>,
    pub(super) phones: Option<Vec<PhoneEntry>>,
    pub(super) address: Option<Address>,
    pub(super) consent: Option<(bool, Option<chrono::NaiveDate>)>,
    pub(super) notes: Option<String>,
}

pub(super) struct FoundDuplicate {
    pub(super) line: i64,
    pub(super) row_name: String,
    pub(super) person_id: Uuid,
    pub(super) person_name: String,
}

#[derive(Default)]
pub(super) struct Plan {
    pub(super) counts: ImportCounts,
    pub(super) duplicates: Vec<FoundDuplicate>,
    pub(super) new_people: Vec<NewPerson>,
    pub(super) completions: Vec<Completion>,
    pub(super) new_organisations: Vec<(Uuid, OrganisationPart)>,
    pub(super) new_tags: Vec<(Uuid, String)>,
    /// (id, person, organisation, role).
    pub(super) new_affiliations: Vec<(Uuid, Uuid, Uuid, String)>,
    pub(super) person_tags: Vec<(Uuid, Uuid)>,
    pub(super) organisation_tags: Vec<(Uuid, Uuid)>,
    pub(super) new_activities: Vec<NewActivity>,
    pub(super) new_engagements: Vec<NewEngagement>,
}

/// A person of the records a row may be.
struct Known {
    id: Uuid,
    name: String,
    email: Option<String>,
    phones: Vec<PhoneEntry>,
    has_address: bool,
    email_consent: bool,
    has_notes: bool,
    /// Their organisations' names, folded.
    organisations: Vec<String>,
}

/// Plans `rows` (line, row), reading the records through `conn`.
pub(super) async fn plan(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    rows: &[(i64, ImportedRow)],
    memory: &mut Memory,
    decisions: &Decisions,
) -> Result<Plan, Error> {
    let lookups = Lookups::read(conn, tenant_id, rows).await?;
    let known: Vec<Uuid> = lookups
        .known_people
        .iter()
        .chain(lookups.organisations.values())
        .copied()
        .collect();
    let held = HistoryKeys::held(conn, tenant_id, rows, &known).await?;
    let mut plan = Plan::default();
    for (index, (line, row)) in rows.iter().enumerate() {
        let keys = &lookups.keys[index];
        let person = match &row.person {
            None => None,
            Some(part) => {
                match person_of(&lookups, memory, decisions, &mut plan, *line, part, keys) {
                    Some(id) => Some(id),
                    // Skipped as a duplicate: the whole row is left out.
                    None => {
                        plan.counts.skipped += 1;
                        continue;
                    }
                }
            }
        };
        let organisation = row
            .organisation
            .as_ref()
            .map(|part| organisation_of(&lookups, memory, &mut plan, part, &keys.organisation));
        if let (Some(person), Some(organisation)) = (person, organisation)
            && !lookups.affiliations.contains(&(person, organisation))
            && memory.affiliations.insert((person, organisation))
        {
            plan.new_affiliations
                .push((Uuid::now_v7(), person, organisation, row.role.clone()));
            plan.counts.affiliations_created += 1;
        }
        for tag in &row.tags {
            let tag_id = tag_of(&lookups, memory, &mut plan, tag);
            match (person, organisation) {
                (Some(person), _) => {
                    if !lookups.person_tags.contains(&(person, tag_id))
                        && memory.person_tags.insert((person, tag_id))
                    {
                        plan.person_tags.push((person, tag_id));
                        plan.counts.tags_attached += 1;
                    }
                }
                (None, Some(organisation)) => {
                    if !lookups.organisation_tags.contains(&(organisation, tag_id))
                        && memory.organisation_tags.insert((organisation, tag_id))
                    {
                        plan.organisation_tags.push((organisation, tag_id));
                        plan.counts.tags_attached += 1;
                    }
                }
                (None, None) => {}
            }
        }
        let owners = (person, organisation);
        if let Some(part) = &row.activity {
            match history::activity_of(&held, &mut memory.history, part, owners) {
                Some(new) => {
                    plan.new_activities.push(new);
                    plan.counts.activities_created += 1;
                }
                None => plan.counts.activities_matched += 1,
            }
        }
        if let Some(part) = &row.engagement {
            match history::engagement_of(&held, &mut memory.history, part, owners) {
                Some(new) => {
                    plan.new_engagements.push(new);
                    plan.counts.engagements_created += 1;
                }
                None => plan.counts.engagements_matched += 1,
            }
        }
    }
    Ok(plan)
}

/// The row's person: one of the records, one the file created, or a new one; `None`
/// when the row is skipped as a duplicate.
fn person_of(
    lookups: &Lookups,
    memory: &mut Memory,
    decisions: &Decisions,
    plan: &mut Plan,
    line: i64,
    part: &PersonPart,
    keys: &RowKeys,
) -> Option<Uuid> {
    let name_key = (keys.person.clone(), keys.organisation.clone());
    if let Some(email) = &part.email {
        if let Some(id) = memory.people_by_email.get(email) {
            plan.counts.people_matched += 1;
            return Some(*id);
        }
        if let Some(known) = lookups.people_by_email.get(email) {
            complete(memory, plan, known, part);
            return Some(known.id);
        }
    } else if let Some(id) = memory.people_by_name.get(&name_key) {
        plan.counts.people_matched += 1;
        return Some(*id);
    }
    let likely = lookups
        .people_by_name
        .get(&keys.person)
        .and_then(|candidates| {
            candidates.iter().find(|known| {
                let emails_differ =
                    matches!((&part.email, &known.email), (Some(a), Some(b)) if a != b);
                let organisations_differ = !keys.organisation.is_empty()
                    && !known.organisations.is_empty()
                    && !known.organisations.contains(&keys.organisation);
                !emails_differ && !organisations_differ
            })
        });
    if let Some(known) = likely {
        plan.counts.likely_duplicates += 1;
        plan.duplicates.push(FoundDuplicate {
            line,
            row_name: format!("{} {}", part.given_name, part.family_name)
                .trim()
                .to_owned(),
            person_id: known.id,
            person_name: known.name.clone(),
        });
        match decisions.of(line) {
            DuplicateDecision::Skip => return None,
            DuplicateDecision::Match => {
                complete(memory, plan, known, part);
                return Some(known.id);
            }
            DuplicateDecision::Create => {}
        }
    }
    let id = Uuid::now_v7();
    match &part.email {
        Some(email) => memory.people_by_email.insert(email.clone(), id),
        None => memory.people_by_name.insert(name_key, id),
    };
    plan.new_people.push(NewPerson {
        id,
        part: part.clone(),
    });
    plan.counts.people_created += 1;
    Some(id)
}

/// Adds to a person of the records what the row knows and they lack.
fn complete(memory: &mut Memory, plan: &mut Plan, known: &Known, part: &PersonPart) {
    if !memory.seen_people.insert(known.id) {
        plan.counts.people_matched += 1;
        return;
    }
    let mut phones = known.phones.clone();
    for (number, label) in [(&part.phone, ""), (&part.mobile, "mobile")] {
        if let Some(number) = number
            && !phones.iter().any(|p| &p.number == number)
        {
            phones.push(PhoneEntry {
                number: number.clone(),
                label: label.into(),
                primary: phones.is_empty(),
            });
        }
    }
    let completion = Completion {
        id: known.id,
        email: part.email.clone().filter(|_| known.email.is_none()),
        phones: (phones.len() > known.phones.len() && phones.len() <= 10).then_some(phones),
        address: part.address.clone().filter(|_| !known.has_address),
        consent: (part.email_consent == Some(true) && !known.email_consent)
            .then_some((true, part.consent_on)),
        notes: Some(part.notes.clone()).filter(|n| !n.is_empty() && !known.has_notes),
    };
    let adds = completion.email.is_some()
        || completion.phones.is_some()
        || completion.address.is_some()
        || completion.consent.is_some()
        || completion.notes.is_some();
    if adds {
        plan.completions.push(completion);
        plan.counts.people_updated += 1;
    } else {
        plan.counts.people_matched += 1;
    }
}

fn organisation_of(
    lookups: &Lookups,
    memory: &mut Memory,
    plan: &mut Plan,
    part: &OrganisationPart,
    key: &str,
) -> Uuid {
    if let Some(id) = memory.organisations.get(key) {
        plan.counts.organisations_matched += 1;
        return *id;
    }
    if let Some(id) = lookups.organisations.get(key) {
        // Known from now on, counted once per row all the same.
        memory.organisations.insert(key.to_owned(), *id);
        plan.counts.organisations_matched += 1;
        return *id;
    }
    let id = Uuid::now_v7();
    memory.organisations.insert(key.to_owned(), id);
    plan.new_organisations.push((id, part.clone()));
    plan.counts.organisations_created += 1;
    id
}

fn tag_of(lookups: &Lookups, memory: &mut Memory, plan: &mut Plan, name: &str) -> Uuid {
    let key = name.to_lowercase();
    if let Some(id) = memory.tags.get(&key).or_else(|| lookups.tags.get(&key)) {
        return *id;
    }
    let id = Uuid::now_v7();
    memory.tags.insert(key, id);
    plan.new_tags.push((id, name.to_owned()));
    plan.counts.tags_created += 1;
    id
}

/// A row's names folded as the database folds them (accents and case aside).
#[derive(Default)]
struct RowKeys {
    person: String,
    organisation: String,
}

/// Everything the batch's rows may be matched with, read in a few queries.
struct Lookups {
    keys: Vec<RowKeys>,
    people_by_email: HashMap<String, Known>,
    people_by_name: HashMap<String, Vec<Known>>,
    /// The ids of those people, by either key.
    known_people: Vec<Uuid>,
    organisations: HashMap<String, Uuid>,
    tags: HashMap<String, Uuid>,
    affiliations: HashSet<(Uuid, Uuid)>,
    person_tags: HashSet<(Uuid, Uuid)>,
    organisation_tags: HashSet<(Uuid, Uuid)>,
}

impl Lookups {
    async fn read(
        conn: &mut PgConnection,
        tenant_id: Uuid,
        rows: &[(i64, ImportedRow)],
    ) -> Result<Self, Error> {
        let person_names: Vec<String> = rows
            .iter()
            .map(|(_, r)| {
                r.person
                    .as_ref()
                    .map(|p| format!("{} {}", p.given_name, p.family_name))
                    .unwrap_or_default()
            })
            .collect();
        let organisation_names: Vec<String> = rows
            .iter()
            .map(|(_, r)| {
                r.organisation
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_default()
            })
            .collect();
        let folded = sqlx::query!(
            r#"select maillage_search_text(p) as "person!", maillage_search_text(o) as "organisation!"
               from unnest($1::text[], $2::text[]) with ordinality as t(p, o, n)
               order by n"#,
            &person_names,
            &organisation_names,
        )
        .fetch_all(&mut *conn)
        .await?;
        let keys: Vec<RowKeys> = folded
            .into_iter()
            .map(|r| RowKeys {
                person: r.person,
                organisation: r.organisation,
            })
            .collect();
        let emails: Vec<String> = rows
            .iter()
            .filter_map(|(_, r)| r.person.as_ref()?.email.clone())
            .collect();
        let name_keys: Vec<String> = rows
            .iter()
            .zip(&keys)
            .filter(|((_, r), _)| r.person.is_some())
            .map(|(_, k)| k.person.clone())
            .collect();
        let organisation_keys: Vec<String> = keys
            .iter()
            .map(|k| k.organisation.clone())
            .filter(|k| !k.is_empty())
            .collect();
        let tag_keys: Vec<String> = rows
            .iter()
            .flat_map(|(_, r)| r.tags.iter().map(|t| t.to_lowercase()))
            .collect();

        // Two lookups joined, each through its own index (an `or` would read the table).
        let people = sqlx::query!(
            r#"with found as (
                   select id from people
                   where tenant_id = $1 and deleted_at is null and email_key = any($2)
                   union
                   select id from people
                   where tenant_id = $1 and deleted_at is null and name_key = any($3))
               select p.id, p.given_name, p.family_name, p.email_key as email,
                      p.phones as "phones: JsonColumn<Vec<PhoneEntry>>",
                      p.address is not null as "has_address!", p.email_consent, p.notes <> '' as "has_notes!",
                      p.name_key as "name_key!",
                      array(select o.name_key
                            from affiliations a
                            join organisations o on o.tenant_id = a.tenant_id and o.id = a.organisation_id
                            where a.tenant_id = p.tenant_id and a.person_id = p.id and o.deleted_at is null
                           ) as "organisations!: Vec<String>"
               from people p join found on found.id = p.id
               where p.tenant_id = $1
               order by p.id"#,
            tenant_id,
            &emails,
            &name_keys,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut people_by_email = HashMap::new();
        let mut people_by_name: HashMap<String, Vec<Known>> = HashMap::new();
        let wanted_emails: HashSet<&String> = emails.iter().collect();
        let wanted_names: HashSet<&String> = name_keys.iter().collect();
        for p in people {
            let known = || Known {
                id: p.id,
                name: format!("{} {}", p.given_name, p.family_name)
                    .trim()
                    .to_owned(),
                email: p.email.clone(),
                phones: p.phones.0.clone(),
                has_address: p.has_address,
                email_consent: p.email_consent,
                has_notes: p.has_notes,
                organisations: p.organisations.clone(),
            };
            if let Some(email) = &p.email
                && wanted_emails.contains(email)
            {
                people_by_email.entry(email.clone()).or_insert_with(known);
            }
            if wanted_names.contains(&p.name_key) {
                people_by_name
                    .entry(p.name_key.clone())
                    .or_default()
                    .push(known());
            }
        }
        let organisations: HashMap<String, Uuid> = sqlx::query!(
            r#"select id, name_key as "key!" from organisations
               where tenant_id = $1 and deleted_at is null and name_key = any($2)
               order by created_at desc, id desc"#,
            tenant_id,
            &organisation_keys,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        // The oldest of namesakes last, so that it is the one kept.
        .map(|r| (r.key, r.id))
        .collect();
        let tags = sqlx::query!(
            r#"select id, lower(name) as "key!" from tags where tenant_id = $1 and lower(name) = any($2)"#,
            tenant_id,
            &tag_keys,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.key, r.id))
        .collect();
        let known_people: Vec<Uuid> = people_by_email
            .values()
            .chain(people_by_name.values().flatten())
            .map(|k| k.id)
            .collect();
        let affiliations = sqlx::query!(
            r#"select person_id, organisation_id from affiliations
               where tenant_id = $1 and person_id = any($2)"#,
            tenant_id,
            &known_people,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.person_id, r.organisation_id))
        .collect();
        let person_tags = sqlx::query!(
            "select person_id, tag_id from person_tags where tenant_id = $1 and person_id = any($2)",
            tenant_id,
            &known_people,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.person_id, r.tag_id))
        .collect();
        let known_organisations: Vec<Uuid> = organisations.values().copied().collect();
        let organisation_tags = sqlx::query!(
            r#"select organisation_id, tag_id from organisation_tags
               where tenant_id = $1 and organisation_id = any($2)"#,
            tenant_id,
            &known_organisations,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.organisation_id, r.tag_id))
        .collect();
        Ok(Self {
            keys,
            people_by_email,
            people_by_name,
            known_people,
            organisations,
            tags,
            affiliations,
            person_tags,
            organisation_tags,
        })
    }
}
