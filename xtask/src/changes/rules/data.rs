//! Data types: the fields of structs and the variants of enums, whether users can build or
//! match them exhaustively, and their serde names and attributes.

use super::super::surface::{Enum, Field, Struct};
use super::{code, code_list, pair_up, signatures, Found};
use crate::changes::report::Kind;

pub(super) fn structure(found: &mut Found, path: &str, old: &Struct, new: &Struct) {
    signatures::generics(found, path, &old.generics, &new.generics);
    exhaustiveness(
        found,
        path,
        old.non_exhaustive,
        new.non_exhaustive,
        "it can no longer be built with a struct literal",
    );
    serde(found, path, &old.serde, &new.serde);
    // Users build a struct with a literal only when every field is public and it is not
    // `#[non_exhaustive]`; then a new field breaks the literal.
    let closed = new.non_exhaustive || new.private_fields;
    let (both, removed, added) = pair_up(&old.fields, &new.fields, |f| f.name.clone());
    let item = |f: &Field| format!("{path}::{}", f.name);
    for f in removed {
        found.push(Kind::Breaking, &item(f), "field removed");
    }
    for f in added {
        let optional = if f.ty.starts_with("Option<") {
            "optional "
        } else {
            ""
        };
        if closed {
            found.push(
                Kind::Additive,
                &item(f),
                format!("new {optional}field (`{}`)", f.ty),
            );
        } else {
            found.push(
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
            found.push(Kind::Breaking, &field, what);
        } else if o.serde != n.serde {
            serde(found, &field, &o.serde, &n.serde);
        }
        if let (Some(x), Some(y)) = (&o.wire, &n.wire) {
            if x != y {
                found.push(
                    Kind::Wire,
                    &field,
                    format!("serialized as `{y}` (was `{x}`)"),
                );
            }
        }
        found.docs(&field, &o.doc, &n.doc);
    }
}

pub(super) fn enumeration(found: &mut Found, path: &str, old: &Enum, new: &Enum) {
    signatures::generics(found, path, &old.generics, &new.generics);
    exhaustiveness(
        found,
        path,
        old.non_exhaustive,
        new.non_exhaustive,
        "a `match` over it needs a wildcard arm",
    );
    serde(found, path, &old.serde, &new.serde);
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
        found.push(
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
            found.push(
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
            found.push(
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
            found.push(
                Kind::Breaking,
                &variant,
                format!("now holds {} (was {})", code(&n.holds), code(&o.holds)),
            );
        }
        if o.wire != n.wire && !o.wire.is_empty() && !n.wire.is_empty() {
            found.push(
                Kind::Wire,
                &variant,
                format!(
                    "now stands for {} (was {})",
                    code_list(&n.wire),
                    code_list(&o.wire)
                ),
            );
        }
        found.docs(&variant, &o.doc, &n.doc);
    }
}

pub(super) fn exhaustiveness(
    found: &mut Found,
    path: &str,
    old: bool,
    new: bool,
    what_breaks: &str,
) {
    match (old, new) {
        (false, true) => found.push(
            Kind::Breaking,
            path,
            format!("now `#[non_exhaustive]`: {what_breaks}"),
        ),
        (true, false) => found.push(Kind::Additive, path, "no longer `#[non_exhaustive]`"),
        _ => {}
    }
}

pub(super) fn serde(found: &mut Found, path: &str, old: &[String], new: &[String]) {
    if old != new {
        let text = |s: &[String]| {
            if s.is_empty() {
                "none".to_owned()
            } else {
                format!("`#[serde({})]`", s.join(", "))
            }
        };
        found.push(
            Kind::Wire,
            path,
            format!("serde attributes now {} (were {})", text(new), text(old)),
        );
    }
}
