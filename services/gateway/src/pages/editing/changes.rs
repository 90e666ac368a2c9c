//! What a person changed on a record's form, told apart from what a colleague changed
//! meanwhile. The edit form carries `base`, the API body the record gave when the form
//! was filled; only the fields that differ from it are sent. When the record changed
//! since, the two sets of changes are merged field by field (and within the address and
//! the custom values, part by part): nothing a colleague changed is sent back over, and
//! a field both changed differently is shown with both values, for the person to
//! choose.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A form as sent, with the body its record gave when it was filled (none from a form
/// that does not carry it: then the whole form is sent, as typed).
pub struct Sent<F> {
    pub form: F,
    pub base: Option<Value>,
}

impl<F, S> FromRequest<S> for Sent<F>
where
    F: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        // Read once, then given to the form's own extractor (its refusals unchanged).
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let base = url::form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == "base")
            .and_then(|(_, base)| serde_json::from_str::<Value>(&base).ok())
            .filter(Value::is_object);
        let request = Request::from_parts(parts, Body::from(bytes));
        let Form(form) = Form::<F>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self { form, base })
    }
}

/// A field (or a part of one: `address.city`) a colleague changed since the form was
/// filled, and what they left there.
#[derive(Debug, PartialEq)]
pub struct Theirs {
    pub field: String,
    pub value: Value,
}

/// The person's changes merged onto the record as it is now.
#[derive(Debug, Default)]
pub struct Merge {
    /// What to send: the person's changes, an object whole with the colleague's parts.
    pub body: Map<String, Value>,
    /// Fields both changed differently: the person's value is sent, once they chose.
    pub conflicts: Vec<Theirs>,
    /// Fields only the colleague changed, kept as they left them.
    pub kept: Vec<Theirs>,
}

/// Merges the person's changes (`typed` against `base`, what the form was filled with)
/// onto the record as it is `now`, field by field, and within an object part by part.
pub fn merge(typed: &Value, base: &Value, now: &Value) -> Merge {
    let mut merge = Merge::default();
    for (field, mine) in typed.as_object().into_iter().flatten() {
        let was = base.get(field).unwrap_or(&Value::Null);
        let theirs = now.get(field).unwrap_or(&Value::Null);
        if let (Value::Object(mine), Value::Object(was), Value::Object(theirs)) =
            (mine, was, theirs)
        {
            let mut object = theirs.clone();
            let mut changed = false;
            for (part, value) in mine {
                let part_was = was.get(part).unwrap_or(&Value::Null);
                let part_now = theirs.get(part).unwrap_or(&Value::Null);
                let difference = Theirs {
                    field: format!("{field}.{part}"),
                    value: part_now.clone(),
                };
                if value == part_was {
                    if part_now != value {
                        merge.kept.push(difference);
                    }
                    continue;
                }
                if part_now != part_was && part_now != value {
                    merge.conflicts.push(difference);
                }
                object.insert(part.clone(), value.clone());
                changed = true;
            }
            if changed {
                merge.body.insert(field.clone(), Value::Object(object));
            }
            continue;
        }
        let difference = Theirs {
            field: field.clone(),
            value: theirs.clone(),
        };
        if mine == was {
            if theirs != mine {
                merge.kept.push(difference);
            }
            continue;
        }
        if theirs != was && theirs != mine {
            merge.conflicts.push(difference);
        }
        merge.body.insert(field.clone(), mine.clone());
    }
    merge
}

/// The base a form shown again with conflicts carries, for its next sending to be
/// merged right: where the person changed something (a field, a part of an object),
/// the record as it is `now`, so that what they keep is sent and what they set back
/// to the colleague's is not; elsewhere what the form still shows, so that it is not
/// taken for a change.
pub fn rebased(typed: &Value, base: &Value, now: &Value) -> Value {
    let rebase = |mine: &Value, was: Option<&Value>, theirs: Option<&Value>| {
        if Some(mine) == was {
            mine.clone()
        } else {
            theirs.cloned().unwrap_or(Value::Null)
        }
    };
    let fields = typed
        .as_object()
        .into_iter()
        .flatten()
        .map(|(field, mine)| {
            let (was, theirs) = (base.get(field), now.get(field));
            let value = match (mine, was, theirs) {
                (Value::Object(mine), Some(Value::Object(was)), Some(Value::Object(theirs))) => {
                    Value::Object(
                        mine.iter()
                            .map(|(part, value)| {
                                (part.clone(), rebase(value, was.get(part), theirs.get(part)))
                            })
                            .collect(),
                    )
                }
                _ => rebase(mine, was, theirs),
            };
            (field.clone(), value)
        });
    Value::Object(fields.collect())
}

/// A value as the form says it: a text as it is, nothing as "rien".
pub fn said(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn base() -> Value {
        json!({"family_name": "Girard", "phone": "05 61 00 00 00", "notes": "",
               "address": {"street": "3 rue des Lilas", "city": "Paris", "country": "FR"}})
    }

    #[test]
    fn a_colleagues_change_to_another_field_or_part_is_kept() {
        // They moved the city; the person changed the phone and the street.
        let now = json!({"family_name": "Girard", "phone": "05 61 00 00 00", "notes": "",
                         "address": {"street": "3 rue des Lilas", "city": "Paris 8e", "country": "FR"}});
        let typed = json!({"family_name": "Girard", "phone": "06 12 34 56 78", "notes": "",
                           "address": {"street": "5 rue des Lilas", "city": "Paris", "country": "FR"}});
        let merge = merge(&typed, &base(), &now);
        assert_eq!(merge.conflicts, []);
        assert_eq!(
            merge.kept,
            [Theirs {
                field: "address.city".into(),
                value: json!("Paris 8e")
            }]
        );
        assert_eq!(
            Value::Object(merge.body),
            json!({"phone": "06 12 34 56 78",
                   "address": {"street": "5 rue des Lilas", "city": "Paris 8e", "country": "FR"}})
        );
        // Unchanged meanwhile: only the person's changes.
        let merge = super::merge(&typed, &base(), &base());
        assert_eq!((merge.conflicts.len(), merge.kept.len()), (0, 0));
        assert_eq!(
            Value::Object(merge.body),
            json!({"phone": "06 12 34 56 78",
                   "address": {"street": "5 rue des Lilas", "city": "Paris", "country": "FR"}})
        );
    }

    #[test]
    fn a_field_both_changed_differently_is_a_conflict_and_the_next_sending_is_merged_right() {
        let now = json!({"family_name": "Girard-Martin", "phone": "06 12 34 56 78", "notes": "",
                         "address": {"street": "3 rue des Lilas", "city": "Lyon", "country": "BE"}});
        let typed = json!({"family_name": "Girard-Lefèvre", "phone": "06 12 34 56 78", "notes": "Vu",
                           "address": {"street": "3 rue des Lilas", "city": "Marseille", "country": "FR"}});
        let first = merge(&typed, &base(), &now);
        let fields = |list: &[Theirs]| list.iter().map(|t| t.field.clone()).collect::<Vec<_>>();
        assert_eq!(fields(&first.conflicts), ["address.city", "family_name"]);
        assert_eq!(
            fields(&first.kept),
            ["address.country"],
            "the phone both set alike"
        );
        assert_eq!(first.conflicts[1].value, "Girard-Martin");

        // Shown again, then sent unchanged: the person's values for the conflicts and
        // their other change, the colleague's everywhere else.
        let rebased = rebased(&typed, &base(), &now);
        let again = merge(&typed, &rebased, &now);
        assert_eq!((again.conflicts.len(), again.kept.len()), (0, 1));
        assert_eq!(
            Value::Object(again.body),
            json!({"family_name": "Girard-Lefèvre", "notes": "Vu",
                   "address": {"street": "3 rue des Lilas", "city": "Marseille", "country": "BE"}})
        );
        // Or with the colleague's name taken back: nothing sent for it.
        let mut chose = typed.clone();
        chose["family_name"] = json!("Girard-Martin");
        let chosen = merge(&chose, &rebased, &now);
        assert!(
            !chosen.body.contains_key("family_name"),
            "{:?}",
            chosen.body
        );
    }
}
