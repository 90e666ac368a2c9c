//! What a record is connected to (`GET /v1/{collection}/{id}/connections`), for its
//! page: an organisation's partnerships (with its role), projects and the reports it is
//! owed or that are owed for its partnerships and projects; a person's partnerships and
//! projects through the organisations they belong to now; a partnership's projects and
//! reports; a project's reports (its partners are its own fields).

use axum::extract::State;
use maillage_domain::connections::{
    ConnectedDeadline, ConnectedPartnership, ConnectedProject, Connections,
};
use maillage_problem::{Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::state::AppState;

/// The most of each list a page shows.
const MAX_ITEMS: i64 = 100;

#[derive(Debug, Clone, Copy)]
enum Connected {
    Person,
    Organisation,
    Partnership,
    Project,
}

pub fn router() -> ApiRouter<AppState> {
    let mut router = ApiRouter::new();
    for (collection, kind) in [
        ("people", Connected::Person),
        ("organisations", Connected::Organisation),
        ("partnerships", Connected::Partnership),
        ("projects", Connected::Project),
    ] {
        let read = move |State(state): State<AppState>,
                         identity: Identity,
                         Path(id): Path<Uuid>| async move {
            connections(&state, &identity, kind, id).await.map(Json)
        };
        router = router.get(
            &format!("/v1/{collection}/{{id}}/connections"),
            read,
            Doc::new(
                "network",
                "Ce à quoi une fiche est liée : partenariats, projets, rapports dus",
            )
            .returns::<Connections>(),
        );
    }
    router
}

async fn connections(
    state: &AppState,
    identity: &Identity,
    kind: Connected,
    id: Uuid,
) -> Result<Connections, Error> {
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(state).await?;
    if !exists(&mut tx, tenant_id, kind, id).await? {
        return Err(Error::NotFound);
    }
    let connections = match kind {
        Connected::Organisation => Connections {
            partnerships: partnerships_of_organisations(&mut tx, tenant_id, &[id], false).await?,
            projects: projects_of_organisations(&mut tx, tenant_id, &[id], false).await?,
            deadlines: deadlines_of_organisation(&mut tx, tenant_id, id).await?,
        },
        Connected::Person => {
            let organisations = sqlx::query_scalar!(
                r#"select f.organisation_id from affiliations f
                   join organisations o on o.tenant_id = f.tenant_id and o.id = f.organisation_id
                   where f.tenant_id = $1 and f.person_id = $2 and o.deleted_at is null
                     and (f.ends_on is null or f.ends_on >= current_date)"#,
                tenant_id,
                id,
            )
            .fetch_all(&mut *tx)
            .await?;
            Connections {
                partnerships: partnerships_of_organisations(
                    &mut tx,
                    tenant_id,
                    &organisations,
                    true,
                )
                .await?,
                projects: projects_of_organisations(&mut tx, tenant_id, &organisations, true)
                    .await?,
                deadlines: Vec::new(),
            }
        }
        Connected::Partnership => Connections {
            partnerships: Vec::new(),
            projects: sqlx::query_as!(
                ConnectedProject,
                r#"select distinct j.id, j.name, j.status, x.role, null::text as through
                   from project_partners x
                   join projects j on j.tenant_id = x.tenant_id and j.id = x.project_id
                   where x.tenant_id = $1 and x.partnership_id = $2 and j.deleted_at is null
                   order by j.name, j.id
                   limit $3"#,
                tenant_id,
                id,
                MAX_ITEMS,
            )
            .fetch_all(&mut *tx)
            .await?,
            deadlines: deadlines_for(&mut tx, tenant_id, None, Some(id)).await?,
        },
        // Its partners, organisations and partnerships, are the project's own fields.
        Connected::Project => Connections {
            deadlines: deadlines_for(&mut tx, tenant_id, Some(id), None).await?,
            ..Connections::default()
        },
    };
    tx.commit().await?;
    Ok(connections)
}

/// Whether the record is there (and not in the bin).
async fn exists(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    kind: Connected,
    id: Uuid,
) -> Result<bool, Error> {
    let found = match kind {
        Connected::Person => sqlx::query_scalar!(
            r#"select exists (select 1 from people where tenant_id = $1 and id = $2 and deleted_at is null) as "found!""#,
            tenant_id,
            id
        ),
        Connected::Organisation => sqlx::query_scalar!(
            r#"select exists (select 1 from organisations where tenant_id = $1 and id = $2 and deleted_at is null) as "found!""#,
            tenant_id,
            id
        ),
        Connected::Partnership => sqlx::query_scalar!(
            r#"select exists (select 1 from partnerships where tenant_id = $1 and id = $2 and deleted_at is null) as "found!""#,
            tenant_id,
            id
        ),
        Connected::Project => sqlx::query_scalar!(
            r#"select exists (select 1 from projects where tenant_id = $1 and id = $2 and deleted_at is null) as "found!""#,
            tenant_id,
            id
        ),
    };
    Ok(found.fetch_one(conn).await?)
}

/// The partnerships these organisations take part in; with `say_through`, each names
/// the organisation (for a person's page).
async fn partnerships_of_organisations(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    organisations: &[Uuid],
    say_through: bool,
) -> Result<Vec<ConnectedPartnership>, Error> {
    Ok(sqlx::query_as!(
        ConnectedPartnership,
        r#"select s.id, s.title, s.status, pp.role,
                  case when $3 then o.name end as through
           from partnership_partners pp
           join partnerships s on s.tenant_id = pp.tenant_id and s.id = pp.partnership_id
           join organisations o on o.tenant_id = pp.tenant_id and o.id = pp.organisation_id
           where pp.tenant_id = $1 and pp.organisation_id = any($2) and s.deleted_at is null
           order by s.status = 'closed', s.title, s.id
           limit $4"#,
        tenant_id,
        organisations,
        say_through,
        MAX_ITEMS,
    )
    .fetch_all(conn)
    .await?)
}

/// The projects these organisations take part in, directly or through one of their
/// partnerships.
async fn projects_of_organisations(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    organisations: &[Uuid],
    say_through: bool,
) -> Result<Vec<ConnectedProject>, Error> {
    Ok(sqlx::query_as!(
        ConnectedProject,
        r#"select j.id as "id!", j.name as "name!", j.status as "status!", x.role as "role!",
                  case when x.partnership_id is not null then s.title
                       when $3 then o.name end as through
           from project_partners x
           join projects j on j.tenant_id = x.tenant_id and j.id = x.project_id
           left join partnerships s on s.tenant_id = x.tenant_id and s.id = x.partnership_id
           left join organisations o on o.tenant_id = x.tenant_id and o.id = x.organisation_id
           where x.tenant_id = $1 and j.deleted_at is null
             and (x.organisation_id = any($2)
                  or x.partnership_id in (select pp.partnership_id from partnership_partners pp
                                          where pp.tenant_id = $1 and pp.organisation_id = any($2)))
           order by j.status in ('completed', 'cancelled'), j.name, j.id
           limit $4"#,
        tenant_id,
        organisations,
        say_through,
        MAX_ITEMS,
    )
    .fetch_all(conn)
    .await?)
}

/// Reports owed to the organisation (it funds them) or for its partnerships and
/// projects.
async fn deadlines_of_organisation(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    organisation_id: Uuid,
) -> Result<Vec<ConnectedDeadline>, Error> {
    Ok(sqlx::query_as!(
        ConnectedDeadline,
        r#"select d.id as "id!", d.title as "title!", d.due_at as "due_at!", d.status as "status!",
                  case when d.funder_id = $2 then 'funder'
                       when d.partnership_id is not null then 'partnership'
                       else 'project' end as "relation!",
                  coalesce(d.partnership_title, d.project_name) as for_name
           from deadline_overview d
           where d.tenant_id = $1
             and (d.funder_id = $2
                  or d.partnership_id in (select pp.partnership_id from partnership_partners pp
                                          where pp.tenant_id = $1 and pp.organisation_id = $2)
                  or d.project_id in (select x.project_id from project_partners x
                                      where x.tenant_id = $1
                                        and (x.organisation_id = $2
                                             or x.partnership_id in (select pp.partnership_id from partnership_partners pp
                                                                     where pp.tenant_id = $1 and pp.organisation_id = $2))))
           order by d.due_at, d.id
           limit $3"#,
        tenant_id,
        organisation_id,
        MAX_ITEMS,
    )
    .fetch_all(conn)
    .await?)
}

/// Reports owed for a project or a partnership.
async fn deadlines_for(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    project_id: Option<Uuid>,
    partnership_id: Option<Uuid>,
) -> Result<Vec<ConnectedDeadline>, Error> {
    Ok(sqlx::query_as!(
        ConnectedDeadline,
        r#"select d.id as "id!", d.title as "title!", d.due_at as "due_at!", d.status as "status!",
                  case when $2::uuid is not null then 'project' else 'partnership' end as "relation!",
                  null::text as for_name
           from deadline_overview d
           where d.tenant_id = $1
             and (d.project_id = $2 or d.partnership_id = $3)
           order by d.due_at, d.id
           limit $4"#,
        tenant_id,
        project_id,
        partnership_id,
        MAX_ITEMS,
    )
    .fetch_all(conn)
    .await?)
}
