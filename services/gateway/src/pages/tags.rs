//! Tags from a record's page: typed in one field, separated by commas.

use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use maillage_problem::Path;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::Error;
use crate::membership::Editor;
use crate::state::AppState;

/// The records that carry tags.
const TAGGED: [&str; 4] = ["people", "organisations", "projects", "partnerships"];

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for collection in TAGGED {
        router = router.route(
            &format!("/t/{{slug}}/{collection}/{{id}}/tags"),
            post(move |state, member, path, form| replace(collection, state, member, path, form)),
        );
    }
    router
}

#[derive(Debug, Deserialize)]
struct TagsForm {
    #[serde(default)]
    tags: String,
}

impl TagsForm {
    /// "Bénévole, quartier nord ," → ["Bénévole", "quartier nord"].
    fn tags(&self) -> Vec<&str> {
        self.tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// Replaces the record's tags with those typed; back to its page. A refusal (too many,
/// too long) is shown as a page that says which.
async fn replace(
    collection: &'static str,
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<TagsForm>,
) -> Result<Response, Error> {
    let path = format!("/v1/{collection}/{id}/tags");
    let body = json!({ "tags": form.tags() });
    match state
        .core
        .send::<serde_json::Value>(&member, Method::PUT, &path, &body, None)
        .await?
    {
        Ok(_) => {
            let back = format!("/t/{}/{collection}/{id}", member.tenant.slug);
            Ok(Redirect::to(&back).into_response())
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}

#[cfg(test)]
mod tests {
    use super::TagsForm;

    #[test]
    fn tags_are_split_on_commas_and_trimmed() {
        let form = TagsForm {
            tags: " Bénévole, quartier nord ,, ".into(),
        };
        assert_eq!(form.tags(), vec!["Bénévole", "quartier nord"]);
    }
}
