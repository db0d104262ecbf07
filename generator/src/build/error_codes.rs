//! The error codes an API documents, as one open enum: the `error.code` (and
//! `error.details[].code`) values of its error answers' examples, and the `enum` of a `code`
//! property in their schemas. Callers match on them instead of comparing strings.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::{TypeDef, TypeKind, Variant};
use crate::names;

/// How many `$ref`s in a row are followed before a chain is taken as a cycle.
const MAX_REF_HOPS: usize = 16;

/// The `ErrorCode` enum of a definition (already as JSON), named so that it clashes with none
/// of `types`; `None` when the definition documents no code.
pub fn error_code_type(document: &Value, types: &[TypeDef]) -> Option<TypeDef> {
    let codes = documented_codes(document);
    if codes.is_empty() {
        return None;
    }
    let mut variants: Vec<Variant> = Vec::with_capacity(codes.len());
    for code in codes {
        let rust_name = names::numbered(&names::upper_camel(&code), |name| {
            name == "Unknown" || variants.iter().any(|v| v.rust_name == name)
        });
        variants.push(Variant {
            value: code,
            rust_name,
        });
    }
    let name = names::numbered("ErrorCode", |name| types.iter().any(|t| t.name == name));
    Some(TypeDef {
        name,
        description: Some(
            "The error codes this API's definition documents (`code` of an error answer and of \
             its details), as read with `Error::code_as`; a code it does not list is `Unknown`."
                .to_owned(),
        ),
        kind: TypeKind::Enum(variants),
    })
}

/// Every code the error answers of `document` document, sorted.
fn documented_codes(document: &Value) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return codes;
    };
    let operations = paths
        .values()
        .filter_map(|item| resolve(document, item)?.as_object())
        .flat_map(|item| item.values());
    for operation in operations {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (status, response) in responses {
            let is_error = status == "default" || status.starts_with(['4', '5']);
            let Some(response) = resolve(document, response).filter(|_| is_error) else {
                continue;
            };
            let media = response.get("content").and_then(Value::as_object);
            for media in media.into_iter().flat_map(|m| m.values()) {
                for example in examples(document, media) {
                    codes_of_example(example, &mut codes);
                }
                if let Some(schema) = media.get("schema") {
                    codes_of_schema(document, schema, &mut codes);
                }
            }
        }
    }
    codes
}

/// The example values of a media type object.
fn examples<'a>(document: &'a Value, media: &'a Value) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = media.get("example").into_iter().collect();
    let named = media.get("examples").and_then(Value::as_object);
    found.extend(
        named
            .into_iter()
            .flat_map(|e| e.values())
            .filter_map(|example| resolve(document, example)?.get("value")),
    );
    found
}

/// `error.code` and `error.details[].code` of an example body.
fn codes_of_example(example: &Value, codes: &mut BTreeSet<String>) {
    let Some(error) = example.get("error") else {
        return;
    };
    let details = error.get("details").and_then(Value::as_array);
    let entries = std::iter::once(error).chain(details.into_iter().flatten());
    for entry in entries {
        if let Some(code) = entry.get("code").and_then(Value::as_str) {
            codes.insert(code.to_owned());
        }
    }
}

/// The `enum` of `code` in an error schema: `{error: {code}}` or `{code}`.
fn codes_of_schema(document: &Value, schema: &Value, codes: &mut BTreeSet<String>) {
    let property = |schema: &Value, name: &str| -> Option<Value> {
        let schema = resolve(document, schema)?;
        resolve(document, schema.get("properties")?.get(name)?).cloned()
    };
    let code = property(schema, "error")
        .and_then(|error| property(&error, "code"))
        .or_else(|| property(schema, "code"));
    let values = code
        .as_ref()
        .and_then(|c| c.get("enum")?.as_array().cloned());
    for value in values.into_iter().flatten() {
        if let Some(value) = value.as_str() {
            codes.insert(value.to_owned());
        }
    }
}

/// `value`, or what its local `$ref` chain ends at; `None` for a broken or endless chain.
fn resolve<'a>(document: &'a Value, mut value: &'a Value) -> Option<&'a Value> {
    for _ in 0..MAX_REF_HOPS {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => value = document.pointer(reference.strip_prefix('#')?)?,
            None => return Some(value),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn codes_come_from_error_examples_and_code_enums_sorted_and_once() {
        let document = json!({
            "paths": {
                "/things/{id}": {
                    "get": {"responses": {
                        "200": {"content": {"application/json": {"example": {"error": {"code": "NotAnError"}}}}},
                        "404": {"$ref": "#/components/responses/NotFound"},
                        "422": {"content": {"application/json": {"examples": {
                            "bad": {"value": {"error": {"code": "InvalidThing", "details": [
                                {"code": "MissingRequiredProperty"}, {"code": "InvalidThing"}
                            ]}}},
                            "shared": {"$ref": "#/components/examples/Limited"}
                        }}}},
                        "default": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}}}
                    }}
                }
            },
            "components": {
                "responses": {"NotFound": {"content": {"application/json": {"example": {"error": {"code": "ThingNotFound"}}}}}},
                "examples": {"Limited": {"value": {"error": {"code": "RateLimitExceeded"}}}},
                "schemas": {"Failure": {"properties": {"error": {"properties": {"code": {"enum": ["Conflict", "ThingNotFound"]}}}}}}
            }
        });
        let codes: Vec<String> = documented_codes(&document).into_iter().collect();
        assert_eq!(
            codes,
            [
                "Conflict",
                "InvalidThing",
                "MissingRequiredProperty",
                "RateLimitExceeded",
                "ThingNotFound"
            ]
        );
    }

    #[test]
    fn the_enum_avoids_a_schema_of_the_same_name_and_clashing_variants() {
        let document = json!({"paths": {"/a": {"get": {"responses": {"400": {"content": {
            "application/json": {"examples": {
                "a": {"value": {"error": {"code": "bad-thing"}}},
                "b": {"value": {"error": {"code": "bad_thing"}}},
                "c": {"value": {"error": {"code": "unknown"}}}
            }}
        }}}}}}});
        let taken = TypeDef {
            name: "ErrorCode".into(),
            description: None,
            kind: TypeKind::Struct(Vec::new()),
        };
        let def = error_code_type(&document, &[taken]).unwrap();
        assert_eq!(def.name, "ErrorCode2");
        let TypeKind::Enum(variants) = def.kind else {
            panic!("not an enum");
        };
        let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["BadThing", "BadThing2", "Unknown2"]);
    }

    #[test]
    fn a_ref_cycle_is_not_followed_forever() {
        let document = json!({
            "paths": {"/a": {"get": {"responses": {"500": {"$ref": "#/components/responses/A"}}}}},
            "components": {"responses": {"A": {"$ref": "#/components/responses/B"}, "B": {"$ref": "#/components/responses/A"}}}
        });
        assert!(documented_codes(&document).is_empty());
    }
}
