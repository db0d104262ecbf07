//! The generator never panics or hangs, whatever it is given: random definitions (built from
//! every construct it knows, with odd names and broken references; the same trees also as
//! Swagger 2.0 and in OpenAPI 3.1's words) and random JSON are either refused with an error or
//! turned into Rust that parses, laid out as prettyplease lays it out.
//!
//! Each property runs 400 cases in the test suite and prints how many were generated and how
//! many refused; `PROPTEST_CASES=20000 cargo test --release -p itwin-platform-tests --test
//! it robustness:: -- --nocapture` runs a longer search. `ROBUSTNESS_SHOW_ERRORS=1` prints why each
//! refused case was refused; `ROBUSTNESS_KEEP_INPUT=<file>` keeps the latest input, for a case
//! that crashes the process (a stack overflow cannot be caught).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use generator::ApiSettings;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{json, Map, Value};

/// Schema names, some of which clash once converted to Rust, are keywords, or are not
/// identifiers at all.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9]{0,6}",
        "[a-z]{1,4}[-_ .$@][a-zA-Z0-9]{1,4}",
        Just("type".to_owned()),
        Just("Self".to_owned()),
        Just("self".to_owned()),
        Just("iTwinId".to_owned()),
        Just("1st".to_owned()),
        Just("$top".to_owned()),
        Just("_links".to_owned()),
        Just("".to_owned()),
        "\\PC{0,5}",
    ]
}

/// A reference, usually to one of `names`, sometimes to nothing or to another section.
fn reference(names: Vec<String>) -> impl Strategy<Value = Value> {
    let count = names.len().max(1);
    (0..count + 2).prop_map(move |i| match names.get(i) {
        Some(n) => json!({"$ref": format!("#/components/schemas/{n}")}),
        None if i == count => json!({"$ref": "#/components/schemas/Missing"}),
        None => json!({"$ref": "#/definitions/Elsewhere"}),
    })
}

fn leaf(names: Vec<String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        prop_oneof![
            Just(json!({"type": "string"})),
            Just(json!({"type": "string", "format": "date-time"})),
            Just(json!({"type": "string", "format": "uuid", "nullable": true})),
            Just(json!({"type": "string", "format": "binary"})),
            Just(json!({"type": "integer", "format": "int32", "enum": [1, 2]})),
            Just(json!({"type": "integer"})),
            Just(json!({"type": "number", "format": "float"})),
            Just(json!({"type": "boolean", "default": true, "readOnly": true})),
            Just(json!({})),
            Just(json!({"not": {"type": "string"}})),
            Just(json!({"type": "object"})),
        ],
        prop::collection::vec(name(), 1..4)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        reference(names),
    ]
}

fn schema(names: Vec<String>) -> impl Strategy<Value = Value> {
    leaf(names).prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map(name(), inner.clone(), 0..4),
                any::<bool>()
            )
                .prop_map(|(properties, all_required)| {
                    let required: Vec<&String> = if all_required {
                        properties.keys().collect()
                    } else {
                        Vec::new()
                    };
                    json!({"type": "object", "properties": properties, "required": required})
                }),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            inner
                .clone()
                .prop_map(|value| json!({"type": "object", "additionalProperties": value})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|parts| json!({"allOf": parts})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|parts| json!({"oneOf": parts})),
            (prop::collection::vec(inner, 1..3), name()).prop_map(
                |(parts, tag)| json!({"anyOf": parts, "discriminator": {"propertyName": tag}})
            ),
        ]
    })
}

fn operation(names: Vec<String>) -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec((name(), prop_oneof![Just("query"), Just("header"), Just("cookie")], leaf(names.clone())), 0..3),
        prop::option::of(schema(names.clone())),
        prop::collection::btree_map(prop_oneof![Just("200"), Just("201"), Just("202"), Just("204"), Just("2XX"), Just("404"), Just("default")], prop::option::of(schema(names)), 1..4),
        any::<bool>(),
    )
        .prop_map(|(id, params, body, responses, binary)| {
            let mut parameters: Vec<Value> = vec![json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})];
            parameters.extend(params.into_iter().map(|(name, location, schema)| json!({"name": name, "in": location, "schema": schema})));
            parameters.push(json!({"name": "Accept", "in": "header", "schema": {"type": "string", "enum": ["application/vnd.bentley.itwin-platform.v1+json"]}}));
            let mut op = json!({"parameters": parameters, "responses": {}});
            if let Some(id) = id {
                op["operationId"] = json!(id);
            }
            if let Some(body) = body {
                let media = if binary { "image/png" } else { "application/json" };
                op["requestBody"] = json!({"required": true, "content": {media: {"schema": body}}});
            }
            for (status, schema) in responses {
                op["responses"][status] = match schema {
                    Some(schema) => json!({"description": "d", "content": {"application/json": {"schema": schema}}}),
                    None => json!({"description": "d"}),
                };
            }
            op
        })
}

fn definition() -> impl Strategy<Value = Value> {
    prop::collection::vec(name(), 1..5)
        .prop_flat_map(|names| {
            let schemas = prop::collection::vec(schema(names.clone()), names.len());
            let paths = prop::collection::vec(
                (
                    prop_oneof![
                        Just("/things/{id}"),
                        Just("/things/{id}/"),
                        Just("/odata/{id}/$metadata"),
                        Just("/a b/{id}")
                    ],
                    prop_oneof![
                        Just("get"),
                        Just("post"),
                        Just("put"),
                        Just("patch"),
                        Just("delete")
                    ],
                    operation(names.clone()),
                ),
                0..4,
            );
            (Just(names), schemas, paths)
        })
        .prop_map(|(names, schemas, operations)| {
            let components: Map<String, Value> = names.into_iter().zip(schemas).collect();
            let mut paths = Map::new();
            for (path, method, op) in operations {
                let item = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
                item[method] = op;
            }
            json!({
                "openapi": "3.0.3",
                "info": {"title": "Random", "version": "v1"},
                "servers": [{"url": "https://api.bentley.com/random"}],
                "paths": paths,
                "components": {"schemas": components}
            })
        })
}

/// Any JSON value, for inputs that are not definitions at all.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
        Just(json!("3.0.3")),
        Just(json!("2.0")),
        Just(json!("3.1.0")),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("openapi".to_owned()),
                    Just("swagger".to_owned()),
                    Just("paths".to_owned()),
                    Just("components".to_owned()),
                    Just("definitions".to_owned()),
                    Just("info".to_owned()),
                    "[a-z$/{}]{0,6}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What a run of cases did with its inputs.
#[derive(Default)]
struct Tally {
    accepted: AtomicUsize,
    refused: AtomicUsize,
}

/// `text` without the generated header and without blank lines (which prettyplease leaves out).
fn code_lines(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with("// @generated"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Generates from `text`: an error is fine, a panic fails the case; accepted output must parse
/// and be in prettyplease's layout.
fn generate_or_refuse(tally: &Tally, file: &str, text: &str) {
    // A crash (a stack overflow) cannot be caught: this keeps the input for a rerun.
    if let Some(keep) = std::env::var_os("ROBUSTNESS_KEEP_INPUT") {
        std::fs::write(keep, text).expect("the input can be kept");
    }
    // With the media type given, a definition without operations is generated too.
    let settings = ApiSettings {
        accept: Some("application/vnd.bentley.itwin-platform.v1+json".into()),
        ..Default::default()
    };
    match crate::support::module_of(Path::new(file), text, &settings, false) {
        Ok((module, models)) => {
            for source in [&module, &models] {
                let file = syn::parse_file(source)
                    .unwrap_or_else(|e| panic!("invalid Rust ({e}):\n{source}"));
                assert_eq!(
                    code_lines(source),
                    code_lines(&prettyplease::unparse(&file)),
                    "not in prettyplease's layout"
                );
            }
            tally.accepted.fetch_add(1, Ordering::Relaxed);
        }
        Err(error) => {
            assert!(!error.message.is_empty());
            if std::env::var_os("ROBUSTNESS_SHOW_ERRORS").is_some() {
                println!("refused: {error}");
            }
            tally.refused.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// `tests/it/robustness.proptest-regressions`, by absolute path: the tests run in `tests/`.
const REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/it/robustness.proptest-regressions"
);

/// Runs `property` on inputs of `strategy`: 400 cases, or `PROPTEST_CASES`.
fn run<S: Strategy>(name: &str, strategy: S, property: impl Fn(&Tally, S::Value)) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(400);
    let config = ProptestConfig {
        cases,
        // The seeds of past failures, replayed first; a new failure's seed is added there.
        // (The runner is not made by `proptest!`, which would name the file after this one.)
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..ProptestConfig::default()
    };
    let tally = Tally::default();
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&strategy, |value| {
        property(&tally, value);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
    println!(
        "{name}: {cases} cases, {} generated, {} refused with an error, none panicked",
        tally.accepted.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed)
    );
}

#[test]
fn random_definitions_are_generated_or_refused_never_panic() {
    run("random definitions", definition(), |tally, definition| {
        generate_or_refuse(
            tally,
            "random.json",
            &serde_json::to_string(&definition).unwrap(),
        );
    });
}

#[test]
fn random_definitions_as_swagger_2_are_generated_or_refused() {
    // The same trees under a 2.0 header: the converter meets 3.0 shapes it does not expect.
    run(
        "random definitions as Swagger 2.0",
        definition(),
        |tally, mut v2| {
            let object = v2.as_object_mut().unwrap();
            object.remove("openapi");
            object.insert("swagger".into(), json!("2.0"));
            object.insert(
                "definitions".into(),
                object["components"]["schemas"].clone(),
            );
            generate_or_refuse(
                tally,
                "random-v2.json",
                &serde_json::to_string(&v2).unwrap(),
            );
        },
    );
}

/// Rewrites a 3.0 schema tree in 3.1's words, one choice byte per schema node: `nullable` as
/// a `type` array, and the 3.1 and JSON Schema 2020-12 keywords the converter knows (and some
/// it only warns about), in the odd combinations random choices make. Schemas may also be
/// replaced whole (by a nullable `anyOf` or a boolean schema).
fn as_openapi31(node: &mut Value, depth: usize, choices: &mut impl Iterator<Item = u8>) {
    match node {
        Value::Object(map) => {
            if map.remove("nullable") == Some(json!(true)) {
                let kind = map.remove("type").unwrap_or(json!("object"));
                map.insert("type".into(), json!([kind, "null"]));
            }
            let choice = choices.next().unwrap_or(0);
            let extra = match choice % 16 {
                0 => Some(("const", json!("fixed"))),
                1 => Some(("examples", json!([1, "two"]))),
                2 => Some(("exclusiveMinimum", json!(3))),
                3 => Some(("exclusiveMaximum", json!(-1.5))),
                4 => Some(("description", json!("a sibling"))),
                5 => Some(("prefixItems", json!([{"type": "string"}, true]))),
                6 => Some(("$defs", json!({"A": {"type": "string"}}))),
                7 => Some(("if", json!({"required": ["a"]}))),
                8 => Some(("type", json!(["string", "integer", "null"]))),
                9 => Some(("unevaluatedProperties", json!(false))),
                10 => Some(("contentEncoding", json!("base64"))),
                11 => Some(("contentMediaType", json!("image/png"))),
                12 => Some(("examples", json!({"not": "an array"}))),
                13 => Some(("const", Value::Null)),
                _ => None,
            };
            // Children first: an added keyword's own schemas are left as they are, or a cycle
            // of choices would add keywords forever.
            for value in map.values_mut() {
                as_openapi31(value, depth + 1, choices);
            }
            // Keywords go to schemas only (as far as their keys tell), from `depth` 2 down:
            // `paths`, `components` and their sections are no schemas.
            const SCHEMA_KEYS: &[&str] = &[
                "type", "$ref", "allOf", "anyOf", "oneOf", "not", "enum", "items",
            ];
            if depth < 2 || !map.keys().any(|k| SCHEMA_KEYS.contains(&k.as_str())) {
                return;
            }
            if let Some((key, value)) = extra {
                map.insert(key.into(), value);
            }
            if choice == 255 {
                *node = json!({"anyOf": [node.clone(), {"type": "null"}]});
            } else if choice == 254 {
                *node = Value::Bool(true);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| as_openapi31(v, depth + 1, choices)),
        _ => {}
    }
}

#[test]
fn random_definitions_as_openapi_3_1_are_generated_or_refused() {
    let strategy = (
        definition(),
        prop::collection::vec(any::<u8>(), 1..64),
        any::<bool>(),
    );
    run(
        "random definitions as OpenAPI 3.1",
        strategy,
        |tally, (mut v31, choices, path_items)| {
            let mut choices = choices.into_iter().cycle();
            as_openapi31(&mut v31["paths"], 0, &mut choices);
            as_openapi31(&mut v31["components"], 0, &mut choices);
            v31["openapi"] = json!("3.1.0");
            v31["webhooks"] =
                json!({"event": {"post": {"responses": {"200": {"description": "d"}}}}});
            if path_items {
                // Every path item moved to `components/pathItems` and referred to.
                let paths = v31["paths"].as_object().cloned().unwrap_or_default();
                let mut items = Map::new();
                for (i, (path, item)) in paths.into_iter().enumerate() {
                    items.insert(format!("P{i}"), item);
                    v31["paths"][path] = json!({"$ref": format!("#/components/pathItems/P{i}")});
                }
                v31["components"]["pathItems"] = Value::Object(items);
            }
            generate_or_refuse(
                tally,
                "random-v31.json",
                &serde_json::to_string(&v31).unwrap(),
            );
        },
    );
}

#[test]
fn any_json_is_refused_or_generated_never_panics() {
    run("random JSON and YAML", any_json(), |tally, value| {
        generate_or_refuse(tally, "any.json", &serde_json::to_string(&value).unwrap());
        generate_or_refuse(tally, "any.yaml", &serde_yaml::to_string(&value).unwrap());
    });
}

#[test]
fn any_text_is_refused_never_panics() {
    run("random text", "\\PC{0,64}", |tally, text: String| {
        generate_or_refuse(tally, "text.json", &text);
        generate_or_refuse(tally, "text.yaml", &text);
    });
}
