//! The rules that classify a difference between two [`Surface`]s, the general ones of Rust
//! compatibility (what makes code that compiled stop compiling, or mean something else):
//!
//! - a public item, field, variant or method that is removed or renamed breaks its users; a
//!   new one is additive, except a field of a struct users can build with a literal (neither
//!   `#[non_exhaustive]` nor with private fields) and a variant of an exhaustive enum (a
//!   `match` without a wildcard stops compiling);
//! - a change of a signature (arguments, their types and order, the return type, `async`, the
//!   receiver, generics) breaks callers, except a new type parameter with a default;
//! - a trait that is no longer implemented (derived or not) breaks; a new one is additive;
//! - the same Rust API with another route, parameter location or wire name, serde name or
//!   `ACCEPT` is a wire change;
//! - different doc comments, or `#[deprecated]`, change only the documentation.
//!
//! The API's client and the builder each of its methods returns are one operation: a method
//! whose builder sends the same route under a new name is a rename, reported once.

mod data;
mod operations;
mod signatures;

use std::collections::{BTreeMap, BTreeSet};

use super::report::{Change, Kind};
use super::surface::{Item, Module, Shape, Surface};

/// The changes from `old` to `new`, sorted by kind, then item, then description.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut found = Found::default();
    for (name, old_module) in &old.modules {
        match new.modules.get(name) {
            Some(new_module) => module(&mut found, name, old_module, new_module),
            None => found.push(
                Kind::Breaking,
                name,
                format!("API removed: the module `{name}` and `Client::{name}()` no longer exist"),
            ),
        }
    }
    for name in new.modules.keys() {
        if !old.modules.contains_key(name) {
            found.push(
                Kind::Additive,
                name,
                format!("new API: the module `{name}` and `Client::{name}()`"),
            );
        }
    }
    found.finish()
}

/// The changes found so far.
#[derive(Default)]
struct Found {
    changes: Vec<Change>,
}

impl Found {
    fn push(&mut self, kind: Kind, item: &str, what: impl Into<String>) {
        self.changes.push(Change {
            kind,
            item: item.to_owned(),
            what: what.into(),
        });
    }

    fn docs(&mut self, item: &str, old: &Option<String>, new: &Option<String>) {
        let how = match (old, new) {
            (a, b) if a == b => return,
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            _ => "changed",
        };
        self.push(Kind::Docs, item, format!("documentation {how}"));
    }

    fn deprecation(&mut self, item: &str, old: bool, new: bool) {
        match (old, new) {
            (false, true) => self.push(
                Kind::Docs,
                item,
                "now `#[deprecated]`: callers get a warning",
            ),
            (true, false) => self.push(Kind::Docs, item, "no longer deprecated"),
            _ => {}
        }
    }

    /// Sorted and without repeats; a changed doc comment is left out where the same item
    /// changed otherwise (its documentation follows the change).
    fn finish(mut self) -> Vec<Change> {
        let changed: BTreeSet<String> = self
            .changes
            .iter()
            .filter(|c| c.kind != Kind::Docs)
            .map(|c| c.item.clone())
            .collect();
        self.changes.retain(|c| {
            !(c.kind == Kind::Docs
                && c.what.starts_with("documentation ")
                && changed.contains(&c.item))
        });
        self.changes.sort();
        self.changes.dedup();
        self.changes
    }
}

fn module(found: &mut Found, name: &str, old: &Module, new: &Module) {
    found.docs(name, &old.doc, &new.doc);
    if let (Some(a), Some(b)) = (&old.feature, &new.feature) {
        if a != b {
            found.push(
                Kind::Breaking,
                name,
                format!("now behind the feature `{b}` (was `{a}`)"),
            );
        }
    }
    // Items compared as part of an operation, or as the client, by their old and new path.
    let mut done: (BTreeSet<&str>, BTreeSet<&str>) = Default::default();
    if let (Some(a), Some(b)) = (&old.client, &new.client) {
        done.0.insert(a);
        done.1.insert(b);
        if a != b {
            found.push(
                Kind::Breaking,
                name,
                format!("client type renamed from `{a}` to `{b}`"),
            );
        }
        // Its methods are the operations, compared below; its associated functions here.
        let without_operations = |item: &Item| {
            let mut item = item.clone();
            item.methods.retain(|_, f| f.receiver.is_none());
            item
        };
        item(
            found,
            &format!("{name}::{b}"),
            &without_operations(&old.items[a]),
            &without_operations(&new.items[b]),
            a != b,
        );
    }
    operations::compare(found, name, old, new, &mut done);
    items(found, name, old, new, &done);
}

fn items<'a>(
    found: &mut Found,
    module: &str,
    old: &'a Module,
    new: &'a Module,
    done: &(BTreeSet<&str>, BTreeSet<&str>),
) {
    let path = |key: &str| format!("{module}::{key}");
    let old_items: Vec<(&String, &Item)> = old
        .items
        .iter()
        .filter(|(k, _)| !done.0.contains(k.as_str()))
        .collect();
    let new_items: Vec<(&String, &Item)> = new
        .items
        .iter()
        .filter(|(k, _)| !done.1.contains(k.as_str()))
        .collect();
    let (both, removed, added) = pair_up(&old_items, &new_items, |(k, _)| *k);
    // A type whose contents are unchanged under a new name was renamed; only when the
    // match is unambiguous.
    let same = |a: &Item, b: &Item| is_type(a) && undocumented(a) == undocumented(b);
    let mut renamed = Vec::new();
    let mut gone = Vec::new();
    for &o in &removed {
        let candidates: Vec<_> = added.iter().filter(|n| same(o.1, n.1)).collect();
        let claimed = removed.iter().filter(|r| same(r.1, o.1)).count();
        match candidates.as_slice() {
            [only] if claimed == 1 => renamed.push((o, **only)),
            _ => gone.push(o),
        }
    }
    for (key, item) in gone {
        let what = match &item.shape {
            Shape::Const { .. } => "constant removed".to_owned(),
            Shape::Fn(_) => "function removed".to_owned(),
            shape => format!("type removed ({})", shape.kind()),
        };
        found.push(Kind::Breaking, &path(key), what);
    }
    for &(key, item) in &added {
        if renamed.iter().any(|(_, (k, _))| *k == key.as_str()) {
            continue;
        }
        let what = match &item.shape {
            Shape::Const { ty, .. } => format!("new constant (`{ty}`)"),
            Shape::Fn(f) => format!("new function `{}`", f.signature(key)),
            shape => format!("new type ({})", shape.kind()),
        };
        found.push(Kind::Additive, &path(key), what);
    }
    for ((old_key, o), (new_key, n)) in renamed {
        let short = |key: &'a str| key.rsplit("::").next().unwrap_or(key);
        found.push(
            Kind::Breaking,
            &path(old_key),
            format!("type renamed to `{}` (same contents)", short(new_key)),
        );
        // A doc comment that names the type follows the rename.
        let old_doc = o
            .doc
            .as_deref()
            .map(|d| replace_word(d, short(old_key), short(new_key)));
        found.docs(&path(new_key), &old_doc, &n.doc);
    }
    for ((key, o), (_, n)) in both {
        item(found, &path(key), o, n, false);
    }
}

/// Compares one item; `renamed` leaves out its own doc comment, which names it. Returns
/// the names of the methods that changed.
fn item(found: &mut Found, path: &str, old: &Item, new: &Item, renamed: bool) -> BTreeSet<String> {
    if !renamed {
        found.docs(path, &old.doc, &new.doc);
    }
    found.deprecation(path, old.deprecated, new.deprecated);
    match (&old.shape, &new.shape) {
        (Shape::Struct(a), Shape::Struct(b)) => data::structure(found, path, a, b),
        (Shape::Enum(a), Shape::Enum(b)) => data::enumeration(found, path, a, b),
        (Shape::Alias(a), Shape::Alias(b)) => {
            if a != b {
                found.push(
                    Kind::Breaking,
                    path,
                    format!("now an alias of `{b}` (was `{a}`)"),
                );
            }
        }
        (Shape::Const { ty: a, value: x }, Shape::Const { ty: b, value: y }) => {
            if a != b {
                found.push(
                    Kind::Breaking,
                    path,
                    format!("type changed from `{a}` to `{b}`"),
                );
            } else if x != y {
                let what = if path.ends_with("::ACCEPT") {
                    format!(
                        "every request now sends `Accept: {y}` (was `{x}`): another version of the API"
                    )
                } else {
                    format!("value now `{y}` (was `{x}`)")
                };
                found.push(Kind::Wire, path, what);
            }
        }
        (Shape::Fn(a), Shape::Fn(b)) => {
            signatures::function(found, path, a, b, false);
        }
        (a, b) => found.push(
            Kind::Breaking,
            path,
            format!("now {} (was {})", b.kind(), a.kind()),
        ),
    }
    for lost in old.traits.difference(&new.traits) {
        found.push(
            Kind::Breaking,
            path,
            format!("no longer implements `{lost}`"),
        );
    }
    for gained in new.traits.difference(&old.traits) {
        found.push(Kind::Additive, path, format!("now implements `{gained}`"));
    }
    signatures::methods(found, path, old, new)
}

/// Matches the items of two lists by key: the pairs in both, the old ones only, the new ones
/// only; each in the order of the list it comes from.
fn pair_up<'a, T, K: Ord>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> (Vec<(&'a T, &'a T)>, Vec<&'a T>, Vec<&'a T>) {
    let new_keys: BTreeMap<K, &T> = new.iter().map(|n| (key(n), n)).collect();
    let old_keys: BTreeSet<K> = old.iter().map(&key).collect();
    let mut both = Vec::new();
    let mut removed = Vec::new();
    for o in old {
        match new_keys.get(&key(o)) {
            Some(n) => both.push((o, *n)),
            None => removed.push(o),
        }
    }
    let added = new.iter().filter(|n| !old_keys.contains(&key(n))).collect();
    (both, removed, added)
}

fn code(text: &str) -> String {
    if text.is_empty() {
        "nothing".to_owned()
    } else {
        format!("`{text}`")
    }
}

fn code_list(values: &[String]) -> String {
    if values.is_empty() {
        return "nothing".to_owned();
    }
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The item with every doc comment left out: what two items must share to be one renamed.
fn undocumented(item: &Item) -> Item {
    let mut item = item.clone();
    item.doc = None;
    for method in item.methods.values_mut() {
        method.doc = None;
    }
    match &mut item.shape {
        Shape::Struct(s) => s.fields.iter_mut().for_each(|f| f.doc = None),
        Shape::Enum(e) => e.variants.iter_mut().for_each(|v| v.doc = None),
        Shape::Fn(f) => f.doc = None,
        _ => {}
    }
    item
}

/// The item with the name `from` in its method signatures read as `to`: a renamed type's
/// methods that return or take the type itself are not changed by the rename.
fn renamed_in(item: &Item, from: &str, to: &str) -> Item {
    let mut item = item.clone();
    if from != to {
        let rename = |ty: &mut String| *ty = replace_word(ty, from, to);
        for method in item.methods.values_mut() {
            rename(&mut method.output);
            method.args.iter_mut().for_each(|(_, ty)| rename(ty));
        }
    }
    item
}

/// `text` with each whole identifier `from` replaced by `to`.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

fn is_type(item: &Item) -> bool {
    matches!(
        item.shape,
        Shape::Struct(_) | Shape::Enum(_) | Shape::Alias(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rename_replaces_whole_names_only() {
        assert_eq!(
            replace_word("X<Representation>, XY, models::X", "X", "Z"),
            "Z<Representation>, XY, models::Z"
        );
    }
}
