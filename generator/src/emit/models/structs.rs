//! A struct per object schema, with the serde attributes of its fields and, where it has
//! required fields, a constructor that takes them.

use super::super::docs::doc_or;
use super::super::layout::expr::{Expr, FieldInit};
use super::super::layout::items::{push_field, push_fn, push_header, push_impl_header, Param};
use super::super::layout::literal;
use super::super::layout::{push_attribute, push_docs};
use super::super::rust::{push_argument_limit, type_text, Argument};
use crate::model::Field;

/// A struct (after its docs) and its constructor.
pub fn push_struct(out: &mut String, name: &str, fields: &[Field]) {
    let use_camel_case = uses_camel_case(fields);
    let required: Vec<&Field> = fields.iter().filter(|f| f.required && !f.flatten).collect();
    out.push_str(if required.is_empty() {
        "#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]\n"
    } else {
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n"
    });
    if use_camel_case {
        out.push_str("#[serde(rename_all = \"camelCase\")]\n");
    }
    out.push_str("#[non_exhaustive]\n");
    if fields.is_empty() {
        // An empty body stays on the struct's line.
        out.push_str(&format!("pub struct {name} {{}}\n"));
    } else {
        push_header(out, 0, &format!("pub struct {name}"), &[], " {");
        for field in fields {
            push_docs(
                out,
                4,
                &doc_or(field.description.as_deref(), &fallback_doc(field)),
            );
            let prefix = format!("pub {}: ", field.rust_name);
            if field.flatten {
                out.push_str("    #[serde(flatten)]\n");
                push_field(out, 4, &prefix, &type_text(&field.ty, ""));
            } else {
                push_serde_attribute(out, field, use_camel_case);
                push_field(out, 4, &prefix, &field_type(field));
            }
        }
        out.push_str("}\n");
    }
    if !required.is_empty() {
        push_constructor(out, name, fields, &required);
    }
}

/// The doc of a field whose schema has no description.
fn fallback_doc(field: &Field) -> String {
    if field.flatten {
        "The object's other properties, by name.".to_owned()
    } else {
        format!("The `{}` property.", field.json_name)
    }
}

/// A field's type: an `Option` unless required and not nullable, an `Option<Option>` where
/// absent and `null` differ, boxed where it contains the struct itself.
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

/// An optional nullable field may be absent, `null` or a value, and the three mean different
/// things (an update clears a field sent as `null`), so it is `Option<Option<T>>`.
fn is_three_state(field: &Field) -> bool {
    !field.required && field.nullable
}

/// A field's `#[serde(...)]`, if it needs one: its JSON name where the field's Rust name (or
/// the container's camelCase) is not it; `default, with = double_option` for three states;
/// and optional fields left out when `None`.
fn push_serde_attribute(out: &mut String, field: &Field, use_camel_case: bool) {
    let serialized_as = if use_camel_case {
        serde_camel_case(&field.rust_name)
    } else {
        field.rust_name.clone()
    };
    let mut arguments: Vec<String> = Vec::new();
    if serialized_as != field.json_name {
        arguments.push(format!("rename = {}", literal(&field.json_name)));
    }
    if is_three_state(field) {
        arguments.push("default".to_owned());
        arguments.push("with = \"crate::runtime::__private::double_option\"".to_owned());
    }
    if !field.required {
        arguments.push("skip_serializing_if = \"Option::is_none\"".to_owned());
    }
    if !arguments.is_empty() {
        push_attribute(out, 4, "serde", &arguments);
    }
}

/// `new` takes the required fields; optional ones start as `None` and are set as public fields.
fn push_constructor(out: &mut String, name: &str, fields: &[Field], required: &[&Field]) {
    push_impl_header(out, 0, &[], None, name);
    out.push_str(
        "    /// Builds a value from its required fields; optional fields start as `None`.\n",
    );
    push_argument_limit(out, 4, required.len(), None);
    let argument = |f: &Field| {
        if f.nullable || f.boxed {
            Argument::plain(field_type(f))
        } else {
            Argument::of(&f.ty, "")
        }
    };
    let arguments: Vec<Argument> = required.iter().map(|f| argument(f)).collect();
    let params: Vec<Param<'_>> = required
        .iter()
        .zip(&arguments)
        .map(|(f, a)| Param {
            name: &f.rust_name,
            ty: Some(&a.ty),
        })
        .collect();
    let inits = fields
        .iter()
        .map(|f| {
            let value = if f.flatten {
                Some(Expr::word("Default::default()"))
            } else if !f.required {
                Some(Expr::word("None"))
            } else {
                let argument = argument(f);
                argument.converted.then(|| argument.value(&f.rust_name))
            };
            FieldInit {
                name: f.rust_name.as_str().into(),
                value,
            }
        })
        .collect();
    let value = Expr::structure("Self", inits);
    push_fn(out, 4, "pub fn new", &params, "Self", &value);
    out.push_str("}\n");
}

/// Whether a struct's fields are renamed with `rename_all = "camelCase"`: when that takes
/// fewer renames than naming each field.
fn uses_camel_case(fields: &[Field]) -> bool {
    renames_with_camel_case(fields) < renames_as_is(fields)
}

fn renames_as_is(fields: &[Field]) -> usize {
    fields
        .iter()
        .filter(|f| !f.flatten && f.rust_name != f.json_name)
        .count()
}

/// Renames needed with `rename_all = "camelCase"`, counting the container attribute itself.
fn renames_with_camel_case(fields: &[Field]) -> usize {
    1 + fields
        .iter()
        .filter(|f| !f.flatten && serde_camel_case(&f.rust_name) != f.json_name)
        .count()
}

/// What serde's `rename_all = "camelCase"` makes of a snake_case field name.
fn serde_camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = false;
    for (i, c) in field.chars().enumerate() {
        if c == '_' {
            capitalize = true;
        } else if capitalize && i > 0 {
            out.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(c);
            capitalize = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::serde_camel_case;

    #[test]
    fn camel_case_matches_serde() {
        assert_eq!(serde_camel_case("role_ids"), "roleIds");
        assert_eq!(serde_camel_case("itwin_id"), "itwinId");
        assert_eq!(serde_camel_case("type_"), "type");
        assert_eq!(serde_camel_case("id"), "id");
    }
}
