//! The network as it was on a day (`GET /v1/network/photograph`): organisations,
//! people, partnerships and projects tied by relation (partner in, affiliated to,
//! works on, funds), narrowed by project, partnership kind and status, tag or
//! territory; its figures (size, density, the most connected, the isolated, dormant
//! ties); and, given an earlier day, what appeared and disappeared since.

mod queries;
mod shape;

use std::collections::HashSet;

use axum::extract::State;
use chrono::NaiveDate;
use maillage_domain::dashboard::DORMANT_MONTHS;
use maillage_domain::kinds::{PartnershipKind, PartnershipStatus};
use maillage_domain::network::{Comparison, NamedRecord, NetworkShape, Photograph};
use maillage_problem::{Json, Query};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use uuid::Uuid;

use self::shape::Day;
use crate::Error;
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

/// How far around a project the photograph of a project reaches: its partners, and
/// their people and other partnerships.
const AROUND_PROJECT: usize = 2;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get(
        "/v1/network/photograph",
        photograph,
        Doc::new(
            "network",
            "Le réseau tel qu'il était un jour donné : fiches, liens datés, chiffres, et ce qui a changé depuis un autre jour",
        )
        .query::<PhotographQuery>()
        .returns::<Photograph>(),
    )
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PhotographQuery {
    /// The day shown (today in the workspace's time zone by default).
    pub on: Option<NaiveDate>,
    /// An earlier (or later) day to compare with.
    pub compare_with: Option<NaiveDate>,
    /// Only this project, its partners, and their people and partnerships.
    pub project_id: Option<Uuid>,
    /// Only partnerships of this kind: funding, operational, institutional, network.
    #[param(schema_with = partnership_kinds)]
    pub partnership_kind: Option<String>,
    /// Only partnerships in this status: prospect, negotiating, active, evaluating,
    /// closed.
    #[param(schema_with = partnership_statuses)]
    pub partnership_status: Option<String>,
    /// Only the records with this tag, and what they are tied to.
    #[param(max_length = 100)]
    pub tag: Option<String>,
    /// Only the organisations and projects of this territory, and what they are tied to.
    #[param(max_length = 200)]
    pub territory: Option<String>,
}

fn partnership_kinds() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(PartnershipKind::VALUES)
}

fn partnership_statuses() -> utoipa::openapi::schema::Object {
    maillage_runtime::api::one_of(PartnershipStatus::VALUES)
}

async fn photograph(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<PhotographQuery>,
) -> Result<Json<Photograph>, Error> {
    check(&query)?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let on = match query.on {
        Some(on) => on,
        None => super::dashboard::today(&mut tx, tenant_id).await?,
    };
    let mut day = narrowed_day(&mut tx, tenant_id, on, &query).await?;
    let mut earlier = match query.compare_with {
        Some(then) => Some((then, narrowed_day(&mut tx, tenant_id, then, &query).await?)),
        None => None,
    };
    // Every record either day names, named once.
    let mut ids = day.ids();
    if let Some((_, then)) = &earlier {
        ids.extend(then.ids());
    }
    let names = queries::names(&mut tx, tenant_id, &ids).await?;
    let nodes = day.nodes(&names);

    let tied: HashSet<_> = day.kinds.keys().copied().collect();
    let organisations = queries::organisations_on(&mut tx, tenant_id, on).await?;
    let isolated: Vec<NamedRecord> = organisations
        .into_iter()
        .filter(|(id, _)| !tied.contains(id))
        .map(|(id, label)| NamedRecord { id, label })
        .collect();
    let active: HashSet<Uuid> =
        queries::active_organisations(&mut tx, tenant_id, on, DORMANT_MONTHS)
            .await?
            .into_iter()
            .collect();
    tx.commit().await?;
    let dormant_ties = day
        .ties
        .iter()
        .filter(|tie| tie.relation == "partner_in" && !active.contains(&tie.source))
        .count();
    let mut most_connected: Vec<_> = nodes
        .iter()
        .filter(|node| node.kind == "organisation" && node.degree > 0)
        .cloned()
        .collect();
    most_connected.sort_by(|a, b| b.degree.cmp(&a.degree).then(a.label.cmp(&b.label)));
    most_connected.truncate(5);
    let figures = NetworkShape {
        nodes: nodes.len() as u64,
        ties: day.ties.len() as u64,
        density: day.density(),
        most_connected,
        isolated: isolated.len() as u64,
        isolated_items: isolated.into_iter().take(10).collect(),
        dormant_ties: dormant_ties as u64,
    };
    let comparison = earlier.take().map(|(then, earlier_day)| Comparison {
        earlier: then,
        nodes_then: earlier_day.ids().len() as u64,
        ties_then: earlier_day.ties.len() as u64,
        appeared: day.not_in(&earlier_day, &names),
        disappeared: earlier_day.not_in(&day, &names),
    });
    day.ties.sort();
    Ok(Json(Photograph {
        on,
        nodes,
        ties: day.ties,
        figures,
        comparison,
    }))
}

/// Values the document lists are checked by it; these are what it cannot say.
fn check(query: &PhotographQuery) -> Result<(), Error> {
    if let Some(kind) = &query.partnership_kind
        && !PartnershipKind::VALUES.contains(&kind.as_str())
    {
        return Err(Error::field(
            "partnership_kind",
            &said("check-partnership-kind"),
        ));
    }
    if let Some(status) = &query.partnership_status
        && !PartnershipStatus::VALUES.contains(&status.as_str())
    {
        return Err(Error::field(
            "partnership_status",
            &said("check-partnership-status"),
        ));
    }
    for (field, value, max) in [
        ("tag", &query.tag, 100),
        ("territory", &query.territory, 200),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            return Err(Error::field(field, &said("check-too-long-short")));
        }
    }
    Ok(())
}

/// The ties of `on`, narrowed as the query asks.
async fn narrowed_day(
    conn: &mut sqlx::PgConnection,
    tenant_id: Uuid,
    on: NaiveDate,
    query: &PhotographQuery,
) -> Result<Day, Error> {
    let mut day = Day::new(queries::ties(conn, tenant_id, on).await?);
    if query.partnership_kind.is_some() || query.partnership_status.is_some() {
        let kept = queries::partnerships_matching(
            conn,
            tenant_id,
            query.partnership_kind.as_deref(),
            query.partnership_status.as_deref(),
        )
        .await?;
        day.only_partnerships(&kept.into_iter().collect());
    }
    if let Some(project_id) = query.project_id {
        day.around(&[project_id], AROUND_PROJECT);
    }
    if let Some(tag) = query.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        let seeds = queries::tagged(conn, tenant_id, tag.trim()).await?;
        day.around(&seeds, 1);
    }
    if let Some(territory) = query.territory.as_deref().filter(|t| !t.trim().is_empty()) {
        let seeds = queries::in_territory(conn, tenant_id, territory.trim()).await?;
        day.around(&seeds, 1);
    }
    Ok(day)
}
