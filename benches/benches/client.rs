//! Client overhead: Get iTwin roles through the generated client against a local HTTP server on
//! loopback, and the same request and payload by hand with reqwest and serde_json.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";
const ACCEPT: &str = "application/vnd.bentley.itwin-platform.v2+json";

/// The 200 example of Get iTwin roles, from spec/access-control.json.
fn roles_example() -> Vec<u8> {
    let spec = xtask::spec_dir(&xtask::workspace_root()).join("access-control.json");
    let definition: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    let example = &definition["paths"]["/itwins/{id}/roles"]["get"]["responses"]["200"]["content"]
        ["application/json"]["example"];
    serde_json::to_vec(example).unwrap()
}

/// A keep-alive HTTP/1.1 server that answers every request with `body`, on its own thread.
fn serve(body: Vec<u8>) -> SocketAddr {
    let (ready, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready.send(listener.local_addr().unwrap()).unwrap();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            let answer: Vec<u8> = [head.as_bytes(), &body].concat();
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                let answer = answer.clone();
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
                        // Requests here have no body: each ends with a blank line.
                        while let Some(end) =
                            buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                        {
                            if socket.write_all(&answer).await.is_err() {
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

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainRoles {
    roles: Vec<PlainRole>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainRole {
    id: String,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    description: Option<String>,
    permissions: Option<Vec<String>>,
}

fn overhead(c: &mut Criterion) {
    let address = serve(roles_example());
    let base = format!("http://{address}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = itwin_platform::Client::builder()
        .base_url(&base)
        .access_token("bench-token")
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{base}/accesscontrol/itwins/{ITWIN}/roles");

    let mut group = c.benchmark_group("client");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated get-itwin-roles", |b| {
        b.to_async(&runtime).iter(|| async {
            let roles = client
                .access_control()
                .get_itwin_roles(black_box(ITWIN))
                .send()
                .await
                .unwrap();
            assert_eq!(roles.roles.len(), 2);
        })
    });
    group.bench_function("hand-written reqwest + serde_json", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = http
                .get(black_box(&url))
                .header("authorization", "Bearer bench-token")
                .header("accept", ACCEPT)
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            let roles: PlainRoles = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(roles.roles.len(), 2);
        })
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
