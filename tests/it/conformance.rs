//! Conformance of the generated types with the definitions' own examples: every example of
//! every request body and response in spec/ decodes into the generated type and re-encodes to
//! the same JSON, and no example escapes the check.
//!
//! "The same JSON" compares numbers by value (`5` and `5.0`) and date-times by instant
//! (`+00:00` and `Z`), since models hold those as numbers and `chrono` instants.

// Generated and formatted by the generator (prettyplease); rustfmt would fight it.
#[rustfmt::skip]
#[path = "../generated/examples.rs"]
mod examples;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Where a JSON body sits: what the client sends or what it receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// A media type object of a definition, and the types its examples must round-trip through.
pub struct Site {
    pub file: &'static str,
    pub pointer: &'static str,
    pub direction: Direction,
    /// One per type the body may be (several for a `oneOf`): an example passes if any fits.
    pub round_trips: &'static [RoundTrip],
}

/// Decodes a JSON value into a generated type and encodes it again.
pub type RoundTrip = fn(&Value) -> Result<Value, String>;

/// Decodes `json` as `T` and encodes it again.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(json.clone())
        .map_err(|e| format!("does not decode into {}: {e}", std::any::type_name::<T>()))?;
    serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))
}

/// The first place where `a` and `b` differ, as a JSON path, or `None` when they are the same.
fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let at = format!("{path}.{key}");
                let found = match (x.get(key), y.get(key)) {
                    (Some(u), Some(v)) => difference(u, v, &at),
                    _ => Some(format!("{at} is present on one side only")),
                };
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (u, v))| difference(u, v, &format!("{path}[{i}]"))),
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => None,
        (Value::String(x), Value::String(y)) if x == y || same_instant(x, y) => None,
        _ if a == b => None,
        _ => Some(format!("{path}: {a} became {b}")),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    let parse = chrono::DateTime::parse_from_rfc3339;
    matches!((parse(a), parse(b)), (Ok(x), Ok(y)) if x == y)
}

/// One example of a definition: its pointer and value.
struct Example {
    pointer: String,
    value: Value,
}

/// The examples of a media type object: `example`, or each entry of `examples` (inline or by
/// `$ref` to `#/components/examples`).
fn examples_of(definition: &Value, media: &Value, pointer: &str) -> Vec<Example> {
    let mut found = Vec::new();
    if let Some(value) = media.get("example") {
        found.push(Example {
            pointer: format!("{pointer}/example"),
            value: value.clone(),
        });
    }
    for (name, example) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let example = match example.get("$ref").and_then(Value::as_str) {
            Some(reference) => definition
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{pointer}: {reference} points to nothing")),
            None => example,
        };
        if let Some(value) = example.get("value") {
            found.push(Example {
                pointer: format!("{pointer}/examples/{name}"),
                value: value.clone(),
            });
        }
    }
    found
}

/// Every JSON media type object in a definition that has examples, by pointer.
fn media_with_examples(node: &Value, pointer: &str, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(content) = map.get("content").and_then(Value::as_object) {
                for (media_type, media) in content {
                    let has_examples = media.get("example").is_some()
                        || media
                            .get("examples")
                            .is_some_and(|e| e.as_object().is_some_and(|e| !e.is_empty()));
                    if media_type.contains("json") && has_examples {
                        out.push(format!("{pointer}/content/{}", escape(media_type)));
                    }
                }
            }
            for (key, value) in map {
                if key != "content" && key != "example" && key != "examples" {
                    media_with_examples(value, &format!("{pointer}/{}", escape(key)), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                media_with_examples(item, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[derive(Default)]
struct Counts {
    operations: usize,
    requests: usize,
    responses: usize,
}

#[test]
fn every_example_round_trips_through_the_generated_types() {
    let spec = xtask::spec_dir(&xtask::workspace_root());
    let mut failures: Vec<String> = Vec::new();
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut definitions: BTreeMap<&str, Value> = BTreeMap::new();
    for site in examples::SITES {
        definitions.entry(site.file).or_insert_with(|| {
            let text = std::fs::read_to_string(spec.join(site.file)).expect("definition exists");
            serde_json::from_str(&text).expect("definition is JSON")
        });
    }
    for (file, definition) in &definitions {
        let count = counts.entry(file).or_default();
        count.operations = definition["paths"]
            .as_object()
            .expect("paths")
            .values()
            .map(|item| {
                ["get", "put", "post", "delete", "patch"]
                    .iter()
                    .filter(|m| item.get(**m).is_some())
                    .count()
            })
            .sum();
        // Every media type object with examples must be a site the generator knows.
        let mut media = Vec::new();
        media_with_examples(definition, "", &mut media);
        for pointer in media {
            if !examples::SITES
                .iter()
                .any(|s| s.file == *file && s.pointer == pointer)
            {
                failures.push(format!(
                    "{file} {pointer}: has examples but no generated type"
                ));
            }
        }
    }
    for site in examples::SITES {
        let definition = &definitions[site.file];
        let media = definition
            .pointer(site.pointer)
            .unwrap_or_else(|| panic!("{} {}: no such node", site.file, site.pointer));
        for example in examples_of(definition, media, site.pointer) {
            let count = counts.get_mut(site.file).expect("counted above");
            match site.direction {
                Direction::Request => count.requests += 1,
                Direction::Response => count.responses += 1,
            }
            let outcomes: Vec<Result<(), String>> = site
                .round_trips
                .iter()
                .map(|round_trip| {
                    let again = round_trip(&example.value)?;
                    match difference(&example.value, &again, "$") {
                        None => Ok(()),
                        Some(d) => Err(format!("re-encodes differently: {d}")),
                    }
                })
                .collect();
            if outcomes.iter().all(Result::is_err) {
                let reasons: Vec<String> = outcomes.into_iter().filter_map(Result::err).collect();
                failures.push(format!(
                    "{} {}: {}",
                    site.file,
                    example.pointer,
                    reasons.join("; ")
                ));
            }
        }
    }
    let mut table =
        String::from("definition | operations | request examples | response examples\n");
    for (file, c) in &counts {
        writeln!(
            table,
            "{file} | {} | {} | {}",
            c.operations, c.requests, c.responses
        )
        .unwrap();
    }
    println!("{table}");
    assert!(
        failures.is_empty(),
        "{} example(s) fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // A definition that loses examples, or a site that stops being checked, shows up here.
    insta::assert_snapshot!("examples_checked_per_definition", table);
}

#[test]
fn differences_are_found_where_they_are() {
    let a = serde_json::json!({"a": [1, {"b": "x"}], "t": "2021-09-03T10:48:45+00:00"});
    let same = serde_json::json!({"a": [1.0, {"b": "x"}], "t": "2021-09-03T10:48:45Z"});
    assert_eq!(difference(&a, &same, "$"), None);
    let changed = serde_json::json!({"a": [1, {"b": "y"}], "t": "2021-09-03T10:48:45Z"});
    assert_eq!(
        difference(&a, &changed, "$").as_deref(),
        Some(r#"$.a[1].b: "x" became "y""#)
    );
    let lost = serde_json::json!({"a": [1, {}], "t": "2021-09-03T10:48:45Z"});
    assert_eq!(
        difference(&a, &lost, "$").as_deref(),
        Some("$.a[1].b is present on one side only")
    );
    let later = serde_json::json!({"a": [1, {"b": "x"}], "t": "2021-09-03T10:48:46Z"});
    assert!(difference(&a, &later, "$").is_some());
}

#[test]
fn a_type_that_drops_a_field_fails_the_round_trip() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct OnlyId {
        id: String,
    }
    let example = serde_json::json!({"id": "1", "displayName": "Reader"});
    let again = round_trip::<OnlyId>(&example).expect("decodes, ignoring displayName");
    assert!(difference(&example, &again, "$").is_some());
}
