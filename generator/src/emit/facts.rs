//! What a generated item says, decided once for both of its writers: the tokens formatted by
//! prettyplease (`operations`, `types`) and the text written directly (`direct`).

use super::docs::doc_lines;
use super::syntax::type_text;
use crate::model::{
    Api, Body, BodyKind, Field, OneOfVariant, Operation, Param, ParamLocation, TypeDef, TypeKind,
    TypeRef,
};

/// Clippy's default limit of a function's arguments (`self` included): structs with more
/// required fields get `#[allow(clippy::too_many_arguments)]` on `new`, and so do client
/// methods with more.
pub const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// The doc lines of an operation's client method: its summary and description, its route, its
/// required arguments (`(name, description)`) and the answer headers it documents.
pub(super) fn client_method_docs(op: &Operation, args: &[(&str, Option<&str>)]) -> Vec<String> {
    let route = format!("`{} {}`", op.method.as_str(), op.path);
    let arguments: Vec<String> = args
        .iter()
        .filter_map(|(name, description)| {
            description.map(|d| {
                format!(
                    "- `{name}`: {}",
                    d.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            })
        })
        .collect();
    let arguments = (!arguments.is_empty()).then(|| arguments.join("\n"));
    let headers = (!op.response_headers.is_empty()).then(|| {
        let names: Vec<String> = op.response_headers.iter().map(|h| format!("`{h}`")).collect();
        format!(
            "The answer documents the header(s) {}: read them from [`send_with_response`]({}::send_with_response).",
            names.join(", "),
            op.builder_name
        )
    });
    doc_lines(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&route),
        arguments.as_deref(),
        headers.as_deref(),
    ])
}

/// A required argument of a client method: its name, its type and how the stored value is made
/// from it (as text), and its docs.
pub(super) struct Argument<'a> {
    pub name: &'a str,
    pub ty: String,
    pub init: String,
    pub description: Option<&'a str>,
}

/// The client method's arguments: the required parameters, then the media type of a binary
/// body and the body, if it is required.
pub(super) fn required_args(op: &Operation) -> Vec<Argument<'_>> {
    let mut args: Vec<Argument<'_>> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let (ty, init) = argument(&p.ty, &p.rust_name, MODELS);
            Argument {
                name: &p.rust_name,
                ty,
                init,
                description: p.description.as_deref(),
            }
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        if let BodyKind::Binary { enum_name, .. } = &body.kind {
            args.push(Argument {
                name: "content_type",
                ty: enum_name.clone(),
                init: "content_type".to_owned(),
                description: Some("The media type of `body`."),
            });
        }
        let (ty, init) = body_argument(body);
        args.push(Argument {
            name: "body",
            ty,
            init,
            description: body.description.as_deref(),
        });
    }
    args
}

/// Named types as an API's module refers to them.
pub(super) const MODELS: &str = "models::";

/// An argument's type and the expression that turns the argument into the stored value:
/// strings are taken as `impl Into<String>` so that callers can pass `&str`; `models` is the
/// path prefix of named types.
pub(super) fn argument(ty: &TypeRef, name: &str, models: &str) -> (String, String) {
    match ty {
        TypeRef::String => ("impl Into<String>".to_owned(), format!("{name}.into()")),
        other => (type_text(other, models), name.to_owned()),
    }
}

/// How a body is taken as an argument: JSON as its model, a binary upload as anything that
/// becomes an `UploadBody` (bytes, a file, a stream), text as anything that becomes a
/// `String`, multipart as its parts.
pub(super) fn body_argument(body: &Body) -> (String, String) {
    match &body.kind {
        BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. } => argument(ty, "body", MODELS),
        BodyKind::Binary { .. } => (
            "impl Into<crate::runtime::UploadBody>".to_owned(),
            "body.into()".to_owned(),
        ),
        BodyKind::Text { .. } => ("impl Into<String>".to_owned(), "body.into()".to_owned()),
        BodyKind::Multipart(Some(form)) => (form.type_name.clone(), "body".to_owned()),
        BodyKind::Multipart(None) => ("MultipartForm".to_owned(), "body".to_owned()),
    }
}

/// The doc line of an operation's request builder, which points to its client method.
pub(super) fn builder_doc(api: &Api, op: &Operation) -> String {
    let has_options =
        op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required);
    let next_step = if has_options {
        "set optional parameters, then call"
    } else {
        "call"
    };
    format!(
        " Request of [`{}::{}`]: {next_step} [`send`](Self::send).",
        api.client_name, op.fn_name
    )
}

/// The doc of an optional parameter's setter whose parameter has no description.
pub(super) fn setter_fallback_doc(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    format!("Sets the optional {location} parameter `{}`.", param.name)
}

/// The doc of an optional body's setter whose body has no description.
pub(super) const BODY_SETTER_DOC: &str =
    "Sets the request body, which this operation does not require.";

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
