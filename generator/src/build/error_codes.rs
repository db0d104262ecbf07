//! The error codes an API documents, as one open enum: the `error.code` (and
//! `error.details[].code`) values of its error answers' examples, and the `enum` of a `code`
//! property in their schemas. Callers match on them instead of comparing strings.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use openapiv3::{PathItem, ReferenceOr, StatusCode};
use serde_json::Value;

use crate::model::{TypeDef, TypeKind, Variant};
use crate::names;
use crate::refs::Resolver;

/// The error codes of a definition's error answers, gathered one path item at a time.
pub struct Collector<'r> {
    json: Json<'r>,
    codes: BTreeSet<String>,
    /// The `$ref`s of answers already read: what one gives is the same each time, and a large
    /// API refers every operation to the same few error answers (Microsoft Graph's 20,000).
    read: HashSet<String>,
}

impl<'r> Collector<'r> {
    pub fn new(refs: &'r Resolver<'r>) -> Self {
        Collector {
            json: Json(refs),
            codes: BTreeSet::new(),
            read: HashSet::new(),
        }
    }

    /// The codes of a path item's error answers.
    ///
    /// Only the error answers are read as JSON, one at a time, and what their `$ref`s lead to:
    /// the whole definition as JSON is several times the size of the file.
    pub fn add(&mut self, item: &ReferenceOr<PathItem>) {
        let item = match item {
            ReferenceOr::Item(item) => Cow::Borrowed(item),
            ReferenceOr::Reference { reference } => {
                match self
                    .json
                    .0
                    .node(reference)
                    .map(serde_json::from_value::<PathItem>)
                {
                    Some(Ok(item)) => Cow::Owned(item),
                    _ => return,
                }
            }
        };
        let answers = item.iter().flat_map(|(_, operation)| {
            let responses = &operation.responses;
            let errors = responses.responses.iter().filter(|(status, _)| {
                matches!(
                    status,
                    StatusCode::Code(400..=599) | StatusCode::Range(4 | 5)
                )
            });
            responses
                .default
                .iter()
                .chain(errors.map(|(_, response)| response))
        });
        for answer in answers {
            if let ReferenceOr::Reference { reference } = answer {
                if !self.read.insert(reference.clone()) {
                    continue;
                }
            }
            let response = serde_json::to_value(answer).ok();
            let Some(response) = response.and_then(|r| self.json.resolve(r)) else {
                continue;
            };
            let media = response.get("content").and_then(Value::as_object);
            for media in media.into_iter().flat_map(|m| m.values()) {
                for example in self.json.examples(media) {
                    codes_of_example(&example, &mut self.codes);
                }
                if let Some(schema) = media.get("schema") {
                    self.json.codes_of_schema(schema, &mut self.codes);
                }
            }
        }
    }

    /// The `ErrorCode` enum, named so that it clashes with none of `types`; `None` when the
    /// definition documents no code.
    pub fn into_type(self, types: &[TypeDef]) -> Option<TypeDef> {
        if self.codes.is_empty() {
            return None;
        }
        let mut variants: Vec<Variant> = Vec::with_capacity(self.codes.len());
        for code in self.codes {
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
                "The error codes this API's definition documents (`code` of an error answer and \
                 of its details), as read with `Error::code_as`; a code it does not list is \
                 `Unknown`."
                    .to_owned(),
            ),
            kind: TypeKind::Enum(variants),
        })
    }
}

/// Nodes of the definition as JSON, with `$ref`s followed through the resolver.
struct Json<'r>(&'r Resolver<'r>);

impl Json<'_> {
    /// `value`, or what its local `$ref` chain ends at; `None` for a broken or endless chain.
    fn resolve(&self, value: Value) -> Option<Value> {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.0.node(reference),
            None => Some(value),
        }
    }

    /// The example values of a media type object.
    fn examples(&self, media: &Value) -> Vec<Value> {
        let mut found: Vec<Value> = media.get("example").cloned().into_iter().collect();
        let named = media.get("examples").and_then(Value::as_object);
        found.extend(
            named
                .into_iter()
                .flat_map(|e| e.values())
                .filter_map(|example| {
                    self.resolve(example.clone())?
                        .get_mut("value")
                        .map(Value::take)
                }),
        );
        found
    }

    /// The `enum` of `code` in an error schema: `{error: {code}}` or `{code}`.
    fn codes_of_schema(&self, schema: &Value, codes: &mut BTreeSet<String>) {
        let property = |schema: &Value, name: &str| -> Option<Value> {
            let schema = self.resolve(schema.clone())?;
            self.resolve(schema.get("properties")?.get(name)?.clone())
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::load::{parse, Definition};

    /// `document` with the fields every definition has, read as a definition.
    fn definition(mut document: Value) -> Definition {
        document["openapi"] = json!("3.0.3");
        document["info"] = json!({"title": "T", "version": "1"});
        parse(Path::new("test.json"), &document.to_string()).unwrap()
    }

    /// The codes of every path item of `definition`.
    fn collected<'r>(definition: &Definition, refs: &'r Resolver<'r>) -> Collector<'r> {
        let mut collector = Collector::new(refs);
        definition
            .for_each_path_item(|_, item| collector.add(item))
            .unwrap();
        collector
    }

    fn codes(document: Value) -> Vec<String> {
        let definition = definition(document);
        let refs = Resolver::new(&definition);
        collected(&definition, &refs).codes.into_iter().collect()
    }

    #[test]
    fn codes_come_from_error_examples_and_code_enums_sorted_and_once() {
        let document = json!({
            "paths": {
                "/things/{id}": {
                    "get": {"responses": {
                        "200": {"description": "d", "content": {"application/json": {"example": {"error": {"code": "NotAnError"}}}}},
                        "404": {"$ref": "#/components/responses/NotFound"},
                        "422": {"description": "d", "content": {"application/json": {"examples": {
                            "bad": {"value": {"error": {"code": "InvalidThing", "details": [
                                {"code": "MissingRequiredProperty"}, {"code": "InvalidThing"}
                            ]}}},
                            "shared": {"$ref": "#/components/examples/Limited"}
                        }}}},
                        "default": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}}}
                    }}
                }
            },
            "components": {
                "responses": {"NotFound": {"description": "d", "content": {"application/json": {"example": {"error": {"code": "ThingNotFound"}}}}}},
                "examples": {"Limited": {"value": {"error": {"code": "RateLimitExceeded"}}}},
                "schemas": {"Failure": {"properties": {"error": {"properties": {"code": {"enum": ["Conflict", "ThingNotFound"]}}}}}}
            }
        });
        assert_eq!(
            codes(document),
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
        let document = json!({"paths": {"/a": {"get": {"responses": {"400": {"description": "d", "content": {
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
        let definition = definition(document);
        let refs = Resolver::new(&definition);
        let def = collected(&definition, &refs).into_type(&[taken]).unwrap();
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
        assert!(codes(document).is_empty());
    }
}
