//! What the pages of records share: list pages (sorted, a page at a time), contact
//! details and affiliations (people and organisations), tags and the timeline (every
//! record).

mod contact;
mod custom_fields;
mod engagements;
mod listing;
mod timeline;

pub use contact::*;
pub use custom_fields::*;
pub use engagements::*;
pub use listing::*;
pub use timeline::*;
