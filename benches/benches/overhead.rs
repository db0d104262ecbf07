//! The generated client's overhead over hand-written reqwest, call by call: each case of
//! [`cases`](itwin_platform_benches::cases) runs in rounds, and within a round every call
//! through the generated client is paired with one by hand, the two alternating which goes
//! first. Both sides of a pair see the same machine, so drift (other builds, frequency changes)
//! moves both; each round gives a ratio, and the report gives the ratio of the sums of all
//! rounds and the median of the rounds' ratios.
//!
//! `cargo bench -p itwin-platform-benches --bench overhead [-- options]`, or `cargo xtask
//! bench`, which runs every benchmark and prints these ratios in its table. Options:
//!
//! - `--case NAME`: only this case (`small-json`, `list-1mb`, `retried-503`); repeatable.
//! - `--rounds N`: rounds per case (30 by default).
//! - `--calls N`: calls per round and side, instead of each case's own.
//! - `--only generated|hand-written`: run one side only, without pairs or report: for a
//!   profiler (`valgrind --tool=callgrind`, `perf record`).
//!
//! The ratios also go to `bench-overhead.json` in the target directory, for `cargo xtask bench`.

use std::time::{Duration, Instant};

use itwin_platform_benches::cases::{Case, Fixture};

/// Calls per round and side: about 5 ms of calls per side and round on a laptop-class core.
fn default_calls(case: Case) -> usize {
    match case {
        Case::SmallJson => 200,
        Case::LargeList => 10,
        Case::RetriedOnce => 100,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Generated,
    HandWritten,
}

struct Options {
    cases: Vec<Case>,
    rounds: usize,
    calls: Option<usize>,
    only: Option<Side>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        cases: Vec::new(),
        rounds: 30,
        calls: None,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    let number = |value: Option<String>, what: &str| {
        value
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{what} takes a positive number"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // What `cargo bench` passes to every benchmark.
            "--bench" => {}
            "--case" => {
                let name = args.next().unwrap_or_default();
                let case = Case::named(&name).ok_or_else(|| format!("no case `{name}`"))?;
                options.cases.push(case);
            }
            "--rounds" => options.rounds = number(args.next(), "--rounds")?,
            "--calls" => options.calls = Some(number(args.next(), "--calls")?),
            "--only" => {
                options.only = Some(match args.next().as_deref() {
                    Some("generated") => Side::Generated,
                    Some("hand-written") => Side::HandWritten,
                    _ => return Err("--only takes `generated` or `hand-written`".into()),
                })
            }
            // A filter of `cargo bench NAME`: this benchmark has no parts to filter.
            other if !other.starts_with('-') => {}
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if options.cases.is_empty() {
        options.cases = Case::ALL.to_vec();
    }
    Ok(options)
}

/// The sums of one round: the generated client's calls and the hand-written ones.
#[derive(Debug, Clone, Copy)]
struct Round {
    generated: Duration,
    hand_written: Duration,
}

impl Round {
    fn ratio(&self) -> f64 {
        self.generated.as_secs_f64() / self.hand_written.as_secs_f64()
    }
}

/// What one case measured.
struct Report {
    case: Case,
    calls: usize,
    rounds: Vec<Round>,
}

impl Report {
    fn sum(&self, side: impl Fn(&Round) -> Duration) -> Duration {
        self.rounds.iter().map(side).sum()
    }

    fn ratio_of_sums(&self) -> f64 {
        self.sum(|r| r.generated).as_secs_f64() / self.sum(|r| r.hand_written).as_secs_f64()
    }

    /// The median, least and greatest ratio of the rounds.
    fn round_ratios(&self) -> (f64, f64, f64) {
        let mut ratios: Vec<f64> = self.rounds.iter().map(Round::ratio).collect();
        ratios.sort_by(f64::total_cmp);
        let middle = ratios.len() / 2;
        let median = if ratios.len() % 2 == 0 {
            (ratios[middle - 1] + ratios[middle]) / 2.0
        } else {
            ratios[middle]
        };
        (median, ratios[0], ratios[ratios.len() - 1])
    }

    /// Microseconds per call of one side, over every round.
    fn per_call(&self, side: impl Fn(&Round) -> Duration) -> f64 {
        let calls = (self.calls * self.rounds.len()) as f64;
        self.sum(side).as_secs_f64() * 1e6 / calls
    }

    fn json(&self) -> serde_json::Value {
        let (median, least, most) = self.round_ratios();
        serde_json::json!({
            "case": self.case.name(),
            "title": self.case.title(),
            "rounds": self.rounds.len(),
            "calls_per_round": self.calls,
            "generated_us_per_call": self.per_call(|r| r.generated),
            "hand_written_us_per_call": self.per_call(|r| r.hand_written),
            "ratio_of_sums": self.ratio_of_sums(),
            "median_round_ratio": median,
            "least_round_ratio": least,
            "greatest_round_ratio": most,
        })
    }
}

async fn timed(call: impl std::future::Future<Output = ()>) -> Duration {
    let started = Instant::now();
    call.await;
    started.elapsed()
}

async fn measure(fixture: &Fixture, rounds: usize, calls: usize) -> Report {
    // Connections opened, caches and the allocator warm.
    for _ in 0..calls.max(20) {
        fixture.generated().await;
        fixture.hand_written().await;
    }
    let mut measured = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let mut sums = Round {
            generated: Duration::ZERO,
            hand_written: Duration::ZERO,
        };
        for call in 0..calls {
            if (round + call) % 2 == 0 {
                sums.generated += timed(fixture.generated()).await;
                sums.hand_written += timed(fixture.hand_written()).await;
            } else {
                sums.hand_written += timed(fixture.hand_written()).await;
                sums.generated += timed(fixture.generated()).await;
            }
        }
        measured.push(sums);
    }
    Report {
        case: fixture.case(),
        calls,
        rounds: measured,
    }
}

fn print(report: &Report) {
    let (median, least, most) = report.round_ratios();
    println!(
        "| {:<44} | {:>9.1} | {:>9.1} | {:>6.3}× | {:>6.3}× | {:.3}–{:.3} |",
        report.case.title(),
        report.per_call(|r| r.generated),
        report.per_call(|r| r.hand_written),
        report.ratio_of_sums(),
        median,
        least,
        most,
    );
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if let Some(side) = options.only {
        for &case in &options.cases {
            let calls = options.calls.unwrap_or_else(|| default_calls(case)) * options.rounds;
            let fixture = runtime.block_on(async { Fixture::new(case) });
            runtime.block_on(async {
                for _ in 0..calls {
                    match side {
                        Side::Generated => fixture.generated().await,
                        Side::HandWritten => fixture.hand_written().await,
                    }
                }
            });
        }
        return;
    }
    println!(
        "\nGenerated client against hand-written reqwest, paired call by call ({} rounds):\n",
        options.rounds
    );
    println!(
        "| {:<44} | {:>9} | {:>9} | {:>7} | {:>7} | {:<11} |",
        "case", "generated", "by hand", "sums", "median", "rounds"
    );
    println!(
        "| {:<44} | {:>9} | {:>9} | {:>7} | {:>7} | {:<11} |",
        "", "µs/call", "µs/call", "ratio", "ratio", "range"
    );
    println!(
        "|{:-<46}|{:->11}|{:->11}|{:->9}|{:->9}|{:-<13}|",
        "", "", "", "", "", ""
    );
    let mut reports = Vec::new();
    for &case in &options.cases {
        let calls = options.calls.unwrap_or_else(|| default_calls(case));
        let fixture = runtime.block_on(async { Fixture::new(case) });
        let report = runtime.block_on(measure(&fixture, options.rounds, calls));
        print(&report);
        reports.push(report.json());
    }
    let path = xtask::target_dir().join("bench-overhead.json");
    let json = serde_json::to_string_pretty(&reports).unwrap();
    if let Err(error) = std::fs::write(&path, json) {
        eprintln!("cannot write {}: {error}", path.display());
    }
}
