//! `$ref`s to any place: a JSON pointer anywhere in the definition (`#/paths/...` as well as
//! `#/components/...`), a reference to a reference, or a relative file beside the definition.
//!
//! The builder reads components through openapiv3's types and only comes here for what those
//! cannot express. A component is read back as JSON on its own; the whole definition is turned
//! back into a JSON tree only on the first reference to another place (most definitions never
//! need it). A target is deserialized into the type the referring place expects.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Error, Result};
use crate::load::Definition;
use crate::pointer::{lookup, percent_decoded, unescaped, Pointer, MAX_HOPS};

/// Resolves `$ref`s of one definition.
pub struct Resolver<'a> {
    definition: &'a Definition,
    /// The definition as a JSON tree, made on first use.
    tree: OnceCell<Rc<Value>>,
    /// Files referred to, by path relative to the definition's directory.
    external: RefCell<BTreeMap<PathBuf, Rc<Value>>>,
}

/// Where a reference leads: the document (`None` for the definition itself) and the pointer in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    file: Option<PathBuf>,
    pointer: String,
}

impl Place {
    /// The place as a pointer that names it uniquely: `/paths/...` in the definition,
    /// `schemas/pet.yaml#/Pet` in another file.
    fn key(&self) -> Pointer {
        match &self.file {
            None => Pointer::from_ref(&format!("#{}", self.pointer)).unwrap_or_default(),
            Some(file) => Pointer::from_ref(&format!("#{}#{}", slashed(file), self.pointer))
                .unwrap_or_default(),
        }
    }
}

impl<'a> Resolver<'a> {
    /// A resolver of the references of `definition` (and of files beside it).
    pub fn new(definition: &'a Definition) -> Self {
        Resolver {
            definition,
            tree: OnceCell::new(),
            external: RefCell::new(BTreeMap::new()),
        }
    }

    /// The node `reference` (found at `at`) leads to, following references to references, as a
    /// `T`, with the pointer of where it is.
    pub fn resolve<T: DeserializeOwned>(
        &self,
        reference: &str,
        at: &Pointer,
    ) -> Result<(T, Pointer)> {
        let (value, place) = self.follow(reference, at)?;
        let key = place.key();
        let node = serde_json::from_value(value).map_err(|e| {
            self.error(
                at,
                format!(
                    "$ref `{reference}` points to {key}, which is not the node expected here: {e}"
                ),
            )
        })?;
        Ok((node, key))
    }

    /// The node a reference leads to, with its nested references rewritten to be read from the
    /// definition (for a node of another file).
    fn follow(&self, reference: &str, at: &Pointer) -> Result<(Value, Place)> {
        let mut seen: Vec<String> = Vec::new();
        let mut reference = reference.to_owned();
        let mut from: Option<PathBuf> = None;
        loop {
            if seen.contains(&reference) || seen.len() >= MAX_HOPS {
                seen.push(reference);
                return Err(self.error(
                    at,
                    format!("$refs lead to each other in a cycle: {}", seen.join(" → ")),
                ));
            }
            seen.push(reference.clone());
            let place = self.place(&reference, from.as_deref(), at)?;
            let (mut node, pointer) = self
                .find(&place, at)?
                .ok_or_else(|| self.error(at, format!("$ref `{reference}` points to nothing")))?;
            let place = Place { pointer, ..place };
            match node.get("$ref").and_then(Value::as_str) {
                Some(next) => {
                    reference = next.to_owned();
                    from = place.file.clone();
                }
                None => {
                    if let Some(file) = &place.file {
                        rebase(&mut node, file);
                    }
                    return Ok((node, place));
                }
            }
        }
    }

    /// The node at `place`, with its own pointer; `None` when there is none.
    fn find(&self, place: &Place, at: &Pointer) -> Result<Option<(Value, String)>> {
        if place.file.is_none() {
            if let Some(node) = self.component(&place.pointer) {
                return Ok(Some((node, place.pointer.clone())));
            }
        }
        let document = self.document(place.file.as_deref(), at)?;
        let found = lookup(&document, &place.pointer).or_else(|| {
            // A place the document model dropped, as the file has it.
            let kept = place
                .file
                .is_none()
                .then_some(&self.definition.deep_targets)?;
            let (node, at) = kept.get(&place.pointer)?;
            Some((node, at.clone()))
        });
        Ok(found.map(|(node, pointer)| (node.clone(), pointer)))
    }

    /// A component of the definition itself (`/components/<section>/<name>`, the place nearly
    /// every `$ref` names), as JSON: read from the document model alone, without the JSON tree
    /// of the whole definition, which is several times the size of the file.
    fn component(&self, pointer: &str) -> Option<Value> {
        let (section, name) = pointer.strip_prefix("/components/")?.split_once('/')?;
        if name.contains('/') {
            return None;
        }
        let name = unescaped(name);
        let components = self.definition.document.components.as_ref()?;
        match section {
            "schemas" => to_json(components.schemas.get(&name)),
            "responses" => to_json(components.responses.get(&name)),
            "parameters" => to_json(components.parameters.get(&name)),
            "examples" => to_json(components.examples.get(&name)),
            "requestBodies" => to_json(components.request_bodies.get(&name)),
            "headers" => to_json(components.headers.get(&name)),
            "securitySchemes" => to_json(components.security_schemes.get(&name)),
            "links" => to_json(components.links.get(&name)),
            "callbacks" => to_json(components.callbacks.get(&name)),
            _ => None,
        }
    }

    /// What `reference` leads to as JSON, following references to references; `None` for a
    /// reference that leads nowhere (for readers that skip what they cannot follow).
    pub fn node(&self, reference: &str) -> Option<Value> {
        self.follow(reference, &Pointer::root())
            .ok()
            .map(|(node, _)| node)
    }

    /// Which document and pointer `reference` names; `from` is the file it was written in.
    fn place(&self, reference: &str, from: Option<&Path>, at: &Pointer) -> Result<Place> {
        if reference.contains("://") || reference.starts_with("//") {
            return Err(self.error(
                at,
                format!("$ref `{reference}` is a URL; only references into this definition or to files beside it are read"),
            ));
        }
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = percent_decoded(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(self.error(
                at,
                format!("$ref `{reference}` is not a JSON pointer (`#/...`)"),
            ));
        }
        let file = if file.is_empty() {
            from.map(Path::to_path_buf)
        } else {
            let base = from.and_then(Path::parent).unwrap_or(Path::new(""));
            Some(
                normalized(&base.join(percent_decoded(file)), reference)
                    .map_err(|m| self.error(at, m))?,
            )
        };
        Ok(Place { file, pointer })
    }

    fn document(&self, file: Option<&Path>, at: &Pointer) -> Result<Rc<Value>> {
        let Some(file) = file else {
            return Ok(self.tree.get_or_init(|| Rc::new(self.main_tree())).clone());
        };
        if let Some(tree) = self.external.borrow().get(file) {
            return Ok(tree.clone());
        }
        let dir = self.definition.file.parent().unwrap_or(Path::new(""));
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            self.error(
                at,
                format!("cannot read `{}`, which a $ref names: {e}", path.display()),
            )
        })?;
        let tree: Value = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            serde_yaml::from_str(&text).map_err(|e| e.to_string())
        }
        .map_err(|e| {
            self.error(
                at,
                format!(
                    "`{}`, which a $ref names, cannot be read: {e}",
                    path.display()
                ),
            )
        })?;
        let tree = Rc::new(tree);
        self.external
            .borrow_mut()
            .insert(file.to_path_buf(), tree.clone());
        Ok(tree)
    }

    fn main_tree(&self) -> Value {
        // openapiv3's types serialize back to the document they were read from.
        serde_json::to_value(&self.definition.document).unwrap_or(Value::Null)
    }

    fn error(&self, at: &Pointer, message: String) -> Error {
        Error::new(&self.definition.file, at.as_str(), message)
    }
}

/// A node of the document model as the JSON it was read from.
fn to_json<T: serde::Serialize>(node: Option<&T>) -> Option<Value> {
    serde_json::to_value(node?).ok()
}

/// Makes the `$ref`s inside a node taken from `file` name their targets from the definition's
/// directory: `#/x` → `file#/x`, `other.yaml` → `dir-of-file/other.yaml`.
fn rebase(node: &mut Value, file: &Path) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(reference) if key == "$ref" => {
                        *reference = rebased(reference, file);
                    }
                    _ => rebase(child, file),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rebase(item, file)),
        _ => {}
    }
}

fn rebased(reference: &str, file: &Path) -> String {
    if reference.contains("://") {
        return reference.to_owned();
    }
    match reference.split_once('#') {
        Some(("", fragment)) => format!("{}#{fragment}", slashed(file)),
        Some((other, fragment)) => {
            let joined = file.parent().unwrap_or(Path::new("")).join(other);
            format!("{}#{fragment}", slashed(&joined))
        }
        None => slashed(&file.parent().unwrap_or(Path::new("")).join(reference)),
    }
}

/// `a/./b/../c` → `a/c`; a path that leaves the definition's directory or is absolute is refused.
fn normalized(path: &Path, reference: &str) -> Result<PathBuf, String> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir if out.pop() => {}
            _ => {
                return Err(format!(
                    "$ref `{reference}` names a file outside the definition's directory"
                ))
            }
        }
    }
    Ok(out)
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(text: &str) -> Definition {
        crate::load::parse(Path::new("a.yaml"), text).unwrap()
    }

    const DOC: &str = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200': {description: OK}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {type: string}\n    C: {$ref: '#/components/schemas/D'}\n    D: {$ref: '#/components/schemas/C'}\n";

    #[test]
    fn references_to_references_are_followed() {
        let d = definition(DOC);
        let resolver = Resolver::new(&d);
        let (schema, at) = resolver
            .resolve::<openapiv3::Schema>("#/components/schemas/A", &Pointer::root())
            .unwrap();
        assert_eq!(at.as_str(), "/components/schemas/B");
        assert!(matches!(
            schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        ));
    }

    #[test]
    fn a_cycle_of_references_is_an_error_not_a_hang() {
        let d = definition(DOC);
        let at = Pointer::root().push("x");
        let e = Resolver::new(&d)
            .resolve::<openapiv3::Schema>("#/components/schemas/C", &at)
            .unwrap_err();
        assert_eq!(e.pointer, "/x");
        assert!(e.message.contains("cycle"), "{e}");
    }

    #[test]
    fn escaped_pointers_into_paths_are_read() {
        let d = definition(DOC);
        let (response, at) = Resolver::new(&d)
            .resolve::<openapiv3::Response>(
                "#/paths/~1a~1%7Bid%7D/get/responses/200",
                &Pointer::root(),
            )
            .unwrap();
        assert_eq!(response.description, "OK");
        assert_eq!(at.as_str(), "/paths/~1a~1{id}/get/responses/200");
    }

    #[test]
    fn references_into_keywords_the_model_drops_are_read_from_the_file() {
        let d = definition("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      definitions:\n        b: {type: string}\n        c: {$ref: '#/components/schemas/A/definitions/b'}\n      properties:\n        c: {$ref: '#/components/schemas/A/definitions/c'}\n");
        assert!(
            lookup(
                &Resolver::new(&d).main_tree(),
                "/components/schemas/A/definitions"
            )
            .is_none(),
            "openapiv3 drops `definitions`, which is why the file's nodes are kept"
        );
        let (schema, at) = Resolver::new(&d)
            .resolve::<openapiv3::Schema>("#/components/schemas/A/definitions/c", &Pointer::root())
            .unwrap();
        assert_eq!(at.as_str(), "/components/schemas/A/definitions/b");
        assert!(matches!(
            schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
        ));
        // References to components themselves are read from the model, not kept twice.
        assert_eq!(
            d.deep_targets.keys().collect::<Vec<_>>(),
            [
                "/components/schemas/A/definitions/b",
                "/components/schemas/A/definitions/c"
            ]
        );
    }

    #[test]
    fn urls_and_files_outside_are_refused() {
        let d = definition(DOC);
        let resolver = Resolver::new(&d);
        let e = resolver
            .resolve::<Value>("https://example.com/a.yaml#/x", &Pointer::root())
            .unwrap_err();
        assert!(e.message.contains("is a URL"), "{e}");
        let e = resolver
            .resolve::<Value>("../a.yaml#/x", &Pointer::root())
            .unwrap_err();
        assert!(e.message.contains("outside"), "{e}");
    }

    #[test]
    fn references_inside_another_file_are_rebased() {
        assert_eq!(rebased("#/B", Path::new("s/a.yaml")), "s/a.yaml#/B");
        assert_eq!(rebased("b.yaml#/B", Path::new("s/a.yaml")), "s/b.yaml#/B");
        assert_eq!(percent_decoded("~1a~1%7Bid%7D"), "~1a~1{id}");
    }
}
