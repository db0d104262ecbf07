//! Comparing generated files with what is on disk, and bringing the disk up to date.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use generator::Files;
use similar::TextDiff;

/// A file whose committed contents differ from what the generator writes.
#[derive(Debug, PartialEq, Eq)]
pub enum Drift {
    /// Generated but not on disk.
    Missing(PathBuf),
    /// On disk but no longer generated.
    Stale(PathBuf),
    /// On disk with other contents: a unified diff from disk to generated.
    Changed { path: PathBuf, diff: String },
}

/// Every difference between `files` and the contents of `dir`.
pub fn compare(dir: &Path, files: &Files) -> io::Result<Vec<Drift>> {
    let mut drifts = Vec::new();
    for (path, generated) in files {
        match fs::read_to_string(dir.join(path)) {
            Ok(committed) if lf_endings(&committed) == lf_endings(generated) => {}
            Ok(committed) => drifts.push(Drift::Changed {
                path: path.clone(),
                diff: unified_diff(&dir.join(path), &lf_endings(&committed), generated),
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                drifts.push(Drift::Missing(path.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    for path in files_under(dir)? {
        if !files.contains_key(&path) {
            drifts.push(Drift::Stale(path));
        }
    }
    Ok(drifts)
}

/// `text` with CRLF line endings as LF. A checkout with `core.autocrlf` (Windows) has the
/// committed files with CRLF, which is no drift: the generator writes LF and git stores LF.
fn lf_endings(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Every difference between generated files and the disk, over all output directories: how
/// many files differ, and the report of them (empty when none do).
pub fn compare_all(outputs: &[(PathBuf, Files)]) -> io::Result<(usize, String)> {
    let mut drifted = 0;
    let mut text = String::new();
    for (dir, files) in outputs {
        let drifts = compare(dir, files)?;
        drifted += drifts.len();
        text += &report(dir, &drifts);
    }
    Ok((drifted, text))
}

/// Makes every output directory hold exactly its files; returns how many files changed.
pub fn apply_all(outputs: &[(PathBuf, Files)]) -> io::Result<usize> {
    outputs.iter().map(|(dir, files)| apply(dir, files)).sum()
}

/// Makes `dir` hold exactly `files`; returns how many files were written or removed.
pub fn apply(dir: &Path, files: &Files) -> io::Result<usize> {
    let drifts = compare(dir, files)?;
    for drift in &drifts {
        match drift {
            Drift::Missing(path) | Drift::Changed { path, .. } => {
                let target = dir.join(path);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(target, &files[path])?;
            }
            Drift::Stale(path) => fs::remove_file(dir.join(path))?,
        }
    }
    Ok(drifts.len())
}

/// Writes `files` into `dir`, leaving other files there alone.
pub fn write_all(dir: &Path, files: &Files) -> io::Result<()> {
    for path in files.keys() {
        if let Some(parent) = dir.join(path).parent() {
            fs::create_dir_all(parent)?;
        }
    }
    // One thread per file: copying a large API's tens of MB into the page cache is most of
    // the writing, and it goes as fast as the cores do.
    std::thread::scope(|scope| {
        let writes: Vec<_> = files
            .iter()
            .map(|(path, contents)| scope.spawn(move || fs::write(dir.join(path), contents)))
            .collect();
        writes.into_iter().try_for_each(|write| {
            write
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// A report of drifts for people: what differs and the diff of each changed file.
pub fn report(dir: &Path, drifts: &[Drift]) -> String {
    let mut out = String::new();
    for drift in drifts {
        match drift {
            Drift::Missing(path) => writeln!(
                out,
                "missing: {} is generated but not committed",
                dir.join(path).display()
            ),
            Drift::Stale(path) => writeln!(
                out,
                "stale: {} is committed but no longer generated",
                dir.join(path).display()
            ),
            Drift::Changed { diff, .. } => writeln!(out, "{diff}"),
        }
        .expect("writing to a String cannot fail");
    }
    out
}

fn unified_diff(path: &Path, committed: &str, generated: &str) -> String {
    let name = path
        .strip_prefix(crate::workspace_root())
        .unwrap_or(path)
        .display()
        .to_string();
    TextDiff::from_lines(committed, generated)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (generated)"),
        )
        .to_string()
}

/// Files below `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries = match fs::read_dir(dir.join(&relative)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(p, c)| (PathBuf::from(p), c.to_string()))
            .collect()
    }

    #[test]
    fn apply_then_compare_finds_nothing_and_edits_show_as_diffs() {
        let dir = std::env::temp_dir().join(format!("xtask-drift-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("old")).unwrap();
        fs::write(dir.join("old/stale.rs"), "x").unwrap();
        let wanted = files(&[("a/mod.rs", "one\ntwo\n"), ("mod.rs", "m\n")]);

        assert_eq!(apply(&dir, &wanted).unwrap(), 3);
        assert_eq!(compare(&dir, &wanted).unwrap(), vec![]);

        fs::write(dir.join("a/mod.rs"), "one\nTWO\n").unwrap();
        let drifts = compare(&dir, &wanted).unwrap();
        let text = report(&dir, &drifts);
        assert!(text.contains("-TWO") && text.contains("+two"), "{text}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn crlf_line_endings_of_a_checkout_are_no_drift_but_changes_under_them_are() {
        let dir = std::env::temp_dir().join(format!("xtask-drift-crlf-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let wanted = files(&[("mod.rs", "one\ntwo\n")]);
        fs::create_dir_all(&dir).unwrap();

        fs::write(dir.join("mod.rs"), "one\r\ntwo\r\n").unwrap();
        assert_eq!(compare(&dir, &wanted).unwrap(), vec![]);

        fs::write(dir.join("mod.rs"), "one\r\nTWO\r\n").unwrap();
        let drifts = compare(&dir, &wanted).unwrap();
        let text = report(&dir, &drifts);
        // The diff shows the changed line only, not every line for its `\r`.
        assert!(text.contains("-TWO\n") && text.contains("+two"), "{text}");
        assert!(!text.contains('\r') && !text.contains("-one"), "{text}");
        let _ = fs::remove_dir_all(&dir);
    }
}
