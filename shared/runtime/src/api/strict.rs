//! What the services check of every request, said once for the whole document rather
//! than on each of a hundred fields: ids in paths are UUIDs, free text is text
//! ([`maillage_domain::text`]: no NUL, no control or direction-changing character, and
//! something visible when it is required), no query parameter holds a NUL, a page's
//! cursor is base64url, and a create's required fields are there and not null.
//!
//! A field says what is particular to it with utoipa's attributes (`max_length`,
//! `minimum`, an enum through `schema_with`); `min_length = 1` on a text is read as
//! "required, and not blank", which is how the services decide it.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

/// A page's cursor (`after`): what a list answered as `next`, in base64url.
const CURSOR: &str = "^[A-Za-z0-9_-]*$";

/// Refused in any query parameter (PostgreSQL cannot store it; the extractor refuses it).
const NO_NUL: &str = "^[^\\u0000]*$";

/// The body of `method path` becomes its type's schema with `fields` required (inline:
/// the type itself, shared with the change, keeps them optional).
pub(super) fn require_in_body(document: &mut Value, path: &str, method: &str, fields: &[&str]) {
    let pointer = format!(
        "{}/{method}/requestBody/content/application~1json/schema",
        super::path_pointer(path)
    );
    let Some(name) = document
        .pointer(&pointer)
        .and_then(|body| body.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    else {
        return;
    };
    let Some(schema) = document
        .pointer(&format!("/components/schemas/{name}"))
        .map(|schema| requiring(schema, fields))
    else {
        return;
    };
    if let Some(body) = document.pointer_mut(&pointer) {
        *body = schema;
    }
}

/// `schema` with `fields` required and not null: the body of a create, whose fields a
/// change (PATCH) may leave out.
pub(super) fn requiring(schema: &Value, fields: &[&str]) -> Value {
    let mut schema = schema.clone();
    if let Some(object) = schema.as_object_mut() {
        object.insert("required".into(), json!(fields));
        if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
            for field in fields {
                if let Some(property) = properties.get_mut(*field) {
                    *property = not_null(property.take());
                }
            }
        }
    }
    schema
}

/// A property's schema without its `null` alternative (`Option<T>` in the code).
fn not_null(mut property: Value) -> Value {
    if let Some(values) = property.get_mut("enum").and_then(Value::as_array_mut) {
        values.retain(|v| !v.is_null());
    }
    if let Some(types) = property.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if let [single] = types.as_slice() {
            let single = single.clone();
            property["type"] = single;
        }
        return property;
    }
    if let Some(alternatives) = property.get("oneOf").and_then(Value::as_array) {
        let kept: Vec<&Value> = alternatives
            .iter()
            .filter(|a| a.get("type") != Some(&json!("null")))
            .collect();
        if let [single] = kept.as_slice() {
            return (*single).clone();
        }
    }
    property
}

/// Tightens a whole document as the module's comment says.
pub(super) fn tighten(document: &mut Value) {
    let text = maillage_domain::text::pattern();
    let non_blank = maillage_domain::text::non_blank_pattern();
    let mut reachable = BTreeSet::new();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for operation in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            for parameter in operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                tighten_parameter(parameter);
            }
            if let Some(body) =
                operation.pointer_mut("/requestBody/content/application~1json/schema")
            {
                refs_in(body, &mut reachable);
                text_patterns(body, &text, &non_blank);
            }
        }
    }
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    // What the bodies refer to, and what that refers to in turn.
    let mut pending: Vec<String> = reachable.iter().cloned().collect();
    while let Some(name) = pending.pop() {
        let mut found = BTreeSet::new();
        if let Some(schema) = schemas.get(&name) {
            refs_in(schema, &mut found);
        }
        for name in found {
            if reachable.insert(name.clone()) {
                pending.push(name);
            }
        }
    }
    for name in &reachable {
        if let Some(schema) = schemas.get_mut(name) {
            text_patterns(schema, &text, &non_blank);
        }
    }
}

/// `{id}`, `{evaluation_id}`, `{user_id}`: UUIDs. A free query string: no NUL.
fn tighten_parameter(parameter: &mut Value) {
    let name = parameter["name"].as_str().unwrap_or_default().to_owned();
    let place = parameter["in"].as_str().unwrap_or_default().to_owned();
    let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut) else {
        return;
    };
    if place == "path" && (name == "id" || name.ends_with("_id")) {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("uuid"));
    } else if place == "query" && name == "after" {
        schema.insert("pattern".into(), json!(CURSOR));
    } else if place == "query" && is_free_string(schema) {
        schema.insert("pattern".into(), json!(NO_NUL));
    }
}

/// The names of the component schemas `schema` refers to directly.
fn refs_in(schema: &Value, names: &mut BTreeSet<String>) {
    match schema {
        Value::Object(object) => {
            if let Some(name) = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                names.insert(name.to_owned());
            }
            object.values().for_each(|v| refs_in(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, names)),
        _ => {}
    }
}

/// Gives every free text under `schema` the pattern of text, or of non-blank text where
/// it has `minLength: 1`; maps get keys without NUL. `$ref`s are left to their own turn.
fn text_patterns(schema: &mut Value, text: &str, non_blank: &str) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if object.contains_key("$ref") {
        return;
    }
    if is_free_string(object) {
        let required = object.get("minLength").and_then(Value::as_u64).unwrap_or(0) >= 1;
        let pattern = if required { non_blank } else { text };
        object.insert("pattern".into(), json!(pattern));
    }
    if object
        .get("additionalProperties")
        .is_some_and(Value::is_object)
    {
        object.insert("propertyNames".into(), json!({ "pattern": NO_NUL }));
    }
    for key in ["properties"] {
        if let Some(properties) = object.get_mut(key).and_then(Value::as_object_mut) {
            for property in properties.values_mut() {
                text_patterns(property, text, non_blank);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = object.get_mut(key) {
            text_patterns(inner, text, non_blank);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(alternatives) = object.get_mut(key).and_then(Value::as_array_mut) {
            for alternative in alternatives {
                text_patterns(alternative, text, non_blank);
            }
        }
    }
}

/// A string with nothing that already says what it holds (a format, a list of values,
/// a pattern of its own).
fn is_free_string(schema: &Map<String, Value>) -> bool {
    let is_string = match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    is_string
        && !["format", "enum", "pattern", "const"]
            .iter()
            .any(|key| schema.contains_key(*key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_requires_its_fields_without_their_null() {
        let schema = json!({
            "type": "object",
            "properties": {
                "name": {"type": ["string", "null"], "minLength": 1},
                "budget": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/B"}]},
                "notes": {"type": ["string", "null"]}
            }
        });
        let create = requiring(&schema, &["name", "budget"]);
        assert_eq!(create["required"], json!(["name", "budget"]));
        assert_eq!(create["properties"]["name"]["type"], json!("string"));
        assert_eq!(
            create["properties"]["budget"],
            json!({"$ref": "#/components/schemas/B"})
        );
        assert_eq!(
            create["properties"]["notes"]["type"],
            json!(["string", "null"])
        );
    }

    #[test]
    fn a_create_body_is_its_type_inline_with_the_fields_it_requires() {
        let mut document = json!({
            "paths": {"/v1/tags": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/TagInput"}
            }}}}}},
            "components": {"schemas": {"TagInput": {
                "type": "object",
                "properties": {"name": {"type": ["string", "null"]}}
            }}}
        });
        require_in_body(&mut document, "/v1/tags", "post", &["name"]);
        let body = &document["paths"]["/v1/tags"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"];
        assert_eq!(body["required"], json!(["name"]));
        assert_eq!(body["properties"]["name"]["type"], "string");
        // The type itself, which changes share, still leaves it out.
        let shared = &document["components"]["schemas"]["TagInput"];
        assert!(shared.get("required").is_none());
    }

    #[test]
    fn free_text_in_bodies_gets_the_text_patterns_and_ids_in_paths_are_uuids() {
        let mut document = json!({
            "paths": {"/v1/people/{id}": {"patch": {
                "parameters": [
                    {"name": "id", "in": "path", "schema": {"type": "string"}},
                    {"name": "tag", "in": "query", "schema": {"type": ["string", "null"]}},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["name"]}}
                ],
                "requestBody": {"content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/PersonInput"
                }}}}
            }}},
            "components": {"schemas": {
                "PersonInput": {"type": "object", "properties": {
                    "family_name": {"type": ["string", "null"], "minLength": 1},
                    "notes": {"type": "string"},
                    "consent_on": {"type": "string", "format": "date"},
                    "address": {"$ref": "#/components/schemas/Address"},
                    "custom": {"type": "object", "additionalProperties": {}}
                }},
                "Address": {"type": "object", "properties": {"city": {"type": "string"}}},
                "Person": {"type": "object", "properties": {"notes": {"type": "string"}}}
            }}
        });
        tighten(&mut document);
        let operation = &document["paths"]["/v1/people/{id}"]["patch"];
        assert_eq!(operation["parameters"][0]["schema"]["format"], "uuid");
        assert_eq!(operation["parameters"][1]["schema"]["pattern"], NO_NUL);
        assert!(
            operation["parameters"][2]["schema"]
                .get("pattern")
                .is_none()
        );
        let input = &document["components"]["schemas"]["PersonInput"]["properties"];
        let text = maillage_domain::text::pattern();
        assert_eq!(
            input["family_name"]["pattern"],
            maillage_domain::text::non_blank_pattern()
        );
        assert_eq!(input["notes"]["pattern"], text);
        assert!(input["consent_on"].get("pattern").is_none());
        assert_eq!(input["custom"]["propertyNames"]["pattern"], NO_NUL);
        let address = &document["components"]["schemas"]["Address"]["properties"];
        assert_eq!(address["city"]["pattern"], text);
        // Answers only: left as they are.
        let person = &document["components"]["schemas"]["Person"]["properties"];
        assert!(person["notes"].get("pattern").is_none());
    }
}
