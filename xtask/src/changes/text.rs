//! Generated Rust as the report spells it: types and signatures as rustfmt lays them out
//! (`Option<Vec<models::Role>>`, not the token stream's `Option < Vec < models :: Role > >`),
//! and what the attributes of an item say (its doc comment, derives, serde names).

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, Meta, Token};

/// Tokens as a Rust user writes them.
pub fn render(tokens: &impl ToTokens) -> String {
    tidy(&tokens.to_token_stream().to_string())
}

/// Removes the spaces the token stream puts where Rust code has none: around `::`, inside
/// `<...>`, `(...)` and `[...]`, after `&`, before `,` and `:`.
fn tidy(text: &str) -> String {
    let parts: Vec<&str> = text.split(' ').filter(|p| !p.is_empty()).collect();
    let mut out = String::with_capacity(text.len());
    for (i, part) in parts.iter().enumerate() {
        if let Some(prev) = i.checked_sub(1).map(|p| parts[p]) {
            let after_opening = matches!(prev, "<" | "::" | "&" | "(" | "[" | "#");
            let closing = matches!(*part, ">" | "," | "::" | ")" | "]" | ":" | ";" | "?");
            let ident_before = prev
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            let opening_after_ident = part.starts_with(['<', '(']) && ident_before;
            if !(after_opening || closing || opening_after_ident) {
                out.push(' ');
            }
        }
        out.push_str(part);
    }
    out
}

/// The words of an item's doc comment, whitespace collapsed: a change of line breaks is not a
/// change of documentation. `None` when it has none.
pub fn doc(attrs: &[Attribute]) -> Option<String> {
    let mut words = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let Meta::NameValue(pair) = &attr.meta {
            if let Some(text) = string(&pair.value) {
                words.extend(text.split_whitespace().map(str::to_owned));
            }
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// Whether the attributes hold one of the form `#[name]` or `#[name(...)]`.
pub fn has(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

/// The traits of `#[derive(...)]`, by their last path segment.
pub fn derives(attrs: &[Attribute]) -> BTreeSet<String> {
    nested(attrs, "derive")
        .iter()
        .filter_map(|meta| meta.path().segments.last())
        .map(|segment| segment.ident.to_string())
        .collect()
}

/// The entries of every `#[name(...)]` attribute, e.g. each `rename = "x"` of `#[serde(...)]`.
pub fn nested(attrs: &[Attribute], name: &str) -> Vec<Meta> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident(name))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

/// The string value of `key = "value"` among serde's (or another attribute's) entries.
pub fn value_of(entries: &[Meta], key: &str) -> Option<String> {
    entries.iter().find_map(|meta| match meta {
        Meta::NameValue(pair) if pair.path.is_ident(key) => string(&pair.value),
        _ => None,
    })
}

/// The value of a string or integer literal: what the generated code sends or matches.
pub fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(lit) => literal(&lit.lit),
        _ => None,
    }
}

pub fn literal(lit: &Lit) -> Option<String> {
    match lit {
        Lit::Str(s) => Some(s.value()),
        Lit::Int(i) => Some(i.base10_digits().to_owned()),
        Lit::Bool(b) => Some(b.value.to_string()),
        _ => None,
    }
}

/// How serde names a field or variant under `#[serde(rename_all = "rule")]` (the rules of
/// serde's `RenameRule`); the name itself under a rule it does not know.
pub fn rename(rule: &str, name: &str, is_variant: bool) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    if is_variant {
        // Variants are written in PascalCase.
        let snake = {
            let mut snake = String::new();
            for (i, ch) in name.char_indices() {
                if i > 0 && ch.is_uppercase() {
                    snake.push('_');
                }
                snake.push(ch.to_ascii_lowercase());
            }
            snake
        };
        match rule {
            "lowercase" => name.to_ascii_lowercase(),
            "UPPERCASE" => name.to_ascii_uppercase(),
            "camelCase" => lower_first(name),
            "snake_case" => snake,
            "SCREAMING_SNAKE_CASE" => snake.to_ascii_uppercase(),
            "kebab-case" => snake.replace('_', "-"),
            "SCREAMING-KEBAB-CASE" => snake.to_ascii_uppercase().replace('_', "-"),
            _ => name.to_owned(),
        }
    } else {
        // Fields are written in snake_case.
        let pascal: String = {
            let mut pascal = String::new();
            let mut capitalize = true;
            for ch in name.chars() {
                if ch == '_' {
                    capitalize = true;
                } else if capitalize {
                    pascal.push(ch.to_ascii_uppercase());
                    capitalize = false;
                } else {
                    pascal.push(ch);
                }
            }
            pascal
        };
        match rule {
            "lowercase" | "snake_case" => name.to_owned(),
            "UPPERCASE" | "SCREAMING_SNAKE_CASE" => name.to_ascii_uppercase(),
            "PascalCase" => pascal,
            "camelCase" => lower_first(&pascal),
            "kebab-case" => name.replace('_', "-"),
            "SCREAMING-KEBAB-CASE" => name.replace('_', "-").to_ascii_uppercase(),
            _ => name.to_owned(),
        }
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_written() {
        let ty = |s: &str| render(&syn::parse_str::<syn::Type>(s).unwrap());
        assert_eq!(
            ty("Option < Vec < models::Role > >"),
            "Option<Vec<models::Role>>"
        );
        assert_eq!(ty("impl Into<String>"), "impl Into<String>");
        assert_eq!(ty("&'static str"), "&'static str");
        assert_eq!(
            ty("BoxStream<'static, Result<models::Thing, Error>>"),
            "BoxStream<'static, Result<models::Thing, Error>>"
        );
        assert_eq!(
            ty("crate::runtime::CallOptions"),
            "crate::runtime::CallOptions"
        );
        assert_eq!(ty("()"), "()");
        assert_eq!(ty("Box<dyn Fn(u8) -> ()>"), "Box<dyn Fn(u8) -> ()>");
    }

    #[test]
    fn serde_names_follow_serde_rules() {
        assert_eq!(rename("camelCase", "display_name", false), "displayName");
        assert_eq!(rename("camelCase", "type_", false), "type");
        assert_eq!(rename("camelCase", "r#type", false), "type");
        assert_eq!(rename("kebab-case", "display_name", false), "display-name");
        assert_eq!(rename("camelCase", "WorkPackage", true), "workPackage");
        assert_eq!(rename("snake_case", "WorkPackage", true), "work_package");
        assert_eq!(
            rename("SCREAMING_SNAKE_CASE", "WorkPackage", true),
            "WORK_PACKAGE"
        );
    }

    #[test]
    fn docs_are_compared_by_their_words() {
        let file: syn::File = syn::parse_str("/// a  b\n///\n/// c\nstruct X;").unwrap();
        let syn::Item::Struct(item) = &file.items[0] else {
            unreachable!()
        };
        assert_eq!(doc(&item.attrs).as_deref(), Some("a b c"));
    }
}
