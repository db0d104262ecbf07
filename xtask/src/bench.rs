//! `cargo xtask bench`: runs the benchmarks of `benches/` and prints one table of the criterion
//! medians, with the ratios that compare the generated client with hand-written code: the
//! client's from the interleaved benchmark (`benches/benches/overhead.rs`), the decoder's from
//! criterion.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

/// One benchmark's median, from criterion's `estimates.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Median {
    /// Criterion's full id, such as `client/generated get-itwin-roles`.
    pub id: String,
    pub nanoseconds: f64,
}

/// The medians criterion left under `target/criterion`, sorted by id.
pub fn medians(criterion_dir: &Path) -> Result<Vec<Median>, String> {
    let mut found = Vec::new();
    let mut pending = vec![criterion_dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.ends_with("new/benchmark.json") {
                let read = |p: &Path| -> Result<Value, String> {
                    let text =
                        std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
                    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
                };
                let benchmark = read(&path)?;
                let estimates = read(&path.with_file_name("estimates.json"))?;
                found.push(Median {
                    id: benchmark["full_id"].as_str().unwrap_or_default().to_owned(),
                    nanoseconds: estimates["median"]["point_estimate"]
                        .as_f64()
                        .unwrap_or(f64::NAN),
                });
            }
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

/// One case of the interleaved client benchmark, from its `bench-overhead.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Overhead {
    /// What the case is, such as `small JSON answer (get-itwin-roles)`.
    pub title: String,
    /// On the wall clock.
    pub wall: Ratios,
    /// In CPU time of the calling thread.
    pub cpu: Ratios,
}

/// The generated client's time against the hand-written code's on one clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratios {
    pub generated_us: f64,
    pub hand_written_us: f64,
    /// All rounds summed.
    pub of_sums: f64,
    /// The median of the rounds' ratios.
    pub median_round: f64,
}

/// The cases the interleaved benchmark left in `path` (`bench-overhead.json`).
pub fn overhead(path: &Path) -> Result<Vec<Overhead>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let cases: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let ratios = |clock: &Value| {
        let number = |key: &str| clock[key].as_f64().unwrap_or(f64::NAN);
        Ratios {
            generated_us: number("generated_us_per_call"),
            hand_written_us: number("hand_written_us_per_call"),
            of_sums: number("ratio_of_sums"),
            median_round: number("median_round_ratio"),
        }
    };
    Ok(cases
        .as_array()
        .into_iter()
        .flatten()
        .map(|case| Overhead {
            title: case["title"].as_str().unwrap_or_default().to_owned(),
            wall: ratios(&case["wall"]),
            cpu: ratios(&case["cpu"]),
        })
        .collect())
}

/// The table: every median, then the ratios of the comparisons the benchmarks make.
pub fn table(medians: &[Median], overhead: &[Overhead]) -> String {
    let find = |id: &str| medians.iter().find(|m| m.id == id).map(|m| m.nanoseconds);
    let mut out = String::from("benchmark | median\n--- | ---\n");
    for m in medians {
        writeln!(out, "{} | {}", m.id, human(m.nanoseconds)).unwrap();
    }
    // The client's ratios come from calls paired one by one: criterion's groups run one after
    // the other, so drift between them moves one side only.
    for case in overhead {
        for (clock, ratios) in [("wall", &case.wall), ("thread CPU", &case.cpu)] {
            writeln!(
                out,
                "client, {}, {clock}: generated / hand-written | {:.3}× (sums), {:.3}× (median of rounds); {:.1} / {:.1} µs per call",
                case.title,
                ratios.of_sums,
                ratios.median_round,
                ratios.generated_us,
                ratios.hand_written_us
            )
            .unwrap();
        }
    }
    let ratios = [
        (
            "decode: generated as the client decodes / plain struct",
            "decode/generated types, as the client decodes",
            "decode/plain struct, serde_json",
        ),
        (
            "decode: generated with serde_json / plain struct",
            "decode/generated types, serde_json",
            "decode/plain struct, serde_json",
        ),
    ];
    for (name, numerator, denominator) in ratios {
        if let (Some(n), Some(d)) = (find(numerator), find(denominator)) {
            writeln!(out, "{name} | {:.2}×", n / d).unwrap();
        }
    }
    for m in medians
        .iter()
        .filter(|m| m.id.starts_with("generator-synthetic/"))
    {
        let operations: f64 =
            m.id.split('/')
                .nth(1)
                .and_then(|p| p.split("ops").next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(f64::NAN);
        writeln!(
            out,
            "{} per operation | {}",
            m.id,
            human(m.nanoseconds / operations)
        )
        .unwrap();
    }
    out
}

fn human(nanoseconds: f64) -> String {
    match nanoseconds {
        n if n >= 1e9 => format!("{:.2} s", n / 1e9),
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.1} µs", n / 1e3),
        n => format!("{n:.0} ns"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_medians_and_ratios() {
        let medians = vec![
            Median {
                id: "client/generated get-itwin-roles".into(),
                nanoseconds: 120_000.0,
            },
            Median {
                id: "client/hand-written reqwest + serde_json".into(),
                nanoseconds: 100_000.0,
            },
            Median {
                id: "generator-synthetic/2000ops-1000schemas".into(),
                nanoseconds: 2.0e9,
            },
        ];
        let ratios = |generated_us, of_sums| Ratios {
            generated_us,
            hand_written_us: 30.0,
            of_sums,
            median_round: 1.0291,
        };
        let overhead = vec![Overhead {
            title: "small JSON answer (get-itwin-roles)".into(),
            wall: ratios(30.9, 1.0304),
            cpu: ratios(20.0, 0.6667),
        }];
        let text = table(&medians, &overhead);
        assert!(
            text.contains("client/generated get-itwin-roles | 120.0 µs"),
            "{text}"
        );
        assert!(
            text.contains("client, small JSON answer (get-itwin-roles), wall: generated / hand-written | 1.030× (sums), 1.029× (median of rounds); 30.9 / 30.0 µs per call"),
            "{text}"
        );
        assert!(
            text.contains("generator-synthetic/2000ops-1000schemas per operation | 1.00 ms"),
            "{text}"
        );
    }
}
