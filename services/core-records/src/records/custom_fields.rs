//! Custom fields: each tenant adds its own fields to people and organisations (text,
//! number, date, or a choice among values). Admins define them; every write of a record
//! checks its values against the definitions.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use maillage_problem::{FieldError, Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::Checks;
use crate::Error;
use crate::audit::{self, Action};
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::language::{one_of, reader, said};
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .get(
            "/v1/custom-fields",
            list,
            Doc::new("custom-fields", "Champs personnalisés de l'espace")
                .returns::<CustomFieldList>(),
        )
        .post(
            "/v1/custom-fields",
            create,
            Doc::new(
                "custom-fields",
                "Définir un champ personnalisé (administrateurs)",
            )
            .body::<CustomFieldInput>()
            .created()
            .returns::<CustomField>(),
        )
        .delete(
            "/v1/custom-fields/{id}",
            remove,
            Doc::new(
                "custom-fields",
                "Supprimer un champ personnalisé (administrateurs)",
            )
            .no_content(),
        )
}

const TYPES: [&str; 4] = ["text", "number", "date", "choice"];

const RECORD_TYPES: [&str; 2] = ["person", "organisation"];
const MAX_CHOICE_CHARS: usize = 200;

/// The values a choice field offers, each a text of at most 200 characters.
fn choices_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(MAX_CHOICE_CHARS)),
        )
        .build()
}

/// The types of custom field, for the document.
fn field_type_schema() -> Object {
    maillage_runtime::api::one_of(&TYPES)
}

/// The records a custom field belongs to, for the document.
fn record_type_schema() -> Object {
    maillage_runtime::api::one_of(&RECORD_TYPES)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CustomField {
    pub id: Uuid,
    /// person or organisation.
    pub record_type: String,
    /// Its name in the record's `custom` object.
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub choices: Vec<String>,
    pub required: bool,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct CustomFieldInput {
    #[schema(schema_with = record_type_schema)]
    record_type: String,
    #[schema(pattern = "^[a-z][a-z0-9_]{0,39}$")]
    key: String,
    #[schema(min_length = 1, max_length = 100)]
    label: String,
    #[schema(schema_with = field_type_schema)]
    field_type: String,
    #[serde(default)]
    #[schema(schema_with = choices_schema)]
    choices: Vec<String>,
    #[serde(default)]
    required: bool,
}

/// The tenant's custom fields, by record type.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct CustomFieldList {
    items: Vec<CustomField>,
}

async fn list(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<Json<CustomFieldList>, Error> {
    let mut tx = identity.begin(&state).await?;
    let fields = definitions(&mut tx, identity.0.tenant_id, None).await?;
    tx.commit().await?;
    Ok(Json(CustomFieldList { items: fields }))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<CustomFieldInput>,
) -> Result<(StatusCode, Json<CustomField>), Error> {
    identity.require_admin()?;
    let mut checks = Checks::default();
    if !RECORD_TYPES.contains(&input.record_type.as_str()) {
        checks.push("record_type", &one_of(&["person", "organisation"]));
    }
    let key_ok = input.key.len() <= 40
        && input.key.starts_with(|c: char| c.is_ascii_lowercase())
        && input
            .key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !key_ok {
        checks.push("key", &said("check-field-key"));
    }
    if !TYPES.contains(&input.field_type.as_str()) {
        checks.push("field_type", &one_of(&["text", "number", "date", "choice"]));
    }
    let label = checks.text("label", &input.label, true, 100);
    let choices: Vec<String> = input
        .choices
        .iter()
        .map(|c| checks.text("choices", c, false, MAX_CHOICE_CHARS))
        .filter(|c| !c.is_empty())
        .collect();
    if input.field_type == "choice" && choices.is_empty() {
        checks.push("choices", &said("check-choices-required"));
    }
    checks.finish()?;
    let field = CustomField {
        id: Uuid::now_v7(),
        record_type: input.record_type,
        key: input.key,
        label,
        field_type: input.field_type,
        choices,
        required: input.required,
    };
    let mut tx = identity.begin(&state).await?;
    sqlx::query!(
        r#"insert into custom_fields (tenant_id, id, record_type, key, label, field_type, choices, required)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        identity.0.tenant_id,
        field.id,
        field.record_type,
        field.key,
        field.label,
        field.field_type,
        &field.choices,
        field.required,
    )
    .execute(&mut *tx)
    .await
    .on_constraint("custom_fields_key_key", || Error::field("key", &said("check-field-exists")))?;
    audit::record(
        &mut tx,
        &identity,
        Action::Create,
        "custom_field",
        field.id,
        None,
        Some(&field),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(field)))
}

/// Removes the definition; values already stored stay in the records' history.
async fn remove(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, Error> {
    identity.require_admin()?;
    let mut tx = identity.begin(&state).await?;
    let removed = sqlx::query_as!(
        CustomField,
        r#"delete from custom_fields where tenant_id = $1 and id = $2
           returning id, record_type, key, label, field_type, choices, required"#,
        identity.0.tenant_id,
        id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    // Its values go with it: left in the records, they would make every later write of
    // them refused ("ce champ n'existe pas"). The records change, so their version moves.
    let (tenant_id, key) = (identity.0.tenant_id, &removed.key);
    if removed.record_type == "person" {
        sqlx::query!(
            r#"update people set custom = custom - $2::text, version = version + 1, updated_at = now()
               where tenant_id = $1 and custom ? $2::text"#,
            tenant_id,
            key,
        )
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query!(
            r#"update organisations set custom = custom - $2::text, version = version + 1, updated_at = now()
               where tenant_id = $1 and custom ? $2::text"#,
            tenant_id,
            key,
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        &identity,
        Action::Delete,
        "custom_field",
        id,
        Some(&removed),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn definitions(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    record_type: Option<&str>,
) -> Result<Vec<CustomField>, Error> {
    Ok(sqlx::query_as!(
        CustomField,
        r#"select id, record_type, key, label, field_type, choices, required from custom_fields
           where tenant_id = $1 and ($2::text is null or record_type = $2)
           order by record_type, created_at"#,
        tenant_id,
        record_type,
    )
    .fetch_all(conn)
    .await?)
}

/// Checks a record's custom values against the tenant's definitions: no unknown key,
/// each value of its field's type, required ones present. Returns the values as stored.
pub async fn check_values(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    record_type: &str,
    values: Map<String, Value>,
) -> Result<Value, Error> {
    let fields = definitions(conn, tenant_id, Some(record_type)).await?;
    let mut errors = Vec::new();
    for key in values.keys() {
        if !fields.iter().any(|f| &f.key == key) {
            errors.push(FieldError::new(
                format!("custom.{key}"),
                said("check-no-such-field"),
            ));
        }
    }
    for field in &fields {
        let name = format!("custom.{}", field.key);
        match values.get(&field.key) {
            None | Some(Value::Null) => {
                if field.required {
                    errors.push(FieldError::new(name, said("check-required")));
                }
            }
            Some(value) => {
                let valid = match (field.field_type.as_str(), value) {
                    ("text", Value::String(s)) => {
                        s.chars().count() <= 2_000 && maillage_domain::text::defect(s).is_none()
                    }
                    ("number", Value::Number(_)) => true,
                    ("date", Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
                    ("choice", Value::String(s)) => field.choices.contains(s),
                    _ => false,
                };
                if !valid {
                    let expected = match field.field_type.as_str() {
                        "number" => said("check-number-expected"),
                        "date" => said("check-date-expected"),
                        "choice" => reader().t1("check-choice", "values", field.choices.join(", ")),
                        _ => said("check-text-expected"),
                    };
                    errors.push(FieldError::new(name, expected));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(Value::Object(
            values.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        ))
    } else {
        Err(Error::Validation(errors))
    }
}
