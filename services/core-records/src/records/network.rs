//! The partner network as a graph, for the network view: organisations and people as
//! nodes; affiliations, partnerships and shared projects as edges.

use maillage_runtime::api::{ApiRouter, Doc};
use std::collections::BTreeMap;

use axum::extract::State;
use chrono::NaiveDate;
use maillage_problem::{Json, Query};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get(
        "/v1/network",
        network,
        Doc::new("network", "Le réseau des partenaires, en graphe")
            .query::<NetworkQuery>()
            .returns::<Graph>(),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct NetworkQuery {
    /// Only what touches this project: its partners and the people affiliated to them.
    project_id: Option<Uuid>,
    /// funding, operational, institutional or network.
    partnership_kind: Option<String>,
    /// A partnership status: prospect, negotiating, active, evaluating, closed.
    status: Option<String>,
    /// Links in force at some point between these dates.
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Clone, utoipa::ToSchema)]
pub struct Node {
    pub id: Uuid,
    /// tenant, organisation or person.
    pub kind: &'static str,
    pub label: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Edge {
    pub source: Uuid,
    pub target: Uuid,
    /// affiliation, partnership or project.
    pub kind: &'static str,
    /// The role, the partnership's title, or the project's name.
    pub label: String,
    /// The partnership or project the edge comes from, if any.
    pub via: Option<Uuid>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Graph {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

async fn network(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<NetworkQuery>,
) -> Result<Json<Graph>, Error> {
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to < from
    {
        return Err(Error::field("to", &said("check-after-from")));
    }
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let mut nodes: BTreeMap<Uuid, Node> = BTreeMap::new();
    let mut edges = Vec::new();

    let tenant_name = sqlx::query_scalar!("select name from tenants where id = $1", tenant_id)
        .fetch_one(&mut *tx)
        .await?;
    let partnerships = sqlx::query!(
        r#"select p.id, p.title, o.id as organisation_id, o.name as organisation_name
           from partnerships p
           join partnership_partners pp on pp.tenant_id = p.tenant_id and pp.partnership_id = p.id
           join organisations o on o.tenant_id = pp.tenant_id and o.id = pp.organisation_id
           where p.tenant_id = $1 and p.deleted_at is null and o.deleted_at is null
             and ($2::text is null or p.kind = $2) and ($3::text is null or p.status = $3)
             and ($4::date is null or p.ends_on is null or p.ends_on >= $4)
             and ($5::date is null or p.starts_on is null or p.starts_on <= $5)
             and ($6::uuid is null or exists (select 1 from project_partners x
                  where x.tenant_id = p.tenant_id and x.project_id = $6
                    and (x.partnership_id = p.id or x.organisation_id = o.id)))"#,
        tenant_id,
        query.partnership_kind,
        query.status,
        query.from,
        query.to,
        query.project_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    if !partnerships.is_empty() {
        nodes.insert(
            tenant_id,
            Node {
                id: tenant_id,
                kind: "tenant",
                label: tenant_name,
            },
        );
    }
    for row in partnerships {
        nodes.insert(
            row.organisation_id,
            Node {
                id: row.organisation_id,
                kind: "organisation",
                label: row.organisation_name,
            },
        );
        edges.push(Edge {
            source: tenant_id,
            target: row.organisation_id,
            kind: "partnership",
            label: row.title,
            via: Some(row.id),
        });
    }

    // Organisations that take part in the same project, pairwise; not when the graph
    // is narrowed to one kind or status of partnership.
    let partnership_filter = query.partnership_kind.is_some() || query.status.is_some();
    let shared = sqlx::query!(
        r#"select pr.id, pr.name, a.id as "a_id!", a.name as "a_name!", b.id as "b_id!", b.name as "b_name!"
           from projects pr
           join project_partners x on x.tenant_id = pr.tenant_id and x.project_id = pr.id
           join project_partners y on y.tenant_id = pr.tenant_id and y.project_id = pr.id
           join organisations a on a.tenant_id = pr.tenant_id and a.id = x.organisation_id
           join organisations b on b.tenant_id = pr.tenant_id and b.id = y.organisation_id
           where pr.tenant_id = $1 and pr.deleted_at is null and a.id < b.id
             and a.deleted_at is null and b.deleted_at is null
             and ($2::uuid is null or pr.id = $2)
             and ($3::date is null or pr.ends_on is null or pr.ends_on >= $3)
             and ($4::date is null or pr.starts_on is null or pr.starts_on <= $4)
             and not $5"#,
        tenant_id,
        query.project_id,
        query.from,
        query.to,
        partnership_filter,
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in shared {
        nodes.insert(
            row.a_id,
            Node {
                id: row.a_id,
                kind: "organisation",
                label: row.a_name,
            },
        );
        nodes.insert(
            row.b_id,
            Node {
                id: row.b_id,
                kind: "organisation",
                label: row.b_name,
            },
        );
        edges.push(Edge {
            source: row.a_id,
            target: row.b_id,
            kind: "project",
            label: row.name,
            via: Some(row.id),
        });
    }

    // People, through their affiliations — to the organisations already in the graph
    // when it is narrowed to a project or a kind of partnership, to all otherwise.
    let narrowed =
        query.project_id.is_some() || query.partnership_kind.is_some() || query.status.is_some();
    let in_graph: Vec<Uuid> = nodes.keys().copied().collect();
    let affiliations = sqlx::query!(
        r#"select p.id as person_id, trim(p.family_name || ' ' || p.given_name) as "person_name!",
                  o.id as organisation_id, o.name as organisation_name, a.role
           from affiliations a
           join people p on p.tenant_id = a.tenant_id and p.id = a.person_id
           join organisations o on o.tenant_id = a.tenant_id and o.id = a.organisation_id
           where a.tenant_id = $1 and p.deleted_at is null and o.deleted_at is null
             and ($2::date is null or a.ends_on is null or a.ends_on >= $2)
             and ($3::date is null or a.starts_on is null or a.starts_on <= $3)
             and (not $4 or o.id = any($5))"#,
        tenant_id,
        query.from,
        query.to,
        narrowed,
        &in_graph,
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in affiliations {
        nodes.insert(
            row.person_id,
            Node {
                id: row.person_id,
                kind: "person",
                label: row.person_name,
            },
        );
        nodes.insert(
            row.organisation_id,
            Node {
                id: row.organisation_id,
                kind: "organisation",
                label: row.organisation_name,
            },
        );
        edges.push(Edge {
            source: row.person_id,
            target: row.organisation_id,
            kind: "affiliation",
            label: row.role,
            via: None,
        });
    }
    tx.commit().await?;
    Ok(Json(Graph {
        nodes: nodes.into_values().collect(),
        edges,
    }))
}
