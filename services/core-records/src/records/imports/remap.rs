//! A checked import's columns chosen again: a saved template applied, a mapping or
//! transforms given by hand on top of it, all checked against the file's columns
//! before anything is kept.

use std::collections::HashSet;

use maillage_domain::import::ImportField;
use maillage_import::{Mapping, Template, Transforms};

use crate::Error;
use crate::language::{reader, said};

/// The columns of a file of `headers` whose mapping and transforms are `current`, once
/// `template` (if any), then `mapping` and `transforms` (if given) are applied. Unsent
/// transforms are kept where they still fit their column's field.
pub(super) fn columns(
    (headers, current_mapping, current_transforms): (&[String], Mapping, Transforms),
    template: Option<&Template>,
    mapping: Option<Mapping>,
    transforms: Option<Transforms>,
) -> Result<(Mapping, Transforms), Error> {
    let columns = headers.len();
    let (mut chosen_mapping, mut chosen_transforms) = match template {
        Some(template) => template.apply(headers),
        None => (current_mapping, current_transforms),
    };
    if let Some(mapping) = mapping {
        if mapping.len() != columns {
            return Err(Error::field(
                "mapping",
                &reader().t1("check-file-columns", "count", columns),
            ));
        }
        chosen_mapping = mapping;
    }
    check_mapping(&chosen_mapping)?;
    match transforms {
        Some(transforms) => {
            if transforms.len() != columns {
                return Err(Error::field(
                    "transforms",
                    &reader().t1("check-file-columns", "count", columns),
                ));
            }
            for (transform, field) in transforms.iter().zip(&chosen_mapping) {
                if let Some(transform) = transform
                    && !field.is_some_and(|f| transform.fits(f))
                {
                    return Err(Error::field(
                        "transforms",
                        &reader().t2(
                            "check-transform-fits",
                            "transform",
                            said(&format!("import-transform-{}", transform.key())),
                            "field",
                            field.map_or_else(
                                || said("import-column-ignored"),
                                |f| said(&format!("import-field-{}", f.key())),
                            ),
                        ),
                    ));
                }
            }
            chosen_transforms = transforms;
        }
        None => {
            chosen_transforms.resize(columns, None);
            for (transform, field) in chosen_transforms.iter_mut().zip(&chosen_mapping) {
                if !transform.zip(*field).is_some_and(|(t, f)| t.fits(f)) {
                    *transform = None;
                }
            }
        }
    }
    Ok((chosen_mapping, chosen_transforms))
}

/// A mapping fills each field once, and something.
fn check_mapping(mapping: &[Option<ImportField>]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    if let Some(twice) = mapping.iter().flatten().find(|f| !seen.insert(**f)) {
        return Err(Error::field(
            "mapping",
            &reader().t1(
                "check-field-twice",
                "field",
                said(&format!("import-field-{}", twice.key())),
            ),
        ));
    }
    if mapping.iter().all(Option::is_none) {
        return Err(Error::field("mapping", &said("check-one-column")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use maillage_domain::import::ColumnTransform;

    use super::*;

    fn headers() -> Vec<String> {
        vec!["Nom complet".into(), "Ville".into()]
    }

    #[test]
    fn transforms_are_checked_against_the_fields_they_go_with() {
        let current = (
            headers(),
            vec![Some(ImportField::FullName), Some(ImportField::City)],
            vec![Some(ColumnTransform::FamilyNameFirst), None],
        );
        let refused = columns(
            (&current.0, current.1.clone(), current.2.clone()),
            None,
            None,
            Some(vec![Some(ColumnTransform::MonthFirst), None]),
        );
        assert!(refused.is_err());
        // The first column becomes an email: its transform no longer fits and goes.
        let kept = columns(
            (&current.0, current.1.clone(), current.2.clone()),
            None,
            Some(vec![Some(ImportField::Email), Some(ImportField::City)]),
            None,
        );
        assert!(matches!(kept, Ok((_, ref t)) if t == &vec![None, None]));
        let short = columns(
            (&current.0, current.1, current.2),
            None,
            Some(vec![Some(ImportField::Email)]),
            None,
        );
        assert!(short.is_err());
    }

    #[test]
    fn a_template_applies_and_a_mapping_given_with_it_goes_on_top() {
        let template = Template::of(
            &headers(),
            &vec![Some(ImportField::FullName), Some(ImportField::City)],
            &vec![None, Some(ColumnTransform::Capitalise)],
        );
        let applied = columns(
            (&headers(), vec![None, None], vec![]),
            Some(&template),
            None,
            None,
        );
        assert!(matches!(
            applied,
            Ok((ref m, ref t)) if m == &vec![Some(ImportField::FullName), Some(ImportField::City)]
                && t == &vec![None, Some(ColumnTransform::Capitalise)]
        ));
        let nothing = columns(
            (&headers(), vec![None, None], vec![]),
            None,
            Some(vec![None, None]),
            None,
        );
        assert!(nothing.is_err(), "a mapping must fill something");
    }
}
