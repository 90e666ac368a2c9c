//! Lists exported as CSV, with their filters, from a list page
//! (`/t/{slug}/{collection}/export.csv`) or the API
//! (`/api/v1/t/{slug}/exports/{collection}.csv`, the list's own query parameters).
//!
//! The file is written as core-records' list is read, a page of 200 at a time, so a
//! workspace of any size is exported in bounded memory. It opens in a French
//! spreadsheet as it is (UTF-8 with its byte-order mark, `;` between cells), and no
//! cell can run as a formula there: one that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is written after an apostrophe (OWASP's advice on CSV injection).

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use futures::StreamExt;
use maillage_domain::kinds::{OrganisationKind, PartnershipKind, PartnershipStatus, ProjectStatus};
use maillage_problem::Query;
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use serde_json::Value;

use super::record_parts::{FilterQuery, Filters};
use super::{short_date, tenant_zone};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// The list pages' exports (their refusals are pages).
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for export in EXPORTS {
        router = router.route(
            &format!("/t/{{slug}}/{}/export.csv", export.collection),
            get(move |state, member, query| from_page(export, state, member, query)),
        );
    }
    router
}

/// The API's exports (their refusals are problems), each in the API's document.
pub fn api_router() -> ApiRouter<AppState> {
    let mut router = ApiRouter::new();
    for export in EXPORTS {
        router = router.get(
            &format!("/api/v1/t/{{slug}}/exports/{}.csv", export.collection),
            move |state, member, raw| from_api(export, state, member, raw),
            Doc::new("exports", export.summary).returns_file("text/csv"),
        );
    }
    router
}

/// How many records each read of the list brings.
const PAGE: usize = 200;

/// One exportable list: its collection, the filters its page offers, its columns.
#[derive(Clone, Copy)]
pub struct Export {
    collection: &'static str,
    filters: &'static Filters,
    columns: &'static [(&'static str, Cell)],
    /// What the file is called, before its date.
    file: &'static str,
    /// What the API's document says of it.
    summary: &'static str,
}

/// How a column is read from a record of the list (a JSON pointer) and written.
#[derive(Clone, Copy)]
enum Cell {
    Text(&'static str),
    /// `true` → "Oui".
    YesNo(&'static str),
    /// A closed list's value, in words.
    Label(&'static str, &'static [(&'static str, &'static str)]),
    /// A day, as French spreadsheets read it (31/12/2026).
    Day(&'static str),
    /// An instant, in the workspace's time zone (31/12/2026 17:00).
    Instant(&'static str),
    /// The `name` of each element of an array, separated by commas.
    Names(&'static str),
}

const PEOPLE: Export = Export {
    collection: "people",
    summary: "Exporter les personnes en CSV (les filtres de la liste s'appliquent)",
    filters: &Filters::NONE,
    file: "personnes",
    columns: &[
        ("Prénom", Cell::Text("/given_name")),
        ("Nom", Cell::Text("/family_name")),
        ("E-mail", Cell::Text("/email")),
        ("Téléphone", Cell::Text("/phone")),
        ("Accepte les e-mails", Cell::YesNo("/email_consent")),
        ("Base légale", Cell::Text("/consent_basis")),
        ("Consentement le", Cell::Day("/consent_on")),
        ("Notes", Cell::Text("/notes")),
        ("Créée le", Cell::Instant("/created_at")),
        ("Modifiée le", Cell::Instant("/updated_at")),
        ("Identifiant", Cell::Text("/id")),
    ],
};

const ORGANISATIONS: Export = Export {
    collection: "organisations",
    summary: "Exporter les organisations en CSV (les filtres de la liste s'appliquent : kind, sector, territory, tag)",
    filters: &super::organisations::FILTERS,
    file: "organisations",
    columns: &[
        ("Nom", Cell::Text("/name")),
        ("Type", Cell::Label("/kind", OrganisationKind::CHOICES)),
        ("Secteur", Cell::Text("/sector")),
        ("Territoire", Cell::Text("/territory")),
        ("Site web", Cell::Text("/website")),
        ("E-mail", Cell::Text("/email")),
        ("Téléphone", Cell::Text("/phone")),
        ("Notes", Cell::Text("/notes")),
        ("Créée le", Cell::Instant("/created_at")),
        ("Modifiée le", Cell::Instant("/updated_at")),
        ("Identifiant", Cell::Text("/id")),
    ],
};

const PARTNERSHIPS: Export = Export {
    collection: "partnerships",
    summary: "Exporter les partenariats en CSV (les filtres de la liste s'appliquent : status, kind, tag)",
    filters: &super::partnerships::FILTERS,
    file: "partenariats",
    columns: &[
        ("Intitulé", Cell::Text("/title")),
        ("Type", Cell::Label("/kind", PartnershipKind::CHOICES)),
        ("État", Cell::Label("/status", PartnershipStatus::CHOICES)),
        ("Début", Cell::Day("/starts_on")),
        ("Fin", Cell::Day("/ends_on")),
        ("Prochaine évaluation", Cell::Day("/next_evaluation_on")),
        ("Partenaires", Cell::Names("/partners")),
        ("Objet", Cell::Text("/agreement/purpose")),
        ("Notes", Cell::Text("/notes")),
        ("Identifiant", Cell::Text("/id")),
    ],
};

const PROJECTS: Export = Export {
    collection: "projects",
    summary: "Exporter les projets en CSV (les filtres de la liste s'appliquent : status, owner_user_id, tag)",
    filters: &super::projects::FILTERS,
    file: "projets",
    columns: &[
        ("Nom", Cell::Text("/name")),
        ("État", Cell::Label("/status", ProjectStatus::CHOICES)),
        ("Public visé", Cell::Text("/target_population")),
        ("Territoire", Cell::Text("/territory")),
        ("Début", Cell::Day("/starts_on")),
        ("Fin", Cell::Day("/ends_on")),
        ("Partenaires", Cell::Names("/partners")),
        ("Description", Cell::Text("/description")),
        ("Identifiant", Cell::Text("/id")),
    ],
};

const DEADLINES: Export = Export {
    collection: "deadlines",
    summary: "Exporter les échéances en CSV (les filtres de la liste s'appliquent : status, responsible_user_id, due_within_days…)",
    filters: &super::deadlines::FILTERS,
    file: "echeances",
    columns: &[
        ("Intitulé", Cell::Text("/title")),
        ("À rendre le", Cell::Instant("/due_at")),
        ("État", Cell::Label("/status", super::deadlines::STATUSES)),
        ("Financeur", Cell::Text("/funder_name")),
        ("Projet", Cell::Text("/project_name")),
        ("Partenariat", Cell::Text("/partnership_title")),
        ("Rendu le", Cell::Instant("/submitted_at")),
        ("Référence du dépôt", Cell::Text("/submission_reference")),
        ("Notes", Cell::Text("/notes")),
        ("Identifiant", Cell::Text("/id")),
    ],
};

const EXPORTS: [Export; 5] = [PEOPLE, ORGANISATIONS, PARTNERSHIPS, PROJECTS, DEADLINES];

/// From a list page: its filters, as the page's address has them.
async fn from_page(
    export: Export,
    State(state): State<AppState>,
    member: Member,
    Query(filters): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filtered = filters.check(export.filters, &member)?;
    csv_file(export, state, member, filtered.api).await
}

/// From the API: the list's own query parameters, the page's size and cursor aside.
async fn from_api(
    export: Export,
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let filters = list_parameters(query.as_deref().unwrap_or_default());
    csv_file(export, state, member, filters).await
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

/// The file: the first page read before answering (a refused filter is an error page,
/// not a broken download), the others as the download goes.
async fn csv_file(
    export: Export,
    state: AppState,
    member: Member,
    filters: String,
) -> Result<Response, Error> {
    let zone = tenant_zone(&member);
    let read = move |after: Option<String>| {
        let (state, member, filters) = (state.clone(), member.clone(), filters.clone());
        async move {
            let cursor = after.map(|a| format!("&after={a}")).unwrap_or_default();
            let path = format!("/v1/{}?limit={PAGE}{filters}{cursor}", export.collection);
            state
                .core
                .query::<Listing>(&member, &path)
                .await?
                .map_err(Error::Refused)
        }
    };
    let first = read(None).await?;
    let mut head = Vec::from("\u{feff}".as_bytes());
    head.extend(rows(&export, &first.items, zone, true)?);
    let pages = futures::stream::try_unfold(first.next, move |after| {
        let read = read.clone();
        async move {
            let Some(after) = after else {
                return Ok::<_, Error>(None);
            };
            let page = read(Some(after)).await?;
            let bytes = Bytes::from(rows(&export, &page.items, zone, false)?);
            Ok(Some((bytes, page.next)))
        }
    });
    let body = futures::stream::once(async move { Ok::<_, Error>(Bytes::from(head)) }).chain(pages);
    let name = format!(
        "{}-{}.csv",
        export.file,
        Utc::now().with_timezone(&zone).date_naive()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// The records as CSV lines (after the header line, for the first page).
fn rows(export: &Export, items: &[Value], zone: Tz, header: bool) -> Result<Vec<u8>, Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Export(e.to_string());
    if header {
        writer
            .write_record(export.columns.iter().map(|(name, _)| *name))
            .map_err(failed)?;
    }
    for item in items {
        writer
            .write_record(
                export
                    .columns
                    .iter()
                    .map(|(_, cell)| inert(&cell_text(item, *cell, zone))),
            )
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Export(e.to_string()))
}

fn cell_text(item: &Value, cell: Cell, zone: Tz) -> String {
    let at = |pointer: &str| item.pointer(pointer).unwrap_or(&Value::Null);
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match cell {
        Cell::Text(pointer) => text(at(pointer)),
        Cell::YesNo(pointer) => match at(pointer) {
            Value::Bool(true) => "Oui".into(),
            Value::Bool(false) => "Non".into(),
            _ => String::new(),
        },
        Cell::Label(pointer, choices) => {
            let value = text(at(pointer));
            choices
                .iter()
                .find(|(v, _)| *v == value)
                .map_or(value, |(_, label)| (*label).to_owned())
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

/// A cell a spreadsheet will show, never run: one that would start a formula is
/// written after an apostrophe.
fn inert(cell: &str) -> String {
    maillage_domain::text::inert_in_spreadsheets(cell).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Cell, inert, list_parameters, rows};

    #[test]
    fn the_apis_query_is_the_lists_without_its_page() {
        assert_eq!(
            list_parameters("status=late&limit=5&after=abc&tag=Cl%C3%A9"),
            "&status=late&tag=Cl%C3%A9"
        );
        assert_eq!(list_parameters(""), "");
    }

    #[test]
    fn a_cell_that_would_run_as_a_formula_is_written_after_an_apostrophe() {
        for (typed, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Région Sud", "Région Sud"),
            ("", ""),
        ] {
            assert_eq!(inert(typed), written);
        }
    }

    #[test]
    fn records_become_lines_of_cells_in_words() -> Result<(), crate::Error> {
        let export = super::Export {
            collection: "partnerships",
            filters: &super::super::record_parts::Filters::NONE,
            file: "partenariats",
            summary: "",
            columns: &[
                ("Intitulé", Cell::Text("/title")),
                (
                    "État",
                    Cell::Label(
                        "/status",
                        maillage_domain::kinds::PartnershipStatus::CHOICES,
                    ),
                ),
                ("Début", Cell::Day("/starts_on")),
                ("Partenaires", Cell::Names("/partners")),
                ("Modifié", Cell::Instant("/updated_at")),
            ],
        };
        let items = [json!({
            "title": "Contrat; \"ville\"", "status": "active", "starts_on": "2026-01-31",
            "partners": [{"name": "Région"}, {"name": "=Mairie"}],
            "updated_at": "2026-06-30T22:30:00Z"
        })];
        let csv = String::from_utf8(rows(&export, &items, chrono_tz::Europe::Paris, true)?)
            .unwrap_or_default();
        assert_eq!(
            csv,
            "Intitulé;État;Début;Partenaires;Modifié\n\"Contrat; \"\"ville\"\"\";Actif;31/01/2026;Région, =Mairie;01/07/2026 00:30\n"
        );
        Ok(())
    }
}
