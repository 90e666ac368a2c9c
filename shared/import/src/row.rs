//! One row's cells turned into the records it carries.

use chrono::NaiveDate;
use maillage_domain::EmailAddress;
use maillage_domain::contact::Address;
use maillage_domain::import::{ColumnTransform, ImportField};
use maillage_domain::text;

use crate::history::{self, ActivityPart, EngagementPart, HistoryReading};
use crate::{Mapping, Transforms};

/// The person a row names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonPart {
    pub given_name: String,
    pub family_name: String,
    /// Checked and in lower case.
    pub email: Option<String>,
    /// In E.164 when they are French or international numbers.
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub address: Option<Address>,
    pub email_consent: Option<bool>,
    pub consent_on: Option<NaiveDate>,
    pub notes: String,
}

/// The organisation a row names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationPart {
    pub name: String,
    /// One of the kinds of `organisations.kind`.
    pub kind: Option<&'static str>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub sector: String,
    pub territory: String,
}

/// What one row carries: a person, their organisation (or either alone), the person's
/// role there, tags for both, and history: an activity about them, an engagement of theirs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedRow {
    pub person: Option<PersonPart>,
    pub organisation: Option<OrganisationPart>,
    pub role: String,
    pub tags: Vec<String>,
    pub activity: Option<ActivityPart>,
    pub engagement: Option<EngagementPart>,
}

/// Why one cell cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The column, counted from 0.
    pub column: usize,
    pub reason: String,
}

/// Reads a row through `mapping`, each cell changed first by its column's transform (if
/// any): `Ok(None)` for a row that fills no field (left out), or every problem of its
/// cells.
pub fn read_row(
    cells: &[String],
    mapping: &Mapping,
    transforms: &Transforms,
) -> Result<Option<ImportedRow>, Vec<CellError>> {
    let mut reading = Reading::default();
    for (column, field) in mapping.iter().enumerate() {
        let (Some(field), Some(cell)) = (field, cells.get(column)) else {
            continue;
        };
        let value = text::trim_blank(cell);
        if value.is_empty() {
            continue;
        }
        let transform = transforms
            .get(column)
            .copied()
            .flatten()
            .filter(|t| t.fits(*field));
        if let Err(reason) = reading.take(*field, value, transform) {
            reading.errors.push(CellError { column, reason });
        }
    }
    reading.finish()
}

#[derive(Default)]
struct Reading {
    row: ImportedRow,
    person: PersonPart,
    organisation: OrganisationPart,
    address: Address,
    history: HistoryReading,
    errors: Vec<CellError>,
    /// A column of the row was mapped to a person's or an organisation's field.
    names_person: bool,
    names_organisation: bool,
}

impl Reading {
    fn take(
        &mut self,
        field: ImportField,
        value: &str,
        transform: Option<ColumnTransform>,
    ) -> Result<(), String> {
        if let Some(defect) = text::defect(value) {
            return Err(defect.message().to_owned());
        }
        if looks_like_a_formula(value) {
            return Err(
                "ressemble à une formule de tableur (commence par =, +, - ou @) : refusée par précaution"
                    .into(),
            );
        }
        let capitalised;
        let value = if transform == Some(ColumnTransform::Capitalise) {
            capitalised = capitalise(value);
            capitalised.as_str()
        } else {
            value
        };
        let month_first = transform == Some(ColumnTransform::MonthFirst);
        let date = |value: &str| {
            written_date(value, month_first).ok_or_else(|| {
                if month_first {
                    format!("« {value} » n'est pas une date (12/31/2025 ou 2025-12-31)")
                } else {
                    format!("« {value} » n'est pas une date (31/12/2025 ou 2025-12-31)")
                }
            })
        };
        use ImportField as F;
        let person = &mut self.person;
        let organisation = &mut self.organisation;
        match field {
            F::GivenName => person.given_name = bounded(value, 200)?,
            F::FamilyName => person.family_name = bounded(value, 200)?,
            F::FullName => {
                let (given, family) = if transform == Some(ColumnTransform::FamilyNameFirst) {
                    split_family_name_first(value)
                } else {
                    split_full_name(value)
                };
                person.given_name = bounded(&given, 200)?;
                person.family_name = bounded(&family, 200)?;
            }
            F::Email => person.email = Some(email(value)?),
            F::Phone => person.phone = Some(phone(value)?),
            F::Mobile => person.mobile = Some(phone(value)?),
            F::Street => self.address.street = bounded(value, 300)?,
            F::PostalCode => self.address.postal_code = bounded(value, 20)?,
            F::City => self.address.city = bounded(value, 100)?,
            F::EmailConsent => {
                let yes = yes_or_no(value)?;
                person.email_consent = Some(yes != (transform == Some(ColumnTransform::Negate)));
            }
            F::ConsentOn => person.consent_on = Some(date(value)?),
            F::Notes => person.notes = bounded(value, 10_000)?,
            F::OrganisationName => organisation.name = bounded(value, 200)?,
            F::OrganisationKind => organisation.kind = Some(organisation_kind(value)?),
            F::OrganisationEmail => organisation.email = Some(email(value)?),
            F::OrganisationPhone => organisation.phone = Some(phone(value)?),
            F::OrganisationWebsite => organisation.website = Some(website(value)?),
            F::OrganisationSector => organisation.sector = bounded(value, 100)?,
            F::OrganisationTerritory => organisation.territory = bounded(value, 100)?,
            F::Role => self.row.role = bounded(value, 200)?,
            F::Tags => self.row.tags = tags(value)?,
            F::ActivityOn => self.history.activity_on = Some(date(value)?),
            F::ActivityKind => self.history.activity_kind = Some(history::activity_kind(value)?),
            F::ActivitySubject => self.history.activity_subject = bounded(value, 300)?,
            F::ActivityBody => self.history.activity_body = bounded(value, 20_000)?,
            F::EngagementKind => {
                self.history.engagement_kind = Some(history::engagement_kind(value)?);
            }
            F::EngagementAmount => self.history.amount_cents = Some(history::amount_cents(value)?),
            F::EngagementHours => self.history.minutes = Some(history::minutes(value)?),
            F::EngagementOn => self.history.engagement_on = Some(date(value)?),
            F::EngagementCampaign => self.history.campaign = bounded(value, 200)?,
        }
        match field {
            F::OrganisationName
            | F::OrganisationKind
            | F::OrganisationEmail
            | F::OrganisationPhone
            | F::OrganisationWebsite
            | F::OrganisationSector
            | F::OrganisationTerritory => self.names_organisation = true,
            F::Role
            | F::Tags
            | F::ActivityOn
            | F::ActivityKind
            | F::ActivitySubject
            | F::ActivityBody
            | F::EngagementKind
            | F::EngagementAmount
            | F::EngagementHours
            | F::EngagementOn
            | F::EngagementCampaign => {}
            _ => self.names_person = true,
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Option<ImportedRow>, Vec<CellError>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        if self.names_person {
            if self.person.family_name.is_empty() {
                // A person known only by a given name or an email still needs a name to
                // be found by: the given name, or the email's local part.
                let fallback = if self.person.given_name.is_empty() {
                    self.person
                        .email
                        .as_deref()
                        .and_then(|e| e.split('@').next())
                        .unwrap_or_default()
                        .to_owned()
                } else {
                    std::mem::take(&mut self.person.given_name)
                };
                self.person.family_name = fallback;
            }
            if self.person.family_name.is_empty() {
                return Err(vec![CellError {
                    column: 0,
                    reason: "la personne n'a ni nom ni e-mail".into(),
                }]);
            }
            if self.address != Address::default() {
                self.person.address = Some(self.address);
            }
            self.row.person = Some(self.person);
        }
        if self.names_organisation {
            if self.organisation.name.is_empty() {
                return Err(vec![CellError {
                    column: 0,
                    reason: "l'organisation n'a pas de nom".into(),
                }]);
            }
            self.row.organisation = Some(self.organisation);
        }
        let (activity, engagement) = self.history.finish().map_err(|reason| {
            vec![CellError {
                column: 0,
                reason: reason.to_owned(),
            }]
        })?;
        if self.row.person.is_none() && self.row.organisation.is_none() {
            if activity.is_some() || engagement.is_some() {
                return Err(vec![CellError {
                    column: 0,
                    reason: "l'historique de la ligne n'est rattaché à personne : ni personne ni organisation"
                        .into(),
                }]);
            }
            return Ok(None);
        }
        self.row.activity = activity;
        self.row.engagement = engagement;
        Ok(Some(self.row))
    }
}

/// What a spreadsheet would run if the cell went back into one: `=`, `@`, or a sign not
/// followed by a number (a phone "+33 6…" or an amount "-12,5" are data).
fn looks_like_a_formula(value: &str) -> bool {
    let mut chars = value.chars();
    match chars.next() {
        Some('=' | '@') => true,
        Some('+' | '-') => !chars
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == ' ' || c == '(' || c == '-'),
        _ => false,
    }
}

fn bounded(value: &str, max: usize) -> Result<String, String> {
    if value.chars().count() > max {
        return Err(format!("dépasse {max} caractères"));
    }
    Ok(value.to_owned())
}

fn email(value: &str) -> Result<String, String> {
    EmailAddress::parse(value)
        .map(|e| String::from(e).to_lowercase())
        .map_err(|_| format!("« {value} » n'est pas une adresse e-mail"))
}

/// A phone number in E.164 when it can be: French numbers written the French way
/// (06 12 34 56 78, 0033 6…, or 6 12 34 56 78 whose 0 a spreadsheet ate), and any
/// number given with its country code.
pub fn phone(value: &str) -> Result<String, String> {
    let unreadable = || format!("« {value} » n'est pas un numéro de téléphone");
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-.()/\u{a0}".contains(c))
    {
        return Err(unreadable());
    }
    // "+33 (0)6…": the 0 is for calls from within France only.
    let digits: String = value
        .replace("(0)", "")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let international = value.trim_start().starts_with('+');
    let normalised = if international {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if digits.len() == 10 && digits.starts_with('0') {
        format!("+33{}", &digits[1..])
    } else if digits.len() == 9 && !digits.starts_with('0') {
        format!("+33{digits}")
    } else if digits.len() == 11 && digits.starts_with("33") {
        format!("+{digits}")
    } else if (3..=6).contains(&digits.len()) {
        // A short number (15, 3949): kept as written.
        digits
    } else {
        return Err(unreadable());
    };
    if normalised.len() > 16 {
        return Err(unreadable());
    }
    Ok(normalised)
}

fn website(value: &str) -> Result<String, String> {
    let address = if value.contains("://") {
        value.to_owned()
    } else {
        format!("https://{value}")
    };
    let valid = (address.starts_with("https://") || address.starts_with("http://"))
        && !address.contains(char::is_whitespace)
        && address.len() <= 300;
    valid
        .then_some(address)
        .ok_or_else(|| format!("« {value} » n'est pas une adresse de site web"))
}

/// "Oui/Non" in the ways spreadsheets write it.
pub fn yes_or_no(value: &str) -> Result<bool, String> {
    match crate::mapping::fold(value).as_str() {
        "oui" | "o" | "yes" | "y" | "vrai" | "true" | "1" | "x" => Ok(true),
        "non" | "n" | "no" | "faux" | "false" | "0" => Ok(false),
        _ => Err(format!("« {value} » : attendu Oui ou Non")),
    }
}

fn organisation_kind(value: &str) -> Result<&'static str, String> {
    let folded = crate::mapping::fold(value);
    let kind = match folded.as_str() {
        "financeur" | "funder" | "bailleur" | "fondation" | "foundation" => "funder",
        "collectivite" | "public" | "organisme public" | "public body" | "mairie" | "commune"
        | "etat" | "departement" | "region" | "administration" => "public_body",
        "association" | "asso" => "association",
        "entreprise" | "societe" | "company" | "business" => "company",
        "reseau" | "federation" | "network" | "collectif" => "network",
        "autre" | "other" => "other",
        _ => {
            return Err(format!(
                "type « {value} » inconnu : financeur, collectivité, association, entreprise, réseau ou autre"
            ));
        }
    };
    Ok(kind)
}

/// Tags separated by commas, semicolons or Google's " ::: ".
fn tags(value: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in value.split([',', ';']).flat_map(|t| t.split(":::")) {
        let tag = text::trim_blank(tag);
        // Google's system groups ("* myContacts") say nothing about the contact.
        if tag.is_empty() || tag.starts_with('*') {
            continue;
        }
        let tag = bounded(tag, 60)?;
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

/// "Camille Martin" → (Camille, Martin); "MARTIN Camille" → (Camille, MARTIN), the family
/// name being the words in capitals; "Martin, Camille" → (Camille, Martin).
pub fn split_full_name(value: &str) -> (String, String) {
    if let Some((family, given)) = value.split_once(',') {
        return (given.trim().to_owned(), family.trim().to_owned());
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    let shouting =
        |w: &&str| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase);
    let capitals: Vec<&str> = words.iter().copied().filter(shouting).collect();
    if !capitals.is_empty() && capitals.len() < words.len() {
        let given: Vec<&str> = words.iter().copied().filter(|w| !shouting(w)).collect();
        return (given.join(" "), capitals.join(" "));
    }
    match words.split_first() {
        Some((given, family)) if !family.is_empty() => ((*given).to_owned(), family.join(" ")),
        _ => (String::new(), value.trim().to_owned()),
    }
}

/// "Martin Camille" → (Camille, Martin): the first word is the family name, whatever
/// its case; "Martin, Camille" as with [`split_full_name`].
pub fn split_family_name_first(value: &str) -> (String, String) {
    if value.contains(',') {
        return split_full_name(value);
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    match words.split_first() {
        Some((family, given)) if !given.is_empty() => (given.join(" "), (*family).to_owned()),
        _ => (String::new(), value.trim().to_owned()),
    }
}

/// "DUPONT", "jean-pierre" → "Dupont", "Jean-Pierre": each word's first letter in
/// capitals, after a space, a hyphen or an apostrophe ("D'Arc").
pub fn capitalise(value: &str) -> String {
    let mut written = String::with_capacity(value.len());
    let mut starts_word = true;
    for c in value.chars() {
        if starts_word {
            written.extend(c.to_uppercase());
        } else {
            written.extend(c.to_lowercase());
        }
        starts_word = matches!(c, ' ' | '-' | '\'' | '’' | '\u{a0}');
    }
    written
}

/// A date as French spreadsheets write it (31/12/2025, 31-12-25, 31.12.2025) or ISO.
/// Two-digit years are of this century up to 69, of the last one from 70 on.
pub fn french_date(value: &str) -> Option<NaiveDate> {
    written_date(value, false)
}

/// A date written day first (the French way) or, `month_first`, as American exports
/// write it (12/31/2025); ISO either way.
fn written_date(value: &str, month_first: bool) -> Option<NaiveDate> {
    let value = value.trim();
    // A spreadsheet's date and time ("31/12/2025 14:30"): the day is what counts.
    let value = value.split_once(' ').map_or(value, |(day, _)| day);
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = value.split(['/', '-', '.']).collect();
    let [first, second, year] = parts[..] else {
        return None;
    };
    let (day, month) = if month_first {
        (second, first)
    } else {
        (first, second)
    };
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    let year = match year.len() {
        2 => number(year, 2..=2).map(|y| if y < 70 { 2000 + y } else { 1900 + y })?,
        _ => number(year, 4..=4)?,
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        number(month, 1..=2)?,
        number(day, 1..=2)?,
    )
}

#[cfg(test)]
mod tests {
    use maillage_domain::kinds::{ActivityKind, EngagementKind};

    use super::*;

    fn row(pairs: &[(ImportField, &str)]) -> Result<Option<ImportedRow>, Vec<CellError>> {
        let mapping: Mapping = pairs.iter().map(|(f, _)| Some(*f)).collect();
        let cells: Vec<String> = pairs.iter().map(|(_, v)| (*v).to_owned()).collect();
        read_row(&cells, &mapping, &Vec::new())
    }

    #[test]
    fn a_row_carries_a_person_their_organisation_and_tags() {
        let read = row(&[
            (ImportField::FullName, "DUPONT Marie-Claire"),
            (ImportField::Email, " Marie.Dupont@Exemple.FR "),
            (ImportField::Phone, "06 12 34 56 78"),
            (ImportField::EmailConsent, "Oui"),
            (ImportField::OrganisationName, "Mairie de Lyon"),
            (ImportField::OrganisationKind, "Collectivité"),
            (ImportField::Role, "Chargée de mission"),
            (ImportField::Tags, "élus; Culture , culture"),
        ]);
        let Ok(Some(read)) = read else {
            panic!("{read:?}");
        };
        let person = read.person.unwrap_or_default();
        assert_eq!(person.given_name, "Marie-Claire");
        assert_eq!(person.family_name, "DUPONT");
        assert_eq!(person.email.as_deref(), Some("marie.dupont@exemple.fr"));
        assert_eq!(person.phone.as_deref(), Some("+33612345678"));
        assert_eq!(person.email_consent, Some(true));
        let organisation = read.organisation.unwrap_or_default();
        assert_eq!(organisation.kind, Some("public_body"));
        assert_eq!(read.role, "Chargée de mission");
        assert_eq!(read.tags, ["élus", "Culture"]);
    }

    #[test]
    fn each_bad_cell_is_named_with_its_column() {
        let Err(errors) = row(&[
            (ImportField::FamilyName, "Martin"),
            (ImportField::Email, "pas-une-adresse"),
            (ImportField::Phone, "appelez-moi"),
            (ImportField::Notes, "=cmd|' /C calc'!A0"),
            (ImportField::EmailConsent, "peut-être"),
        ]) else {
            panic!("accepted");
        };
        let columns: Vec<usize> = errors.iter().map(|e| e.column).collect();
        assert_eq!(columns, [1, 2, 3, 4]);
        assert!(errors[2].reason.contains("formule"), "{errors:?}");
    }

    #[test]
    fn phones_are_written_in_e164() {
        for (written, e164) in [
            ("06 12 34 56 78", "+33612345678"),
            ("06.12.34.56.78", "+33612345678"),
            ("612345678", "+33612345678"),
            ("+33 (0)6 12 34 56 78", "+33612345678"),
            ("0033 6 12 34 56 78", "+33612345678"),
            ("+32 2 123 45 67", "+3221234567"),
            ("3949", "3949"),
        ] {
            assert_eq!(phone(written).as_deref(), Ok(e164), "{written}");
        }
        assert!(phone("12").is_err());
        assert!(phone("06 12 AB").is_err());
    }

    #[test]
    fn full_names_are_split_the_ways_they_are_written() {
        for (full, given, family) in [
            ("Camille Martin", "Camille", "Martin"),
            ("MARTIN Camille", "Camille", "MARTIN"),
            ("Martin, Camille", "Camille", "Martin"),
            (
                "Jean-Pierre DE LA FONTAINE",
                "Jean-Pierre",
                "DE LA FONTAINE",
            ),
            ("Cher", "", "Cher"),
        ] {
            assert_eq!(
                split_full_name(full),
                (given.to_owned(), family.to_owned()),
                "{full}"
            );
        }
    }

    #[test]
    fn french_dates_and_yes_no_are_read() {
        let date = NaiveDate::from_ymd_opt(2025, 12, 31);
        for written in [
            "31/12/2025",
            "31-12-2025",
            "31.12.2025",
            "2025-12-31",
            "31/12/25",
        ] {
            assert_eq!(french_date(written), date, "{written}");
        }
        assert_eq!(french_date("31/13/2025"), None);
        assert_eq!(yes_or_no("NON"), Ok(false));
        assert_eq!(yes_or_no("x"), Ok(true));
    }

    #[test]
    fn signs_before_numbers_are_data_not_formulas() {
        assert!(!looks_like_a_formula("+33 6 12"));
        assert!(!looks_like_a_formula("-12,5"));
        assert!(looks_like_a_formula("+cmd|' /C calc'!A0"));
        assert!(looks_like_a_formula("@SUM(A1)"));
        assert!(looks_like_a_formula("=1+1"));
    }

    #[test]
    fn chosen_transforms_change_cells_before_they_are_read() {
        let mapping: Mapping = vec![
            Some(ImportField::FullName),
            Some(ImportField::City),
            Some(ImportField::EmailConsent),
            Some(ImportField::ConsentOn),
            // A transform that does not fit its field is not applied.
            Some(ImportField::Email),
        ];
        let transforms: Transforms = vec![
            Some(ColumnTransform::FamilyNameFirst),
            Some(ColumnTransform::Capitalise),
            Some(ColumnTransform::Negate),
            Some(ColumnTransform::MonthFirst),
            Some(ColumnTransform::Capitalise),
        ];
        let cells: Vec<String> = [
            "Martin Camille",
            "SAINT-ÉTIENNE",
            "Oui",
            "12/31/2025",
            "A@B.FR",
        ]
        .map(str::to_owned)
        .to_vec();
        let Ok(Some(read)) = read_row(&cells, &mapping, &transforms) else {
            panic!("refused");
        };
        let person = read.person.unwrap_or_default();
        assert_eq!(
            (person.given_name.as_str(), person.family_name.as_str()),
            ("Camille", "Martin")
        );
        assert_eq!(
            person.address.map(|a| a.city).as_deref(),
            Some("Saint-Étienne")
        );
        assert_eq!(person.email_consent, Some(false));
        assert_eq!(person.consent_on, NaiveDate::from_ymd_opt(2025, 12, 31));
        assert_eq!(person.email.as_deref(), Some("a@b.fr"));
        assert_eq!(capitalise("jeanne d'arc"), "Jeanne D'Arc");
    }

    #[test]
    fn a_row_carries_its_history() {
        let Ok(Some(read)) = row(&[
            (ImportField::Email, "don@exemple.fr"),
            (ImportField::EngagementAmount, "1 250,00 €"),
            (ImportField::EngagementOn, "15/03/2024"),
            (ImportField::ActivityOn, "2024-03-01 10:30"),
            (ImportField::ActivityKind, "Réunion"),
        ]) else {
            panic!("refused");
        };
        let engagement = read.engagement.unwrap_or_else(|| panic!("no engagement"));
        assert_eq!(engagement.kind, EngagementKind::Donation);
        assert_eq!(engagement.amount_cents, Some(125_000));
        let activity = read.activity.unwrap_or_else(|| panic!("no activity"));
        assert_eq!(activity.kind, ActivityKind::Meeting);
        assert_eq!(activity.subject, "Réunion");
        assert_eq!(
            activity.on,
            NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default()
        );

        let hours = row(&[
            (ImportField::FamilyName, "Martin"),
            (ImportField::EngagementHours, "2h30"),
            (ImportField::EngagementOn, "01/02/2024"),
        ]);
        let Ok(Some(hours)) = hours else {
            panic!("{hours:?}");
        };
        let volunteering = hours.engagement.unwrap_or_else(|| panic!("no engagement"));
        assert_eq!(volunteering.kind, EngagementKind::Volunteering);
        assert_eq!(volunteering.minutes, Some(150));

        for (pairs, reason) in [
            (
                vec![
                    (ImportField::FamilyName, "Martin"),
                    (ImportField::EngagementAmount, "20"),
                ],
                "pas de date",
            ),
            (
                vec![
                    (ImportField::FamilyName, "Martin"),
                    (ImportField::EngagementKind, "cotisation"),
                    (ImportField::EngagementOn, "01/02/2024"),
                ],
                "pas de montant",
            ),
            (
                vec![(ImportField::ActivityOn, "01/02/2024")],
                "rattaché à personne",
            ),
        ] {
            let Err(errors) = row(&pairs) else {
                panic!("accepted {pairs:?}");
            };
            assert!(errors[0].reason.contains(reason), "{errors:?}");
        }
    }

    #[test]
    fn a_row_of_nothing_is_left_out_and_a_person_needs_a_name() {
        assert_eq!(row(&[(ImportField::Tags, "x")]), Ok(None));
        let Ok(Some(read)) = row(&[(ImportField::Email, "solo@exemple.fr")]) else {
            panic!("refused");
        };
        assert_eq!(read.person.map(|p| p.family_name).as_deref(), Some("solo"));
    }
}
