//! Peak memory of 200 MiB binary transfers through the generated client, against a local HTTP
//! server on loopback: uploads from a file, a stream and bytes in memory, and downloads read as
//! a stream and whole. Not a timing: it prints how far the heap (a counting global allocator)
//! and the resident set (`VmHWM`) rose above where they were before each transfer.
//!
//! The server runs on plain threads with stack buffers, so that the heap counted is the
//! client's. Run with `cargo bench -p itwin-platform-benches --bench memory` (or
//! `cargo xtask bench`, which runs every benchmark).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use futures_util::StreamExt;
use itwin_platform::imodels::UploadIModelThumbnailContentType;
use itwin_platform::runtime::{Bytes, UploadBody};
use itwin_platform::{Client, RetryPolicy};
use itwin_platform_benches::counting::{self, Counting};

const MIB: usize = 1024 * 1024;
const SIZE: usize = 200 * MIB;
/// The size of the chunks a caller's stream yields.
const CHUNK: usize = 64 * 1024;
const IMODEL: &str = "5e19bee0-3aea-4355-a9f0-c6df9989ee7d";

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Where the heap and the resident set stood before a transfer.
struct Baseline {
    heap: usize,
    resident: Option<u64>,
}

impl Baseline {
    /// Resets the peaks to now: the heap's here, the resident set's with `clear_refs` (Linux).
    fn now() -> Baseline {
        let heap = counting::in_use();
        counting::reset_peak();
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        Baseline {
            heap,
            resident: reset.then(|| status_kib("VmHWM")).flatten(),
        }
    }

    /// MiB above the baseline at the peak: of the heap, and of the resident set if known.
    fn rise(&self) -> (f64, Option<f64>) {
        let heap = counting::peak().saturating_sub(self.heap);
        let resident = self.resident.and_then(|before| {
            status_kib("VmHWM").map(|after| after.saturating_sub(before) as f64 / 1024.0)
        });
        (heap as f64 / MIB as f64, resident)
    }
}

/// A `kB` line of /proc/self/status, such as `VmHWM`.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A server that answers a PUT by reading and dropping its body (by `Content-Length`) and a
/// GET with `SIZE` bytes, one thread per connection, with stack buffers only.
fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for socket in listener.incoming() {
            let socket = socket.unwrap();
            std::thread::spawn(move || answer(socket));
        }
    });
    address
}

fn answer(mut socket: TcpStream) {
    let mut buffer = [0u8; 64 * 1024];
    loop {
        // The head, and whatever part of the body came with it.
        let mut filled = 0;
        let end = loop {
            let Ok(n) = socket.read(&mut buffer[filled..]) else {
                return;
            };
            if n == 0 {
                return;
            }
            filled += n;
            if let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
        };
        let head = std::str::from_utf8(&buffer[..end])
            .unwrap()
            .to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        let mut unread = length - (filled - end);
        while unread > 0 {
            let n = socket.read(&mut buffer[..unread.min(64 * 1024)]).unwrap();
            assert!(n > 0, "the upload ended early");
            unread -= n;
        }
        if head.starts_with("put") {
            socket
                .write_all(b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
        } else {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: {SIZE}\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).unwrap();
            let chunk = [7u8; 64 * 1024];
            for _ in 0..SIZE / chunk.len() {
                if socket.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
    }
}

/// `SIZE` bytes as a caller's stream of fresh `CHUNK`-sized buffers.
fn generated_chunks() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::iter(0..SIZE / CHUNK).map(|i| Ok(Bytes::from(vec![i as u8; CHUNK])))
}

async fn upload(client: &Client, body: UploadBody) {
    client
        .imodels()
        .upload_imodel_thumbnail(IMODEL, UploadIModelThumbnailContentType::ImagePng, body)
        .send()
        .await
        .expect("the upload succeeds");
}

fn report(case: &str, baseline: &Baseline) {
    let (heap, resident) = baseline.rise();
    let resident = resident.map_or("n/a".to_owned(), |r| format!("{r:.1}"));
    println!("| {case:<44} | {heap:>9.1} | {resident:>9} |");
}

fn main() {
    // `cargo bench` passes `--bench` and any filter: this program has one table to print.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let address = serve();
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .access_token("bench-token")
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(600))
        .max_response_bytes(SIZE + MIB)
        .build()
        .unwrap();
    let file = xtask::workspace_root().join("target/bench-upload-200mib.bin");
    std::fs::write(&file, vec![7u8; SIZE]).unwrap();

    println!("\nPeak memory above the baseline of a 200 MiB transfer (MiB):\n");
    println!("| {:<44} | {:>9} | {:>9} |", "transfer", "heap", "VmHWM");
    println!("|{:-<46}|{:->11}|{:->11}|", "", "", "");
    runtime.block_on(async {
        // A first call opens the connection and fills the client's lazy state.
        upload(&client, UploadBody::from(&b"warm-up"[..])).await;

        let baseline = Baseline::now();
        upload(&client, UploadBody::path(&file)).await;
        report("upload, streamed from a path", &baseline);

        let baseline = Baseline::now();
        let opened = tokio::fs::File::open(&file).await.unwrap();
        upload(&client, UploadBody::file(opened).await.unwrap()).await;
        report("upload, streamed from an open file", &baseline);

        let baseline = Baseline::now();
        let stream = UploadBody::stream(generated_chunks(), Some(SIZE as u64));
        upload(&client, stream).await;
        report("upload, streamed from 64 KiB chunks", &baseline);

        let baseline = Baseline::now();
        upload(&client, UploadBody::from(vec![7u8; SIZE])).await;
        report("upload, buffered (a Vec<u8>, itself counted)", &baseline);

        let thumbnail = || client.imodels().get_imodel_thumbnail(IMODEL);
        let baseline = Baseline::now();
        let mut stream = thumbnail().send_stream().await.unwrap().into_body();
        let mut read = 0;
        while let Some(chunk) = stream.next().await {
            read += chunk.unwrap().len();
        }
        assert_eq!(read, SIZE);
        report("download, streamed (chunks dropped as read)", &baseline);

        let baseline = Baseline::now();
        let whole = thumbnail().send().await.unwrap();
        assert_eq!(whole.len(), SIZE);
        drop(whole);
        report("download, buffered (send)", &baseline);
    });
    let _ = std::fs::remove_file(&file);
}
