//! Rust syntax every emitter shares: identifiers, Cargo feature names, the Rust type of a
//! type use and the imports it needs, the generated-file header, and formatting tokens as a
//! file.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::TypeRef;

/// A Rust identifier for an already chosen name (the generator names things once, in `names`).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a use of a type; `models` is the path prefix for named types.
pub fn rust_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::Boolean => quote! { bool },
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::F32 => quote! { f32 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::DateTime => quote! { DateTime },
        TypeRef::Date => quote! { Date },
        TypeRef::Uuid => quote! { Uuid },
        TypeRef::Json => quote! { serde_json::Value },
        TypeRef::Array(item) => {
            let item = rust_type(item, models);
            quote! { Vec<#item> }
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, models);
            quote! { std::collections::BTreeMap<String, #value> }
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { #models #name }
        }
        // Imported by `format_imports`, like the formats.
        TypeRef::Runtime(name) => {
            let name = ident(name);
            quote! { #name }
        }
    }
}

/// `use <runtime>::{...}` for the runtime's types that `types` use: formatted strings, and the
/// types that replace schemas.
pub fn format_imports<'t>(
    types: impl IntoIterator<Item = &'t TypeRef>,
    runtime: &TokenStream,
) -> TokenStream {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for ty in types {
        collect_formats(ty, &mut used);
    }
    if used.is_empty() {
        return TokenStream::new();
    }
    let names = used.into_iter().map(ident);
    quote! { use #runtime::{#(#names),*}; }
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

/// Formats tokens as a Rust file.
///
/// The tokens come from our own emitter, so a parse failure is a generator bug, not an input error.
pub fn format(tokens: TokenStream) -> String {
    space_items(&super::unparse::by_item(tokens))
}

/// `head` followed by a file given in parts, made and formatted on all cores: the same text as
/// [`format()`] of all their tokens. The file is written into one string of its final size (a
/// large API's module is tens of MB: growing or prefixing it would copy it).
pub fn format_parts(head: &str, parts: Vec<super::unparse::Part<'_>>) -> String {
    // Each part is spaced on the core that formats it; only the lines where two parts meet
    // are left to look at here.
    let texts = super::unparse::texts_of_parts(parts, |text| space_items(&text));
    let length: usize = texts.iter().map(String::len).sum();
    let mut out = String::with_capacity(head.len() + length + texts.len());
    out.push_str(head);
    let mut previous: Option<&str> = None;
    for text in &texts {
        if let (Some(prev), Some(first)) = (previous, text.lines().next()) {
            if starts_item_after(prev, first) {
                out.push('\n');
            }
        }
        out.push_str(text);
        previous = text.lines().next_back().or(previous);
    }
    out
}

/// prettyplease drops blank lines; put one between items so the file reads like hand-written code.
fn space_items(source: &str) -> String {
    // Text as prettyplease writes it (every line ends in `\n`, no `\r`) is copied a run of
    // lines at a time, between the places that take a blank line; lines are otherwise only
    // looked at where they could start an item.
    if !(source.is_empty() || source.ends_with('\n')) || source.contains('\r') {
        return space_lines(source);
    }
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let (mut copied, mut previous, mut start) = (0, None::<&str>, 0);
    while start < source.len() {
        let end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = &source[start..end];
        if let Some(prev) = previous {
            if matches!(indent(line), 0 | 4) && starts_item_after(prev, line) {
                out.push_str(&source[copied..start]);
                out.push('\n');
                copied = start;
            }
        }
        previous = Some(line);
        start = end + 1;
    }
    out.push_str(&source[copied..]);
    out
}

/// [`space_items`] line by line, for any text.
fn space_lines(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if let Some(prev) = previous {
            if starts_item_after(prev, line) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

fn starts_item_after(prev: &str, line: &str) -> bool {
    // Most lines of a generated file are deeper in: only lines at the top level or directly
    // inside an `impl` (both lines at 0, or both at 4) can start an item.
    let indents = (indent(prev), indent(line));
    if !matches!(indents, (0, 0) | (4, 4)) {
        return false;
    }
    let (prev_trim, trim) = (prev.trim(), line.trim());
    let inside_attributes = prev_trim.starts_with("///") || prev_trim.starts_with('#');
    if inside_attributes || trim.is_empty() || trim.starts_with('}') || trim.starts_with(')') {
        return false;
    }
    match indents {
        // Top level: between items, but not within a run of `use` or `mod` lines.
        (0, 0) => {
            let same_run = (prev_trim.starts_with("use ") && trim.starts_with("use "))
                || (prev_trim.starts_with("pub mod ") && trim.starts_with("pub mod "))
                || (prev_trim.starts_with("//!") && trim.starts_with("//!"));
            !same_run
                && (prev_trim.ends_with('}')
                    || prev_trim.ends_with(';')
                    || prev_trim.starts_with("//!"))
        }
        // Inside an impl: between methods, and after associated types and constants.
        _ => {
            prev_trim == "}"
                || (prev_trim.ends_with(';')
                    && (trim.starts_with("fn ") || trim.starts_with("pub fn ")))
        }
    }
}

/// The width of a line's leading whitespace, in bytes.
fn indent(line: &str) -> usize {
    // Generated code indents with spaces; other leading whitespace (in a block comment) takes
    // the general path.
    let spaces = line.bytes().take_while(|b| *b == b' ').count();
    match line.as_bytes().get(spaces) {
        Some(next) if next.is_ascii() && !char::from(*next).is_whitespace() => spaces,
        None => spaces,
        Some(_) => line.len() - line.trim_start().len(),
    }
}

#[cfg(test)]
mod tests {
    use super::{indent, space_items, space_lines};

    #[test]
    fn items_are_spaced_as_line_by_line() {
        let text = "//! Docs.\n//! More.\nuse a::b;\nuse c::d;\npub mod m;\n/// A.\n#[derive(Debug)]\npub struct A {\n    x: u8,\n}\nimpl A {\n    const C: u8 = 1;\n    fn f() {}\n    /// G.\n    pub fn g() {\n        todo!()\n    }\n    fn h() {}\n}\ncrate::m!(A);\n\n   \nfn z() {}\n";
        for source in [
            text,
            "",
            "\n",
            "fn a() {}\nfn b() {}",
            "fn a() {}\r\nfn b() {}\r\n",
        ] {
            assert_eq!(space_items(source), space_lines(source), "{source:?}");
        }
        // A blank line between items, and between an impl's constant and its functions.
        let spaced = space_items(text);
        assert!(
            spaced.contains("use c::d;\n\npub mod m;\n\n/// A."),
            "{spaced}"
        );
        assert!(
            spaced.contains("}\n\nimpl A {\n    const C: u8 = 1;\n\n    fn f() {}\n"),
            "{spaced}"
        );
        assert!(spaced.contains("    }\n\n    fn h() {}"), "{spaced}");
    }

    #[test]
    fn indent_counts_leading_whitespace_as_trim_start_does() {
        for line in [
            "",
            "x",
            "    x",
            "    ",
            "  \t x",
            "\u{b}x",
            "  \u{b}x",
            "\u{a0}x",
            "  \u{3000} x",
            "    /// doc",
            "\tfn f() {}",
        ] {
            assert_eq!(
                indent(line),
                line.len() - line.trim_start().len(),
                "{line:?}"
            );
        }
    }
}
