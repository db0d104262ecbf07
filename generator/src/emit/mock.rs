//! The `mock.rs` of an API in the client crate (feature `test-util`): a marker type per
//! operation telling the runtime's generic `MockCall` its types, method, path, success status
//! and example; typed setters of path parameters; the `MockServer` accessor; and the table of
//! operations for the answer to unmocked calls. The mock logic itself is in the runtime.

use super::docs::doc_lines;
use super::layout::expr::{Expr, FieldInit, Link};
use super::layout::items::{
    push_const, push_fn, push_header, push_impl_header, push_type_alias, Param,
};
use super::layout::literal;
use super::layout::{push_doc, push_inner_doc};
use super::rust::{push_format_imports, type_text};
use crate::model::{Api, BodyKind, Operation, ParamLocation, Response, TypeRef};

/// The runtime `MockCall`'s own methods: a path parameter setter with one of these names
/// would collide with it, and gets `_param` added.
const MOCK_CALL_METHODS: &[&str] = &[
    "path_param",
    "query_param",
    "respond",
    "respond_with_status",
    "respond_json",
    "respond_example",
    "respond_error",
    "respond_throttled",
    "respond_with",
    "with_header",
    "times",
    "expect",
    "mount",
    "received",
];

/// The name of an API's mock accessor type: `AccessControlClient` → `AccessControlMock`.
fn mock_type_name(api: &Api) -> String {
    let base = api
        .client_name
        .strip_suffix("Client")
        .unwrap_or(&api.client_name);
    format!("{base}Mock")
}

/// The `mock.rs` of an API.
pub fn module(api: &Api) -> String {
    let mut out = String::new();
    let intro = format!(
        "Mocks of the {} API's operations, for tests (feature `test-util`): see [`crate::mock`].",
        api.title
    );
    for line in doc_lines(&[Some(&intro)]) {
        push_inner_doc(&mut out, 0, &line);
    }
    push_format_imports(&mut out, answer_and_body_types(api), "crate::runtime");
    let mock_type = mock_type_name(api);
    let self_ref = [Param {
        name: "&self",
        ty: None,
    }];
    out.push_str("impl crate::mock::MockServer {\n");
    push_doc(
        &mut out,
        4,
        &format!(" Mocks of the {} API's operations.", api.title),
    );
    let accessor = format!("pub fn {}", api.module);
    let server = FieldInit {
        name: "server".into(),
        value: Some(Expr::word("self")),
    };
    let mock = Expr::structure(mock_type.as_str(), vec![server]);
    let output = format!("{mock_type}<'_>");
    push_fn(&mut out, 4, &accessor, &self_ref, &output, &mock);
    out.push_str("}\n");
    push_doc(
        &mut out,
        0,
        &format!(
            " Mocks of the {} API's operations: one constructor per operation, each a \
             [`MockCall`](crate::mock::MockCall) to narrow, answer and mount.",
            api.title
        ),
    );
    out.push_str("#[derive(Debug, Clone, Copy)]\n");
    push_header(
        &mut out,
        0,
        &format!("pub struct {mock_type}"),
        &["'a"],
        " {",
    );
    out.push_str("    server: &'a crate::mock::MockServer,\n}\n");
    push_impl_header(&mut out, 0, &["'a"], None, &format!("{mock_type}<'a>"));
    if api.operations.is_empty() {
        close_empty_block(&mut out);
    } else {
        for op in &api.operations {
            push_constructor(&mut out, api, op);
        }
        out.push_str("}\n");
    }
    for op in &api.operations {
        push_marker(&mut out, op);
    }
    for op in &api.operations {
        push_setters(&mut out, op);
    }
    out.push_str(
        "/// Every operation of the API, for the mock server's answer to a call no mock matches.\n",
    );
    let routes = api
        .operations
        .iter()
        .map(|op| {
            let field = |name: &'static str, value: &str| FieldInit {
                name: name.into(),
                value: Some(Expr::word(literal(value))),
            };
            Expr::structure(
                "crate::mock::OperationRoute",
                vec![
                    field("operation", &op.id),
                    field("method", op.method.as_str()),
                    field("path", &op.path),
                ],
            )
        })
        .collect();
    push_const(
        &mut out,
        0,
        "pub const ROUTES: &[crate::mock::OperationRoute] = ",
        &Expr::Array(routes).reference(),
    );
    out
}

/// An `impl` block without items: `{}` on its header's line.
fn close_empty_block(out: &mut String) {
    out.pop();
    out.push_str("}\n");
}

fn answer_and_body_types(api: &Api) -> Vec<&TypeRef> {
    let mut types = Vec::new();
    for op in &api.operations {
        if let Response::Json(ty) = &op.response {
            types.push(ty);
        }
        if let Some(BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. }) =
            op.body.as_ref().map(|b| &b.kind)
        {
            types.push(ty);
        }
        let path_dates = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path && p.ty == TypeRef::DateTime);
        types.extend(path_dates.map(|p| &p.ty));
    }
    types
}

fn push_constructor(out: &mut String, api: &Api, op: &Operation) {
    push_doc(
        out,
        4,
        &format!(
            " A mock of `{} {}`, which [`{}::{}`](super::{}::{}) calls.",
            op.method.as_str(),
            op.path,
            api.client_name,
            op.fn_name,
            api.client_name,
            op.fn_name
        ),
    );
    let receiver = [Param {
        name: "&self",
        ty: None,
    }];
    let output = format!("crate::mock::MockCall<'a, {}>", op.builder_name);
    let head = format!("pub fn {}", op.fn_name);
    let mock = Expr::word("self.server.mock()");
    push_fn(out, 4, &head, &receiver, &output, &mock);
}

fn push_marker(out: &mut String, op: &Operation) {
    let models = "super::models::";
    let name = &op.builder_name;
    push_doc(out, 0, &format!(" The operation `{}`, for mocks.", op.id));
    out.push_str("#[derive(Debug)]\n");
    out.push_str(&format!("pub enum {name} {{}}\n"));
    let (body, decode) = match op.body.as_ref().map(|b| &b.kind) {
        None => ("()".to_owned(), "crate::mock::no_body(bytes)"),
        Some(BodyKind::Json { ty, .. }) => (type_text(ty, models), "crate::mock::json_body(bytes)"),
        Some(BodyKind::Form { ty, .. }) => (type_text(ty, models), "crate::mock::form_body(bytes)"),
        Some(BodyKind::Binary { .. } | BodyKind::Multipart(_)) => {
            ("Vec<u8>".to_owned(), "crate::mock::bytes_body(bytes)")
        }
        Some(BodyKind::Text { .. }) => ("String".to_owned(), "crate::mock::text_body(bytes)"),
    };
    // An answer by status has no one type: it is given as JSON.
    let (answer, encode) = match &op.response {
        Response::Json(ty) => (
            type_text(ty, models),
            "crate::mock::AnswerBody::json(answer)",
        ),
        Response::ByStatus { .. } => (
            "serde_json::Value".to_owned(),
            "crate::mock::AnswerBody::json(answer)",
        ),
        // Whatever the service may answer: given as bytes.
        Response::Bytes | Response::Raw => (
            "Vec<u8>".to_owned(),
            "crate::mock::AnswerBody::bytes(answer)",
        ),
        Response::Text => ("String".to_owned(), "crate::mock::AnswerBody::text(answer)"),
        Response::Empty => ("()".to_owned(), "crate::mock::AnswerBody::empty(answer)"),
    };
    let example = match &op.success_example {
        Some(example) => Expr::word(literal(example)).some(),
        None => Expr::word("None"),
    };
    push_impl_header(out, 0, &[], Some("crate::mock::MockOperation"), name);
    push_type_alias(out, 4, "type Body = ", &body);
    push_type_alias(out, 4, "type Answer = ", &answer);
    push_const(
        out,
        4,
        "const OPERATION: &'static str = ",
        &Expr::word(literal(&op.id)),
    );
    out.push_str(&format!(
        "    const METHOD: crate::runtime::HttpMethod = crate::runtime::HttpMethod::{};\n",
        op.method.variant()
    ));
    push_const(
        out,
        4,
        "const PATH: &'static str = ",
        &Expr::word(literal(&op.path)),
    );
    out.push_str(&format!("    const STATUS: u16 = {};\n", op.success_status));
    push_const(out, 4, "const EXAMPLE: Option<&'static str> = ", &example);
    out.push_str("    fn decode_body(bytes: &[u8]) -> Result<Self::Body, String> {\n");
    out.push_str(&format!("        {decode}\n    }}\n"));
    out.push_str("    fn encode_answer(answer: &Self::Answer) -> crate::mock::AnswerBody {\n");
    out.push_str(&format!("        {encode}\n    }}\n}}\n"));
}

/// `impl MockCall<'_, Marker> { pub fn id(self, id: ...) -> Self }` for each path parameter.
fn push_setters(out: &mut String, op: &Operation) {
    let path_params: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    if path_params.is_empty() {
        return;
    }
    let marker = format!("crate::mock::MockCall<'_, {}>", op.builder_name);
    push_impl_header(out, 0, &[], None, &marker);
    for p in path_params {
        let setter = if MOCK_CALL_METHODS.contains(&p.rust_name.as_str()) {
            format!("{}_param", p.rust_name)
        } else {
            p.rust_name.clone()
        };
        let value = p.rust_name.as_str();
        push_doc(
            out,
            4,
            &format!(" Matches only calls whose `{}` is this value.", p.name),
        );
        // Instants go in paths as RFC 3339, as the client sends them.
        let (ty, shown) = match &p.ty {
            TypeRef::DateTime => (
                "DateTime",
                Expr::call(super::rust::RFC3339, vec![Expr::word(value).reference()]),
            ),
            _ => ("impl std::fmt::Display", Expr::word(value)),
        };
        let params = [
            Param {
                name: "self",
                ty: None,
            },
            Param {
                name: value,
                ty: Some(ty),
            },
        ];
        let call = Expr::chain(
            Expr::word("self"),
            vec![Link::Method(
                "path_param".into(),
                None,
                vec![Expr::word(literal(&p.name)), shown],
            )],
        );
        push_fn(out, 4, &format!("pub fn {setter}"), &params, "Self", &call);
    }
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::build::build;
    use crate::load::parse;
    use crate::settings::ApiSettings;

    const DEFINITION: &str = r#"
openapi: 3.0.1
info: {title: Things, version: "1"}
paths:
  /things/{times}/parts:
    post:
      operationId: create-part
      parameters:
        - {name: times, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "202": {description: queued}
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
              examples:
                one: {value: {id: "p-1"}}
"#;

    fn mock_file() -> String {
        let definition = parse(Path::new("things.yaml"), DEFINITION).unwrap();
        let settings = ApiSettings {
            accept: Some("application/json".to_owned()),
            ..ApiSettings::default()
        };
        let api = build(&definition, &settings, false).unwrap();
        module(&api)
    }

    #[test]
    fn the_marker_carries_the_lowest_success_status_its_example_and_types() {
        let file = mock_file();
        assert!(file.contains("const STATUS: u16 = 201;"), "{file}");
        assert!(file.contains(r#"Some("{\"id\":\"p-1\"}")"#), "{file}");
        assert!(file.contains("crate::mock::json_body(bytes)"), "{file}");
        assert!(file.contains("operation: \"create-part\""), "{file}");
        assert!(file.contains("path: \"/things/{times}/parts\""), "{file}");
    }

    #[test]
    fn a_path_parameter_named_like_a_mock_method_gets_another_setter() {
        let file = mock_file();
        assert!(file.contains("pub fn times_param(self, times:"), "{file}");
        assert!(file.contains("self.path_param(\"times\", times)"), "{file}");
    }
}
