//! The workspace at a glance (`GET /v1/dashboard`), for its home page: reports late and
//! due within 30 days, active projects with their milestones and budget, partnerships by
//! status and those ending or due for evaluation, the network's figures (partners by
//! kind, new this year, dormant ties), colleagues' recent activity and the caller's
//! open tasks (the kinds are `maillage_domain::dashboard`'s).

mod queries;

pub(super) use queries::today;

use axum::extract::State;
use maillage_domain::dashboard::Dashboard;
use maillage_problem::Json;
use maillage_runtime::api::{ApiRouter, Doc};

use crate::Error;
use crate::identity::Identity;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().get(
        "/v1/dashboard",
        dashboard,
        Doc::new(
            "network",
            "L'espace d'un coup d'œil : rapports en retard et à rendre, projets en cours, partenariats, chiffres du réseau, activité récente, mes tâches",
        )
        .returns::<Dashboard>(),
    )
}

async fn dashboard(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<Dashboard>, Error> {
    let (tenant_id, user_id) = (identity.0.tenant_id, identity.0.user_id);
    let mut tx = identity.begin(&state).await?;
    let today = queries::today(&mut tx, tenant_id).await?;
    let dashboard = Dashboard {
        today,
        reports: queries::reports(&mut tx, tenant_id, user_id, today).await?,
        projects: queries::projects(&mut tx, tenant_id, user_id).await?,
        partnerships: queries::partnerships(&mut tx, tenant_id, today).await?,
        network: queries::network(&mut tx, tenant_id, today).await?,
        recent_activity: queries::recent_activity(&mut tx, tenant_id, user_id).await?,
        my_tasks: queries::my_tasks(&mut tx, tenant_id, user_id).await?,
    };
    tx.commit().await?;
    Ok(Json(dashboard))
}
