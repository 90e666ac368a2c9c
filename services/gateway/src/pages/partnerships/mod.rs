//! Partnerships: the list, a partnership's page (partners, agreement, evaluations,
//! timeline) and, in `form`, the form to add one or change it.

pub(super) mod form;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use std::borrow::Borrow;

use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::kinds::{PartnershipKind, PartnershipStatus};
use maillage_i18n::Lang;
use maillage_problem::{FormQuery, Path, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::editing::form_routes;
use super::lists::{FilterQuery, ListPage, ListPageQuery, PARTNERSHIPS};
use super::record_parts::{Listing, Surroundings};
use super::{Layout, label_in, page};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/partnerships", get(list))
        .route("/t/{slug}/partnerships/{id}", get(show))
        .merge(form_routes::<form::PartnershipForm>())
}

fn kind_label(kind: &str) -> &'static str {
    label_in(PartnershipKind::CHOICES, kind, "Réseau")
}

fn status_label(status: &str) -> &'static str {
    label_in(PartnershipStatus::CHOICES, status, "Clos")
}

#[derive(Debug, Deserialize)]
struct Partner {
    organisation_id: Uuid,
    name: String,
    role: String,
}

#[derive(Debug, Deserialize)]
struct Budget {
    amount_cents: i64,
    currency: String,
}

#[derive(Debug, Deserialize)]
struct Agreement {
    shared_values: String,
    purpose: String,
    roles: String,
    phasing: String,
    means: String,
    budget: Option<Budget>,
    regulation_mode: String,
    evaluation_method: String,
}

impl Agreement {
    /// The parts written down, with their titles' messages, in the order of a
    /// convention.
    fn parts(&self) -> Vec<(&'static str, &str)> {
        [
            ("agreement-purpose", self.purpose.as_str()),
            ("agreement-shared-values", &self.shared_values),
            ("agreement-roles", &self.roles),
            ("agreement-phasing", &self.phasing),
            ("agreement-means", &self.means),
            ("agreement-regulation-mode", &self.regulation_mode),
            ("agreement-evaluation-method", &self.evaluation_method),
        ]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .collect()
    }

    fn budget(&self, lang: impl Borrow<Lang>) -> Option<String> {
        self.budget
            .as_ref()
            .map(|b| lang.borrow().money(b.amount_cents, &b.currency))
    }
}

#[derive(Debug, Deserialize)]
pub struct Partnership {
    id: Uuid,
    title: String,
    kind: String,
    status: String,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    next_evaluation_on: Option<NaiveDate>,
    agreement: Agreement,
    partners: Vec<Partner>,
    notes: String,
    /// Where it may go from its status.
    next_statuses: Vec<String>,
    version: i64,
    updated_at: DateTime<Utc>,
}

impl Partnership {
    fn partner_names(&self) -> String {
        self.partners
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn next_evaluation(&self, lang: impl Borrow<Lang>) -> Option<String> {
        self.next_evaluation_on.map(|on| lang.borrow().date(on))
    }

    /// The statuses a form offers: where it stands, then where it may go, in life order.
    fn statuses(&self) -> Vec<String> {
        PartnershipStatus::VALUES
            .iter()
            .filter(|s| **s == self.status || self.next_statuses.iter().any(|n| n == *s))
            .map(|s| (*s).to_owned())
            .collect()
    }
}

#[derive(Debug, Deserialize)]
struct Evaluation {
    stage: String,
    evaluated_on: NaiveDate,
    objectives_set: String,
    objectives_reached: String,
    effectiveness_score: i16,
    effectiveness_notes: String,
    efficiency_score: i16,
    efficiency_notes: String,
    impact_score: i16,
    impact_notes: String,
}

impl Evaluation {
    /// "Interim evaluation of 30/06/2026", in `lang`.
    fn title(&self, lang: impl Borrow<Lang>) -> String {
        let lang = *lang.borrow();
        lang.t_with(
            "evaluation-title",
            &[
                ("stage", self.stage.as_str().into()),
                ("date", lang.date(self.evaluated_on).into()),
            ],
        )
    }

    /// Each criterion's message, with its score out of 5 and its notes.
    fn criteria(&self) -> [(&'static str, i16, &str); 3] {
        [
            (
                "evaluation-effectiveness",
                self.effectiveness_score,
                &self.effectiveness_notes,
            ),
            (
                "evaluation-efficiency",
                self.efficiency_score,
                &self.efficiency_notes,
            ),
            ("evaluation-impact", self.impact_score, &self.impact_notes),
        ]
    }
}

#[derive(Template)]
#[template(path = "partnerships.html")]
struct PartnershipsPage {
    layout: Layout,
    list: ListPage<Partnership>,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    FormQuery(query): FormQuery<ListPageQuery>,
    Query(filter): Query<FilterQuery>,
) -> Result<Response, Error> {
    page(&PartnershipsPage {
        list: query.fetch(&state, &member, &PARTNERSHIPS, filter).await?,
        layout: Layout::of(&member, "partnerships"),
    })
}

#[derive(Template)]
#[template(path = "partnership.html")]
struct PartnershipPage {
    layout: Layout,
    partnership: Partnership,
    evaluations: Vec<Evaluation>,
    around: Surroundings,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let record = format!("/v1/partnerships/{id}");
    let evaluations = format!("{record}/evaluations");
    // Independent reads of core-records, made at the same time.
    let (partnership, evaluations, around): (Partnership, Listing<Evaluation>, _) = tokio::try_join!(
        state.core.get(&member, &record),
        state.core.get(&member, &evaluations),
        Surroundings::of(&state, &member, &record),
    )?;
    page(&PartnershipPage {
        layout: Layout::of(&member, "partnerships"),
        partnership,
        evaluations: evaluations.items,
        around,
    })
}
