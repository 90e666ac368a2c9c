//! People: the list, a person's page (details, affiliations, timeline) and the form to
//! add someone or change their details.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::Role;
use maillage_domain::kinds::ConsentBasis;
use maillage_domain::privacy::{ConsentChange, ConsentHistory};
use maillage_problem::{FormQuery, Path, Query};
use serde::Deserialize;
use uuid::Uuid;

use super::editing::{FormPages, FormTarget, RecordForm, blank_is_none, form_routes};
use super::lists::{FilterQuery, ListPage, ListPageQuery, PEOPLE};
use super::record_parts::{
    Address, AffiliationRow, ContactFields, CustomInput, CustomValues, EmailEntry, Engagements,
    PhoneEntry, Surroundings, affiliations, custom_facts, custom_fields, engagements,
};
use super::{Choice, FormErrors, Layout, page, tenant_zone};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/people", get(list))
        .route("/t/{slug}/people/{id}", get(show))
        .merge(form_routes::<PersonForm>())
}

#[derive(Debug, Deserialize)]
pub struct PersonRow {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<Address>,
    pub email_consent: bool,
    /// Where they belong today.
    #[serde(default)]
    pub current_organisations: Vec<OrganisationName>,
    pub updated_at: DateTime<Utc>,
}

/// An organisation a person belongs to, as a list names it.
#[derive(Debug, Deserialize)]
pub struct OrganisationName {
    pub id: Uuid,
    pub name: String,
}

impl PersonRow {
    /// Given name, then family name.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    /// The town of their address, if any.
    pub fn city(&self) -> &str {
        self.address.as_ref().map_or("", |a| a.city.as_str())
    }
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    list: ListPage<PersonRow>,
}

async fn list(
    State(state): State<AppState>,
    member: Member,
    FormQuery(query): FormQuery<ListPageQuery>,
    Query(filter): Query<FilterQuery>,
) -> Result<Response, Error> {
    page(&PeoplePage {
        list: query.fetch(&state, &member, &PEOPLE, filter).await?,
        layout: Layout::of(&member, "people"),
    })
}

/// The form as typed: strings, checked by core-records.
#[derive(Debug, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(flatten)]
    contact: ContactFields,
    /// The tenant's own fields, as typed.
    #[serde(flatten)]
    custom: CustomValues,
    /// The checkbox: sent ("on") when ticked, absent otherwise.
    email_consent: Option<String>,
    #[serde(default)]
    consent_basis: String,
    #[serde(default)]
    consent_on: String,
    #[serde(default)]
    consent_source: String,
    #[serde(default)]
    notes: String,
    /// The version an edit was made from.
    version: Option<String>,
}

impl RecordForm for PersonForm {
    type Stored = PersonDetail;

    fn labels() -> Vec<(&'static str, &'static str)> {
        [
            ("family_name", "person-form-family-name"),
            ("given_name", "person-form-given-name"),
            ("consent_basis", "person-form-consent-basis"),
            ("consent_on", "person-form-consent-on"),
            ("consent_source", "person-form-consent-source"),
            ("notes", "form-notes"),
        ]
        .into_iter()
        .chain(ContactFields::LABELS)
        .collect()
    }

    fn of(stored: PersonDetail, _member: &Member) -> (Self, i64) {
        let form = Self {
            contact: ContactFields::of(&stored.emails, &stored.phones, stored.address),
            custom: CustomValues::of(&stored.custom),
            given_name: stored.given_name,
            family_name: stored.family_name,
            email_consent: stored.email_consent.then(|| "on".into()),
            consent_basis: stored.consent_basis.unwrap_or_default(),
            consent_on: stored.consent_on.map(|d| d.to_string()).unwrap_or_default(),
            consent_source: stored.consent_source,
            notes: stored.notes,
            version: None,
        };
        (form, stored.version)
    }

    fn body(&self, _member: &Member) -> (serde_json::Value, FormErrors) {
        let mut refused = FormErrors::default();
        let mut body = serde_json::Map::new();
        body.insert("given_name".into(), self.given_name.trim().into());
        body.insert("family_name".into(), self.family_name.trim().into());
        self.contact.add_to(&mut body);
        refused.keep(self.custom.add_to(&mut body));
        body.insert("email_consent".into(), self.email_consent.is_some().into());
        body.insert(
            "consent_basis".into(),
            blank_is_none(&self.consent_basis).into(),
        );
        body.insert("consent_on".into(), blank_is_none(&self.consent_on).into());
        body.insert("consent_source".into(), self.consent_source.trim().into());
        body.insert("notes".into(), self.notes.as_str().into());
        (body.into(), refused)
    }

    fn values(&self) -> Vec<(&'static str, String)> {
        let consent = if self.email_consent.is_some() {
            "oui"
        } else {
            "non"
        };
        let mut values = vec![
            ("given_name", self.given_name.clone()),
            ("family_name", self.family_name.clone()),
            ("email_consent", consent.into()),
            ("consent_basis", self.consent_basis.clone()),
            ("consent_on", self.consent_on.clone()),
            ("consent_source", self.consent_source.clone()),
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
#[template(path = "person_form.html")]
pub struct PersonFormPage {
    layout: Layout,
    target: FormTarget,
    /// The tenant's own fields.
    custom: Vec<CustomInput>,
    bases: Vec<Choice>,
    form: PersonForm,
    errors: FormErrors,
}

impl FormPages for PersonForm {
    const COLLECTION: &'static str = "people";
    const ADDING: &'static str = "person-form-adding";
    const RENAMES: &'static [(&'static str, &'static str)] = &ContactFields::RENAMES;

    type Page = PersonFormPage;

    fn name(&self) -> String {
        format!("{} {}", self.given_name.trim(), self.family_name.trim())
            .trim()
            .to_owned()
    }

    fn similar_lookup(&self) -> Option<String> {
        Some(format!(
            "/v1/people/similar?{}",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("given_name", &self.given_name)
                .append_pair("family_name", &self.family_name)
                .append_pair("email", &self.contact.email)
                .finish()
        ))
    }

    async fn page(
        state: &AppState,
        member: &Member,
        target: FormTarget,
        form: Self,
        errors: FormErrors,
    ) -> Result<PersonFormPage, Error> {
        let fields = custom_fields(state, member, "person").await?;
        Ok(PersonFormPage {
            layout: Layout::of(member, "people"),
            custom: form.custom.inputs(&fields),
            bases: Choice::named(
                member.lang(),
                Some("form-basis-not-given"),
                ConsentBasis::MESSAGE_PREFIX,
                ConsentBasis::VALUES.iter().copied(),
                &form.consent_basis,
            ),
            target,
            form,
            errors,
        })
    }

    /// Back to the list, which says the person was added.
    fn added(member: &Member, _id: Uuid) -> String {
        format!("/t/{}/people?added=1", member.tenant.slug)
    }
}

#[derive(Debug, Deserialize)]
pub struct PersonDetail {
    given_name: String,
    family_name: String,
    emails: Vec<EmailEntry>,
    phones: Vec<PhoneEntry>,
    address: Option<Address>,
    email_consent: bool,
    consent_basis: Option<String>,
    consent_on: Option<NaiveDate>,
    consent_source: String,
    notes: String,
    #[serde(default)]
    custom: serde_json::Map<String, serde_json::Value>,
    version: i64,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    /// The tenant's own fields that hold something: label, value.
    custom: Vec<(String, String)>,
    person: PersonDetail,
    affiliations: Vec<AffiliationRow>,
    engagements: Engagements,
    around: Surroundings,
    /// The states of the person's consent, the latest first, each with its day.
    consent: Vec<(String, ConsentChange)>,
    /// Admins may hand out the person's data and erase them.
    is_admin: bool,
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let record = format!("/v1/people/{id}");
    let owner = format!("person_id={id}");
    let consent_history = format!("{record}/consent-history");
    // Independent reads of core-records, made at the same time.
    let (person, affiliations, engagements, around, fields, consent): (
        PersonDetail,
        _,
        _,
        _,
        _,
        ConsentHistory,
    ) = tokio::try_join!(
        state.core.get(&member, &record),
        affiliations(&state, &member, &record),
        engagements(&state, &member, &owner),
        Surroundings::of(&state, &member, &record),
        custom_fields(&state, &member, "person"),
        state.core.get(&member, &consent_history),
    )?;
    let zone = tenant_zone(&member);
    let lang = member.lang();
    page(&PersonPage {
        layout: Layout::of(&member, "people"),
        custom: custom_facts(&fields, &person.custom, lang),
        person,
        affiliations,
        engagements,
        around,
        consent: consent
            .changes
            .into_iter()
            .map(|change| (lang.date_time(change.changed_at, zone), change))
            .collect(),
        is_admin: member.role >= Role::Admin,
    })
}
