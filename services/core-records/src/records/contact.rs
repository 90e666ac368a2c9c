//! Contact details shared by people and organisations: several emails and phones, one
//! of each primary, and a postal address.

use maillage_domain::EmailAddress;
pub use maillage_domain::contact::{Address, EmailEntry, PhoneEntry};

use super::Checks;
use crate::language::said;

/// Exactly one primary entry when there are any: the first, unless one is marked.
fn one_primary<T>(
    checks: &mut Checks,
    field: &str,
    entries: &mut [T],
    primary: impl Fn(&mut T) -> &mut bool,
) {
    let mut marked = 0;
    for entry in entries.iter_mut() {
        if *primary(entry) {
            marked += 1;
        }
    }
    if marked > 1 {
        checks.push(field, &said("check-one-primary"));
    } else if marked == 0
        && let Some(first) = entries.first_mut()
    {
        *primary(first) = true;
    }
}

pub fn check_emails(checks: &mut Checks, mut emails: Vec<EmailEntry>) -> Vec<EmailEntry> {
    if emails.len() > 10 {
        checks.push("emails", &said("check-ten-emails"));
    }
    for entry in &mut emails {
        match EmailAddress::parse(&entry.address) {
            Ok(address) => entry.address = address.into(),
            Err(_) => checks.push("emails", &said("check-has-invalid-email")),
        }
        entry.label = checks.text("emails.label", &entry.label, false, 40);
    }
    one_primary(checks, "emails", &mut emails, |e| &mut e.primary);
    emails
}

pub fn check_phones(checks: &mut Checks, mut phones: Vec<PhoneEntry>) -> Vec<PhoneEntry> {
    if phones.len() > 10 {
        checks.push("phones", &said("check-ten-phones"));
    }
    for entry in &mut phones {
        entry.number = checks.text("phones.number", &entry.number, true, 40);
        let plausible = entry
            .number
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
        if !plausible {
            checks.push("phones", &said("check-phone-characters"));
        }
        entry.label = checks.text("phones.label", &entry.label, false, 40);
    }
    one_primary(checks, "phones", &mut phones, |p| &mut p.primary);
    phones
}

pub fn check_address(checks: &mut Checks, address: Option<Address>) -> Option<Address> {
    let mut address = address?;
    address.street = checks.text("address.street", &address.street, false, 300);
    address.postal_code = checks.text("address.postal_code", &address.postal_code, false, 20);
    address.city = checks.text("address.city", &address.city, false, 100);
    // A code or a name ("France", "Royaume-Uni"), stored as the code; "XX" is no country.
    let country = checks.text("address.country", &address.country, false, 100);
    address.country = match maillage_domain::countries::find(&country) {
        Some(found) => found.code.to_owned(),
        None if country.is_empty() => country,
        None => {
            checks.push("address.country", &said("check-country"));
            country
        }
    };
    (address != Address::default()).then_some(address)
}

/// The primary email: the one marked primary (there is one when the list is checked).
pub fn primary_email(emails: &[EmailEntry]) -> Option<String> {
    emails.iter().find(|e| e.primary).map(|e| e.address.clone())
}

pub fn primary_phone(phones: &[PhoneEntry]) -> Option<String> {
    phones.iter().find(|p| p.primary).map(|p| p.number.clone())
}

/// Setting the single `email` field replaces the primary entry (or removes it); the same
/// address again (a form sent back unchanged) keeps the entry as it was, label included.
pub fn with_primary_email(mut emails: Vec<EmailEntry>, email: Option<String>) -> Vec<EmailEntry> {
    let email = email.filter(|e| !e.trim().is_empty());
    let kept = emails.iter().any(|e| {
        e.primary
            && email
                .as_deref()
                .is_some_and(|new| e.address.eq_ignore_ascii_case(new.trim()))
    });
    if kept {
        return emails;
    }
    emails.retain(|e| !e.primary);
    if let Some(address) = email {
        emails.insert(
            0,
            EmailEntry {
                address,
                label: String::new(),
                primary: true,
            },
        );
    }
    emails
}

/// The same for the single `phone` field.
pub fn with_primary_phone(mut phones: Vec<PhoneEntry>, phone: Option<String>) -> Vec<PhoneEntry> {
    let phone = phone.filter(|p| !p.trim().is_empty());
    let kept = phones
        .iter()
        .any(|p| p.primary && phone.as_deref().is_some_and(|new| p.number == new.trim()));
    if kept {
        return phones;
    }
    phones.retain(|p| !p.primary);
    if let Some(number) = phone {
        phones.insert(
            0,
            PhoneEntry {
                number,
                label: String::new(),
                primary: true,
            },
        );
    }
    phones
}

#[cfg(test)]
mod tests {
    use super::{EmailEntry, with_primary_email};

    fn entry(address: &str, label: &str, primary: bool) -> EmailEntry {
        EmailEntry {
            address: address.into(),
            label: label.into(),
            primary,
        }
    }

    #[test]
    fn the_primary_email_sent_back_unchanged_keeps_its_label() {
        let emails = vec![
            entry("noel@exemple.fr", "perso", true),
            entry("n.girard@mairie.fr", "travail", false),
        ];
        assert_eq!(
            with_primary_email(emails.clone(), Some("Noel@exemple.fr ".into())),
            emails
        );
        assert_eq!(
            with_primary_email(emails.clone(), Some("noel@autre.fr".into())),
            vec![
                entry("noel@autre.fr", "", true),
                entry("n.girard@mairie.fr", "travail", false)
            ]
        );
        assert_eq!(
            with_primary_email(emails, Some(" ".into())),
            vec![entry("n.girard@mairie.fr", "travail", false)]
        );
    }
}
