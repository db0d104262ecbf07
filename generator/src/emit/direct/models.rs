//! A model's open enum and struct, as text.

use super::super::docs::doc_or_lines;
use super::super::facts::{
    argument, field_fallback_doc, is_three_state, one_of_variant_doc, serde_field,
    undescribed_type, uses_camel_case, CLIPPY_MAX_ARGUMENTS,
};
use super::{
    fits, literal, push_docs, push_line, push_signature, push_struct_literal, push_typed,
    type_text, Init, MARGIN,
};
use std::collections::BTreeSet;

use crate::model::{Field, OneOfVariant, TypeDef, TypeKind, TypeRef, Variant};

/// The text of a model, where the layout is certain; `structs` are the names of the types
/// that are structs (a `oneOf` boxes them).
pub fn type_def(def: &TypeDef, structs: &BTreeSet<&str>) -> Option<String> {
    let docs = doc_or_lines(def.description.as_deref(), &undescribed_type(def));
    match &def.kind {
        TypeKind::Enum(variants) => open_enum(&def.name, &docs, variants),
        TypeKind::Struct(fields) => structure(&def.name, &docs, fields),
        TypeKind::OneOf { variants, tag } => {
            one_of(&def.name, &docs, variants, tag.as_deref(), structs)
        }
        TypeKind::Alias(target) => {
            let mut out = String::new();
            push_docs(&mut out, "", &docs);
            let prefix = format!("pub type {} = ", def.name);
            push_typed(&mut out, 0, &prefix, &type_text(target, ""), ";", false);
            Some(out)
        }
    }
}

/// `types::one_of`: an enum of the alternatives, tagged or told apart by shape.
fn one_of(
    name: &str,
    docs: &[String],
    variants: &[OneOfVariant],
    tag: Option<&str>,
    structs: &BTreeSet<&str>,
) -> Option<String> {
    let mut out = String::new();
    push_docs(&mut out, "", docs);
    out.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n");
    match tag {
        Some(tag) => push_line(&mut out, "", &format!("#[serde(tag = {})]", literal(tag)))?,
        None => out.push_str("#[serde(untagged)]\n"),
    }
    out.push_str(&format!("#[non_exhaustive]\npub enum {name} {{\n"));
    for variant in variants {
        push_docs(&mut out, "    ", &[one_of_variant_doc(variant, tag)]);
        if let Some(value) = variant
            .tag_value
            .as_ref()
            .filter(|v| **v != variant.rust_name)
        {
            push_line(
                &mut out,
                "    ",
                &format!("#[serde(rename = {})]", literal(value)),
            )?;
        }
        let ty = type_text(&variant.ty, "");
        let ty = match &variant.ty {
            TypeRef::Named(target) if structs.contains(target.as_str()) => format!("Box<{ty}>"),
            _ => ty,
        };
        let line = format!("{}({ty}),", variant.rust_name);
        if 4 + line.len() <= MARGIN {
            out.push_str(&format!("    {line}\n"));
        } else {
            // The type on a line of its own, as the only field of the variant.
            out.push_str(&format!("    {}(\n", variant.rust_name));
            push_typed(&mut out, 8, "", &ty, ",", true);
            out.push_str("    ),\n");
        }
    }
    out.push_str(match tag {
        Some(_) => "    /// A kind this version of the crate does not know.\n    #[serde(other)]\n    Other,\n}\n",
        None => "    /// A value that fits none of the alternatives.\n    Other(serde_json::Value),\n}\n",
    });
    Some(out)
}

/// `types::open_enum`: the enum, its values and the runtime's conversions.
fn open_enum(name: &str, docs: &[String], variants: &[Variant]) -> Option<String> {
    let mut out = String::new();
    push_docs(&mut out, "", docs);
    out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
    out.push_str(&format!("pub enum {name} {{\n"));
    for variant in variants {
        // A value with a line break is a `#[doc]` prettyplease does not print as `///`.
        if variant.value.contains('\n') {
            return None;
        }
        push_docs(&mut out, "    ", &[format!(" `{}`", variant.value)]);
        out.push_str(&format!("    {},\n", variant.rust_name));
    }
    out.push_str(
        "    /// A value this version of the crate does not know.\n    Unknown(String),\n}\n",
    );
    let head = format!("impl crate::runtime::__private::OpenEnum for {name} {{");
    if head.len() <= MARGIN {
        out.push_str(&head);
    } else {
        out.push_str(&format!(
            "impl crate::runtime::__private::OpenEnum\nfor {name} {{"
        ));
    }
    out.push('\n');
    let values: Vec<(String, String)> = variants
        .iter()
        .map(|v| (format!("Self::{}", v.rust_name), literal(&v.value)))
        .collect();
    let tuple = |(variant, value): &(String, String)| format!("({variant}, {value})");
    let start = "const VALUES: &'static [(Self, &'static str)] = &[";
    let tuples: Vec<String> = values.iter().map(tuple).collect();
    let one_line = format!("{start}{}];", tuples.join(", "));
    if 4 + one_line.len() <= MARGIN {
        out.push_str(&format!("    {one_line}\n"));
    } else {
        out.push_str(&format!("    {start}\n"));
        for (i, line) in tuples.iter().enumerate() {
            if fits(8, &format!("{line},"), ",", i + 1 == values.len()) {
                out.push_str(&format!("        {line},\n"));
            } else {
                // A pair too long for its line: one element per line.
                let (variant, value) = &values[i];
                out.push_str(&format!(
                    "        (\n            {variant},\n            {value},\n        ),\n"
                ));
            }
        }
        out.push_str("    ];\n");
    }
    out.push_str("}\n");
    let conversions = format!("crate::runtime::__private::open_enum!({name});");
    if conversions.len() <= MARGIN {
        out.push_str(&conversions);
        out.push('\n');
    } else {
        out.push_str(&format!(
            "crate::runtime::__private::open_enum!(\n    {name}\n);\n"
        ));
    }
    Some(out)
}

/// `types::structure`: the struct and, where it has required fields, its constructor.
fn structure(name: &str, docs: &[String], fields: &[Field]) -> Option<String> {
    let use_camel_case = uses_camel_case(fields);
    let required: Vec<&Field> = fields.iter().filter(|f| f.required && !f.flatten).collect();
    let mut out = String::new();
    push_docs(&mut out, "", docs);
    out.push_str(if required.is_empty() {
        "#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]\n"
    } else {
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n"
    });
    if use_camel_case {
        out.push_str("#[serde(rename_all = \"camelCase\")]\n");
    }
    out.push_str(&format!("#[non_exhaustive]\npub struct {name} {{"));
    // An empty body stays on the struct's line.
    if !fields.is_empty() {
        out.push('\n');
    }
    for field in fields {
        let fallback = field_fallback_doc(field);
        push_docs(
            &mut out,
            "    ",
            &doc_or_lines(field.description.as_deref(), &fallback),
        );
        let ty = if field.flatten {
            out.push_str("    #[serde(flatten)]\n");
            type_text(&field.ty, "")
        } else {
            push_serde_attribute(&mut out, field, use_camel_case);
            field_type(field)
        };
        push_typed(
            &mut out,
            4,
            &format!("pub {}: ", field.rust_name),
            &ty,
            ",",
            false,
        );
    }
    out.push_str("}\n");
    if !required.is_empty() {
        push_constructor(&mut out, name, fields, &required)?;
    }
    Some(out)
}

/// A field's `#[serde(...)]`, if it needs one: on one line where it fits, otherwise one
/// argument per line.
fn push_serde_attribute(out: &mut String, field: &Field, use_camel_case: bool) {
    let serde = serde_field(field, use_camel_case);
    let mut args: Vec<String> = Vec::new();
    if let Some(json_name) = serde.rename {
        args.push(format!("rename = {}", literal(json_name)));
    }
    if serde.three_state {
        args.push("default".to_owned());
        args.push("with = \"crate::runtime::__private::double_option\"".to_owned());
    }
    if serde.skip_none {
        args.push("skip_serializing_if = \"Option::is_none\"".to_owned());
    }
    if args.is_empty() {
        return;
    }
    let one_line = format!("#[serde({})]", args.join(", "));
    if 4 + one_line.len() <= MARGIN {
        out.push_str(&format!("    {one_line}\n"));
        return;
    }
    out.push_str("    #[serde(\n");
    out.push_str(&format!("        {}\n", args.join(",\n        ")));
    out.push_str("    )]\n");
}

/// `types::field_type` as text.
fn field_type(field: &Field) -> String {
    let ty = type_text(&field.ty, "");
    let ty = if field.boxed {
        format!("Box<{ty}>")
    } else {
        ty
    };
    if is_three_state(field) {
        format!("Option<Option<{ty}>>")
    } else if field.required && !field.nullable {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// `types::constructor`: `new` with the required fields.
fn push_constructor(
    out: &mut String,
    name: &str,
    fields: &[Field],
    required: &[&Field],
) -> Option<()> {
    out.push_str(&format!("impl {name} {{\n"));
    out.push_str(
        "    /// Builds a value from its required fields; optional fields start as `None`.\n",
    );
    if required.len() > CLIPPY_MAX_ARGUMENTS {
        out.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    let params: Vec<(String, Option<String>)> = required
        .iter()
        .map(|f| {
            let ty = if f.nullable || f.boxed {
                field_type(f)
            } else {
                argument(&f.ty, &f.rust_name, "").0
            };
            (f.rust_name.clone(), Some(ty))
        })
        .collect();
    push_signature(out, "pub fn new", &params, "Self")?;
    let inits: Vec<Init> = fields
        .iter()
        .map(|f| {
            let field = &f.rust_name;
            let value = match (f.required, f.nullable, &f.ty) {
                _ if f.flatten => Some("Default::default()".to_owned()),
                (false, _, _) => Some("None".to_owned()),
                (true, false, TypeRef::String) if !f.boxed => Some(format!("{field}.into()")),
                (true, _, _) => None,
            };
            Init::new(field, value)
        })
        .collect();
    push_struct_literal(out, 8, "Self", &inits)?;
    out.push_str("    }\n}\n");
    Some(())
}
