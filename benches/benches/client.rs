//! Client time per call, in absolute terms: Get iTwin roles through the generated client against
//! a local HTTP server on loopback, and the same call by hand with reqwest and serde_json (the
//! small case of [`cases`](itwin_platform_benches::cases)).
//!
//! Criterion measures the two one group after the other, so drift of the machine between them
//! moves one and not the other: their ratio is the interleaved benchmark's (`overhead`), which
//! pairs the calls one by one.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use itwin_platform_benches::cases::{Case, Fixture};

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fixture = runtime.block_on(async { Fixture::new(Case::SmallJson) });
    let fixture = &fixture;

    let mut group = c.benchmark_group("client");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated get-itwin-roles", |b| {
        b.to_async(&runtime).iter(|| fixture.generated())
    });
    group.bench_function("hand-written reqwest + serde_json", |b| {
        b.to_async(&runtime).iter(|| fixture.hand_written())
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
