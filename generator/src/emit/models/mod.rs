//! The `models.rs` of an API: a struct per object schema, an open enum per string enum, an
//! enum per `oneOf`, an alias otherwise, and `impl Page` for the page types of lists.

mod one_of;
mod open_enum;
mod structs;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::docs::{api_name, doc_lines, doc_or};
use super::file::Part;
use super::layout::items::push_type_alias;
use super::layout::{push_docs, push_inner_doc};
use super::rust::{push_format_imports, type_text};
use crate::model::{Api, TypeDef, TypeKind, TypeRef};

/// The `models.rs` of an API in parts.
pub fn parts(api: &Api) -> Vec<Part<'_>> {
    let structs = Arc::new(struct_names(&api.types));
    let mut parts: Vec<Part<'_>> = vec![Box::new(move || prelude(api))];
    for def in &api.types {
        let structs = structs.clone();
        parts.push(Box::new(move || type_def(def, &structs)));
    }
    for page in &api.pages {
        parts.push(Box::new(move || super::paging::page_impl(page)));
    }
    parts
}

/// The models module's docs and `use`s.
fn prelude(api: &Api) -> String {
    let mut out = String::new();
    let intro = format!("Types of the {}.", api_name(&api.title));
    for line in doc_lines(&[Some(&intro)]) {
        push_inner_doc(&mut out, 0, &line);
    }
    // Aliases need no derives, and the open enums' macro implements serde's traits itself.
    let needs_serde = api
        .types
        .iter()
        .any(|t| !matches!(t.kind, TypeKind::Alias(_) | TypeKind::Enum(_)));
    if needs_serde {
        out.push_str("use serde::{Deserialize, Serialize};\n");
    }
    let fields = api.types.iter().flat_map(|t| t.kind.uses());
    push_format_imports(&mut out, fields, "crate::runtime");
    out
}

/// A model; `structs` are the names of the types that are structs (a `oneOf` boxes them).
fn type_def(def: &TypeDef, structs: &BTreeSet<&str>) -> String {
    let mut out = String::new();
    push_docs(
        &mut out,
        0,
        &doc_or(def.description.as_deref(), &undescribed(def)),
    );
    match &def.kind {
        TypeKind::Struct(fields) => structs::push_struct(&mut out, &def.name, fields),
        TypeKind::Enum(variants) => open_enum::push_open_enum(&mut out, &def.name, variants),
        TypeKind::OneOf { variants, tag } => {
            one_of::push_one_of(&mut out, &def.name, variants, tag.as_deref(), structs)
        }
        TypeKind::Alias(target) => {
            let head = format!("pub type {} = ", def.name);
            push_type_alias(&mut out, 0, &head, &type_text(target, ""));
        }
    }
    out
}

/// The doc of a type whose schema has no description: what kind of value it is.
fn undescribed(def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Struct(_) => format!("A `{}` object.", def.name),
        TypeKind::Enum(_) => format!("The values a `{}` can take.", def.name),
        TypeKind::OneOf { .. } => format!("A `{}`: one of several shapes.", def.name),
        TypeKind::Alias(_) => format!("A `{}` value.", def.name),
    }
}

/// The names of the types that are structs, directly or through aliases.
fn struct_names(types: &[TypeDef]) -> BTreeSet<&str> {
    let kinds: BTreeMap<&str, &TypeKind> =
        types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
    types
        .iter()
        .filter(|t| {
            let mut kind = &t.kind;
            // An alias chain is as long as the types at most (a cycle of aliases ends there).
            for _ in 0..types.len() {
                match kind {
                    TypeKind::Alias(TypeRef::Named(target)) => match kinds.get(target.as_str()) {
                        Some(next) => kind = next,
                        None => return false,
                    },
                    _ => break,
                }
            }
            matches!(kind, TypeKind::Struct(_))
        })
        .map(|t| t.name.as_str())
        .collect()
}
