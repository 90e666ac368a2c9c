//! Checking what a form or body sends: every refused field reported at once.

use maillage_domain::{EmailAddress, text};
use maillage_problem::FieldError;
use serde::{Deserialize, Deserializer};

use crate::Error;
use crate::language::{reader, said};

/// For PATCH bodies: tells "absent" (`None`) from "set to null" (`Some(None)`).
pub(super) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Collects every field error of an input, so the user sees them all at once.
#[derive(Default)]
pub(super) struct Checks(Vec<FieldError>);

impl Checks {
    /// Trimmed text of at most `max` characters, required or not. Invisible characters
    /// around it are trimmed too (a name of zero-width spaces is no name), and text that
    /// PostgreSQL cannot store or that would change how it displays is refused.
    ///
    /// Defects and length are judged on the text as sent, as the API document says.
    pub(super) fn text(&mut self, field: &str, sent: &str, required: bool, max: usize) -> String {
        let value = text::trim_blank(sent);
        if let Some(defect) = text::defect(sent) {
            self.0
                .push(FieldError::new(field, said(defect.message_id())));
        } else if required && value.is_empty() {
            self.0.push(FieldError::new(field, said("check-required")));
        } else if sent.chars().count() > max {
            let too_long = reader().t1("check-too-long", "max", max);
            self.0.push(FieldError::new(field, too_long));
        }
        value.to_owned()
    }

    /// Optional text: blank becomes absent.
    pub(super) fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        value
            .map(|v| self.text(field, v, false, max))
            .filter(|v| !v.is_empty())
    }

    pub(super) fn optional_email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        match EmailAddress::parse(value) {
            Ok(email) => Some(email.into()),
            Err(_) => {
                self.0.push(FieldError::new(field, said("check-email")));
                None
            }
        }
    }

    pub(super) fn push(&mut self, field: &str, message: &str) {
        self.0.push(FieldError::new(field, message));
    }

    pub(super) fn finish(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}
