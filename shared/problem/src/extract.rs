//! Extractors whose rejections are problems in the user's language, naming what is
//! wrong, instead of axum's plain-text answers: a JSON body, a query string, path
//! parameters. Text holding U+0000 (which PostgreSQL cannot store) is refused here,
//! whatever the route, naming the field.

use axum::Json as AxumJson;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::wording::{Wording, in_french};
use crate::{FieldError, Problem};

const NUL_MESSAGE: &str = "ne doit pas contenir le caractère nul (U+0000)";

/// A JSON body. Malformed JSON is a 400; a wrong type, a missing or an unknown field a
/// 422 naming the field; a wrong content type a 415; a body over the limit a 413.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let AxumJson(mut value) = AxumJson::<Value>::from_request(req, state)
            .await
            .map_err(|rejection| json_rejection_problem(&rejection))?;
        if let Some(field) = nul_in(&value, "") {
            return Err(Problem::validation(vec![FieldError::new(
                field,
                NUL_MESSAGE,
            )]));
        }
        integral_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(Json)
            .map_err(|error| {
                let Wording { field, message } =
                    in_french(&error.path().to_string(), &error.into_inner().to_string());
                let problem = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-body",
                    "Le contenu envoyé ne correspond pas au format attendu.",
                )
                .with_detail(format!("{field}: {message}"));
                Problem {
                    errors: vec![FieldError::new(field, message)],
                    ..problem
                }
            })
    }
}

/// `4.0` is the integer 4 (JSON has one kind of number, and JSON Schema counts 4.0 as
/// an integer), which serde would refuse for an integer field.
fn integral_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) => {
            if let Some(float) = number
                .as_f64()
                .filter(|_| !number.is_i64() && !number.is_u64())
                && float.fract() == 0.0
                && float.abs() < 9_007_199_254_740_992.0
            {
                // Exact below 2^53: every such float is an integer i64 holds.
                *value = Value::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

/// Where in a JSON document a string (or a key) holds U+0000, as a JSON pointer.
fn nul_in(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::String(text) => text.contains('\0').then(|| pointer_or_root(at)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| nul_in(item, &format!("{at}/{index}"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
            if key.contains('\0') {
                Some(pointer_or_root(at))
            } else {
                nul_in(item, &here)
            }
        }),
        _ => None,
    }
}

fn pointer_or_root(at: &str) -> String {
    let field = at.trim_start_matches('/');
    if field.is_empty() {
        "/".into()
    } else {
        field.replace('/', ".")
    }
}

fn json_rejection_problem(rejection: &JsonRejection) -> Problem {
    match rejection {
        JsonRejection::JsonDataError(e) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-body",
            "Le contenu envoyé ne correspond pas au format attendu.",
        )
        .with_detail(e.body_text()),
        JsonRejection::JsonSyntaxError(e) => Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed-json",
            "Le contenu envoyé n'est pas du JSON valide.",
        )
        .with_detail(e.body_text()),
        JsonRejection::MissingJsonContentType(_) => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Le contenu doit être envoyé en application/json.",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Le contenu envoyé est trop volumineux.",
        ),
        other => Problem::new(other.status(), "bad-request", "La requête est invalide.")
            .with_detail(other.body_text()),
    }
}

/// A query string. A parameter that is unknown, of the wrong type or out of range, or
/// that holds U+0000, is a 400 naming it.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        deserialize_query(query, |pairs| {
            serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(pairs))
        })
        .map(Query)
    }
}

/// The query string of an HTML form sent with GET, where a key repeats as ticked
/// checkboxes do (`column=email&column=phone`, read into a `Vec`); refused as [`Query`]
/// refuses.
pub struct FormQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for FormQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        deserialize_query(query, |pairs| {
            serde_path_to_error::deserialize(serde_html_form::Deserializer::new(pairs))
        })
        .map(FormQuery)
    }
}

/// Reads `query` with `deserialize`, after refusing U+0000 in any name or value; a
/// refusal names the parameter.
fn deserialize_query<'a, T, E: std::fmt::Display>(
    query: &'a str,
    deserialize: impl FnOnce(form_urlencoded::Parse<'a>) -> Result<T, serde_path_to_error::Error<E>>,
) -> Result<T, Problem> {
    let invalid = |field: String, message: String| {
        Problem {
            errors: vec![FieldError::new(field.clone(), message.clone())],
            ..Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-query",
                "Un paramètre de la requête est invalide.",
            )
        }
        .with_detail(format!("{field}: {message}"))
    };
    if let Some((name, _)) = form_urlencoded::parse(query.as_bytes())
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
    {
        return Err(invalid(name.replace('\0', ""), NUL_MESSAGE.into()));
    }
    deserialize(form_urlencoded::parse(query.as_bytes())).map_err(|error| {
        let Wording { field, message } =
            in_french(&error.path().to_string(), &error.into_inner().to_string());
        invalid(field, message)
    })
}

/// Path parameters. One that does not parse (an id that is not a UUID) names nothing
/// that exists: a 404, as for an id that is not there.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|rejection| Problem::not_found().with_detail(rejection.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use serde::Deserialize;

    use super::{deserialize_query, integral_numbers_as_integers, nul_in};

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Columns {
        #[serde(default)]
        column: Vec<String>,
        sort: Option<String>,
    }

    fn form_query(query: &str) -> Result<Columns, crate::Problem> {
        deserialize_query(query, |pairs| {
            serde_path_to_error::deserialize(serde_html_form::Deserializer::new(pairs))
        })
    }

    #[test]
    fn a_forms_query_reads_repeated_keys_and_refuses_as_a_query_does() -> Result<(), crate::Problem>
    {
        let read = form_query("column=email&sort=recent&column=city")?;
        assert_eq!(read.column, ["email", "city"]);
        assert_eq!(read.sort.as_deref(), Some("recent"));
        assert_eq!(form_query("column=email")?.column, ["email"]);
        assert!(form_query("")?.column.is_empty());
        for refused in ["column=a%00b", "colour=red", "sort=a&sort=b"] {
            let problem = form_query(refused).err();
            assert_eq!(problem.map(|p| p.status), Some(400), "{refused}");
        }
        Ok(())
    }

    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers() {
        let mut value = json!({"score": 4.0, "n": [1.5, -2.0, 3], "big": 1e300});
        integral_numbers_as_integers(&mut value);
        assert_eq!(value, json!({"score": 4, "n": [1.5, -2, 3], "big": 1e300}));
        assert!(value["score"].is_i64());
    }

    #[test]
    fn a_nul_anywhere_in_a_document_is_found_and_named() {
        assert_eq!(
            nul_in(&json!({"family_name": "Du\u{0}pont"}), ""),
            Some("family_name".into())
        );
        assert_eq!(
            nul_in(
                &json!({"emails": [{"address": "a@b.fr"}, {"label": "\u{0}"}]}),
                ""
            ),
            Some("emails.1.label".into())
        );
        assert_eq!(
            nul_in(&json!({"custom": {"x\u{0}": 1}}), ""),
            Some("custom".into())
        );
        assert_eq!(nul_in(&json!("\u{0}"), ""), Some("/".into()));
        assert_eq!(
            nul_in(&json!({"family_name": "Dupont", "n": [1, null, true]}), ""),
            None
        );
    }
}
