//! The language of a page read outside a workspace (an error page, the sign-in): the
//! one the user chose, as their browser keeps it, or else the first of the browser's
//! languages the pages speak, or else French. Inside a workspace, `Member::lang` says.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::CookieJar;
use maillage_i18n::Lang;
use maillage_problem::Problem;

use crate::session::LANGUAGE_COOKIE;

/// The headers `of_request` reads, copied out of a request that is about to be handed on
/// (their values share the request's bytes).
pub fn headers_of(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE] {
        for value in headers.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

/// The language of a page read outside a workspace, as a handler's argument.
pub struct ReaderLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ReaderLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(of_request(&parts.headers)))
    }
}

/// The catalogues' messages for `problem`'s kind, when they name it: the id of its
/// title (`problem-{kind}`) and of its detail (`problem-{kind}-detail`), if any. Both
/// catalogues hold the same ids, so one is asked.
pub fn problem_messages(problem: &Problem) -> Option<(String, Option<String>)> {
    let kind = problem
        .kind
        .strip_prefix("/problems/")
        .filter(|kind| !kind.is_empty())?;
    let title = format!("problem-{kind}");
    if !Lang::Fr.has(&title) {
        return None;
    }
    let detail = format!("{title}-detail");
    Some((title, Lang::Fr.has(&detail).then_some(detail)))
}

pub fn of_request(headers: &HeaderMap) -> Lang {
    let chosen = CookieJar::from_headers(headers)
        .get(LANGUAGE_COOKIE)
        .and_then(|cookie| Lang::from_tag(cookie.value()));
    chosen
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, header};
    use maillage_i18n::Lang;

    use super::of_request;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name.clone(), HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn the_users_choice_comes_before_the_browsers_languages() {
        assert_eq!(of_request(&HeaderMap::new()), Lang::Fr);
        let english_browser = (header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9");
        assert_eq!(
            of_request(&headers(std::slice::from_ref(&english_browser))),
            Lang::En
        );
        let chose_french = (header::COOKIE, "maillage_session=x; maillage_lang=fr");
        assert_eq!(
            of_request(&headers(&[english_browser, chose_french])),
            Lang::Fr
        );
        // A cookie naming a language the pages do not speak is not a choice.
        let odd = (header::COOKIE, "maillage_lang=de");
        assert_eq!(
            of_request(&headers(&[odd, (header::ACCEPT_LANGUAGE, "en")])),
            Lang::En
        );
    }
}
