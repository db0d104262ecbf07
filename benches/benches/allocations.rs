//! Allocations per call, through the generated client and by hand with reqwest, for each case
//! of [`cases`](itwin_platform_benches::cases): what the calling thread allocates (the
//! loopback server runs on a thread of its own, uncounted), averaged over many calls after a
//! warm-up. Not a timing: a count that is the same on a busy machine as on an idle one.
//!
//! `cargo bench -p itwin-platform-benches --bench allocations` (or `cargo xtask bench`).

use itwin_platform_benches::cases::{Case, Fixture};
use itwin_platform_benches::counting::{thread_allocations, Allocations, Counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const CALLS: u64 = 200;

/// The allocations of `CALLS` runs of `call`, per call.
async fn per_call<F: std::future::Future<Output = ()>>(call: impl Fn() -> F) -> (f64, f64) {
    for _ in 0..20 {
        call().await;
    }
    let before = thread_allocations();
    for _ in 0..CALLS {
        call().await;
    }
    let Allocations { count, bytes } = thread_allocations() - before;
    (count as f64 / CALLS as f64, bytes as f64 / CALLS as f64)
}

fn main() {
    // `cargo bench` passes `--bench` and any filter: this program has one table to print.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("\nAllocations per call on the calling thread (count, and KiB asked for):\n");
    println!(
        "| {:<44} | {:>9} | {:>9} | {:>9} | {:>9} |",
        "case", "generated", "by hand", "gen. KiB", "hand KiB"
    );
    println!(
        "|{:-<46}|{:->11}|{:->11}|{:->11}|{:->11}|",
        "", "", "", "", ""
    );
    for case in Case::ALL {
        let fixture = runtime.block_on(async { Fixture::new(case) });
        let fixture = &fixture;
        let generated = runtime.block_on(per_call(|| fixture.generated()));
        let hand_written = runtime.block_on(per_call(|| fixture.hand_written()));
        println!(
            "| {:<44} | {:>9.1} | {:>9.1} | {:>9.1} | {:>9.1} |",
            case.title(),
            generated.0,
            hand_written.0,
            generated.1 / 1024.0,
            hand_written.1 / 1024.0
        );
    }
}
