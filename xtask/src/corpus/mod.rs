//! `cargo xtask corpus`: the generator run over the public APIs.guru corpus, each definition in
//! its own bounded process, with a report of what generated, what was refused and why, what
//! went over a bound or panicked; optionally a compiled sample. `--slice` is the fixed subset
//! CI runs, with thresholds.

pub mod bounded;
pub mod compile;
pub mod install;
pub mod outcome;
pub mod reasons;
pub mod report;
pub mod sample;
pub mod slice;
pub mod throughput;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bounded::{Bounds, Exit};
use outcome::Outcome;
use report::{Entry, Report};

/// The options of `cargo xtask corpus`.
#[derive(Debug, Clone)]
pub struct Options {
    pub slice: bool,
    /// How many generated crates to compile (`--compile N`).
    pub compile: Option<usize>,
    pub seed: u64,
    pub jobs: usize,
    pub bounds: Bounds,
    /// Passed on to every generation as `--accept`.
    pub accept: Option<String>,
}

/// Definitions of at least this many bytes are generated alone (see `Runner::all`): the few
/// of several MB (Microsoft Graph, GitHub, EC2).
const ALONE_FROM: u64 = 4 << 20;

pub const USAGE: &str = "usage: cargo xtask corpus [--slice] [--compile N] [--seed N] [--jobs N] [--time SECONDS] [--memory MIB] [--accept MEDIA-TYPE]";

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            slice: false,
            compile: None,
            seed: sample::DEFAULT_SEED,
            jobs: 2,
            // The bounds: no definition of the corpus may take more.
            bounds: Bounds {
                time: Duration::from_secs(2),
                memory: 512 << 20,
            },
            accept: None,
        };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut number = || -> Result<u64, String> {
                let value = rest
                    .next()
                    .ok_or_else(|| format!("`{arg}` needs a value\n{USAGE}"))?;
                value
                    .parse()
                    .map_err(|e| format!("`{arg} {value}`: {e}\n{USAGE}"))
            };
            match arg.as_str() {
                "--slice" => options.slice = true,
                "--compile" => options.compile = Some(number()? as usize),
                "--seed" => options.seed = number()?,
                "--jobs" => options.jobs = number()?.max(1) as usize,
                "--time" => options.bounds.time = Duration::from_secs(number()?),
                "--memory" => options.bounds.memory = number()? << 20,
                "--accept" => {
                    options.accept = Some(rest.next().cloned().ok_or_else(|| USAGE.to_owned())?)
                }
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        Ok(options)
    }
}

/// Runs the corpus task; with `--slice`, fails when the slice's thresholds are not met.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let api = install::ensure(root)?;
    let generator = release_build(root)?;
    let slice = if options.slice {
        let text = std::fs::read_to_string(root.join("corpus/slice.txt"))
            .map_err(|e| format!("cannot read corpus/slice.txt: {e}"))?;
        Some(slice::parse(&text)?)
    } else {
        None
    };
    let ids = match &slice {
        Some(slice) => {
            if let Some(missing) = slice
                .ids
                .iter()
                .find(|id| !install::file_of(&api, id).is_file())
            {
                return Err(format!(
                    "corpus/slice.txt: no definition `{missing}` in the corpus"
                ));
            }
            slice.ids.clone()
        }
        None => install::definitions(&api)?,
    };
    let work = root.join("target/corpus");
    let runner = Runner {
        generator,
        api,
        bounds: options.bounds,
        // A flag beats the slice file.
        accept: options
            .accept
            .clone()
            .or_else(|| slice.as_ref().and_then(|s| s.accept.clone())),
    };
    let start = Instant::now();
    let entries = runner.all(&ids, options.jobs, &work.join("scratch"))?;
    let mut report = Report::new(
        install::CORPUS,
        options.bounds,
        start.elapsed().as_secs_f64(),
        entries,
    );
    report.accept = runner.accept.clone();
    let json = root.join("target/corpus-report.json");
    // Written now and again after compiling, so that a long compile cut short keeps the rest.
    write_report(&report, &json)?;
    let compile = options.compile.or(slice.as_ref().map(|s| s.compile));
    if let Some(count) = compile {
        let mut candidates = report.generated_ids();
        if let Some(slice) = &slice {
            candidates.retain(|id| !slice.generate_only.contains(id));
        }
        let chosen = sample::select(&candidates, count, options.seed);
        let crates = runner.write_crates(&chosen, &work.join("crates"))?;
        report.compiled = Some(compile::check(root, &crates, &work.join("target")));
    }
    print!("{}", report.render(15));
    let sized = throughput::sized(&report.definitions, |id| {
        std::fs::metadata(install::file_of(&runner.api, id))
            .ok()
            .map(|m| m.len())
    });
    print!("\n{}", throughput::table(&sized, 10));
    write_report(&report, &json)?;
    println!("\nreport: {}", json.display());
    if let Some(slice) = slice {
        // CI is no timed test: the slice fails on panics and memory; time is the full run's
        // and the benchmark's.
        let failures = slice::failures(
            &slice,
            report.counts.generated,
            &report.broken_but_not_slow(),
            report.passed_clippy(),
        );
        if !failures.is_empty() {
            return Err(format!(
                "the corpus slice failed:\n  {}",
                failures.join("\n  ")
            ));
        }
    }
    Ok(())
}

fn write_report(report: &Report, file: &Path) -> Result<(), String> {
    let text = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
    std::fs::write(file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// Builds the generator in release mode (as `xtask generate`), the way users run it on big
/// definitions; the path of the binary.
fn release_build(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--locked", "--quiet", "-p", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the release build of xtask failed: {status}"));
    }
    // Where cargo put it: `CARGO_TARGET_DIR` (relative to the workspace, where cargo ran), if set.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), |dir| root.join(dir));
    Ok(target.join("release/xtask"))
}

/// Runs `xtask generate` on definitions of the corpus.
struct Runner {
    generator: PathBuf,
    api: PathBuf,
    bounds: Bounds,
    accept: Option<String>,
}

impl Runner {
    /// Every id: the largest definitions one at a time, then the rest `jobs` at a time. A large
    /// definition's generation uses every core, so its time is measured as a user generating it
    /// would see it, not shared with another generation; the small ones run on one core and
    /// only their throughput gains from sharing. Each worker has its own scratch folder.
    fn all(&self, ids: &[String], jobs: usize, scratch: &Path) -> Result<Vec<Entry>, String> {
        let (alone, shared): (Vec<String>, Vec<String>) = ids.iter().cloned().partition(|id| {
            std::fs::metadata(install::file_of(&self.api, id)).is_ok_and(|m| m.len() >= ALONE_FROM)
        });
        let mut entries = self.pool(&alone, 1, scratch)?;
        entries.extend(self.pool(&shared, jobs, scratch)?);
        Ok(entries)
    }

    /// `ids`, `jobs` at a time.
    fn pool(&self, ids: &[String], jobs: usize, scratch: &Path) -> Result<Vec<Entry>, String> {
        let next = AtomicUsize::new(0);
        let entries = Mutex::new(Vec::with_capacity(ids.len()));
        let failure = Mutex::new(None);
        std::thread::scope(|scope| {
            for worker in 0..jobs {
                let dir = scratch.join(format!("worker-{worker}"));
                let (next, entries, failure) = (&next, &entries, &failure);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(id) = ids.get(i) else { break };
                    match self.one(id, &dir.join("out"), &dir) {
                        Ok(entry) => {
                            if let Outcome::Panicked(message) = &entry.outcome {
                                eprintln!("panicked: {id}: {message}");
                            }
                            entries.lock().unwrap().push(entry);
                        }
                        Err(e) => {
                            *failure.lock().unwrap() = Some(e);
                            next.store(ids.len(), Ordering::Relaxed);
                        }
                    }
                    if (i + 1) % 100 == 0 {
                        eprintln!("{} of {} definitions", i + 1, ids.len());
                    }
                });
            }
        });
        if let Some(e) = failure.into_inner().unwrap() {
            return Err(e);
        }
        Ok(entries.into_inner().unwrap())
    }

    /// Generates one definition into `out` (emptied first and afterwards), under the bounds.
    fn one(&self, id: &str, out: &Path, scratch: &Path) -> Result<Entry, String> {
        let _ = std::fs::remove_dir_all(out);
        std::fs::create_dir_all(scratch)
            .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
        let finished = bounded::run(self.command(id, out), self.bounds, &scratch.join("stderr"))
            .map_err(|e| format!("cannot run {}: {e}", self.generator.display()))?;
        let _ = std::fs::remove_dir_all(out);
        Ok(Entry {
            id: id.to_owned(),
            outcome: outcome::classify(&finished, self.bounds),
            seconds: finished.elapsed.as_secs_f64(),
            cpu_seconds: finished.cpu.as_secs_f64(),
            peak_rss_mib: finished.peak_rss_kib as f64 / 1024.0,
            warnings: finished
                .stderr
                .lines()
                .filter(|l| l.starts_with("warning: "))
                .count(),
        })
    }

    /// Generates each id into its own crate folder under `crates`, for compiling.
    fn write_crates(
        &self,
        ids: &[String],
        crates: &Path,
    ) -> Result<Vec<(String, PathBuf)>, String> {
        let _ = std::fs::remove_dir_all(crates);
        std::fs::create_dir_all(crates)
            .map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
        let mut written = Vec::new();
        for id in ids {
            let dir = crates.join(install::crate_name(id));
            let finished =
                bounded::run(self.command(id, &dir), self.bounds, &crates.join("stderr"))
                    .map_err(|e| format!("cannot run {}: {e}", self.generator.display()))?;
            // Written is enough here: wall time varies between runs, and the bounds were
            // judged on the first.
            if finished.exit != Exit::Code(0) {
                let outcome = outcome::classify(&finished, self.bounds);
                return Err(format!("{id} generated once but not again: {outcome:?}"));
            }
            written.push((id.clone(), dir));
        }
        Ok(written)
    }

    fn command(&self, id: &str, out: &Path) -> Command {
        let mut command = Command::new(&self.generator);
        command
            .arg("generate")
            .arg(install::file_of(&self.api, id))
            .arg("--out")
            .arg(out)
            .args(["--name", &install::crate_name(id)]);
        if let Some(accept) = &self.accept {
            command.args(["--accept", accept]);
        }
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_default_to_two_jobs_two_seconds_and_512_mib() {
        let o = Options::parse(&[]).unwrap();
        assert_eq!((o.slice, o.compile, o.jobs), (false, None, 2));
        assert_eq!(o.bounds.time, Duration::from_secs(2));
        assert_eq!(o.bounds.memory, 512 << 20);
    }

    #[test]
    fn options_are_read() {
        let o = Options::parse(&args(
            "--slice --compile 50 --memory 256 --time 3 --accept a/b",
        ))
        .unwrap();
        assert!(o.slice);
        assert_eq!(o.compile, Some(50));
        assert_eq!(o.bounds.memory, 256 << 20);
        assert_eq!(o.bounds.time, Duration::from_secs(3));
        assert_eq!(o.accept.as_deref(), Some("a/b"));
        assert!(Options::parse(&args("--compile")).is_err());
        assert!(Options::parse(&args("--compile x")).is_err());
        assert!(Options::parse(&args("--fast")).is_err());
    }
}
