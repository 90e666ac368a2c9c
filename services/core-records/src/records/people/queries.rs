//! Reading people.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use super::model::{OrganisationName, Person};
use crate::Error;
use crate::pagination::{ChangedAfter, ListSort, PageQuery};
use crate::records::contact::{Address, EmailEntry, PhoneEntry};
use crate::records::the_one;

/// One record of the tenant, from the bin when `in_bin`, otherwise from the live ones.
pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    in_bin: bool,
) -> Result<Person, Error> {
    the_one(fetch_many(conn, tenant_id, &[id], in_bin).await?)
}

/// These people, in the order of `ids`, live or in the bin.
pub(super) async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    in_bin: bool,
) -> Result<Vec<Person>, Error> {
    Ok(sqlx::query_as!(
        Person,
        r#"select id, given_name, family_name, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                  phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                  email_consent, consent_basis, consent_on, consent_source,
                  notes, version, created_at, updated_at, deleted_at,
                  maillage_current_organisations(people.tenant_id, people.id) as "current_organisations!: JsonColumn<Vec<OrganisationName>>"
           from people where tenant_id = $1 and id = any($2) and (deleted_at is not null) = $3
           order by array_position($2, id)"#,
        tenant_id,
        ids,
        in_bin,
    )
    .fetch_all(conn)
    .await?)
}

/// Which people a list holds.
pub(super) struct PeopleFilter<'a> {
    /// The bin rather than the live records.
    pub in_bin: bool,
    /// Those carrying this tag (by name, any case).
    pub tag: Option<&'a str>,
    /// Those changed at or after this instant.
    pub changed_since: Option<DateTime<Utc>>,
}

/// A page of people in the order asked for, from where `page` says, as `filter` keeps
/// them; `limit` and one more, to tell whether a page follows.
pub(super) async fn page_of(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    sort: ListSort,
    page: &PageQuery,
    limit: i64,
    filter: PeopleFilter<'_>,
) -> Result<Vec<Person>, Error> {
    // One statement per order: the page's ids through that order's index, then their
    // rows by primary key. As two statements (the ids, then the rows), a page cost one
    // more round trip: a fifth of a list's time under load (`make bench`, 8 clients).
    Ok(match sort {
        ListSort::Name => {
            let (family, given, id): (String, String, Uuid) = page.after()?.unwrap_or_default();
            sqlx::query_as!(
                Person,
                r#"select id, given_name, family_name, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                          phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                          email_consent, consent_basis, consent_on, consent_source,
                          notes, version, created_at, updated_at, deleted_at,
                          maillage_current_organisations(people.tenant_id, people.id) as "current_organisations!: JsonColumn<Vec<OrganisationName>>"
                   from people
                   where tenant_id = $1 and (deleted_at is not null) = $6
                     and id = any(array(
                         select id from people
                         where tenant_id = $1 and (family_name, given_name, id) > ($2, $3, $4)
                           and (deleted_at is not null) = $6
                           and ($7::text is null or exists (select 1 from person_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                             where l.tenant_id = people.tenant_id and l.person_id = people.id
                                                               and lower(t.name) = lower($7)))
                           and ($8::timestamptz is null or updated_at >= $8)
                         order by family_name, given_name, id
                         limit $5))
                   order by family_name, given_name, id"#,
                tenant_id,
                family,
                given,
                id,
                limit + 1,
                filter.in_bin,
                filter.tag,
                filter.changed_since,
            )
            .fetch_all(conn)
            .await?
        }
        ListSort::RecentlyUpdated => {
            let after: Option<ChangedAfter> = page.after()?;
            sqlx::query_as!(
                Person,
                r#"select id, given_name, family_name, email, phone, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                          phones as "phones: JsonColumn<Vec<PhoneEntry>>", address as "address: JsonColumn<Address>", custom,
                          email_consent, consent_basis, consent_on, consent_source,
                          notes, version, created_at, updated_at, deleted_at,
                          maillage_current_organisations(people.tenant_id, people.id) as "current_organisations!: JsonColumn<Vec<OrganisationName>>"
                   from people
                   where tenant_id = $1 and (deleted_at is not null) = $5
                     and id = any(array(
                         select id from people
                         where tenant_id = $1 and ($2::timestamptz is null or (updated_at, id) < ($2, $3))
                           and (deleted_at is not null) = $5
                           and ($6::text is null or exists (select 1 from person_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                                                             where l.tenant_id = people.tenant_id and l.person_id = people.id
                                                               and lower(t.name) = lower($6)))
                           and ($7::timestamptz is null or updated_at >= $7)
                         order by updated_at desc, id desc
                         limit $4))
                   order by updated_at desc, id desc"#,
                tenant_id,
                after.map(|a| a.updated_at),
                after.map(|a| a.id),
                limit + 1,
                filter.in_bin,
                filter.tag,
                filter.changed_since,
            )
            .fetch_all(conn)
            .await?
        }
    })
}
