//! Search: the field in every page's header finds people, organisations, projects,
//! partnerships, deadlines and activities, accents and typing mistakes forgiven
//! (core-records' `/v1/search`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use maillage_problem::Query;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, Layout, page_with_status};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/t/{slug}/search", get(search))
}

/// Results shown, at most.
const LIMIT: usize = 30;

#[derive(Debug, Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// One record search found.
#[derive(Debug, Deserialize)]
pub struct Hit {
    pub kind: String,
    pub id: Uuid,
    pub label: String,
    pub detail: Option<String>,
    /// For an activity: a record it is about, on whose page it is read.
    #[serde(default)]
    about: Option<RecordRef>,
}

#[derive(Debug, Deserialize)]
struct RecordRef {
    kind: String,
    id: Uuid,
}

/// What search finds, in the order its groups show: kind, heading (a message id),
/// collection.
const GROUPS: [(&str, &str, &str); 6] = [
    ("person", "nav-people", "people"),
    ("organisation", "nav-organisations", "organisations"),
    ("partnership", "nav-partnerships", "partnerships"),
    ("project", "nav-projects", "projects"),
    ("deadline", "nav-deadlines", "deadlines"),
    ("activity", "search-group-activities", "activities"),
];

fn collection_of(kind: &str) -> Option<&'static str> {
    GROUPS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, _, collection)| *collection)
}

impl Hit {
    /// Its page: an activity's is the page of a record it is about, at its history.
    pub fn path(&self, slug: &str) -> String {
        match (&self.about, collection_of(&self.kind)) {
            (Some(about), _) => format!(
                "/t/{slug}/{}/{}#historique",
                collection_of(&about.kind).unwrap_or("people"),
                about.id
            ),
            (None, Some(collection)) => format!("/t/{slug}/{collection}/{}", self.id),
            (None, None) => format!("/t/{slug}/search"),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Results {
    items: Vec<Hit>,
    approximate: bool,
}

/// The records of one `kind` (person, organisation…) that `q` finds, or why it cannot
/// be searched: what the forms that choose a record by name show.
pub async fn hits_of_kind(
    state: &AppState,
    member: &Member,
    q: &str,
    kind: &str,
) -> Result<Result<Vec<Hit>, FormErrors>, Error> {
    let encoded: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let path = format!("/v1/search?q={encoded}&limit={LIMIT}&kind={kind}");
    Ok(match state.core.query::<Results>(member, &path).await? {
        Ok(results) => Ok(results.items),
        Err(problem) => Err(FormErrors::from_problem(problem, &[])),
    })
}

/// The hits of one kind, under its heading.
struct Group {
    title: &'static str,
    collection: &'static str,
    hits: Vec<Hit>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    /// None until something was searched.
    results: Option<Vec<Group>>,
    approximate: bool,
    errors: FormErrors,
}

async fn search(
    State(state): State<AppState>,
    member: Member,
    Query(query): Query<SearchQuery>,
) -> Result<Response, Error> {
    let mut layout = Layout::of(&member, "search");
    layout.query = query.q.trim().to_owned();
    if layout.query.is_empty() {
        let empty = SearchPage {
            layout,
            results: None,
            approximate: false,
            errors: FormErrors::default(),
        };
        return page_with_status(StatusCode::OK, &empty);
    }
    if !maillage_domain::text::has_a_word(&layout.query) {
        // The API finds nothing without a letter or digit; a person is told why.
        let hint = SearchPage {
            layout,
            results: None,
            approximate: false,
            errors: FormErrors::field("q", "refused-search"),
        };
        return page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &hint);
    }
    let q: String = url::form_urlencoded::byte_serialize(layout.query.as_bytes()).collect();
    let path = format!("/v1/search?q={q}&limit={LIMIT}");
    let (status, found) = match state.core.query::<Results>(&member, &path).await? {
        Ok(results) => (StatusCode::OK, SearchPage::found(layout, results)),
        Err(problem) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            SearchPage {
                layout,
                results: None,
                approximate: false,
                errors: FormErrors::from_problem(problem, &[]),
            },
        ),
    };
    page_with_status(status, &found)
}

impl SearchPage {
    /// The hits grouped by kind, best first within each.
    fn found(layout: Layout, results: Results) -> Self {
        let mut groups = GROUPS.map(|(_, title, collection)| Group {
            title,
            collection,
            hits: Vec::new(),
        });
        for hit in results.items {
            if let Some(index) = GROUPS.iter().position(|(kind, _, _)| *kind == hit.kind) {
                groups[index].hits.push(hit);
            }
        }
        Self {
            layout,
            results: Some(groups.into_iter().filter(|g| !g.hits.is_empty()).collect()),
            approximate: results.approximate,
            errors: FormErrors::default(),
        }
    }
}
