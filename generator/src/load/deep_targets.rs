//! The nodes `$ref`s lead to below the components' own entries, kept from the file as written
//! (see [`deep_targets`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::pointer::{lookup, percent_decoded};

/// Nodes of a definition as written, by the pointer `$ref`s name them with (decoded), each
/// with its own pointer.
pub type Targets = BTreeMap<String, (Value, String)>;

/// The nodes that `$ref`s of `tree` lead to below the components' own entries
/// (`#/components/schemas/A/definitions/b`, `#/paths/...`), kept from the file as written.
///
/// The resolver reads the definition back from openapiv3's model, which drops what the
/// OpenAPI schema does not name: a JSON Schema `definitions` keyword inside a schema is gone
/// from it, yet definitions refer into it. A reference to a component itself always survives
/// the model, and those are nearly all of them, so only the rest are kept.
pub fn deep_targets(tree: &Value) -> Targets {
    let mut references = BTreeSet::new();
    collect_references(tree, &mut references);
    references
        .into_iter()
        .filter_map(|reference| {
            let pointer = percent_decoded(reference.strip_prefix('#')?);
            let (node, at) = lookup(tree, &pointer)?;
            Some((pointer, (node.clone(), at)))
        })
        .collect()
}

/// Whether a `$ref` is local and goes deeper than `#/components/<section>/<name>`: a place the
/// document model may not hold.
fn is_deep(reference: &str) -> bool {
    reference.starts_with("#/")
        && (!reference.starts_with("#/components/") || reference.split('/').count() > 4)
}

/// Whether the JSON text of a definition has a `$ref` that [`is_deep`]: read without looking at
/// anything else, so that a definition without one can skip building its JSON tree.
pub fn has_deep_reference(json: &str) -> bool {
    json.match_indices("\"$ref\"").any(|(at, key)| {
        let rest = json[at + key.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            return false;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            return false;
        };
        rest.split('"').next().is_some_and(is_deep)
    })
}

/// The local `$ref`s of `node` that go deeper than `#/components/<section>/<name>`.
fn collect_references<'v>(node: &'v Value, out: &mut BTreeSet<&'v str>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                match child {
                    Value::String(reference) if key == "$ref" => {
                        if is_deep(reference) {
                            out.insert(reference);
                        }
                    }
                    _ => collect_references(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_references(item, out)),
        _ => {}
    }
}
