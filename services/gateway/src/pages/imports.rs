//! Imports from the pages (`/t/{slug}/imports`): a file sent from a form, passed on to
//! core-records as it arrives; the import's page, which follows its importer (it
//! refreshes itself while one works), shows the columns' mapping and the dry run's
//! counts, problems and likely duplicates to decide on, then the report of what was done
//! — the "indicateurs de reprise" — with the rows refused and the undoing.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Form, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maillage_domain::import::{
    ColumnTransform, Import, ImportCounts, ImportField, ImportStatus, RecordTotals,
};
use maillage_problem::{Path, Problem};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::import_templates::{self, TemplateLine};
use maillage_i18n::Lang;

use super::{Choice, FormErrors, Layout, page, page_with_status, tenant_zone};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/t/{slug}/imports",
            // The file's size is capped by core-records, as it arrives.
            get(list).post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/t/{slug}/imports/{id}", get(show).post(change))
        .route("/t/{slug}/imports/{id}/run", post(run))
        .route("/t/{slug}/imports/{id}/undo", post(undo))
        .route("/t/{slug}/imports/{id}/discard", post(discard))
        .route("/t/{slug}/imports/{id}/rejected.csv", get(rejected))
}

#[derive(Deserialize)]
struct ImportList {
    items: Vec<Import>,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    layout: Layout,
    imports: Vec<ImportLine>,
    templates: Vec<TemplateLine>,
    errors: FormErrors,
}

struct ImportLine {
    href: String,
    file_name: String,
    status: String,
    sent: String,
    rows: u64,
}

async fn list(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    imports_page(&state, &member, StatusCode::OK, FormErrors::default()).await
}

async fn imports_page(
    state: &AppState,
    member: &Member,
    status: StatusCode,
    errors: FormErrors,
) -> Result<Response, Error> {
    let imports: ImportList = state.core.get(member, "/v1/imports").await?;
    let templates = import_templates::lines(state, member).await?;
    let zone = tenant_zone(member);
    let lang = member.lang();
    let slug = &member.tenant.slug;
    page_with_status(
        status,
        &ImportsPage {
            layout: Layout::of(member, "imports"),
            imports: imports
                .items
                .into_iter()
                .map(|i| ImportLine {
                    href: format!("/t/{slug}/imports/{}", i.id),
                    file_name: i.file_name,
                    status: status_name(lang, i.status),
                    sent: lang.date_time(i.created_at, zone),
                    rows: i.counts.rows,
                })
                .collect(),
            templates,
            errors,
        },
    )
}

/// The form's `file`, passed on to core-records chunk by chunk as it arrives.
async fn upload(
    State(state): State<AppState>,
    Editor(member): Editor,
    mut form: Multipart,
) -> Result<Response, Error> {
    let mut field = loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => break Some(field),
            Ok(Some(_)) => continue,
            Ok(None) | Err(_) => break None,
        }
    };
    let Some(field) = field
        .as_mut()
        .filter(|f| f.file_name().is_some_and(|n| !n.is_empty()))
    else {
        let errors = FormErrors::field("file", &member.lang().t("imports-file-missing"));
        return imports_page(&state, &member, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let file_name = field.file_name().unwrap_or("fichier").to_owned();
    let path = format!(
        "/v1/imports?file_name={}",
        url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect::<String>()
    );
    let (chunks, received) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(futures::stream::unfold(received, |mut r| async move {
        r.recv().await.map(|chunk| (chunk, r))
    }));
    let sending = state.core.upload::<Import>(&member, &path, body);
    let feeding = async move {
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => Ok(chunk),
                Ok(None) => break,
                // A transfer cut short: core-records sees its body end in an error and
                // keeps nothing.
                Err(error) => Err(std::io::Error::other(error.to_string())),
            };
            let failed = chunk.is_err();
            if chunks.send(chunk).await.is_err() || failed {
                break;
            }
        }
    };
    let (sent, ()) = tokio::join!(sending, feeding);
    match sent? {
        Ok(import) => Ok(
            Redirect::to(&format!("/t/{}/imports/{}", member.tenant.slug, import.id))
                .into_response(),
        ),
        Err(problem) => {
            let (status, errors) = FormErrors::refusal(problem);
            imports_page(&state, &member, status, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    layout: Layout,
    import: Import,
    base: String,
    status: String,
    in_progress: bool,
    checked: bool,
    done: bool,
    columns: Vec<ColumnLine>,
    duplicate_choices: Vec<Choice>,
    duplicates: Vec<DuplicateLine>,
    counts: Vec<(&'static str, u64)>,
    totals: Vec<TotalLine>,
    /// Saved templates, to apply one: (id, name).
    template_choices: Vec<Choice>,
    sent: String,
    finished: Option<String>,
    undone: Option<String>,
}

struct ColumnLine {
    header: String,
    field: String,
    examples: String,
    choices: Vec<Choice>,
    /// The form's name of its transform, and the transforms its field may take.
    transform_field: String,
    transforms: Vec<Choice>,
}

struct DuplicateLine {
    line: u64,
    row_name: String,
    person_href: String,
    person_name: String,
    field: String,
    choices: Vec<Choice>,
}

struct TotalLine {
    /// The message that names the kind of record.
    kind: &'static str,
    before: i64,
    after: Option<i64>,
}

/// What may be decided of a likely duplicate; each is named by `import-decision-{value}`.
const DECISIONS: [&str; 3] = ["match", "create", "skip"];

/// An import's status in `lang`.
fn status_name(lang: Lang, status: ImportStatus) -> String {
    lang.t(&format!("import-status-{}", status.as_str()))
}

/// A field of Maillage a column may go into, in `lang`.
pub(super) fn field_name(lang: Lang, field: ImportField) -> String {
    lang.t(&format!("import-field-{}", field.key()))
}

/// What the dry run or the run counted, each with the message that names it.
fn count_lines(counts: &ImportCounts) -> Vec<(&'static str, u64)> {
    vec![
        ("import-count-rows", counts.rows),
        ("import-count-rejected", counts.rejected),
        ("import-count-skipped", counts.skipped),
        ("import-count-people-created", counts.people_created),
        ("import-count-people-updated", counts.people_updated),
        ("import-count-people-matched", counts.people_matched),
        ("import-count-likely-duplicates", counts.likely_duplicates),
        (
            "import-count-organisations-created",
            counts.organisations_created,
        ),
        (
            "import-count-organisations-matched",
            counts.organisations_matched,
        ),
        (
            "import-count-affiliations-created",
            counts.affiliations_created,
        ),
        ("import-count-tags-created", counts.tags_created),
        ("import-count-tags-attached", counts.tags_attached),
        ("import-count-activities-created", counts.activities_created),
        ("import-count-activities-matched", counts.activities_matched),
        (
            "import-count-engagements-created",
            counts.engagements_created,
        ),
        (
            "import-count-engagements-matched",
            counts.engagements_matched,
        ),
    ]
}

fn total_lines(before: Option<&RecordTotals>, after: Option<&RecordTotals>) -> Vec<TotalLine> {
    let Some(before) = before else {
        return Vec::new();
    };
    let of = |t: &RecordTotals| {
        [
            t.people,
            t.organisations,
            t.affiliations,
            t.tags,
            t.activities,
            t.engagements,
        ]
    };
    let kinds = [
        "import-total-people",
        "import-total-organisations",
        "import-total-affiliations",
        "import-total-tags",
        "import-total-activities",
        "import-total-engagements",
    ];
    let after = after.map(of);
    kinds
        .into_iter()
        .zip(of(before))
        .enumerate()
        .map(|(i, (kind, before))| TotalLine {
            kind,
            before,
            after: after.map(|a| a[i]),
        })
        .collect()
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let import: Import = state
        .core
        .get(&member, &format!("/v1/imports/{id}"))
        .await?;
    let slug = &member.tenant.slug;
    let zone = tenant_zone(&member);
    let lang = member.lang();

    let columns = import
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| ColumnLine {
            header: c.header.clone(),
            field: format!("column_{i}"),
            examples: c.examples.join(" · "),
            choices: Choice::named(
                lang,
                Some("import-do-not-import"),
                "import-field",
                ImportField::ALL.map(ImportField::key),
                c.field.map_or("", ImportField::key),
            ),
            transform_field: format!("transform_{i}"),
            transforms: c.field.map_or_else(Vec::new, |field| {
                let fitting = ColumnTransform::ALL
                    .into_iter()
                    .filter(|t| t.fits(field))
                    .map(ColumnTransform::key);
                Choice::named(
                    lang,
                    Some("import-as-is"),
                    "import-transform",
                    fitting,
                    c.transform.map_or("", ColumnTransform::key),
                )
            }),
        })
        .collect();
    let template_choices = if import.status == ImportStatus::Checked {
        import_templates::choices(&state, &member).await?
    } else {
        Vec::new()
    };
    let duplicates = import
        .likely_duplicates
        .iter()
        .map(|d| DuplicateLine {
            line: d.line,
            row_name: d.row_name.clone(),
            person_href: format!("/t/{slug}/people/{}", d.person_id),
            person_name: d.person_name.clone(),
            field: format!("line_{}", d.line),
            choices: Choice::named(
                lang,
                None,
                "import-decision",
                DECISIONS,
                d.decision.as_str(),
            ),
        })
        .collect();
    page(&ImportPage {
        layout: Layout::of(&member, "imports"),
        base: format!("/t/{slug}/imports/{id}"),
        status: status_name(lang, import.status),
        in_progress: import.status.in_progress(),
        checked: import.status == ImportStatus::Checked,
        done: import.status == ImportStatus::Done,
        columns,
        duplicate_choices: Choice::named(
            lang,
            None,
            "import-decision",
            DECISIONS,
            import.duplicates.as_str(),
        ),
        duplicates,
        counts: count_lines(&import.counts),
        totals: total_lines(import.totals_before.as_ref(), import.totals_after.as_ref()),
        template_choices,
        sent: lang.date_time(import.created_at, zone),
        finished: import.finished_at.map(|at| lang.date_time(at, zone)),
        undone: import.undone_at.map(|at| lang.date_time(at, zone)),
        import,
    })
}

/// The mapping form, read into the import's change: `column_{i}` the field of column i,
/// `transform_{i}` its transform (dropped when it does not fit the field chosen with it),
/// `template_id` a template to apply instead, `duplicates` the default decision,
/// `line_{n}` a row's own.
fn change_of(form: &HashMap<String, String>) -> Value {
    let mut change = Map::new();
    if let Some(template) = form.get("template_id").filter(|t| !t.is_empty()) {
        change.insert("template_id".into(), json!(template));
        return Value::Object(change);
    }
    let mut columns: Vec<(usize, Option<ImportField>, Option<ColumnTransform>)> = form
        .iter()
        .filter_map(|(name, value)| {
            let index: usize = name.strip_prefix("column_")?.parse().ok()?;
            let field = ImportField::from_key(value);
            let transform = form
                .get(&format!("transform_{index}"))
                .and_then(|t| ColumnTransform::from_key(t))
                .filter(|t| field.is_some_and(|f| t.fits(f)));
            Some((index, field, transform))
        })
        .collect();
    columns.sort_by_key(|(i, _, _)| *i);
    if !columns.is_empty() {
        change.insert(
            "mapping".into(),
            Value::Array(columns.iter().map(|(_, f, _)| json!(f)).collect()),
        );
        change.insert(
            "transforms".into(),
            Value::Array(columns.iter().map(|(_, _, t)| json!(t)).collect()),
        );
    }
    if let Some(duplicates) = form.get("duplicates") {
        change.insert("duplicates".into(), json!(duplicates));
    }
    let decisions: Vec<Value> = form
        .iter()
        .filter_map(|(name, value)| {
            let line: i64 = name.strip_prefix("line_")?.parse().ok()?;
            Some(json!({ "line": line, "decision": value }))
        })
        .collect();
    if !decisions.is_empty() {
        change.insert("decisions".into(), Value::Array(decisions));
    }
    Value::Object(change)
}

async fn change(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let path = format!("/v1/imports/{id}");
    let sent = state
        .core
        .send::<Import>(&member, Method::PATCH, &path, &change_of(&form), None)
        .await?;
    back_to(&member, id, sent)
}

async fn run(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    step(&state, &member, id, "run").await
}

async fn undo(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    step(&state, &member, id, "undo").await
}

async fn step(state: &AppState, member: &Member, id: Uuid, step: &str) -> Result<Response, Error> {
    let path = format!("/v1/imports/{id}/{step}");
    let sent = state
        .core
        .send::<Import>(member, Method::POST, &path, &json!({}), None)
        .await?;
    back_to(member, id, sent)
}

/// Back to the import's page, or the refusal's.
fn back_to(member: &Member, id: Uuid, sent: Result<Import, Problem>) -> Result<Response, Error> {
    match sent {
        Ok(_) => {
            Ok(Redirect::to(&format!("/t/{}/imports/{id}", member.tenant.slug)).into_response())
        }
        Err(problem) => Err(Error::Refused(problem)),
    }
}

async fn discard(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    delete_then_list(&state, &member, &format!("/v1/imports/{id}")).await
}

/// Deletes `path` at core-records, then back to the imports' list, or the refusal's page.
pub(super) async fn delete_then_list(
    state: &AppState,
    member: &Member,
    path: &str,
) -> Result<Response, Error> {
    match state.core.delete(member, path, None).await? {
        Ok(()) => Ok(Redirect::to(&format!("/t/{}/imports", member.tenant.slug)).into_response()),
        Err(problem) => Err(Error::Refused(problem)),
    }
}

/// The rows refused, passed on from core-records as they come.
async fn rejected(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let answer = state
        .core
        .request(
            &member,
            Method::GET,
            &format!("/v1/imports/{id}/rejected.csv"),
        )?
        .send()
        .await?;
    if answer.status() == reqwest::StatusCode::NOT_FOUND {
        return Err(Error::NotFound);
    }
    let answer = answer.error_for_status()?;
    let mut response = Response::builder().status(StatusCode::OK);
    for name in [
        reqwest::header::CONTENT_TYPE,
        reqwest::header::CONTENT_DISPOSITION,
    ] {
        if let Some(value) = answer.headers().get(&name) {
            response = response.header(name, value);
        }
    }
    response
        .body(Body::from_stream(answer.bytes_stream()))
        .map_err(|e| Error::Export(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_field_transform_decision_and_count_is_said_in_both_languages() {
        let ids = ImportStatus::ALL
            .map(|s| format!("import-status-{}", s.as_str()))
            .into_iter()
            .chain(ImportField::ALL.map(|f| format!("import-field-{}", f.key())))
            .chain(ColumnTransform::ALL.map(|t| format!("import-transform-{}", t.key())))
            .chain(DECISIONS.map(|d| format!("import-decision-{d}")))
            .chain(
                count_lines(&ImportCounts::default())
                    .into_iter()
                    .map(|(id, _)| id.to_owned()),
            )
            .chain(
                total_lines(Some(&RecordTotals::default()), None)
                    .into_iter()
                    .map(|t| t.kind.to_owned()),
            );
        for id in ids {
            for lang in [Lang::Fr, Lang::En] {
                assert!(lang.has(&id), "{id} is missing in {lang}");
            }
        }
    }

    #[test]
    fn the_mapping_form_becomes_the_imports_change() {
        let form: HashMap<String, String> = [
            ("column_1", "family_name"),
            ("column_0", "given_name"),
            ("column_10", ""),
            ("transform_1", "capitalise"),
            // Chosen for a full name, then the field changed: dropped.
            ("transform_0", "family_name_first"),
            ("duplicates", "skip"),
            ("line_4", "create"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let change = change_of(&form);
        assert_eq!(
            change["mapping"],
            json!(["given_name", "family_name", null])
        );
        assert_eq!(change["transforms"], json!([null, "capitalise", null]));
        assert_eq!(change["duplicates"], "skip");
        assert_eq!(
            change["decisions"],
            json!([{"line": 4, "decision": "create"}])
        );
    }
}
