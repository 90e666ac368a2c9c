//! The form to add a partnership or change it: partners chosen among the organisations,
//! with their role; the agreement's parts; a budget typed the French way.

use askama::Template;
use chrono::NaiveDate;
use maillage_domain::kinds::{PartnershipKind, PartnershipStatus};
use serde::Deserialize;
use serde_json::json;

use super::{Partnership, kind_label, status_label};
use crate::Error;
use crate::membership::Member;
use crate::pages::editing::{FormPages, FormTarget, RecordForm, blank_is_none};
use crate::pages::organisations::{organisation_choices, tenant_organisations};
use crate::pages::{Choice, FormErrors, Layout, cents_typed, typed_cents};
use crate::state::AppState;

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
        typed_cents(&self.budget).map_err(|()| FormErrors::field("budget", "refused-budget"))
    }
}

impl RecordForm for PartnershipForm {
    type Stored = Partnership;

    fn labels() -> Vec<(&'static str, &'static str)> {
        vec![
            ("title", "partnership-form-title"),
            ("kind", "partnership-form-kind"),
            ("status", "partnership-form-status"),
            ("starts_on", "form-starts-on"),
            ("ends_on", "form-ends-on"),
            ("next_evaluation_on", "partnership-next-evaluation"),
            ("purpose", "agreement-purpose"),
            ("shared_values", "agreement-shared-values"),
            ("roles", "agreement-roles"),
            ("phasing", "agreement-phasing"),
            ("means", "agreement-means"),
            ("budget", "partnership-form-budget"),
            ("regulation_mode", "agreement-regulation-mode"),
            ("evaluation_method", "agreement-evaluation-method"),
            ("notes", "form-notes"),
        ]
    }

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

    fn body(&self, _member: &Member) -> (serde_json::Value, FormErrors) {
        let mut refused = FormErrors::default();
        let budget = refused
            .keep(self.budget_cents())
            .flatten()
            .map(|cents| json!({"amount_cents": cents, "currency": "EUR"}));
        let partners: Vec<serde_json::Value> = self
            .partners()
            .map(|(id, role)| json!({"organisation_id": id, "role": role}))
            .collect();
        let body = json!({
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
        });
        (body, refused)
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
    const ADDING: &'static str = "partnership-form-adding";
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
        let statuses: Vec<&'static str> = PartnershipStatus::VALUES
            .iter()
            .copied()
            .filter(|s| {
                form.allowed_statuses.is_empty() || form.allowed_statuses.iter().any(|a| a == s)
            })
            .collect();
        let lang = member.lang();
        Ok(PartnershipFormPage {
            layout: Layout::of(member, "partnerships"),
            kinds: Choice::named(
                lang,
                None,
                PartnershipKind::MESSAGE_PREFIX,
                PartnershipKind::VALUES.iter().copied(),
                &form.kind,
            ),
            statuses: Choice::named(
                lang,
                None,
                PartnershipStatus::MESSAGE_PREFIX,
                statuses,
                &form.status,
            ),
            partners,
            target,
            form,
            errors,
        })
    }
}
