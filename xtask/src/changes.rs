//! `cargo xtask regen --report`: what the definitions in the working tree change in the
//! generated Rust API, compared with the definitions committed at a git revision (`HEAD`
//! unless `--base` names another).
//!
//! Both sides are built by the generator of the working tree, so the report shows what the
//! change of definitions does; a change of the generator itself shows in the snapshot tests
//! and the regenerated files, not here.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::compare::{self, Change};
use generator::model::Api;
use generator::Manifest;

/// The change list between a base revision and the working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// What the old side is, e.g. "HEAD (5923f44)".
    pub base: String,
    /// Why some APIs (or all) count as new, e.g. "spec/foo.json is not in HEAD".
    pub notes: Vec<String>,
    pub changes: Vec<Change>,
}

/// Compares the definitions at `base` (a git revision; `HEAD` when `None`) with those of the
/// working tree under `root`.
///
/// Without a named base, a folder that is not a git repository, or one without commits, has
/// nothing to compare with: every API counts as new, with a note saying why. A named base that
/// git does not know is an error.
pub fn since(root: &Path, base: Option<&str>) -> Result<Comparison, String> {
    let new = working_tree_apis(root)?;
    let rev = base.unwrap_or("HEAD");
    let mut notes = Vec::new();
    let (label, old) = match resolve(root, rev) {
        Ok(commit) => {
            let label = format!("{rev} ({commit})");
            let old = apis_at(root, &commit, &label, &mut notes)?;
            (label, old)
        }
        Err(why) if base.is_some() => return Err(why),
        Err(why) => {
            notes.push(format!("{why}: every API counts as new"));
            (rev.to_owned(), Vec::new())
        }
    };
    Ok(Comparison {
        base: label,
        notes,
        changes: compare::compare_all(&old, &new),
    })
}

/// Whether `regen --deny-breaking` fails: with `deny_breaking`, any breaking change is an error.
pub fn verdict(changes: &[Change], deny_breaking: bool) -> Result<(), String> {
    let breaking = changes
        .iter()
        .filter(|c| c.kind == compare::Kind::Breaking)
        .count();
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
        compare::summary(&comparison.changes)
    );
    for note in &comparison.notes {
        text += &format!("note: {note}\n");
    }
    if !comparison.changes.is_empty() {
        text.push('\n');
        text += &compare::report(&comparison.changes);
    }
    text
}

/// The section plain `regen` prints: the counts, and the breaking changes by item.
pub fn short_report(comparison: &Comparison) -> String {
    let changes = &comparison.changes;
    let mut text = format!(
        "Rust API changes since {}: {}",
        comparison.base,
        compare::summary(changes)
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
        .filter(|c| c.kind == compare::Kind::Breaking)
        .map(|c| c.item.as_str())
        .collect();
    breaking.dedup();
    for item in breaking {
        text += &format!("  breaking: {item}\n");
    }
    text
}

/// The models of the APIs of `spec/manifest.toml` in the working tree.
pub fn working_tree_apis(root: &Path) -> Result<Vec<Api>, String> {
    let spec = crate::spec_dir(root);
    let manifest = Manifest::load(&spec.join("manifest.toml")).map_err(|e| e.to_string())?;
    let mut apis = Vec::new();
    for entry in &manifest.apis {
        let path = spec.join(&entry.file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        apis.push(build(&spec_path(&entry.file), &text, entry)?);
    }
    Ok(apis)
}

/// The models of the APIs of `spec/manifest.toml` as committed at `commit`; an API whose
/// definition is not in that commit (or all, if the manifest is not) is left out, with a note.
fn apis_at(
    root: &Path,
    commit: &str,
    label: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Api>, String> {
    let manifest_path = Path::new("spec/manifest.toml");
    let Some(text) = git_file(root, commit, manifest_path)? else {
        notes.push(format!(
            "spec/manifest.toml is not in {label}: every API counts as new"
        ));
        return Ok(Vec::new());
    };
    let manifest = Manifest::parse(manifest_path, &text)
        .map_err(|e| format!("the manifest at {label}: {e}"))?;
    let mut apis = Vec::new();
    for entry in &manifest.apis {
        let path = spec_path(&entry.file);
        match git_file(root, commit, &path)? {
            Some(text) => apis.push(
                build(&path, &text, entry)
                    .map_err(|e| format!("the definitions at {label}: {e}"))?,
            ),
            None => notes.push(format!(
                "{} is not in {label}: its API counts as new",
                path.display()
            )),
        }
    }
    Ok(apis)
}

fn spec_path(file: &Path) -> PathBuf {
    Path::new("spec").join(file)
}

fn build(path: &Path, text: &str, entry: &generator::ManifestApi) -> Result<Api, String> {
    let generated = generator::generate(&generator::Settings {
        input: generator::Input::Definition {
            file: path,
            text: Some(text),
            api: entry.settings(),
        },
        output: generator::Output::Models,
        strict: false,
    })
    .map_err(|e| e.to_string())?;
    Ok(generated
        .apis
        .into_iter()
        .next()
        .expect("one definition, one model"))
}

/// The commit `rev` names, abbreviated; an error saying why there is none.
fn resolve(root: &Path, rev: &str) -> Result<String, String> {
    let inside =
        git(root, &["rev-parse", "--git-dir"]).map_err(|e| format!("cannot run git ({e})"))?;
    if inside.is_none() {
        return Err(format!("{} is not in a git repository", root.display()));
    }
    let spec = format!("{rev}^{{commit}}");
    match git(
        root,
        &["rev-parse", "--verify", "--quiet", "--short", &spec],
    )
    .map_err(|e| format!("cannot run git ({e})"))?
    {
        Some(commit) => Ok(commit.trim().to_owned()),
        None => Err(format!("git knows no commit `{rev}`")),
    }
}

/// The text of `path` (relative to `root`) at `commit`, or `None` if it is not there.
fn git_file(root: &Path, commit: &str, path: &Path) -> Result<Option<String>, String> {
    // `./` makes the path relative to `root`, which need not be the top of the repository.
    let object = format!("{commit}:./{}", path.display()).replace('\\', "/");
    let exists = git(root, &["cat-file", "-e", &object])
        .map_err(|e| format!("cannot run git ({e})"))?
        .is_some();
    if !exists {
        return Ok(None);
    }
    git(root, &["show", &object])
        .map_err(|e| format!("cannot run git ({e})"))?
        .map(Some)
        .ok_or_else(|| format!("git cannot show {object}"))
}

/// Runs git in `root`: its output when it succeeds, `None` when it fails, an error when it
/// cannot run.
fn git(root: &Path, args: &[&str]) -> std::io::Result<Option<String>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()?;
    if !output.status.success() {
        return Ok(None);
    }
    String::from_utf8(output.stdout)
        .map(Some)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
