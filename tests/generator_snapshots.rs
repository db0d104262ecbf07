//! Pins the generator's output for each construct it supports, one fixture and snapshot each.
//! Review changes with `cargo insta review`.

use std::path::Path;

use generator::ApiSettings;

/// The generated `mod.rs` and `models.rs` of a fixture, as one text.
fn generate(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let (module, models) =
        generator::generate_module(Path::new(fixture), &text, &ApiSettings::default())
            .unwrap_or_else(|e| panic!("{e}"));
    let again =
        generator::generate_module(Path::new(fixture), &text, &ApiSettings::default()).unwrap();
    assert_eq!(
        (&module, &models),
        (&again.0, &again.1),
        "output must be deterministic"
    );
    format!("==== mod.rs ====\n{module}\n==== models.rs ====\n{models}")
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
construct!(several_success_statuses, "several_success_statuses.yaml");
construct!(created_with_a_location_header, "created_with_location.yaml");
construct!(answers_shaped_by_prefer, "prefer_shapes.yaml");
construct!(all_of_references_and_merged_parts, "all_of.yaml");
construct!(odata_query_parameters, "odata_query_params.yaml");
construct!(pages_of_a_list, "paged_list.yaml");
construct!(swagger_2_constructs, "swagger2_constructs.yaml");

/// The OpenAPI 3.0 document a Swagger 2.0 fixture is read as.
#[test]
fn swagger_2_constructs_converted_to_openapi_3() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/swagger2_constructs.yaml");
    let text = std::fs::read_to_string(path).expect("fixture exists");
    let v2: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
    let v3 = generator::swagger::to_openapi3(&v2)
        .unwrap_or_else(|p| panic!("{}: {}", p.pointer, p.message));
    insta::assert_snapshot!(
        "swagger_2_constructs_converted_to_openapi_3",
        serde_json::to_string_pretty(&v3).unwrap()
    );
}
