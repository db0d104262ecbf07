//! The request a builder describes: `Request::new(...)` and a call per parameter and body.

use super::layout::expr::{Expr, Link};
use super::layout::items::push_fn;
use super::layout::literal;
use super::rust::{display_value, rfc3339};
use crate::model::{Body, BodyKind, FormEncoding, Operation, Param, ParamLocation, Style, TypeRef};

/// `fn request(&self) -> Request { <request> }`, an associated item.
pub fn push_request_fn(out: &mut String, request: &Expr<'_>) {
    let receiver = [super::layout::items::Param {
        name: "&self",
        ty: None,
    }];
    push_fn(out, 4, "fn request", &receiver, "Request", request);
}

/// `self.request()`.
pub fn self_request() -> Expr<'static> {
    Expr::chain(
        Expr::word("self"),
        vec![Link::Method("request".into(), None, Vec::new())],
    )
}

/// The request of `op` with its parameters and body, read from `self`'s fields; `then` are
/// further calls on it.
pub fn expression<'a>(op: &'a Operation, then: Vec<Link<'a>>) -> Expr<'a> {
    let accept = op
        .accept
        .as_deref()
        .map_or_else(|| "ACCEPT".to_owned(), literal);
    let new = Expr::call(
        "Request::new",
        vec![
            Expr::word(literal(&op.id)),
            Expr::word(format!("HttpMethod::{}", op.method.variant())),
            Expr::word(literal(&op.path)),
            Expr::word(accept),
        ],
    );
    let mut calls: Vec<Link<'a>> = op.params.iter().map(param_call).collect();
    calls.extend(op.body.as_ref().map(body_call));
    if op.redirects_as_answers {
        calls.push(call("redirects_as_answers", Vec::new()));
    }
    calls.extend(then);
    if calls.is_empty() {
        new
    } else {
        Expr::chain(new, calls)
    }
}

/// `.method(arguments)`.
fn call<'a>(method: &'static str, arguments: Vec<Expr<'a>>) -> Link<'a> {
    Link::Method(method.into(), None, arguments)
}

/// The builder call that sends a parameter: each location's default style keeps the short
/// call; another style names it.
pub fn param_call(param: &Param) -> Link<'_> {
    let name = || Expr::word(literal(&param.name));
    let field = param.rust_name.as_str();
    let value = || display_value(field, &param.ty, param.required);
    let path_value = || match &param.ty {
        TypeRef::DateTime => rfc3339(field).reference(),
        _ => Expr::self_field(field, Vec::new()).reference(),
    };
    let explode = |explode: bool| Expr::word(explode.to_string());
    if param.style == Style::default_for(param.location) {
        return match param.location {
            ParamLocation::Path => call("path_param", vec![name(), path_value()]),
            ParamLocation::Query => call("query", vec![name(), value()]),
            ParamLocation::Header => call("header", vec![name(), value()]),
        };
    }
    match (param.location, param.style) {
        (
            ParamLocation::Path,
            Style::Label { explode: e }
            | Style::Matrix { explode: e }
            | Style::Simple { explode: e },
        ) => call(
            "path_param_styled",
            vec![
                name(),
                Expr::word(path_style(param.style)),
                explode(e),
                path_value(),
            ],
        ),
        (ParamLocation::Header, Style::Simple { explode: e }) => {
            call("header_styled", vec![name(), explode(e), value()])
        }
        (ParamLocation::Query, style) => match query_style(style) {
            Some((style, e)) => call(
                "query_styled",
                vec![name(), Expr::word(style), explode(e), value()],
            ),
            None => call("query", vec![name(), value()]),
        },
        // A style the location does not have (the loader admits none): the default.
        (ParamLocation::Path, _) => call("path_param", vec![name(), path_value()]),
        (ParamLocation::Header, _) => call("header", vec![name(), value()]),
    }
}

/// The builder call that sends the body.
fn body_call(body: &Body) -> Link<'_> {
    let value = || display_body(body.required);
    let body_clone = || Expr::self_field("body", vec![call("clone", Vec::new())]);
    let closure = |head: &'static str, body: Expr<'static>| -> Expr<'static> {
        Expr::Closure(head.into(), Box::new(body))
    };
    match (&body.kind, body.required) {
        (BodyKind::Json { content_type, .. }, _) => call(
            "json_body",
            vec![Expr::word(literal(content_type)), value()],
        ),
        (BodyKind::Form { encodings, .. }, _) => form_body_call(value(), encodings),
        // Cloning an upload shares its bytes or its stream: nothing is copied.
        (BodyKind::Binary { .. }, true) => call(
            "binary_body",
            vec![
                Expr::self_field("content_type", vec![call("as_str", Vec::new())]),
                body_clone(),
            ],
        ),
        (BodyKind::Binary { .. }, false) => call(
            "optional_binary_body",
            vec![
                Expr::self_field(
                    "content_type",
                    vec![call(
                        "map",
                        vec![closure(
                            "|c|",
                            Expr::chain(Expr::word("c"), vec![call("as_str", Vec::new())]),
                        )],
                    )],
                ),
                body_clone(),
            ],
        ),
        (BodyKind::Text { content_type }, true) => call(
            "binary_body",
            vec![Expr::word(literal(content_type)), body_clone()],
        ),
        (BodyKind::Text { content_type }, false) => call(
            "optional_binary_body",
            vec![
                Expr::self_field(
                    "body",
                    vec![
                        call("as_ref", Vec::new()),
                        call(
                            "map",
                            vec![Expr::Closure(
                                "|_|".into(),
                                Box::new(Expr::word(literal(content_type))),
                            )],
                        ),
                    ],
                ),
                body_clone(),
            ],
        ),
        (BodyKind::Multipart(Some(_)), true) => call(
            "multipart_body",
            vec![Expr::self_field("body", vec![call("to_form", Vec::new())]).some()],
        ),
        (BodyKind::Multipart(Some(form)), false) => call(
            "multipart_body",
            vec![Expr::self_field(
                "body",
                vec![
                    call("as_ref", Vec::new()),
                    call(
                        "map",
                        vec![Expr::word(format!("{}::to_form", form.type_name))],
                    ),
                ],
            )],
        ),
        (BodyKind::Multipart(None), true) => call("multipart_body", vec![body_clone().some()]),
        (BodyKind::Multipart(None), false) => call("multipart_body", vec![body_clone()]),
    }
}

/// The body as an `Option<&T>`.
fn display_body(required: bool) -> Expr<'static> {
    if required {
        Expr::self_field("body", Vec::new()).reference().some()
    } else {
        Expr::self_field("body", vec![call("as_ref", Vec::new())])
    }
}

/// `.form_body(...)`, or `.form_body_styled(...)` with the properties not in the default style.
fn form_body_call<'a>(value: Expr<'a>, encodings: &'a [FormEncoding]) -> Link<'a> {
    let encodings: Vec<Expr<'a>> = encodings
        .iter()
        .filter_map(|encoding| {
            let (style, explode) = query_style(encoding.style)?;
            Some(Expr::Tuple(vec![
                Expr::word(literal(&encoding.property)),
                Expr::word(style),
                Expr::word(explode.to_string()),
            ]))
        })
        .collect();
    if encodings.is_empty() {
        call("form_body", vec![value])
    } else {
        call(
            "form_body_styled",
            vec![value, Expr::Array(encodings).reference()],
        )
    }
}

/// The runtime's `PathStyle` of a path style.
fn path_style(style: Style) -> &'static str {
    match style {
        Style::Label { .. } => "PathStyle::Label",
        Style::Matrix { .. } => "PathStyle::Matrix",
        _ => "PathStyle::Simple",
    }
}

/// The runtime's `QueryStyle` and `explode` of a query or form style; `None` for the styles of
/// paths and headers.
fn query_style(style: Style) -> Option<(&'static str, bool)> {
    Some(match style {
        Style::Form { explode } => ("QueryStyle::Form", explode),
        Style::SpaceDelimited => ("QueryStyle::SpaceDelimited", false),
        Style::PipeDelimited => ("QueryStyle::PipeDelimited", false),
        Style::TabDelimited => ("QueryStyle::TabDelimited", false),
        Style::DeepObject => ("QueryStyle::DeepObject", true),
        Style::Simple { .. } | Style::Label { .. } | Style::Matrix { .. } => return None,
    })
}
