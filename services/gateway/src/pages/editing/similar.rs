//! Before a person or an organisation is added: the records it may duplicate, which the
//! form names so that the one adding it opens the one found, merges into it, or adds
//! theirs anyway.

use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// A record the new one may duplicate, as core-records finds it.
#[derive(Debug, Deserialize)]
pub struct Similar {
    pub id: Uuid,
    pub label: String,
    pub detail: Option<String>,
    /// What they share: `email` or `name`.
    pub matched: String,
}

impl Similar {
    /// "même e-mail", "même nom".
    /// The catalogue's words for why it may be the same record.
    pub fn why(&self) -> &'static str {
        if self.matched == "email" {
            "form-similar-same-email"
        } else {
            "form-similar-same-name"
        }
    }
}

/// What the form asked of an add beside its fields, in the address it was sent to.
#[derive(Debug, Default, Deserialize)]
pub struct AddOptions {
    /// Set by "Ajouter quand même": the similar records were seen.
    pub duplicates: Option<String>,
    /// Set by "Ajouter puis fusionner": the record to merge the new one into.
    pub merge_into: Option<Uuid>,
}

impl AddOptions {
    /// Whether the similar records were already shown and answered.
    pub fn answered(&self) -> bool {
        self.duplicates.is_some() || self.merge_into.is_some()
    }
}

/// The records `lookup` (`/v1/people/similar?…`) names. What core-records refuses to
/// look up (a name too long) finds nothing: adding it will say what is wrong.
pub async fn similar(
    state: &AppState,
    member: &Member,
    lookup: &str,
) -> Result<Vec<Similar>, Error> {
    #[derive(Deserialize)]
    struct Found {
        items: Vec<Similar>,
    }
    Ok(state
        .core
        .query::<Found>(member, lookup)
        .await?
        .map_or_else(|_| Vec::new(), |found| found.items))
}
