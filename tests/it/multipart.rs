//! `multipart/form-data` bodies end to end: the client generated from
//! `tests/fixtures/multipart.yaml` (committed as `tests/generated/uploads/`) sends forms to a
//! local server that parses them with a real multipart parser (multer) and answers 400 when it
//! cannot; the tests then check what the parser read, part by part.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use itwin_platform::runtime::Client;
use itwin_platform::runtime::{FilePart, MultipartForm};
use itwin_platform::{Error, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use crate::support::scratch_dir;

// Generated and formatted by the generator (prettyplease); rustfmt would fight it.
#[rustfmt::skip]
#[path = "../generated/uploads/mod.rs"]
#[allow(
    dead_code,
    reason = "each test calls only some of the generated operations"
)]
mod uploads;

use uploads::models::{Metadata, Reviewer, UploadDocumentFormKind};
use uploads::{SetAvatarForm, UploadDocumentForm, UploadsClient};

/// One part as the parser read it.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    /// Headers other than `Content-Disposition` and `Content-Type`.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Part {
    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8")
    }
}

/// A server that parses every multipart body it receives: 400 with the parser's error when it
/// cannot, else `answer`; the parts of each request it parsed are kept in order.
#[derive(Clone)]
struct Parser {
    forms: Arc<Mutex<Vec<Vec<Part>>>>,
    answer: ResponseTemplate,
}

impl Parser {
    fn new(answer: ResponseTemplate) -> Self {
        Parser {
            forms: Arc::default(),
            answer,
        }
    }

    fn forms(&self) -> Vec<Vec<Part>> {
        self.forms.lock().unwrap().clone()
    }
}

impl Respond for Parser {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        match futures::executor::block_on(parse(request)) {
            Ok(parts) => {
                self.forms.lock().unwrap().push(parts);
                self.answer.clone()
            }
            Err(error) => ResponseTemplate::new(400).set_body_string(error),
        }
    }
}

async fn parse(request: &wiremock::Request) -> Result<Vec<Part>, String> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .ok_or("no content type")?;
    let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
    let body = Bytes::from(request.body.clone());
    let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        let headers = field
            .headers()
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "content-type" | "content-disposition"))
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
            .collect();
        parts.push(Part {
            name: field.name().unwrap_or_default().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(|m| m.to_string()),
            headers,
            body: field.bytes().await.map_err(|e| e.to_string())?.to_vec(),
        });
    }
    Ok(parts)
}

async fn serve(answer: ResponseTemplate) -> (MockServer, Parser) {
    let server = MockServer::start().await;
    let parser = Parser::new(answer);
    Mock::given(any())
        .respond_with(parser.clone())
        .mount(&server)
        .await;
    (server, parser)
}

fn client(server: &MockServer, retry: RetryPolicy) -> UploadsClient {
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("test-token")
        .retry_policy(retry)
        .build()
        .expect("valid settings");
    UploadsClient::new(client)
}

/// Retries at once: the tests count attempts, not time.
fn retries() -> RetryPolicy {
    RetryPolicy::default()
        .backoff(Duration::from_millis(1), Duration::from_millis(1))
        .without_jitter()
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "d1"}))
}

/// A stream of `chunks`, as a file read piece by piece would give.
fn chunked(chunks: &[&'static str]) -> FilePart {
    let length = chunks.iter().map(|c| c.len() as u64).sum();
    let items: Vec<Result<Bytes, std::io::Error>> = chunks
        .iter()
        .map(|c| Ok(Bytes::from_static(c.as_bytes())))
        .collect();
    FilePart::stream(futures::stream::iter(items), Some(length))
}

fn document(file: FilePart) -> UploadDocumentForm {
    UploadDocumentForm {
        title: "Site plan".into(),
        pages: None,
        kind: None,
        tags: None,
        taken_at: None,
        metadata: None,
        reviewers: None,
        file,
        file_x_checksum: None,
        attachments: None,
    }
}

#[tokio::test]
async fn typed_parts_arrive_as_a_multipart_parser_reads_them() {
    let (server, parser) = serve(created()).await;
    // The module is compiled into this crate, so its `#[non_exhaustive]` models can be built.
    let metadata = Metadata {
        author: Some("Ann".into()),
        revision: Some(3),
    };
    let reviewer = Reviewer {
        name: Some("Bo".into()),
    };
    let form = UploadDocumentForm {
        pages: Some(12),
        kind: Some(UploadDocumentFormKind::Drawing),
        tags: Some(vec!["north".into(), "draft".into()]),
        taken_at: Some("2024-01-31T12:00:00Z".parse().unwrap()),
        metadata: Some(metadata),
        reviewers: Some(vec![reviewer]),
        file_x_checksum: Some("abc123".into()),
        attachments: Some(vec![
            FilePart::from(&b"notes"[..])
                .file_name("notes.txt")
                .content_type("text/plain"),
            FilePart::from(vec![0u8, 1, 2]),
        ]),
        ..document(FilePart::from(b"%PDF-1.7".to_vec()).file_name("plan.pdf"))
    };
    let stored = client(&server, RetryPolicy::none())
        .upload_document("d1", form)
        .send()
        .await
        .expect("the server parses the form");
    assert_eq!(stored.id.as_deref(), Some("d1"));

    let forms = parser.forms();
    let parts = &forms[0];
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "title",
            "pages",
            "kind",
            "tags",
            "tags",
            "takenAt",
            "metadata",
            "reviewers",
            "file",
            "attachments",
            "attachments"
        ]
    );
    let text = |i: usize| (parts[i].text(), parts[i].content_type.as_deref());
    let plain = Some("text/plain; charset=utf-8");
    assert_eq!(text(0), ("Site plan", plain));
    assert_eq!(text(1), ("12", plain));
    assert_eq!(text(2), ("drawing", plain));
    assert_eq!((text(3).0, text(4).0), ("north", "draft"));
    assert_eq!(text(5), ("2024-01-31T12:00:00Z", plain));
    // The encoding's content type for `metadata`; the default JSON one for `reviewers`.
    assert_eq!(
        text(6),
        (
            r#"{"author":"Ann","revision":3}"#,
            Some("application/vnd.example.metadata+json")
        )
    );
    assert_eq!(text(7), (r#"[{"name":"Bo"}]"#, Some("application/json")));
    assert!(parts[..8].iter().all(|p| p.file_name.is_none()));

    let file = &parts[8];
    assert_eq!(file.file_name.as_deref(), Some("plan.pdf"));
    // The first media type the encoding lists, since the part gives none.
    assert_eq!(file.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(file.headers, [("x-checksum".into(), "abc123".into())]);
    assert_eq!(file.body, b"%PDF-1.7");
    assert_eq!(
        (
            parts[9].file_name.as_deref(),
            parts[9].content_type.as_deref(),
            parts[9].text()
        ),
        (Some("notes.txt"), Some("text/plain"), "notes")
    );
    assert_eq!(
        (parts[10].content_type.as_deref(), parts[10].body.as_slice()),
        (Some("application/octet-stream"), &[0u8, 1, 2][..])
    );
}

#[tokio::test]
async fn a_streamed_part_is_sent_as_it_is_read() {
    let (server, parser) = serve(ResponseTemplate::new(204)).await;
    let uploads = client(&server, RetryPolicy::none());
    let known_length = chunked(&["\u{89}PNG", "-chunk-", "end"])
        .file_name("me.png")
        .content_type("image/png");
    let no_length = FilePart::stream(
        futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from("unsized"))]),
        None,
    );
    for image in [known_length, no_length] {
        let form = SetAvatarForm {
            image: Some(image),
            caption: Some("Me".into()),
        };
        uploads.set_avatar().body(form).send().await.expect("sent");
    }
    let forms = parser.forms();
    let first = &forms[0][0];
    assert_eq!(
        (
            first.name.as_str(),
            first.file_name.as_deref(),
            first.content_type.as_deref()
        ),
        ("image", Some("me.png"), Some("image/png"))
    );
    assert_eq!(first.text(), "\u{89}PNG-chunk-end");
    assert_eq!(forms[0][1].text(), "Me");
    assert_eq!(forms[1][0].text(), "unsized");
}

#[tokio::test]
async fn a_file_opened_from_a_path_is_named_after_it() {
    let dir = scratch_dir();
    let path = dir.path().join("multipart-report.csv");
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let (server, parser) = serve(created()).await;
    let file = FilePart::open(&path).await.expect("the file opens");
    client(&server, RetryPolicy::none())
        .upload_document("d1", document(file))
        .send()
        .await
        .expect("sent");
    let forms = parser.forms();
    let file = forms[0].iter().find(|p| p.name == "file").unwrap();
    assert_eq!(file.file_name.as_deref(), Some("multipart-report.csv"));
    assert_eq!(file.text(), "a,b\n1,2\n");
}

/// A server that answers 503 to the first request, then parses like [`serve`].
async fn unavailable_once() -> (MockServer, Parser) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let parser = Parser::new(created());
    Mock::given(any())
        .respond_with(parser.clone())
        .mount(&server)
        .await;
    (server, parser)
}

#[tokio::test]
async fn a_retry_does_not_resend_a_streamed_part_and_says_why() {
    let (server, parser) = unavailable_once().await;
    let error = client(&server, retries())
        .upload_document("d1", document(chunked(&["once ", "only"])))
        .send()
        .await
        .expect_err("the stream cannot be sent again");
    let Error::BodyNotReplayable {
        operation,
        cause: after,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*operation, "upload-document");
    assert_eq!(after.status().map(|s| s.as_u16()), Some(503));
    let message = error.to_string();
    assert!(message.contains("one-shot stream"), "{message}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "the server saw exactly one request");
    assert!(parser.forms().is_empty());
}

#[tokio::test]
async fn a_form_of_bytes_is_retried_whole() {
    let (server, parser) = unavailable_once().await;
    client(&server, retries())
        .upload_document(
            "d1",
            document(FilePart::from(b"again".to_vec()).file_name("a.bin")),
        )
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    let forms = parser.forms();
    let file = forms[0].iter().find(|p| p.name == "file").unwrap();
    assert_eq!(
        (file.file_name.as_deref(), file.text()),
        (Some("a.bin"), "again")
    );
}

#[tokio::test]
async fn a_file_part_from_a_path_is_reopened_for_the_retry() {
    let dir = scratch_dir();
    let path = dir.path().join("multipart-retried.csv");
    std::fs::write(&path, "x,y\n3,4\n").unwrap();
    let server = MockServer::start().await;
    // Both attempts are parsed: the 503 one too, so that the test sees what each carried.
    let refused = Parser::new(ResponseTemplate::new(503));
    Mock::given(any())
        .respond_with(refused.clone())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let accepted = Parser::new(created());
    Mock::given(any())
        .respond_with(accepted.clone())
        .mount(&server)
        .await;
    let file = FilePart::open(&path).await.expect("the file opens");
    assert!(file.is_replayable());
    client(&server, retries())
        .upload_document("d1", document(file))
        .send()
        .await
        .expect("the retry succeeds");
    let attempts: Vec<Vec<Part>> = [refused.forms(), accepted.forms()].concat();
    assert_eq!(attempts.len(), 2, "both attempts were parsed: {attempts:?}");
    for parts in &attempts {
        let file = parts.iter().find(|p| p.name == "file").unwrap();
        assert_eq!(
            (file.file_name.as_deref(), file.text()),
            (Some("multipart-retried.csv"), "x,y\n3,4\n")
        );
    }
}

#[tokio::test]
async fn a_body_schema_that_is_not_an_object_takes_the_callers_own_form() {
    let (server, parser) = serve(ResponseTemplate::new(204)).await;
    let form = MultipartForm::new()
        .text("note", Some(&"free"))
        .file("blob", Some(&FilePart::from(&b"xyz"[..]).file_name("x")))
        .part_header("X-Trace", Some(&7));
    client(&server, RetryPolicy::none())
        .post_raw(form)
        .send()
        .await
        .expect("sent");
    let forms = parser.forms();
    let [note, blob] = forms[0].as_slice() else {
        panic!("{forms:?}");
    };
    assert_eq!((note.name.as_str(), note.text()), ("note", "free"));
    assert_eq!(
        (blob.name.as_str(), blob.file_name.as_deref(), blob.text()),
        ("blob", Some("x"), "xyz")
    );
    assert_eq!(blob.headers, [("x-trace".into(), "7".into())]);
}
