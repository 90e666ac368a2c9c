//! Which field each column holds, guessed from its header.
//!
//! Headers are compared once folded (lower case, accents and punctuation gone): "Prénom",
//! "PRENOM" and "prénom :" are one header. The exports of the tools associations come
//! from are known by their own headers ("E-mail 1 - Value" is Google Contacts', "Business
//! Phone" Outlook's), so their columns are mapped without a guess.

use std::collections::HashSet;

use maillage_domain::import::{ColumnTransform, ImportField};

/// The field of each column of the file, in the file's order; `None` leaves it out.
pub type Mapping = Vec<Option<ImportField>>;

/// How each column's cells are changed before they are read, in the file's order; `None`
/// (or a column beyond its end) as written.
pub type Transforms = Vec<Option<ColumnTransform>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub mapping: Mapping,
    pub transforms: Transforms,
    /// The tool whose export the headers are, when they say so.
    pub source: Option<&'static str>,
}

/// Folded headers of each field, French and English, and those of the known exports.
const HEADERS: &[(ImportField, &[&str])] = &[
    (
        ImportField::GivenName,
        &[
            "prenom",
            "prenoms",
            "first name",
            "firstname",
            "given name",
            "name first name",
        ],
    ),
    (
        ImportField::FamilyName,
        &[
            "nom",
            "nom de famille",
            "last name",
            "lastname",
            "family name",
            "surname",
            "name last name",
        ],
    ),
    (
        ImportField::FullName,
        &[
            "nom complet",
            "nom et prenom",
            "prenom et nom",
            "nom prenom",
            "prenom nom",
            "full name",
            "name",
            "display name",
            "sort name",
            "contact",
        ],
    ),
    (
        ImportField::Email,
        &[
            "email",
            "e mail",
            "courriel",
            "mail",
            "adresse e mail",
            "adresse email",
            "adresse mail",
            "email address",
            "e mail address",
            "e mail 1 value",
            "emails primary email",
            "primary email",
        ],
    ),
    (
        ImportField::Phone,
        &[
            "telephone",
            "tel",
            "telephone fixe",
            "phone",
            "phone number",
            "phone 1 value",
            "business phone",
            "primary phone",
            "home phone",
            "phones primary phone number",
        ],
    ),
    (
        ImportField::Mobile,
        &[
            "mobile",
            "portable",
            "telephone portable",
            "tel portable",
            "mobile phone",
            "phone 2 value",
        ],
    ),
    (
        ImportField::Street,
        &[
            "adresse",
            "rue",
            "adresse postale",
            "street",
            "street address",
            "address",
            "address 1 street",
            "business street",
            "home street",
        ],
    ),
    (
        ImportField::PostalCode,
        &[
            "code postal",
            "cp",
            "postal code",
            "zip",
            "zip code",
            "address 1 postal code",
            "business postal code",
            "home postal code",
        ],
    ),
    (
        ImportField::City,
        &[
            "ville",
            "commune",
            "localite",
            "city",
            "address 1 city",
            "business city",
            "home city",
        ],
    ),
    (
        ImportField::EmailConsent,
        &[
            "consentement",
            "consentement email",
            "accepte les e mails",
            "accepte les emails",
            "newsletter",
            "opt in",
            "optin",
            "email consent",
        ],
    ),
    (
        ImportField::ConsentOn,
        &[
            "date du consentement",
            "date de consentement",
            "consentement le",
            "consent date",
        ],
    ),
    (
        ImportField::Notes,
        &[
            "notes",
            "note",
            "commentaire",
            "commentaires",
            "remarques",
            "observations",
        ],
    ),
    (
        ImportField::OrganisationName,
        &[
            "organisation",
            "organization",
            "structure",
            "entreprise",
            "societe",
            "association",
            "employeur",
            "company",
            "employer",
            "current employer",
            "organization name",
            "organization 1 name",
            "company name",
        ],
    ),
    (
        ImportField::OrganisationKind,
        &[
            "type d organisation",
            "type de structure",
            "type organisation",
            "type de l organisation",
            "organisation type",
            "organization type",
        ],
    ),
    (
        ImportField::OrganisationEmail,
        &[
            "email de l organisation",
            "email structure",
            "organisation email",
        ],
    ),
    (
        ImportField::OrganisationPhone,
        &[
            "telephone de l organisation",
            "telephone structure",
            "standard",
            "company main phone",
            "organisation phone",
        ],
    ),
    (
        ImportField::OrganisationWebsite,
        &[
            "site web",
            "site internet",
            "site",
            "website",
            "web page",
            "company domain name",
        ],
    ),
    (
        ImportField::OrganisationSector,
        &[
            "secteur",
            "secteur d activite",
            "domaine",
            "sector",
            "industry",
        ],
    ),
    (
        ImportField::OrganisationTerritory,
        &["territoire", "territory", "region"],
    ),
    (
        ImportField::Role,
        &[
            "fonction",
            "poste",
            "role",
            "titre",
            "job title",
            "title",
            "organization title",
            "organization 1 title",
        ],
    ),
    (
        ImportField::Tags,
        &[
            "etiquettes",
            "etiquette",
            "tags",
            "tag",
            "groupes",
            "groups",
            "group s",
            "labels",
            "categories",
            "group membership",
        ],
    ),
    (
        ImportField::ActivityOn,
        &[
            "date de l activite",
            "date activite",
            "date du rendez vous",
            "date de la reunion",
            "activity date",
            "activity date time",
        ],
    ),
    (
        ImportField::ActivityKind,
        &["type d activite", "type activite", "activity type"],
    ),
    (
        ImportField::ActivitySubject,
        &[
            "objet",
            "sujet",
            "objet de l activite",
            "subject",
            "activity subject",
        ],
    ),
    (
        ImportField::ActivityBody,
        &[
            "compte rendu",
            "compte rendu de l activite",
            "activity details",
        ],
    ),
    (
        ImportField::EngagementKind,
        &[
            "type d engagement",
            "type de don",
            "type de versement",
            "financial type",
            "contribution type",
        ],
    ),
    (
        ImportField::EngagementAmount,
        &[
            "montant",
            "montant du don",
            "montant de la cotisation",
            "somme",
            "amount",
            "total amount",
        ],
    ),
    (
        ImportField::EngagementHours,
        &[
            "heures",
            "heures de benevolat",
            "nombre d heures",
            "duree",
            "hours",
            "volunteer hours",
        ],
    ),
    (
        ImportField::EngagementOn,
        &[
            "date du don",
            "date de paiement",
            "date du versement",
            "date de la cotisation",
            "date d adhesion",
            "date received",
            "receive date",
            "contribution date",
        ],
    ),
    (
        ImportField::EngagementCampaign,
        &[
            "campagne",
            "campaign",
            "contribution source",
            "source du don",
        ],
    ),
];

/// Headers that say the opposite of their field: "no" there means "yes".
const NEGATED: &[(ImportField, &[&str])] = &[(
    ImportField::EmailConsent,
    &[
        "ne pas contacter",
        "ne pas envoyer d e mails",
        "refuse les e mails",
        "desinscrit",
        "do not email",
        "do not mail",
        "opt out",
        "is opt out",
        "unsubscribed",
    ],
)];

/// The exports recognised by a header only they have.
const SOURCES: &[(&str, &[&str])] = &[
    (
        "Google Contacts",
        &["e mail 1 value", "group membership", "phone 1 value"],
    ),
    (
        "Outlook",
        &[
            "e mail address",
            "business phone",
            "mobile phone",
            "web page",
        ],
    ),
    (
        "CiviCRM",
        &["contact id", "display name", "current employer"],
    ),
    (
        "Twenty",
        &["emails primary email", "name first name", "company name"],
    ),
];

/// `header` in lower case, without accents or punctuation, words separated by one space.
pub use maillage_domain::text::fold;

/// The field of each header; a field goes to its first column only, so that "Phone 1"
/// and "Phone 2" do not both fill one phone.
pub fn suggest(headers: &[String]) -> Suggestion {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut taken = HashSet::new();
    let mut transforms: Transforms = vec![None; folded.len()];
    let mut mapping: Mapping = folded
        .iter()
        .zip(&mut transforms)
        .map(|(header, transform)| {
            let field = HEADERS
                .iter()
                .find(|(_, names)| names.contains(&header.as_str()))
                .map(|(field, _)| *field);
            let field = match field {
                Some(field) => field,
                None => {
                    let negated = NEGATED
                        .iter()
                        .find(|(_, names)| names.contains(&header.as_str()))
                        .map(|(field, _)| *field)?;
                    *transform = Some(ColumnTransform::Negate);
                    negated
                }
            };
            if taken.insert(field) {
                Some(field)
            } else {
                *transform = None;
                None
            }
        })
        .collect();
    // A full name column is of no use beside separate given and family names.
    if taken.contains(&ImportField::GivenName) && taken.contains(&ImportField::FamilyName) {
        for field in &mut mapping {
            if *field == Some(ImportField::FullName) {
                *field = None;
            }
        }
    }
    let source = SOURCES
        .iter()
        .find(|(_, marks)| folded.iter().any(|h| marks.contains(&h.as_str())))
        .map(|(name, _)| *name);
    Suggestion {
        mapping,
        transforms,
        source,
    }
}

/// A mapping saved to be used again: the folded headers it was made for, and the field
/// and transform of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template {
    pub headers: Vec<String>,
    pub mapping: Mapping,
    pub transforms: Transforms,
}

impl Template {
    /// The template of a file's `headers` (as written) and their mapping.
    pub fn of(headers: &[String], mapping: &Mapping, transforms: &Transforms) -> Self {
        Self {
            headers: headers.iter().map(|h| fold(h)).collect(),
            mapping: mapping.clone(),
            transforms: (0..headers.len())
                .map(|i| transforms.get(i).copied().flatten())
                .collect(),
        }
    }

    /// Whether a file of `headers` has the very columns it was made for, in any order.
    pub fn fits(&self, headers: &[String]) -> bool {
        let mut theirs: Vec<String> = headers.iter().map(|h| fold(h)).collect();
        let mut ours = self.headers.clone();
        theirs.sort_unstable();
        ours.sort_unstable();
        theirs == ours
    }

    /// The mapping of a file of `headers`: each column takes the field and transform of
    /// the template's column of the same header; columns it does not know are left out.
    pub fn apply(&self, headers: &[String]) -> (Mapping, Transforms) {
        let mut taken = HashSet::new();
        headers
            .iter()
            .map(|header| {
                let folded = fold(header);
                let Some(at) = self.headers.iter().position(|h| *h == folded) else {
                    return (None, None);
                };
                match self.mapping.get(at).copied().flatten() {
                    Some(field) if taken.insert(field) => {
                        (Some(field), self.transforms.get(at).copied().flatten())
                    }
                    _ => (None, None),
                }
            })
            .unzip()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn french_headers_are_read_whatever_their_case_and_accents() {
        let suggestion = suggest(&headers(&[
            "PRÉNOM",
            "Nom :",
            "Courriel",
            "Téléphone portable",
            "Structure",
            "Fonction",
            "Étiquettes",
            "Colonne inconnue",
        ]));
        assert_eq!(
            suggestion.mapping,
            vec![
                Some(ImportField::GivenName),
                Some(ImportField::FamilyName),
                Some(ImportField::Email),
                Some(ImportField::Mobile),
                Some(ImportField::OrganisationName),
                Some(ImportField::Role),
                Some(ImportField::Tags),
                None,
            ]
        );
        assert_eq!(suggestion.source, None);
    }

    #[test]
    fn known_exports_are_recognised_and_mapped() {
        let google = suggest(&headers(&[
            "First Name",
            "Last Name",
            "E-mail 1 - Value",
            "E-mail 2 - Value",
            "Phone 1 - Value",
            "Organization Name",
            "Organization Title",
            "Labels",
        ]));
        assert_eq!(google.source, Some("Google Contacts"));
        assert_eq!(
            google.mapping,
            vec![
                Some(ImportField::GivenName),
                Some(ImportField::FamilyName),
                Some(ImportField::Email),
                None,
                Some(ImportField::Phone),
                Some(ImportField::OrganisationName),
                Some(ImportField::Role),
                Some(ImportField::Tags),
            ]
        );
        let outlook = suggest(&headers(&[
            "First Name",
            "Last Name",
            "E-mail Address",
            "Business Phone",
            "Company",
            "Job Title",
        ]));
        assert_eq!(outlook.source, Some("Outlook"));
        assert!(outlook.mapping.iter().all(Option::is_some));
        let civicrm = suggest(&headers(&[
            "Contact ID",
            "Display Name",
            "Email",
            "Current Employer",
        ]));
        assert_eq!(civicrm.source, Some("CiviCRM"));
        assert_eq!(civicrm.mapping[1], Some(ImportField::FullName));
        assert_eq!(civicrm.mapping[3], Some(ImportField::OrganisationName));
        let twenty = suggest(&headers(&[
            "Name / First Name",
            "Name / Last Name",
            "Emails / Primary Email",
            "Company / Name",
        ]));
        assert_eq!(twenty.source, Some("Twenty"));
        assert_eq!(
            twenty.mapping[..3],
            [
                Some(ImportField::GivenName),
                Some(ImportField::FamilyName),
                Some(ImportField::Email)
            ]
        );
        assert_eq!(twenty.mapping[3], Some(ImportField::OrganisationName));
    }

    #[test]
    fn history_columns_and_negated_consent_are_recognised() {
        let suggestion = suggest(&headers(&[
            "Email",
            "Do Not Email",
            "Financial Type",
            "Total Amount",
            "Date Received",
            "Date de l'activité",
            "Objet",
        ]));
        assert_eq!(
            suggestion.mapping,
            vec![
                Some(ImportField::Email),
                Some(ImportField::EmailConsent),
                Some(ImportField::EngagementKind),
                Some(ImportField::EngagementAmount),
                Some(ImportField::EngagementOn),
                Some(ImportField::ActivityOn),
                Some(ImportField::ActivitySubject),
            ]
        );
        assert_eq!(suggestion.transforms[1], Some(ColumnTransform::Negate));
        assert!(suggestion.transforms.iter().skip(2).all(Option::is_none));
    }

    #[test]
    fn a_template_is_applied_by_header_whatever_the_order() {
        let saved = Template::of(
            &headers(&["NOM", "Courriel", "Ne pas contacter"]),
            &vec![
                Some(ImportField::FullName),
                Some(ImportField::Email),
                Some(ImportField::EmailConsent),
            ],
            &vec![
                Some(ColumnTransform::FamilyNameFirst),
                None,
                Some(ColumnTransform::Negate),
            ],
        );
        let file = headers(&["Ne pas contacter", "nom", "courriel"]);
        assert!(saved.fits(&file));
        assert!(!saved.fits(&headers(&["nom", "courriel"])));
        let (mapping, transforms) = saved.apply(&headers(&["Nom", "Ville", "Ne pas contacter"]));
        assert_eq!(
            mapping,
            vec![
                Some(ImportField::FullName),
                None,
                Some(ImportField::EmailConsent)
            ]
        );
        assert_eq!(
            transforms,
            vec![
                Some(ColumnTransform::FamilyNameFirst),
                None,
                Some(ColumnTransform::Negate)
            ]
        );
    }

    #[test]
    fn a_full_name_beside_given_and_family_names_is_left_out() {
        let suggestion = suggest(&headers(&["Name", "First Name", "Last Name"]));
        assert_eq!(suggestion.mapping[0], None);
    }
}
