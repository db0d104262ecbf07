//! The request builder of an operation whose answer has two shapes, chosen with the `Prefer`
//! header: a type parameter (`Minimal` or `Representation`) sends the header and picks the
//! answer's type.

use super::answers::push_status_enum;
use super::builder::{
    push_body_types, push_fields, push_setters, push_struct_head, push_with_options, Store,
};
use super::client::{has_parameters, parameters_name};
use super::layout::expr::{Expr, FieldInit, Link};
use super::layout::items::{push_fn, push_header, push_impl_header, Param};
use super::layout::literal;
use super::layout::push_doc;
use super::request::{expression, push_request_fn};
use super::send::push_methods;
use crate::model::{Api, Operation, PreferShapes, Response};

/// `op`'s builder, generic in the answer's shape: its struct, the struct of its parameters, its
/// `impl` blocks (shared, then by shape), and the enums and structs of its answers and body.
pub fn builder(api: &Api, op: &Operation, prefer: &PreferShapes) -> String {
    let name = op.builder_name.as_str();
    let mut out = String::new();
    let notes = "///
/// The service answers with the minimal shape unless [`representation`](Self::representation)
/// asks for the full one.
";
    push_struct_head(&mut out, api, op, notes, &["Shape = Minimal"]);
    // The parameters live in a struct of their own, so that choosing the shape moves them as
    // one value.
    let parameters = has_parameters(op).then(|| parameters_name(op));
    if let Some(parameters) = &parameters {
        out.push_str(&format!("    params: {parameters},\n"));
    }
    out.push_str("    shape: std::marker::PhantomData<Shape>,\n}\n");
    let prefer_header = Link::Method(
        "header".into(),
        None,
        vec![
            Expr::word(literal(&prefer.header)),
            Expr::word("&Shape::PREFER").some(),
        ],
    );
    let request = match &parameters {
        Some(parameters) => {
            push_doc(
                &mut out,
                0,
                &format!(" The parameters of [`{name}`], whichever answer shape it asks for."),
            );
            out.push_str("#[derive(Debug, Clone)]\n");
            push_header(&mut out, 0, &format!("struct {parameters}"), &[], " {");
            push_fields(&mut out, op);
            out.push_str("}\n");
            push_impl_header(&mut out, 0, &[], None, parameters);
            push_request_fn(&mut out, &expression(op, Vec::new()));
            out.push_str("}\n");
            Expr::self_field(
                "params",
                vec![
                    Link::Method("request".into(), None, Vec::new()),
                    prefer_header,
                ],
            )
        }
        None => expression(op, vec![prefer_header]),
    };
    push_impl_header(
        &mut out,
        0,
        &["Shape: ResponseShape"],
        None,
        &format!("{name}<Shape>"),
    );
    push_setters(&mut out, op, Store::Parameters);
    push_with_options(&mut out);
    push_request_fn(&mut out, &request);
    out.push_str("}\n");
    push_impl_header(&mut out, 0, &[], None, &format!("{name}<Minimal>"));
    out.push_str(
        "    /// Asks for the full representation (`Prefer: return=representation`) instead of the
    /// minimal one.
",
    );
    let receiver = [Param {
        name: "self",
        ty: None,
    }];
    let full = format!("{name}<Representation>");
    let moved = |field: &'static str| FieldInit {
        name: field.into(),
        value: Some(Expr::word(format!("self.{field}"))),
    };
    let mut fields = vec![moved("client")];
    if parameters.is_some() {
        fields.push(moved("params"));
    }
    fields.push(FieldInit {
        name: "shape".into(),
        value: Some(Expr::word("std::marker::PhantomData")),
    });
    let moved = Expr::structure(name, fields);
    push_fn(
        &mut out,
        4,
        "pub fn representation",
        &receiver,
        &full,
        &moved,
    );
    push_methods(&mut out, api, &op.response);
    out.push_str("}\n");
    push_impl_header(&mut out, 0, &[], None, &full);
    push_methods(&mut out, api, &prefer.representation);
    out.push_str("}\n");
    for response in [&op.response, &prefer.representation] {
        if let Response::ByStatus { name, variants } = response {
            push_status_enum(&mut out, op, name, variants);
        }
    }
    push_body_types(&mut out, op);
    out
}
