//! `cargo xtask regen --report`: what the working tree changes in the generated Rust API,
//! compared with the generated code committed at a git revision (`HEAD` unless `--base` names
//! another).
//!
//! Both sides are generated code: the API modules as committed at the base (what users of
//! that revision have), and what the generator of the working tree makes of the definitions
//! of the working tree (what `regen` writes). Each side is parsed with syn into its public API
//! ([`surface`]), and the two are compared with the general rules of Rust compatibility
//! ([`rules`]); nothing here knows how the generator turns a definition into Rust, so a change
//! of the definitions and a change of the generator are reported alike.

mod report;
mod rules;
mod surface;
mod text;
mod wire;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub use report::{has_breaking, report, summary, Change, Kind};
pub use surface::Files;

/// The change list between a base revision and the working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// What the old side is, e.g. "HEAD (5923f44)".
    pub base: String,
    /// Why some APIs (or all) count as new, e.g. "generated-client/src/apis is not in HEAD".
    pub notes: Vec<String>,
    pub changes: Vec<Change>,
}

/// The changes from the generated API modules `old` to `new` (files by their path under the
/// directory of the modules: `things/mod.rs`, `things/models.rs`, and the top `mod.rs`),
/// sorted by kind, then item, then description. An error names a file that is not Rust.
pub fn compare(old: &Files, new: &Files) -> Result<Vec<Change>, String> {
    Ok(rules::compare(&surface::read(old)?, &surface::read(new)?))
}

/// Compares the API modules committed at `base` (a git revision; `HEAD` when `None`) with
/// those the working tree under `root` generates.
pub fn since(root: &Path, base: Option<&str>) -> Result<Comparison, String> {
    since_generated(root, base, &generated_apis(root)?)
}

/// Like [`since`], with the working tree's API modules already generated (`regen` has them).
///
/// Without a named base, a folder that is not a git repository, or one without commits, has
/// nothing to compare with: every API counts as new, with a note saying why; so does a base
/// without generated API modules. A named base that git does not know is an error.
pub fn since_generated(
    root: &Path,
    base: Option<&str>,
    generated: &Files,
) -> Result<Comparison, String> {
    let rev = base.unwrap_or("HEAD");
    let mut notes = Vec::new();
    let (label, old) = match resolve(root, rev) {
        Ok(commit) => {
            let label = format!("{rev} ({commit})");
            let old = committed_apis(root, &commit, &label, &mut notes)?;
            (label, old)
        }
        Err(why) if base.is_some() => return Err(why),
        Err(why) => {
            notes.push(format!("{why}: every API counts as new"));
            (rev.to_owned(), Files::new())
        }
    };
    Ok(Comparison {
        base: label,
        notes,
        changes: compare(&old, generated)?,
    })
}

/// The API modules the working tree's generator makes of `spec/manifest.toml`, as `regen`
/// writes them.
pub fn generated_apis(root: &Path) -> Result<Files, String> {
    let manifest = crate::spec_dir(root).join("manifest.toml");
    let generated = generator::generate(&generator::Settings {
        input: generator::Input::Manifest(&manifest),
        output: generator::Output::ClientCrate,
        strict: false,
    })
    .map_err(|e| e.to_string())?;
    let apis = Path::new(generator::CLIENT_APIS);
    Ok(generated
        .files
        .into_iter()
        .filter_map(|(path, text)| Some((path.strip_prefix(apis).ok()?.to_path_buf(), text)))
        .collect())
}

/// Whether `regen --deny-breaking` fails: with `deny_breaking`, any breaking change is an error.
pub fn verdict(changes: &[Change], deny_breaking: bool) -> Result<(), String> {
    let breaking = changes.iter().filter(|c| c.kind == Kind::Breaking).count();
    if deny_breaking && breaking > 0 {
        return Err(format!(
            "{breaking} breaking change(s) to the Rust API (--deny-breaking); see the report above"
        ));
    }
    Ok(())
}

/// The full report: a heading with the counts, the notes, and every change by kind.
pub fn full_report(comparison: &Comparison) -> String {
    let mut text = format!(
        "Rust API changes from {} to the working tree: {}\n",
        comparison.base,
        summary(&comparison.changes)
    );
    for note in &comparison.notes {
        text += &format!("note: {note}\n");
    }
    if !comparison.changes.is_empty() {
        text.push('\n');
        text += &report(&comparison.changes);
    }
    text
}

/// The section plain `regen` prints: the counts, and the breaking changes by item.
pub fn short_report(comparison: &Comparison) -> String {
    let changes = &comparison.changes;
    let mut text = format!(
        "Rust API changes since {}: {}",
        comparison.base,
        summary(changes)
    );
    if !changes.is_empty() {
        text += " (`cargo xtask regen --report` lists them)";
    }
    text.push('\n');
    for note in &comparison.notes {
        text += &format!("  note: {note}\n");
    }
    let mut breaking: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == Kind::Breaking)
        .map(|c| c.item.as_str())
        .collect();
    breaking.dedup();
    for item in breaking {
        text += &format!("  breaking: {item}\n");
    }
    text
}

/// The API modules as committed at `commit`, by their path under the modules' directory; none,
/// with a note, if that commit has no such directory.
fn committed_apis(
    root: &Path,
    commit: &str,
    label: &str,
    notes: &mut Vec<String>,
) -> Result<Files, String> {
    let dir = crate::apis_dir(Path::new(""));
    // `./` makes the path relative to `root`, which need not be the top of the repository.
    let tree = format!("{commit}:./{}", dir.display()).replace('\\', "/");
    let Some(listing) = git(root, &["ls-tree", "-r", "-z", "--name-only", &tree], None)? else {
        notes.push(format!(
            "{} is not in {label}: every API counts as new",
            dir.display()
        ));
        return Ok(Files::new());
    };
    let paths: Vec<&str> = listing.split('\0').filter(|p| p.ends_with(".rs")).collect();
    // One git process for all the files: `cat-file --batch` answers each name with
    // `<object> blob <size>\n<content>\n`.
    let names: String = paths.iter().map(|p| format!("{tree}/{p}\n")).collect();
    let batch = git(root, &["cat-file", "--batch"], Some(&names))?
        .ok_or_else(|| format!("git cannot show the files of {tree}"))?;
    let mut files = Files::new();
    let mut rest = batch.as_str();
    for path in paths {
        let (header, after) = rest
            .split_once('\n')
            .ok_or_else(|| format!("git cat-file ended before {path}"))?;
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cannot show {tree}/{path}: {header}"))?;
        let content = after
            .get(..size)
            .ok_or_else(|| format!("git cat-file cut {path} short"))?;
        files.insert(PathBuf::from(path), content.to_owned());
        rest = after.get(size + 1..).unwrap_or_default();
    }
    Ok(files)
}

/// The commit `rev` names, abbreviated; an error saying why there is none.
fn resolve(root: &Path, rev: &str) -> Result<String, String> {
    if git(root, &["rev-parse", "--git-dir"], None)?.is_none() {
        return Err(format!("{} is not in a git repository", root.display()));
    }
    let spec = format!("{rev}^{{commit}}");
    match git(
        root,
        &["rev-parse", "--verify", "--quiet", "--short", &spec],
        None,
    )? {
        Some(commit) => Ok(commit.trim().to_owned()),
        None => Err(format!("git knows no commit `{rev}`")),
    }
}

/// Runs git in `root` with `input` on its standard input: its output when it succeeds, `None`
/// when it fails, an error when it cannot run.
fn git(root: &Path, args: &[&str], input: Option<&str>) -> Result<Option<String>, String> {
    let cannot = |e: std::io::Error| format!("cannot run git ({e})");
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(cannot)?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // Written from a thread of its own: git answers while it reads, and a full pipe on
        // either side would otherwise stop both.
        let input = input.to_owned();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output().map_err(cannot)?;
        writer
            .join()
            .map_err(|_| "cannot write to git".to_owned())?
            .map_err(cannot)?;
        return decode(output);
    }
    decode(child.wait_with_output().map_err(cannot)?)
}

fn decode(output: std::process::Output) -> Result<Option<String>, String> {
    if !output.status.success() {
        return Ok(None);
    }
    String::from_utf8(output.stdout)
        .map(Some)
        .map_err(|e| format!("git's output is not UTF-8: {e}"))
}
