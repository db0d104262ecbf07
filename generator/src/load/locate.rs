//! Finds the deepest node of a definition that fails to deserialize.
//!
//! openapiv3 buffers some nodes (untagged enums, flattened maps), which hides the path of an
//! error inside them; walking down the tree and trying each child finds it again.

use openapiv3::{
    Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::pointer::Pointer;

/// The pointer of the deepest node under `root` that does not deserialize, if any.
pub fn failing_node(root: &Value) -> Option<Pointer> {
    let at = Pointer::root();
    for (path, item) in entries(root, "paths") {
        if fails::<ReferenceOr<PathItem>>(item) {
            return Some(path_item(item, at.push("paths").push(path)));
        }
    }
    let components = root.get("components")?;
    let at = at.push("components");
    for (key, node) in entries(components, "schemas") {
        if fails::<ReferenceOr<Schema>>(node) {
            return Some(schema(node, at.push("schemas").push(key)));
        }
    }
    for (section, check) in [
        (
            "parameters",
            fails::<ReferenceOr<Parameter>> as fn(&Value) -> bool,
        ),
        ("responses", fails::<ReferenceOr<Response>>),
        ("requestBodies", fails::<ReferenceOr<RequestBody>>),
        ("headers", fails::<ReferenceOr<Header>>),
    ] {
        for (key, node) in entries(components, section) {
            if check(node) {
                return Some(media_holder(node, at.push(section).push(key)));
            }
        }
    }
    None
}

fn fails<T: DeserializeOwned>(node: &Value) -> bool {
    T::deserialize(node).is_err()
}

fn entries<'v>(node: &'v Value, key: &str) -> impl Iterator<Item = (&'v String, &'v Value)> {
    node.get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

fn items<'v>(node: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    node.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

fn path_item(node: &Value, at: Pointer) -> Pointer {
    for (i, param) in items(node, "parameters") {
        if fails::<ReferenceOr<Parameter>>(param) {
            return media_holder(param, at.push("parameters").push(i));
        }
    }
    for method in [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ] {
        if let Some(op) = node.get(method).filter(|op| fails::<Operation>(op)) {
            return operation(op, at.push(method));
        }
    }
    at
}

fn operation(node: &Value, at: Pointer) -> Pointer {
    for (i, param) in items(node, "parameters") {
        if fails::<ReferenceOr<Parameter>>(param) {
            return media_holder(param, at.push("parameters").push(i));
        }
    }
    if let Some(body) = node
        .get("requestBody")
        .filter(|b| fails::<ReferenceOr<RequestBody>>(b))
    {
        return media_holder(body, at.push("requestBody"));
    }
    for (status, response) in entries(node, "responses") {
        if fails::<ReferenceOr<Response>>(response) {
            return media_holder(response, at.push("responses").push(status));
        }
    }
    at
}

/// A parameter, body, response or header: look into its schema, content and headers.
fn media_holder(node: &Value, at: Pointer) -> Pointer {
    if let Some(s) = node
        .get("schema")
        .filter(|s| fails::<ReferenceOr<Schema>>(s))
    {
        return schema(s, at.push("schema"));
    }
    for (media_type, media) in entries(node, "content") {
        if let Some(s) = media
            .get("schema")
            .filter(|s| fails::<ReferenceOr<Schema>>(s))
        {
            return schema(s, at.push("content").push(media_type).push("schema"));
        }
    }
    for (name, header) in entries(node, "headers") {
        if fails::<ReferenceOr<Header>>(header) {
            return media_holder(header, at.push("headers").push(name));
        }
    }
    at
}

fn schema(node: &Value, at: Pointer) -> Pointer {
    for (name, property) in entries(node, "properties") {
        if fails::<ReferenceOr<Schema>>(property) {
            return schema(property, at.push("properties").push(name));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = node
            .get(key)
            .filter(|c| c.is_object() && fails::<ReferenceOr<Schema>>(c))
        {
            return schema(child, at.push(key));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, child) in items(node, key) {
            if fails::<ReferenceOr<Schema>>(child) {
                return schema(child, at.push(key).push(i));
            }
        }
    }
    at
}
