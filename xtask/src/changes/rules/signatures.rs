//! Signatures: the methods of an item, the arguments, return type, receiver, `async` and
//! generics of a function, and the type parameters of a type.

use std::collections::BTreeSet;

use super::super::surface::{Function, Generic, Item};
use super::{code, pair_up, Found};
use crate::changes::report::Kind;

/// Whether the names both lists hold come in another order: positional arguments that were
/// reordered, which calls may still compile with (swapped values of the same type).
fn reordered(old: &[&str], new: &[&str]) -> bool {
    let shared_new: Vec<&&str> = new.iter().filter(|n| old.contains(n)).collect();
    let shared_old: Vec<&&str> = old.iter().filter(|o| new.contains(o)).collect();
    shared_new != shared_old
}

pub(super) fn methods(found: &mut Found, path: &str, old: &Item, new: &Item) -> BTreeSet<String> {
    let mut touched = BTreeSet::new();
    let name = |key: &str| key.rsplit("::").next().unwrap_or(key).to_owned();
    for (key, f) in &old.methods {
        if !new.methods.contains_key(key) {
            touched.insert(name(key));
            let what = if f.receiver.is_some() {
                "method removed"
            } else {
                "associated function removed"
            };
            found.push(Kind::Breaking, &format!("{path}{key}"), what);
        }
    }
    for (key, f) in &new.methods {
        match old.methods.get(key) {
            None => {
                touched.insert(name(key));
                let what = if f.receiver.is_some() {
                    "new method"
                } else {
                    "new associated function"
                };
                found.push(
                    Kind::Additive,
                    &format!("{path}{key}"),
                    format!("{what} `{}`", f.signature(&name(key))),
                );
            }
            Some(o) => {
                if !function(found, &format!("{path}{key}"), o, f, false).is_empty()
                    || o.output != f.output
                {
                    touched.insert(name(key));
                }
            }
        }
    }
    touched
}

/// Compares two signatures; returns the names of the arguments that changed.
pub(super) fn function(
    found: &mut Found,
    path: &str,
    old: &Function,
    new: &Function,
    renamed: bool,
) -> BTreeSet<String> {
    if !renamed {
        found.docs(path, &old.doc, &new.doc);
    }
    found.deprecation(path, old.deprecated, new.deprecated);
    if old.is_async != new.is_async {
        let what = if new.is_async {
            "now `async`: calls must be awaited"
        } else {
            "no longer `async`"
        };
        found.push(Kind::Breaking, path, what);
    }
    if old.receiver != new.receiver {
        found.push(
            Kind::Breaking,
            path,
            format!(
                "now takes {} (was {})",
                code(new.receiver.as_deref().unwrap_or_default()),
                code(old.receiver.as_deref().unwrap_or_default())
            ),
        );
    }
    if old.generics != new.generics {
        found.push(
            Kind::Breaking,
            path,
            format!(
                "generic parameters now {} (were {})",
                code(&new.generics),
                code(&old.generics)
            ),
        );
    }
    let mut touched = BTreeSet::new();
    let (both, removed, added) = pair_up(&old.args, &new.args, |(n, _)| n.clone());
    for (name, _) in removed {
        touched.insert(name.clone());
        found.push(Kind::Breaking, path, format!("argument `{name}` removed"));
    }
    for (name, ty) in added {
        touched.insert(name.clone());
        found.push(
            Kind::Breaking,
            path,
            format!("new argument `{name}` (`{ty}`)"),
        );
    }
    for ((name, a), (_, b)) in both {
        if a != b {
            touched.insert(name.clone());
            found.push(
                Kind::Breaking,
                path,
                format!("argument `{name}`: type changed from `{a}` to `{b}`"),
            );
        }
    }
    let names = |f: &Function| -> Vec<String> { f.args.iter().map(|(n, _)| n.clone()).collect() };
    let (old_names, new_names) = (names(old), names(new));
    let old_refs: Vec<&str> = old_names.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new_names.iter().map(String::as_str).collect();
    if reordered(&old_refs, &new_refs) {
        found.push(
            Kind::Breaking,
            path,
            format!(
                "arguments reordered: now ({}), was ({}); calls may compile with values swapped",
                new_names.join(", "),
                old_names.join(", ")
            ),
        );
    }
    if old.output != new.output {
        found.push(
            Kind::Breaking,
            path,
            format!("now returns `{}` (was `{}`)", new.output, old.output),
        );
    }
    touched
}

/// A change of type parameters breaks users, except new ones with a default at the end.
pub(super) fn generics(found: &mut Found, path: &str, old: &[Generic], new: &[Generic]) {
    if old == new {
        return;
    }
    let text = |g: &[Generic]| {
        if g.is_empty() {
            "none".to_owned()
        } else {
            let list: Vec<&str> = g.iter().map(|g| g.text.as_str()).collect();
            format!("`<{}>`", list.join(", "))
        }
    };
    let defaulted = new.len() > old.len()
        && new[..old.len()] == *old
        && new[old.len()..].iter().all(|g| g.default.is_some());
    let (kind, what) = if defaulted {
        (Kind::Additive, "new type parameter with a default")
    } else {
        (Kind::Breaking, "type parameters changed")
    };
    found.push(
        kind,
        path,
        format!("{what}: now {} (was {})", text(new), text(old)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reordering_ignores_added_and_removed_names() {
        assert!(!reordered(&["a", "b"], &["a", "x", "b"]));
        assert!(!reordered(&["a", "b", "c"], &["a", "c"]));
        assert!(reordered(&["a", "b"], &["b", "a"]));
    }
}
