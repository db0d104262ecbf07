//! Builds generated crates and runs clippy on them with warnings denied, all in one shared
//! target directory so that the runtime and the crates.io dependencies compile once.

use std::path::Path;
use std::process::Command;

use super::report::Compiled;

/// Builds then lints each `(id, crate dir)`; `target` is the shared target directory.
pub fn check(root: &Path, crates: &[(String, std::path::PathBuf)], target: &Path) -> Vec<Compiled> {
    let mut results = Vec::new();
    // Online only until one build has fetched what the crates need; the workspace's lock file
    // pins the same versions for all of them.
    let mut offline = false;
    for (i, (id, dir)) in crates.iter().enumerate() {
        eprintln!("[{}/{}] compiling {id}", i + 1, crates.len());
        let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
        let build = cargo(dir, target, offline, &["build"]);
        let result = match build {
            Err(error) => Compiled {
                id: id.clone(),
                built: false,
                clippy: false,
                first_error: Some(error),
            },
            Ok(()) => {
                offline = true;
                let clippy = cargo(dir, target, offline, &["clippy", "--", "-D", "warnings"]);
                Compiled {
                    id: id.clone(),
                    built: true,
                    clippy: clippy.is_ok(),
                    first_error: clippy.err(),
                }
            }
        };
        // As it goes: a long sample cut short still shows what it found.
        match &result.first_error {
            None => eprintln!("    built, clippy clean"),
            Some(error) => eprintln!("    {error}"),
        }
        results.push(result);
    }
    results
}

/// Runs one cargo command on the crate in `dir`; the first error line if it fails.
fn cargo(dir: &Path, target: &Path, offline: bool, args: &[&str]) -> Result<(), String> {
    let (command, rest) = args.split_first().expect("a cargo command");
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .arg(command)
        .args(["--quiet", "--message-format", "short", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target);
    if offline {
        cargo.arg("--offline");
    }
    let output = cargo
        .args(rest)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(first_error(&String::from_utf8_lossy(&output.stderr)))
    }
}

/// The first diagnostic that is an error: a compiler error with its place beats cargo's
/// closing `error: could not compile` line.
pub fn first_error(stderr: &str) -> String {
    let located = stderr
        .lines()
        .find(|l| l.contains(": error") && !l.starts_with("error"));
    located
        .or_else(|| {
            stderr
                .lines()
                .find(|l| l.starts_with("error") && !l.contains("could not compile"))
        })
        .or_else(|| stderr.lines().find(|l| l.starts_with("error")))
        .unwrap_or("(no error line)")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_located_compiler_error_is_reported() {
        let stderr = "warning: unused\nsrc/api/models.rs:10:5: error[E0428]: the name `A` is defined multiple times\nsrc/lib.rs:1:1: error: other\nerror: could not compile `corpus-a` (lib) due to 2 previous errors\n";
        assert_eq!(
            first_error(stderr),
            "src/api/models.rs:10:5: error[E0428]: the name `A` is defined multiple times"
        );
    }

    #[test]
    fn a_cargo_error_without_a_place_is_reported_as_is() {
        let stderr = "error: failed to parse manifest at `/x/Cargo.toml`\n";
        assert_eq!(
            first_error(stderr),
            "error: failed to parse manifest at `/x/Cargo.toml`"
        );
        assert_eq!(
            first_error("error: could not compile `x`\n"),
            "error: could not compile `x`"
        );
        assert_eq!(first_error(""), "(no error line)");
    }
}
