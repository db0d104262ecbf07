//! What a generated item says, decided once for both of its writers: the tokens formatted by
//! prettyplease (`operations`, `types`) and the text written directly (`direct`).

use super::syntax::type_text;
use crate::model::{Field, OneOfVariant, TypeDef, TypeKind, TypeRef};

/// Clippy's default limit of a function's arguments (`self` included): structs with more
/// required fields get `#[allow(clippy::too_many_arguments)]` on `new`, and so do client
/// methods with more.
pub const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// An argument's type and the expression that turns the argument into the stored value:
/// strings are taken as `impl Into<String>` so that callers can pass `&str`; `models` is the
/// path prefix of named types.
pub(super) fn argument(ty: &TypeRef, name: &str, models: &str) -> (String, String) {
    match ty {
        TypeRef::String => ("impl Into<String>".to_owned(), format!("{name}.into()")),
        other => (type_text(other, models), name.to_owned()),
    }
}

/// The doc of a type whose schema has no description: what kind of value it is.
pub(super) fn undescribed_type(def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Struct(_) => format!("A `{}` object.", def.name),
        TypeKind::Enum(_) => format!("The values a `{}` can take.", def.name),
        TypeKind::OneOf { .. } => format!("A `{}`: one of several shapes.", def.name),
        TypeKind::Alias(_) => format!("A `{}` value.", def.name),
    }
}

/// The doc line of a `oneOf` alternative: the discriminator value that selects it, or the type
/// it holds (an alternative has no description of its own in a definition).
pub(super) fn one_of_variant_doc(variant: &OneOfVariant, tag: Option<&str>) -> String {
    match (tag, &variant.tag_value) {
        (Some(tag), Some(value)) => format!(" The alternative whose `{tag}` is `{value}`."),
        _ => format!(" The alternative of type `{}`.", type_text(&variant.ty, "")),
    }
}

/// Whether a struct's fields are renamed with `rename_all = "camelCase"`: when that takes
/// fewer renames than naming each field.
pub(super) fn uses_camel_case(fields: &[Field]) -> bool {
    renames_with_camel_case(fields) < renames_as_is(fields)
}

/// The doc of a field whose schema has no description.
pub(super) fn field_fallback_doc(field: &Field) -> String {
    if field.flatten {
        "The object's other properties, by name.".to_owned()
    } else {
        format!("The `{}` property.", field.json_name)
    }
}

/// How serde writes a field that is not flattened, in the order of its `#[serde]` arguments.
pub(super) struct SerdeField<'f> {
    /// The JSON name, where the field's Rust name (or the container's camelCase) is not it.
    pub rename: Option<&'f str>,
    /// `default, with = double_option`: absent, `null` and a value are told apart.
    pub three_state: bool,
    /// `skip_serializing_if = "Option::is_none"`.
    pub skip_none: bool,
}

pub(super) fn serde_field(field: &Field, use_camel_case: bool) -> SerdeField<'_> {
    let serialized_as = if use_camel_case {
        serde_camel_case(&field.rust_name)
    } else {
        field.rust_name.clone()
    };
    SerdeField {
        rename: (serialized_as != field.json_name).then_some(field.json_name.as_str()),
        three_state: is_three_state(field),
        skip_none: !field.required,
    }
}

/// An optional nullable field may be absent, `null` or a value, and the three mean different
/// things (an update clears a field sent as `null`), so it is `Option<Option<T>>`.
pub(super) fn is_three_state(field: &Field) -> bool {
    !field.required && field.nullable
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
