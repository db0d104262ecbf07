//! The typed parts of a `multipart/form-data` body: a struct beside its builder, and how it
//! fills the runtime's `MultipartForm`.

use super::docs::doc_lines;
use super::layout::expr::{Expr, Link};
use super::layout::items::{push_field, push_header, push_impl_header, push_statement};
use super::layout::literal;
use super::layout::push_docs;
use super::rust::{display_value, type_text, MODELS, RFC3339};
use crate::model::{FormPart, MultipartForm, PartHeader, PartKind, TypeRef};

/// The struct of a form's parts, and its `to_form`.
pub fn push_form_type(out: &mut String, form: &MultipartForm, builder: &str) {
    let default_doc = format!("The parts of the `multipart/form-data` body of [`{builder}`].");
    let description = form.description.as_deref().unwrap_or(&default_doc);
    push_docs(out, 0, &doc_lines(&[Some(description)]));
    let all_optional = form
        .parts
        .iter()
        .all(|p| !p.required && p.headers.iter().all(|h| !header_required(p, h)));
    out.push_str(if all_optional {
        "#[derive(Debug, Clone, Default)]\n"
    } else {
        "#[derive(Debug, Clone)]\n"
    });
    push_header(out, 0, &format!("pub struct {}", form.type_name), &[], " {");
    for part in &form.parts {
        push_part_field(
            out,
            &part.rust_name,
            &part_type(part),
            part.required,
            &part_doc(part),
        );
        for header in &part.headers {
            let line = format!("The `{}` header of the `{}` part.", header.name, part.name);
            push_part_field(
                out,
                &header.rust_name,
                &type_text(&header.ty, MODELS),
                header_required(part, header),
                &[Some(line), header.description.clone()],
            );
        }
    }
    out.push_str("}\n");
    push_impl_header(out, 0, &[], None, &form.type_name);
    out.push_str("    fn to_form(&self) -> MultipartForm {\n");
    let new = Expr::call("MultipartForm::new", Vec::new());
    let calls: Vec<Link<'_>> = form.parts.iter().flat_map(part_calls).collect();
    let form = if calls.is_empty() {
        new
    } else {
        Expr::chain(new, calls)
    };
    push_statement(out, 8, &form, false);
    out.push_str("    }\n}\n");
}

/// Whether any operation's form has a file field, so that the module imports `FilePart`.
pub fn has_files<'a>(mut forms: impl Iterator<Item = &'a MultipartForm>) -> bool {
    forms.any(|form| {
        form.parts
            .iter()
            .any(|p| matches!(p.kind, PartKind::File | PartKind::Files))
    })
}

/// A header is required only where its part is: an optional part left out sends no header.
fn header_required(part: &FormPart, header: &PartHeader) -> bool {
    part.required && header.required
}

fn push_part_field(
    out: &mut String,
    name: &str,
    ty: &str,
    required: bool,
    lines: &[Option<String>],
) {
    let lines: Vec<Option<&str>> = lines.iter().map(Option::as_deref).collect();
    push_docs(out, 4, &doc_lines(&lines));
    let prefix = format!("pub {name}: ");
    if required {
        push_field(out, 4, &prefix, ty);
    } else {
        push_field(out, 4, &prefix, &format!("Option<{ty}>"));
    }
}

fn part_type(part: &FormPart) -> String {
    match &part.kind {
        PartKind::Text(ty) | PartKind::Json(ty) => type_text(ty, MODELS),
        PartKind::TextEach(ty) => format!("Vec<{}>", type_text(ty, MODELS)),
        PartKind::File => "FilePart".to_owned(),
        PartKind::Files => "Vec<FilePart>".to_owned(),
    }
}

/// The property's description, and the media type the definition sends it as, if it names one.
fn part_doc(part: &FormPart) -> [Option<String>; 2] {
    let sent_as = part.content_type.as_ref().map(|ct| match part.kind {
        PartKind::File | PartKind::Files => {
            format!("Sent as `{ct}` unless the file part gives its own content type.")
        }
        _ => format!("Sent as `{ct}`."),
    });
    [part.description.clone(), sent_as]
}

/// The `MultipartForm` calls that add a part, its content type and its headers.
fn part_calls<'a>(part: &'a FormPart) -> Vec<Link<'a>> {
    let name = || Expr::word(literal(&part.name));
    let field = part.rust_name.as_str();
    let method = |name: &'static str| Link::Method(name.into(), None, Vec::new());
    let each = |then: Option<Link<'static>>| {
        let mut links = vec![method("iter")];
        if !part.required {
            links.push(method("flatten"));
        }
        links.extend(then);
        Expr::self_field(field, links)
    };
    let one = || {
        if part.required {
            Expr::self_field(field, Vec::new()).reference().some()
        } else {
            Expr::self_field(field, vec![method("as_ref")])
        }
    };
    fn add<'a>(method: &'static str, name: Expr<'a>, value: Expr<'a>) -> Link<'a> {
        Link::Method(method.into(), None, vec![name, value])
    }
    let call = |method: &'static str, value: Expr<'a>| add(method, name(), value);
    let add = match &part.kind {
        PartKind::Text(ty) => call("text", display_value(field, ty, part.required)),
        PartKind::TextEach(TypeRef::DateTime) => call(
            "text_each",
            each(Some(Link::Method(
                "map".into(),
                None,
                vec![Expr::word(RFC3339)],
            ))),
        ),
        PartKind::TextEach(_) => call("text_each", each(None)),
        PartKind::Json(_) => call("json", one()),
        PartKind::File => call("file", one()),
        PartKind::Files => call("files", each(None)),
    };
    let mut calls = vec![add];
    if let Some(content_type) = &part.content_type {
        calls.push(Link::Method(
            "content_type".into(),
            None,
            vec![Expr::word(literal(content_type))],
        ));
    }
    for header in &part.headers {
        let value = display_value(&header.rust_name, &header.ty, header_required(part, header));
        calls.push(Link::Method(
            "part_header".into(),
            None,
            vec![Expr::word(literal(&header.name)), value],
        ));
    }
    calls
}
