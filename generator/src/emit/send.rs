//! The methods that send a builder's request: `send` and `send_with_response` for one answer
//! shape, and for a list or bytes, the methods that stream it.

use super::layout::expr::{Expr, Link};
use super::layout::items::{push_fn, Param};
use super::request::self_request;
use super::rust::{type_text, MODELS};
use crate::model::{Api, Response};

/// The type an answer decodes into.
pub fn output(response: &Response) -> String {
    match response {
        Response::Json(ty) => type_text(ty, MODELS),
        Response::Bytes => "Vec<u8>".to_owned(),
        Response::Text => "String".to_owned(),
        Response::Empty => "()".to_owned(),
        Response::Raw => "RawResponse".to_owned(),
        Response::ByStatus { name, .. } => name.clone(),
    }
}

const SELF: [Param<'static>; 1] = [Param {
    name: "self",
    ty: None,
}];

/// `self.client.<method>(arguments).await`.
fn client_call<'a>(method: &'static str, arguments: Vec<Expr<'a>>, awaited: bool) -> Expr<'a> {
    let mut links = vec![
        Link::Field("client".into()),
        Link::Method(method.into(), None, arguments),
    ];
    if awaited {
        links.push(Link::Await);
    }
    Expr::chain(Expr::word("self"), links)
}

/// `send`, `send_with_response` and the streaming methods for `response`, associated items of
/// the builder's `impl` block.
pub fn push_methods(out: &mut String, api: &Api, response: &Response) {
    let execute = match response {
        Response::Json(_) => client_call("execute_json", vec![self_request()], true),
        Response::Bytes | Response::Raw => client_call("execute_bytes", vec![self_request()], true),
        Response::Text => client_call("execute_text", vec![self_request()], true),
        Response::Empty => client_call("execute_empty", vec![self_request()], true),
        Response::ByStatus { name, .. } => client_call(
            "execute_by_status",
            vec![self_request(), Expr::word(format!("{name}::from_answer"))],
            true,
        ),
    };
    if *response == Response::Raw {
        out.push_str(
            "    /// Sends the request and returns the answer's status, headers and bytes: the
    /// definition documents no success answer to decode.
",
        );
        let send = Expr::word("self.send_with_response().await");
        let output = "Result<RawResponse, Error>";
        push_fn(out, 4, "pub async fn send", &SELF, output, &send);
        out.push_str("    /// The same as [`send`](Self::send).\n");
        let output = "Result<ApiResponse<Vec<u8>>, Error>";
        push_fn(
            out,
            4,
            "pub async fn send_with_response",
            &SELF,
            output,
            &execute,
        );
        return;
    }
    let output = output(response);
    out.push_str("    /// Sends the request and returns the decoded response body.\n");
    let send = Expr::word("self.send_with_response().await.map(ApiResponse::into_body)");
    let result = format!("Result<{output}, Error>");
    push_fn(out, 4, "pub async fn send", &SELF, &result, &send);
    out.push_str(
        "    /// Sends the request and returns the status and headers along with the decoded body.\n",
    );
    let result = format!("Result<ApiResponse<{output}>, Error>");
    push_fn(
        out,
        4,
        "pub async fn send_with_response",
        &SELF,
        &result,
        &execute,
    );
    match response {
        Response::Json(ty) => {
            if let Some(page) = api.page(ty) {
                super::paging::push_stream_methods(out, page);
            }
        }
        Response::Bytes => {
            out.push_str(
                "    /// Sends the request and returns the status and headers with the body as a
    /// [`ByteStream`](crate::runtime::ByteStream), read as it arrives: for answers too
    /// large to hold in memory, which [`send`](Self::send) reads whole (up to the
    /// client's size limit).
",
            );
            let stream = client_call("execute_stream", vec![self_request()], true);
            let output = "Result<ApiResponse<crate::runtime::ByteStream>, Error>";
            push_fn(out, 4, "pub async fn send_stream", &SELF, output, &stream);
        }
        _ => {}
    }
}
