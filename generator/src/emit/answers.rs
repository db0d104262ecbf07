//! An answer by status: an enum with one variant per documented success status, and how an
//! answer picks one.

use super::docs::doc_lines;
use super::layout::expr::{Expr, Link};
use super::layout::items::{push_arm, push_header, push_impl_header, push_variant};
use super::layout::{push_attribute, push_doc, push_docs};
use super::send::output;
use crate::model::{Operation, Response, StatusVariant};

/// The enum `name` of what `op` answers, by status, and its `from_answer`.
pub fn push_status_enum(out: &mut String, op: &Operation, name: &str, variants: &[StatusVariant]) {
    push_doc(
        out,
        0,
        &format!(" What [`{}`] answers, by status.", op.builder_name),
    );
    out.push_str("#[derive(Debug, Clone, PartialEq)]\n#[non_exhaustive]\n");
    // A model can be far larger than a status without body; the answer is matched once, so
    // boxing it would only add a deref to every use.
    if variants.iter().any(|v| matches!(v.body, Response::Json(_))) {
        push_attribute(
            out,
            0,
            "allow",
            &[
                "clippy::large_enum_variant",
                "reason = \"an answer is matched once, not stored in bulk\"",
            ],
        );
    }
    push_header(out, 0, &format!("pub enum {name}"), &[], " {");
    for variant in variants {
        let line = match &variant.description {
            Some(description) => format!("{}: {}", variant.status, description.trim()),
            None => format!("{}.", variant.status),
        };
        push_docs(out, 4, &doc_lines(&[Some(&line)]));
        let ty = (variant.body != Response::Empty).then(|| output(&variant.body));
        push_variant(out, 4, &variant.rust_name, ty.as_deref());
    }
    out.push_str("}\n");
    push_impl_header(out, 0, &[], None, name);
    out.push_str("    fn from_answer(answer: &Answer) -> Result<Self, Error> {\n");
    out.push_str("        match answer.status() {\n");
    for variant in variants {
        let constructor = format!("Self::{}", variant.rust_name);
        let answer = |method: &'static str| {
            Expr::chain(
                Expr::word("answer"),
                vec![Link::Method(method.into(), None, Vec::new())],
            )
        };
        let decoded = |method: &'static str| {
            Expr::chain(
                Expr::word("answer"),
                vec![
                    Link::Method(method.into(), None, Vec::new()),
                    Link::Method("map".into(), None, vec![Expr::word(constructor.as_str())]),
                ],
            )
        };
        let body = match &variant.body {
            Response::Empty => Expr::call("Ok", vec![Expr::word(constructor.as_str())]),
            Response::Bytes => Expr::call(
                "Ok",
                vec![Expr::call(constructor.as_str(), vec![answer("bytes")])],
            ),
            Response::Text => decoded("text"),
            _ => decoded("json"),
        };
        push_arm(out, 12, &variant.status.to_string(), &body);
    }
    out.push_str("            _ => Err(answer.undocumented_status()),\n");
    out.push_str("        }\n    }\n}\n");
}
