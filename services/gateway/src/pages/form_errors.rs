//! What a refused form tells the person who sent it: a sentence, then every refused
//! field at once, listed in the banner with a link to each field (labels from the form's
//! `LABELS`, in the form's order), and again beside the field itself.

use std::collections::HashMap;

use std::borrow::Borrow;

use axum::http::StatusCode;
use maillage_i18n::Lang;
use maillage_problem::{FIELDS_REFUSED, Problem};

/// Field messages of a refused form, and the sentence that sums them up. A message is
/// either words (core-records words its refusals in the member's language) or the id
/// of a catalogue message, which pages say in the reader's language.
#[derive(Default)]
pub struct FormErrors {
    pub summary: Option<String>,
    /// What to do about it, when the catalogue says it (a message id).
    pub detail: Option<String>,
    fields: HashMap<String, String>,
    /// The form's fields and labels, in the order the form shows them.
    labels: Vec<(&'static str, &'static str)>,
}

/// Said above a form whose own fields (dates, amounts…) could not be read: a message
/// of the catalogues, as every label is.
const SOME_FIELDS_REFUSED: &str = "form-some-fields-refused";

impl FormErrors {
    /// `renames` maps API field names to the form's, where they differ.
    pub fn from_problem(problem: Problem, renames: &[(&str, &str)]) -> Self {
        let named = crate::lang::problem_messages(&problem);
        let fields = problem
            .errors
            .into_iter()
            .map(|e| {
                let field = renames
                    .iter()
                    .find(|(api, _)| *api == e.field)
                    .map(|(_, form)| (*form).to_owned())
                    .unwrap_or(e.field);
                (field, e.message)
            })
            .collect();
        // A kind of problem the catalogues name is said in the reader's language;
        // another in the service's own words.
        let (summary, detail) = match (named, problem.detail) {
            _ if problem.title == FIELDS_REFUSED => (SOME_FIELDS_REFUSED.to_owned(), None),
            (Some(ids), _) => ids,
            (None, Some(detail)) => (format!("{} {detail}", problem.title), None),
            (None, None) => (problem.title, None),
        };
        Self {
            summary: Some(summary),
            detail,
            fields,
            labels: Vec::new(),
        }
    }

    /// A refused form's page: the problem's status (422 when it names none) and its
    /// messages.
    pub fn refusal(problem: Problem) -> (StatusCode, Self) {
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        (status, Self::from_problem(problem, &[]))
    }

    pub fn field(field: &str, message: &str) -> Self {
        let mut errors = Self::summary(SOME_FIELDS_REFUSED);
        errors.insert(field, message.into());
        errors
    }

    /// The sentence alone; fields are added with `insert`.
    pub fn summary(summary: &str) -> Self {
        Self {
            summary: Some(summary.into()),
            ..Self::default()
        }
    }

    pub fn insert(&mut self, field: &str, message: String) {
        if self.summary.is_none() {
            self.summary = Some(SOME_FIELDS_REFUSED.into());
        }
        self.fields.insert(field.into(), message);
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// Whether any field was refused.
    pub fn any(&self) -> bool {
        !self.fields.is_empty()
    }

    /// The value `read` gave, or none with its refusals kept beside the others: a form
    /// reads every field before it answers, so that all that is wrong is said at once.
    pub fn keep<T>(&mut self, read: Result<T, FormErrors>) -> Option<T> {
        match read {
            Ok(value) => Some(value),
            Err(refused) => {
                for (field, message) in refused.fields {
                    self.insert(&field, message);
                }
                None
            }
        }
    }

    /// These refusals (the form's own), with what the API refused of the rest beside
    /// them: where both refuse a field, the form's message says it better.
    pub fn beside(mut self, api: Option<Problem>, renames: &[(&str, &str)]) -> Self {
        if let Some(problem) = api {
            for (field, message) in Self::from_problem(problem, renames).fields {
                self.fields.entry(field).or_insert(message);
            }
        }
        self
    }

    /// The same refusals, listed in the banner with the form's labels (the catalogues'
    /// ids of their names, or their names).
    pub fn labelled(mut self, labels: Vec<(&'static str, &'static str)>) -> Self {
        self.labels = labels;
        self
    }

    /// Each refused field as the banner lists it: the id it links to, its label in
    /// `lang` (the field's name when the form gave none) and the message, in the form's
    /// order.
    pub fn listed_in(&self, lang: impl Borrow<Lang>) -> Vec<(String, String, String)> {
        let lang = *lang.borrow();
        let mut listed: Vec<(usize, String, String, String)> = self
            .fields
            .iter()
            .map(|(field, message)| {
                let known = self.labels.iter().position(|(f, _)| f == field);
                let label = known.map_or_else(
                    || field.clone(),
                    |i| short_label(&lang.t(self.labels[i].1)).to_owned(),
                );
                (
                    known.unwrap_or(usize::MAX),
                    field.clone(),
                    label,
                    lang.t(message),
                )
            })
            .collect();
        listed.sort();
        listed
            .into_iter()
            .map(|(_, field, label, message)| (field, label, message))
            .collect()
    }
}

/// A label without the hint it carries in parentheses: "Rôle (présidente, salarié…)" is
/// "Rôle" in the banner.
fn short_label(label: &str) -> &str {
    label
        .split_once(" (")
        .map_or(label, |(short, _)| short)
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: [(&str, &str); 2] = [
        ("title", "deadline-form-title"),
        ("due_date", "À rendre le"),
    ];

    #[test]
    fn every_refusal_is_kept_and_listed_in_the_forms_order() {
        let mut errors = FormErrors::default();
        let date: Option<i32> =
            errors.keep(Err(FormErrors::field("due_date", "indiquez une date")));
        let title: Option<&str> = errors.keep(Ok("Bilan"));
        errors.insert("title", "est obligatoire".into());
        errors.insert("colour", "inconnue".into());
        assert_eq!((date, title), (None, Some("Bilan")));
        let errors = errors.labelled(LABELS.to_vec());
        let listed = |lang| {
            errors
                .listed_in(lang)
                .into_iter()
                .map(|(field, label, _)| format!("{field}: {label}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            listed(Lang::Fr),
            [
                "title: Rapport attendu",
                "due_date: À rendre le",
                "colour: colour"
            ]
        );
        assert_eq!(
            listed(Lang::En),
            [
                "title: Report expected",
                "due_date: À rendre le",
                "colour: colour"
            ]
        );
        assert_eq!(errors.listed_in(Lang::Fr)[0].2, "est obligatoire");
        assert_eq!(errors.summary.as_deref(), Some(SOME_FIELDS_REFUSED));
        assert!(errors.any());
        assert!(!FormErrors::default().any());
    }
}
