//! The register of processing activities (`/v1/processing-register`): what the
//! workspace does with personal data, drawn from what it holds today rather than typed
//! once and forgotten: how many people, which of their data are filled in, on which
//! legal basis, who reads them, how long they are kept, the requests answered.

use chrono::Utc;
use maillage_domain::privacy::{Processing, ProcessingRegister, basis_label};
use sqlx::PgConnection;
use uuid::Uuid;

use super::retention;
use crate::Error;

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
    let members = members(conn, tenant_id).await?;
    let retention = match retention::rule(conn, tenant_id).await?.inactive_years {
        Some(years) => {
            format!("{years} ans sans aucune activité, puis effacement (règle de l'espace)")
        }
        None => "Aucune durée fixée : à définir dans Paramètres → Durée de conservation".into(),
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
        contacts(conn, tenant_id, &members, &retention).await?,
        engagements(conn, tenant_id, &members, &retention).await?,
        reminders(&members),
        imports(conn, tenant_id).await?,
    ];
    Ok(ProcessingRegister {
        produced_at: Utc::now(),
        workspace,
        answerable,
        activities,
        security: SECURITY.iter().map(|s| (*s).to_owned()).collect(),
        copies_given: requests.copies,
        erasures: requests.erasures,
        erasures_by_retention: requests.by_retention,
    })
}

/// What Maillage does for every workspace.
const SECURITY: [&str; 6] = [
    "Chaque espace est cloisonné dans la base de données (sécurité au niveau des lignes) : aucun autre espace n'y a accès.",
    "Connexion des membres par OpenID Connect ; chaque membre a un rôle (lecteur, éditeur, administrateur, propriétaire).",
    "Chaque création, modification, copie remise et effacement est noté au journal des modifications, avec son auteur et sa date.",
    "Les secrets (fournisseur d'identité de l'espace) sont chiffrés ; aucun n'apparaît dans les journaux du service.",
    "Les fichiers importés ne sont gardés que le temps de l'import.",
    "L'effacement d'une personne la retire de toutes les tables, index de recherche et traces d'import compris.",
];

/// "12 membres (1 propriétaire, 2 administrateurs, 6 éditeurs, 3 lecteurs)".
async fn members(conn: &mut PgConnection, tenant_id: Uuid) -> Result<String, Error> {
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
    Ok(format!(
        "Les {} membres de l'espace ({} propriétaire(s), {} administrateur(s), {} éditeur(s), {} lecteur(s))",
        row.all, row.owners, row.admins, row.editors, row.viewers
    ))
}

async fn contacts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
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
        "Nom et prénom".to_owned(),
        format!("Adresses e-mail ({} personne(s))", held.emails),
        format!("Numéros de téléphone ({} personne(s))", held.phones),
        format!("Adresses postales ({} personne(s))", held.addresses),
        "Consentement à recevoir des e-mails, sa base légale, sa date et sa source, avec leur historique".into(),
        "Liens avec les organisations (fonction, dates), étiquettes, activités (réunions, appels, tâches)".into(),
        format!("Notes libres ({} personne(s))", held.notes),
    ];
    if !fields.is_empty() {
        data.push(format!("Champs propres à l'espace : {}", fields.join(", ")));
    }
    let legal_bases = bases
        .into_iter()
        .map(|b| {
            let label = match b.consent_basis.as_deref() {
                None => "Base légale non renseignée",
                basis => basis_label(basis),
            };
            format!("{label} : {} personne(s)", b.count)
        })
        .collect();
    Ok(Processing {
        name: "Gestion des contacts et du réseau partenarial".into(),
        purpose: "Connaître les personnes et les organisations avec qui l'espace travaille, les joindre, suivre ce qui est fait avec elles.".into(),
        subjects: format!(
            "{} personne(s) (adhérents, bénévoles, partenaires, usagers…) et les contacts de {} organisation(s)",
            held.people, held.organisations
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
        name: "Suivi des engagements : dons, cotisations, bénévolat".into(),
        purpose: "Tenir ce que chacun a donné, payé ou offert de son temps, pour le remercier, en rendre compte aux financeurs et établir les reçus.".into(),
        subjects: format!("{} personne(s), {} engagement(s)", held.people, held.engagements),
        data: vec![
            "Nature, date, montant ou durée, campagne, projet soutenu".into(),
            "Notes libres".into(),
        ],
        legal_bases: vec!["Celle de chaque personne (voir la gestion des contacts) ; obligation légale pour les reçus fiscaux".into()],
        recipients: members.to_owned(),
        retention: retention.to_owned(),
    })
}

fn reminders(members: &str) -> Processing {
    Processing {
        name: "Rappels des échéances aux membres".into(),
        purpose: "Prévenir les membres des rapports à rendre aux financeurs et des tâches qui leur reviennent.".into(),
        subjects: members.to_owned(),
        data: vec![
            "Nom et adresse e-mail du membre".into(),
            "Ses préférences de rappel, les rappels envoyés et leur date".into(),
        ],
        legal_bases: vec!["Intérêt légitime : le fonctionnement de l'espace".into()],
        recipients: "Le membre lui-même ; le service d'envoi d'e-mails de la plateforme (sous-traitant)".into(),
        retention: "Le temps de l'appartenance à l'espace".into(),
    }
}

async fn imports(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Processing, Error> {
    let held = sqlx::query!(
        r#"select count(*) as "all!",
                  count(*) filter (where status in ('checking', 'checked', 'queued', 'running')) as "waiting!"
           from imports where tenant_id = $1"#,
        tenant_id,
    )
    .fetch_one(conn)
    .await?;
    Ok(Processing {
        name: "Reprise de données (imports de fichiers)".into(),
        purpose: "Faire entrer dans l'espace les fichiers et anciens outils de la structure."
            .into(),
        subjects: format!(
            "Les personnes des fichiers importés ({} import(s), dont {} en cours)",
            held.all, held.waiting
        ),
        data: vec![
            "Le contenu des fichiers envoyés, et les lignes refusées avec leur raison".into(),
        ],
        legal_bases: vec!["Celle des données reprises".into()],
        recipients: "Les éditeurs et administrateurs de l'espace".into(),
        retention: "Le fichier est supprimé dès l'import fait ou refusé ; le compte rendu reste"
            .into(),
    })
}
