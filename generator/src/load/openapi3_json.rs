//! An OpenAPI 3.0 JSON file read straight into the document, without the `Value` tree the
//! general path builds first (that tree is several times the file's size).
//!
//! The `paths` and `components` objects are read on their own. openapiv3 reads each as a
//! flattened map (for its extensions), which buffers the whole object (most of a large
//! definition) in serde's generic tree before reading the entries from it, and grows its maps
//! by doubling. Here each component is read from its slice of the text, into a map of exactly
//! the right size, on all cores for a large definition; path items are left as text for the
//! build to read a batch at a time ([`Definition::for_each_path_item`]).

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI};
use serde::de::{Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::deep_targets::has_deep_reference;
use super::{is_json, Definition, Format, Targets, UnreadPaths};

/// The definition, or `None` for any other file, or any the document does not read: the
/// general path reads those, and names what is wrong.
pub(super) fn read(file: &Path, text: &str) -> Option<Definition> {
    /// The version fields alone; serde_json skips the rest without building it.
    #[derive(serde::Deserialize)]
    struct Version {
        openapi: Option<String>,
        swagger: Option<IgnoredAny>,
    }
    // An `encoding` may need its `explode` written in first (`explicit_form_explode`), which
    // only the general path does.
    // Nor does it keep the targets of deep references (`deep_targets`).
    if !is_json(file) || text.contains("\"encoding\"") || has_deep_reference(text) {
        return None;
    }
    let version: Version = serde_json::from_str(text).ok()?;
    if version.swagger.is_some() || !version.openapi?.starts_with("3.0.") {
        return None;
    }
    let (document, unread) = document(text)?;
    Some(Definition {
        file: file.to_path_buf(),
        document,
        format: Format::OpenApi3,
        conversion_warnings: Vec::new(),
        moved: Vec::new(),
        deep_targets: Targets::default(),
        unread_paths: Some(unread),
    })
}

/// The document, its path items left as text: `paths` and `components` read apart, the rest
/// as openapiv3 reads it.
fn document(text: &str) -> Option<(OpenAPI, UnreadPaths)> {
    let Members(members) = serde_json::from_str(text).ok()?;
    // Each read apart once; a repeated one is left to the general path.
    let mut paths = None;
    let mut components = None;
    for (key, value) in &members {
        let slot = match key.as_str() {
            "paths" => &mut paths,
            "components" if value.get().starts_with('{') => &mut components,
            _ => continue,
        };
        if slot.replace(*value).is_some() {
            return None;
        }
    }
    // The other members as written, with an empty `paths` in place of the real one.
    let mut rest = String::from("{");
    for (key, value) in &members {
        if key == "components" && components.is_some() {
            continue;
        }
        if rest.len() > 1 {
            rest.push(',');
        }
        rest.push_str(&serde_json::to_string(key).ok()?);
        rest.push(':');
        rest.push_str(if key == "paths" { "{}" } else { value.get() });
    }
    rest.push('}');
    let mut document: OpenAPI = serde_json::from_str(&rest).ok()?;
    if let Some(components) = components {
        document.components = Some(read_components(components)?);
    }
    let (extensions, items) = split_paths(text, paths?)?;
    document.paths.extensions = extensions;
    let unread = UnreadPaths {
        text: Arc::from(text),
        items,
    };
    Some((document, unread))
}

/// A `paths` object's extensions (keys that start with `x-`), and where the text of each path
/// item is (keys that start with `/`); anything else is ignored, as openapiv3 does. A repeated
/// key keeps its first place and its last value, as when the object is read whole.
#[allow(clippy::type_complexity)]
fn split_paths(
    text: &str,
    raw: &RawValue,
) -> Option<(IndexMap<String, Value>, Vec<(String, Range<usize>)>)> {
    let Members(members) = serde_json::from_str(raw.get()).ok()?;
    let (items, other): (Vec<_>, Vec<_>) =
        members.into_iter().partition(|(k, _)| k.starts_with('/'));
    let mut places: IndexMap<String, Range<usize>> = IndexMap::with_capacity(items.len());
    for (key, value) in items {
        // `value` is a slice of `text`: its place is its offset from the start.
        let start = value.get().as_ptr() as usize - text.as_ptr() as usize;
        places.insert(key, start..start + value.get().len());
    }
    Some((read_extensions(other)?, places.into_iter().collect()))
}

/// A `components` object, each section's entries read apart.
fn read_components(raw: &RawValue) -> Option<Components> {
    let Members(members) = serde_json::from_str(raw.get()).ok()?;
    let mut components = Components::default();
    let mut seen = BTreeSet::new();
    let mut other = Vec::new();
    for (key, value) in members {
        if !seen.insert(key.clone()) {
            return None;
        }
        let Members(entries) = match key.as_str() {
            "schemas" | "responses" | "parameters" | "examples" | "requestBodies" | "headers"
            | "securitySchemes" | "links" | "callbacks" => {
                serde_json::from_str(value.get()).ok()?
            }
            _ => {
                other.push((key, value));
                continue;
            }
        };
        match key.as_str() {
            "schemas" => components.schemas = read_entries(entries)?,
            "responses" => components.responses = read_entries(entries)?,
            "parameters" => components.parameters = read_entries(entries)?,
            "examples" => components.examples = read_entries(entries)?,
            "requestBodies" => components.request_bodies = read_entries(entries)?,
            "headers" => components.headers = read_entries(entries)?,
            "securitySchemes" => components.security_schemes = read_entries(entries)?,
            "links" => components.links = read_entries(entries)?,
            _ => components.callbacks = read_entries(entries)?,
        }
    }
    components.extensions = read_extensions(other)?;
    Some(components)
}

/// The members of an object whose keys start with `x-`, as openapiv3 keeps extensions.
fn read_extensions(members: Vec<(String, &RawValue)>) -> Option<IndexMap<String, Value>> {
    members
        .into_iter()
        .filter(|(key, _)| key.starts_with("x-"))
        .map(|(key, value)| Some((key, serde_json::from_str(value.get()).ok()?)))
        .collect()
}

/// How much text of entries is read before they are moved into their map, so that they are
/// not held twice.
const ENTRY_BATCH: usize = 4 << 20;

/// Entries read from their slices of the text into a map of exactly their number, those of a
/// large object on all cores. A repeated key keeps its first place and its last value, as when
/// the object is read whole.
fn read_entries<V>(members: Vec<(String, &RawValue)>) -> Option<IndexMap<String, V>>
where
    V: DeserializeOwned + Send,
{
    let mut map = IndexMap::with_capacity(members.len());
    let mut complete = true;
    crate::parallel::for_each_in_order(
        members,
        ENTRY_BATCH,
        |(_, value)| value.get().len(),
        |(key, value)| Some((key, serde_json::from_str::<V>(value.get()).ok()?)),
        |read| match read {
            Some((key, value)) => _ = map.insert(key, value),
            None => complete = false,
        },
    );
    complete.then_some(map)
}

/// A JSON object's members in the order written, each value as its slice of the text.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(key) = map.next_key::<String>()? {
                    members.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Ordered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document with its path items as the build reads them.
    fn read_all(text: &str) -> Option<OpenAPI> {
        let definition = read(Path::new("test.json"), text)?;
        let mut document = definition.document.clone();
        definition
            .for_each_path_item(|key, item| {
                document.paths.paths.insert(key.to_owned(), item.clone());
            })
            .ok()?;
        Some(document)
    }

    /// A definition read apart as here and whole as openapiv3 reads it gives the same document.
    #[test]
    fn paths_read_apart_equal_the_document_read_whole() {
        let text = r##"{
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {
                "/b": {"get": {"responses": {"200": {"description": "ok"}}}},
                "x-kept": {"a": 1},
                "ignored": {"b": 2},
                "/a": {"$ref": "#/components/pathItems/A"},
                "/b": {"post": {"responses": {"204": {"description": "none"}}}}
            },
            "components": {
                "schemas": {"S": {"type": "string"}, "T": {"$ref": "#/components/schemas/S"}},
                "responses": {"R": {"description": "r"}},
                "x-c": 1,
                "securitySchemes": {"k": {"type": "apiKey", "name": "k", "in": "header"}}
            }
        }"##;
        let whole: OpenAPI = serde_json::from_str(text).unwrap();
        let apart = read_all(text).unwrap();
        assert_eq!(apart, whole);
        assert_eq!(
            apart.paths.paths.keys().collect::<Vec<_>>(),
            vec!["/b", "/a"]
        );
        assert!(apart.paths.paths["/b"].as_item().unwrap().post.is_some());
        assert_eq!(apart.paths.extensions.len(), 1);
        let components = apart.components.unwrap();
        assert_eq!(components.schemas.len(), 2);
        assert_eq!(components.extensions.len(), 1);
    }

    #[test]
    fn a_repeated_section_leaves_the_file_to_the_general_path() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": {"schemas": {}, "schemas": {}}}"#;
        assert!(document(text).is_none());
        let null = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": null}"#;
        assert_eq!(read_all(null), serde_json::from_str(null).ok());
        let no_paths = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}}"#;
        assert!(document(no_paths).is_none());
    }

    /// Path items are read by the build; one that does not read leaves the file to the general
    /// path, which locates the fault.
    #[test]
    fn a_path_item_that_does_not_read_is_located_by_the_general_path() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": {"responses": 7}}}}"#;
        let definition = read(Path::new("test.json"), text).unwrap();
        assert!(definition.for_each_path_item(|_, _| {}).is_err());
        let error = definition.read_whole().unwrap_err();
        assert_eq!(error.problems()[0].pointer, "/paths/~1a/get");
    }
}
