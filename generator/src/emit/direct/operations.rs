//! An operation's client method and request builder, as text.

use super::super::docs::doc_or_lines;
use super::super::facts::{
    argument, body_argument, builder_doc, client_method_docs, required_args, setter_fallback_doc,
    Argument, BODY_SETTER_DOC, CLIPPY_MAX_ARGUMENTS, MODELS,
};
use super::{
    fits, literal, push_docs, push_line, push_signature, push_struct_literal, push_typed,
    type_text, Init, MARGIN,
};
use crate::model::{
    Api, Body, BodyKind, Operation, Param, ParamLocation, Response, Style, TypeRef,
};

/// The text of `op`'s method of the API's client, an associated item of `impl Client`.
pub fn client_method(op: &Operation) -> Option<String> {
    if op.prefer.is_some() {
        return None;
    }
    let args = required_args(op);
    let mut out = String::new();
    push_docs(&mut out, "    ", &client_method_docs(op, &args_docs(&args)));
    if op.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    if args.len() + 1 > CLIPPY_MAX_ARGUMENTS {
        out.push_str(TOO_MANY_ARGUMENTS);
    }
    let params: Vec<(String, Option<String>)> = std::iter::once(("&self".to_owned(), None))
        .chain(args.iter().map(|a| (a.name.to_owned(), Some(a.ty.clone()))))
        .collect();
    push_signature(
        &mut out,
        &format!("pub fn {}", op.fn_name),
        &params,
        &op.builder_name,
    )?;
    let mut inits = vec![Init::new("client", Some("self.client.clone()".to_owned()))];
    inits.extend(args.iter().map(|a| {
        let value = (a.init != a.name).then(|| a.init.clone());
        Init::new(a.name, value)
    }));
    for param in op.params.iter().filter(|p| !p.required) {
        inits.push(Init::new(&param.rust_name, Some("None".to_owned())));
    }
    if op.body.as_ref().is_some_and(|b| !b.required) {
        if matches!(op.body.as_ref()?.kind, BodyKind::Binary { .. }) {
            inits.push(Init::new("content_type", Some("None".to_owned())));
        }
        inits.push(Init::new("body", Some("None".to_owned())));
    }
    push_struct_literal(&mut out, 8, &op.builder_name, &inits)?;
    out.push_str("    }\n");
    Some(out)
}

/// The text of `op`'s request builder: its struct and its `impl` block, for a builder with one
/// answer shape and nothing beside it (no status enum, media type enum or parts struct).
pub fn builder(api: &Api, op: &Operation) -> Option<String> {
    if op.prefer.is_some() {
        return None;
    }
    let output = plain_output(api, &op.response)?;
    let mut out = String::new();
    push_docs(&mut out, "", &[builder_doc(api, op)]);
    out.push_str("#[derive(Debug, Clone)]\n");
    out.push_str("#[must_use = \"a request does nothing until `send` is awaited\"]\n");
    out.push_str(&format!(
        "pub struct {} {{\n    client: Client,\n",
        op.builder_name
    ));
    for param in &op.params {
        let ty = type_text(&param.ty, MODELS);
        let ty = if param.required {
            ty
        } else {
            format!("Option<{ty}>")
        };
        push_typed(
            &mut out,
            4,
            &format!("{}: ", param.rust_name),
            &ty,
            ",",
            false,
        );
    }
    if let Some(body) = &op.body {
        let ty = body_field_type(body)?;
        let ty = if body.required {
            ty
        } else {
            format!("Option<{ty}>")
        };
        push_typed(&mut out, 4, "body: ", &ty, ",", false);
    }
    out.push_str(&format!("}}\nimpl {} {{\n", op.builder_name));
    for param in op.params.iter().filter(|p| !p.required) {
        push_setter(&mut out, param)?;
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let fallback = BODY_SETTER_DOC;
        push_docs(
            &mut out,
            "    ",
            &doc_or_lines(body.description.as_deref(), fallback),
        );
        let (ty, value) = body_argument(body);
        push_signature(&mut out, "pub fn body", &receiver_and("body", ty), "Self")?;
        push_store(&mut out, "body", &value)?;
        out.push_str("        self\n    }\n");
    }
    out.push_str(WITH_OPTIONS);
    push_send(&mut out, &output, execute(&op.response)?)?;
    out.push_str("    fn request(&self) -> Request {\n");
    push_request(&mut out, op)?;
    out.push_str("    }\n}\n");
    Some(out)
}

/// What a client method with more arguments than clippy allows says (see
/// `operations::client_method`), broken as prettyplease breaks an attribute too long for its
/// line.
const TOO_MANY_ARGUMENTS: &str = "    #[allow(
        clippy::too_many_arguments,
        reason = \"one argument per required parameter of the operation\"
    )]
";

/// `with_options` of every builder (see `operations::with_options`).
const WITH_OPTIONS: &str = "    /// Extra headers, a timeout or a retry policy for this call only.
    pub fn with_options(mut self, options: crate::runtime::CallOptions) -> Self {
        self.client = self.client.with_call_options(options);
        self
    }
";

/// `send_stream` of a builder whose answer is bytes (see `operations::send_methods`).
const SEND_STREAM: &str =
    "    /// Sends the request and returns the status and headers with the body as a
    /// [`ByteStream`](crate::runtime::ByteStream), read as it arrives: for answers too
    /// large to hold in memory, which [`send`](Self::send) reads whole (up to the
    /// client's size limit).
    pub async fn send_stream(
        self,
    ) -> Result<ApiResponse<crate::runtime::ByteStream>, Error> {
        self.client.execute_stream(self.request()).await
    }
";

fn args_docs<'a>(args: &'a [Argument<'a>]) -> Vec<(&'a str, Option<&'a str>)> {
    args.iter().map(|a| (a.name, a.description)).collect()
}

/// `operations::body_field_type`, for the bodies whose builder is written here.
fn body_field_type(body: &Body) -> Option<String> {
    match &body.kind {
        BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. } => Some(type_text(ty, MODELS)),
        BodyKind::Multipart(None) => Some("MultipartForm".to_owned()),
        BodyKind::Text { .. } => Some("String".to_owned()),
        BodyKind::Binary { .. } | BodyKind::Multipart(Some(_)) => None,
    }
}

/// The type `send` returns, for the answers whose methods are written here: not a list with
/// streams, not an enum by status, not a raw answer.
fn plain_output(api: &Api, response: &Response) -> Option<String> {
    match response {
        Response::Json(ty) if api.page(ty).is_none() => Some(type_text(ty, MODELS)),
        Response::Bytes => Some("Vec<u8>".to_owned()),
        Response::Text => Some("String".to_owned()),
        Response::Empty => Some("()".to_owned()),
        _ => None,
    }
}

fn execute(response: &Response) -> Option<&'static str> {
    match response {
        Response::Json(_) => Some("self.client.execute_json(self.request()).await"),
        Response::Bytes => Some("self.client.execute_bytes(self.request()).await"),
        Response::Text => Some("self.client.execute_text(self.request()).await"),
        Response::Empty => Some("self.client.execute_empty(self.request()).await"),
        _ => None,
    }
}

fn push_send(out: &mut String, output: &str, execute: &str) -> Option<()> {
    out.push_str("    /// Sends the request and returns the decoded response body.\n");
    let receiver = [("self".to_owned(), None)];
    push_signature(
        out,
        "pub async fn send",
        &receiver,
        &format!("Result<{output}, Error>"),
    )?;
    out.push_str("        self.send_with_response().await.map(ApiResponse::into_body)\n    }\n");
    out.push_str(
        "    /// Sends the request and returns the status and headers along with the decoded body.\n",
    );
    push_signature(
        out,
        "pub async fn send_with_response",
        &receiver,
        &format!("Result<ApiResponse<{output}>, Error>"),
    )?;
    out.push_str(&format!("        {execute}\n    }}\n"));
    if output == "Vec<u8>" {
        out.push_str(SEND_STREAM);
    }
    Some(())
}

/// `mut self` and one parameter.
fn receiver_and(name: &str, ty: String) -> [(String, Option<String>); 2] {
    [("mut self".to_owned(), None), (name.to_owned(), Some(ty))]
}

/// `self.field = Some(value);`, its argument on a line of its own where the line is too long.
fn push_store(out: &mut String, field: &str, value: &str) -> Option<()> {
    let line = format!("self.{field} = Some({value});");
    if 8 + line.len() <= MARGIN {
        out.push_str(&format!("        {line}\n"));
        return Some(());
    }
    // The argument is the call's last: its trailing comma does not count.
    let argument = format!("{value},");
    if !fits(12, &argument, ",", true) {
        return None;
    }
    out.push_str(&format!(
        "        self.{field} = Some(\n            {argument}\n        );\n"
    ));
    Some(())
}

/// A setter of an optional parameter (`operations::setter`, storing in `self`).
fn push_setter(out: &mut String, param: &Param) -> Option<()> {
    let fallback = setter_fallback_doc(param);
    push_docs(
        out,
        "    ",
        &doc_or_lines(param.description.as_deref(), &fallback),
    );
    let field = &param.rust_name;
    let (ty, value) = argument(&param.ty, field, MODELS);
    push_signature(
        out,
        &format!("pub fn {field}"),
        &receiver_and(field, ty),
        "Self",
    )?;
    push_store(out, field, &value)?;
    out.push_str("        self\n    }\n");
    Some(())
}

/// `fn request`'s body: `Request::new(...)` and a call per parameter and body.
fn push_request(out: &mut String, op: &Operation) -> Option<()> {
    let accept = op
        .accept
        .as_deref()
        .map_or_else(|| "ACCEPT".to_owned(), literal);
    let new_args = [
        literal(&op.id),
        format!("HttpMethod::{}", op.method.variant()),
        literal(&op.path),
        accept,
    ];
    let mut calls: Vec<(&str, Vec<Value>)> = Vec::new();
    for param in &op.params {
        calls.push(param_call(param)?);
    }
    if let Some(body) = &op.body {
        calls.push(body_call(body)?);
    }
    if op.redirects_as_answers {
        calls.push((".redirects_as_answers", Vec::new()));
    }
    let call = |name: &str, args: &[Value]| {
        let args: Vec<String> = args.iter().map(Value::flat).collect();
        format!("{name}({})", args.join(", "))
    };
    let receiver = format!("Request::new({})", new_args.join(", "));
    let flat: String = std::iter::once(receiver.clone())
        .chain(calls.iter().map(|(name, args)| call(name, args)))
        .collect();
    if 8 + flat.len() <= MARGIN {
        out.push_str(&format!("        {flat}\n"));
        return Some(());
    }
    // The chain breaks before every call, one level in; each call's arguments break on their
    // own when their line is too long.
    let args_indent = if calls.is_empty() { 12 } else { 16 };
    let close_indent = args_indent - 4;
    if 8 + receiver.len() <= MARGIN {
        out.push_str(&format!("        {receiver}\n"));
    } else {
        out.push_str("        Request::new(\n");
        for arg in &new_args {
            out.push_str(&format!("{:args_indent$}{arg},\n", ""));
        }
        out.push_str(&format!("{:close_indent$})\n", ""));
    }
    for (name, args) in &calls {
        let line = call(name, args);
        if 12 + line.len() <= MARGIN {
            out.push_str(&format!("            {line}\n"));
            continue;
        }
        out.push_str(&format!("            {name}(\n"));
        for (i, arg) in args.iter().enumerate() {
            push_value(out, 16, arg, ",", i + 1 == args.len())?;
        }
        out.push_str("            )\n");
    }
    Some(())
}

/// An argument of a call in `fn request`, with the places prettyplease may break it.
#[derive(Clone)]
enum Value {
    /// Text that has no place to break.
    Atom(String),
    /// Text whose breaks the writer does not lay out: left to prettyplease where too long.
    Opaque(String),
    /// `self` (after `prefix`, `&` or nothing) and its fields and method calls: `self.top.as_ref()`.
    Chain(&'static str, Vec<String>),
    /// `Some(value)`.
    Some(Box<Value>),
}

impl Value {
    /// `self.field`, then `links` (`.as_ref()`).
    fn field(prefix: &'static str, field: &str, links: &[&str]) -> Value {
        let mut all = vec![format!(".{field}")];
        all.extend(links.iter().map(|l| (*l).to_owned()));
        Value::Chain(prefix, all)
    }

    fn some(self) -> Value {
        Value::Some(Box::new(self))
    }

    fn flat(&self) -> String {
        match self {
            Value::Atom(text) | Value::Opaque(text) => text.clone(),
            Value::Chain(prefix, links) => format!("{prefix}self{}", links.concat()),
            Value::Some(inner) => format!("Some({})", inner.flat()),
        }
    }
}

/// `value` then `suffix` at `indent`: on one line when it fits, otherwise broken as
/// prettyplease breaks it (a chain before each link, `Some(...)` around its argument).
fn push_value(
    out: &mut String,
    indent: usize,
    value: &Value,
    suffix: &str,
    last: bool,
) -> Option<()> {
    let line = format!("{}{suffix}", value.flat());
    if fits(indent, &line, suffix, last) {
        out.push_str(&format!("{:indent$}{line}\n", ""));
        return Some(());
    }
    match value {
        Value::Atom(_) => out.push_str(&format!("{:indent$}{line}\n", "")),
        Value::Opaque(_) => return None,
        Value::Chain(prefix, links) => {
            out.push_str(&format!("{:indent$}{prefix}self\n", ""));
            let (last, links) = links.split_last()?;
            let inner = indent + 4;
            for link in links {
                push_line(out, &" ".repeat(inner), link)?;
            }
            push_line(out, &" ".repeat(inner), &format!("{last}{suffix}"))?;
        }
        Value::Some(inner) => {
            out.push_str(&format!("{:indent$}Some(\n", ""));
            push_value(out, indent + 4, inner, ",", true)?;
            out.push_str(&format!("{:indent$}){suffix}\n", ""));
        }
    }
    Some(())
}

/// `operations::param_call`: the builder call that sends a parameter, as a method name and its
/// arguments.
fn param_call(param: &Param) -> Option<(&'static str, Vec<Value>)> {
    let name = Value::Atom(literal(&param.name));
    let field = &param.rust_name;
    let rfc3339 = || format!("&crate::runtime::__private::rfc3339(&self.{field})");
    let value = match (&param.ty, param.required) {
        (TypeRef::DateTime, true) => Value::Opaque(rfc3339()).some(),
        (TypeRef::DateTime, false) => Value::field(
            "",
            field,
            &[
                ".as_ref()",
                ".map(crate::runtime::__private::rfc3339)",
                ".as_ref()",
            ],
        ),
        (_, true) => Value::field("&", field, &[]).some(),
        (_, false) => Value::field("", field, &[".as_ref()"]),
    };
    let path_value = match &param.ty {
        TypeRef::DateTime => Value::Opaque(rfc3339()),
        _ => Value::field("&", field, &[]),
    };
    if param.style == Style::default_for(param.location) {
        return Some(match param.location {
            ParamLocation::Path => (".path_param", vec![name, path_value]),
            ParamLocation::Query => (".query", vec![name, value]),
            ParamLocation::Header => (".header", vec![name, value]),
        });
    }
    // `.method(name, Style::X, explode, value)`.
    let styled = |method: &'static str, style: String, explode: bool, value: &Value| {
        let (style, explode) = (Value::Atom(style), Value::Atom(explode.to_string()));
        Some((method, vec![name.clone(), style, explode, value.clone()]))
    };
    let path_style = |style: &str, explode: bool| {
        styled(
            ".path_param_styled",
            format!("PathStyle::{style}"),
            explode,
            &path_value,
        )
    };
    let query_style = |style: &str, explode: bool| {
        styled(
            ".query_styled",
            format!("QueryStyle::{style}"),
            explode,
            &value,
        )
    };
    match (param.location, param.style) {
        (ParamLocation::Path, Style::Label { explode }) => path_style("Label", explode),
        (ParamLocation::Path, Style::Matrix { explode }) => path_style("Matrix", explode),
        (ParamLocation::Path, Style::Simple { explode }) => path_style("Simple", explode),
        (ParamLocation::Header, Style::Simple { explode }) => Some((
            ".header_styled",
            vec![
                name.clone(),
                Value::Atom(explode.to_string()),
                value.clone(),
            ],
        )),
        (ParamLocation::Query, Style::Form { explode }) => query_style("Form", explode),
        (ParamLocation::Query, Style::SpaceDelimited) => query_style("SpaceDelimited", false),
        (ParamLocation::Query, Style::PipeDelimited) => query_style("PipeDelimited", false),
        (ParamLocation::Query, Style::TabDelimited) => query_style("TabDelimited", false),
        (ParamLocation::Query, Style::DeepObject) => query_style("DeepObject", true),
        _ => None,
    }
}

/// `operations::request_expression`'s call for a body, for the bodies written here.
fn body_call(body: &Body) -> Option<(&'static str, Vec<Value>)> {
    let value = if body.required {
        Value::field("&", "body", &[]).some()
    } else {
        Value::field("", "body", &[".as_ref()"])
    };
    let cloned = Value::field("", "body", &[".clone()"]);
    match &body.kind {
        BodyKind::Json { content_type, .. } => Some((
            ".json_body",
            vec![Value::Atom(literal(content_type)), value],
        )),
        BodyKind::Form { encodings, .. } if encodings.is_empty() => {
            Some((".form_body", vec![value]))
        }
        BodyKind::Text { content_type } if body.required => Some((
            ".binary_body",
            vec![Value::Atom(literal(content_type)), cloned],
        )),
        BodyKind::Multipart(None) if body.required => {
            Some((".multipart_body", vec![cloned.some()]))
        }
        BodyKind::Multipart(None) => Some((".multipart_body", vec![cloned])),
        _ => None,
    }
}
