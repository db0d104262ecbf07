//! A request as a generated builder describes it, before the client adds URL and credentials.

use std::borrow::Cow;
use std::fmt::{self, Display};

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use super::multipart::MultipartForm;
use super::style::{self, PairTarget, PathStyle, QueryStyle};
use super::upload::UploadBody;

/// An HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `TRACE`
    Trace,
}

impl HttpMethod {
    /// The method as written on the wire, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110 §9.2.2),
    /// so that a failure whose outcome is unknown may be retried.
    pub fn is_idempotent(self) -> bool {
        matches!(
            self,
            HttpMethod::Get
                | HttpMethod::Put
                | HttpMethod::Delete
                | HttpMethod::Head
                | HttpMethod::Options
                | HttpMethod::Trace
        )
    }

    pub(super) fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Options => reqwest::Method::OPTIONS,
            HttpMethod::Trace => reqwest::Method::TRACE,
        }
    }
}

impl Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One call of an operation: its identity, parameters and body.
///
/// Generated builders make these; you can too, to call an operation this crate does not have
/// yet, and send it with [`Client::execute_json`](super::Client::execute_json).
#[derive(Debug, Clone)]
pub struct Request {
    pub(super) operation_id: &'static str,
    pub(super) method: HttpMethod,
    pub(super) path_template: &'static str,
    pub(super) accept: &'static str,
    /// Each value as it goes in the path: styled and percent-encoded.
    path_params: Vec<(&'static str, String)>,
    /// Names and values styled and percent-encoded.
    query: Vec<(String, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Option<Body>,
    /// A parameter that could not be serialized; reported when the request is sent.
    invalid: Option<String>,
    /// Path and query of a next-page link, used instead of the template and query.
    next_link: Option<String>,
    /// Whether a redirect is the answer (see [`Request::redirects_as_answers`]).
    pub(super) redirects_as_answers: bool,
}

#[derive(Debug, Clone)]
pub(super) enum Body {
    /// Encoded by the runtime (JSON, a form) or by the caller (multipart).
    Bytes {
        /// Owned for bodies whose content type the caller gives.
        content_type: Cow<'static, str>,
        bytes: Bytes,
    },
    /// A binary upload: bytes, a file or a stream.
    Upload {
        content_type: &'static str,
        body: UploadBody,
    },
    /// Encoded for each attempt: its boundary is chosen then.
    Multipart(MultipartForm),
    /// The body could not be serialized; reported when the request is sent.
    Invalid(String),
}

impl Body {
    /// Whether the body can be sent (again): false once a part read from a stream or a file
    /// has been sent. The one place the retry and redirect decisions ask.
    pub(super) fn is_replayable(&self) -> bool {
        match self {
            Body::Multipart(form) => form.is_replayable(),
            Body::Upload { body, .. } => body.is_replayable(),
            Body::Bytes { .. } | Body::Invalid(_) => true,
        }
    }
}

impl Request {
    /// A request for `path_template` (such as `/itwins/{id}/image`) of the operation `operation_id`.
    pub fn new(
        operation_id: &'static str,
        method: HttpMethod,
        path_template: &'static str,
        accept: &'static str,
    ) -> Self {
        Request {
            operation_id,
            method,
            path_template,
            accept,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            invalid: None,
            next_link: None,
            redirects_as_answers: false,
        }
    }

    /// Returns a redirect (a `3xx` with its `Location`) as the call's answer instead of
    /// following it: for operations whose definition documents the redirect as what they
    /// answer, such as a download that points to a pre-signed link on another host.
    pub fn redirects_as_answers(mut self) -> Self {
        self.redirects_as_answers = true;
        self
    }

    /// Fills `{name}` in the path template in the default `simple` style: a list or object
    /// as `a,b,c`; the value is percent-encoded to stay one segment.
    pub fn path_param(self, name: &'static str, value: &impl Serialize) -> Self {
        self.path_param_styled(name, PathStyle::Simple, false, value)
    }

    /// Fills `{name}` in the path template in the given `style` and `explode` of the
    /// definition (`label`: `.a,b`, `matrix`: `;name=a,b`; exploded: `.a.b`, `;name=a;name=b`).
    pub fn path_param_styled(
        mut self,
        name: &'static str,
        style: PathStyle,
        explode: bool,
        value: &impl Serialize,
    ) -> Self {
        let text = style::to_json(value)
            .map(|value| style::expand_value(name, style, explode, value, style::path_encode));
        match text {
            Ok(text) => self.path_params.push((name, text.unwrap_or_default())),
            Err(e) => self.refuse("path parameter", name, e),
        }
        self
    }

    /// Adds `name=value` to the query when `value` is `Some`, in the default `form` style,
    /// exploded: a list as `name=a&name=b`, an object as one pair per property.
    pub fn query(self, name: &'static str, value: Option<&impl Serialize>) -> Self {
        self.query_styled(name, QueryStyle::Form, true, value)
    }

    /// Adds `value` to the query when it is `Some`, in the given `style` and `explode` of the
    /// definition (such as `name=a,b` for `form` not exploded, `name[key]=v` for `deepObject`).
    pub fn query_styled(
        mut self,
        name: &'static str,
        style: QueryStyle,
        explode: bool,
        value: Option<&impl Serialize>,
    ) -> Self {
        if let Some(value) = value {
            match style::to_json(value) {
                Ok(value) => style::pairs(
                    name,
                    style,
                    explode,
                    &value,
                    PairTarget::Query,
                    &mut self.query,
                ),
                Err(e) => self.refuse("query parameter", name, e),
            }
        }
        self
    }

    /// Adds a header when `value` is `Some`, in the `simple` style: a list as `a,b`, an object
    /// as `k,v,k2,v2`.
    pub fn header(self, name: &'static str, value: Option<&impl Serialize>) -> Self {
        self.header_styled(name, false, value)
    }

    /// [`header`](Self::header), with an object as `k=v,k2=v2` when `explode` is set.
    pub fn header_styled(
        mut self,
        name: &'static str,
        explode: bool,
        value: Option<&impl Serialize>,
    ) -> Self {
        let Some(value) = value else { return self };
        let text = style::to_json(value).map(|value| {
            style::expand_value(
                name,
                PathStyle::Simple,
                explode,
                value,
                style::header_encode,
            )
        });
        match text {
            Ok(Some(text)) => self.headers.push((name, text)),
            Ok(None) => {}
            Err(e) => self.refuse("header", name, e),
        }
        self
    }

    /// Keeps the first parameter that could not be serialized, for the error when sent.
    fn refuse(&mut self, what: &str, name: &str, reason: String) {
        self.invalid
            .get_or_insert_with(|| format!("the {what} `{name}` cannot be serialized: {reason}"));
    }

    /// Sends `body` as JSON with the given content type.
    pub fn json_body(mut self, content_type: &'static str, body: Option<&impl Serialize>) -> Self {
        self.body = body.map(|body| match serde_json::to_vec(body) {
            Ok(bytes) => Body::Bytes {
                content_type: Cow::Borrowed(content_type),
                bytes: bytes.into(),
            },
            Err(e) => Body::Invalid(e.to_string()),
        });
        self
    }

    /// Sends `body` (a struct or map) as an HTML form (`application/x-www-form-urlencoded`),
    /// each property in the default `form` style, exploded: a list as `name=a&name=b`.
    pub fn form_body(self, body: Option<&impl Serialize>) -> Self {
        self.form_body_styled(body, &[])
    }

    /// [`form_body`](Self::form_body), with the properties `encodings` names (by their name
    /// in the form) in their own style and `explode` (the definition's `encoding` object).
    pub fn form_body_styled(
        mut self,
        body: Option<&impl Serialize>,
        encodings: &[(&str, QueryStyle, bool)],
    ) -> Self {
        self.body = body.map(|body| {
            let pairs = style::to_json(body).and_then(|body| style::form_pairs(&body, encodings));
            match pairs {
                Ok(pairs) => {
                    let parts: Vec<String> =
                        pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
                    Body::Bytes {
                        content_type: Cow::Borrowed("application/x-www-form-urlencoded"),
                        bytes: parts.join("&").into(),
                    }
                }
                Err(e) => Body::Invalid(e),
            }
        });
        self
    }

    /// Sends `body` (bytes, a file or a stream: see [`UploadBody`]) as it is, with the given
    /// content type (such as `image/png`).
    pub fn binary_body(mut self, content_type: &'static str, body: impl Into<UploadBody>) -> Self {
        self.body = Some(Body::Upload {
            content_type,
            body: body.into(),
        });
        self
    }

    /// Sends `form` as `multipart/form-data`, when it is `Some`.
    pub fn multipart_body(mut self, form: Option<MultipartForm>) -> Self {
        if let Some(form) = form {
            self.body = Some(Body::Multipart(form));
        }
        self
    }

    /// Whether the request can be sent (again): see [`Body::is_replayable`].
    pub(super) fn is_replayable(&self) -> bool {
        self.body.as_ref().is_none_or(Body::is_replayable)
    }

    /// Sends `bytes` the caller encoded, with the content type the caller gives; nothing is
    /// sent unless both are set.
    pub fn encoded_body(mut self, content_type: Option<&str>, bytes: Option<&[u8]>) -> Self {
        if let (Some(content_type), Some(bytes)) = (content_type, bytes) {
            self.body = Some(Body::Bytes {
                content_type: Cow::Owned(content_type.to_owned()),
                bytes: Bytes::copy_from_slice(bytes),
            });
        }
        self
    }

    /// [`binary_body`](Self::binary_body) when both the content type and the bytes are set.
    pub fn optional_binary_body(
        self,
        content_type: Option<&'static str>,
        body: Option<impl Into<UploadBody>>,
    ) -> Self {
        match (content_type, body) {
            (Some(content_type), Some(body)) => self.binary_body(content_type, body),
            _ => self,
        }
    }

    /// The operation id from the definition, such as `get-itwin-roles`.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// This request for the next page at `href` (absolute, or relative to the host): its path
    /// must be this request's path (a trailing `/` aside); its query replaces this one's.
    pub(super) fn follow(&self, href: &str) -> Result<Request, String> {
        let refuse = |why: &str| format!("the next link `{}` {why}", excerpt(href));
        let base = url::Url::parse("http://next.invalid/").expect("a valid URL");
        let link = base.join(href).map_err(|_| refuse("is not a URL"))?;
        let own = self.path_and_query()?;
        let own_path = own.split('?').next().unwrap_or_default();
        let same = |a: &str, b: &str| {
            let decode = |p: &str| percent_decode_str(p.trim_end_matches('/')).collect::<Vec<u8>>();
            decode(a) == decode(b)
        };
        if !same(link.path(), own_path) {
            return Err(refuse("points to another resource"));
        }
        let mut next = self.clone();
        next.next_link = Some(match link.query() {
            Some(query) => format!("{}?{query}", link.path()),
            None => link.path().to_owned(),
        });
        // A link back to a page already read is the page stream's to refuse: it knows them all.
        Ok(next)
    }

    /// The path and query, each parameter encoded so that no value can change the path's shape.
    pub(super) fn path_and_query(&self) -> Result<String, String> {
        if let Some(reason) = &self.invalid {
            return Err(reason.clone());
        }
        if let Some(link) = &self.next_link {
            return Ok(link.clone());
        }
        let mut path = String::with_capacity(self.path_template.len() + 64);
        let mut rest = self.path_template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|i| open + i)
                .ok_or("unclosed `{` in the path template")?;
            let name = &rest[open + 1..close];
            let value = self
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| format!("no value for the path parameter `{name}`"))?;
            if matches!(value, "" | "." | "..") {
                return Err(format!(
                    "the path parameter `{name}` cannot be empty, `.` or `..`"
                ));
            }
            path.push_str(&rest[..open]);
            path.push_str(value);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        for (i, (name, value)) in self.query.iter().enumerate() {
            path.push(if i == 0 { '?' } else { '&' });
            path.push_str(name);
            path.push('=');
            path.push_str(value);
        }
        Ok(path)
    }
}

/// At most 100 characters of a server-given value, for messages.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(100) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(id: &str) -> Request {
        Request::new(
            "get-itwin-roles",
            HttpMethod::Get,
            "/accesscontrol/itwins/{id}/roles",
            "a",
        )
        .path_param("id", &id)
    }

    #[test]
    fn path_parameters_stay_in_their_segment() {
        for (id, encoded) in [
            ("abc", "abc"),
            ("a/b", "a%2Fb"),
            ("../x", "..%2Fx"),
            ("%2F", "%252F"),
            ("a?b#c", "a%3Fb%23c"),
            ("a b\r\nc", "a%20b%0D%0Ac"),
            ("é", "%C3%A9"),
        ] {
            assert_eq!(
                roles(id).path_and_query().unwrap(),
                format!("/accesscontrol/itwins/{encoded}/roles")
            );
        }
    }

    #[test]
    fn dot_segments_and_empty_ids_are_refused() {
        for id in ["", ".", ".."] {
            let error = roles(id).path_and_query().unwrap_err();
            assert!(error.contains("`id`"), "{error}");
        }
    }

    #[test]
    fn form_bodies_are_url_encoded() {
        #[derive(serde::Serialize)]
        struct Note {
            text: &'static str,
            pinned: bool,
        }
        let request = roles("abc").form_body(Some(&Note {
            text: "a b&c=d",
            pinned: true,
        }));
        match request.body {
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => {
                assert_eq!(content_type, "application/x-www-form-urlencoded");
                assert_eq!(bytes, &b"text=a+b%26c%3Dd&pinned=true"[..]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn next_links_stay_on_the_same_resource() {
        let first = roles("abc");
        let next = first
            .follow("https://api.bentley.com/accesscontrol/itwins/abc/roles/?$skip=100&$top=100")
            .unwrap();
        assert_eq!(
            next.path_and_query().unwrap(),
            "/accesscontrol/itwins/abc/roles/?$skip=100&$top=100"
        );
        let relative = first
            .follow("/accesscontrol/itwins/abc/roles?$skip=1")
            .unwrap();
        assert_eq!(
            relative.path_and_query().unwrap(),
            "/accesscontrol/itwins/abc/roles?$skip=1"
        );
        for elsewhere in [
            "https://evil.example/steal",
            "/accesscontrol/itwins/other/roles?$skip=1",
            "/accesscontrol/itwins/abc/roles/../../x",
        ] {
            let error = first.follow(elsewhere).unwrap_err();
            assert!(error.contains("another resource"), "{elsewhere}: {error}");
        }
    }

    #[test]
    fn query_keeps_odata_names_readable_and_encodes_values() {
        let request = Request::new("list", HttpMethod::Get, "/itwins", "a")
            .query("$top", Some(&10))
            .query("$search", Some(&"a&b=c d"))
            .query("$skip", None::<&u32>)
            .query("tag", Some(&vec!["x", "y"]));
        assert_eq!(
            request.path_and_query().unwrap(),
            "/itwins?$top=10&$search=a%26b%3Dc%20d&tag=x&tag=y"
        );
    }
}
