//! The routes every binnable record kind has, written once: read one, move it to the
//! bin, bring it back.

use maillage_runtime::api::{ApiRouter, Doc};

use super::{Binnable, bin, read, restore};
use crate::state::AppState;

/// How the OpenAPI document tags and describes one kind's binnable routes.
pub(super) struct BinnableDocs {
    pub tag: &'static str,
    pub read: &'static str,
    pub bin: &'static str,
    pub restore: &'static str,
}

/// `GET {collection}/{id}`, `DELETE {collection}/{id}` (into the bin) and
/// `POST {collection}/{id}/restore` of `T`.
pub(super) fn binnable_routes<T: Binnable + utoipa::ToSchema>(
    collection: &str,
    docs: BinnableDocs,
) -> ApiRouter<AppState> {
    let one = format!("{collection}/{{id}}");
    ApiRouter::new()
        .get(
            &one,
            read::<T>,
            Doc::new(docs.tag, docs.read).returns::<T>(),
        )
        .delete(&one, bin::<T>, Doc::new(docs.tag, docs.bin).no_content())
        .post(
            &format!("{one}/restore"),
            restore::<T>,
            Doc::new(docs.tag, docs.restore).returns::<T>(),
        )
}
