//! OpenAPI 3.1 read as OpenAPI 3.0: like a Swagger 2.0 file, a 3.1 file is rewritten into the
//! 3.0 model on reading, and goes through the same pipeline.
//!
//! What is converted (no warning): `type` arrays with `"null"` and `anyOf`/`oneOf` branches of
//! `type: null` → `nullable: true`; `const` → a one-value `enum`; schema `examples` → `example`
//! (the first); a number `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the
//! 3.0 boolean; `$ref` with sibling keywords → `allOf: [$ref]` with the siblings (in schemas;
//! elsewhere 3.1 only allows `summary`/`description` there, which 3.0 has no place for);
//! `contentEncoding: base64` → `format: byte` and `contentMediaType` → `format: binary`;
//! `unevaluatedProperties` → `additionalProperties`; boolean schemas → `{}` / `{not: {}}`;
//! path items by `$ref` to `components/pathItems` → inlined.
//!
//! What warns and falls back: `webhooks` (left out), a `jsonSchemaDialect` other than the
//! OpenAPI one, `type` arrays of several non-null types (no type: `serde_json::Value`),
//! `prefixItems` (elements as `serde_json::Value`), `mutualTLS` security schemes (left out), and
//! the JSON Schema 2020-12 keywords with no Rust form (`$defs`, `if`/`then`/`else`,
//! `dependentRequired`, `patternProperties`, ...: left out, so nothing checks them).
//!
//! Every warning points into the 3.1 file. Nodes that move (a wrapped `$ref`, an inlined path
//! item) are recorded, so that errors found later in the converted document point back to
//! where the node is written.

use serde_json::{json, Map, Value};

use crate::diagnostics::Problem;
use crate::pointer::{escaped, unescaped};

use super::type_lists;

/// The JSON Schema dialect OpenAPI 3.1 uses by default; naming it changes nothing.
const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Keywords of JSON Schema 2020-12 that neither OpenAPI 3.0 nor Rust types express; each is
/// left out with a warning.
const WITHOUT_RUST_FORM: &[&str] = &[
    "$defs",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "contentSchema",
];

/// Keywords that only annotate a schema for tools; dropped without a word.
const IGNORED: &[&str] = &["$schema", "$comment"];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A 3.1 document rewritten as 3.0.3.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The document, now OpenAPI 3.0.3.
    pub document: Value,
    /// Constructs that 3.0 cannot say, each with its fallback; pointers into the 3.1 file.
    pub warnings: Vec<Problem>,
    /// `(pointer in the converted document, pointer in the 3.1 file)` for nodes that moved.
    pub moved: Vec<(String, String)>,
}

/// Converts an OpenAPI 3.1 document into an OpenAPI 3.0.3 one.
pub fn to_openapi30(v31: &Value) -> Converted {
    let mut converter = Converter::default();
    let document = match v31.as_object() {
        Some(root) => Value::Object(converter.document(root)),
        // Not an object: left for the 3.0 reader to refuse with its own message.
        None => v31.clone(),
    };
    Converted {
        document,
        warnings: converter.warnings,
        moved: converter.moved,
    }
}

/// Where an error's pointer in the converted document points in the 3.1 file.
pub fn source_pointer(moved: &[(String, String)], pointer: &str) -> String {
    let is_prefix = |prefix: &str| {
        pointer == prefix
            || pointer
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    // The longest (innermost) moved node that holds the pointer decides.
    match moved
        .iter()
        .filter(|(converted, _)| is_prefix(converted))
        .max_by_key(|(converted, _)| converted.len())
    {
        Some((converted, original)) => format!("{original}{}", &pointer[converted.len()..]),
        None => pointer.to_owned(),
    }
}

#[derive(Default)]
struct Converter {
    warnings: Vec<Problem>,
    moved: Vec<(String, String)>,
    /// `components/pathItems` of the document, to inline.
    path_items: Map<String, Value>,
}

impl Converter {
    fn warn(&mut self, at: &str, message: impl Into<String>) {
        // The file is the caller's to give (see `Problem::in_file`).
        self.warnings.push(Problem::warning("", at, message));
    }

    fn document(&mut self, root: &Map<String, Value>) -> Map<String, Value> {
        if let Some(Value::Object(items)) = root
            .get("components")
            .and_then(|c| c.get("pathItems"))
            .cloned()
        {
            self.path_items = items;
        }
        let mut out = Map::new();
        for (key, value) in root {
            match key.as_str() {
                "openapi" => {
                    out.insert(key.clone(), json!("3.0.3"));
                }
                "webhooks" => {
                    let count = value.as_object().map_or(0, Map::len);
                    self.warn(
                        "/webhooks",
                        format!("webhooks ({count}) are calls the API makes, not calls to it; they are left out"),
                    );
                }
                "jsonSchemaDialect" => {
                    if value.as_str() != Some(OAS_DIALECT) {
                        self.warn(
                            "/jsonSchemaDialect",
                            format!(
                                "the JSON Schema dialect {value} is read as OpenAPI's own; keywords it adds are left out"
                            ),
                        );
                    }
                }
                "paths" => {
                    out.insert(key.clone(), self.paths(value));
                }
                "components" => {
                    out.insert(key.clone(), self.components(value));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        // A 3.1 document may have webhooks or components only; 3.0 requires `paths`.
        out.entry("paths").or_insert_with(|| json!({}));
        out
    }

    fn paths(&mut self, paths: &Value) -> Value {
        let Some(paths) = paths.as_object() else {
            return paths.clone();
        };
        let mut out = Map::new();
        for (path, item) in paths {
            let at = format!("/paths/{}", escaped(path));
            let target = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                .map(unescaped);
            let converted = match target.and_then(|name| {
                let found = self.path_items.get(&name).cloned();
                found.map(|item| (name, item))
            }) {
                Some((name, inlined)) => {
                    let source = format!("/components/pathItems/{}", escaped(&name));
                    self.moved.push((at.clone(), source.clone()));
                    // A path item by `$ref` to another one is left as it is (the generator
                    // warns about it), rather than followed into a loop.
                    self.path_item(&inlined, &source)
                }
                None => self.path_item(item, &at),
            };
            out.insert(path.clone(), converted);
        }
        Value::Object(out)
    }

    fn path_item(&mut self, item: &Value, at: &str) -> Value {
        let Some(item) = item.as_object() else {
            return item.clone();
        };
        let mut out = Map::new();
        for (key, value) in item {
            let here = format!("{at}/{}", escaped(key));
            let converted = match key.as_str() {
                m if METHODS.contains(&m) => self.operation(value, &here),
                "parameters" => self.each(value, &here, Self::parameter),
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        Value::Object(out)
    }

    fn operation(&mut self, operation: &Value, at: &str) -> Value {
        let Some(operation) = operation.as_object() else {
            return operation.clone();
        };
        let mut out = Map::new();
        for (key, value) in operation {
            let here = format!("{at}/{}", escaped(key));
            let converted = match key.as_str() {
                "parameters" => self.each(value, &here, Self::parameter),
                "requestBody" => self.request_body(value, &here),
                "responses" => self.each_named(value, &here, Self::response),
                "callbacks" => self.each_named(value, &here, |c, callback, at| {
                    c.each_named(callback, at, Self::path_item)
                }),
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        Value::Object(out)
    }

    fn components(&mut self, components: &Value) -> Value {
        let Some(components) = components.as_object() else {
            return components.clone();
        };
        let mut out = Map::new();
        for (key, value) in components {
            let here = format!("/components/{}", escaped(key));
            let converted = match key.as_str() {
                "schemas" => self.each_named(value, &here, Self::schema),
                "parameters" => self.each_named(value, &here, Self::parameter),
                "headers" => self.each_named(value, &here, Self::parameter),
                "responses" => self.each_named(value, &here, Self::response),
                "requestBodies" => self.each_named(value, &here, Self::request_body),
                "securitySchemes" => self.security_schemes(value, &here),
                // Inlined where paths refer to them; 3.0 has no such section.
                "pathItems" => continue,
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        Value::Object(out)
    }

    fn security_schemes(&mut self, schemes: &Value, at: &str) -> Value {
        let Some(schemes) = schemes.as_object() else {
            return schemes.clone();
        };
        let mut out = Map::new();
        for (name, scheme) in schemes {
            if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                self.warn(
                    &format!("{at}/{}", escaped(name)),
                    "a mutualTLS security scheme is set up on the HTTP client, not per request; it is left out",
                );
                continue;
            }
            out.insert(name.clone(), scheme.clone());
        }
        Value::Object(out)
    }

    /// A parameter or a header: its `schema` and `content` converted.
    fn parameter(&mut self, parameter: &Value, at: &str) -> Value {
        let Some(map) = parameter.as_object() else {
            return parameter.clone();
        };
        if map.contains_key("$ref") {
            return reference(map);
        }
        let mut out = Map::new();
        for (key, value) in map {
            let here = format!("{at}/{}", escaped(key));
            let converted = match key.as_str() {
                "schema" => self.schema(value, &here),
                "content" => self.content(value, &here),
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        Value::Object(out)
    }

    fn request_body(&mut self, body: &Value, at: &str) -> Value {
        let Some(map) = body.as_object() else {
            return body.clone();
        };
        if map.contains_key("$ref") {
            return reference(map);
        }
        let mut out = map.clone();
        if let Some(content) = map.get("content") {
            out.insert(
                "content".into(),
                self.content(content, &format!("{at}/content")),
            );
        }
        Value::Object(out)
    }

    fn response(&mut self, response: &Value, at: &str) -> Value {
        let Some(map) = response.as_object() else {
            return response.clone();
        };
        if map.contains_key("$ref") {
            return reference(map);
        }
        let mut out = Map::new();
        for (key, value) in map {
            let here = format!("{at}/{}", escaped(key));
            let converted = match key.as_str() {
                "content" => self.content(value, &here),
                "headers" => self.each_named(value, &here, Self::parameter),
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        Value::Object(out)
    }

    /// Media types: each one's `schema` converted (`examples` there is a map of Example
    /// objects in 3.0 as in 3.1, and stays).
    fn content(&mut self, content: &Value, at: &str) -> Value {
        self.each_named(content, at, |c, media, at| {
            let Some(map) = media.as_object() else {
                return media.clone();
            };
            let mut out = map.clone();
            if let Some(schema) = map.get("schema") {
                out.insert("schema".into(), c.schema(schema, &format!("{at}/schema")));
            }
            Value::Object(out)
        })
    }

    /// A JSON Schema 2020-12 schema as an OpenAPI 3.0 schema object.
    fn schema(&mut self, schema: &Value, at: &str) -> Value {
        let map = match schema {
            Value::Bool(true) => return json!({}),
            Value::Bool(false) => return json!({"not": {}}),
            Value::Object(map) => map,
            other => return other.clone(),
        };
        if let Some(reference) = map.get("$ref") {
            if map.len() == 1 {
                return schema.clone();
            }
            // In 3.1 the siblings of a `$ref` apply together with it: `allOf: [$ref]` carrying
            // them is the 3.0 way to say so.
            let mut siblings = map.clone();
            siblings.remove("$ref");
            let mut out = match self.schema(&Value::Object(siblings), at) {
                Value::Object(out) => out,
                _ => unreachable!("an object schema converts to an object"),
            };
            let wrapped = json!({"$ref": reference});
            match out.get_mut("allOf") {
                Some(Value::Array(parts)) => parts.insert(0, wrapped),
                _ => {
                    out.insert("allOf".into(), json!([wrapped]));
                }
            }
            self.moved.push((format!("{at}/allOf/0"), at.to_owned()));
            return Value::Object(out);
        }
        let mut out = Map::new();
        let mut nullable = false;
        for (key, value) in map {
            let here = format!("{at}/{}", escaped(key));
            match key.as_str() {
                "type" => match self.schema_type(value, &here) {
                    (Some(kind), null) => {
                        out.insert("type".into(), kind);
                        nullable |= null;
                    }
                    (None, null) => nullable |= null,
                },
                "const" => {
                    if !map.contains_key("enum") {
                        out.insert("enum".into(), json!([value]));
                    }
                    // `const` alone says the type too; 3.0's `enum` needs it beside.
                    if !map.contains_key("type") {
                        if let Some(kind) = json_type(value) {
                            out.insert("type".into(), json!(kind));
                        }
                    }
                }
                "examples" => {
                    if let (Some(first), false) = (
                        value.as_array().and_then(|a| a.first()),
                        map.contains_key("example"),
                    ) {
                        out.insert("example".into(), first.clone());
                    }
                }
                "exclusiveMinimum" | "exclusiveMaximum" if value.is_number() => {
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    // When both bounds are given, the exclusive one is kept if it is the
                    // tighter; the inclusive one otherwise.
                    let tighter = match map.get(bound).and_then(Value::as_f64) {
                        None => true,
                        Some(inclusive) => {
                            let exclusive = value.as_f64().unwrap_or(inclusive);
                            if bound == "minimum" {
                                exclusive >= inclusive
                            } else {
                                exclusive <= inclusive
                            }
                        }
                    };
                    if tighter {
                        out.insert(bound.into(), value.clone());
                        out.insert(key.clone(), json!(true));
                    }
                }
                "minimum" | "maximum" => {
                    // Set above by a tighter exclusive bound: keep that one.
                    out.entry(key.clone()).or_insert_with(|| value.clone());
                }
                "properties" => {
                    out.insert(key.clone(), self.each_named(value, &here, Self::schema));
                }
                "items" => {
                    let items = if value.is_array() {
                        self.warn(
                            &here,
                            "`items` as an array (a tuple) has no Rust form; the elements are kept as serde_json::Value",
                        );
                        json!({})
                    } else {
                        self.schema(value, &here)
                    };
                    out.insert(key.clone(), items);
                }
                "prefixItems" => {
                    self.warn(
                        &here,
                        "`prefixItems` (a tuple) has no Rust form; the elements are kept as serde_json::Value",
                    );
                    out.insert("items".into(), json!({}));
                }
                "additionalProperties" | "not" => {
                    let converted = match value {
                        Value::Bool(_) if key == "additionalProperties" => value.clone(),
                        _ => self.schema(value, &here),
                    };
                    out.insert(key.clone(), converted);
                }
                "unevaluatedProperties" => {
                    if !map.contains_key("additionalProperties") {
                        let converted = match value {
                            Value::Bool(_) => value.clone(),
                            _ => self.schema(value, &here),
                        };
                        out.insert("additionalProperties".into(), converted);
                    }
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let Some(parts) = value.as_array() else {
                        out.insert(key.clone(), value.clone());
                        continue;
                    };
                    let mut converted = Vec::with_capacity(parts.len());
                    for (i, part) in parts.iter().enumerate() {
                        // `anyOf: [X, {type: null}]` is 3.1's nullable X.
                        if key != "allOf" && is_null_schema(part) {
                            nullable = true;
                            continue;
                        }
                        converted.push(self.schema(part, &format!("{here}/{i}")));
                    }
                    out.insert(key.clone(), Value::Array(converted));
                }
                "contentEncoding" | "contentMediaType" => {}
                k if IGNORED.contains(&k) => {}
                k if WITHOUT_RUST_FORM.contains(&k) => {
                    self.warn(
                        &here,
                        format!("`{k}` (JSON Schema 2020-12) has no Rust form; it is left out, so the generated types do not check it"),
                    );
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if nullable {
            out.insert("nullable".into(), json!(true));
        }
        binary_format(map, &mut out);
        collapse_single_choice(&mut out);
        Value::Object(out)
    }

    /// The 3.0 `type` of a 3.1 one, and whether it allows null.
    fn schema_type(&mut self, kind: &Value, at: &str) -> (Option<Value>, bool) {
        let list = type_lists::read(kind);
        if let Some(warning) = list.warning {
            self.warn(at, warning);
        }
        (list.kind, list.nullable)
    }

    /// Applies `convert` to each entry of an object (names escaped into the pointer).
    fn each_named(
        &mut self,
        value: &Value,
        at: &str,
        mut convert: impl FnMut(&mut Self, &Value, &str) -> Value,
    ) -> Value {
        let Some(map) = value.as_object() else {
            return value.clone();
        };
        let mut out = Map::new();
        for (name, entry) in map {
            let converted = convert(self, entry, &format!("{at}/{}", escaped(name)));
            out.insert(name.clone(), converted);
        }
        Value::Object(out)
    }

    /// Applies `convert` to each element of an array.
    fn each(
        &mut self,
        value: &Value,
        at: &str,
        convert: impl Fn(&mut Self, &Value, &str) -> Value,
    ) -> Value {
        let Some(items) = value.as_array() else {
            return value.clone();
        };
        Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| convert(self, item, &format!("{at}/{i}")))
                .collect(),
        )
    }
}

/// A Reference object as 3.0 has it: `$ref` alone (3.1 lets `summary` and `description`
/// override the target's; 3.0 has no place for them, and they are documentation only).
fn reference(map: &Map<String, Value>) -> Value {
    json!({"$ref": map["$ref"]})
}

/// The schema type of a JSON value (`None` for null, which 3.0 says with `nullable`).
fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => None,
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_f64() => Some("number"),
        Value::Number(_) => Some("integer"),
        Value::String(_) => Some("string"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
    }
}

/// `{type: null}` (or `{type: [null]}`, or `{const: null}`): a branch that only admits null.
fn is_null_schema(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    let only = |key: &str| map.len() == 1 || map.keys().all(|k| k == key || k == "description");
    match (map.get("type"), map.get("const")) {
        (Some(Value::String(t)), _) => t == "null" && only("type"),
        (Some(Value::Array(types)), _) => types.len() == 1 && types[0] == "null" && only("type"),
        (None, Some(Value::Null)) => only("const"),
        _ => false,
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; any other content of a string (a media
/// type, or a binary encoding) is `format: binary`.
fn binary_format(schema: &Map<String, Value>, out: &mut Map<String, Value>) {
    if out.contains_key("format") {
        return;
    }
    let encoding = schema.get("contentEncoding").and_then(Value::as_str);
    let media = schema.get("contentMediaType").and_then(Value::as_str);
    let format = match (encoding, media) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some(_), _) => "binary",
        // JSON carried in a string stays a string.
        (None, Some(media)) if !media.contains("json") && !media.starts_with("text/") => "binary",
        _ => return,
    };
    out.insert("format".into(), json!(format));
    out.entry("type").or_insert_with(|| json!("string"));
}

/// `anyOf: [X]` left after removing a null branch: `allOf: [X]` is how 3.0 says "X, nullable".
fn collapse_single_choice(out: &mut Map<String, Value>) {
    if out.contains_key("allOf") {
        return;
    }
    for key in ["anyOf", "oneOf"] {
        let single = matches!(out.get(key), Some(Value::Array(parts)) if parts.len() == 1);
        if single && out.get("nullable") == Some(&json!(true)) {
            let parts = out.remove(key).expect("checked above");
            out.insert("allOf".into(), parts);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3.1 document with `schema` as the component `S`.
    fn with_schema(schema: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"S": schema}}
        })
    }

    /// The converted component `S` and the conversion's warnings.
    fn convert(schema: Value) -> (Value, Vec<Problem>) {
        let converted = to_openapi30(&with_schema(schema));
        let s = converted.document["components"]["schemas"]["S"].clone();
        (s, converted.warnings)
    }

    fn quiet(schema: Value) -> Value {
        let (s, warnings) = convert(schema);
        assert!(warnings.is_empty(), "{warnings:?}");
        s
    }

    #[test]
    fn the_version_becomes_3_0_3_and_paths_are_required() {
        let converted = to_openapi30(&json!({"openapi": "3.1.0", "info": {}}));
        assert_eq!(converted.document["openapi"], "3.0.3");
        assert_eq!(converted.document["paths"], json!({}));
    }

    #[test]
    fn a_type_array_with_null_is_nullable() {
        assert_eq!(
            quiet(json!({"type": ["string", "null"], "format": "uuid"})),
            json!({"type": "string", "format": "uuid", "nullable": true})
        );
        assert_eq!(quiet(json!({"type": "null"})), json!({"nullable": true}));
        assert_eq!(
            quiet(json!({"type": ["integer", "number"]})),
            json!({"type": "number"})
        );
    }

    #[test]
    fn a_type_array_of_several_types_warns_and_has_no_type() {
        let (s, warnings) = convert(json!({"type": ["string", "integer", "null"]}));
        assert_eq!(s, json!({"nullable": true}));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/components/schemas/S/type");
        assert!(
            warnings[0].message.contains("string, integer"),
            "{warnings:?}"
        );
        assert!(
            warnings[0].message.contains("serde_json::Value"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_null_branch_of_any_of_or_one_of_is_nullable() {
        assert_eq!(
            quiet(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
        assert_eq!(
            quiet(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_is_a_one_value_enum() {
        assert_eq!(
            quiet(json!({"type": "string", "const": "fixed"})),
            json!({"type": "string", "enum": ["fixed"]})
        );
        assert_eq!(
            quiet(json!({"const": 2})),
            json!({"enum": [2], "type": "integer"})
        );
    }

    #[test]
    fn schema_examples_give_the_first_as_example() {
        assert_eq!(
            quiet(json!({"type": "integer", "examples": [3, 4]})),
            json!({"type": "integer", "example": 3})
        );
        assert_eq!(
            quiet(json!({"example": 1, "examples": [3]})),
            json!({"example": 1})
        );
    }

    #[test]
    fn media_type_examples_stay_a_map() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "d", "content": {
                "application/json": {"schema": {"type": ["string", "null"]}, "examples": {"one": {"value": "x"}}}
            }}}}}}
        });
        let media = &to_openapi30(&doc).document["paths"]["/a"]["get"]["responses"]["200"]
            ["content"]["application/json"];
        assert_eq!(media["examples"], json!({"one": {"value": "x"}}));
        assert_eq!(media["schema"], json!({"type": "string", "nullable": true}));
    }

    #[test]
    fn numeric_exclusive_bounds_take_the_3_0_boolean_form() {
        assert_eq!(
            quiet(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        // The tighter of an inclusive and an exclusive bound is kept.
        assert_eq!(
            quiet(json!({"minimum": 5, "exclusiveMinimum": 0})),
            json!({"minimum": 5})
        );
        assert_eq!(
            quiet(json!({"exclusiveMinimum": 5, "minimum": 0})),
            json!({"minimum": 5, "exclusiveMinimum": true})
        );
        assert_eq!(
            quiet(json!({"minimum": 0, "exclusiveMinimum": true})),
            json!({"minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn a_schema_ref_with_siblings_is_wrapped_in_all_of() {
        let converted = to_openapi30(&with_schema(json!({
            "$ref": "#/components/schemas/A",
            "description": "the A of this thing",
            "type": ["object", "null"]
        })));
        assert!(converted.warnings.is_empty());
        assert_eq!(
            converted.document["components"]["schemas"]["S"],
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "the A of this thing", "type": "object", "nullable": true})
        );
        assert_eq!(
            source_pointer(&converted.moved, "/components/schemas/S/allOf/0/x"),
            "/components/schemas/S/x"
        );
        assert_eq!(quiet(json!({"$ref": "#/a"})), json!({"$ref": "#/a"}));
    }

    #[test]
    fn other_refs_lose_their_summary_and_description() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {},
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/P", "description": "d"}],
                "responses": {"200": {"$ref": "#/components/responses/R", "summary": "s"}}
            }}}
        });
        let converted = to_openapi30(&doc);
        let get = &converted.document["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"][0],
            json!({"$ref": "#/components/parameters/P"})
        );
        assert_eq!(
            get["responses"]["200"],
            json!({"$ref": "#/components/responses/R"})
        );
        assert!(converted.warnings.is_empty());
    }

    #[test]
    fn content_encoding_and_media_type_give_the_binary_formats() {
        assert_eq!(
            quiet(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            quiet(json!({"type": "string", "contentMediaType": "image/png"})),
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            quiet(json!({"contentMediaType": "application/octet-stream"})),
            json!({"format": "binary", "type": "string"})
        );
        assert_eq!(
            quiet(json!({"type": "string", "contentMediaType": "application/json"})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn boolean_schemas_become_objects() {
        assert_eq!(
            quiet(json!({"type": "object", "properties": {"any": true, "never": false}})),
            json!({"type": "object", "properties": {"any": {}, "never": {"not": {}}}})
        );
    }

    #[test]
    fn unevaluated_properties_is_additional_properties() {
        assert_eq!(
            quiet(json!({"type": "object", "unevaluatedProperties": {"type": ["string", "null"]}})),
            json!({"type": "object", "additionalProperties": {"type": "string", "nullable": true}})
        );
    }

    #[test]
    fn prefix_items_warn_and_keep_the_elements_as_values() {
        let (s, warnings) = convert(json!({"type": "array", "prefixItems": [{"type": "string"}]}));
        assert_eq!(s, json!({"type": "array", "items": {}}));
        assert_eq!(warnings[0].pointer, "/components/schemas/S/prefixItems");
    }

    #[test]
    fn keywords_without_a_rust_form_warn_and_are_left_out() {
        let (s, warnings) = convert(json!({
            "type": "object",
            "$comment": "for tools",
            "$defs": {"A": {}},
            "if": {"required": ["a"]},
            "then": {"required": ["b"]},
            "dependentRequired": {"a": ["b"]},
            "patternProperties": {"^x": {}}
        }));
        assert_eq!(s, json!({"type": "object"}));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/S/$defs",
                "/components/schemas/S/if",
                "/components/schemas/S/then",
                "/components/schemas/S/dependentRequired",
                "/components/schemas/S/patternProperties"
            ]
        );
        assert!(warnings[3]
            .message
            .contains("`dependentRequired` (JSON Schema 2020-12)"));
    }

    #[test]
    fn webhooks_and_a_foreign_dialect_warn_the_oas_dialect_does_not() {
        let converted = to_openapi30(&json!({
            "openapi": "3.1.0",
            "info": {},
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "webhooks": {"new": {"post": {}}}
        }));
        assert!(converted.document.get("webhooks").is_none());
        assert!(converted.document.get("jsonSchemaDialect").is_none());
        let pointers: Vec<&str> = converted
            .warnings
            .iter()
            .map(|w| w.pointer.as_str())
            .collect();
        assert_eq!(pointers, ["/jsonSchemaDialect", "/webhooks"]);
        let converted =
            to_openapi30(&json!({"openapi": "3.1.0", "jsonSchemaDialect": OAS_DIALECT}));
        assert!(converted.warnings.is_empty());
    }

    #[test]
    fn path_items_in_components_are_inlined_where_paths_refer_to_them() {
        let converted = to_openapi30(&json!({
            "openapi": "3.1.0",
            "info": {},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}, "/b": {"$ref": "#/components/pathItems/Missing"}},
            "components": {"pathItems": {"A": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}], "responses": {}}}}}
        }));
        let doc = &converted.document;
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            doc["paths"]["/b"],
            json!({"$ref": "#/components/pathItems/Missing"})
        );
        assert!(doc["components"].get("pathItems").is_none());
        assert_eq!(
            source_pointer(&converted.moved, "/paths/~1a/get/responses"),
            "/components/pathItems/A/get/responses"
        );
        assert_eq!(
            source_pointer(&converted.moved, "/paths/~1ab"),
            "/paths/~1ab"
        );
    }

    #[test]
    fn mutual_tls_schemes_warn_and_are_left_out() {
        let converted = to_openapi30(&json!({
            "openapi": "3.1.0",
            "info": {},
            "components": {"securitySchemes": {"m": {"type": "mutualTLS"}, "k": {"type": "apiKey", "name": "k", "in": "header"}}}
        }));
        let schemes = &converted.document["components"]["securitySchemes"];
        assert!(schemes.get("m").is_none());
        assert!(schemes.get("k").is_some());
        assert_eq!(
            converted.warnings[0].pointer,
            "/components/securitySchemes/m"
        );
    }

    #[test]
    fn nested_schemas_are_converted_everywhere() {
        let s = quiet(json!({
            "type": "object",
            "properties": {"list": {"type": "array", "items": {"const": 1}}},
            "additionalProperties": {"not": {"type": ["string", "null"]}},
            "allOf": [{"examples": ["x"]}]
        }));
        assert_eq!(
            s["properties"]["list"]["items"],
            json!({"enum": [1], "type": "integer"})
        );
        assert_eq!(
            s["additionalProperties"]["not"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(s["allOf"][0], json!({"example": "x"}));
    }
}
