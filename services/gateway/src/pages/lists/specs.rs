//! The lists built as a CRM's, each with its filters and columns.

use maillage_domain::kinds::{OrganisationKind, PartnershipKind, PartnershipStatus, ProjectStatus};

use super::{Choices, Column, Filters, ListSpec};

const fn column(id: &'static str, message: &'static str, shown_by_default: bool) -> Column {
    Column {
        id,
        message,
        shown_by_default,
    }
}

/// When a record was last changed: the column the "recently changed" order sorts by.
const UPDATED: Column = column("updated", "column-updated", false);

pub static PEOPLE: ListSpec = ListSpec {
    collection: "people",
    filters: Filters {
        tag: true,
        since: true,
        ..Filters::NONE
    },
    columns: &[
        column("organisation", "column-organisation", true),
        column("email", "column-email", true),
        column("phone", "column-phone", true),
        column("city", "column-city", false),
        column("consent", "column-consent", false),
        UPDATED,
    ],
    assign: None,
    tags: true,
};

pub static ORGANISATIONS: ListSpec = ListSpec {
    collection: "organisations",
    filters: Filters {
        kind: Some(Choices {
            list: OrganisationKind::MESSAGE_PREFIX,
            values: OrganisationKind::CHOICES,
        }),
        tag: true,
        since: true,
        territory: true,
        ..Filters::NONE
    },
    columns: &[
        column("kind", "column-kind", true),
        column("sector", "column-sector", false),
        column("territory", "column-territory", false),
        column("email", "column-email", true),
        column("phone", "column-phone", false),
        column("website", "column-website", true),
        UPDATED,
    ],
    assign: None,
    tags: true,
};

pub static PROJECTS: ListSpec = ListSpec {
    collection: "projects",
    filters: Filters {
        status: Some(Choices {
            list: ProjectStatus::MESSAGE_PREFIX,
            values: ProjectStatus::CHOICES,
        }),
        owner: Some("owner_user_id"),
        tag: true,
        since: true,
        territory: true,
        ..Filters::NONE
    },
    columns: &[
        column("status", "column-status", true),
        column("owner", "column-owner", false),
        column("territory", "column-territory", true),
        column("period", "column-period", true),
        column("budget", "column-planned-budget", true),
        UPDATED,
    ],
    assign: Some("owner_user_id"),
    tags: true,
};

pub static PARTNERSHIPS: ListSpec = ListSpec {
    collection: "partnerships",
    filters: Filters {
        status: Some(Choices {
            list: PartnershipStatus::MESSAGE_PREFIX,
            values: PartnershipStatus::CHOICES,
        }),
        kind: Some(Choices {
            list: PartnershipKind::MESSAGE_PREFIX,
            values: PartnershipKind::CHOICES,
        }),
        tag: true,
        since: true,
        ..Filters::NONE
    },
    columns: &[
        column("kind", "column-kind", true),
        column("status", "column-status", true),
        column("partners", "column-partners", true),
        column("period", "column-period", true),
        UPDATED,
    ],
    assign: None,
    tags: true,
};
