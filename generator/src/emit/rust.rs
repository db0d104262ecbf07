//! Rust syntax every writer shares: Cargo feature names, the text of a type use and the
//! runtime imports it needs, how a value is taken as an argument and shown on the wire, and
//! clippy's argument limit.

use std::collections::BTreeSet;

use super::layout::expr::{Expr, Link};
use super::layout::items::push_use;
use super::layout::{literal, push_attribute};
use crate::model::TypeRef;

/// Named types as an API's module refers to them.
pub const MODELS: &str = "models::";

/// The Cargo feature that compiles an API's module: `access_control` → `access-control`.
pub fn feature_name(module: &str) -> String {
    module.replace('_', "-")
}

/// The Rust type of a use of a type; `models` is the path prefix of named types (`models::`,
/// or none inside the models module).
pub fn type_text(ty: &TypeRef, models: &str) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Date => "Date".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", type_text(item, models)),
        TypeRef::Map(value) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(value, models)
        ),
        TypeRef::Named(name) => format!("{models}{name}"),
        // Imported by `push_format_imports`, like the formats.
        TypeRef::Runtime(name) => name.clone(),
    }
}

/// `use <runtime>::{...};` for the runtime's types that `types` use: formatted strings, and the
/// types that replace schemas.
pub fn push_format_imports<'t>(
    out: &mut String,
    types: impl IntoIterator<Item = &'t TypeRef>,
    runtime: &str,
) {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for ty in types {
        collect_formats(ty, &mut used);
    }
    if !used.is_empty() {
        let names: Vec<&str> = used.into_iter().collect();
        push_use(out, 0, &format!("use {runtime}::"), &names);
    }
}

fn collect_formats<'t>(ty: &'t TypeRef, used: &mut BTreeSet<&'t str>) {
    match ty {
        TypeRef::DateTime => {
            used.insert("DateTime");
        }
        TypeRef::Date => {
            used.insert("Date");
        }
        TypeRef::Uuid => {
            used.insert("Uuid");
        }
        TypeRef::Runtime(name) => {
            used.insert(name);
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => collect_formats(inner, used),
        _ => {}
    }
}

/// How a value is taken as an argument (of a client method, a setter or a constructor): its
/// type, and whether the stored value is made with `.into()`.
pub struct Argument {
    pub ty: String,
    pub converted: bool,
}

impl Argument {
    /// Strings are taken as `impl Into<String>` so that callers can pass `&str`; anything else
    /// as its type (`models` is the path prefix of named types).
    pub fn of(ty: &TypeRef, models: &str) -> Argument {
        match ty {
            TypeRef::String => Argument::converted("String"),
            other => Argument {
                ty: type_text(other, models),
                converted: false,
            },
        }
    }

    /// Anything that becomes `ty`, made with `.into()`.
    pub fn converted(ty: &str) -> Argument {
        Argument {
            ty: format!("impl Into<{ty}>"),
            converted: true,
        }
    }

    /// Taken as it is: `ty`.
    pub fn plain(ty: impl Into<String>) -> Argument {
        Argument {
            ty: ty.into(),
            converted: false,
        }
    }

    /// The stored value made from the argument `name`.
    pub fn value<'a>(&self, name: &'a str) -> Expr<'a> {
        if self.converted {
            Expr::chain(
                Expr::word(name),
                vec![Link::Method("into".into(), None, Vec::new())],
            )
        } else {
            Expr::word(name)
        }
    }
}

/// `self.<field>` (a field, `Option` unless `required`) as an `Option<&impl Display>` of its
/// wire form: instants go on the wire as RFC 3339, which their `Display` is not.
pub fn display_value<'a>(field: &'a str, ty: &TypeRef, required: bool) -> Expr<'a> {
    let as_ref = || Link::Method("as_ref".into(), None, Vec::new());
    match (ty, required) {
        (TypeRef::DateTime, true) => rfc3339(field).reference().some(),
        (TypeRef::DateTime, false) => Expr::self_field(
            field,
            vec![
                as_ref(),
                Link::Method("map".into(), None, vec![Expr::word(RFC3339)]),
                as_ref(),
            ],
        ),
        (_, true) => Expr::self_field(field, Vec::new()).reference().some(),
        (_, false) => Expr::self_field(field, vec![as_ref()]),
    }
}

/// The runtime's function that writes an instant as RFC 3339.
pub const RFC3339: &str = "crate::runtime::__private::rfc3339";

/// `crate::runtime::__private::rfc3339(&self.<field>)`.
pub fn rfc3339(field: &str) -> Expr<'_> {
    Expr::call(
        RFC3339,
        vec![Expr::self_field(field, Vec::new()).reference()],
    )
}

/// Clippy's default limit of a function's arguments (`self` included).
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// `#[allow(clippy::too_many_arguments)]` on a function with more than clippy's limit of
/// arguments (`self` included), with the `reason` if one is given.
pub fn push_argument_limit(
    out: &mut String,
    indent: usize,
    arguments: usize,
    reason: Option<&str>,
) {
    if arguments <= CLIPPY_MAX_ARGUMENTS {
        return;
    }
    let reason = reason.map(|r| format!("reason = {}", literal(r)));
    let mut lints = vec!["clippy::too_many_arguments"];
    lints.extend(reason.as_deref());
    push_attribute(out, indent, "allow", &lints);
}
