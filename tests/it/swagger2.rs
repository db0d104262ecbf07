//! Swagger 2.0 input: a 2.0 twin of the Insights definition generates the same public API as
//! the OpenAPI 3.0 file it was written from, and 2.0 constructs convert as OpenAPI 3.0 has them.

use std::path::Path;

use generator::ApiSettings;

fn fixture(name: &str) -> (std::path::PathBuf, String) {
    let path = xtask::workspace_root().join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, text)
}

/// The generated files without their first line, which names the source file.
fn generate(path: &Path, text: &str) -> (String, String) {
    let settings = ApiSettings {
        module: Some("insights".into()),
        accept: Some("application/vnd.bentley.itwin-platform.v1+json".into()),
        ..Default::default()
    };
    let (module, models) =
        crate::support::module_of(path, text, &settings, false).unwrap_or_else(|e| panic!("{e}"));
    let body = |file: String| {
        file.split_once('\n')
            .map(|(_, rest)| rest.to_owned())
            .unwrap_or_default()
    };
    (body(module), body(models))
}

#[test]
fn the_swagger_2_twin_of_insights_generates_the_same_public_api() {
    // The Insights definition of spec/ as it was when the twin was written (mappings to
    // extraction): the pair pins the conversion, whatever spec/ becomes.
    let (spec, text) = fixture("swagger2/insights.openapi3.json");
    let v3 = generate(&spec, &text);
    let (path, text) = fixture("swagger2/insights.json");
    assert!(text.contains("\"swagger\": \"2.0\""));
    let v2 = generate(&path, &text);
    assert!(v3.0 == v2.0, "mod.rs differs:\n{}", diff(&v3.0, &v2.0));
    assert!(v3.1 == v2.1, "models.rs differs:\n{}", diff(&v3.1, &v2.1));
}

fn diff(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .take(10)
        .map(|(i, (x, y))| format!("{}: 3.0 `{x}`\n{}: 2.0 `{y}`", i + 1, i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn errors_in_a_swagger_2_file_point_into_that_file() {
    let text = r##"{
      "swagger": "2.0",
      "info": {"title": "Broken", "version": "v1"},
      "host": "api.bentley.com",
      "basePath": "/broken",
      "paths": {"/things": {"get": {"operationId": "get-things",
        "parameters": [{"name": "Accept", "in": "header", "type": "string", "enum": ["application/vnd.bentley.itwin-platform.v1+json"]}],
        "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Missing"}}}}}},
      "definitions": {"Thing": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Nowhere"}}}}
    }"##;
    let error = crate::support::module_of(
        Path::new("broken.json"),
        text,
        &ApiSettings::default(),
        false,
    )
    .expect_err("the references are broken");
    assert_eq!(error.pointer, "/definitions/Thing/properties/next");
    assert!(
        error.to_string().contains("#/components/schemas/Nowhere")
            || error.to_string().contains("Nowhere"),
        "{error}"
    );
}

#[test]
fn other_swagger_versions_are_named_in_the_error() {
    let error = crate::support::module_of(
        Path::new("old.json"),
        r#"{"swagger": "1.2"}"#,
        &ApiSettings::default(),
        false,
    )
    .expect_err("1.2 is not read");
    assert_eq!(error.pointer, "/swagger");
    assert!(error.message.contains("Swagger version 1.2"), "{error}");
}
