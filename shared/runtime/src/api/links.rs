//! OpenAPI links from each create to what can be done with what it created: the answer
//! of `POST /v1/people` (its `id`) is what `GET`, `PATCH` and `DELETE /v1/people/{id}`,
//! `/v1/people/{id}/tags`… take. Clients (and a stateful fuzzer) read the document to
//! chain requests the way a person would.

use serde_json::{Map, Value, json};

/// Adds the links of every create (a POST answering 201) of `document`.
pub(super) fn add_links(document: &mut Value) {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut links_of: Vec<(String, Map<String, Value>)> = Vec::new();
    for (collection, item) in paths {
        if item.pointer("/post/responses/201").is_none() {
            continue;
        }
        let known = parameters_of(collection);
        let mut links = Map::new();
        for (path, target) in paths {
            let Some(created) = new_parameter(collection, path) else {
                continue;
            };
            let unknown: Vec<&str> = parameters_of(path)
                .into_iter()
                .filter(|p| !known.contains(p) && *p != created)
                .collect();
            if !unknown.is_empty() {
                continue;
            }
            for operation in target.as_object().into_iter().flat_map(Map::values) {
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let mut parameters = Map::new();
                for name in parameters_of(path) {
                    let source = if name == created {
                        "$response.body#/id".to_owned()
                    } else {
                        format!("$request.path.{name}")
                    };
                    parameters.insert(name.to_owned(), json!(source));
                }
                links.insert(
                    id.to_owned(),
                    json!({ "operationId": id, "parameters": parameters }),
                );
            }
        }
        if !links.is_empty() {
            links_of.push((collection.clone(), links));
        }
    }
    for (collection, links) in links_of {
        let pointer = format!("{}/post/responses/201", super::path_pointer(&collection));
        if let Some(Value::Object(created)) = document.pointer_mut(&pointer) {
            created.insert("links".into(), Value::Object(links));
        }
    }
}

/// The path parameter `path` adds after `collection`: `id` for `/v1/people/{id}/tags`
/// below `/v1/people`.
fn new_parameter<'p>(collection: &str, path: &'p str) -> Option<&'p str> {
    let rest = path.strip_prefix(collection)?.strip_prefix("/{")?;
    let (name, _) = rest.split_once('}')?;
    Some(name)
}

fn parameters_of(path: &str) -> Vec<&str> {
    super::path_parameters(path).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_links_to_every_route_of_what_it_created() {
        let mut document = json!({"paths": {
            "/v1/partnerships": {"post": {"operationId": "post_p", "responses": {"201": {}}}},
            "/v1/partnerships/{id}": {
                "get": {"operationId": "get_p"}, "delete": {"operationId": "delete_p"}
            },
            "/v1/partnerships/{id}/evaluations": {
                "post": {"operationId": "post_e", "responses": {"201": {}}}
            },
            "/v1/partnerships/{id}/evaluations/{evaluation_id}": {
                "get": {"operationId": "get_e"}
            },
            "/v1/tags": {"get": {"operationId": "list_t"}}
        }});
        add_links(&mut document);
        let links = &document["paths"]["/v1/partnerships"]["post"]["responses"]["201"]["links"];
        assert_eq!(
            links["get_p"]["parameters"],
            json!({"id": "$response.body#/id"})
        );
        assert_eq!(links["post_e"]["parameters"]["id"], "$response.body#/id");
        assert!(
            links.get("get_e").is_none(),
            "evaluation_id is not known yet"
        );
        let evaluation = &document["paths"]["/v1/partnerships/{id}/evaluations"]["post"]["responses"]
            ["201"]["links"];
        assert_eq!(
            evaluation["get_e"]["parameters"],
            json!({"id": "$request.path.id", "evaluation_id": "$response.body#/id"})
        );
    }
}
