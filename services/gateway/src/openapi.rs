//! The public API described in OpenAPI 3.1, and its interactive documentation.
//!
//! Both halves are generated from the code that routes them: core-records documents its
//! records (`/v1/openapi.json`), the gateway its own routes; the gateway serves the two
//! as one document, with the records under `/api/v1/t/{slug}/…` where it forwards them.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maillage_problem::Json;
use serde_json::{Value, json};
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::Error;
use crate::session::SESSION_COOKIE;
use crate::state::AppState;

pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";
pub const DOCS_PATH: &str = "/api/docs";

/// `GET /api/v1/openapi.json`, and the interactive docs at `/api/docs` (Swagger UI,
/// served from the binary: no CDN, nothing fetched at build time).
pub fn router(own: Value) -> Router<AppState> {
    let own = Arc::new(own);
    Router::new()
        .route(
            DOCUMENT_PATH,
            get(move |State(state): State<AppState>| document(state, Arc::clone(&own))),
        )
        .merge(SwaggerUi::new(DOCS_PATH).config(Config::new([DOCUMENT_PATH])))
}

async fn document(state: AppState, own: Arc<Value>) -> Result<Json<Value>, Error> {
    let records = state.core.openapi().await?;
    Ok(Json(public_document(records, &own)?))
}

/// core-records' `/v1/people` becomes the public `/api/v1/t/{slug}/people`, merged with
/// the gateway's own routes; every route asks for the session cookie.
///
/// The records' half arrives as JSON and is composed as JSON: whatever core-records
/// documents is passed on untouched, but for the path and its `slug` parameter.
pub fn public_document(records: Value, own: &Value) -> Result<Value, Error> {
    let mut document = own.clone();
    let slug = serde_json::to_value(slug_parameter())?;
    if let Some(paths) = records.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let rest = path.strip_prefix("/v1/").unwrap_or(path);
            let mut item = item.clone();
            for operation in item
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                if let Some(operation) = operation.as_object_mut() {
                    let parameters = operation
                        .entry("parameters")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Some(parameters) = parameters.as_array_mut() {
                        parameters.insert(0, slug.clone());
                    }
                    // A link stays in the workspace of the request it follows.
                    for link in operation
                        .get_mut("responses")
                        .and_then(Value::as_object_mut)
                        .into_iter()
                        .flat_map(|responses| responses.values_mut())
                        .filter_map(|response| response.get_mut("links"))
                        .filter_map(Value::as_object_mut)
                        .flat_map(|links| links.values_mut())
                    {
                        link["parameters"]["slug"] = json!("$request.path.slug");
                    }
                }
            }
            document["paths"][format!("/api/v1/t/{{slug}}/{rest}")] = item;
        }
    }
    if let Some(schemas) = records
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let own = &mut document["components"]["schemas"][name];
            if !own.is_null() && own != schema {
                return Err(Error::SchemaNamedTwice(name.clone()));
            }
            *own = schema.clone();
        }
    }
    let session = SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
        SESSION_COOKIE,
        "La session ouverte en se connectant sur /login",
    )));
    document["components"]["securitySchemes"]["session"] = serde_json::to_value(session)?;
    document["security"] = json!([{ "session": [] }]);
    document["info"]["description"] = json!(
        "L'API de Maillage : contacts, partenariats, projets, activités, engagements et \
         échéances de rapport d'un espace. Les erreurs sont décrites en problem+json ; \
         une modification demande la version lue (If-Match)."
    );
    Ok(document)
}

fn slug_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("slug")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(
            "L'identifiant de l'espace de travail, par exemple asso-demo",
        ))
        .schema(Some(Object::with_type(Type::String)))
        .build()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::public_document;

    #[test]
    fn a_schema_name_given_two_meanings_by_the_two_services_is_an_error() {
        let own = json!({"paths": {}, "components": {"schemas": {"Problem": {"type": "object"}}}});
        let same = json!({"paths": {}, "components": {"schemas": {"Problem": {"type": "object"}}}});
        assert!(public_document(same, &own).is_ok());
        let other =
            json!({"paths": {}, "components": {"schemas": {"Problem": {"type": "string"}}}});
        assert!(matches!(
            public_document(other, &own),
            Err(crate::Error::SchemaNamedTwice(name)) if name == "Problem"
        ));
    }
}
