//! What a change of definitions does to the generated Rust API: two models of the same APIs
//! in, a classified list of changes out, in the terms a user of the crate sees (methods,
//! arguments, builder setters, struct fields, enum variants), not in OpenAPI terms.
//!
//! The classification follows what the emitter generates, so it must change with it:
//! - structs are `#[non_exhaustive]` and built with `new(required fields)` (or `Default` when
//!   no field is required), so a new optional field is additive but a new required one changes
//!   `new`;
//! - string enums and `oneOf` enums are `#[non_exhaustive]` with a catch-all variant, and the
//!   enums of success statuses are `#[non_exhaustive]`, so a new variant is additive;
//! - required parameters (and a required body) are positional arguments of the client method,
//!   optional ones are builder setters, so any change to which parameters are required, or to
//!   their order, breaks callers;
//! - the enums of binary media types are exhaustive, but callers only build them: a new media
//!   type breaks only a `match` over one, and counts as additive.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::model::{
    Api, Body, BodyKind, Field, Operation, Param, ParamLocation, Response, TypeDef, TypeKind,
    TypeRef,
};

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
    /// The Rust item, as a path with the part of it that changed, e.g.
    /// ``itwins::get_itwins: parameter `top` ``.
    pub item: String,
    /// What changed, as a sentence.
    pub what: String,
}

/// The changes from the APIs `old` to the APIs `new`, matched by module name; sorted by kind,
/// then item, then description, so that the same inputs always give the same list.
pub fn compare_all(old: &[Api], new: &[Api]) -> Vec<Change> {
    let mut diff = Diff::default();
    let old_by_module: BTreeMap<&str, &Api> = old.iter().map(|a| (a.module.as_str(), a)).collect();
    let new_by_module: BTreeMap<&str, &Api> = new.iter().map(|a| (a.module.as_str(), a)).collect();
    for (module, old_api) in &old_by_module {
        match new_by_module.get(module) {
            Some(new_api) => diff.api(old_api, new_api),
            None => diff.push(
                Kind::Breaking,
                module,
                format!(
                    "API removed: the module `{module}` and `Client::{module}()` no longer exist"
                ),
            ),
        }
    }
    for module in new_by_module.keys() {
        if !old_by_module.contains_key(module) {
            diff.push(
                Kind::Additive,
                module,
                format!("new API: the module `{module}` and `Client::{module}()`"),
            );
        }
    }
    diff.finish()
}

/// The changes from `old` to `new`, two models of one API; sorted like [`compare_all`].
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut diff = Diff::default();
    diff.api(old, new);
    diff.finish()
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

/// The Rust type of a use of a type, as the generated code spells it.
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", rust_type(value)),
        TypeRef::Named(name) | TypeRef::Runtime(name) => name.clone(),
    }
}

/// The Rust type of a struct field, as `emit::types` declares it.
fn field_type(field: &Field) -> String {
    let ty = rust_type(&field.ty);
    if field.flatten {
        return ty;
    }
    let ty = if field.boxed {
        format!("Box<{ty}>")
    } else {
        ty
    };
    match (field.required, field.nullable) {
        (true, false) => ty,
        (false, true) => format!("Option<Option<{ty}>>"),
        _ => format!("Option<{ty}>"),
    }
}

/// What `send` returns for an answer.
fn output_type(response: &Response) -> String {
    match response {
        Response::Json(ty) => rust_type(ty),
        Response::Bytes => "Vec<u8>".into(),
        Response::Text => "String".into(),
        Response::Empty => "()".into(),
        Response::ByStatus { name, .. } => name.clone(),
        Response::Raw => "RawResponse".into(),
    }
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "the path",
        ParamLocation::Query => "the query",
        ParamLocation::Header => "a header",
    }
}

fn type_kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "a string enum",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::OneOf { .. } => "an enum of alternatives",
    }
}

/// The names of the types reachable from request bodies and parameters: what callers build.
fn sent_types(api: &Api) -> BTreeSet<String> {
    let defs: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut pending: Vec<&TypeRef> = Vec::new();
    for op in &api.operations {
        pending.extend(op.params.iter().map(|p| &p.ty));
        if let Some(Body {
            kind: BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. },
            ..
        }) = &op.body
        {
            pending.push(ty);
        }
    }
    let mut sent = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        if let TypeRef::Named(name) = ty.innermost() {
            if sent.insert(name.clone()) {
                if let Some(def) = defs.get(name.as_str()) {
                    pending.extend(def.kind.uses());
                }
            }
        }
    }
    sent
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

/// Whether the names that both lists hold come in another order: positional arguments that
/// were reordered, which calls may still compile with (swapped values of the same type).
fn reordered(old: &[String], new: &[String]) -> bool {
    let shared_new: Vec<&String> = new.iter().filter(|n| old.contains(n)).collect();
    let shared_old: Vec<&String> = old.iter().filter(|o| new.contains(o)).collect();
    shared_new != shared_old
}

fn changed_text(old: &Option<String>, new: &Option<String>) -> Option<&'static str> {
    let normalize = |s: &Option<String>| {
        s.as_deref()
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
    };
    match (normalize(old), normalize(new)) {
        (a, b) if a == b => None,
        (None, Some(_)) => Some("added"),
        (Some(_), None) => Some("removed"),
        _ => Some("changed"),
    }
}

fn code_list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The changes found so far.
#[derive(Default)]
struct Diff {
    changes: Vec<Change>,
    /// The types of the API being compared that callers send (in bodies or parameters).
    sent: BTreeSet<String>,
}

impl Diff {
    fn push(&mut self, kind: Kind, item: &str, what: impl Into<String>) {
        self.changes.push(Change {
            kind,
            item: item.to_owned(),
            what: what.into(),
        });
    }

    fn docs(&mut self, item: &str, label: &str, old: &Option<String>, new: &Option<String>) {
        if let Some(how) = changed_text(old, new) {
            self.push(Kind::Docs, item, format!("{label} {how}"));
        }
    }

    fn finish(mut self) -> Vec<Change> {
        self.changes.sort();
        self.changes.dedup();
        self.changes
    }

    fn api(&mut self, old: &Api, new: &Api) {
        let module = new.module.as_str();
        if old.client_name != new.client_name {
            self.push(
                Kind::Breaking,
                module,
                format!(
                    "client type renamed from `{}` to `{}`",
                    old.client_name, new.client_name
                ),
            );
        }
        if old.accept != new.accept {
            self.push(
                Kind::Wire,
                module,
                format!(
                    "every request now sends `Accept: {}` (was `{}`): another version of the API",
                    new.accept, old.accept
                ),
            );
        }
        if old.title != new.title {
            self.push(
                Kind::Docs,
                module,
                format!("title changed from \"{}\" to \"{}\"", old.title, new.title),
            );
        }
        self.docs(module, "description", &old.description, &new.description);
        self.sent = sent_types(new);
        self.operations(old, new);
        self.types(old, new);
    }

    fn operations(&mut self, old_api: &Api, new_api: &Api) {
        let module = &new_api.module;
        let (both, removed, added) = pair_up(&old_api.operations, &new_api.operations, |o| {
            o.fn_name.clone()
        });
        // An operation whose id changed keeps its method and path: a rename, not a removal.
        let (renamed, removed, added) =
            pair_up(&removed, &added, |o| (o.method.as_str(), o.path.clone()));
        for op in &removed {
            self.push(
                Kind::Breaking,
                &format!("{module}::{}", op.fn_name),
                format!(
                    "operation removed (`{} {}`): the method and its builder `{}` no longer exist",
                    op.method.as_str(),
                    op.path,
                    op.builder_name
                ),
            );
        }
        for op in &added {
            self.push(
                Kind::Additive,
                &format!("{module}::{}", op.fn_name),
                format!(
                    "new operation `{} {}` (builder `{}`)",
                    op.method.as_str(),
                    op.path,
                    op.builder_name
                ),
            );
        }
        for (old, new) in renamed {
            self.push(
                Kind::Breaking,
                &format!("{module}::{}", old.fn_name),
                format!(
                    "method renamed to `{}` (builder `{}`, was `{}`), same route `{} {}`",
                    new.fn_name,
                    new.builder_name,
                    old.builder_name,
                    new.method.as_str(),
                    new.path
                ),
            );
            self.operation(old_api, new_api, old, new);
        }
        for (old, new) in both {
            if old.builder_name != new.builder_name {
                self.push(
                    Kind::Breaking,
                    &format!("{module}::{}", new.fn_name),
                    format!(
                        "request builder renamed from `{}` to `{}`",
                        old.builder_name, new.builder_name
                    ),
                );
            }
            self.operation(old_api, new_api, old, new);
        }
    }

    fn operation(&mut self, old_api: &Api, new_api: &Api, old: &Operation, new: &Operation) {
        let item = format!("{}::{}", new_api.module, new.fn_name);
        if (old.method, &old.path) != (new.method, &new.path) {
            self.push(
                Kind::Wire,
                &item,
                format!(
                    "now calls `{} {}` (was `{} {}`)",
                    new.method.as_str(),
                    new.path,
                    old.method.as_str(),
                    old.path
                ),
            );
        }
        self.docs(&item, "summary", &old.summary, &new.summary);
        self.docs(&item, "description", &old.description, &new.description);
        match (old.deprecated, new.deprecated) {
            (false, true) => self.push(
                Kind::Docs,
                &item,
                "now `#[deprecated]`: callers get a warning",
            ),
            (true, false) => self.push(Kind::Docs, &item, "no longer deprecated"),
            _ => {}
        }
        if old.response_headers != new.response_headers {
            self.push(
                Kind::Docs,
                &item,
                format!(
                    "documented response headers are now {} (were {})",
                    code_list(&new.response_headers),
                    code_list(&old.response_headers)
                ),
            );
        }
        self.params(&item, old, new);
        self.body(&item, old.body.as_ref(), new.body.as_ref());
        self.answer(
            &item,
            "`send`",
            (old_api, &old.response),
            (new_api, &new.response),
        );
        match (&old.prefer, &new.prefer) {
            (None, Some(_)) => self.push(
                Kind::Breaking,
                &item,
                format!(
                    "the answer's shape is now chosen with `Prefer`: the builder is generic \
                     (`{}<Shape = Minimal>`) and has `representation()`",
                    new.builder_name
                ),
            ),
            (Some(_), None) => self.push(
                Kind::Breaking,
                &item,
                "the answer's shape is no longer chosen with `Prefer`: `representation()` \
                 and the builder's type parameter are gone",
            ),
            (Some(o), Some(n)) => {
                if o.header != n.header {
                    self.push(
                        Kind::Wire,
                        &item,
                        format!(
                            "the shape is asked for with `{}` (was `{}`)",
                            n.header, o.header
                        ),
                    );
                }
                self.answer(
                    &item,
                    "`representation().send`",
                    (old_api, &o.representation),
                    (new_api, &n.representation),
                );
            }
            (None, None) => {}
        }
    }

    /// The positional arguments of an operation's client method.
    fn arguments(op: &Operation) -> Vec<String> {
        let mut args: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.rust_name.clone())
            .collect();
        if let Some(body) = op.body.as_ref().filter(|b| b.required) {
            if matches!(body.kind, BodyKind::Binary { .. }) {
                args.push("content_type".into());
            }
            args.push("body".into());
        }
        args
    }

    fn params(&mut self, op_item: &str, old: &Operation, new: &Operation) {
        let (both, removed, added) = pair_up(&old.params, &new.params, |p| p.rust_name.clone());
        let item = |p: &Param| format!("{op_item}: parameter `{}`", p.rust_name);
        for p in removed {
            let what = if p.required {
                "removed: the method no longer takes it as an argument".to_owned()
            } else {
                format!("removed: the builder no longer has `{}()`", p.rust_name)
            };
            self.push(Kind::Breaking, &item(p), what);
        }
        for p in added {
            let ty = rust_type(&p.ty);
            if p.required {
                self.push(
                    Kind::Breaking,
                    &item(p),
                    format!(
                        "new required parameter in {}: the method takes it as an argument (`{ty}`)",
                        location(p.location)
                    ),
                );
            } else {
                self.push(
                    Kind::Additive,
                    &item(p),
                    format!(
                        "new optional parameter in {}: builder method `{}({ty})`",
                        location(p.location),
                        p.rust_name
                    ),
                );
            }
        }
        for (o, n) in both {
            let item = item(n);
            let moved = (o.location != n.location).then(|| {
                format!(
                    "moved from {} to {}",
                    location(o.location),
                    location(n.location)
                )
            });
            match (o.required, n.required) {
                (false, true) => self.push(
                    Kind::Breaking,
                    &item,
                    format!(
                        "{}now required: an argument of the method instead of the builder's `{}()`",
                        moved.map(|m| m + ", ").unwrap_or_default(),
                        n.rust_name
                    ),
                ),
                (true, false) => self.push(
                    Kind::Breaking,
                    &item,
                    format!(
                        "{}now optional: set with the builder's `{}()` instead of an argument of the method",
                        moved.map(|m| m + ", ").unwrap_or_default(),
                        n.rust_name
                    ),
                ),
                _ => {
                    if let Some(moved) = moved {
                        self.push(
                            Kind::Wire,
                            &item,
                            format!("{moved}; it is passed the same way in Rust"),
                        );
                    }
                }
            }
            if o.ty != n.ty {
                self.push(
                    Kind::Breaking,
                    &item,
                    format!(
                        "type changed from `{}` to `{}`",
                        rust_type(&o.ty),
                        rust_type(&n.ty)
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
            self.docs(&item, "description", &o.description, &n.description);
        }
        let (old_args, new_args) = (Self::arguments(old), Self::arguments(new));
        if reordered(&old_args, &new_args) {
            self.push(
                Kind::Breaking,
                op_item,
                format!(
                    "arguments reordered: now ({}), was ({}); calls may compile with values swapped",
                    new_args.join(", "),
                    old_args.join(", ")
                ),
            );
        }
    }

    fn body(&mut self, op_item: &str, old: Option<&Body>, new: Option<&Body>) {
        let item = format!("{op_item}: request body");
        let described = |b: &Body| match &b.kind {
            BodyKind::Json { ty, .. } => format!("`{}` as JSON", rust_type(ty)),
            BodyKind::Form { ty, .. } => format!("`{}` as a form", rust_type(ty)),
            BodyKind::Binary { enum_name, .. } => format!("bytes with a `{enum_name}` media type"),
            BodyKind::Text { content_type } => format!("text as `{content_type}`"),
            BodyKind::Multipart(Some(form)) => format!("the multipart form `{}`", form.type_name),
            BodyKind::Multipart(None) => "a multipart form of any parts".to_owned(),
        };
        let (old, new) = match (old, new) {
            (None, None) => return,
            (Some(o), None) => {
                let how = if o.required {
                    "the method no longer takes `body`"
                } else {
                    "the builder no longer has `body()`"
                };
                self.push(Kind::Breaking, &item, format!("removed: {how}"));
                return;
            }
            (None, Some(n)) => {
                if n.required {
                    self.push(
                        Kind::Breaking,
                        &item,
                        format!(
                            "new required body ({}): the method takes `body`",
                            described(n)
                        ),
                    );
                } else {
                    self.push(
                        Kind::Additive,
                        &item,
                        format!(
                            "new optional body ({}): builder method `body()`",
                            described(n)
                        ),
                    );
                }
                return;
            }
            (Some(o), Some(n)) => (o, n),
        };
        match (old.required, new.required) {
            (false, true) => self.push(
                Kind::Breaking,
                &item,
                "now required: an argument of the method instead of the builder's `body()`",
            ),
            (true, false) => self.push(
                Kind::Breaking,
                &item,
                "now optional: set with the builder's `body()` instead of an argument",
            ),
            _ => {}
        }
        match (&old.kind, &new.kind) {
            (
                BodyKind::Json {
                    ty: a,
                    content_type: ca,
                },
                BodyKind::Json {
                    ty: b,
                    content_type: cb,
                },
            ) => {
                if a != b {
                    self.push(
                        Kind::Breaking,
                        &item,
                        format!("type changed from `{}` to `{}`", rust_type(a), rust_type(b)),
                    );
                }
                if ca != cb {
                    self.push(Kind::Wire, &item, format!("sent as `{cb}` (was `{ca}`)"));
                }
            }
            (BodyKind::Json { ty: a, .. }, BodyKind::Form { ty: b, .. })
            | (BodyKind::Form { ty: a, .. }, BodyKind::Json { ty: b, .. })
            | (BodyKind::Form { ty: a, .. }, BodyKind::Form { ty: b, .. })
                if a == b =>
            {
                if old.kind != new.kind {
                    self.push(
                        Kind::Wire,
                        &item,
                        format!("now sent as {} (was {})", described(new), described(old)),
                    );
                }
            }
            (
                BodyKind::Binary {
                    content_types: a,
                    enum_name: ea,
                },
                BodyKind::Binary {
                    content_types: b,
                    enum_name: eb,
                },
            ) => {
                if ea != eb {
                    self.push(
                        Kind::Breaking,
                        &item,
                        format!("media type enum renamed from `{ea}` to `{eb}`"),
                    );
                }
                let (both, removed, added) = pair_up(a, b, |c| c.rust_name.clone());
                for c in removed {
                    self.push(
                        Kind::Breaking,
                        &item,
                        format!(
                            "media type `{}` removed: variant `{eb}::{}` no longer exists",
                            c.value, c.rust_name
                        ),
                    );
                }
                for c in added {
                    self.push(
                        Kind::Additive,
                        &item,
                        format!(
                            "new media type `{}` (variant `{eb}::{}`; the enum is exhaustive, so \
                             only a `match` over it breaks)",
                            c.value, c.rust_name
                        ),
                    );
                }
                for (x, y) in both {
                    if x.value != y.value {
                        self.push(
                            Kind::Wire,
                            &item,
                            format!(
                                "`{eb}::{}` is sent as `{}` (was `{}`)",
                                y.rust_name, y.value, x.value
                            ),
                        );
                    }
                }
            }
            _ => self.push(
                Kind::Breaking,
                &item,
                format!("now {} (was {})", described(new), described(old)),
            ),
        }
        self.docs(&item, "description", &old.description, &new.description);
    }

    /// Compares what `method` (`send`, or `representation().send`) returns, and whether the
    /// builder can stream the answer's pages.
    fn answer(
        &mut self,
        op_item: &str,
        method: &str,
        (old_api, old): (&Api, &Response),
        (new_api, new): (&Api, &Response),
    ) {
        match (old, new) {
            (
                Response::ByStatus {
                    name: a,
                    variants: va,
                },
                Response::ByStatus {
                    name: b,
                    variants: vb,
                },
            ) => {
                if a != b {
                    self.push(
                        Kind::Breaking,
                        op_item,
                        format!("{method} now returns `{b}` (was `{a}`)"),
                    );
                }
                let (both, removed, added) = pair_up(va, vb, |v| v.rust_name.clone());
                for v in removed {
                    self.push(
                        Kind::Breaking,
                        &format!("{op_item}: answer `{b}::{}`", v.rust_name),
                        format!(
                            "status {} no longer documented: the variant is removed",
                            v.status
                        ),
                    );
                }
                for v in added {
                    self.push(
                        Kind::Additive,
                        &format!("{op_item}: answer `{b}::{}`", v.rust_name),
                        format!(
                            "new success status {} (`{}`; the enum is `#[non_exhaustive]`)",
                            v.status,
                            output_type(&v.body)
                        ),
                    );
                }
                for (x, y) in both {
                    let item = format!("{op_item}: answer `{b}::{}`", y.rust_name);
                    if output_type(&x.body) != output_type(&y.body) {
                        self.push(
                            Kind::Breaking,
                            &item,
                            format!(
                                "now holds `{}` (was `{}`)",
                                output_type(&y.body),
                                output_type(&x.body)
                            ),
                        );
                    }
                    if x.status != y.status {
                        self.push(
                            Kind::Wire,
                            &item,
                            format!("now status {} (was {})", y.status, x.status),
                        );
                    }
                    self.docs(&item, "description", &x.description, &y.description);
                }
            }
            _ => {
                let (a, b) = (output_type(old), output_type(new));
                if a != b {
                    self.push(
                        Kind::Breaking,
                        op_item,
                        format!("{method} now returns `{b}` (was `{a}`)"),
                    );
                }
            }
        }
        let page = |api: &Api, response: &Response| match response {
            Response::Json(ty) => api.page(ty).map(|p| p.type_name.clone()),
            _ => None,
        };
        match (page(old_api, old), page(new_api, new)) {
            (Some(_), None) => self.push(
                Kind::Breaking,
                op_item,
                format!(
                    "the answer of {method} is no longer a page of a list: \
                     `into_stream` and `into_pages` are gone"
                ),
            ),
            (None, Some(_)) => self.push(
                Kind::Additive,
                op_item,
                format!(
                    "the answer of {method} is now a page of a list: new `into_stream` and `into_pages`"
                ),
            ),
            _ => {}
        }
    }

    fn types(&mut self, old_api: &Api, new_api: &Api) {
        let module = &new_api.module;
        let item = |t: &TypeDef| format!("{module}::models::{}", t.name);
        let (both, removed, added) = pair_up(&old_api.types, &new_api.types, |t| t.name.clone());
        // A type whose contents are unchanged under a new name was renamed; only when the
        // match is unambiguous.
        let mut renamed: Vec<(&TypeDef, &TypeDef)> = Vec::new();
        let mut gone: Vec<&TypeDef> = Vec::new();
        for &o in &removed {
            let candidates: Vec<&TypeDef> =
                added.iter().copied().filter(|n| n.kind == o.kind).collect();
            let claimed = removed.iter().filter(|r| r.kind == o.kind).count();
            match candidates.as_slice() {
                [only] if claimed == 1 => renamed.push((o, only)),
                _ => gone.push(o),
            }
        }
        for t in gone {
            self.push(
                Kind::Breaking,
                &item(t),
                format!("type removed ({})", type_kind(&t.kind)),
            );
        }
        for t in &added {
            if renamed.iter().any(|(_, n)| n.name == t.name) {
                continue;
            }
            self.push(
                Kind::Additive,
                &item(t),
                format!("new type ({})", type_kind(&t.kind)),
            );
        }
        for (o, n) in renamed {
            self.push(
                Kind::Breaking,
                &item(o),
                format!("type renamed to `{}` (same contents)", n.name),
            );
            self.docs(&item(n), "description", &o.description, &n.description);
        }
        for (o, n) in both {
            self.type_def(&item(n), o, n);
        }
    }

    fn type_def(&mut self, item: &str, old: &TypeDef, new: &TypeDef) {
        self.docs(item, "description", &old.description, &new.description);
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                let sent = self.sent.contains(&new.name);
                self.fields(item, a, b, sent)
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let (both, removed, added) = pair_up(a, b, |v| v.rust_name.clone());
                for v in removed {
                    self.push(
                        Kind::Breaking,
                        &format!("{item}: variant `{}`", v.rust_name),
                        format!(
                            "enum value `{}` removed: the variant no longer exists and the value \
                             decodes as `Unknown(\"{}\")`",
                            v.value, v.value
                        ),
                    );
                }
                for v in added {
                    self.push(
                        Kind::Additive,
                        &format!("{item}: variant `{}`", v.rust_name),
                        format!(
                            "new enum value `{}` (the enum is `#[non_exhaustive]`; the value no \
                             longer decodes as `Unknown`)",
                            v.value
                        ),
                    );
                }
                for (x, y) in both {
                    if x.value != y.value {
                        self.push(
                            Kind::Wire,
                            &format!("{item}: variant `{}`", y.rust_name),
                            format!("now stands for `{}` (was `{}`)", y.value, x.value),
                        );
                    }
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if a != b {
                    self.push(
                        Kind::Breaking,
                        item,
                        format!(
                            "now an alias of `{}` (was `{}`)",
                            rust_type(b),
                            rust_type(a)
                        ),
                    );
                }
            }
            (
                TypeKind::OneOf {
                    variants: a,
                    tag: ta,
                },
                TypeKind::OneOf {
                    variants: b,
                    tag: tb,
                },
            ) => {
                if ta != tb {
                    let tag = |t: &Option<String>| {
                        t.as_ref().map_or("told apart by shape".to_owned(), |t| {
                            format!("tagged by `{t}`")
                        })
                    };
                    let kind = if ta.is_some() != tb.is_some() {
                        // Tagged enums keep an unknown tag as `Other`, untagged ones as
                        // `Other(serde_json::Value)`: a different variant shape.
                        Kind::Breaking
                    } else {
                        Kind::Wire
                    };
                    self.push(kind, item, format!("now {} (was {})", tag(tb), tag(ta)));
                }
                let (both, removed, added) = pair_up(a, b, |v| v.rust_name.clone());
                for v in removed {
                    self.push(
                        Kind::Breaking,
                        &format!("{item}: variant `{}`", v.rust_name),
                        "alternative removed",
                    );
                }
                for v in added {
                    self.push(
                        Kind::Additive,
                        &format!("{item}: variant `{}`", v.rust_name),
                        format!(
                            "new alternative `{}` (the enum is `#[non_exhaustive]`)",
                            rust_type(&v.ty)
                        ),
                    );
                }
                for (x, y) in both {
                    let variant_item = format!("{item}: variant `{}`", y.rust_name);
                    if x.ty != y.ty {
                        self.push(
                            Kind::Breaking,
                            &variant_item,
                            format!(
                                "now holds `{}` (was `{}`)",
                                rust_type(&y.ty),
                                rust_type(&x.ty)
                            ),
                        );
                    }
                    if x.tag_value != y.tag_value {
                        self.push(
                            Kind::Wire,
                            &variant_item,
                            format!(
                                "tag value now {} (was {})",
                                y.tag_value.as_deref().unwrap_or("none"),
                                x.tag_value.as_deref().unwrap_or("none")
                            ),
                        );
                    }
                }
            }
            (a, b) => self.push(
                Kind::Breaking,
                item,
                format!("now {} (was {})", type_kind(b), type_kind(a)),
            ),
        }
    }

    /// `sent`: callers send values of the struct, so a field they must now set breaks requests
    /// as well as `new`.
    fn fields(&mut self, item: &str, old: &[Field], new: &[Field], sent: bool) {
        let must_set = if sent {
            "`new` takes it as an argument and requests must set it"
        } else {
            "`new` takes it as an argument"
        };
        let (both, removed, added) = pair_up(old, new, |f| f.rust_name.clone());
        let field_item = |f: &Field| format!("{item}: field `{}`", f.rust_name);
        let is_argument = |f: &Field| f.required && !f.flatten;
        for f in removed {
            self.push(Kind::Breaking, &field_item(f), "field removed");
        }
        for f in added {
            if is_argument(f) {
                self.push(
                    Kind::Breaking,
                    &field_item(f),
                    format!("new required field (`{}`): {must_set}", field_type(f)),
                );
            } else {
                self.push(
                    Kind::Additive,
                    &field_item(f),
                    format!("new optional field (`{}`)", field_type(f)),
                );
            }
        }
        for (o, n) in both {
            let field = field_item(n);
            let (a, b) = (field_type(o), field_type(n));
            match (is_argument(o), is_argument(n)) {
                (false, true) => self.push(
                    Kind::Breaking,
                    &field,
                    format!("now required: {must_set} (type `{b}`, was `{a}`)"),
                ),
                (true, false) => self.push(
                    Kind::Breaking,
                    &field,
                    format!("now optional: `new` no longer takes it (type `{b}`, was `{a}`)"),
                ),
                _ if a != b => self.push(
                    Kind::Breaking,
                    &field,
                    format!("type changed from `{a}` to `{b}`"),
                ),
                _ => {}
            }
            if o.json_name != n.json_name {
                self.push(
                    Kind::Wire,
                    &field,
                    format!("serialized as `{}` (was `{}`)", n.json_name, o.json_name),
                );
            }
            self.docs(&field, "description", &o.description, &n.description);
        }
        // `new` takes the required fields in order; a struct without any derives `Default`.
        let arguments = |fields: &[Field]| -> Vec<String> {
            fields
                .iter()
                .filter(|f| is_argument(f))
                .map(|f| f.rust_name.clone())
                .collect()
        };
        let (old_args, new_args) = (arguments(old), arguments(new));
        match (old_args.is_empty(), new_args.is_empty()) {
            (true, false) => self.push(
                Kind::Breaking,
                item,
                "no longer implements `Default`: build it with `new`",
            ),
            (false, true) => self.push(
                Kind::Breaking,
                item,
                "no longer has `new` (no field is required): build it with `Default`",
            ),
            _ => {}
        }
        if reordered(&old_args, &new_args) {
            self.push(
                Kind::Breaking,
                item,
                format!(
                    "arguments of `new` reordered: now ({}), was ({})",
                    new_args.join(", "),
                    old_args.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reordering_ignores_added_and_removed_names() {
        let names = |s: &[&str]| s.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(!reordered(&names(&["a", "b"]), &names(&["a", "x", "b"])));
        assert!(!reordered(&names(&["a", "b", "c"]), &names(&["a", "c"])));
        assert!(reordered(&names(&["a", "b"]), &names(&["b", "a"])));
    }

    #[test]
    fn whitespace_in_descriptions_is_not_a_change() {
        let text = |s: &str| Some(s.to_owned());
        assert_eq!(changed_text(&text("a  b\n"), &text("a b")), None);
        assert_eq!(changed_text(&None, &text("  ")), None);
        assert_eq!(changed_text(&None, &text("x")), Some("added"));
        assert_eq!(changed_text(&text("x"), &text("y")), Some("changed"));
    }

    #[test]
    fn field_types_are_spelled_as_generated() {
        let field = |required, nullable| Field {
            json_name: "a".into(),
            rust_name: "a".into(),
            ty: TypeRef::Array(Box::new(TypeRef::Named("Role".into()))),
            required,
            nullable,
            description: None,
            flatten: false,
            boxed: false,
        };
        assert_eq!(field_type(&field(true, false)), "Vec<Role>");
        assert_eq!(field_type(&field(true, true)), "Option<Vec<Role>>");
        assert_eq!(field_type(&field(false, false)), "Option<Vec<Role>>");
        assert_eq!(field_type(&field(false, true)), "Option<Option<Vec<Role>>>");
    }
}
