//! Routes declared together with their OpenAPI description, so that the API and its
//! documentation cannot drift apart: a route exists only through [`ApiRouter`], and
//! [`ApiRouter::split`] returns the axum router and the OpenAPI document it was built from.
//!
//! utoipa builds the document and the schemas (`#[derive(ToSchema, IntoParams)]` on the
//! types); this module only joins registration and description. (utoipa-axum's `routes!`
//! does the same from `#[utoipa::path]` attributes, but cannot register the generic
//! handlers — `read::<Person>` — that our records share.)

use std::collections::{BTreeMap, BTreeSet};

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, on};
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, Object, Type};
use utoipa::openapi::{
    Components, Content, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required, Schema,
};
use utoipa::{IntoParams, ToSchema};

mod links;
mod strict;

/// The media type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A string that is one of `values` (a kind, a role, an order), for
/// `#[schema(schema_with = …)]` on fields the services check against a list.
pub fn one_of(values: &[&str]) -> Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
}

/// [`one_of`], or null (an optional field: absent and null mean the same).
pub fn one_of_or_null(values: &[&str]) -> Object {
    string_or_null()
        .enum_values(Some(
            values
                .iter()
                .map(|v| serde_json::Value::from(*v))
                .chain([serde_json::Value::Null]),
        ))
        .build()
}

/// What one route does, for the OpenAPI document.
pub struct Doc {
    tag: &'static str,
    summary: &'static str,
    parameters: Vec<utoipa::openapi::path::Parameter>,
    request: Option<RefOr<Schema>>,
    /// Of the body's fields, those a create requires.
    requires: &'static [&'static str],
    status: u16,
    response: Option<RefOr<Schema>>,
    /// The media type of a file it answers with, instead of JSON.
    file: Option<&'static str>,
    /// The media type of a file it takes as its body, instead of JSON.
    upload: Option<&'static str>,
    schemas: Vec<(String, RefOr<Schema>)>,
}

impl Doc {
    /// A route of the `tag` group, summed up in a sentence.
    pub fn new(tag: &'static str, summary: &'static str) -> Self {
        Self {
            tag,
            summary,
            parameters: Vec::new(),
            request: None,
            requires: &[],
            status: 200,
            response: None,
            file: None,
            upload: None,
            schemas: Vec::new(),
        }
    }

    /// The JSON body it takes.
    pub fn body<T: ToSchema>(mut self) -> Self {
        self.request = Some(self.reference::<T>());
        self
    }

    /// Of the body's fields, those a create must have (a change may leave any out).
    pub fn requires(mut self, fields: &'static [&'static str]) -> Self {
        self.requires = fields;
        self
    }

    /// The JSON body it answers with (200 unless [`Doc::created`]).
    pub fn returns<T: ToSchema>(mut self) -> Self {
        self.response = Some(self.reference::<T>());
        self
    }

    /// It takes a file of `media_type` (`application/zip`…) as its body.
    pub fn takes_file(mut self, media_type: &'static str) -> Self {
        self.upload = Some(media_type);
        self
    }

    /// It answers with a file of `media_type` (`application/zip`…), to download.
    pub fn returns_file(mut self, media_type: &'static str) -> Self {
        self.file = Some(media_type);
        self
    }

    /// It answers one page of `T`: `{"items": [...], "next": "<cursor>"}`, the cursor to
    /// pass as `after` for the next page (null on the last).
    pub fn returns_page<T: ToSchema>(mut self) -> Self {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder};
        let item = self.reference::<T>();
        let page = ObjectBuilder::new()
            .property("items", ArrayBuilder::new().items(item))
            .property("next", string_or_null())
            .required("items")
            .required("next");
        self.response = Some(RefOr::T(page.into()));
        self
    }

    /// It changes a record and wants the version last read, `If-Match: "3"` (a stale one
    /// is refused with 409, a missing one with 428).
    pub fn if_match(mut self) -> Self {
        self.parameters.push(
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some("La version lue (ETag), par exemple \"3\""))
                // What the services parse: a version number, quoted or not, weak or not.
                .schema(Some(
                    utoipa::openapi::schema::ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some(r#"^(W/)?"?[0-9]{1,9}"?$"#))
                        .build(),
                ))
                .build(),
        );
        self
    }

    /// It answers 201 Created.
    pub fn created(mut self) -> Self {
        self.status = 201;
        self
    }

    /// It answers 204 No Content.
    pub fn no_content(mut self) -> Self {
        self.status = 204;
        self.response = None;
        self
    }

    /// The query parameters it reads.
    pub fn query<Q: IntoParams>(mut self) -> Self {
        self.parameters
            .extend(Q::into_params(|| Some(ParameterIn::Query)));
        self
    }

    fn reference<T: ToSchema>(&mut self) -> RefOr<Schema> {
        let name = T::name().into_owned();
        self.schemas.push((name.clone(), T::schema()));
        T::schemas(&mut self.schemas);
        RefOr::Ref(Ref::from_schema_name(name))
    }

    fn operation(self, path: &str, method: &str) -> (Operation, Vec<(String, RefOr<Schema>)>) {
        let mut parameters: Vec<_> = path_parameters(path)
            .map(|name| {
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(Object::with_type(Type::String)))
                    .build()
            })
            .collect();
        parameters.extend(self.parameters);
        let success = match (&self.response, self.file) {
            (_, Some(media_type)) => ResponseBuilder::new()
                .description("Réussite")
                .content(media_type, binary()),
            (Some(schema), None) => ResponseBuilder::new()
                .description("Réussite")
                .content("application/json", Content::new(Some(schema.clone()))),
            (None, None) => ResponseBuilder::new().description("Réussite"),
        };
        let problem = ResponseBuilder::new()
            .description(
                "Erreur, décrite en problem+json (RFC 9457) : champ par champ pour une saisie invalide",
            )
            .content(
                PROBLEM_JSON,
                Content::new(Some(RefOr::Ref(Ref::from_schema_name("Problem")))),
            );
        let operation = OperationBuilder::new()
            .tag(self.tag)
            .summary(Some(self.summary))
            .operation_id(Some(operation_id(method, path)))
            .parameters(Some(parameters))
            .request_body(match (self.request, self.upload) {
                (_, Some(media_type)) => Some(
                    RequestBodyBuilder::new()
                        .required(Some(Required::True))
                        .content(media_type, binary())
                        .build(),
                ),
                (Some(schema), None) => Some(
                    RequestBodyBuilder::new()
                        .required(Some(Required::True))
                        .content("application/json", Content::new(Some(schema)))
                        .build(),
                ),
                (None, None) => None,
            })
            .response(self.status.to_string(), success)
            .response("default", problem)
            .build();
        (operation, self.schemas)
    }
}

/// A file's bytes, as the document describes a body or an answer that is one.
fn binary() -> Content {
    Content::new(Some(RefOr::T(
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Binary,
            )))
            .build()
            .into(),
    )))
}

/// The JSON pointer to a path's item in the document: `/paths/~1v1~1people`.
fn path_pointer(path: &str) -> String {
    format!("/paths/{}", path.replace('~', "~0").replace('/', "~1"))
}

/// A string that may be null (an optional field), to give a format or bounds to.
pub fn string_or_null() -> utoipa::openapi::schema::ObjectBuilder {
    utoipa::openapi::schema::ObjectBuilder::new().schema_type(
        utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]),
    )
}

/// `{id}` and `{evaluation_id}` of `/v1/partnerships/{id}/evaluations/{evaluation_id}`.
fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// `get_v1_people_id_timeline`: stable, unique, readable in generated clients.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(['/', '-'])
        .map(|w| w.trim_matches(['{', '}']).to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}

/// An axum router that documents every route it registers.
pub struct ApiRouter<S> {
    router: Router<S>,
    paths: BTreeMap<String, Vec<(HttpMethod, Operation)>>,
    schemas: BTreeMap<String, RefOr<Schema>>,
    /// Names given to two different schemas: the document keeps only one of them, so
    /// the other's routes are described wrongly (see `schema_conflicts`).
    conflicts: BTreeSet<String>,
    /// Operations whose body requires some of its type's fields: (path, method, fields).
    creates: Vec<(String, &'static str, &'static [&'static str])>,
}

impl<S> Default for ApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self {
            router: Router::new(),
            paths: BTreeMap::new(),
            schemas: BTreeMap::new(),
            conflicts: BTreeSet::new(),
            creates: Vec::new(),
        }
    }
}

impl<S> ApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get<H, T>(self, path: &str, handler: H, doc: Doc) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.on(HttpMethod::Get, path, handler, doc)
    }

    pub fn post<H, T>(self, path: &str, handler: H, doc: Doc) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.on(HttpMethod::Post, path, handler, doc)
    }

    pub fn put<H, T>(self, path: &str, handler: H, doc: Doc) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.on(HttpMethod::Put, path, handler, doc)
    }

    pub fn patch<H, T>(self, path: &str, handler: H, doc: Doc) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.on(HttpMethod::Patch, path, handler, doc)
    }

    pub fn delete<H, T>(self, path: &str, handler: H, doc: Doc) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.on(HttpMethod::Delete, path, handler, doc)
    }

    fn on<H, T>(mut self, method: HttpMethod, path: &str, handler: H, doc: Doc) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        let (filter, name) = match method {
            HttpMethod::Get => (MethodFilter::GET, "get"),
            HttpMethod::Post => (MethodFilter::POST, "post"),
            HttpMethod::Put => (MethodFilter::PUT, "put"),
            HttpMethod::Patch => (MethodFilter::PATCH, "patch"),
            HttpMethod::Delete => (MethodFilter::DELETE, "delete"),
            HttpMethod::Head => (MethodFilter::HEAD, "head"),
            HttpMethod::Options => (MethodFilter::OPTIONS, "options"),
            HttpMethod::Trace => (MethodFilter::TRACE, "trace"),
        };
        self.router = self.router.route(path, on(filter, handler));
        if !doc.requires.is_empty() {
            self.creates.push((path.to_owned(), name, doc.requires));
        }
        let (operation, schemas) = doc.operation(path, name);
        self.add_schemas(schemas);
        self.paths
            .entry(path.to_owned())
            .or_default()
            .push((method, operation));
        self
    }

    pub fn merge(mut self, other: ApiRouter<S>) -> Self {
        self.router = self.router.merge(other.router);
        for (path, operations) in other.paths {
            self.paths.entry(path).or_default().extend(operations);
        }
        self.add_schemas(other.schemas);
        self.conflicts.extend(other.conflicts);
        self.creates.extend(other.creates);
        self
    }

    fn add_schemas(&mut self, schemas: impl IntoIterator<Item = (String, RefOr<Schema>)>) {
        for (name, schema) in schemas {
            if self
                .schemas
                .get(&name)
                .is_some_and(|known| *known != schema)
            {
                self.conflicts.insert(name.clone());
            }
            self.schemas.insert(name, schema);
        }
    }

    /// The schema names two different types were given (two `struct Budget` in two
    /// modules, say): each must be empty, which the services' tests check.
    pub fn schema_conflicts(&self) -> Vec<String> {
        self.conflicts.iter().cloned().collect()
    }

    /// The router, and the OpenAPI 3.1 document of everything it routes (as JSON: the
    /// checks [`strict`] writes into it are beyond what utoipa's types read back).
    pub fn split(self, title: &str, version: &str) -> (Router<S>, serde_json::Value) {
        let mut paths = PathsBuilder::new().build();
        for (path, operations) in self.paths {
            for (method, operation) in operations {
                paths.add_path_operation(&path, vec![method], operation);
            }
        }
        let components: Components = ComponentsBuilder::new()
            .schemas_from_iter(self.schemas)
            .schema("Problem", problem_schema())
            .build();
        let openapi = OpenApiBuilder::new()
            .info(
                utoipa::openapi::InfoBuilder::new()
                    .title(title)
                    .version(version)
                    .build(),
            )
            .paths(paths)
            .components(Some(components))
            .build();
        (self.router, tightened(openapi, &self.creates))
    }
}

/// The document with what the services check of every request written into it (see
/// [`strict`]).
fn tightened(
    openapi: OpenApi,
    creates: &[(String, &'static str, &'static [&'static str])],
) -> serde_json::Value {
    // utoipa's types serialise infallibly (plain data, string keys).
    let mut document = serde_json::to_value(&openapi).unwrap_or_default();
    for (path, method, fields) in creates {
        strict::require_in_body(&mut document, path, method, fields);
    }
    strict::tighten(&mut document);
    links::add_links(&mut document);
    document
}

/// RFC 9457 problem details, with the field errors of an invalid input.
fn problem_schema() -> Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder};
    let string = || Object::with_type(Type::String);
    let field_error = ObjectBuilder::new()
        .property("field", string())
        .property("message", string())
        .required("field")
        .required("message");
    ObjectBuilder::new()
        .property("type", string())
        .property("title", string())
        .property("status", Object::with_type(Type::Integer))
        .property("detail", string())
        .property("errors", ArrayBuilder::new().items(field_error))
        .required("title")
        .required("status")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_and_path_parameters_come_from_the_path() {
        assert_eq!(
            operation_id("get", "/v1/partnerships/{id}/evaluations/{evaluation_id}"),
            "get_v1_partnerships_id_evaluations_evaluation_id"
        );
        assert_eq!(
            operation_id("post", "/v1/custom-fields"),
            "post_v1_custom_fields"
        );
        assert_eq!(
            path_parameters("/v1/partnerships/{id}/evaluations/{evaluation_id}")
                .collect::<Vec<_>>(),
            ["id", "evaluation_id"]
        );
    }
}
