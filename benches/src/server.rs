//! A minimal keep-alive HTTP/1.1 server on loopback, for benchmarks of the client: it answers
//! requests without a body with answers given in advance, so that what is measured is the
//! client's work.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A whole HTTP/1.1 answer: status line, `content-type` and `content-length`, and `body`.
pub fn answer(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    [head.as_bytes(), body].concat()
}

/// Serves `answers` in turn, on its own thread: the first request gets the first answer, the
/// next the second, and so on round, whatever connection they come on. Requests must have no
/// body (each ends with its blank line).
///
/// # Panics
///
/// If `answers` is empty, or the server cannot listen on loopback.
pub fn serve(answers: Vec<Vec<u8>>) -> SocketAddr {
    assert!(!answers.is_empty(), "a server needs an answer");
    let answers: Arc<[Vec<u8>]> = answers.into();
    let served = Arc::new(AtomicUsize::new(0));
    let (ready, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                socket.set_nodelay(true).unwrap();
                let answers = Arc::clone(&answers);
                let served = Arc::clone(&served);
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 16 * 1024];
                    let mut filled = 0;
                    loop {
                        let Ok(n) = socket.read(&mut buffer[filled..]).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        filled += n;
                        while let Some(end) =
                            buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                        {
                            let turn = served.fetch_add(1, Ordering::Relaxed) % answers.len();
                            if socket.write_all(&answers[turn]).await.is_err() {
                                return;
                            }
                            buffer.copy_within(end + 4..filled, 0);
                            filled -= end + 4;
                        }
                    }
                });
            }
        });
    });
    address.recv().unwrap()
}
