//! A call of every operation with placeholder arguments, for the conformance run against a mock
//! server (`tests/prism_conformance.rs`): `tests/generated/calls.rs`.

use super::layout::expr::{Brackets, Expr, FieldInit, Link};
use super::layout::items::push_let;
use super::layout::literal;
use super::rust::type_text;
use crate::model::{Api, BodyKind, MultipartForm, Operation, PartKind, TypeRef};

/// `CALLS`: every operation (twice where `Prefer` selects the shape) of every API, given with
/// its definition file, as a function from a client and inputs to the answer's status.
pub fn table(apis: &[(String, &Api)]) -> String {
    let mut out = String::from(
        "//! Every operation of every API called through the generated client, with placeholder
//! path values and the body the conformance harness gives.
use futures::future::BoxFuture;
use itwin_platform::{Client, Error};
use super::CallInput;
/// One operation call: definition file, operation id (`#representation` for the full
/// shape of a `Prefer` operation), and the call itself, returning the answer's status.
pub struct Call {
    pub file: &'static str,
    pub operation: &'static str,
    pub run: fn(Client, CallInput) -> BoxFuture<'static, Result<u16, Error>>,
}
",
    );
    let entries = apis
        .iter()
        .map(|(_, api)| api.operations.len())
        .sum::<usize>();
    if entries == 0 {
        out.push_str("pub const CALLS: &[Call] = &[];\n");
        return out;
    }
    out.push_str("pub const CALLS: &[Call] = &[\n");
    for (file, api) in apis {
        for op in &api.operations {
            push_entry(&mut out, file, api, op, false);
            if op.prefer.is_some() {
                push_entry(&mut out, file, api, op, true);
            }
        }
    }
    out.push_str("];\n");
    out
}

fn push_entry(out: &mut String, file: &str, api: &Api, op: &Operation, representation: bool) {
    let module = api.module.as_str();
    let models = format!("itwin_platform::{module}::models::");
    let mut args: Vec<Expr<'_>> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| placeholder(&p.ty))
        .collect();
    for body in op.body.iter().filter(|b| b.required) {
        match &body.kind {
            BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. } => {
                args.push(input("body", Some(type_text(ty, &models))))
            }
            BodyKind::Text { .. } => {
                args.push(Expr::call("String::from", vec![Expr::word("\"text\"")]))
            }
            BodyKind::Multipart(form) => args.push(form_placeholder(module, form.as_ref())),
            BodyKind::Binary {
                enum_name,
                content_types,
            } => {
                let first = &content_types[0].rust_name;
                args.push(Expr::word(format!(
                    "itwin_platform::{module}::{enum_name}::{first}"
                )));
                args.push(input("bytes", None));
            }
        }
    }
    let takes_input = if args.is_empty() { "_input" } else { "input" };
    let mut links = vec![
        Link::Method(module.into(), None, Vec::new()),
        Link::Method(op.fn_name.as_str().into(), None, args),
    ];
    if representation {
        links.push(Link::Method("representation".into(), None, Vec::new()));
    }
    let id = if representation {
        format!("{}#representation", op.id)
    } else {
        op.id.clone()
    };
    out.push_str("    Call {\n");
    out.push_str(&format!("        file: {},\n", literal(file)));
    out.push_str(&format!("        operation: {},\n", literal(&id)));
    out.push_str(&format!("        run: |client, {takes_input}| {{\n"));
    out.push_str("            #[allow(deprecated)]\n");
    push_let(
        out,
        12,
        "request",
        &Expr::chain(Expr::word("client"), links),
    );
    out.push_str(
        "            Box::pin(async move {
                request.send_with_response().await.map(|answer| answer.status().as_u16())
            })
        },
    },
",
    );
}

/// `input.<method>()`, with a type argument if given.
fn input(method: &'static str, ty: Option<String>) -> Expr<'static> {
    Expr::chain(
        Expr::word("input"),
        vec![Link::Method(method.into(), ty.map(Into::into), Vec::new())],
    )
}

/// A multipart body with the harness's bytes in each required file and its JSON body in each
/// other required field; optional fields left out.
fn form_placeholder<'a>(module: &str, form: Option<&'a MultipartForm>) -> Expr<'a> {
    let Some(form) = form else {
        return Expr::call("itwin_platform::runtime::MultipartForm::new", Vec::new());
    };
    let file = || {
        Expr::call(
            "itwin_platform::runtime::FilePart::from",
            vec![input("bytes", None)],
        )
    };
    let mut fields = Vec::new();
    for part in &form.parts {
        let value = match (&part.kind, part.required) {
            (_, false) => Expr::word("None"),
            (PartKind::File, true) => file(),
            (PartKind::Files, true) => {
                Expr::Macro("vec".into(), Brackets::Square, Box::new(file()))
            }
            (_, true) => input("body", None),
        };
        fields.push(FieldInit {
            name: part.rust_name.as_str().into(),
            value: Some(value),
        });
        for header in &part.headers {
            let value = if part.required && header.required {
                input("body", None)
            } else {
                Expr::word("None")
            };
            fields.push(FieldInit {
                name: header.rust_name.as_str().into(),
                value: Some(value),
            });
        }
    }
    Expr::structure(
        format!("itwin_platform::{module}::{}", form.type_name),
        fields,
    )
}

/// A value for a required parameter: the harness's placeholder id for strings.
fn placeholder(ty: &TypeRef) -> Expr<'static> {
    match ty {
        TypeRef::Boolean => Expr::word("true"),
        TypeRef::I32 | TypeRef::I64 => Expr::word("1"),
        TypeRef::F32 | TypeRef::F64 => Expr::word("1.0"),
        TypeRef::Uuid => input("uuid", None),
        TypeRef::DateTime => input("date_time", None),
        _ => input("id", None),
    }
}
