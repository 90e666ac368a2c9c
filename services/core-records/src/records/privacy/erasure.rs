//! A person erased everywhere (RGPD, article 17): their record and what hangs from it,
//! their words in the search index, their lines in imports' reports, their name, address
//! or number where members wrote it in other records, and the content of the audit
//! entries that held them, the entries themselves kept. Done in the caller's transaction:
//! committed, it is final; rolled back, it was a preview whose counts are exact.

use maillage_domain::contact::{EmailEntry, PhoneEntry};
use maillage_domain::privacy::Erasure;
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use crate::Error;
use crate::records::search::vocabulary;

pub(super) async fn erase(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
) -> Result<Erasure, Error> {
    let person = sqlx::query!(
        r#"select given_name, family_name, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                  phones as "phones: JsonColumn<Vec<PhoneEntry>>"
           from people where tenant_id = $1 and id = $2 for update"#,
        tenant_id,
        person_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let traces = Traces::of(
        &person.given_name,
        &person.family_name,
        &person.emails.0,
        &person.phones.0,
    );
    let mut erased = what_goes_with(conn, tenant_id, person_id).await?;
    // The index's words of the person and of the activities about them (read
    // before they go) leave the vocabulary too once no record has them: the
    // typo-tolerant search would otherwise still suggest them.
    let words = sqlx::query_scalar!(
        r#"select distinct t.term as "term!" from search_terms t
           where t.tenant_id = $1
             and (t.record_id = $2
                  or t.record_id in (select l.activity_id from activity_links l
                                     where l.tenant_id = $1 and l.person_id = $2))"#,
        tenant_id,
        person_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    erased.activities_removed = sqlx::query!(
        r#"delete from activities a
           where a.tenant_id = $1
             and exists (select 1 from activity_links l
                         where l.tenant_id = a.tenant_id and l.activity_id = a.id and l.person_id = $2)
             and not exists (select 1 from activity_links l
                             where l.tenant_id = a.tenant_id and l.activity_id = a.id
                               and l.person_id is distinct from $2)"#,
        tenant_id,
        person_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
    .try_into()
    .unwrap_or(i64::MAX);
    erased.activities_unlinked = sqlx::query_scalar!(
        r#"select count(*) as "count!" from activity_links where tenant_id = $1 and person_id = $2"#,
        tenant_id,
        person_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    erased.import_traces = import_traces(conn, tenant_id, person_id, &traces).await?;
    sqlx::query!(
        "delete from people where tenant_id = $1 and id = $2",
        tenant_id,
        person_id
    )
    .execute(&mut *conn)
    .await?;
    if let Some(pattern) = traces.pattern() {
        erased.mentions_replaced =
            sqlx::query_scalar!(r#"select replace_person_mentions($1) as "count!""#, pattern)
                .fetch_one(&mut *conn)
                .await?;
    }
    // Once the mentions are gone too: a note searched (an activity's) held her name.
    vocabulary::forget_unused(conn, tenant_id, &words).await?;
    erased.audit_entries_blanked = sqlx::query_scalar!(
        r#"select forget_people_in_audit_log($1, $2) as "count!""#,
        &[person_id],
        traces.pattern(),
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(erased)
}

/// What is removed with the person's record (the database cascades it).
async fn what_goes_with(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
) -> Result<Erasure, Error> {
    let row = sqlx::query!(
        r#"select
             (select count(*) from person_tags where tenant_id = $1 and person_id = $2) as "tags!",
             (select count(*) from affiliations where tenant_id = $1 and person_id = $2) as "affiliations!",
             (select count(*) from engagements where tenant_id = $1 and person_id = $2) as "engagements!",
             (select count(*) from consent_changes where tenant_id = $1 and person_id = $2) as "consent_changes!""#,
        tenant_id,
        person_id,
    )
    .fetch_one(conn)
    .await?;
    Ok(Erasure {
        tags: row.tags,
        affiliations: row.affiliations,
        engagements: row.engagements,
        consent_changes: row.consent_changes,
        ..Erasure::default()
    })
}

/// The imports' own records of the person: what undoing would restore, the dry run's
/// likely duplicates, the refused lines kept for rejected.csv.
async fn import_traces(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
    traces: &Traces,
) -> Result<i64, Error> {
    // The first values of each column, kept to recognise them when mapping: the person's
    // given name is one, which no pattern of a full name finds.
    sqlx::query!(
        r#"update imports i set examples = '[]'
           where i.tenant_id = $1
             and (exists (select 1 from import_items it
                          where it.tenant_id = i.tenant_id and it.import_id = i.id and it.record_id = $2)
                  or exists (select 1 from import_duplicates d
                             where d.tenant_id = i.tenant_id and d.import_id = i.id and d.person_id = $2))"#,
        tenant_id,
        person_id,
    )
    .execute(&mut *conn)
    .await?;
    let items = sqlx::query!(
        "delete from import_items where tenant_id = $1 and record_id = $2",
        tenant_id,
        person_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let duplicates = sqlx::query!(
        "delete from import_duplicates where tenant_id = $1 and person_id = $2",
        tenant_id,
        person_id,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let problems = match traces.pattern() {
        Some(pattern) => sqlx::query!(
            r#"delete from import_problems
               where tenant_id = $1 and array_to_string(cells, ' ') ~* $2"#,
            tenant_id,
            pattern,
        )
        .execute(&mut *conn)
        .await?
        .rows_affected(),
        None => 0,
    };
    Ok((items + duplicates + problems)
        .try_into()
        .unwrap_or(i64::MAX))
}

/// How a person may have been written down, as one regular expression (PostgreSQL's,
/// matched whatever the case): their full name either way round, any spaces between its
/// words; each of their addresses; each of their numbers however it is spaced or dotted,
/// and a French one in its national form too. A family name alone is not one: « Martin »
/// would take every other Martin's mentions with it.
struct Traces(Vec<String>);

impl Traces {
    fn of(given: &str, family: &str, emails: &[EmailEntry], phones: &[PhoneEntry]) -> Self {
        let mut alternatives = Vec::new();
        let (given, family) = (given.trim(), family.trim());
        if !given.is_empty() && !family.is_empty() {
            alternatives.push(words(&format!("{given} {family}")));
            alternatives.push(words(&format!("{family} {given}")));
        }
        alternatives.extend(
            emails
                .iter()
                .map(|e| e.address.trim())
                .filter(|a| a.contains('@'))
                .map(literal),
        );
        alternatives.extend(phones.iter().filter_map(|p| number(&p.number)));
        alternatives.sort();
        alternatives.dedup();
        Self(alternatives)
    }

    fn pattern(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| format!("({})", self.0.join("|")))
    }
}

/// Each character that is not a letter or a digit taken literally.
fn literal(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

/// Words, whatever the spaces between them.
fn words(text: &str) -> String {
    text.split_whitespace()
        .map(literal)
        .collect::<Vec<_>>()
        .join("\\s+")
}

/// A phone number's digits with any spaces, dots or dashes between them; +33 also as 0.
/// None for fewer than six digits, too short to be anyone's.
fn number(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return None;
    }
    let spaced = |digits: &str| {
        digits
            .chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join("[\\s.-]*")
    };
    Some(match digits.strip_prefix("33") {
        Some(national) if typed.trim_start().starts_with('+') => {
            format!("(\\+33|0033|0)[\\s.-]*{}", spaced(national))
        }
        _ => spaced(&digits),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(address: &str) -> EmailEntry {
        EmailEntry {
            address: address.into(),
            ..EmailEntry::default()
        }
    }

    fn phone(number: &str) -> PhoneEntry {
        PhoneEntry {
            number: number.into(),
            ..PhoneEntry::default()
        }
    }

    #[test]
    fn a_person_is_traced_by_full_name_addresses_and_numbers() {
        let traces = Traces::of(
            " Zoé ",
            "Le Gall",
            &[
                email("zoe.legall+asso@exemple.fr"),
                email("pas-une-adresse"),
            ],
            &[phone("+33612345678"), phone("15")],
        );
        assert_eq!(
            traces.pattern().as_deref(),
            Some(
                "((\\+33|0033|0)[\\s.-]*6[\\s.-]*1[\\s.-]*2[\\s.-]*3[\\s.-]*4[\\s.-]*5[\\s.-]*6[\\s.-]*7[\\s.-]*8\
                 |Le\\s+Gall\\s+Zoé|Zoé\\s+Le\\s+Gall|zoe\\.legall\\+asso\\@exemple\\.fr)"
            )
        );
    }

    #[test]
    fn a_family_name_alone_is_no_trace() {
        assert!(Traces::of("", "Martin", &[], &[]).pattern().is_none());
    }
}
