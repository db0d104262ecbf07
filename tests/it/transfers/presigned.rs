//! The runtime's transfers through pre-signed URLs, against the tests' blob server: what went
//! over the wire (no `Authorization`, none of the client's interceptors, `x-ms-blob-type`,
//! block ids, `Range` and `If-Match` of a resumed download), the bytes stored and received, and
//! errors that never quote the signature.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use itwin_platform::runtime::{
    AttemptRequest, Bytes, CallOptions, Client, Error, Interceptor, InterceptorError, PresignedUrl,
    RetryPolicy, TransferErrorKind, TransferProgress, UploadBody,
};

use super::blob_server::{BlobServer, Logged, SIGNATURE};
use crate::log_capture::LogCapture;
use crate::support::scratch_dir;

const KIB: usize = 1024;
const TOKEN: &str = "platform-token-never-for-blobs";

/// Adds a header to every call of the client, to show that transfers do not run it.
struct Tagging;

impl Interceptor for Tagging {
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) -> Result<(), InterceptorError> {
        request.insert_header("x-interceptor", "ran")
    }
}

/// A client of the platform with a token, an interceptor and call headers, none of which a
/// blob host may see; retries without waits.
fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token(TOKEN)
        .interceptor(Tagging)
        .retry_policy(quick_retries(3))
        .build()
        .unwrap()
        .with_call_options(CallOptions::new().header("x-call-header", "platform-only"))
}

fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .backoff(Duration::ZERO, Duration::ZERO)
        .without_jitter()
}

/// `len` bytes whose content shows where a block went missing or moved.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 31 + i / 251) % 251) as u8).collect()
}

/// Every progress report, in order.
fn recorder() -> (
    Arc<Mutex<Vec<TransferProgress>>>,
    impl Fn(TransferProgress) + Send + Sync,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (seen, move |p| sink.lock().unwrap().push(p))
}

/// No request carried a credential of the client or ran its interceptor.
fn assert_no_credentials(requests: &[Logged]) {
    assert!(!requests.is_empty());
    for request in requests {
        assert_eq!(request.header("authorization"), None, "{request:?}");
        assert_eq!(request.header("x-interceptor"), None, "{request:?}");
        assert_eq!(request.header("x-call-header"), None, "{request:?}");
        assert_ne!(request.status, 401, "{request:?}");
    }
}

#[tokio::test]
async fn small_content_goes_in_one_put_blob_without_credentials() {
    let server = BlobServer::start().await;
    let bytes = content(100 * KIB);
    let (seen, progress) = recorder();
    let uploaded = client()
        .upload_presigned(server.url("files/small.bin"), bytes.clone())
        .content_type("application/octet-stream")
        .on_progress(progress)
        .send()
        .await
        .unwrap();
    assert_eq!((uploaded.bytes, uploaded.blocks), (100 * KIB as u64, 0));
    assert_eq!(server.blob("files/small.bin").unwrap(), bytes);
    let requests = server.requests();
    assert_no_credentials(&requests);
    assert_eq!(requests.len(), 1);
    let put = &requests[0];
    assert_eq!((put.method.as_str(), put.comp()), ("PUT", None));
    assert_eq!(put.header("x-ms-blob-type"), Some("BlockBlob"));
    assert_eq!(put.header("content-length"), Some("102400"));
    assert_eq!(
        put.header("x-ms-blob-content-type"),
        Some("application/octet-stream")
    );
    let last = *seen.lock().unwrap().last().unwrap();
    assert_eq!(
        (last.done, last.total),
        (100 * KIB as u64, Some(100 * KIB as u64))
    );
}

#[tokio::test]
async fn a_file_larger_than_a_block_goes_in_blocks_each_retried_on_its_own() {
    let server = BlobServer::start().await;
    let dir = scratch_dir();
    let file = dir.path().join("design.dgn");
    let bytes = content(2 * 1024 * KIB + 300 * KIB);
    std::fs::write(&file, &bytes).unwrap();
    // The second block fails twice with 500, then is stored.
    server.fail_block(1, 500, 2);
    let (seen, progress) = recorder();
    let uploaded = client()
        .upload_presigned(server.url("files/design.dgn"), UploadBody::path(&file))
        .block_size(1024 * KIB as u64)
        .on_progress(progress)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.blocks, 3);
    assert_eq!(
        server.blob("files/design.dgn").unwrap(),
        bytes,
        "the blob is the file"
    );

    let requests = server.requests();
    assert_no_credentials(&requests);
    let blocks: Vec<&Logged> = requests
        .iter()
        .filter(|r| r.comp() == Some("block"))
        .collect();
    let ids: Vec<&str> = blocks.iter().map(|r| r.query("blockid").unwrap()).collect();
    assert_eq!(
        blocks.len(),
        5,
        "three blocks, the second sent three times: {ids:?}"
    );
    assert_eq!(ids[1], ids[2]);
    assert_eq!(ids[2], ids[3]);
    assert_eq!(
        blocks.iter().map(|r| r.status).collect::<Vec<_>>(),
        [201, 500, 500, 201, 201]
    );
    assert!(
        ids.iter().all(|id| id.len() == ids[0].len()),
        "ids of one length: {ids:?}"
    );
    assert_eq!(
        blocks.iter().map(|r| r.body_len).collect::<Vec<_>>(),
        [1024 * KIB, 1024 * KIB, 1024 * KIB, 1024 * KIB, 300 * KIB]
    );
    let list = requests.last().unwrap();
    assert_eq!(
        (list.method.as_str(), list.comp()),
        ("PUT", Some("blocklist"))
    );
    assert_eq!(
        list.header("x-ms-blob-type"),
        None,
        "only Put Blob names the type"
    );

    let seen = seen.lock().unwrap();
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "{seen:?}");
    assert_eq!(seen.len(), 3, "one report per stored block: {seen:?}");
    assert_eq!(seen.last().unwrap().done, bytes.len() as u64);
    assert_eq!(seen.last().unwrap().total, Some(bytes.len() as u64));
}

#[tokio::test]
async fn a_stream_is_read_once_and_its_failed_block_sent_again_from_memory() {
    let server = BlobServer::start().await;
    let bytes = content(700 * KIB + 5);
    // Chunks of odd sizes, none aligned with the blocks; the stream cannot be read twice.
    let chunks: Vec<Result<Bytes, std::io::Error>> = bytes
        .chunks(37 * KIB + 3)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let polled = Arc::new(Mutex::new(0usize));
    let counter = polled.clone();
    let stream = futures::stream::iter(chunks).inspect(move |_| *counter.lock().unwrap() += 1);
    server.fail_block(2, 503, 1);
    let uploaded = client()
        .upload_presigned(
            server.url("files/streamed.bin"),
            UploadBody::stream(stream, None),
        )
        .block_size(128 * KIB as u64)
        .concurrency(3)
        .send()
        .await
        .unwrap();
    assert_eq!((uploaded.bytes, uploaded.blocks), (bytes.len() as u64, 6));
    assert_eq!(server.blob("files/streamed.bin").unwrap(), bytes);
    assert_eq!(
        *polled.lock().unwrap(),
        bytes.len().div_ceil(37 * KIB + 3),
        "each chunk read once"
    );
    let requests = server.requests();
    assert_no_credentials(&requests);
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.comp() == Some("block"))
            .count(),
        7
    );
}

#[tokio::test]
async fn a_stream_that_ends_within_its_first_block_goes_in_one_put_blob() {
    let server = BlobServer::start().await;
    let stream = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"tiny"))]);
    let uploaded = client()
        .upload_presigned(
            server.url("files/tiny.txt"),
            UploadBody::stream(stream, None),
        )
        .send()
        .await
        .unwrap();
    assert_eq!((uploaded.bytes, uploaded.blocks), (4, 0));
    assert_eq!(server.blob("files/tiny.txt").unwrap(), b"tiny");
}

#[tokio::test]
async fn a_block_that_keeps_failing_ends_the_upload_with_the_host_s_error() {
    let server = BlobServer::start().await;
    server.fail_block(0, 500, 10);
    let error = client()
        .upload_presigned(server.url("files/doomed.bin"), content(300 * KIB))
        .block_size(128 * KIB as u64)
        .send()
        .await
        .unwrap_err();
    let Error::Transfer(transfer) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transfer.operation(), "put-block");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(
        matches!(transfer.kind(), TransferErrorKind::Status { code: Some(code), .. } if code == "InternalError")
    );
    assert!(error.is_retryable());
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.comp() == Some("block"))
            .count(),
        3,
        "three attempts"
    );
}

#[tokio::test]
async fn a_dropped_download_resumes_with_a_range_where_it_stopped() {
    let server = BlobServer::start().await;
    let bytes = content(3 * 1024 * KIB + 17);
    server.put("checkpoints/a.bim", bytes.clone());
    server.drop_next_download_after(1024 * KIB as u64 + 11);
    let dir = scratch_dir();
    let target = dir.path().join("a.bim");
    let (seen, progress) = recorder();
    let downloaded = client()
        .download_presigned(server.url("checkpoints/a.bim"))
        .on_progress(progress)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(
        (downloaded.bytes, downloaded.resumed, downloaded.restarted),
        (bytes.len() as u64, 1, 0)
    );
    assert_eq!(std::fs::read(&target).unwrap(), bytes);

    let requests = server.requests();
    assert_no_credentials(&requests);
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("range"), None);
    assert_eq!(
        requests[1].header("range"),
        Some("bytes=1048587-"),
        "resumed after the bytes received"
    );
    assert!(requests[1]
        .header("if-match")
        .is_some_and(|etag| etag.starts_with("\"0x8D")));
    assert_eq!(requests[1].status, 206);
    let seen = seen.lock().unwrap();
    assert!(seen.windows(2).all(|w| w[0].done < w[1].done));
    assert_eq!(seen.last().unwrap().done, bytes.len() as u64);
    assert!(seen.iter().all(|p| p.total == Some(bytes.len() as u64)));
}

#[tokio::test]
async fn a_host_that_ignores_the_range_restarts_a_file_and_is_skipped_into_a_writer() {
    let server = BlobServer::start().await;
    let bytes = content(600 * KIB);
    server.put("c/blob.bin", bytes.clone());

    // A file is rewound and written anew.
    server.drop_next_download_after(200 * KIB as u64);
    server.ignore_next_range();
    let dir = scratch_dir();
    let target = dir.path().join("blob.bin");
    let downloaded = client()
        .download_presigned(server.url("c/blob.bin"))
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!((downloaded.resumed, downloaded.restarted), (0, 1));
    assert_eq!(std::fs::read(&target).unwrap(), bytes);

    // A writer keeps what it has; the repeated bytes are dropped.
    server.drop_next_download_after(200 * KIB as u64);
    server.ignore_next_range();
    let mut written = Vec::new();
    let downloaded = client()
        .download_presigned(server.url("c/blob.bin"))
        .to_writer(&mut written)
        .await
        .unwrap();
    assert_eq!((downloaded.resumed, downloaded.restarted), (1, 0));
    assert_eq!(written, bytes);
    let answers: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(answers, [200, 200, 200, 200]);
}

#[tokio::test]
async fn downloads_read_whole_and_listings_page() {
    let server = BlobServer::start().await;
    let names = [
        "tileset.json",
        "tiles/0.glb",
        "tiles/1.glb",
        "tiles/a&b.glb",
        "tiles/deep/2.glb",
    ];
    for (i, name) in names.iter().enumerate() {
        server.put(&format!("exports/job-1/{name}"), content(1000 + i));
    }
    server.put("exports/other-job/tileset.json", b"{}".to_vec());
    let client = client();
    let container = PresignedUrl::parse(&server.url("exports/job-1")).unwrap();
    let mut listed = client.list_presigned_container(&container).await.unwrap();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    let mut expected: Vec<&str> = names.to_vec();
    expected.sort_unstable();
    assert_eq!(
        listed.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(
        listed
            .iter()
            .find(|i| i.name == "tileset.json")
            .unwrap()
            .size,
        Some(1000)
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 3, "five blobs, two per page");
    assert!(requests
        .iter()
        .all(|r| r.path == "/exports" && r.query("prefix") == Some("job-1/")));
    assert_eq!(requests[1].query("marker"), Some("2"));

    let file = container.file("tiles/a&b.glb").unwrap();
    let bytes = client.download_presigned(&file).bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), content(1003).as_slice());
    assert_no_credentials(&server.requests());
}

#[tokio::test]
async fn urls_other_than_https_or_loopback_http_are_refused_before_sending() {
    let client = client();
    for url in [
        format!("http://account.blob.core.windows.net/c/b?sig={SIGNATURE}"),
        format!("ftp://127.0.0.1/c/b?sig={SIGNATURE}"),
        "https://user:secret@account.blob.core.windows.net/c/b".to_owned(),
        "nonsense".to_owned(),
    ] {
        let upload = client
            .upload_presigned(&url, b"x")
            .send()
            .await
            .unwrap_err();
        let download = client.download_presigned(&url).bytes().await.unwrap_err();
        for error in [upload, download] {
            let Error::Transfer(transfer) = &error else {
                panic!("{url}: {error:?}")
            };
            assert!(
                matches!(transfer.kind(), TransferErrorKind::InvalidUrl { .. }),
                "{url}: {error}"
            );
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(
                    !shown.contains("t3st") && !shown.contains("secret"),
                    "{shown}"
                );
            }
        }
    }
    let header = client
        .upload_presigned("https://account.blob.core.windows.net/c/b?sig=x", b"x")
        .header("Authorization", "Bearer smuggled")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(header, Error::InvalidRequest { .. }), "{header:?}");
}

#[tokio::test]
async fn errors_and_logs_never_show_the_signature() {
    let server = BlobServer::start().await;
    let log = LogCapture::start();
    // The server quotes the signature it got in its message; the error must not.
    let wrong = server.url("c/missing.bin").replace("t3st", "wr0ng");
    let error = client()
        .download_presigned(&wrong)
        .bytes()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    let Error::Transfer(transfer) = &error else {
        panic!("{error:?}")
    };
    assert!(
        matches!(transfer.kind(), TransferErrorKind::Status { code: Some(code), .. } if code == "AuthenticationFailed")
    );
    let missing = client()
        .download_presigned(server.url("c/missing.bin"))
        .bytes()
        .await
        .unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    assert!(!missing.is_retryable());
    let log = log.text();
    assert!(log.contains("itwin_transfer"), "{log}");
    // Nor do the builders' and the URL's `Debug`.
    let debug = [
        format!("{:?}", client().upload_presigned(server.url("c/b"), b"x")),
        format!("{:?}", client().download_presigned(server.url("c/b"))),
        format!("{:?}", PresignedUrl::parse(&server.url("c/b")).unwrap()),
    ];
    let messages = [
        error.to_string(),
        format!("{error:?}"),
        missing.to_string(),
        format!("{missing:?}"),
        log,
    ];
    for shown in debug.into_iter().chain(messages) {
        assert!(
            !shown.contains("t3st") && !shown.contains("wr0ng") && !shown.contains("s1gnature"),
            "{shown}"
        );
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}
