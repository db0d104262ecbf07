//! The generated client's overhead over hand-written reqwest, call by call: each case of
//! [`cases`](itwin_platform_benches::cases) runs in rounds, and within a round every call
//! through the generated client is paired with one by hand, the two alternating which goes
//! first. Both sides of a pair see the same machine, so drift (other builds, frequency changes)
//! moves both; each round gives a ratio, and the report gives the ratio of the sums of all
//! rounds and the median of the rounds' ratios, for the wall clock and for the CPU time of the
//! calling thread (which leaves out the time a busy machine kept it waiting).
//!
//! `cargo bench -p itwin-platform-benches --bench overhead [-- options]`, or `cargo xtask
//! bench`, which runs every benchmark and prints these ratios in its table. Options:
//!
//! - `--case NAME`: only this case (`small-json`, `list-1mb`, `retried-503`); repeatable.
//! - `--rounds N`: rounds per case (30 by default).
//! - `--calls N`: calls per round and side, instead of each case's own.
//! - `--only generated|hand-written`: run one side only, without pairs or report: for a
//!   profiler (`valgrind --tool=callgrind`, `perf record`).
//! - `--control`: pair the hand-written calls with themselves, for the method's own noise: the
//!   ratios should come out at 1.
//! - `--hand-timeout`: give the hand-written calls the generated client's default timeout
//!   (60 s), whose timer is part of what the generated client pays per call.
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
    control: bool,
    hand_timeout: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        cases: Vec::new(),
        rounds: 30,
        calls: None,
        only: None,
        control: false,
        hand_timeout: false,
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
            "--control" => options.control = true,
            "--hand-timeout" => options.hand_timeout = true,
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

/// Time spent by one call, or by many summed: on the wall clock, and on the CPU by the calling
/// thread (which runs the client and its connection; the server runs on a thread of its own).
/// On a busy machine the wall clock also counts the time the thread waited for a processor;
/// the CPU clock does not.
#[derive(Debug, Clone, Copy, Default)]
struct Spent {
    wall: Duration,
    cpu: Duration,
}

impl std::ops::AddAssign for Spent {
    fn add_assign(&mut self, other: Spent) {
        self.wall += other.wall;
        self.cpu += other.cpu;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clock {
    Wall,
    Cpu,
}

impl Spent {
    fn on(&self, clock: Clock) -> f64 {
        match clock {
            Clock::Wall => self.wall.as_secs_f64(),
            Clock::Cpu => self.cpu.as_secs_f64(),
        }
    }
}

/// The CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // Safety: `now` is a valid timespec to write to; the clock exists on every Linux.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread's CPU clock cannot be read");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The sums of one round: the generated client's calls and the hand-written ones.
#[derive(Debug, Clone, Copy, Default)]
struct Round {
    generated: Spent,
    hand_written: Spent,
}

impl Round {
    fn ratio(&self, clock: Clock) -> f64 {
        self.generated.on(clock) / self.hand_written.on(clock)
    }
}

/// What one case measured.
struct Report {
    case: Case,
    calls: usize,
    rounds: Vec<Round>,
}

/// The ratios of one clock: of the sums of all rounds, and the median, least and greatest of
/// the rounds' own.
struct Ratios {
    of_sums: f64,
    median: f64,
    least: f64,
    greatest: f64,
}

impl Report {
    fn sum(&self, side: impl Fn(&Round) -> Spent, clock: Clock) -> f64 {
        self.rounds.iter().map(|round| side(round).on(clock)).sum()
    }

    fn ratios(&self, clock: Clock) -> Ratios {
        let mut rounds: Vec<f64> = self.rounds.iter().map(|r| r.ratio(clock)).collect();
        rounds.sort_by(f64::total_cmp);
        let middle = rounds.len() / 2;
        let median = if rounds.len() % 2 == 0 {
            (rounds[middle - 1] + rounds[middle]) / 2.0
        } else {
            rounds[middle]
        };
        Ratios {
            of_sums: self.sum(|r| r.generated, clock) / self.sum(|r| r.hand_written, clock),
            median,
            least: rounds[0],
            greatest: rounds[rounds.len() - 1],
        }
    }

    /// Microseconds per call of one side on one clock, over every round.
    fn per_call(&self, side: impl Fn(&Round) -> Spent, clock: Clock) -> f64 {
        let calls = (self.calls * self.rounds.len()) as f64;
        self.sum(side, clock) * 1e6 / calls
    }

    fn json(&self) -> serde_json::Value {
        let clock = |clock: Clock| {
            let ratios = self.ratios(clock);
            serde_json::json!({
                "generated_us_per_call": self.per_call(|r| r.generated, clock),
                "hand_written_us_per_call": self.per_call(|r| r.hand_written, clock),
                "ratio_of_sums": ratios.of_sums,
                "median_round_ratio": ratios.median,
                "least_round_ratio": ratios.least,
                "greatest_round_ratio": ratios.greatest,
            })
        };
        serde_json::json!({
            "case": self.case.name(),
            "title": self.case.title(),
            "rounds": self.rounds.len(),
            "calls_per_round": self.calls,
            "wall": clock(Clock::Wall),
            "cpu": clock(Clock::Cpu),
        })
    }
}

/// The time `calls` calls of `call` take, one after the other.
async fn timed<F: std::future::Future<Output = ()>>(calls: usize, call: impl Fn() -> F) -> Spent {
    let (wall, cpu) = (Instant::now(), thread_cpu());
    for _ in 0..calls {
        call().await;
    }
    Spent {
        cpu: thread_cpu() - cpu,
        wall: wall.elapsed(),
    }
}

async fn measure(fixture: &Fixture, rounds: usize, calls: usize, control: bool) -> Report {
    // The generated side, or for a control run the hand-written one again.
    let generated = || async move {
        if control {
            fixture.hand_written().await;
        } else {
            fixture.generated().await;
        }
    };
    // Connections opened, caches and the allocator warm.
    for _ in 0..calls.max(20) {
        generated().await;
        fixture.hand_written().await;
    }
    // Calls are timed in blocks, the two sides' alternating: reading the thread's CPU clock is
    // a system call of about a microsecond, which a block shares among its calls.
    let block = (calls / 20).max(1);
    let mut measured = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let mut sums = Round::default();
        for pair in 0..calls.div_ceil(block) {
            let size = block.min(calls - pair * block);
            if (round + pair) % 2 == 0 {
                sums.generated += timed(size, generated).await;
                sums.hand_written += timed(size, || fixture.hand_written()).await;
            } else {
                sums.hand_written += timed(size, || fixture.hand_written()).await;
                sums.generated += timed(size, generated).await;
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
    for (clock, name) in [(Clock::Wall, "wall"), (Clock::Cpu, "cpu")] {
        let ratios = report.ratios(clock);
        println!(
            "| {:<44} | {:<4} | {:>9.1} | {:>9.1} | {:>6.3}× | {:>6.3}× | {:.3}–{:.3} |",
            report.case.title(),
            name,
            report.per_call(|r| r.generated, clock),
            report.per_call(|r| r.hand_written, clock),
            ratios.of_sums,
            ratios.median,
            ratios.least,
            ratios.greatest,
        );
    }
}

/// The case's fixture, as the options set it up.
fn fixture(case: Case, options: &Options) -> Fixture {
    let fixture = Fixture::new(case);
    if options.hand_timeout {
        fixture.with_hand_timeout(Duration::from_secs(60))
    } else {
        fixture
    }
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
            let fixture = runtime.block_on(async { fixture(case, &options) });
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
    let title = match (options.control, options.hand_timeout) {
        (true, _) => "Control: hand-written reqwest against itself",
        (false, true) => "Generated client against hand-written reqwest with a 60 s timeout",
        (false, false) => "Generated client against hand-written reqwest",
    };
    println!(
        "\n{title}, paired call by call ({} rounds):\n",
        options.rounds
    );
    println!(
        "| {:<44} | {:<4} | {:>9} | {:>9} | {:>7} | {:>7} | {:<11} |",
        "case", "time", "generated", "by hand", "sums", "median", "rounds"
    );
    println!(
        "| {:<44} | {:<4} | {:>9} | {:>9} | {:>7} | {:>7} | {:<11} |",
        "", "", "µs/call", "µs/call", "ratio", "ratio", "range"
    );
    println!(
        "|{:-<46}|{:-<6}|{:->11}|{:->11}|{:->9}|{:->9}|{:-<13}|",
        "", "", "", "", "", "", ""
    );
    let mut reports = Vec::new();
    for &case in &options.cases {
        let calls = options.calls.unwrap_or_else(|| default_calls(case));
        let fixture = runtime.block_on(async { fixture(case, &options) });
        let report = runtime.block_on(measure(&fixture, options.rounds, calls, options.control));
        print(&report);
        reports.push(report.json());
    }
    // The file holds the comparison as the issue defines it.
    if options.control || options.hand_timeout {
        return;
    }
    let path = xtask::target_dir().join("bench-overhead.json");
    let json = serde_json::to_string_pretty(&reports).unwrap();
    let written =
        std::fs::create_dir_all(xtask::target_dir()).and_then(|()| std::fs::write(&path, json));
    if let Err(error) = written {
        eprintln!("cannot write {}: {error}", path.display());
    }
}
