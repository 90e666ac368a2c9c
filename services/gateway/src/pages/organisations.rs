//! Organisations: the list, an organisation's page (details, people, timeline) and the
//! form to add one or change it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use maillage_domain::kinds::OrganisationKind;
use maillage_problem::{FormQuery, Path, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::editing::{FormPages, FormTarget, RecordForm, form_routes};
use super::lists::{FilterQuery, ListPage, ListPageQuery, ORGANISATIONS};
use super::record_parts::{
    Address, AffiliationRow, ContactFields, CustomInput, CustomValues, EmailEntry, Engagements,
    Listing, PhoneEntry, Surroundings, affiliations, custom_facts, custom_fields, engagements,
};
use super::{Choice, FormErrors, Layout, label_in, page};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/organisations", get(list))
        .route("/t/{slug}/organisations/{id}", get(show))
        .merge(form_routes::<OrganisationForm>())
}

pub fn kind_label(kind: &str) -> &'static str {
    label_in(OrganisationKind::CHOICES, kind, "Autre")
}

#[derive(Debug, Deserialize)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub email: Option<String>,
    pub website: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub territory: String,
    pub updated_at: DateTime<Utc>,
}

/// The tenant's organisations by name, for the forms that choose some (the first 200, a
/// page's most: beyond, a search field would serve better than a list).
pub async fn tenant_organisations(
    state: &AppState,
    member: &Member,
) -> Result<Vec<OrganisationRow>, Error> {
    let listing: Listing<OrganisationRow> = state
        .core
        .get(member, "/v1/organisations?limit=200")
        .await?;
    Ok(listing.items)
}

/// The options of a `<select>` of organisations, "— Aucune —" first, `selected`
/// preselected.
pub fn organisation_choices(organisations: &[OrganisationRow], selected: &str) -> Vec<Choice> {
    let options: Vec<(String, &str)> = organisations
        .iter()
        .map(|o| (o.id.to_string(), o.name.as_str()))
        .collect();
    Choice::list(
        std::iter::once(("", "— Aucune —")).chain(
            options
                .iter()
                .map(|(value, label)| (value.as_str(), *label)),
        ),
        selected,
    )
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    layout: Layout,
    list: ListPage<OrganisationRow>,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    FormQuery(query): FormQuery<ListPageQuery>,
    Query(filter): Query<FilterQuery>,
) -> Result<Response, Error> {
    page(&OrganisationsPage {
        list: query.fetch(&state, &member, &ORGANISATIONS, filter).await?,
        layout: Layout::of(&member, "organisations"),
    })
}

/// The form as typed: strings, checked by core-records.
#[derive(Debug, Default, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    name: String,
    /// Chosen by the person, blank on a new form: a default would be a guess
    /// ("Financeur" was, wrongly).
    #[serde(default)]
    kind: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    territory: String,
    #[serde(flatten)]
    contact: ContactFields,
    /// The tenant's own fields, as typed.
    #[serde(flatten)]
    custom: CustomValues,
    #[serde(default)]
    website: String,
    #[serde(default)]
    notes: String,
    /// The version an edit was made from.
    version: Option<String>,
}

impl RecordForm for OrganisationForm {
    type Stored = OrganisationDetail;

    fn labels() -> Vec<(&'static str, &'static str)> {
        [
            ("name", "organisation-form-name"),
            ("kind", "organisation-form-kind"),
            ("sector", "organisation-form-sector"),
            ("territory", "organisation-form-territory"),
            ("website", "organisation-form-website"),
            ("notes", "form-notes"),
        ]
        .into_iter()
        .chain(ContactFields::LABELS)
        .collect()
    }

    fn of(stored: OrganisationDetail, _member: &Member) -> (Self, i64) {
        let form = Self {
            contact: ContactFields::of(&stored.emails, &stored.phones, stored.address),
            custom: CustomValues::of(&stored.custom),
            name: stored.name,
            kind: stored.kind,
            sector: stored.sector,
            territory: stored.territory,
            website: stored.website.unwrap_or_default(),
            notes: stored.notes,
            version: None,
        };
        (form, stored.version)
    }

    fn body(&self, _member: &Member) -> (serde_json::Value, FormErrors) {
        let mut refused = FormErrors::default();
        let mut body = serde_json::Map::new();
        body.insert("name".into(), self.name.trim().into());
        if self.kind.is_empty() {
            refused.insert("kind", "refused-organisation-kind".into());
        }
        body.insert("kind".into(), self.kind.as_str().into());
        body.insert("sector".into(), self.sector.trim().into());
        body.insert("territory".into(), self.territory.trim().into());
        self.contact.add_to(&mut body);
        refused.keep(self.custom.add_to(&mut body));
        body.insert("website".into(), self.website.trim().into());
        body.insert("notes".into(), self.notes.as_str().into());
        (body.into(), refused)
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        let mut values = vec![
            ("name", self.name.clone()),
            ("kind", kind_label(&self.kind).to_owned()),
            ("sector", self.sector.clone()),
            ("territory", self.territory.clone()),
            ("website", self.website.clone()),
            ("notes", self.notes.clone()),
        ];
        values.extend(self.contact.values());
        values
    }

    fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
pub struct OrganisationFormPage {
    layout: Layout,
    target: FormTarget,
    /// The tenant's own fields.
    custom: Vec<CustomInput>,
    kinds: Vec<Choice>,
    form: OrganisationForm,
    errors: FormErrors,
}

impl FormPages for OrganisationForm {
    const COLLECTION: &'static str = "organisations";
    const ADDING: &'static str = "organisation-form-adding";
    const RENAMES: &'static [(&'static str, &'static str)] = &ContactFields::RENAMES;

    type Page = OrganisationFormPage;

    fn name(&self) -> String {
        self.name.trim().to_owned()
    }

    fn similar_lookup(&self) -> Option<String> {
        Some(format!(
            "/v1/organisations/similar?{}",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("name", &self.name)
                .finish()
        ))
    }

    async fn page(
        state: &AppState,
        member: &Member,
        target: FormTarget,
        form: Self,
        errors: FormErrors,
    ) -> Result<OrganisationFormPage, Error> {
        let fields = custom_fields(state, member, "organisation").await?;
        Ok(OrganisationFormPage {
            layout: Layout::of(member, "organisations"),
            custom: form.custom.inputs(&fields),
            kinds: Choice::named(
                member.lang(),
                Some("form-choose-kind"),
                OrganisationKind::MESSAGE_PREFIX,
                OrganisationKind::VALUES.iter().copied(),
                &form.kind,
            ),
            target,
            form,
            errors,
        })
    }

    /// Back to the list, which says the organisation was added.
    fn added(member: &Member, _id: Uuid) -> String {
        format!("/t/{}/organisations?added=1", member.tenant.slug)
    }
}

#[derive(Debug, Deserialize)]
pub struct OrganisationDetail {
    name: String,
    kind: String,
    sector: String,
    territory: String,
    website: Option<String>,
    emails: Vec<EmailEntry>,
    phones: Vec<PhoneEntry>,
    address: Option<Address>,
    notes: String,
    #[serde(default)]
    custom: serde_json::Map<String, serde_json::Value>,
    version: i64,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    layout: Layout,
    /// The tenant's own fields that hold something: label, value.
    custom: Vec<(String, String)>,
    organisation: OrganisationDetail,
    affiliations: Vec<AffiliationRow>,
    engagements: Engagements,
    around: Surroundings,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let record = format!("/v1/organisations/{id}");
    let owner = format!("organisation_id={id}");
    // Independent reads of core-records, made at the same time.
    let (organisation, affiliations, engagements, around, fields): (
        OrganisationDetail,
        _,
        _,
        _,
        _,
    ) = tokio::try_join!(
        state.core.get(&member, &record),
        affiliations(&state, &member, &record),
        engagements(&state, &member, &owner),
        Surroundings::of(&state, &member, &record),
        custom_fields(&state, &member, "organisation"),
    )?;
    page(&OrganisationPage {
        layout: Layout::of(&member, "organisations"),
        custom: custom_facts(&fields, &organisation.custom, member.lang()),
        organisation,
        affiliations,
        engagements,
        around,
    })
}
