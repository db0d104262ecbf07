//! Request bodies: how a builder stores a body, how a caller gives it, and the media types a
//! binary body may be sent as.

use super::layout::expr::Expr;
use super::layout::items::{
    push_arm, push_header, push_impl_header, push_signature, push_variant, Param,
};
use super::layout::literal;
use super::layout::push_doc;
use super::rust::{type_text, Argument, MODELS};
use crate::model::{Body, BodyKind};

/// The type of a builder's `body` field.
pub fn field_type(body: &Body) -> String {
    match &body.kind {
        BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. } => type_text(ty, MODELS),
        BodyKind::Binary { .. } => "crate::runtime::UploadBody".to_owned(),
        BodyKind::Multipart(Some(form)) => form.type_name.clone(),
        BodyKind::Multipart(None) => "MultipartForm".to_owned(),
        BodyKind::Text { .. } => "String".to_owned(),
    }
}

/// How a body is taken as an argument: JSON as its model, a binary upload as anything that
/// becomes an `UploadBody` (bytes, a file, a stream), text as anything that becomes a
/// `String`, multipart as its parts.
pub fn argument(body: &Body) -> Argument {
    match &body.kind {
        BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. } => Argument::of(ty, MODELS),
        BodyKind::Binary { .. } => Argument::converted("crate::runtime::UploadBody"),
        BodyKind::Text { .. } => Argument::converted("String"),
        BodyKind::Multipart(Some(form)) => Argument::plain(form.type_name.as_str()),
        BodyKind::Multipart(None) => Argument::plain("MultipartForm"),
    }
}

/// The enum of the media types a binary body may be sent as, which a caller gives with the
/// body; `None` for other bodies.
pub fn content_type(body: &Body) -> Option<&str> {
    match &body.kind {
        BodyKind::Binary { enum_name, .. } => Some(enum_name),
        _ => None,
    }
}

/// The enum of the media types a binary body may be sent as, and its `as_str`.
pub fn push_content_types(out: &mut String, body: &Body) {
    let BodyKind::Binary {
        content_types,
        enum_name,
    } = &body.kind
    else {
        return;
    };
    out.push_str("/// The media types the body may be sent as.\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n");
    push_header(out, 0, &format!("pub enum {enum_name}"), &[], " {");
    for content_type in content_types {
        push_doc(out, 4, &format!(" `{}`", content_type.value));
        push_variant(out, 4, &content_type.rust_name, None);
    }
    out.push_str("}\n");
    push_impl_header(out, 0, &[], None, enum_name);
    out.push_str("    /// The media type as sent in `Content-Type`.\n");
    let receiver = [Param {
        name: "self",
        ty: None,
    }];
    push_signature(out, 4, "pub fn as_str", &receiver, "&'static str");
    out.push_str("        match self {\n");
    for content_type in content_types {
        let pattern = format!("Self::{}", content_type.rust_name);
        push_arm(out, 12, &pattern, &Expr::word(literal(&content_type.value)));
    }
    out.push_str("        }\n    }\n}\n");
}
