//! Lists exported as CSV or XLSX, with their filters, from a list page
//! (`/t/{slug}/{collection}/export.csv`, `….xlsx`) or the API
//! (`/api/v1/t/{slug}/exports/{collection}.csv`, `….xlsx`, the list's own query
//! parameters).
//!
//! The file is written as core-records' list is read, a page of 200 at a time, so a
//! workspace of any size is exported in bounded memory (see [`csv`] and [`xlsx`] for
//! each format's way). No cell can run as a formula in a spreadsheet.

mod csv;
mod xlsx;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use futures::Stream;
use maillage_domain::kinds::{OrganisationKind, PartnershipKind, PartnershipStatus, ProjectStatus};
use maillage_i18n::Lang;
use maillage_problem::Query;
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use serde_json::Value;

use super::lists::{FilterQuery, Filters};
use super::{short_date, tenant_zone};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// The list pages' exports (their refusals are pages).
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for export in EXPORTS {
        for format in Format::ALL {
            router = router.route(
                &format!(
                    "/t/{{slug}}/{}/export.{}",
                    export.collection,
                    format.extension()
                ),
                get(move |state, member, query| from_page(export, format, state, member, query)),
            );
        }
    }
    router
}

/// The API's exports (their refusals are problems), each in the API's document.
pub fn api_router() -> ApiRouter<AppState> {
    let mut router = ApiRouter::new();
    for export in EXPORTS {
        for format in Format::ALL {
            router = router.get(
                &format!(
                    "/api/v1/t/{{slug}}/exports/{}.{}",
                    export.collection,
                    format.extension()
                ),
                move |state, member, raw| from_api(export, format, state, member, raw),
                Doc::new("exports", format.summary(export)).returns_file(format.media_type()),
            );
        }
    }
    router
}

/// The file formats a list is exported in.
#[derive(Clone, Copy)]
enum Format {
    /// For any program, and for a French spreadsheet as it is.
    Csv,
    /// A workbook: dates as dates, a header that stays in view, filters on each column.
    Xlsx,
}

impl Format {
    const ALL: [Self; 2] = [Self::Csv, Self::Xlsx];

    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv",
            Self::Xlsx => xlsx::MEDIA_TYPE,
        }
    }

    fn summary(self, export: Export) -> &'static str {
        match self {
            Self::Csv => export.summary,
            Self::Xlsx => export.summary_xlsx,
        }
    }
}

/// How many records each read of the list brings.
const PAGE: usize = 200;

/// One exportable list: its collection, the filters its page offers, its columns.
#[derive(Clone, Copy)]
pub struct Export {
    collection: &'static str,
    filters: &'static Filters,
    /// Each column's heading (a message id) and cells.
    columns: &'static [(&'static str, Cell)],
    /// What the file is called, before its date (a message id).
    file: &'static str,
    /// What the API's document says of it, in each format.
    summary: &'static str,
    summary_xlsx: &'static str,
}

/// How a column is read from a record of the list (a JSON pointer) and written.
#[derive(Clone, Copy)]
pub(super) enum Cell {
    Text(&'static str),
    /// `true` → "Oui", "Yes".
    YesNo(&'static str),
    /// A closed list's value, in words: the catalogue's list that names its values
    /// (`{list}-{value}`).
    Label(&'static str, &'static str),
    /// A day, as French and British spreadsheets read it (31/12/2026).
    Day(&'static str),
    /// An instant, in the workspace's time zone (31/12/2026 17:00).
    Instant(&'static str),
    /// The `name` of each element of an array, separated by commas.
    Names(&'static str),
}

const PEOPLE: Export = Export {
    collection: "people",
    summary: "Exporter les personnes en CSV (les filtres de la liste s'appliquent)",
    summary_xlsx: "Exporter les personnes en classeur XLSX (les filtres de la liste s'appliquent)",
    filters: &super::lists::PEOPLE.filters,
    file: "export-file-people",
    columns: &[
        ("export-column-given-name", Cell::Text("/given_name")),
        ("export-column-name", Cell::Text("/family_name")),
        ("export-column-email", Cell::Text("/email")),
        ("export-column-phone", Cell::Text("/phone")),
        (
            "export-column-organisations",
            Cell::Names("/current_organisations"),
        ),
        (
            "export-column-accepts-emails",
            Cell::YesNo("/email_consent"),
        ),
        ("export-column-legal-basis", Cell::Text("/consent_basis")),
        ("export-column-consent-on", Cell::Day("/consent_on")),
        ("export-column-notes", Cell::Text("/notes")),
        ("export-column-created", Cell::Instant("/created_at")),
        ("export-column-updated", Cell::Instant("/updated_at")),
        ("export-column-id", Cell::Text("/id")),
    ],
};

const ORGANISATIONS: Export = Export {
    collection: "organisations",
    summary: "Exporter les organisations en CSV (les filtres de la liste s'appliquent : kind, sector, territory, tag)",
    summary_xlsx: "Exporter les organisations en classeur XLSX (les filtres de la liste s'appliquent : kind, sector, territory, tag)",
    filters: &super::lists::ORGANISATIONS.filters,
    file: "export-file-organisations",
    columns: &[
        ("export-column-name", Cell::Text("/name")),
        (
            "export-column-kind",
            Cell::Label("/kind", OrganisationKind::MESSAGE_PREFIX),
        ),
        ("export-column-sector", Cell::Text("/sector")),
        ("export-column-territory", Cell::Text("/territory")),
        ("export-column-website", Cell::Text("/website")),
        ("export-column-email", Cell::Text("/email")),
        ("export-column-phone", Cell::Text("/phone")),
        ("export-column-notes", Cell::Text("/notes")),
        ("export-column-created", Cell::Instant("/created_at")),
        ("export-column-updated", Cell::Instant("/updated_at")),
        ("export-column-id", Cell::Text("/id")),
    ],
};

const PARTNERSHIPS: Export = Export {
    collection: "partnerships",
    summary: "Exporter les partenariats en CSV (les filtres de la liste s'appliquent : status, kind, tag)",
    summary_xlsx: "Exporter les partenariats en classeur XLSX (les filtres de la liste s'appliquent : status, kind, tag)",
    filters: &super::lists::PARTNERSHIPS.filters,
    file: "export-file-partnerships",
    columns: &[
        ("export-column-title", Cell::Text("/title")),
        (
            "export-column-kind",
            Cell::Label("/kind", PartnershipKind::MESSAGE_PREFIX),
        ),
        (
            "export-column-status",
            Cell::Label("/status", PartnershipStatus::MESSAGE_PREFIX),
        ),
        ("export-column-start", Cell::Day("/starts_on")),
        ("export-column-end", Cell::Day("/ends_on")),
        (
            "export-column-next-evaluation",
            Cell::Day("/next_evaluation_on"),
        ),
        ("export-column-partners", Cell::Names("/partners")),
        ("export-column-purpose", Cell::Text("/agreement/purpose")),
        ("export-column-notes", Cell::Text("/notes")),
        ("export-column-id", Cell::Text("/id")),
    ],
};

const PROJECTS: Export = Export {
    collection: "projects",
    summary: "Exporter les projets en CSV (les filtres de la liste s'appliquent : status, owner_user_id, tag)",
    summary_xlsx: "Exporter les projets en classeur XLSX (les filtres de la liste s'appliquent : status, owner_user_id, tag)",
    filters: &super::lists::PROJECTS.filters,
    file: "export-file-projects",
    columns: &[
        ("export-column-name", Cell::Text("/name")),
        (
            "export-column-status",
            Cell::Label("/status", ProjectStatus::MESSAGE_PREFIX),
        ),
        (
            "export-column-target-population",
            Cell::Text("/target_population"),
        ),
        ("export-column-territory", Cell::Text("/territory")),
        ("export-column-start", Cell::Day("/starts_on")),
        ("export-column-end", Cell::Day("/ends_on")),
        ("export-column-partners", Cell::Names("/partners")),
        ("export-column-description", Cell::Text("/description")),
        ("export-column-id", Cell::Text("/id")),
    ],
};

const DEADLINES: Export = Export {
    collection: "deadlines",
    summary: "Exporter les échéances en CSV (les filtres de la liste s'appliquent : status, responsible_user_id, due_within_days…)",
    summary_xlsx: "Exporter les échéances en classeur XLSX (les filtres de la liste s'appliquent : status, responsible_user_id, due_within_days…)",
    filters: &super::deadlines::FILTERS,
    file: "export-file-deadlines",
    columns: &[
        ("export-column-title", Cell::Text("/title")),
        ("export-column-due", Cell::Instant("/due_at")),
        (
            "export-column-status",
            Cell::Label("/status", "deadline-status"),
        ),
        ("export-column-funder", Cell::Text("/funder_name")),
        ("export-column-project", Cell::Text("/project_name")),
        (
            "export-column-partnership",
            Cell::Text("/partnership_title"),
        ),
        ("export-column-submitted", Cell::Instant("/submitted_at")),
        (
            "export-column-submission-reference",
            Cell::Text("/submission_reference"),
        ),
        ("export-column-notes", Cell::Text("/notes")),
        ("export-column-id", Cell::Text("/id")),
    ],
};

const EXPORTS: [Export; 5] = [PEOPLE, ORGANISATIONS, PARTNERSHIPS, PROJECTS, DEADLINES];

/// From a list page: its filters, as the page's address has them.
async fn from_page(
    export: Export,
    format: Format,
    State(state): State<AppState>,
    member: Member,
    Query(filters): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filtered = filters.check(export.filters, &state, &member).await?;
    file(export, format, state, member, filtered.api).await
}

/// From the API: the list's own query parameters, the page's size and cursor aside.
async fn from_api(
    export: Export,
    format: Format,
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let filters = list_parameters(query.as_deref().unwrap_or_default());
    file(export, format, state, member, filters).await
}

/// The API's query as the list's parameters (`&status=late…`), its page's size and
/// cursor left out: the export reads every page.
fn list_parameters(query: &str) -> String {
    let mut api = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url::form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| name != "limit" && name != "after")
    {
        api.append_pair(&name, &value);
    }
    let api = api.finish();
    if api.is_empty() {
        String::new()
    } else {
        format!("&{api}")
    }
}

#[derive(Deserialize)]
struct Listing {
    items: Vec<Value>,
    next: Option<String>,
}

/// Reads the list being exported from core-records, a page at a time.
#[derive(Clone)]
struct ListReader {
    collection: &'static str,
    state: AppState,
    member: Member,
    filters: String,
}

impl ListReader {
    async fn page(&self, after: Option<String>) -> Result<Listing, Error> {
        let cursor = after.map(|a| format!("&after={a}")).unwrap_or_default();
        let path = format!(
            "/v1/{}?limit={PAGE}{}{cursor}",
            self.collection, self.filters
        );
        self.state
            .core
            .query::<Listing>(&self.member, &path)
            .await?
            .map_err(Error::Refused)
    }

    /// The records of the pages after the one whose cursor is `next`, each read when
    /// the file is ready for it.
    fn pages_after(
        self,
        next: Option<String>,
    ) -> impl Stream<Item = Result<Vec<Value>, Error>> + Send + 'static {
        futures::stream::try_unfold(next, move |after| {
            let reader = self.clone();
            async move {
                let Some(after) = after else {
                    return Ok(None);
                };
                let page = reader.page(Some(after)).await?;
                Ok(Some((page.items, page.next)))
            }
        })
    }
}

/// The file: the first page read before answering (a refused filter is an error page,
/// not a broken download), the others as the file is written.
async fn file(
    export: Export,
    format: Format,
    state: AppState,
    member: Member,
    filters: String,
) -> Result<Response, Error> {
    let locale = FileLocale {
        zone: tenant_zone(&member),
        lang: member.lang(),
    };
    let name = format!(
        "{}-{}.{}",
        locale.lang.t(export.file),
        Utc::now().with_timezone(&locale.zone).date_naive(),
        format.extension()
    );
    let reader = ListReader {
        collection: export.collection,
        state,
        member,
        filters,
    };
    let first = reader.page(None).await?;
    let rest = reader.pages_after(first.next);
    match format {
        Format::Csv => csv::file(export, locale, first.items, rest, &name),
        Format::Xlsx => xlsx::file(export, locale, first.items, rest, &name).await,
    }
}

/// The header that makes the answer a file to keep, named `name`.
fn attachment(name: &str) -> String {
    format!("attachment; filename=\"{name}\"")
}

/// Who a file is written for: instants in the workspace's time zone, headings and
/// values in the member's language.
#[derive(Clone, Copy)]
struct FileLocale {
    zone: Tz,
    lang: Lang,
}

/// A cell as text: what a CSV holds, and an XLSX for all but days and instants.
fn cell_text(item: &Value, cell: Cell, FileLocale { zone, lang }: FileLocale) -> String {
    let at = |pointer: &str| item.pointer(pointer).unwrap_or(&Value::Null);
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match cell {
        Cell::Text(pointer) => text(at(pointer)),
        Cell::YesNo(pointer) => match at(pointer) {
            Value::Bool(true) => lang.t("record-yes"),
            Value::Bool(false) => lang.t("record-no"),
            _ => String::new(),
        },
        Cell::Label(pointer, list) => {
            let value = text(at(pointer));
            let id = format!("{list}-{value}");
            if lang.has(&id) { lang.t(&id) } else { value }
        }
        Cell::Day(pointer) => at(pointer)
            .as_str()
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .map(short_date)
            .unwrap_or_default(),
        Cell::Instant(pointer) => at(pointer)
            .as_str()
            .and_then(|d| d.parse::<DateTime<Utc>>().ok())
            .map(|d| d.with_timezone(&zone).format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_default(),
        Cell::Names(pointer) => at(pointer)
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i["name"].as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::list_parameters;

    #[test]
    fn the_apis_query_is_the_lists_without_its_page() {
        assert_eq!(
            list_parameters("status=late&limit=5&after=abc&tag=Cl%C3%A9"),
            "&status=late&tag=Cl%C3%A9"
        );
        assert_eq!(list_parameters(""), "");
    }
}
