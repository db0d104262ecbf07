//! `cargo xtask bench`: runs the criterion benchmarks of `benches/` and prints one table of
//! their medians, with the ratios that compare the generated client with hand-written code.

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

/// The table: every median, then the ratios of the comparisons the benchmarks make.
pub fn table(medians: &[Median]) -> String {
    let find = |id: &str| medians.iter().find(|m| m.id == id).map(|m| m.nanoseconds);
    let mut out = String::from("benchmark | median\n--- | ---\n");
    for m in medians {
        writeln!(out, "{} | {}", m.id, human(m.nanoseconds)).unwrap();
    }
    let ratios = [
        (
            "client: generated / hand-written",
            "client/generated get-itwin-roles",
            "client/hand-written reqwest + serde_json",
        ),
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
        let text = table(&medians);
        assert!(
            text.contains("client/generated get-itwin-roles | 120.0 µs"),
            "{text}"
        );
        assert!(
            text.contains("client: generated / hand-written | 1.20×"),
            "{text}"
        );
        assert!(
            text.contains("generator-synthetic/2000ops-1000schemas per operation | 1.00 ms"),
            "{text}"
        );
    }
}
