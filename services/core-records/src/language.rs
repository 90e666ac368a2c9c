//! The language a request's refusals are written in: the first of its
//! `Accept-Language` that Maillage speaks (the gateway sends the member's), French
//! otherwise. Checks word refused fields in it; messages not yet in the catalogues stay
//! French, and work outside a request (the importer, the keeper) speaks French.

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use maillage_i18n::Lang;

tokio::task_local! {
    static READER: Lang;
}

/// Runs the request in the language it asks for.
pub async fn speak_the_readers_language(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or_default();
    READER.scope(lang, next.run(request)).await
}

/// The language of the request being served.
pub fn reader() -> Lang {
    READER.try_with(|lang| *lang).unwrap_or_default()
}

/// The message `id` in the request's language.
pub fn said(id: &str) -> String {
    reader().t(id)
}

/// "doit valoir a, b ou c", "must be a, b or c": what a closed list takes.
pub fn one_of(values: &[&str]) -> String {
    let lang = reader();
    let listed = match values.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, others)) => lang.t2("check-or", "first", others.join(", "), "last", *last),
        None => String::new(),
    };
    lang.t1("check-one-of", "values", listed)
}

#[cfg(test)]
mod tests {
    use maillage_i18n::Lang;

    use super::{READER, one_of, said};

    #[tokio::test]
    async fn refusals_are_worded_in_the_requests_language_and_french_outside_one() {
        assert_eq!(said("check-required"), "est obligatoire");
        let english = READER
            .scope(Lang::En, async {
                (said("check-required"), one_of(&["interim", "final"]))
            })
            .await;
        assert_eq!(
            english,
            (
                "is required".to_owned(),
                "must be interim or final".to_owned()
            )
        );
        assert_eq!(one_of(&["a", "b", "c"]), "doit valoir a, b ou c");
    }

    /// Every message core-records words a refusal with is in both catalogues: a typo
    /// or a message added to one language only fails here, not in front of a reader.
    #[test]
    fn every_message_core_records_asks_for_is_in_both_languages() -> std::io::Result<()> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        // The register's security measures are ids in a list, handed on as they are;
        // this file names that family in its own words.
        let (asked, missing) =
            maillage_i18n::usage::missing_under(&[src], &["register-security-"], &["language.rs"])?;
        assert!(missing.is_empty(), "messages missing: {missing:#?}");
        assert!(
            asked > 100,
            "only {asked} messages found: is the scan still right?"
        );
        Ok(())
    }
}
