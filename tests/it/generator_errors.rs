//! A malformed or unsupported definition gives an error naming the file and the JSON pointer.

use std::path::Path;

use generator::{ApiSettings, Error};

fn error_of(fixture: &str) -> Error {
    error_with(fixture, false)
}

/// The error of a fixture read with `--strict`, after checking that without it the fixture
/// generates, with the same complaint as a warning.
fn strict_error_of(fixture: &str) -> Error {
    let path = Path::new("fixtures/invalid").join(fixture);
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path))
        .expect("fixture exists");
    let (_, warnings) = crate::support::model_of(&path, &text, &ApiSettings::default())
        .unwrap_or_else(|e| panic!("{fixture} is read leniently: {e}"));
    let error = error_with(fixture, true);
    assert!(
        warnings
            .iter()
            .any(|w| w.pointer == error.pointer && w.message == error.message),
        "{error} is a warning without --strict: {warnings:?}"
    );
    error
}

fn error_with(fixture: &str, strict: bool) -> Error {
    let path = Path::new("fixtures/invalid").join(fixture);
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path))
        .expect("fixture exists");
    match crate::support::module_of(&path, &text, &ApiSettings::default(), strict) {
        Ok(_) => panic!("{fixture} should be rejected"),
        Err(e) => e,
    }
}

#[test]
fn a_ref_to_a_missing_schema_names_the_referring_node() {
    let e = error_of("missing_schema_ref.yaml");
    assert_eq!(
        e.pointer,
        "/components/schemas/Things/properties/items/items"
    );
    assert_eq!(
        e.to_string(),
        "fixtures/invalid/missing_schema_ref.yaml: at /components/schemas/Things/properties/items/items: \
         $ref `#/components/schemas/Thing` points to a schema that does not exist"
    );
}

#[test]
fn an_unknown_swagger_version_is_refused_by_name() {
    let e = error_of("swagger12.json");
    assert_eq!(e.pointer, "/swagger");
    assert!(e.message.contains("Swagger version 1.2"), "{e}");
}

#[test]
fn a_node_of_the_wrong_shape_is_located() {
    let e = error_of("response_not_an_object.yaml");
    assert_eq!(e.pointer, "/paths/~1things~1{id}/delete/responses/204");
    assert!(e.message.contains("not a valid OpenAPI 3.0 node"), "{e}");
}

#[test]
fn a_path_placeholder_without_a_parameter_is_refused_when_strict() {
    let e = strict_error_of("undeclared_path_param.yaml");
    assert_eq!(e.pointer, "/paths/~1things~1{thingId}/delete");
    assert!(e.message.contains("no path parameter `thingId`"), "{e}");
}

#[test]
fn an_enum_that_lists_a_value_twice_is_refused_when_strict() {
    // (Values that only map to the same variant name are numbered; see the name_clashes fixture.)
    let e = strict_error_of("duplicate_enum_value.yaml");
    assert_eq!(e.pointer, "/components/schemas/State/enum/2");
    assert!(e.message.contains("`Active` is listed twice"), "{e}");
}

#[test]
fn a_cycle_of_refs_to_refs_is_refused_by_pointer() {
    let e = error_of("ref_cycle.yaml");
    assert_eq!(e.pointer, "/paths/~1things/get/responses/200");
    assert!(
        e.message.contains("$refs lead to each other in a cycle"),
        "{e}"
    );
}

#[test]
fn a_ref_to_a_url_is_refused() {
    let e = error_of("url_ref.yaml");
    assert_eq!(e.pointer, "/components/schemas/Thing");
    assert!(e.message.contains("is a URL"), "{e}");
}

#[test]
fn unreadable_text_gives_line_and_column() {
    let e = crate::support::module_of(
        Path::new("x.json"),
        "{\"openapi\": \"3.0.3\",,}",
        &ApiSettings::default(),
        false,
    )
    .expect_err("invalid JSON");
    assert_eq!(e.file, Path::new("x.json"));
    assert!(e.message.contains("line 1"), "{e}");
}

#[test]
fn a_module_name_that_is_not_an_identifier_is_refused() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/no_content.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let settings = ApiSettings {
        module: Some("my-api".into()),
        accept: None,
        ..Default::default()
    };
    let e = crate::support::module_of(Path::new("no_content.yaml"), &text, &settings, false)
        .expect_err("refused");
    assert!(
        e.message
            .contains("`my-api` is not a snake_case module name"),
        "{e}"
    );
}
