//! The copy of everything the workspace holds about one person (subject access): their
//! record, its history and every record tied to them, read in the one transaction of the
//! request so that the copy is of one moment.

use chrono::Utc;
use maillage_domain::contact::{Address, EmailEntry, PhoneEntry};
use maillage_domain::kinds::{ActivityKind, EngagementKind};
use maillage_domain::privacy::{
    HeldActivity, HeldAffiliation, HeldChange, HeldEngagement, HeldImport, HeldPerson, HeldValue,
    PersonalData, SentEmail,
};
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use uuid::Uuid;

use super::consent;
use crate::Error;

pub(super) async fn gather(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
) -> Result<PersonalData, Error> {
    let person = person(conn, tenant_id, person_id).await?;
    let workspace = sqlx::query_scalar!("select name from tenants where id = $1", tenant_id)
        .fetch_one(&mut *conn)
        .await?;
    let consent_history = consent::history(conn, tenant_id, person_id).await?.changes;
    let tags = sqlx::query_scalar!(
        r#"select t.name from person_tags pt join tags t on t.tenant_id = pt.tenant_id and t.id = pt.tag_id
           where pt.tenant_id = $1 and pt.person_id = $2 order by t.name"#,
        tenant_id,
        person_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let organisations = sqlx::query_as!(
        HeldAffiliation,
        r#"select o.name as organisation, a.role, a.starts_on, a.ends_on, a.notes
           from affiliations a join organisations o on o.tenant_id = a.tenant_id and o.id = a.organisation_id
           where a.tenant_id = $1 and a.person_id = $2
           order by a.starts_on nulls first, o.name"#,
        tenant_id,
        person_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let activities = activities(conn, tenant_id, person_id).await?;
    let engagements = engagements(conn, tenant_id, person_id).await?;
    let emails_sent = emails_sent(conn, tenant_id, &person.emails).await?;
    let imports = sqlx::query_as!(
        HeldImport,
        r#"select i.file_name, coalesce(i.finished_at, i.created_at) as "imported_at!",
                  (it.before is null) as "created!"
           from import_items it join imports i on i.tenant_id = it.tenant_id and i.id = it.import_id
           where it.tenant_id = $1 and it.record_type = 'person' and it.record_id = $2
           order by i.created_at"#,
        tenant_id,
        person_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let audit = sqlx::query_as!(
        HeldChange,
        r#"select a.at, a.action, coalesce(u.display_name, '') as "by!", a.before, a.after
           from audit_log a left join users u on u.id = a.actor_user_id
           where a.tenant_id = $1 and a.record_type = 'person' and a.record_id = $2
           order by a.at, a.id"#,
        tenant_id,
        person_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(PersonalData {
        produced_at: Utc::now(),
        workspace,
        person,
        consent_history,
        tags,
        organisations,
        activities,
        engagements,
        emails_sent,
        imports,
        audit,
    })
}

async fn person(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
) -> Result<HeldPerson, Error> {
    let row = sqlx::query!(
        r#"select id, given_name, family_name, emails as "emails: JsonColumn<Vec<EmailEntry>>",
                  phones as "phones: JsonColumn<Vec<PhoneEntry>>",
                  address as "address: JsonColumn<Address>", email_consent, consent_basis, consent_on,
                  consent_source, notes, custom, created_at, updated_at, deleted_at
           from people where tenant_id = $1 and id = $2"#,
        tenant_id,
        person_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let fields = sqlx::query!(
        r#"select key, label from custom_fields
           where tenant_id = $1 and record_type = 'person' order by created_at, key"#,
        tenant_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let custom = fields
        .into_iter()
        .filter_map(|field| {
            let value = written_out(row.custom.get(&field.key)?)?;
            Some(HeldValue {
                label: field.label,
                value,
            })
        })
        .collect();
    Ok(HeldPerson {
        id: row.id,
        given_name: row.given_name,
        family_name: row.family_name,
        emails: row.emails.0,
        phones: row.phones.0,
        address: row.address.map(|a| a.0),
        email_consent: row.email_consent,
        consent_basis: row.consent_basis,
        consent_on: row.consent_on,
        consent_source: row.consent_source,
        notes: row.notes,
        custom,
        created_at: row.created_at,
        updated_at: row.updated_at,
        deleted_at: row.deleted_at,
    })
}

/// A custom value as a person reads it; none for an empty one.
fn written_out(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(true) => Some("Oui".into()),
        Value::Bool(false) => Some("Non".into()),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter_map(written_out).collect();
            (!items.is_empty()).then(|| items.join(", "))
        }
        other => Some(other.to_string()),
    }
}

async fn activities(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<HeldActivity>, Error> {
    let rows = sqlx::query!(
        r#"select a.kind, a.occurred_at, a.subject, a.body
           from activities a
           where a.tenant_id = $1
             and exists (select 1 from activity_links l
                         where l.tenant_id = a.tenant_id and l.activity_id = a.id and l.person_id = $2)
           order by a.occurred_at, a.id"#,
        tenant_id,
        person_id,
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(HeldActivity {
                kind: row.kind.parse::<ActivityKind>().map_err(stored_value)?,
                occurred_at: row.occurred_at,
                subject: row.subject,
                body: row.body,
            })
        })
        .collect()
}

async fn engagements(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<HeldEngagement>, Error> {
    let rows = sqlx::query!(
        r#"select e.kind, e.occurred_on, e.amount_cents, e.currency, e.minutes, e.campaign, e.notes,
                  p.name as "project?"
           from engagements e
           left join projects p on p.tenant_id = e.tenant_id and p.id = e.project_id
           where e.tenant_id = $1 and e.person_id = $2
           order by e.occurred_on, e.id"#,
        tenant_id,
        person_id,
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(HeldEngagement {
                kind: row.kind.parse::<EngagementKind>().map_err(stored_value)?,
                occurred_on: row.occurred_on,
                amount_cents: row.amount_cents,
                currency: row.currency,
                minutes: row.minutes,
                campaign: row.campaign,
                project: row.project,
                notes: row.notes,
            })
        })
        .collect()
}

/// The reminders the workspace sent to a member whose address is one of the person's.
async fn emails_sent(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    emails: &[EmailEntry],
) -> Result<Vec<SentEmail>, Error> {
    let addresses: Vec<String> = emails.iter().map(|e| e.address.to_lowercase()).collect();
    if addresses.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as!(
        SentEmail,
        r#"select u.email as "to", r.subject, r.sent_at, r.status
           from reminders r
           join users u on u.id = r.recipient_user_id
           where r.tenant_id = $1 and lower(u.email) = any($2)
           order by coalesce(r.sent_at, r.fire_at), r.id"#,
        tenant_id,
        &addresses,
    )
    .fetch_all(conn)
    .await?)
}

/// A kind the database holds that the code does not know: the schema's checks and the
/// closed lists have drifted apart, a fault of the service, not of the request.
fn stored_value(error: maillage_domain::ParseError) -> Error {
    Error::Database(sqlx::Error::Decode(Box::new(error)))
}
