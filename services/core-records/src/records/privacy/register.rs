//! The register of processing activities (`/v1/processing-register`): what the
//! workspace does with personal data, drawn from what it holds today rather than typed
//! once and forgotten: how many people, which of their data are filled in, on which
//! legal basis, who reads them, how long they are kept, the requests answered.

use chrono::Utc;
use maillage_domain::kinds::ConsentBasis;
use maillage_domain::privacy::{Processing, ProcessingRegister};
use maillage_i18n::Lang;
use sqlx::PgConnection;
use uuid::Uuid;

use super::retention;
use crate::Error;
use crate::language::reader;

pub(super) async fn draw(
    conn: &mut PgConnection,
    tenant_id: Uuid,
) -> Result<ProcessingRegister, Error> {
    let workspace = sqlx::query_scalar!("select name from tenants where id = $1", tenant_id)
        .fetch_one(&mut *conn)
        .await?;
    let answerable = sqlx::query_scalar!(
        r#"select concat(u.display_name, ' <', u.email, '>') as "who!"
           from memberships m join users u on u.id = m.user_id
           where m.tenant_id = $1 and m.role in ('owner', 'admin')
           order by m.role desc, u.display_name"#,
        tenant_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    // Drawn in the words of the member who asks for it.
    let lang = reader();
    let members = members(conn, tenant_id, lang).await?;
    let retention = match retention::rule(conn, tenant_id).await?.inactive_years {
        Some(years) => lang.t1("register-retention-years", "years", years),
        None => lang.t("register-retention-none"),
    };
    let requests = sqlx::query!(
        r#"select count(*) filter (where action = 'access') as "copies!",
                  count(*) filter (where action = 'erase' and request_id <> 'retention') as "erasures!",
                  count(*) filter (where action = 'erase' and request_id = 'retention') as "by_retention!"
           from audit_log where tenant_id = $1 and record_type = 'person' and action in ('access', 'erase')"#,
        tenant_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let activities = vec![
        contacts(conn, tenant_id, lang, &members, &retention).await?,
        engagements(conn, tenant_id, lang, &members, &retention).await?,
        reminders(lang, &members),
        imports(conn, tenant_id, lang).await?,
    ];
    Ok(ProcessingRegister {
        produced_at: Utc::now(),
        workspace,
        answerable,
        activities,
        security: SECURITY.iter().map(|id| lang.t(id)).collect(),
        copies_given: requests.copies,
        erasures: requests.erasures,
        erasures_by_retention: requests.by_retention,
    })
}

/// What Maillage does for every workspace (message ids).
const SECURITY: [&str; 6] = [
    "register-security-isolation",
    "register-security-sign-in",
    "register-security-journal",
    "register-security-secrets",
    "register-security-files",
    "register-security-erasure",
];

/// "12 membres (1 propriétaire, 2 administrateurs, 6 éditeurs, 3 lecteurs)".
async fn members(conn: &mut PgConnection, tenant_id: Uuid, lang: Lang) -> Result<String, Error> {
    let row = sqlx::query!(
        r#"select count(*) as "all!",
                  count(*) filter (where role = 'owner') as "owners!",
                  count(*) filter (where role = 'admin') as "admins!",
                  count(*) filter (where role = 'editor') as "editors!",
                  count(*) filter (where role = 'viewer') as "viewers!"
           from memberships where tenant_id = $1"#,
        tenant_id,
    )
    .fetch_one(conn)
    .await?;
    Ok(lang.t_with(
        "register-members",
        &[
            ("all", row.all.into()),
            ("owners", row.owners.into()),
            ("admins", row.admins.into()),
            ("editors", row.editors.into()),
            ("viewers", row.viewers.into()),
        ],
    ))
}

async fn contacts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    lang: Lang,
    members: &str,
    retention: &str,
) -> Result<Processing, Error> {
    let held = sqlx::query!(
        r#"select count(*) as "people!",
                  count(*) filter (where email is not null) as "emails!",
                  count(*) filter (where phone is not null) as "phones!",
                  count(*) filter (where address is not null) as "addresses!",
                  count(*) filter (where notes <> '') as "notes!",
                  (select count(*) from organisations o where o.tenant_id = $1 and o.deleted_at is null) as "organisations!"
           from people where tenant_id = $1 and deleted_at is null"#,
        tenant_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let bases = sqlx::query!(
        r#"select consent_basis, count(*) as "count!" from people
           where tenant_id = $1 and deleted_at is null
           group by consent_basis order by 2 desc, 1"#,
        tenant_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let fields = sqlx::query_scalar!(
        r#"select label from custom_fields where tenant_id = $1 and record_type = 'person'
           order by created_at, key"#,
        tenant_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut data = vec![
        lang.t("register-data-name"),
        lang.t1("register-data-emails", "count", held.emails),
        lang.t1("register-data-phones", "count", held.phones),
        lang.t1("register-data-addresses", "count", held.addresses),
        lang.t("register-data-consent"),
        lang.t("register-data-links"),
        lang.t1("register-data-notes", "count", held.notes),
    ];
    if !fields.is_empty() {
        data.push(lang.t1("register-data-custom", "fields", fields.join(", ")));
    }
    let legal_bases = bases
        .into_iter()
        .map(|b| {
            let basis = match b.consent_basis.as_deref().map(str::parse::<ConsentBasis>) {
                None => lang.t("register-basis-unknown"),
                Some(Ok(basis)) => lang.t(basis.message_id()),
                Some(Err(_)) => b.consent_basis.clone().unwrap_or_default(),
            };
            lang.t2("register-basis-count", "basis", basis, "count", b.count)
        })
        .collect();
    Ok(Processing {
        name: lang.t("register-contacts-name"),
        purpose: lang.t("register-contacts-purpose"),
        subjects: lang.t2(
            "register-contacts-subjects",
            "people",
            held.people,
            "organisations",
            held.organisations,
        ),
        data,
        legal_bases,
        recipients: members.to_owned(),
        retention: retention.to_owned(),
    })
}

async fn engagements(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    lang: Lang,
    members: &str,
    retention: &str,
) -> Result<Processing, Error> {
    let held = sqlx::query!(
        r#"select count(distinct person_id) as "people!", count(*) as "engagements!"
           from engagements where tenant_id = $1 and person_id is not null"#,
        tenant_id,
    )
    .fetch_one(conn)
    .await?;
    Ok(Processing {
        name: lang.t("register-engagements-name"),
        purpose: lang.t("register-engagements-purpose"),
        subjects: lang.t2(
            "register-engagements-subjects",
            "people",
            held.people,
            "engagements",
            held.engagements,
        ),
        data: vec![
            lang.t("register-engagements-data"),
            lang.t("register-engagements-notes"),
        ],
        legal_bases: vec![lang.t("register-engagements-basis")],
        recipients: members.to_owned(),
        retention: retention.to_owned(),
    })
}

fn reminders(lang: Lang, members: &str) -> Processing {
    Processing {
        name: lang.t("register-reminders-name"),
        purpose: lang.t("register-reminders-purpose"),
        subjects: members.to_owned(),
        data: vec![
            lang.t("register-reminders-data-member"),
            lang.t("register-reminders-data-preferences"),
        ],
        legal_bases: vec![lang.t("register-reminders-basis")],
        recipients: lang.t("register-reminders-recipients"),
        retention: lang.t("register-reminders-retention"),
    }
}

async fn imports(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    lang: Lang,
) -> Result<Processing, Error> {
    let held = sqlx::query!(
        r#"select count(*) as "all!",
                  count(*) filter (where status in ('checking', 'checked', 'queued', 'running')) as "waiting!"
           from imports where tenant_id = $1"#,
        tenant_id,
    )
    .fetch_one(conn)
    .await?;
    Ok(Processing {
        name: lang.t("register-imports-name"),
        purpose: lang.t("register-imports-purpose"),
        subjects: lang.t2(
            "register-imports-subjects",
            "all",
            held.all,
            "waiting",
            held.waiting,
        ),
        data: vec![lang.t("register-imports-data")],
        legal_bases: vec![lang.t("register-imports-basis")],
        recipients: lang.t("register-imports-recipients"),
        retention: lang.t("register-imports-retention"),
    })
}
