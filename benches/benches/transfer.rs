//! Peak memory of 1 GiB transfers through pre-signed URLs (`Client::upload_presigned`,
//! `Client::download_presigned`) against a blob host on loopback: uploads in blocks from a
//! file and from a stream, downloads to a file and to a writer. Not a timing: it prints how far
//! the heap (a counting global allocator) and the resident set (`VmHWM`) rose above where they
//! were before each transfer, and, for information only, how long each took.
//!
//! The host runs on plain threads with stack buffers, so that the heap counted is the
//! client's. It answers a `PUT` (Put Blob, Put Block, Put Block List) by reading and dropping
//! its body, and a `GET` with 1 GiB (206 and the rest for a `Range`), and refuses any request
//! with an `Authorization` header. Run with `cargo bench -p itwin-platform-benches --bench
//! transfer` (or `cargo xtask bench`, which runs every benchmark).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use itwin_platform::runtime::{Bytes, UploadBody};
use itwin_platform::{Client, RetryPolicy};

const MIB: usize = 1024 * 1024;
const SIZE: usize = 1024 * MIB;
/// The size of the chunks a caller's stream yields.
const CHUNK: usize = 64 * 1024;
/// The query of the pre-signed URLs (the host does not check it).
const SAS: &str = "sv=2021-08-06&sr=b&sp=rcw&sig=bench";

/// The system allocator, counting the bytes in use and the most in use since the last reset.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Where the heap and the resident set stood before a transfer, and when it began.
struct Baseline {
    heap: usize,
    resident: Option<u64>,
    started: Instant,
}

impl Baseline {
    /// Resets the peaks to now: the heap's here, the resident set's with `clear_refs` (Linux).
    fn now() -> Baseline {
        let heap = IN_USE.load(Ordering::Relaxed);
        PEAK.store(heap, Ordering::Relaxed);
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        Baseline {
            heap,
            resident: reset.then(|| status_kib("VmHWM")).flatten(),
            started: Instant::now(),
        }
    }

    /// MiB above the baseline at the peak: of the heap, and of the resident set if known.
    fn rise(&self) -> (f64, Option<f64>) {
        let heap = PEAK.load(Ordering::Relaxed).saturating_sub(self.heap);
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

/// The blob host, one thread per connection, with stack buffers only.
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
        if head.lines().any(|l| l.starts_with("authorization:")) {
            let refused = b"HTTP/1.1 401 Unauthorized\r\nx-ms-error-code: NoAuthorizationExpected\r\ncontent-length: 0\r\n\r\n";
            socket.write_all(refused).unwrap();
            continue;
        }
        if head.starts_with("put") {
            socket
                .write_all(b"HTTP/1.1 201 Created\r\netag: \"0x8D1\"\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
            continue;
        }
        let start: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("range: bytes="))
            .and_then(|r| r.trim().strip_suffix('-'))
            .map_or(0, |s| s.parse().unwrap());
        let head = match start {
            0 => format!("HTTP/1.1 200 OK\r\netag: \"0x8D1\"\r\ncontent-length: {SIZE}\r\n\r\n"),
            start => format!(
                "HTTP/1.1 206 Partial Content\r\netag: \"0x8D1\"\r\ncontent-range: bytes {start}-{}/{SIZE}\r\ncontent-length: {}\r\n\r\n",
                SIZE - 1,
                SIZE - start
            ),
        };
        socket.write_all(head.as_bytes()).unwrap();
        let chunk = [7u8; 64 * 1024];
        let mut left = SIZE - start;
        while left > 0 {
            let n = left.min(chunk.len());
            if socket.write_all(&chunk[..n]).is_err() {
                return;
            }
            left -= n;
        }
    }
}

/// `SIZE` bytes as a caller's stream of fresh `CHUNK`-sized buffers.
fn generated_chunks() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::iter(0..SIZE / CHUNK).map(|i| Ok(Bytes::from(vec![i as u8; CHUNK])))
}

fn report(case: &str, baseline: &Baseline) {
    let (heap, resident) = baseline.rise();
    let seconds = baseline.started.elapsed().as_secs_f64();
    let resident = resident.map_or("n/a".to_owned(), |r| format!("{r:.1}"));
    println!("| {case:<52} | {heap:>9.1} | {resident:>9} | {seconds:>6.1} |");
}

fn main() {
    // `cargo bench` passes `--bench` and any filter: this program has one table to print.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let address = serve();
    let url = |name: &str| format!("http://{address}/bench/{name}?{SAS}");
    // A token the host must never see: it refuses any request that carries one.
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .access_token("platform-token")
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let target = xtask::workspace_root().join("target");
    let source = target.join("bench-transfer-1gib.bin");
    let downloaded = target.join("bench-transfer-1gib.out");
    {
        let mut file = std::fs::File::create(&source).unwrap();
        let block = vec![7u8; 8 * MIB];
        for _ in 0..SIZE / block.len() {
            file.write_all(&block).unwrap();
        }
    }

    println!(
        "\nPeak memory above the baseline of a 1 GiB transfer through a pre-signed URL (MiB):\n"
    );
    println!(
        "| {:<52} | {:>9} | {:>9} | {:>6} |",
        "transfer", "heap", "VmHWM", "s"
    );
    println!("|{:-<54}|{:->11}|{:->11}|{:->8}|", "", "", "", "");
    runtime.block_on(async {
        // A first transfer opens the connection and fills the client's lazy state.
        client
            .upload_presigned(url("warm-up"), &b"warm-up"[..])
            .send()
            .await
            .unwrap();

        let baseline = Baseline::now();
        let sent = client
            .upload_presigned(url("a"), UploadBody::path(&source))
            .send()
            .await
            .unwrap();
        assert_eq!((sent.bytes, sent.blocks), (SIZE as u64, 128));
        report("upload, path, 8 MiB blocks (default)", &baseline);

        let baseline = Baseline::now();
        let sent = client
            .upload_presigned(url("b"), UploadBody::path(&source))
            .concurrency(4)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.bytes, SIZE as u64);
        report("upload, path, 8 MiB blocks, 4 at once", &baseline);

        let baseline = Baseline::now();
        let stream = UploadBody::stream(generated_chunks(), None);
        let sent = client
            .upload_presigned(url("c"), stream)
            .send()
            .await
            .unwrap();
        assert_eq!((sent.bytes, sent.blocks), (SIZE as u64, 128));
        report("upload, stream of 64 KiB chunks, 8 MiB blocks", &baseline);

        let baseline = Baseline::now();
        let stream = UploadBody::stream(generated_chunks(), None);
        let sent = client
            .upload_presigned(url("d"), stream)
            .block_size(2 * MIB as u64)
            .send()
            .await
            .unwrap();
        assert_eq!((sent.bytes, sent.blocks), (SIZE as u64, 512));
        report("upload, stream of 64 KiB chunks, 2 MiB blocks", &baseline);

        let baseline = Baseline::now();
        let got = client
            .download_presigned(url("e"))
            .to_path(&downloaded)
            .await
            .unwrap();
        assert_eq!(got.bytes, SIZE as u64);
        report("download, to a file", &baseline);

        let baseline = Baseline::now();
        let mut sink = tokio::io::sink();
        let got = client
            .download_presigned(url("f"))
            .to_writer(&mut sink)
            .await
            .unwrap();
        assert_eq!(got.bytes, SIZE as u64);
        report("download, to a writer (tokio::io::sink)", &baseline);
    });
    assert_eq!(std::fs::metadata(&downloaded).unwrap().len(), SIZE as u64);
    let _ = std::fs::remove_file(&source);
    let _ = std::fs::remove_file(&downloaded);
}
