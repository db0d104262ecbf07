//! A blob-storage host of the tests' own, on 127.0.0.1: enough of Azure Blob Storage for the
//! runtime's pre-signed transfers (Put Blob, Put Block, Put Block List, Get Blob with `Range`
//! and `If-Match`, List Blobs), written on raw HTTP/1.1 so that it can do what no mock server
//! does: drop a connection in the middle of a body.
//!
//! It refuses, with 401, **any request that carries an `Authorization` header**, and with 403
//! any request without the test signature in its query, and records every request (method,
//! path, query, headers, body length) for the tests to check what went over the wire. Faults
//! are armed once: a Put Block that fails, a download that drops after some bytes, a `Range`
//! that is ignored.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The query of every URL the server hands out; `sig` is what it checks.
pub const SAS: &str =
    "sv=2021-08-06&se=2030-01-01T00%3A00%3A00Z&sr=c&sp=racwdl&sig=t3st%2Bs1gnature%3D";
/// The decoded signature, which no error message or log may show.
pub const SIGNATURE: &str = "t3st+s1gnature=";
/// Blobs per page of a listing, small so that listings page.
const PAGE_SIZE: usize = 2;

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body_len: usize,
    pub status: u16,
}

impl Logged {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `comp` of the query: `block`, `blocklist`, `list`, or `None` for Put Blob and Get Blob.
    pub fn comp(&self) -> Option<&str> {
        self.query("comp")
    }
}

#[derive(Default)]
struct State {
    blobs: BTreeMap<String, Blob>,
    /// Uncommitted blocks by blob path and block id.
    blocks: HashMap<String, BTreeMap<String, Vec<u8>>>,
    log: Vec<Logged>,
    puts_of_blocks: usize,
    /// The `n`-th Put Block (from 0, in arrival order) fails with this status, `times` times.
    fail_block: Option<(usize, u16, usize)>,
    /// The next Get Blob stops after this many bytes of its body and closes the connection.
    drop_get_after: Option<u64>,
    /// The next Get Blob with a Range answers 200 with the whole blob.
    ignore_range: bool,
    etags: u64,
}

struct Blob {
    data: Arc<Vec<u8>>,
    etag: String,
}

/// The server; dropping it leaves its task to end with the test's runtime.
pub struct BlobServer {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl BlobServer {
    pub async fn start() -> BlobServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, shared.clone()));
            }
        });
        BlobServer { address, state }
    }

    /// The pre-signed URL of `path` (such as `container/blob.bin`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}?{SAS}", self.address)
    }

    /// A blob of the tests' own.
    pub fn put(&self, path: &str, bytes: Vec<u8>) {
        let mut state = self.state.lock().unwrap();
        state.etags += 1;
        let etag = format!("\"0x8D{:08X}\"", state.etags);
        state.blobs.insert(
            format!("/{path}"),
            Blob {
                data: Arc::new(bytes),
                etag,
            },
        );
    }

    /// The committed content of `path`.
    pub fn blob(&self, path: &str) -> Option<Vec<u8>> {
        let state = self.state.lock().unwrap();
        state
            .blobs
            .get(&format!("/{path}"))
            .map(|b| b.data.to_vec())
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    /// The `n`-th Put Block from now on (from 0) fails with `status`, `times` times in a row.
    pub fn fail_block(&self, n: usize, status: u16, times: usize) {
        let mut state = self.state.lock().unwrap();
        let n = state.puts_of_blocks + n;
        state.fail_block = Some((n, status, times));
    }

    /// The next Get Blob sends `bytes` of its body, then closes the connection.
    pub fn drop_next_download_after(&self, bytes: u64) {
        self.state.lock().unwrap().drop_get_after = Some(bytes);
    }

    /// The next Get Blob with a `Range` answers 200 with the whole blob.
    pub fn ignore_next_range(&self) {
        self.state.lock().unwrap().ignore_range = true;
    }
}

/// A request's head and body.
struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers, body, and whether to stop the body after some bytes.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Arc<Vec<u8>>,
    range: std::ops::Range<usize>,
    drop_after: Option<u64>,
}

impl Answer {
    fn empty(status: u16) -> Answer {
        Answer::body(status, Vec::new())
    }

    fn body(status: u16, body: Vec<u8>) -> Answer {
        let len = body.len();
        Answer {
            status,
            headers: Vec::new(),
            body: Arc::new(body),
            range: 0..len,
            drop_after: None,
        }
    }

    /// Azure's error answer: `x-ms-error-code` and the XML body.
    fn error(status: u16, code: &str, message: &str) -> Answer {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}\nRequestId:test\nTime:now</Message></Error>"
        );
        Answer::body(status, xml.into_bytes())
            .with("x-ms-error-code", code)
            .with("content-type", "application/xml")
    }

    fn with(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

async fn serve(mut socket: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut socket, &mut buffer).await else {
            return;
        };
        let answer = answer(&request, &state);
        let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
        for (name, value) in &answer.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", answer.range.len()));
        {
            let mut state = state.lock().unwrap();
            state.log.push(Logged {
                method: request.method.clone(),
                path: request.path.clone(),
                query: request.query.clone(),
                headers: request.headers.clone(),
                body_len: request.body.len(),
                status: answer.status,
            });
        }
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let body = &answer.body[answer.range.clone()];
        match answer.drop_after {
            Some(bytes) => {
                let sent = usize::try_from(bytes).unwrap().min(body.len());
                let _ = socket.write_all(&body[..sent]).await;
                let _ = socket.shutdown().await;
                return;
            }
            None => {
                if socket.write_all(body).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// The next request of the connection; `None` when it closes.
async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    assert!(
        !headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")),
        "the client sent a chunked body: uploads always give their length"
    );
    buffer.drain(..end);
    while buffer.len() < length {
        let mut chunk = vec![0u8; 256 * 1024];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buffer.drain(..length).collect();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = url::form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    Some(Request {
        method,
        path: percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned(),
        query,
        headers,
        body,
    })
}

fn answer(request: &Request, state: &Mutex<State>) -> Answer {
    if request.header("authorization").is_some() {
        return Answer::error(
            401,
            "NoAuthorizationExpected",
            "A pre-signed URL was sent an Authorization header.",
        );
    }
    if request.query("sig") != Some(SIGNATURE) {
        return Answer::error(
            403,
            "AuthenticationFailed",
            &format!(
                "Signature did not match. sig={}",
                request.query("sig").unwrap_or("none")
            ),
        );
    }
    let mut state = state.lock().unwrap();
    match (
        request.method.as_str(),
        request.query("comp"),
        request.query("restype"),
    ) {
        ("PUT", None, _) => {
            if request.header("x-ms-blob-type") != Some("BlockBlob") {
                return Answer::error(400, "MissingRequiredHeader", "x-ms-blob-type is required.");
            }
            state.etags += 1;
            let etag = format!("\"0x8D{:08X}\"", state.etags);
            state.blobs.insert(
                request.path.clone(),
                Blob {
                    data: Arc::new(request.body.clone()),
                    etag: etag.clone(),
                },
            );
            Answer::empty(201).with("etag", &etag)
        }
        ("PUT", Some("block"), _) => {
            let n = state.puts_of_blocks;
            state.puts_of_blocks += 1;
            if let Some((at, status, times)) = state.fail_block {
                if n >= at && n < at + times {
                    return Answer::error(
                        status,
                        "InternalError",
                        "The server encountered an internal error.",
                    );
                }
            }
            let Some(id) = request.query("blockid") else {
                return Answer::error(400, "InvalidQueryParameterValue", "blockid is required.");
            };
            let blocks = state.blocks.entry(request.path.clone()).or_default();
            if blocks.keys().any(|other| other.len() != id.len()) {
                return Answer::error(
                    400,
                    "InvalidBlobOrBlock",
                    "The block ids of a blob must have one length.",
                );
            }
            blocks.insert(id.to_owned(), request.body.clone());
            Answer::empty(201)
        }
        ("PUT", Some("blocklist"), _) => {
            let xml = String::from_utf8_lossy(&request.body).into_owned();
            if !xml.starts_with("<?xml") || !xml.contains("<BlockList>") {
                return Answer::error(400, "InvalidXmlDocument", "Not a block list.");
            }
            let blocks = state.blocks.remove(&request.path).unwrap_or_default();
            let mut data = Vec::new();
            for id in xml
                .split("<Latest>")
                .skip(1)
                .filter_map(|s| s.split_once("</Latest>"))
                .map(|(id, _)| id)
            {
                let Some(block) = blocks.get(id) else {
                    return Answer::error(
                        400,
                        "InvalidBlockList",
                        "A listed block is not uploaded.",
                    );
                };
                data.extend_from_slice(block);
            }
            state.etags += 1;
            let etag = format!("\"0x8D{:08X}\"", state.etags);
            state.blobs.insert(
                request.path.clone(),
                Blob {
                    data: Arc::new(data),
                    etag: etag.clone(),
                },
            );
            Answer::empty(201).with("etag", &etag)
        }
        ("GET", Some("list"), Some("container")) => list(request, &state),
        ("GET", None, _) => {
            let Some(blob) = state.blobs.get(&request.path) else {
                return Answer::error(404, "BlobNotFound", "The specified blob does not exist.");
            };
            let (data, etag) = (blob.data.clone(), blob.etag.clone());
            let drop_after = state.drop_get_after.take();
            let range = request.header("range").map(|r| {
                let start = r
                    .strip_prefix("bytes=")
                    .and_then(|r| r.strip_suffix('-'))
                    .expect("an open range");
                start.parse::<usize>().unwrap()
            });
            let ignore = range.is_some() && std::mem::take(&mut state.ignore_range);
            if let (Some(_), Some(wanted)) = (range, request.header("if-match")) {
                if wanted != etag {
                    return Answer::error(
                        412,
                        "ConditionNotMet",
                        "The condition specified using HTTP conditional header(s) is not met.",
                    );
                }
            }
            let len = data.len();
            let mut answer = match range {
                Some(start) if !ignore => {
                    if start >= len {
                        return Answer::error(
                            416,
                            "InvalidRange",
                            "The range specified is invalid for the current size of the resource.",
                        );
                    }
                    Answer {
                        status: 206,
                        headers: vec![(
                            "content-range".into(),
                            format!("bytes {start}-{}/{len}", len - 1),
                        )],
                        body: data,
                        range: start..len,
                        drop_after: None,
                    }
                }
                _ => Answer {
                    status: 200,
                    headers: Vec::new(),
                    body: data,
                    range: 0..len,
                    drop_after: None,
                },
            };
            answer.drop_after = drop_after;
            answer
                .with("etag", &etag)
                .with("x-ms-blob-type", "BlockBlob")
        }
        _ => Answer::error(
            400,
            "UnsupportedHttpVerb",
            "Not supported by this test server.",
        ),
    }
}

/// List Blobs of the container named by the path, `PAGE_SIZE` at a time.
fn list(request: &Request, state: &State) -> Answer {
    let container = format!("{}/", request.path.trim_end_matches('/'));
    let prefix = request.query("prefix").unwrap_or("");
    let start: usize = request.query("marker").map_or(0, |m| m.parse().unwrap());
    let names: Vec<(&String, &Blob)> = state
        .blobs
        .iter()
        .filter(|(path, _)| {
            path.starts_with(&container) && path[container.len()..].starts_with(prefix)
        })
        .collect();
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults><Blobs>");
    for (path, blob) in names.iter().skip(start).take(PAGE_SIZE) {
        let name = path[container.len()..].replace('&', "&amp;");
        xml.push_str(&format!(
            "<Blob><Name>{name}</Name><Properties><Content-Length>{}</Content-Length></Properties></Blob>",
            blob.data.len()
        ));
    }
    xml.push_str("</Blobs>");
    if start + PAGE_SIZE < names.len() {
        xml.push_str(&format!("<NextMarker>{}</NextMarker>", start + PAGE_SIZE));
    } else {
        xml.push_str("<NextMarker />");
    }
    xml.push_str("</EnumerationResults>");
    Answer::body(200, xml.into_bytes()).with("content-type", "application/xml")
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        206 => "Partial Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        412 => "Precondition Failed",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
