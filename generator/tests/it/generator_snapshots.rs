//! Pins the generator's output for each construct it supports, one fixture and snapshot each.
//! Review changes with `cargo insta review`.

use std::path::{Path, PathBuf};

use generator::{ApiSettings, Generated, Output};

use crate::module_files;

/// `tests/fixtures/` of the workspace: the fixtures are shared with the workspace's tests (which
/// compile every fixture's output), so there is one copy, there.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The generated `mod.rs` and `models.rs` of a fixture, as one text.
fn generate(fixture: &str) -> String {
    let path = fixtures().join(fixture);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let generate = || modules(Path::new(fixture), Some(&text), false);
    let generated = generate().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        generated,
        generate().unwrap(),
        "output must be deterministic"
    );
    let (module, models) = module_files(&generated);
    format!("==== mod.rs ====\n{module}\n==== models.rs ====\n{models}")
}

/// A definition's module, as given (read from `file` when `text` is `None`).
fn modules(file: &Path, text: Option<&str>, strict: bool) -> generator::Result<Generated> {
    crate::generate(file, text, ApiSettings::default(), Output::Modules, strict)
}

macro_rules! construct {
    ($name:ident, $fixture:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), generate($fixture));
        }
    };
}

construct!(
    path_query_and_header_parameters,
    "path_query_header_params.yaml"
);
construct!(referenced_parameters_and_responses, "refs.yaml");
construct!(request_bodies, "request_body.yaml");
construct!(open_string_enums, "enum.yaml");
construct!(nullable_fields, "nullable.yaml");
construct!(arrays_of_objects_and_maps, "array_of_objects.yaml");
construct!(optional_and_required_fields, "optional_vs_required.yaml");
construct!(no_content_response, "no_content.yaml");
construct!(error_responses_with_a_shared_schema, "error_responses.yaml");
construct!(date_time_uuid_and_number_formats, "formats.yaml");
construct!(binary_request_and_response_bodies, "binary_bodies.yaml");
construct!(
    streamed_uploads_and_answers_xml_text_and_their_accept,
    "streamed_bodies.yaml"
);
construct!(several_success_statuses, "several_success_statuses.yaml");
construct!(created_with_a_location_header, "created_with_location.yaml");
construct!(answers_shaped_by_prefer, "prefer_shapes.yaml");
construct!(all_of_references_and_merged_parts, "all_of.yaml");
construct!(odata_query_parameters, "odata_query_params.yaml");
construct!(pages_of_a_list, "paged_list.yaml");
construct!(swagger_2_constructs, "swagger2_constructs.yaml");
construct!(parameter_and_form_styles, "parameter_styles.yaml");
construct!(
    swagger_2_collection_formats,
    "swagger2_collection_formats.yaml"
);
construct!(swagger_2_type_lists, "swagger2_type_lists.yaml");
construct!(openapi_3_1_constructs, "openapi31_constructs.yaml");
construct!(
    one_of_and_any_of_with_and_without_discriminator,
    "one_of_and_any_of.yaml"
);
construct!(
    additional_properties_and_free_form_objects,
    "additional_properties.yaml"
);
construct!(
    defaults_read_only_write_only_and_integer_enums,
    "field_notes.yaml"
);
construct!(recursive_schemas_are_boxed, "recursive.yaml");
construct!(
    names_that_clash_with_keywords_and_each_other,
    "name_clashes.yaml"
);
construct!(unsupported_constructs_fall_back_to_json, "unsupported.yaml");
construct!(
    operations_read_leniently_accept_servers_answers_methods_bodies,
    "lenient_operations.yaml"
);
construct!(schemas_read_leniently, "lenient_schemas.yaml");
construct!(
    multipart_bodies_with_typed_parts_and_encoding,
    "multipart.yaml"
);
construct!(swagger_2_form_with_a_file_field, "swagger2_file_form.yaml");
construct!(no_operations_no_client_type, "no_operations.yaml");

/// `$ref`s into `#/paths/...`, to parts of schemas, to references, of path items, and to
/// files beside the definition (`tests/fixtures/external_refs/`), which are read from there.
#[test]
fn refs_to_any_place_and_to_files_beside_the_definition() {
    let path = fixtures().join("refs_anywhere.yaml");
    let generated = modules(&path, None, false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.warnings, [], "every reference is read as written");
    let (module, models) = module_files(&generated);
    // The headers name the definition as given: by its name here, wherever the workspace is.
    let text = format!("==== mod.rs ====\n{module}\n==== models.rs ====\n{models}");
    insta::assert_snapshot!(
        "refs_to_any_place_and_to_files_beside_the_definition",
        text.replace(&path.display().to_string(), "refs_anywhere.yaml")
    );
}

/// Each leniency is a warning naming its JSON pointer; `strict` makes the first an error.
#[test]
fn lenient_readings_warn_and_strict_refuses_them() {
    let warnings_of = |fixture: &str| -> Vec<(String, String)> {
        let path = fixtures().join(fixture);
        let text = std::fs::read_to_string(path).expect("fixture exists");
        let warnings = modules(Path::new(fixture), Some(&text), false)
            .unwrap()
            .warnings;
        let error = modules(Path::new(fixture), Some(&text), true).expect_err("strict refuses");
        assert!(
            warnings
                .iter()
                .any(|w| w.pointer == error.pointer && w.message == error.message),
            "{error} is one of the warnings"
        );
        warnings
            .iter()
            .map(|w| (w.pointer.clone(), w.message.clone()))
            .collect()
    };
    insta::assert_debug_snapshot!(
        "lenient_readings_warnings",
        (
            warnings_of("lenient_operations.yaml"),
            warnings_of("lenient_schemas.yaml")
        )
    );
    // The one multipart body whose schema is not an object: the caller's own form.
    assert_eq!(
        warnings_of("multipart.yaml"),
        [(
            "/paths/~1raw/post/requestBody/content/multipart~1form-data/schema".to_owned(),
            "a multipart/form-data body whose schema is not an object with properties: the caller gives its parts as a `MultipartForm`".to_owned()
        )]
    );
}

/// An unsupported construct is a warning naming its pointer, with a fallback; `strict` makes it
/// an error.
#[test]
fn unsupported_constructs_warn_and_strict_refuses_them() {
    let path = fixtures().join("unsupported.yaml");
    let text = std::fs::read_to_string(path).expect("fixture exists");
    let generated = modules(Path::new("unsupported.yaml"), Some(&text), false).unwrap();
    let warnings: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "/components/schemas/Thing/properties/notAString",
                "`not` is not supported; its values are kept as serde_json::Value"
            ),
            (
                "/paths/~1things/get/parameters/0",
                "a cookie parameter is not supported; it is left out"
            ),
        ]
    );
    let error =
        modules(Path::new("unsupported.yaml"), Some(&text), true).expect_err("strict refuses");
    assert_eq!(
        error.pointer,
        "/components/schemas/Thing/properties/notAString"
    );
    // Every warning is refused, and reported together.
    let refused: Vec<(&str, &str)> = error
        .problems()
        .iter()
        .map(|p| (p.pointer.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(refused, warnings);
}
construct!(
    names_that_clash_with_what_generated_code_uses,
    "reserved_names.yaml"
);

/// A Swagger 2.0 `type` list of several types other than `null` is read as the OpenAPI 3.1
/// reader reads one: a warning at the list, the value kept as `serde_json::Value`; `strict`
/// refuses it. A list with `null` is a nullable value, without a warning.
#[test]
fn swagger_2_type_lists_of_several_types_warn() {
    let path = fixtures().join("swagger2_type_lists.yaml");
    let text = std::fs::read_to_string(path).expect("fixture exists");
    let file = Path::new("swagger2_type_lists.yaml");
    let generated = modules(file, Some(&text), false).unwrap();
    let warnings: Vec<(&str, &str)> = generated
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [(
            "/definitions/Thing/properties/value/type",
            "a value of several types (array, string) has no single Rust form; it is kept as serde_json::Value"
        )]
    );
    let error = modules(file, Some(&text), true).expect_err("strict refuses");
    assert_eq!(error.pointer, "/definitions/Thing/properties/value/type");
    assert_eq!(error.file, file);
}
