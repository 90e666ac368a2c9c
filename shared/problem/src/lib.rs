//! `application/problem+json` (RFC 9457) responses, the one error shape of every API.
//!
//! Titles and messages are written for the people using Maillage, in French; the stable
//! `type` is what programs match on.

use axum::Json as AxumJson;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

mod extract;
mod wording;

pub use extract::{FormQuery, Json, Path, Query};

pub const CONTENT_TYPE: &str = "application/problem+json";

/// The title of a problem that lists refused fields (readers in another language are
/// told it from their own catalogue).
pub const FIELDS_REFUSED: &str = "Certains champs sont invalides.";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The language its title and detail are written in, when the service wrote them
    /// in the reader's ("en"); absent, they are French.
    /// (Boxed: a problem travels in every `Result`, and stays small.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Box<str>>,
}

impl Problem {
    /// `kind` is a short stable slug, e.g. `not-found`; it becomes `/problems/not-found`.
    pub fn new(status: StatusCode, kind: &str, title: impl Into<String>) -> Self {
        Self {
            kind: format!("/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail: None,
            errors: Vec::new(),
            lang: None,
        }
    }

    /// Says that its title and detail are written in the language of `code` ("en").
    pub fn in_language(mut self, code: &str) -> Self {
        self.lang = Some(code.into());
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Cette ressource n'existe pas.",
        )
    }

    /// The fields a domain check refused, each with why, as one validation problem.
    pub fn refused_fields<F: Into<String>, W: Into<String>>(
        refused: impl IntoIterator<Item = (F, W)>,
    ) -> Self {
        Self::validation(
            refused
                .into_iter()
                .map(|(field, why)| FieldError::new(field, why))
                .collect(),
        )
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                FIELDS_REFUSED,
            )
        }
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Cette adresse n'accepte pas cette méthode (voir l'en-tête Allow).",
        )
    }

    /// More requests than the service takes at once: try again in a moment.
    pub fn overloaded() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "Le service est très sollicité : réessayez dans un instant.",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Une erreur inattendue est survenue. Réessayez dans un instant.",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, AxumJson(&self)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        response
    }
}

/// Gives a router problems for what it has no route for: an unknown path is a 404, a
/// known path with another method a 405 (axum adds the `Allow` header listing the
/// methods it takes). Call it on the finished router: a merged router keeps one fallback.
pub fn with_problem_fallbacks<S>(router: axum::Router<S>) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .fallback(|| async { Problem::not_found() })
        .method_not_allowed_fallback(|| async { Problem::method_not_allowed() })
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        AxumJson(self.0).into_response()
    }
}
