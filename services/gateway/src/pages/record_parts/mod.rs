//! What the pages of records share: list pages (sorted, a page at a time), contact
//! details and affiliations (people and organisations), tags, the timeline and what a
//! record is connected to (every record).

mod connections;
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
