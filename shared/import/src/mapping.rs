//! Which field each column holds, guessed from its header.
//!
//! Headers are compared once folded (lower case, accents and punctuation gone): "Prénom",
//! "PRENOM" and "prénom :" are one header. The exports of the tools associations come
//! from are known by their own headers ("E-mail 1 - Value" is Google Contacts', "Business
//! Phone" Outlook's), so their columns are mapped without a guess.

use std::collections::HashSet;

use maillage_domain::import::ImportField;

/// The field of each column of the file, in the file's order; `None` leaves it out.
pub type Mapping = Vec<Option<ImportField>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub mapping: Mapping,
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
];

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
pub fn fold(header: &str) -> String {
    let mut folded = String::with_capacity(header.len());
    for c in header.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            'œ' => {
                folded.push('o');
                'e'
            }
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c != ' ' || !folded.ends_with(' ') && !folded.is_empty() {
            folded.push(c);
        }
    }
    folded.trim_end().to_owned()
}

/// The field of each header; a field goes to its first column only, so that "Phone 1"
/// and "Phone 2" do not both fill one phone.
pub fn suggest(headers: &[String]) -> Suggestion {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut taken = HashSet::new();
    let mut mapping: Mapping = folded
        .iter()
        .map(|header| {
            let field = HEADERS
                .iter()
                .find(|(_, names)| names.contains(&header.as_str()))
                .map(|(field, _)| *field)?;
            taken.insert(field).then_some(field)
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
    Suggestion { mapping, source }
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
    fn a_full_name_beside_given_and_family_names_is_left_out() {
        let suggestion = suggest(&headers(&["Name", "First Name", "Last Name"]));
        assert_eq!(suggestion.mapping[0], None);
    }
}
