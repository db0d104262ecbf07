//! Binary bodies against a real HTTP server on loopback: uploads from bytes, a file, a path and
//! a stream (what the server received: bytes, `Content-Length`, `Content-Type`), which of them
//! a retry or a redirect may send again, binary answers read as a stream, and text answers.

use std::path::PathBuf;

use futures::StreamExt;
use itwin_platform::imodels::UploadIModelThumbnailContentType;
use itwin_platform::itwins::UploadITwinImageContentType;
use itwin_platform::runtime::{Bytes, RedirectError, UploadBody};
use itwin_platform::{Client, Error, RetryPolicy};
use tempfile::TempDir;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::scratch_dir;

const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";
const IMODEL: &str = "5e19bee0-3aea-4355-a9f0-c6df9989ee7d";

fn client_for(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token("test-token")
        .retry_policy(retry)
        .build()
        .expect("valid settings")
}

/// Retries at once, so that a test waits for none.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .backoff(std::time::Duration::ZERO, std::time::Duration::ZERO)
        .without_jitter()
}

/// An image of `len` bytes whose content shows where a chunk went missing or moved.
fn image(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// `bytes` in chunks of `size`, as a stream of the kind a caller would hand over.
fn chunked(
    bytes: &[u8],
    size: usize,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let chunks: Vec<_> = bytes
        .chunks(size)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    futures::stream::iter(chunks)
}

/// `bytes` written to a file named `name` in a directory of the test's own, which the test
/// keeps until it no longer needs the file.
fn image_file(name: &str, bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = scratch_dir();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).expect("the test's temporary directory is writable");
    (dir, file)
}

async fn uploads_answer(server: &MockServer, status: u16) {
    let created = serde_json::json!({"image": {"id": "x"}});
    Mock::given(method("PUT"))
        .and(path(format!("/itwins/{ITWIN}/image")))
        .respond_with(ResponseTemplate::new(status).set_body_json(created))
        .mount(server)
        .await;
}

/// The uploads the server received.
async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

async fn upload(server: &MockServer, body: UploadBody, retry: RetryPolicy) -> Result<(), Error> {
    client_for(server, retry)
        .itwins()
        .upload_itwin_image(ITWIN, UploadITwinImageContentType::ImageJpeg, body)
        .send()
        .await
        .map(drop)
}

#[tokio::test]
async fn an_image_is_uploaded_from_an_open_file_with_its_length() {
    let server = MockServer::start().await;
    uploads_answer(&server, 201).await;
    let bytes = image(300_000);
    let (_dir, file) = image_file("upload-open-file.jpg", &bytes);
    let file = tokio::fs::File::open(&file).await.unwrap();

    let body = UploadBody::file(file).await.unwrap();
    assert_eq!(body.length(), Some(300_000));
    upload(&server, body, RetryPolicy::none()).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, bytes);
    assert_eq!(header(&requests[0], "content-length"), Some("300000"));
    assert_eq!(header(&requests[0], "content-type"), Some("image/jpeg"));
}

#[tokio::test]
async fn an_image_is_uploaded_from_a_path_and_sent_again_on_a_retry() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    uploads_answer(&server, 201).await;
    let bytes = image(100_000);
    let (_dir, file) = image_file("upload-path.jpg", &bytes);

    upload(&server, UploadBody::path(&file), quick_retries())
        .await
        .expect("the second attempt reopens the file");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, bytes);
        assert_eq!(header(request, "content-length"), Some("100000"));
    }
}

#[tokio::test]
async fn a_missing_file_fails_the_call_naming_its_path() {
    let server = MockServer::start().await;
    uploads_answer(&server, 201).await;
    let dir = scratch_dir();
    let missing = dir.path().join("no-such-image.jpg");

    let error = upload(&server, UploadBody::path(&missing), RetryPolicy::none())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("no-such-image.jpg"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_image_is_uploaded_from_a_stream_with_or_without_a_length() {
    let server = MockServer::start().await;
    uploads_answer(&server, 201).await;
    let bytes = image(200_000);

    let known = UploadBody::stream(chunked(&bytes, 16_384), Some(bytes.len() as u64));
    upload(&server, known, RetryPolicy::none()).await.unwrap();
    let unknown = UploadBody::stream(chunked(&bytes, 10_000), None);
    upload(&server, unknown, RetryPolicy::none()).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.body == bytes));
    assert!(requests
        .iter()
        .all(|r| header(r, "content-type") == Some("image/jpeg")));
    assert_eq!(header(&requests[0], "content-length"), Some("200000"));
    // Without a length the body goes chunked.
    assert_eq!(header(&requests[1], "content-length"), None);
    assert_eq!(header(&requests[1], "transfer-encoding"), Some("chunked"));
}

#[tokio::test]
async fn a_stream_is_not_sent_again_after_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    uploads_answer(&server, 201).await;
    let bytes = image(50_000);

    let body = UploadBody::stream(chunked(&bytes, 8_192), Some(bytes.len() as u64));
    let error = upload(&server, body, quick_retries()).await.unwrap_err();

    assert_eq!(received(&server).await.len(), 1, "sent once");
    let Error::BodyNotReplayable { cause, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(matches!(**cause, Error::Api(_)), "{cause:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.to_string().contains("one-shot"), "{error}");
}

#[tokio::test]
async fn a_stream_sent_by_one_clone_of_a_request_is_not_sent_by_another() {
    let server = MockServer::start().await;
    uploads_answer(&server, 201).await;
    let body = UploadBody::stream(chunked(&image(1_000), 100), None);
    let request = client_for(&server, RetryPolicy::none())
        .itwins()
        .upload_itwin_image(ITWIN, UploadITwinImageContentType::ImagePng, body);

    request
        .clone()
        .send()
        .await
        .expect("the first call sends the stream");
    let error = request.send().await.unwrap_err();

    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(error.to_string().contains("earlier call"), "{error}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn bytes_are_sent_again_after_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    uploads_answer(&server, 201).await;
    let bytes = image(50_000);

    upload(&server, Bytes::from(bytes.clone()).into(), quick_retries())
        .await
        .expect("the retry succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, bytes);
        let lengths: Vec<_> = request.headers.get_all("content-length").iter().collect();
        assert_eq!(lengths, ["50000"], "one Content-Length");
    }
}

#[tokio::test]
async fn a_redirect_that_keeps_the_body_is_not_followed_with_a_stream() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(format!("/itwins/{ITWIN}/image")))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", "/itwins/elsewhere/image"),
        )
        .mount(&server)
        .await;
    let bytes = image(1_000);

    let body = UploadBody::stream(chunked(&bytes, 100), None);
    let error = upload(&server, body, RetryPolicy::none())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::Redirect {
                problem: RedirectError::BodyNotReplayable,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(received(&server).await.len(), 1);
}

async fn thumbnail_server(bytes: &[u8]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/imodels/{IMODEL}/thumbnail")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(bytes.to_vec(), "image/png"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_binary_answer_is_read_as_a_stream_beyond_the_buffered_limit() {
    let bytes = image(1_000_000);
    let server = thumbnail_server(&bytes).await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("test-token")
        .max_response_bytes(100_000)
        .build()
        .unwrap();
    let thumbnail = || client.imodels().get_imodel_thumbnail(IMODEL);

    let buffered = thumbnail().send().await.unwrap_err();
    assert!(
        matches!(buffered, Error::ResponseTooLarge { .. }),
        "{buffered:?}"
    );

    let answer = thumbnail().send_stream().await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let stream = answer.into_body();
    assert_eq!(stream.content_length(), Some(1_000_000));
    let mut chunks = 0;
    let mut read = Vec::new();
    let mut stream = stream;
    while let Some(chunk) = stream.next().await {
        read.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(read, bytes);
    assert!(chunks > 1, "read as it arrives, not in one piece");

    let collected = thumbnail().send_stream().await.unwrap().into_body();
    assert_eq!(collected.collect().await.unwrap(), bytes);
}

#[tokio::test]
async fn a_streamed_answer_is_written_to_a_file() {
    let bytes = image(250_000);
    let server = thumbnail_server(&bytes).await;
    let dir = scratch_dir();
    let target = dir.path().join("thumbnail-written.png");
    let mut file = tokio::fs::File::create(&target).await.unwrap();

    let written = client_for(&server, RetryPolicy::none())
        .imodels()
        .get_imodel_thumbnail(IMODEL)
        .send_stream()
        .await
        .unwrap()
        .into_body()
        .write_to(&mut file)
        .await
        .unwrap();

    assert_eq!(written, 250_000);
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
}

#[tokio::test]
async fn an_error_status_of_a_streamed_call_is_read_as_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"error": {"code": "iModelNotFound", "message": "No iModel."}}),
        ))
        .mount(&server)
        .await;

    let error = client_for(&server, RetryPolicy::none())
        .imodels()
        .get_imodel_thumbnail(IMODEL)
        .send_stream()
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some("iModelNotFound"));
}

#[tokio::test]
async fn a_thumbnail_upload_takes_a_static_slice() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

    client_for(&server, RetryPolicy::none())
        .imodels()
        .upload_imodel_thumbnail(IMODEL, UploadIModelThumbnailContentType::ImagePng, PNG)
        .send()
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests[0].body, PNG);
    assert_eq!(header(&requests[0], "content-type"), Some("image/png"));
}

#[tokio::test]
async fn a_text_answer_is_asked_for_as_text_and_read_as_a_string() {
    use itwin_platform::runtime::{HttpMethod, Request as Call};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/notes"))
        .and(wiremock::matchers::header("accept", "text/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("a note ✓", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/garbled"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b'a', 0xff], "text/plain"))
        .mount(&server)
        .await;
    let client = client_for(&server, RetryPolicy::none());
    let call = |path| Call::new("get-notes", HttpMethod::Get, path, "text/plain");

    let notes = client.execute_text(call("/notes")).await.unwrap();
    assert_eq!(notes.body(), "a note ✓");

    let error = client.execute_text(call("/garbled")).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(error.to_string().contains("not UTF-8"), "{error}");
}
