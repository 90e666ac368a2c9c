//! `rejected.csv`: the rows an import could not take, as they were read, each with its
//! line and reason, for the association to correct and send again. Written a page of
//! rows at a time; opens in a French spreadsheet as it is (byte-order mark, `;`), no
//! cell of it runnable there as a formula.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maillage_domain::text::inert_in_spreadsheets;
use maillage_problem::Path;
use sqlx::PgPool;
use uuid::Uuid;

use crate::Error;
use crate::identity::Identity;
use crate::state::AppState;

const PAGE: i64 = 2000;

pub(super) async fn download(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<Response, Error> {
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let import = sqlx::query!(
        "select file_name, headers from imports where tenant_id = $1 and id = $2",
        tenant_id,
        id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    tx.commit().await?;
    let mut head = vec!["Ligne".to_owned(), "Colonne".into(), "Raison".into()];
    head.extend(import.headers);
    let mut first = "\u{feff}".as_bytes().to_vec();
    first.extend(lines([head])?);
    let pool = state.pool.clone();
    let pages = futures::stream::try_unfold(Some(0i64), move |after| {
        let pool = pool.clone();
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let (bytes, next) = page(&pool, tenant_id, id, after).await?;
            Ok::<_, Error>(Some((bytes, next)))
        }
    });
    let body = futures::StreamExt::chain(
        futures::stream::once(async move { Ok::<_, Error>(Bytes::from(first)) }),
        pages,
    );
    let stem = import
        .file_name
        .rsplit_once('.')
        .map_or(import.file_name.as_str(), |(stem, _)| stem)
        .replace(|c: char| !c.is_alphanumeric() && c != '-' && c != '_', "_");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}-lignes-refusees.csv\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// The rejected rows after line `after`, as CSV; where the next page starts, if any.
async fn page(
    pool: &PgPool,
    tenant_id: Uuid,
    import_id: Uuid,
    after: i64,
) -> Result<(Bytes, Option<i64>), Error> {
    let mut tx = maillage_db::begin_tenant(pool, tenant_id).await?;
    let rows = sqlx::query!(
        r#"select line, column_name, reason, cells from import_problems
           where tenant_id = $1 and import_id = $2 and line > $3
           order by line limit $4"#,
        tenant_id,
        import_id,
        after,
        PAGE,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let next = (rows.len() as i64 == PAGE).then(|| rows.last().map_or(after, |r| r.line));
    let text = lines(rows.into_iter().map(|row| {
        let mut cells = vec![
            row.line.to_string(),
            row.column_name.unwrap_or_default(),
            row.reason,
        ];
        cells.extend(row.cells);
        cells
    }))?;
    Ok((Bytes::from(text), next))
}

/// Lines of CSV, `;`-separated and quoted where needed (the csv crate's rules, as the
/// exports write theirs), every cell inert in a spreadsheet.
fn lines(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, Error> {
    let failed = |e: &dyn std::fmt::Display| Error::Database(sqlx::Error::Protocol(e.to_string()));
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        // Rows keep the cells they were read with, trailing empty ones gone.
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row.iter().map(|c| inert_in_spreadsheets(c).into_owned()))
            .map_err(|e| failed(&e))?;
    }
    writer.into_inner().map_err(|e| failed(&e))
}
