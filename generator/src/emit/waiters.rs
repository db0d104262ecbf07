//! The `wait` methods of start answers: each builds a runtime `Waiter` from a constant
//! `WaitSpec` and a closure that calls the poll operation; the loop itself is in the runtime.

use super::docs::doc_lines;
use super::layout::expr::{Expr, FieldInit, Link};
use super::layout::items::{
    push_const, push_impl_header, push_let, push_signature, push_statement, Param,
};
use super::layout::literal;
use super::layout::push_docs;
use super::rust::{type_text, MODELS};
use crate::model::{Api, Waiter};

/// `impl models::Start { pub fn wait(...) }` for every waiter of `api`.
pub fn impls(api: &Api) -> String {
    let mut out = String::new();
    for waiter in &api.waiters {
        push_wait_method(&mut out, api, waiter);
    }
    out
}

/// The runtime items the waiters use, if there are any.
pub fn push_imports(out: &mut String, api: &Api) {
    if !api.waiters.is_empty() {
        out.push_str("use crate::runtime::{WaitSpec, Waiter};\n");
    }
}

fn push_wait_method(out: &mut String, api: &Api, waiter: &Waiter) {
    let quoted = |states: &[String]| {
        states
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let summary = format!(
        "Waits for the job this answer of [`{client}::{start_fn}`] started to end, polling \
         [`{client}::{poll_fn}`].",
        client = api.client_name,
        start_fn = waiter.start_fn,
        poll_fn = waiter.poll_fn,
    );
    let mut ends = format!(
        "The state at `{}` of its answer ends the wait when it is {}: the waiter then gives \
         that answer.",
        waiter.state,
        quoted(&waiter.success)
    );
    if !waiter.failure.is_empty() {
        ends.push_str(&format!(
            " When it is {}, the waiter fails with [`Error::Wait`].",
            quoted(&waiter.failure)
        ));
    }
    let limits = "See [`Waiter`] for the intervals between polls and the longest wait.";
    push_impl_header(out, 0, &[], None, &format!("{MODELS}{}", waiter.start_type));
    push_docs(
        out,
        4,
        &doc_lines(&[Some(&summary), Some(&ends), Some(limits)]),
    );
    let params = [
        Param {
            name: "&self",
            ty: None,
        },
        Param {
            name: "client",
            ty: Some("&Client"),
        },
    ];
    let output = format!("Waiter<{}>", type_text(&waiter.poll_type, MODELS));
    push_signature(
        out,
        4,
        &format!("pub fn {}", waiter.method),
        &params,
        &output,
    );
    let strings = |values: &[String]| -> Vec<Expr<'static>> {
        values.iter().map(|v| Expr::word(literal(v))).collect()
    };
    let field = |name: &'static str, value: Expr<'static>| FieldInit {
        name: name.into(),
        value: Some(value),
    };
    let pointers: Vec<String> = waiter.arguments.iter().map(|(_, p)| p.clone()).collect();
    let spec = Expr::structure(
        "WaitSpec",
        vec![
            field("operation", Expr::word(literal(&waiter.poll_operation))),
            field("arguments", Expr::Array(strings(&pointers))),
            field("state", Expr::word(literal(&waiter.state))),
            field("success", Expr::Array(strings(&waiter.success)).reference()),
            field("failure", Expr::Array(strings(&waiter.failure)).reference()),
        ],
    );
    let head = format!("const SPEC: WaitSpec<{}> = ", waiter.arguments.len());
    push_const(out, 8, &head, &spec);
    let client = Expr::chain(
        Expr::word("client"),
        vec![Link::Method("clone".into(), None, Vec::new())],
    );
    let api_client = Expr::call(format!("{}::new", api.client_name), vec![client]);
    push_let(out, 8, "api", &api_client);
    let names: Vec<Expr<'_>> = waiter
        .arguments
        .iter()
        .map(|(name, _)| Expr::word(name.as_str()))
        .collect();
    let pattern: Vec<&str> = waiter.arguments.iter().map(|(n, _)| n.as_str()).collect();
    let poll = Expr::chain(
        Expr::word("api"),
        vec![
            Link::Method(waiter.poll_fn.as_str().into(), None, names),
            Link::Method("send_with_response".into(), None, Vec::new()),
        ],
    );
    let closure = Expr::Closure(
        format!("move |[{}]|", pattern.join(", ")).into(),
        Box::new(poll),
    );
    let wait = Expr::call(
        "Waiter::new",
        vec![Expr::word("self"), Expr::word("&SPEC"), closure],
    );
    push_statement(out, 8, &wait, false);
    out.push_str("    }\n}\n");
}
