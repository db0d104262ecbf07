//! An enum of the alternatives of a `oneOf`/`anyOf`.

use std::collections::BTreeSet;

use super::super::layout::items::{push_header, push_variant};
use super::super::layout::literal;
use super::super::layout::{push_attribute, push_doc};
use super::super::rust::type_text;
use crate::model::{OneOfVariant, TypeRef};

/// An enum of the alternatives of a `oneOf`/`anyOf` (after its docs): internally tagged when
/// the schema names a discriminator (a tag this version does not know decodes as `Other`),
/// otherwise told apart by shape in order, with `Other` keeping any value that fits none.
///
/// A variant that holds a struct holds it in a `Box`. Structs of definitions run to hundreds of
/// bytes while the other alternatives (strings, numbers, lists, open enums) are a few words, and
/// an enum is as big as its biggest variant: clippy's `large_enum_variant` asks for the box.
/// Boxing every struct rather than only those past clippy's threshold keeps each variant's type
/// the same when a schema gains fields, and does not depend on guessing the compiler's layout.
pub fn push_one_of(
    out: &mut String,
    name: &str,
    variants: &[OneOfVariant],
    tag: Option<&str>,
    structs: &BTreeSet<&str>,
) {
    out.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n");
    match tag {
        Some(tag) => push_attribute(out, 0, "serde", &[format!("tag = {}", literal(tag))]),
        None => out.push_str("#[serde(untagged)]\n"),
    }
    out.push_str("#[non_exhaustive]\n");
    push_header(out, 0, &format!("pub enum {name}"), &[], " {");
    for variant in variants {
        push_doc(out, 4, &variant_doc(variant, tag));
        if let Some(value) = variant
            .tag_value
            .as_ref()
            .filter(|v| **v != variant.rust_name)
        {
            push_attribute(out, 4, "serde", &[format!("rename = {}", literal(value))]);
        }
        let ty = type_text(&variant.ty, "");
        let ty = match &variant.ty {
            TypeRef::Named(target) if structs.contains(target.as_str()) => format!("Box<{ty}>"),
            _ => ty,
        };
        push_variant(out, 4, &variant.rust_name, Some(&ty));
    }
    out.push_str(match tag {
        Some(_) => "    /// A kind this version of the crate does not know.\n    #[serde(other)]\n    Other,\n}\n",
        None => "    /// A value that fits none of the alternatives.\n    Other(serde_json::Value),\n}\n",
    });
}

/// The doc line of an alternative: the discriminator value that selects it, or the type it
/// holds (an alternative has no description of its own in a definition).
fn variant_doc(variant: &OneOfVariant, tag: Option<&str>) -> String {
    match (tag, &variant.tag_value) {
        (Some(tag), Some(value)) => format!(" The alternative whose `{tag}` is `{value}`."),
        _ => format!(" The alternative of type `{}`.", type_text(&variant.ty, "")),
    }
}
