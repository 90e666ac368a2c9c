//! The OpenAPI document and the routes agree, both ways.

use maillage_domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, TestResult};

/// The string literals of this crate's sources that look like routes (`"/v1/…"`).
fn route_literals_in_sources() -> anyhow::Result<Vec<String>> {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, found)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path)?;
                for literal in source.split('"').skip(1).step_by(2) {
                    if literal.starts_with("/v1/") {
                        found.push(literal.to_owned());
                    }
                }
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    )?;
    Ok(found)
}

#[tokio::test]
async fn every_route_is_in_the_openapi_document_and_every_documented_route_answers() -> TestResult {
    let app = TestApp::spawn().await?;
    let admin = app.actor("asso-a", Role::Admin).await?;
    let response = app
        .http
        .get(format!("{}/v1/openapi.json", app.base))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await?;
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        document["openapi"]
    );
    let paths = document["paths"]
        .as_object()
        .ok_or_else(|| anyhow::anyhow!("no paths"))?;

    // Every route written in the sources is documented: a route added with plain axum
    // routing, past the documented router, fails here.
    for literal in route_literals_in_sources()? {
        // `format!` templates ("/v1/{collection}/{{id}}/tags") are expanded by the router.
        if literal.contains("{{") || literal == "/v1/openapi.json" {
            continue;
        }
        assert!(
            paths.contains_key(&literal),
            "{literal} is routed but missing from the OpenAPI document"
        );
    }
    for collection in ["people", "organisations", "partnerships", "projects"] {
        assert!(paths.contains_key(&format!("/v1/{collection}/{{id}}/tags")));
        assert!(paths.contains_key(&format!("/v1/{collection}/{{id}}/timeline")));
    }

    // Every documented operation is routed: called with unknown ids it answers from a
    // handler (a problem, or data), never the router's bare 404 or a 405.
    let mut operations = 0;
    for (path, item) in paths {
        let concrete: String = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    Uuid::new_v4().to_string()
                } else {
                    segment.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().into_iter().flat_map(|m| m.keys()) {
            let method: Method = method.to_uppercase().parse()?;
            let mut request = app
                .request(&admin, method.clone(), &concrete)?
                .header("if-match", "\"1\"");
            if [Method::POST, Method::PUT, Method::PATCH].contains(&method) {
                request = request.json(&json!({}));
            }
            let response = request.send().await?;
            let status = response.status();
            let is_problem = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/problem+json"));
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(
                status != StatusCode::NOT_FOUND || is_problem,
                "{method} {path} is documented but not routed"
            );
            operations += 1;
        }
    }
    assert!(operations >= 60, "only {operations} operations documented");
    Ok(())
}
