//! What became of one definition: generated, refused with a reason, over a bound, or panicked.

use serde::Serialize;

use super::bounded::{Bounds, Exit, Finished};

/// The result of generating one definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "kebab-case")]
pub enum Outcome {
    Generated,
    /// The generator's error message, as printed.
    Refused(String),
    OverTime,
    /// The allocation that failed, as the runtime reported it.
    OverMemory(String),
    /// The panic message, or the signal and what the process said before it.
    Panicked(String),
}

impl Outcome {
    /// The short name used in tables: `generated`, `refused`, `over-time`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Generated => "generated",
            Outcome::Refused(_) => "refused",
            Outcome::OverTime => "over-time",
            Outcome::OverMemory(_) => "over-memory",
            Outcome::Panicked(_) => "panicked",
        }
    }

    pub fn is_over_bound(&self) -> bool {
        matches!(self, Outcome::OverTime | Outcome::OverMemory(_))
    }
}

/// Reads the outcome off how `xtask generate` ended, what it wrote to stderr and what it took.
pub fn classify(finished: &Finished, bounds: Bounds) -> Outcome {
    let stderr = &finished.stderr;
    // The Rust runtime aborts on a failed allocation with this line; under RLIMIT_AS that is
    // the memory bound being hit, not a bug in the generator's logic.
    if let Some(line) = stderr
        .lines()
        .find(|l| l.starts_with("memory allocation of"))
    {
        return Outcome::OverMemory(line.to_owned());
    }
    match finished.exit {
        Exit::TimedOut => Outcome::OverTime,
        Exit::Code(0) if finished.peak_rss_kib << 10 > bounds.memory => Outcome::OverMemory(
            format!("peak resident memory {} MiB", finished.peak_rss_kib >> 10),
        ),
        Exit::Code(0) if finished.elapsed > bounds.time => Outcome::OverTime,
        Exit::Code(0) => Outcome::Generated,
        Exit::Code(1) => match stderr.lines().rev().find_map(|l| l.strip_prefix("error: ")) {
            Some(message) => Outcome::Refused(message.to_owned()),
            None => Outcome::Panicked(format!("exit code 1 without an error: {}", tail(stderr))),
        },
        Exit::Code(code) => Outcome::Panicked(panic_message(stderr, &format!("exit code {code}"))),
        Exit::Signal(signal) => {
            Outcome::Panicked(panic_message(stderr, &format!("killed by signal {signal}")))
        }
    }
}

/// `thread 'main' panicked at src/x.rs:1:2:` is followed by the message on the next line.
fn panic_message(stderr: &str, how: &str) -> String {
    let mut lines = stderr.lines();
    while let Some(line) = lines.next() {
        if line.contains("panicked at") {
            let message = lines.next().unwrap_or_default();
            return format!("{how}: {} {message}", line.trim());
        }
        if line.contains("overflowed its stack") {
            return format!("{how}: {}", line.trim());
        }
    }
    format!("{how}: {}", tail(stderr))
}

/// The last non-empty line, for an ending with no recognisable message.
fn tail(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(nothing on stderr)")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const BOUNDS: Bounds = Bounds {
        time: Duration::from_secs(2),
        memory: 512 << 20,
    };

    fn finished(exit: Exit, stderr: &str) -> Finished {
        Finished {
            exit,
            elapsed: Duration::ZERO,
            peak_rss_kib: 0,
            cpu: Duration::ZERO,
            stderr: stderr.to_owned(),
        }
    }

    #[test]
    fn a_zero_exit_is_generated_whatever_the_warnings() {
        let f = finished(
            Exit::Code(0),
            "warning: a.json: at /x: oneOf kept as Value\n",
        );
        assert_eq!(classify(&f, BOUNDS), Outcome::Generated);
    }

    #[test]
    fn an_error_line_is_a_refusal_with_its_message() {
        let f = finished(
            Exit::Code(1),
            "warning: w\nerror: a.json: at /paths: $ref `#/x` points to nothing\n",
        );
        assert_eq!(
            classify(&f, BOUNDS),
            Outcome::Refused("a.json: at /paths: $ref `#/x` points to nothing".into())
        );
    }

    #[test]
    fn a_panic_keeps_its_message() {
        let f = finished(
            Exit::Code(101),
            "thread 'main' panicked at generator/src/x.rs:3:4:\nindex out of bounds\nnote: run with RUST_BACKTRACE=1\n",
        );
        let Outcome::Panicked(message) = classify(&f, BOUNDS) else {
            panic!("not a panic: {f:?}");
        };
        assert!(message.contains("index out of bounds"), "{message}");
        assert!(message.contains("generator/src/x.rs"), "{message}");
    }

    #[test]
    fn a_stack_overflow_is_a_panic() {
        let f = finished(
            Exit::Signal(6),
            "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n",
        );
        assert_eq!(
            classify(&f, BOUNDS),
            Outcome::Panicked("killed by signal 6: thread 'main' has overflowed its stack".into())
        );
    }

    #[test]
    fn a_failed_allocation_is_over_the_memory_bound() {
        let f = finished(Exit::Signal(6), "memory allocation of 4096 bytes failed\n");
        assert!(classify(&f, BOUNDS).is_over_bound());
        assert_eq!(classify(&f, BOUNDS).kind(), "over-memory");
    }

    /// A generation that ends well but took more than the bounds allow is over them.
    #[test]
    fn a_success_past_a_bound_is_over_it() {
        let slow = Finished {
            elapsed: Duration::from_millis(2_100),
            ..finished(Exit::Code(0), "")
        };
        assert_eq!(classify(&slow, BOUNDS), Outcome::OverTime);
        let large = Finished {
            peak_rss_kib: 600 << 10,
            ..finished(Exit::Code(0), "")
        };
        assert_eq!(
            classify(&large, BOUNDS),
            Outcome::OverMemory("peak resident memory 600 MiB".into())
        );
        let within = Finished {
            elapsed: Duration::from_millis(1_900),
            peak_rss_kib: 500 << 10,
            ..finished(Exit::Code(0), "")
        };
        assert_eq!(classify(&within, BOUNDS), Outcome::Generated);
    }

    #[test]
    fn a_kill_for_time_is_over_the_time_bound() {
        assert_eq!(
            classify(&finished(Exit::TimedOut, ""), BOUNDS),
            Outcome::OverTime
        );
    }
}
