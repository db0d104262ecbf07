//! Swagger 2.0 read as OpenAPI 3.0: the converted document goes through the same pipeline as a
//! 3.0 definition, and pointers into it are mapped back to the 2.0 file for errors.
//!
//! What moves where: `host` + `basePath` + `schemes` → `servers`; `definitions`, `parameters`,
//! `responses` and `securityDefinitions` → `components`; body parameters → `requestBody`;
//! `formData` parameters → a form `requestBody`; `produces`/`consumes` (global, or per operation)
//! → the media types of `content`; parameter `type`/`format`/`items`/`enum` → `schema`;
//! `x-nullable` → `nullable`; `type: file` → a binary string; response `examples` → `example`;
//! a `type` written as a list, which 2.0 does not allow, as the OpenAPI 3.1 reader reads one
//! (`type_lists`).

use serde_json::{json, Map, Value};

use crate::diagnostics::Problem;

/// The extension a `collectionFormat: tsv` is marked with: OpenAPI 3 has no tab-delimited style,
/// and the build reads the mark.
pub const TSV_EXTENSION: &str = "x-collection-format";

/// A conversion, or the problem at a pointer of the 2.0 document that stopped it (the caller
/// knows the file: see [`Problem::in_file`]).
type Converted<T> = Result<T, Problem>;

fn problem(pointer: String, message: impl Into<String>) -> Problem {
    Problem::error("", pointer, message)
}

/// Keywords of a 2.0 non-body parameter that belong in its 3.0 `schema`.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "collectionFormat",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// Converts a Swagger 2.0 document into an OpenAPI 3.0.3 one, with warnings for what it read
/// leniently (pointers into the 2.0 document).
pub fn to_openapi3(mut v2: Value) -> Converted<(Value, Vec<Problem>)> {
    let mut warnings = Vec::new();
    type_lists(&mut v2, "", false, &mut warnings);
    Ok((convert(&v2)?, warnings))
}

/// Keys of a 2.0 document whose value maps names to nodes: a name there is not a keyword.
const NAMED: &[&str] = &[
    "paths",
    "definitions",
    "parameters",
    "responses",
    "headers",
    "properties",
    "securityDefinitions",
];

/// Keys whose value is data, not a node of the document: a `type` inside is not a type.
const DATA: &[&str] = &["example", "examples", "enum", "default"];

/// Reads every `type` written as a list (see `type_lists`) as a 2.0 reader can: the type left,
/// or none, and `x-nullable` for `null`. `named` says that the keys of `node` are names.
fn type_lists(node: &mut Value, at: &str, named: bool, warnings: &mut Vec<Problem>) {
    match node {
        Value::Object(map) => {
            if !named && map.get("type").is_some_and(Value::is_array) {
                let list = super::type_lists::read(&map["type"]);
                match list.kind {
                    Some(kind) => map.insert("type".into(), kind),
                    None => map.remove("type"),
                };
                if list.nullable {
                    map.insert("x-nullable".into(), json!(true));
                }
                if let Some(warning) = list.warning {
                    warnings.push(Problem::warning("", format!("{at}/type"), warning));
                }
            }
            for (key, value) in map.iter_mut() {
                let data = !named && (DATA.contains(&key.as_str()) || key.starts_with("x-"));
                if !data {
                    let here = format!("{at}/{}", escape(key));
                    let names = !named && NAMED.contains(&key.as_str()) && value.is_object();
                    type_lists(value, &here, names, warnings);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                type_lists(item, &format!("{at}/{i}"), false, warnings);
            }
        }
        _ => {}
    }
}

fn convert(v2: &Value) -> Converted<Value> {
    let root = v2
        .as_object()
        .ok_or_else(|| problem(String::new(), "a definition must be an object"))?;
    let produces = media_types(root.get("produces"));
    let consumes = media_types(root.get("consumes"));
    let body_parameters: Vec<String> = root
        .get("parameters")
        .and_then(Value::as_object)
        .map(|p| {
            p.iter()
                .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    let context = Context {
        produces,
        consumes,
        body_parameters,
    };

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(value) = root.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    for (key, value) in root.iter().filter(|(k, _)| k.starts_with("x-")) {
        out.insert(key.clone(), value.clone());
    }
    out.insert("servers".into(), servers(root));

    let mut paths = Map::new();
    if let Some(items) = root.get("paths").and_then(Value::as_object) {
        for (path, item) in items {
            let at = format!("/paths/{}", escape(path));
            paths.insert(path.clone(), context.path_item(item, &at)?);
        }
    }
    out.insert("paths".into(), Value::Object(paths));

    let mut components = Map::new();
    if let Some(definitions) = root.get("definitions").and_then(Value::as_object) {
        let schemas = definitions
            .iter()
            .map(|(k, v)| (k.clone(), schema(v)))
            .collect();
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(parameters) = root.get("parameters").and_then(Value::as_object) {
        let (mut plain, mut bodies) = (Map::new(), Map::new());
        for (name, parameter) in parameters {
            let at = format!("/parameters/{}", escape(name));
            if context.body_parameters.contains(name) {
                bodies.insert(
                    name.clone(),
                    context.body(parameter, &context.consumes, &at)?,
                );
            } else {
                plain.insert(name.clone(), parameter_v3(parameter, &at)?);
            }
        }
        if !plain.is_empty() {
            components.insert("parameters".into(), Value::Object(plain));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }
    if let Some(responses) = root.get("responses").and_then(Value::as_object) {
        let converted = responses
            .iter()
            .map(|(k, v)| (k.clone(), context.response(v, &context.produces)))
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(schemes) = root.get("securityDefinitions").and_then(Value::as_object) {
        let mut converted = Map::new();
        for (name, scheme) in schemes {
            let at = format!("/securityDefinitions/{}", escape(name));
            converted.insert(name.clone(), security_scheme(scheme, &at)?);
        }
        components.insert("securitySchemes".into(), Value::Object(converted));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let mut document = Value::Object(out);
    rewrite_refs(&mut document, &context.body_parameters);
    Ok(document)
}

/// Where a pointer of the converted document came from in the 2.0 document, for errors.
pub fn source_pointer(pointer: &str) -> String {
    const MOVED: &[(&str, &str)] = &[
        ("/components/schemas", "/definitions"),
        ("/components/parameters", "/parameters"),
        ("/components/requestBodies", "/parameters"),
        ("/components/responses", "/responses"),
        ("/components/securitySchemes", "/securityDefinitions"),
        ("/servers", "/host"),
    ];
    for (new, old) in MOVED {
        if let Some(rest) = pointer.strip_prefix(new) {
            return format!("{old}{rest}");
        }
    }
    // Inside an operation: a request body was a body parameter, and content was the schema.
    if let Some(i) = pointer.find("/requestBody") {
        return format!("{}/parameters", &pointer[..i]);
    }
    if let Some(i) = pointer.find("/content/") {
        let rest = &pointer[i + "/content/".len()..];
        let after_media = rest.find('/').map_or("", |j| &rest[j..]);
        return format!("{}{after_media}", &pointer[..i]);
    }
    pointer.to_owned()
}

struct Context {
    produces: Vec<String>,
    consumes: Vec<String>,
    /// Names of the top-level parameters that are bodies.
    body_parameters: Vec<String>,
}

impl Context {
    fn path_item(&self, item: &Value, at: &str) -> Converted<Value> {
        let item = item
            .as_object()
            .ok_or_else(|| problem(at.to_owned(), "a path item must be an object"))?;
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut out = Map::new();
        for (key, value) in item {
            let op_at = format!("{at}/{}", escape(key));
            match key.as_str() {
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                    out.insert(key.clone(), self.operation(value, &shared, &op_at)?);
                }
                "parameters" => {}
                other => {
                    out.insert(other.to_owned(), value.clone());
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn operation(&self, op: &Value, shared: &[Value], at: &str) -> Converted<Value> {
        let op_map = op
            .as_object()
            .ok_or_else(|| problem(at.to_owned(), "an operation must be an object"))?;
        let produces = op_map
            .get("produces")
            .map(|p| media_types(Some(p)))
            .unwrap_or_else(|| self.produces.clone());
        let consumes = op_map
            .get("consumes")
            .map(|c| media_types(Some(c)))
            .unwrap_or_else(|| self.consumes.clone());
        let mut out = Map::new();
        for (key, value) in op_map {
            match key.as_str() {
                "parameters" | "responses" | "produces" | "consumes" | "schemes" => {}
                other => {
                    out.insert(other.to_owned(), value.clone());
                }
            }
        }
        let own = op_map
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut parameters = Vec::new();
        let mut form: Vec<(Value, String)> = Vec::new();
        for (i, parameter) in shared.iter().chain(own.iter()).enumerate() {
            let param_at = format!("{at}/parameters/{i}");
            if let Some(reference) = parameter.get("$ref").and_then(Value::as_str) {
                let name = reference.rsplit('/').next().unwrap_or_default();
                if self.body_parameters.iter().any(|b| b == name) {
                    out.insert(
                        "requestBody".into(),
                        json!({"$ref": format!("#/components/requestBodies/{name}")}),
                    );
                } else {
                    parameters.push(parameter.clone());
                }
                continue;
            }
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    out.insert(
                        "requestBody".into(),
                        self.body(parameter, &consumes, &param_at)?,
                    );
                }
                Some("formData") => form.push((parameter.clone(), param_at)),
                _ => parameters.push(parameter_v3(parameter, &param_at)?),
            }
        }
        if !form.is_empty() {
            out.insert("requestBody".into(), form_body(&form, &consumes));
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        let mut responses = Map::new();
        for (status, response) in op_map
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            responses.insert(status.clone(), self.response(response, &produces));
        }
        out.insert("responses".into(), Value::Object(responses));
        Ok(Value::Object(out))
    }

    fn body(&self, parameter: &Value, consumes: &[String], at: &str) -> Converted<Value> {
        let schema_v2 = parameter
            .get("schema")
            .ok_or_else(|| problem(at.to_owned(), "a body parameter needs a schema"))?;
        let media = media_or_json(consumes);
        let content: Map<String, Value> = media
            .iter()
            .map(|ct| {
                let mut entry = json!({"schema": schema(schema_v2)});
                if let Some(example) = parameter.get("x-example") {
                    entry["example"] = example.clone();
                }
                (ct.clone(), entry)
            })
            .collect();
        let mut out = json!({"content": content, "required": parameter.get("required").and_then(Value::as_bool).unwrap_or(false)});
        if let Some(description) = parameter.get("description") {
            out["description"] = description.clone();
        }
        Ok(out)
    }

    fn response(&self, response: &Value, produces: &[String]) -> Value {
        if let Some(reference) = response.get("$ref") {
            return json!({"$ref": reference});
        }
        let mut out = Map::new();
        out.insert(
            "description".into(),
            response.get("description").cloned().unwrap_or(json!("")),
        );
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            let converted: Map<String, Value> = headers
                .iter()
                .map(|(name, header)| {
                    let mut out = json!({"schema": schema_of_simple(header)});
                    if let Some(description) = header.get("description") {
                        out["description"] = description.clone();
                    }
                    (name.clone(), out)
                })
                .collect();
            out.insert("headers".into(), Value::Object(converted));
        }
        let examples = response.get("examples").and_then(Value::as_object);
        if let Some(schema_v2) = response.get("schema") {
            let mut content = Map::new();
            for ct in media_or_json(produces) {
                let mut entry = json!({"schema": schema(schema_v2)});
                if let Some(example) = examples.and_then(|e| e.get(&ct)) {
                    entry["example"] = example.clone();
                }
                content.insert(ct, entry);
            }
            out.insert("content".into(), Value::Object(content));
        }
        for (key, value) in response.as_object().into_iter().flatten() {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }
}

fn servers(root: &Map<String, Value>) -> Value {
    let base_path = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let Some(host) = root.get("host").and_then(Value::as_str) else {
        return json!([{"url": if base_path.is_empty() { "/" } else { base_path }}]);
    };
    let schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // https first, as the platform serves it.
    let mut ordered: Vec<&str> = schemes.iter().copied().filter(|s| *s == "https").collect();
    ordered.extend(schemes.iter().copied().filter(|s| *s != "https"));
    if ordered.is_empty() {
        ordered.push("https");
    }
    Value::Array(
        ordered
            .iter()
            .map(|scheme| json!({"url": format!("{scheme}://{host}{base_path}")}))
            .collect(),
    )
}

fn media_types(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn media_or_json(media: &[String]) -> Vec<String> {
    if media.is_empty() {
        vec!["application/json".to_owned()]
    } else {
        media.to_vec()
    }
}

/// A non-body 2.0 parameter as a 3.0 parameter with a `schema`.
fn parameter_v3(parameter: &Value, at: &str) -> Converted<Value> {
    let map = parameter
        .as_object()
        .ok_or_else(|| problem(at.to_owned(), "a parameter must be an object"))?;
    if map.contains_key("$ref") {
        return Ok(parameter.clone());
    }
    let mut out = Map::new();
    for (key, value) in map {
        if !SCHEMA_KEYWORDS.contains(&key.as_str()) && key != "allowEmptyValue" {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert("schema".into(), schema_of_simple(parameter));
    if map.get("in").and_then(Value::as_str) == Some("query") {
        out.extend(collection_style(parameter));
    }
    Ok(Value::Object(out))
}

/// The 3.0 `style` and `explode` of a 2.0 array parameter of a query or form, from its
/// `collectionFormat` (`csv` when absent). Paths and headers have only `csv`, 3.0's `simple`.
fn collection_style(parameter: &Value) -> Map<String, Value> {
    if parameter.get("type").and_then(Value::as_str) != Some("array") {
        return Map::new();
    }
    let format = parameter.get("collectionFormat").and_then(Value::as_str);
    let (style, explode) = match format {
        Some("multi") => ("form", true),
        Some("ssv") => ("spaceDelimited", false),
        Some("pipes") => ("pipeDelimited", false),
        _ => ("form", false),
    };
    let mut out = Map::new();
    out.insert("style".into(), json!(style));
    out.insert("explode".into(), json!(explode));
    if format == Some("tsv") {
        // OpenAPI 3 has no tab-delimited style: the build reads this mark.
        out.insert(TSV_EXTENSION.into(), json!("tsv"));
    }
    out
}

/// The schema of a 2.0 non-body parameter or header, from its own keywords.
fn schema_of_simple(node: &Value) -> Value {
    let mut out = Map::new();
    for (key, value) in node.as_object().into_iter().flatten() {
        match key.as_str() {
            "collectionFormat" => {}
            "items" => {
                out.insert(key.clone(), schema_of_simple(value));
            }
            k if SCHEMA_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if out.get("type").and_then(Value::as_str) == Some("file") {
        return json!({"type": "string", "format": "binary"});
    }
    Value::Object(out)
}

/// A 2.0 schema as a 3.0 schema: `x-nullable` → `nullable`, `file` → binary string.
fn schema(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "x-nullable" => {
                        out.insert("nullable".into(), value.clone());
                    }
                    "properties" | "definitions" => {
                        let converted = value
                            .as_object()
                            .map(|p| p.iter().map(|(k, v)| (k.clone(), schema(v))).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(converted));
                    }
                    "items" | "additionalProperties" | "not" => {
                        out.insert(key.clone(), schema(value));
                    }
                    "allOf" | "anyOf" | "oneOf" => {
                        let parts = value
                            .as_array()
                            .map(|a| a.iter().map(schema).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Array(parts));
                    }
                    "discriminator" => {
                        if let Some(property) = value.as_str() {
                            out.insert(key.clone(), json!({"propertyName": property}));
                        }
                    }
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            if out.get("type").and_then(Value::as_str) == Some("file") {
                out.insert("type".into(), json!("string"));
                out.insert("format".into(), json!("binary"));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Form fields of an operation as one object-schema body.
fn form_body(fields: &[(Value, String)], consumes: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for (field, _) in fields {
        let name = field
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if field.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(json!(name));
        }
        let style = collection_style(field);
        if !style.is_empty() {
            encoding.insert(name.clone(), Value::Object(style));
        }
        properties.insert(name, schema_of_simple(field));
    }
    // A file can only be sent in a multipart body (2.0: `type: file` needs it), whatever
    // `consumes` lists first.
    let has_file = fields.iter().any(|(field, _)| {
        let is_file = |node: &Value| node.get("type").and_then(Value::as_str) == Some("file");
        is_file(field) || field.get("items").is_some_and(is_file)
    });
    let media = if has_file || consumes.iter().any(|c| c == "multipart/form-data") {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let mut content = json!({"schema": schema});
    if media == "application/x-www-form-urlencoded" && !encoding.is_empty() {
        content["encoding"] = Value::Object(encoding);
    }
    json!({"required": true, "content": {media: content}})
}

fn security_scheme(scheme: &Value, at: &str) -> Converted<Value> {
    let kind = scheme
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut out = match kind {
        "basic" => json!({"type": "http", "scheme": "basic"}),
        "apiKey" => json!({"type": "apiKey", "name": scheme["name"], "in": scheme["in"]}),
        "oauth2" => {
            let flow = match scheme.get("flow").and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                other => {
                    return Err(problem(
                        format!("{at}/flow"),
                        format!("unknown OAuth2 flow {other:?}"),
                    ))
                }
            };
            let mut details = json!({"scopes": scheme.get("scopes").cloned().unwrap_or(json!({}))});
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(url) = scheme.get(key) {
                    details[key] = url.clone();
                }
            }
            json!({"type": "oauth2", "flows": {flow: details}})
        }
        other => {
            return Err(problem(
                format!("{at}/type"),
                format!("unknown security scheme type `{other}`"),
            ))
        }
    };
    if let Some(description) = scheme.get("description") {
        out["description"] = description.clone();
    }
    Ok(out)
}

/// Points every `$ref` at its 3.0 place.
fn rewrite_refs(node: &mut Value, body_parameters: &[String]) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                *reference = if let Some(name) = reference.strip_prefix("#/definitions/") {
                    format!("#/components/schemas/{name}")
                } else if let Some(name) = reference.strip_prefix("#/parameters/") {
                    if body_parameters.iter().any(|b| b == name) {
                        format!("#/components/requestBodies/{name}")
                    } else {
                        format!("#/components/parameters/{name}")
                    }
                } else if let Some(name) = reference.strip_prefix("#/responses/") {
                    format!("#/components/responses/{name}")
                } else {
                    reference.clone()
                };
            }
            for value in map.values_mut() {
                rewrite_refs(value, body_parameters);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rewrite_refs(v, body_parameters)),
        _ => {}
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The OpenAPI 3.0 document a Swagger 2.0 fixture is read as: what the conversion writes is
    /// seen nowhere else whole (the generated code shows only what the build makes of it).
    #[test]
    fn swagger_2_constructs_converted_to_openapi_3() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/swagger2_constructs.yaml"
        );
        let text = std::fs::read_to_string(path).expect("fixture exists");
        let v2: Value = serde_yaml::from_str(&text).expect("YAML");
        let (v3, warnings) =
            to_openapi3(v2).unwrap_or_else(|p| panic!("{}: {}", p.pointer, p.message));
        assert_eq!(warnings, []);
        insta::assert_snapshot!(
            "swagger_2_constructs_converted_to_openapi_3",
            serde_json::to_string_pretty(&v3).unwrap()
        );
    }
}
