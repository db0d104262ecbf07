//! The vocabulary of the change report: a [`Change`] of the Rust API and its [`Kind`], and
//! the text `regen --report` prints (the counts and one list per kind).

use std::fmt::Write as _;

/// How a change affects code that uses the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Code that compiled against the old crate may no longer compile, or may compile with a
    /// different meaning (arguments swapped).
    Breaking,
    /// New items; code that compiled still compiles and means the same.
    Additive,
    /// The Rust API is unchanged, but what goes over the wire differs (path, method, wire
    /// names, the `Accept` version).
    Wire,
    /// Only the documentation of the generated items differs.
    Docs,
}

impl Kind {
    /// The heading of this kind's list in a report.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking (code using these may no longer compile)",
            Kind::Additive => "additive (existing code keeps compiling)",
            Kind::Wire => "wire only (same Rust API, different requests or answers)",
            Kind::Docs => "documentation only",
        }
    }

    /// The short name used in counts, e.g. "2 breaking".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
            Kind::Wire => "wire only",
            Kind::Docs => "documentation only",
        }
    }

    const ALL: [Kind; 4] = [Kind::Breaking, Kind::Additive, Kind::Wire, Kind::Docs];
}

/// One change of the generated Rust API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// How the change affects code that uses the crate.
    pub kind: Kind,
    /// The Rust item as a user of the crate names it: `things::get_thing` for the method of
    /// the API's client, `things::models::Thing::display_name` for a field,
    /// `things::GetThings::top` for a method of a request builder.
    pub item: String,
    /// What changed, as a sentence.
    pub what: String,
}

/// Whether any change breaks users' code.
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.kind == Kind::Breaking)
}

/// How many changes of each kind, e.g. "1 breaking, 2 additive"; "no changes" when empty.
pub fn summary(changes: &[Change]) -> String {
    let counts: Vec<String> = Kind::ALL
        .iter()
        .filter_map(|kind| {
            let n = changes.iter().filter(|c| c.kind == *kind).count();
            (n > 0).then(|| format!("{n} {}", kind.label()))
        })
        .collect();
    if counts.is_empty() {
        "no changes".to_owned()
    } else {
        counts.join(", ")
    }
}

/// The changes as text: one list per kind, each change on a line as `- item: what`.
pub fn report(changes: &[Change]) -> String {
    let mut text = String::new();
    for kind in Kind::ALL {
        let of_kind: Vec<&Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        let _ = writeln!(text, "{}:", kind.heading());
        for change in of_kind {
            let _ = writeln!(text, "  - {}: {}", change.item, change.what);
        }
    }
    text
}
