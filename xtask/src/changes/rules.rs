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

use std::collections::{BTreeMap, BTreeSet};

use super::report::{Change, Kind};
use super::surface::{Enum, Field, Function, Generic, Item, Module, Shape, Struct, Surface};
use super::wire::Request;

/// The changes from `old` to `new`, sorted by kind, then item, then description.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut diff = Diff::default();
    for (name, old_module) in &old.modules {
        match new.modules.get(name) {
            Some(new_module) => diff.module(name, old_module, new_module),
            None => diff.push(
                Kind::Breaking,
                name,
                format!("API removed: the module `{name}` and `Client::{name}()` no longer exist"),
            ),
        }
    }
    for name in new.modules.keys() {
        if !old.modules.contains_key(name) {
            diff.push(
                Kind::Additive,
                name,
                format!("new API: the module `{name}` and `Client::{name}()`"),
            );
        }
    }
    diff.finish()
}

/// An operation of a module: a method of the API's client and the builder it returns.
struct Operation<'a> {
    name: &'a str,
    method: &'a Function,
    builder: Option<(&'a str, &'a Item)>,
}

impl Operation<'_> {
    fn route(&self) -> Option<String> {
        let (_, builder) = self.builder?;
        builder.request.as_ref()?.route.as_ref().map(|r| r.text())
    }

    fn builder_name(&self) -> &str {
        self.builder.map_or(self.method.output.as_str(), |(n, _)| n)
    }
}

fn operations(module: &Module) -> Vec<Operation<'_>> {
    let Some(client) = module.client.as_ref().and_then(|c| module.items.get(c)) else {
        return Vec::new();
    };
    client
        .methods
        .iter()
        .filter(|(_, f)| f.receiver.is_some())
        .filter_map(|(key, method)| {
            let name = key.strip_prefix("::")?;
            let builder_name = method.output.split('<').next().unwrap_or_default();
            let builder = module
                .items
                .get_key_value(builder_name)
                .filter(|(_, item)| matches!(item.shape, Shape::Struct(_)))
                .map(|(n, item)| (n.as_str(), item));
            Some(Operation {
                name,
                method,
                builder,
            })
        })
        .collect()
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

/// Whether the names both lists hold come in another order: positional arguments that were
/// reordered, which calls may still compile with (swapped values of the same type).
fn reordered(old: &[&str], new: &[&str]) -> bool {
    let shared_new: Vec<&&str> = new.iter().filter(|n| old.contains(n)).collect();
    let shared_old: Vec<&&str> = old.iter().filter(|o| new.contains(o)).collect();
    shared_new != shared_old
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

/// The changes found so far.
#[derive(Default)]
struct Diff {
    changes: Vec<Change>,
}

impl Diff {
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

    fn module(&mut self, name: &str, old: &Module, new: &Module) {
        self.docs(name, &old.doc, &new.doc);
        if let (Some(a), Some(b)) = (&old.feature, &new.feature) {
            if a != b {
                self.push(
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
                self.push(
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
            self.item(
                &format!("{name}::{b}"),
                &without_operations(&old.items[a]),
                &without_operations(&new.items[b]),
                a != b,
            );
        }
        self.operations(name, old, new, &mut done);
        self.items(name, old, new, &done);
    }

    fn operations<'a>(
        &mut self,
        module: &str,
        old: &'a Module,
        new: &'a Module,
        done: &mut (BTreeSet<&'a str>, BTreeSet<&'a str>),
    ) {
        let (old_ops, new_ops) = (operations(old), operations(new));
        let (both, removed, added) = pair_up(&old_ops, &new_ops, |o| o.name);
        // A method whose builder sends the same route under a new name was renamed; one
        // without a route (no builder found) pairs with nothing.
        let (renamed, removed, added) = pair_up(&removed, &added, |o| {
            o.route().unwrap_or_else(|| format!("no route: {}", o.name))
        });
        done.0
            .extend(old_ops.iter().filter_map(|o| o.builder).map(|(b, _)| b));
        done.1
            .extend(new_ops.iter().filter_map(|o| o.builder).map(|(b, _)| b));
        for op in removed {
            let route = op.route().map(|r| format!(" (`{r}`)")).unwrap_or_default();
            self.push(
                Kind::Breaking,
                &format!("{module}::{}", op.name),
                format!(
                    "operation removed{route}: the method and its builder `{}` no longer exist",
                    op.builder_name()
                ),
            );
        }
        for op in added {
            let route = op.route().map(|r| format!("`{r}` ")).unwrap_or_default();
            self.push(
                Kind::Additive,
                &format!("{module}::{}", op.name),
                format!("new operation {route}(builder `{}`)", op.builder_name()),
            );
        }
        for (o, n) in renamed {
            self.push(
                Kind::Breaking,
                &format!("{module}::{}", o.name),
                format!(
                    "method renamed to `{}` (builder `{}`, was `{}`), same route `{}`",
                    n.name,
                    n.builder_name(),
                    o.builder_name(),
                    n.route().unwrap_or_default()
                ),
            );
            self.operation(module, o, n);
        }
        for (o, n) in both {
            self.operation(module, o, n);
        }
    }

    /// Compares a method of the client and the builder it returns; what the builder sends is
    /// reported on the method, where users start the call.
    fn operation(&mut self, module: &str, old: &Operation, new: &Operation) {
        let item = format!("{module}::{}", new.name);
        let (a, b) = (old.builder_name(), new.builder_name());
        let mut method = old.method.clone();
        if a != b {
            // A builder renamed with its method is part of the rename, reported once.
            if old.name == new.name {
                self.push(
                    Kind::Breaking,
                    &item,
                    format!("request builder renamed from `{a}` to `{b}`"),
                );
            }
            method.output = replace_word(&method.output, a, b);
        }
        let mut touched = self.function(&item, &method, new.method, old.name != new.name);
        if let (Some((a, old_builder)), Some((b, new_builder))) = (old.builder, new.builder) {
            let path = format!("{module}::{b}");
            let old_builder = renamed_in(old_builder, a, b);
            touched.extend(self.item(&path, &old_builder, new_builder, a != b));
            if let (Some(x), Some(y)) = (&old_builder.request, &new_builder.request) {
                self.request(&item, x, y, &touched);
            }
        }
    }

    fn items<'a>(
        &mut self,
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
            self.push(Kind::Breaking, &path(key), what);
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
            self.push(Kind::Additive, &path(key), what);
        }
        for ((old_key, o), (new_key, n)) in renamed {
            let short = |key: &'a str| key.rsplit("::").next().unwrap_or(key);
            self.push(
                Kind::Breaking,
                &path(old_key),
                format!("type renamed to `{}` (same contents)", short(new_key)),
            );
            // A doc comment that names the type follows the rename.
            let old_doc = o
                .doc
                .as_deref()
                .map(|d| replace_word(d, short(old_key), short(new_key)));
            self.docs(&path(new_key), &old_doc, &n.doc);
        }
        for ((key, o), (_, n)) in both {
            self.item(&path(key), o, n, false);
        }
    }

    /// Compares one item; `renamed` leaves out its own doc comment, which names it. Returns
    /// the names of the methods that changed.
    fn item(&mut self, path: &str, old: &Item, new: &Item, renamed: bool) -> BTreeSet<String> {
        if !renamed {
            self.docs(path, &old.doc, &new.doc);
        }
        self.deprecation(path, old.deprecated, new.deprecated);
        match (&old.shape, &new.shape) {
            (Shape::Struct(a), Shape::Struct(b)) => self.structure(path, a, b),
            (Shape::Enum(a), Shape::Enum(b)) => self.enumeration(path, a, b),
            (Shape::Alias(a), Shape::Alias(b)) => {
                if a != b {
                    self.push(
                        Kind::Breaking,
                        path,
                        format!("now an alias of `{b}` (was `{a}`)"),
                    );
                }
            }
            (Shape::Const { ty: a, value: x }, Shape::Const { ty: b, value: y }) => {
                if a != b {
                    self.push(
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
                    self.push(Kind::Wire, path, what);
                }
            }
            (Shape::Fn(a), Shape::Fn(b)) => {
                self.function(path, a, b, false);
            }
            (a, b) => self.push(
                Kind::Breaking,
                path,
                format!("now {} (was {})", b.kind(), a.kind()),
            ),
        }
        for lost in old.traits.difference(&new.traits) {
            self.push(
                Kind::Breaking,
                path,
                format!("no longer implements `{lost}`"),
            );
        }
        for gained in new.traits.difference(&old.traits) {
            self.push(Kind::Additive, path, format!("now implements `{gained}`"));
        }
        self.methods(path, old, new)
    }

    fn methods(&mut self, path: &str, old: &Item, new: &Item) -> BTreeSet<String> {
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
                self.push(Kind::Breaking, &format!("{path}{key}"), what);
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
                    self.push(
                        Kind::Additive,
                        &format!("{path}{key}"),
                        format!("{what} `{}`", f.signature(&name(key))),
                    );
                }
                Some(o) => {
                    if !self
                        .function(&format!("{path}{key}"), o, f, false)
                        .is_empty()
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
    fn function(
        &mut self,
        path: &str,
        old: &Function,
        new: &Function,
        renamed: bool,
    ) -> BTreeSet<String> {
        if !renamed {
            self.docs(path, &old.doc, &new.doc);
        }
        self.deprecation(path, old.deprecated, new.deprecated);
        if old.is_async != new.is_async {
            let what = if new.is_async {
                "now `async`: calls must be awaited"
            } else {
                "no longer `async`"
            };
            self.push(Kind::Breaking, path, what);
        }
        if old.receiver != new.receiver {
            self.push(
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
            self.push(
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
            self.push(Kind::Breaking, path, format!("argument `{name}` removed"));
        }
        for (name, ty) in added {
            touched.insert(name.clone());
            self.push(
                Kind::Breaking,
                path,
                format!("new argument `{name}` (`{ty}`)"),
            );
        }
        for ((name, a), (_, b)) in both {
            if a != b {
                touched.insert(name.clone());
                self.push(
                    Kind::Breaking,
                    path,
                    format!("argument `{name}`: type changed from `{a}` to `{b}`"),
                );
            }
        }
        let names =
            |f: &Function| -> Vec<String> { f.args.iter().map(|(n, _)| n.clone()).collect() };
        let (old_names, new_names) = (names(old), names(new));
        let old_refs: Vec<&str> = old_names.iter().map(String::as_str).collect();
        let new_refs: Vec<&str> = new_names.iter().map(String::as_str).collect();
        if reordered(&old_refs, &new_refs) {
            self.push(
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
            self.push(
                Kind::Breaking,
                path,
                format!("now returns `{}` (was `{}`)", new.output, old.output),
            );
        }
        touched
    }

    /// A change of type parameters breaks users, except new ones with a default at the end.
    fn generics(&mut self, path: &str, old: &[Generic], new: &[Generic]) {
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
        self.push(
            kind,
            path,
            format!("{what}: now {} (was {})", text(new), text(old)),
        );
    }

    fn exhaustiveness(&mut self, path: &str, old: bool, new: bool, what_breaks: &str) {
        match (old, new) {
            (false, true) => self.push(
                Kind::Breaking,
                path,
                format!("now `#[non_exhaustive]`: {what_breaks}"),
            ),
            (true, false) => self.push(Kind::Additive, path, "no longer `#[non_exhaustive]`"),
            _ => {}
        }
    }

    fn serde(&mut self, path: &str, old: &[String], new: &[String]) {
        if old != new {
            let text = |s: &[String]| {
                if s.is_empty() {
                    "none".to_owned()
                } else {
                    format!("`#[serde({})]`", s.join(", "))
                }
            };
            self.push(
                Kind::Wire,
                path,
                format!("serde attributes now {} (were {})", text(new), text(old)),
            );
        }
    }

    fn structure(&mut self, path: &str, old: &Struct, new: &Struct) {
        self.generics(path, &old.generics, &new.generics);
        self.exhaustiveness(
            path,
            old.non_exhaustive,
            new.non_exhaustive,
            "it can no longer be built with a struct literal",
        );
        self.serde(path, &old.serde, &new.serde);
        // Users build a struct with a literal only when every field is public and it is not
        // `#[non_exhaustive]`; then a new field breaks the literal.
        let closed = new.non_exhaustive || new.private_fields;
        let (both, removed, added) = pair_up(&old.fields, &new.fields, |f| f.name.clone());
        let item = |f: &Field| format!("{path}::{}", f.name);
        for f in removed {
            self.push(Kind::Breaking, &item(f), "field removed");
        }
        for f in added {
            let optional = if f.ty.starts_with("Option<") {
                "optional "
            } else {
                ""
            };
            if closed {
                self.push(
                    Kind::Additive,
                    &item(f),
                    format!("new {optional}field (`{}`)", f.ty),
                );
            } else {
                self.push(
                    Kind::Breaking,
                    &item(f),
                    format!(
                        "new {optional}field (`{}`): the struct is not `#[non_exhaustive]`, so \
                         struct literals without it no longer compile",
                        f.ty
                    ),
                );
            }
        }
        for (o, n) in both {
            let field = item(n);
            let (a, b) = (&o.ty, &n.ty);
            if a != b {
                let what = if *a == format!("Option<{b}>") {
                    format!("now required (type `{b}`, was `{a}`)")
                } else if *b == format!("Option<{a}>") {
                    format!("now optional (type `{b}`, was `{a}`)")
                } else {
                    format!("type changed from `{a}` to `{b}`")
                };
                self.push(Kind::Breaking, &field, what);
            } else if o.serde != n.serde {
                self.serde(&field, &o.serde, &n.serde);
            }
            if let (Some(x), Some(y)) = (&o.wire, &n.wire) {
                if x != y {
                    self.push(
                        Kind::Wire,
                        &field,
                        format!("serialized as `{y}` (was `{x}`)"),
                    );
                }
            }
            self.docs(&field, &o.doc, &n.doc);
        }
    }

    fn enumeration(&mut self, path: &str, old: &Enum, new: &Enum) {
        self.generics(path, &old.generics, &new.generics);
        self.exhaustiveness(
            path,
            old.non_exhaustive,
            new.non_exhaustive,
            "a `match` over it needs a wildcard arm",
        );
        self.serde(path, &old.serde, &new.serde);
        let (both, removed, added) = pair_up(&old.variants, &new.variants, |v| v.name.clone());
        let item = |name: &str| format!("{path}::{name}");
        let stands_for = |wire: &[String]| {
            if wire.is_empty() {
                String::new()
            } else {
                format!("stands for {}", code_list(wire))
            }
        };
        for v in removed {
            let was = if v.wire.is_empty() {
                String::new()
            } else {
                format!(" (it stood for {})", code_list(&v.wire))
            };
            self.push(
                Kind::Breaking,
                &item(&v.name),
                format!("variant removed{was}"),
            );
        }
        for v in added {
            let mut about: Vec<String> = Vec::new();
            if !v.holds.is_empty() {
                about.push(format!("holds `{}`", v.holds));
            }
            if !v.wire.is_empty() {
                about.push(stands_for(&v.wire));
            }
            let about = about.join(", ");
            if new.non_exhaustive {
                let about = if about.is_empty() {
                    String::new()
                } else {
                    format!("{about}; ")
                };
                self.push(
                    Kind::Additive,
                    &item(&v.name),
                    format!("new variant ({about}the enum is `#[non_exhaustive]`)"),
                );
            } else {
                let about = if about.is_empty() {
                    String::new()
                } else {
                    format!(" ({about})")
                };
                self.push(
                    Kind::Breaking,
                    &item(&v.name),
                    format!(
                        "new variant{about}: the enum is exhaustive, so a `match` over it \
                         without a wildcard arm no longer compiles"
                    ),
                );
            }
        }
        for (o, n) in both {
            let variant = item(&n.name);
            if o.holds != n.holds {
                self.push(
                    Kind::Breaking,
                    &variant,
                    format!("now holds {} (was {})", code(&n.holds), code(&o.holds)),
                );
            }
            if o.wire != n.wire && !o.wire.is_empty() && !n.wire.is_empty() {
                self.push(
                    Kind::Wire,
                    &variant,
                    format!(
                        "now stands for {} (was {})",
                        code_list(&n.wire),
                        code_list(&o.wire)
                    ),
                );
            }
            self.docs(&variant, &o.doc, &n.doc);
        }
    }

    /// What an operation sends; a parameter or body whose Rust side changed (`touched`: the
    /// names of changed arguments and builder methods) is reported there, not here.
    fn request(&mut self, path: &str, old: &Request, new: &Request, touched: &BTreeSet<String>) {
        if let (Some(a), Some(b)) = (&old.route, &new.route) {
            if a != b {
                self.push(
                    Kind::Wire,
                    path,
                    format!("now calls `{}` (was `{}`)", b.text(), a.text()),
                );
            }
        }
        for (key, n) in &new.params {
            if touched.contains(key) {
                continue;
            }
            let Some(o) = old.params.get(key) else {
                self.push(
                    Kind::Wire,
                    path,
                    format!("now sends `{}` in {}", n.name, n.location),
                );
                continue;
            };
            let item = format!("{path}: parameter `{key}`");
            if o.location != n.location {
                self.push(
                    Kind::Wire,
                    &item,
                    format!(
                        "moved from {} to {}; it is passed the same way in Rust",
                        o.location, n.location
                    ),
                );
            }
            if o.name != n.name {
                self.push(
                    Kind::Wire,
                    &item,
                    format!("sent as `{}` (was `{}`)", n.name, o.name),
                );
            }
            if o.style != n.style {
                self.push(
                    Kind::Wire,
                    &item,
                    format!(
                        "serialized with {} (was {})",
                        code(&n.style),
                        code(&o.style)
                    ),
                );
            }
        }
        for (key, o) in &old.params {
            if !new.params.contains_key(key) && !touched.contains(key) {
                self.push(
                    Kind::Wire,
                    path,
                    format!("no longer sends `{}` in {}", o.name, o.location),
                );
            }
        }
        if old.body != new.body && !touched.contains("body") {
            self.push(
                Kind::Wire,
                path,
                format!(
                    "the body is now sent with {} (was {})",
                    code(&new.body.join(", ")),
                    code(&old.body.join(", "))
                ),
            );
        }
    }
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

    #[test]
    fn reordering_ignores_added_and_removed_names() {
        assert!(!reordered(&["a", "b"], &["a", "x", "b"]));
        assert!(!reordered(&["a", "b", "c"], &["a", "c"]));
        assert!(reordered(&["a", "b"], &["b", "a"]));
    }
}
