//! Partnerships: the list, a partnership's page (partners, agreement, evaluations,
//! timeline) and the form to add one or change it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use maillage_domain::kinds::{PartnershipKind, PartnershipStatus};
use maillage_problem::{Path, Query};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::{FormPages, FormTarget, RecordForm, blank_is_none, form_routes};
use super::organisations::{organisation_choices, tenant_organisations};
use super::record_parts::{ListPage, ListPageQuery, Listing, Surroundings, period};
use super::{
    Choice, FormErrors, Layout, cents_typed, label_in, money, page, short_date, typed_cents,
};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/partnerships", get(list))
        .route("/t/{slug}/partnerships/{id}", get(show))
        .merge(form_routes::<PartnershipForm>())
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
    /// The parts written down, titled, in the order of a convention.
    fn parts(&self) -> Vec<(&'static str, &str)> {
        [
            ("Objet", self.purpose.as_str()),
            ("Valeurs partagées", &self.shared_values),
            ("Rôle de chacun", &self.roles),
            ("Phasage", &self.phasing),
            ("Moyens", &self.means),
            ("Mode de régulation", &self.regulation_mode),
            ("Méthode d'évaluation", &self.evaluation_method),
        ]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .collect()
    }

    fn budget(&self) -> Option<String> {
        self.budget
            .as_ref()
            .map(|b| money(b.amount_cents, &b.currency))
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
}

impl Partnership {
    fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }

    fn status_label(&self) -> &'static str {
        status_label(&self.status)
    }

    fn period(&self) -> String {
        period(self.starts_on, self.ends_on)
    }

    fn partner_names(&self) -> String {
        self.partners
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn next_evaluation(&self) -> Option<String> {
        self.next_evaluation_on.map(short_date)
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
    fn title(&self) -> String {
        let stage = if self.stage == "final" {
            "Évaluation finale"
        } else {
            "Évaluation intermédiaire"
        };
        format!("{stage} du {}", short_date(self.evaluated_on))
    }

    /// Each criterion with its score out of 5 and its notes.
    fn criteria(&self) -> [(&'static str, i16, &str); 3] {
        [
            (
                "Efficacité",
                self.effectiveness_score,
                &self.effectiveness_notes,
            ),
            ("Efficience", self.efficiency_score, &self.efficiency_notes),
            ("Impact", self.impact_score, &self.impact_notes),
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
    Query(query): Query<ListPageQuery>,
) -> Result<Response, Error> {
    page(&PartnershipsPage {
        list: query.fetch(&state, &member, "partnerships").await?,
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

/// Blank partner lines a form offers beyond those already named.
const BLANK_PARTNERS: usize = 2;

/// The form to add or change a partnership, as typed. Partners come as parallel lists
/// (one organisation and one role per line of the form).
#[derive(Debug, Deserialize)]
pub struct PartnershipForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    next_evaluation_on: String,
    #[serde(default)]
    partner_id: Vec<String>,
    #[serde(default)]
    partner_role: Vec<String>,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    shared_values: String,
    #[serde(default)]
    roles: String,
    #[serde(default)]
    phasing: String,
    #[serde(default)]
    means: String,
    /// In euros, as typed.
    #[serde(default)]
    budget: String,
    #[serde(default)]
    regulation_mode: String,
    #[serde(default)]
    evaluation_method: String,
    #[serde(default)]
    notes: String,
    /// The version an edit was made from.
    version: Option<String>,
    /// The partners' names, when the form was filled from the stored partnership: what
    /// a stale form says is stored.
    #[serde(skip)]
    partner_names: Vec<String>,
    /// Filled from the stored partnership: where it stands and where it may go.
    #[serde(skip)]
    allowed_statuses: Vec<String>,
}

impl Default for PartnershipForm {
    /// A new partnership: funding, a prospect.
    fn default() -> Self {
        Self {
            title: String::new(),
            kind: "funding".into(),
            status: "prospect".into(),
            starts_on: String::new(),
            ends_on: String::new(),
            next_evaluation_on: String::new(),
            partner_id: Vec::new(),
            partner_role: Vec::new(),
            purpose: String::new(),
            shared_values: String::new(),
            roles: String::new(),
            phasing: String::new(),
            means: String::new(),
            budget: String::new(),
            regulation_mode: String::new(),
            evaluation_method: String::new(),
            notes: String::new(),
            version: None,
            partner_names: Vec::new(),
            allowed_statuses: Vec::new(),
        }
    }
}

impl PartnershipForm {
    /// The partner lines filled in: organisation and role.
    fn partners(&self) -> impl Iterator<Item = (&str, &str)> {
        self.partner_id
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let role = self.partner_role.get(i).map_or("", String::as_str);
                (id.trim(), role.trim())
            })
            .filter(|(id, _)| !id.is_empty())
    }

    /// The budget in cents, or the message for a budget that is not an amount.
    fn budget_cents(&self) -> Result<Option<i64>, FormErrors> {
        typed_cents(&self.budget).map_err(|()| {
            FormErrors::field("budget", "indiquez un montant en euros, par exemple 45 000")
        })
    }
}

impl RecordForm for PartnershipForm {
    type Stored = Partnership;

    fn of(stored: Partnership, _member: &Member) -> (Self, i64) {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let allowed_statuses = stored.statuses();
        let agreement = stored.agreement;
        let form = Self {
            starts_on: date(stored.starts_on),
            ends_on: date(stored.ends_on),
            next_evaluation_on: date(stored.next_evaluation_on),
            partner_id: stored
                .partners
                .iter()
                .map(|p| p.organisation_id.to_string())
                .collect(),
            partner_role: stored.partners.iter().map(|p| p.role.clone()).collect(),
            allowed_statuses,
            partner_names: stored
                .partners
                .iter()
                .map(|p| match p.role.as_str() {
                    "" => p.name.clone(),
                    role => format!("{} ({role})", p.name),
                })
                .collect(),
            title: stored.title,
            kind: stored.kind,
            status: stored.status,
            budget: agreement
                .budget
                .map(|b| cents_typed(b.amount_cents))
                .unwrap_or_default(),
            purpose: agreement.purpose,
            shared_values: agreement.shared_values,
            roles: agreement.roles,
            phasing: agreement.phasing,
            means: agreement.means,
            regulation_mode: agreement.regulation_mode,
            evaluation_method: agreement.evaluation_method,
            notes: stored.notes,
            version: None,
        };
        (form, stored.version)
    }

    fn body(&self, _member: &Member) -> Result<serde_json::Value, FormErrors> {
        let budget = self
            .budget_cents()?
            .map(|cents| json!({"amount_cents": cents, "currency": "EUR"}));
        let partners: Vec<serde_json::Value> = self
            .partners()
            .map(|(id, role)| json!({"organisation_id": id, "role": role}))
            .collect();
        Ok(json!({
            "title": self.title.trim(),
            "kind": self.kind,
            "status": self.status,
            "starts_on": blank_is_none(&self.starts_on),
            "ends_on": blank_is_none(&self.ends_on),
            "next_evaluation_on": blank_is_none(&self.next_evaluation_on),
            "partners": partners,
            "agreement": {
                "purpose": self.purpose, "shared_values": self.shared_values,
                "roles": self.roles, "phasing": self.phasing, "means": self.means,
                "budget": budget, "regulation_mode": self.regulation_mode,
                "evaluation_method": self.evaluation_method,
            },
            "notes": self.notes,
        }))
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        let partners: Vec<String> = self
            .partners()
            .map(|(id, role)| format!("{id}:{role}"))
            .collect();
        vec![
            ("title", self.title.clone()),
            ("kind", kind_label(&self.kind).to_owned()),
            ("status", status_label(&self.status).to_owned()),
            ("starts_on", self.starts_on.clone()),
            ("ends_on", self.ends_on.clone()),
            ("next_evaluation_on", self.next_evaluation_on.clone()),
            ("partners", partners.join(", ")),
            ("purpose", self.purpose.clone()),
            ("shared_values", self.shared_values.clone()),
            ("roles", self.roles.clone()),
            ("phasing", self.phasing.clone()),
            ("means", self.means.clone()),
            (
                "budget",
                self.budget_cents()
                    .ok()
                    .flatten()
                    .map(cents_typed)
                    .unwrap_or_default(),
            ),
            ("regulation_mode", self.regulation_mode.clone()),
            ("evaluation_method", self.evaluation_method.clone()),
            ("notes", self.notes.clone()),
        ]
    }

    fn said(&self, field: &str, value: &str) -> String {
        if field == "partners" {
            self.partner_names.join(", ")
        } else {
            value.to_owned()
        }
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

/// One partner line of the form: the organisations to choose from, and the role.
struct PartnerLine {
    number: usize,
    organisations: Vec<Choice>,
    role: String,
}

#[derive(Template)]
#[template(path = "partnership_form.html")]
pub struct PartnershipFormPage {
    layout: Layout,
    target: FormTarget,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    partners: Vec<PartnerLine>,
    form: PartnershipForm,
    errors: FormErrors,
}

impl FormPages for PartnershipForm {
    const COLLECTION: &'static str = "partnerships";
    const ADDING: &'static str = "Ajouter un partenariat";
    const RENAMES: &'static [(&'static str, &'static str)] = &[
        ("agreement.purpose", "purpose"),
        ("agreement.shared_values", "shared_values"),
        ("agreement.roles", "roles"),
        ("agreement.phasing", "phasing"),
        ("agreement.means", "means"),
        ("agreement.budget", "budget"),
        ("agreement.budget.amount_cents", "budget"),
        ("agreement.regulation_mode", "regulation_mode"),
        ("agreement.evaluation_method", "evaluation_method"),
        ("partners.organisation_id", "partners"),
    ];

    type Page = PartnershipFormPage;

    fn name(&self) -> String {
        self.title.trim().to_owned()
    }

    /// The form, its status offering where the partnership stands and where it may go
    /// (any status for a new one), its partner lines choosing among the tenant's
    /// organisations.
    async fn page(
        state: &AppState,
        member: &Member,
        target: FormTarget,
        mut form: Self,
        errors: FormErrors,
    ) -> Result<PartnershipFormPage, Error> {
        // A form sent back does not say where the partnership may go: the stored one does.
        if let (Some(id), true) = (target.record, form.allowed_statuses.is_empty()) {
            let stored: Partnership = state
                .core
                .get(member, &format!("/v1/partnerships/{id}"))
                .await?;
            form.allowed_statuses = stored.statuses();
        }
        let organisations = tenant_organisations(state, member).await?;
        let named = form
            .partner_id
            .iter()
            .filter(|id| !id.trim().is_empty())
            .count();
        let partners = (0..named + BLANK_PARTNERS)
            .map(|i| {
                let id = form.partner_id.get(i).map_or("", String::as_str);
                PartnerLine {
                    number: i + 1,
                    organisations: organisation_choices(&organisations, id),
                    role: form.partner_role.get(i).cloned().unwrap_or_default(),
                }
            })
            .collect();
        let statuses: Vec<(&str, &str)> = if form.allowed_statuses.is_empty() {
            PartnershipStatus::CHOICES.to_vec()
        } else {
            form.allowed_statuses
                .iter()
                .map(|s| (s.as_str(), status_label(s)))
                .collect()
        };
        Ok(PartnershipFormPage {
            layout: Layout::of(member, "partnerships"),
            kinds: Choice::list(PartnershipKind::CHOICES.iter().copied(), &form.kind),
            statuses: Choice::list(statuses, &form.status),
            partners,
            target,
            form,
            errors,
        })
    }
}
