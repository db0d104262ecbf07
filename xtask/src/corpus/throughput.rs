//! Generation time against definition size: whether cost stays linear across the corpus, and
//! what the largest definitions take per megabyte.

use std::fmt::Write as _;

use super::outcome::Outcome;
use super::report::Entry;

/// One generated definition with its file size.
#[derive(Debug, Clone, PartialEq)]
pub struct Sized {
    pub id: String,
    pub megabytes: f64,
    pub seconds: f64,
    pub cpu_seconds: f64,
    pub peak_rss_mib: f64,
}

/// The entries that generated, within the time bound or past it, with their sizes; `size_of`
/// gives a definition's file size in bytes. (One killed for time counts with the time it had
/// run, an underestimate.)
pub fn sized(entries: &[Entry], size_of: impl Fn(&str) -> Option<u64>) -> Vec<Sized> {
    entries
        .iter()
        .filter(|e| matches!(e.outcome, Outcome::Generated | Outcome::OverTime))
        .filter_map(|e| {
            Some(Sized {
                id: e.id.clone(),
                megabytes: size_of(&e.id)? as f64 / 1e6,
                seconds: e.seconds,
                cpu_seconds: e.cpu_seconds,
                peak_rss_mib: e.peak_rss_mib,
            })
        })
        .collect()
}

/// Upper ends of the size classes, in MB: a cost per MB that stays flat from class to class is
/// linear growth (small files are dominated by the process's start).
const CLASSES: [f64; 5] = [0.1, 1.0, 5.0, 20.0, f64::INFINITY];

/// The table: totals, seconds per MB by size class, and the `largest` largest definitions.
pub fn table(definitions: &[Sized], largest: usize) -> String {
    let megabytes: f64 = definitions.iter().map(|d| d.megabytes).sum();
    let seconds: f64 = definitions.iter().map(|d| d.seconds).sum();
    let cpu: f64 = definitions.iter().map(|d| d.cpu_seconds).sum();
    let mut out = String::new();
    writeln!(
        out,
        "corpus generation: {} definitions, {megabytes:.1} MB of JSON in {seconds:.1} s ({:.3} s per MB; {:.3} CPU s per MB)",
        definitions.len(),
        seconds / megabytes,
        cpu / megabytes
    )
    .unwrap();
    out.push_str(
        "\nsize class | definitions | MB | seconds | s per MB | CPU s per MB\n--- | ---: | ---: | ---: | ---: | ---:\n",
    );
    let mut lower = 0.0;
    for upper in CLASSES {
        let class: Vec<&Sized> = definitions
            .iter()
            .filter(|d| d.megabytes >= lower && d.megabytes < upper)
            .collect();
        if !class.is_empty() {
            let mb: f64 = class.iter().map(|d| d.megabytes).sum();
            let s: f64 = class.iter().map(|d| d.seconds).sum();
            let c: f64 = class.iter().map(|d| d.cpu_seconds).sum();
            let name = if upper.is_finite() {
                format!("{lower}–{upper} MB")
            } else {
                format!("≥ {lower} MB")
            };
            writeln!(
                out,
                "{name} | {} | {mb:.1} | {s:.1} | {:.3} | {:.3}",
                class.len(),
                s / mb,
                c / mb
            )
            .unwrap();
        }
        lower = upper;
    }
    let mut by_size: Vec<&Sized> = definitions.iter().collect();
    by_size.sort_by(|a, b| b.megabytes.total_cmp(&a.megabytes));
    out.push_str(
        "\nlargest | MB | seconds | CPU seconds | s per MB | peak MiB\n--- | ---: | ---: | ---: | ---: | ---:\n",
    );
    for d in by_size.into_iter().take(largest) {
        writeln!(
            out,
            "{} | {:.1} | {:.2} | {:.2} | {:.3} | {:.0}",
            d.id,
            d.megabytes,
            d.seconds,
            d.cpu_seconds,
            d.seconds / d.megabytes,
            d.peak_rss_mib
        )
        .unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn only_generated_definitions_with_a_size_count() {
        let entries = [
            entry("a", Outcome::Generated, 1.0),
            entry("b", Outcome::Refused("no".into()), 1.0),
            entry("gone", Outcome::Generated, 1.0),
            entry("slow", Outcome::OverTime, 3.0),
        ];
        let sized = sized(&entries, |id| (id != "gone").then_some(2_000_000));
        assert_eq!(sized.len(), 2);
        assert_eq!(sized[0].id, "a");
        assert_eq!(sized[1].id, "slow");
        assert_eq!(sized[0].megabytes, 2.0);
    }

    #[test]
    fn the_table_gives_seconds_per_megabyte_by_class_and_the_largest() {
        let definitions = [("small", 0.05, 0.01), ("mid", 2.0, 0.4), ("big", 30.0, 6.0)].map(
            |(id, megabytes, seconds)| Sized {
                id: id.into(),
                megabytes,
                seconds,
                cpu_seconds: seconds * 1.5,
                peak_rss_mib: 100.0,
            },
        );
        let text = table(&definitions, 2);
        assert!(
            text.contains(
                "3 definitions, 32.0 MB of JSON in 6.4 s (0.200 s per MB; 0.300 CPU s per MB)"
            ),
            "{text}"
        );
        assert!(
            text.contains("1–5 MB | 1 | 2.0 | 0.4 | 0.200 | 0.300"),
            "{text}"
        );
        assert!(
            text.contains("≥ 20 MB | 1 | 30.0 | 6.0 | 0.200 | 0.300"),
            "{text}"
        );
        assert!(
            text.contains("big | 30.0 | 6.00 | 9.00 | 0.200 | 100"),
            "{text}"
        );
        assert!(text.contains("mid | 2.0"), "{text}");
        assert!(!text.contains("small | 0.1"), "{text}");
    }
}
