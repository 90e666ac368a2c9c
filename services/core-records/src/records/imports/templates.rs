//! Mapping templates (`/v1/import-templates`): an import's mapping saved under a name —
//! each header's field and transform, and the decision for likely duplicates — to be
//! applied again to the next file. A file whose headers are those of a template takes
//! it at once, in whatever order its columns come; any file may be given one by hand.

use axum::extract::State;
use axum::http::StatusCode;
use maillage_domain::import::{
    ColumnTransform, DuplicateDecision, ImportField, ImportStatus, ImportTemplate, TemplateColumn,
};
use maillage_import::Template;
use maillage_problem::{Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::queries;
use crate::Error;
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

pub(super) fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/import-templates",
            list,
            Doc::new(
                "imports",
                "Les modèles de correspondance des colonnes, par nom",
            )
            .returns::<TemplateList>(),
        )
        .post(
            "/v1/import-templates",
            save,
            Doc::new(
                "imports",
                "Enregistrer la correspondance d'un import vérifié comme modèle (un modèle du même nom est remplacé)",
            )
            .body::<TemplateInput>()
            .created()
            .returns::<ImportTemplate>(),
        )
        .delete(
            "/v1/import-templates/{id}",
            delete,
            Doc::new("imports", "Supprimer un modèle de correspondance").no_content(),
        )
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct TemplateList {
    items: Vec<ImportTemplate>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct TemplateInput {
    #[schema(min_length = 1, max_length = 100)]
    name: String,
    /// The checked import whose mapping is saved.
    import_id: Uuid,
}

/// A template found for a file.
pub(super) struct Fitting {
    pub(super) name: String,
    pub(super) template: Template,
    pub(super) duplicates: DuplicateDecision,
}

struct Stored {
    id: Uuid,
    name: String,
    headers: Vec<String>,
    mapping: Vec<String>,
    transforms: Vec<String>,
    duplicates: String,
    updated_at: chrono::DateTime<chrono::Utc>,
}

impl Stored {
    fn template(&self) -> Template {
        Template {
            headers: self.headers.clone(),
            mapping: queries::mapping_of(&self.mapping),
            transforms: queries::transforms_of(&self.transforms),
        }
    }

    fn into_shown(self) -> ImportTemplate {
        let columns = self
            .headers
            .iter()
            .enumerate()
            .map(|(i, header)| TemplateColumn {
                header: header.clone(),
                field: self.mapping.get(i).and_then(|k| ImportField::from_key(k)),
                transform: self
                    .transforms
                    .get(i)
                    .and_then(|k| ColumnTransform::from_key(k)),
            })
            .collect();
        ImportTemplate {
            id: self.id,
            name: self.name,
            columns,
            duplicates: DuplicateDecision::parse(&self.duplicates),
            updated_at: self.updated_at,
        }
    }
}

async fn stored(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Vec<Stored>, Error> {
    Ok(sqlx::query_as!(
        Stored,
        r#"select id, name, headers, mapping, transforms, duplicates, updated_at from import_templates
           where tenant_id = $1 order by lower(name), id"#,
        tenant_id,
    )
    .fetch_all(conn)
    .await?)
}

/// The template made for a file of `headers`, the most recently saved if several are.
pub(super) async fn fitting(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    headers: &[String],
) -> Result<Option<Fitting>, Error> {
    let mut templates = stored(conn, tenant_id).await?;
    templates.sort_by_key(|t| std::cmp::Reverse(t.updated_at));
    Ok(templates
        .into_iter()
        .map(|stored| (stored.template(), stored))
        .find(|(template, _)| template.fits(headers))
        .map(|(template, stored)| Fitting {
            name: stored.name,
            template,
            duplicates: DuplicateDecision::parse(&stored.duplicates),
        }))
}

/// The template `id`, to apply to an import by hand.
pub(super) async fn by_id(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Fitting, Error> {
    let stored = sqlx::query_as!(
        Stored,
        r#"select id, name, headers, mapping, transforms, duplicates, updated_at from import_templates
           where tenant_id = $1 and id = $2"#,
        tenant_id,
        id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| Error::field("template_id", &said("check-no-such-template")))?;
    Ok(Fitting {
        template: stored.template(),
        duplicates: DuplicateDecision::parse(&stored.duplicates),
        name: stored.name,
    })
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<TemplateList>, Error> {
    let mut tx = identity.begin(&state).await?;
    let items = stored(&mut tx, identity.0.tenant_id)
        .await?
        .into_iter()
        .map(Stored::into_shown)
        .collect();
    tx.commit().await?;
    Ok(Json(TemplateList { items }))
}

async fn save(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<TemplateInput>,
) -> Result<(StatusCode, Json<ImportTemplate>), Error> {
    identity.require_editor()?;
    let name = maillage_domain::text::trim_blank(&input.name).to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::field("name", &said("check-template-name")));
    }
    if let Some(defect) = maillage_domain::text::defect(&name) {
        return Err(Error::field("name", &said(defect.message_id())));
    }
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(&state).await?;
    let import = match queries::lock(&mut tx, tenant_id, input.import_id).await {
        Err(Error::NotFound) => {
            return Err(Error::field("import_id", &said("check-no-such-import")));
        }
        found => found?,
    };
    if import.status != ImportStatus::Checked || import.headers.is_empty() {
        return Err(Error::field(
            "import_id",
            &said("check-template-checked-only"),
        ));
    }
    let template = Template::of(&import.headers, &import.mapping, &import.transforms);
    let saved = sqlx::query_as!(
        Stored,
        r#"insert into import_templates (tenant_id, id, name, headers, mapping, transforms, duplicates, created_by)
           select $1, $2, $3, $4, $5, $6, duplicates, $7 from imports where tenant_id = $1 and id = $8
           on conflict (tenant_id, lower(name)) do update
             set name = excluded.name, headers = excluded.headers, mapping = excluded.mapping,
                 transforms = excluded.transforms, duplicates = excluded.duplicates, updated_at = now()
           returning id, name, headers, mapping, transforms, duplicates, updated_at"#,
        tenant_id,
        Uuid::now_v7(),
        name,
        &template.headers,
        &queries::mapping_keys(&template.mapping),
        &queries::transform_keys(&template.transforms),
        identity.0.user_id,
        input.import_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "update imports set template_name = $3 where tenant_id = $1 and id = $2",
        tenant_id,
        input.import_id,
        saved.name,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(saved.into_shown())))
}

async fn delete(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, Error> {
    identity.require_editor()?;
    let mut tx = identity.begin(&state).await?;
    let deleted = sqlx::query!(
        "delete from import_templates where tenant_id = $1 and id = $2",
        identity.0.tenant_id,
        id,
    )
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
