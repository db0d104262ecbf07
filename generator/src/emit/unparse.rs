//! Formats a file's tokens one top-level item at a time.
//!
//! Parsing a whole generated file into one `syn::File` costs about ten times the file's size in
//! memory (Microsoft Graph's 36 MB `mod.rs` took over 1 GB). prettyplease ends every top-level
//! item with a forced line break, so no item's layout depends on its neighbours: formatting
//! each item on its own and joining the results gives the same bytes, with only one item's
//! syntax tree alive at a time. An `impl` block is split the same way into its associated items
//! (a client's `impl` holds one method per operation: a quarter of Graph's `mod.rs`), since
//! prettyplease ends each of those with a forced line break too.

use std::collections::BTreeMap;
use std::sync::Arc;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// prettyplease's text of `tokens`, a file's inner attributes and items.
///
/// The tokens come from our own emitter, so a parse failure is a generator bug, not an input
/// error.
pub fn by_item(tokens: TokenStream) -> String {
    let mut out = String::new();
    by_item_chunks(tokens, |chunk| format_chunk(chunk, &mut out));
    out
}

/// Calls `each` with the tokens of each top-level item of `tokens` in turn, so that a caller
/// holds one item at a time. Inner attributes go with the first item: prettyplease ends a file
/// of inner attributes alone without a line break.
fn by_item_chunks(tokens: TokenStream, mut each: impl FnMut(Vec<TokenTree>)) {
    let mut chunk = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends_item = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                tokens.peek().is_none_or(starts_item)
            }
            _ => false,
        };
        chunk.push(token);
        if ends_item {
            each(std::mem::take(&mut chunk));
        }
    }
    if !chunk.is_empty() {
        each(chunk);
    }
}

/// Whether a token after a top-level `{...}` begins the next item (its attributes, visibility
/// or keyword), so the braces closed an item. Anything else (`;`, `else`, `.`) continues the
/// same item; a token not listed here only makes a larger chunk, never a wrong one.
fn starts_item(next: &TokenTree) -> bool {
    match next {
        TokenTree::Punct(p) => p.as_char() == '#',
        TokenTree::Ident(ident) => matches!(
            ident.to_string().as_str(),
            "pub"
                | "fn"
                | "struct"
                | "enum"
                | "union"
                | "impl"
                | "trait"
                | "mod"
                | "use"
                | "const"
                | "static"
                | "type"
                | "unsafe"
                | "async"
                | "extern"
                | "macro_rules"
        ),
        _ => false,
    }
}

fn format_chunk(mut chunk: Vec<TokenTree>, out: &mut String) {
    if let Some(body) = impl_body(&mut chunk) {
        return format_impl(chunk, body, out);
    }
    out.push_str(&unparse(chunk.into_iter().collect()));
}

/// Takes the `{...}` body off an `impl` item, leaving its attributes and header in `chunk`.
fn impl_body(chunk: &mut Vec<TokenTree>) -> Option<TokenStream> {
    let is_impl = chunk
        .iter()
        .any(|t| matches!(t, TokenTree::Ident(ident) if ident == "impl"));
    match chunk.last() {
        // An empty body is printed `{}` on the header's line, not as a header and a `}`.
        Some(TokenTree::Group(g))
            if is_impl && g.delimiter() == Delimiter::Brace && !g.stream().is_empty() =>
        {
            let body = g.stream();
            chunk.pop();
            Some(body)
        }
        _ => None,
    }
}

/// An `impl` item with each associated item formatted on its own, inside a copy of the header.
fn format_impl(header: Vec<TokenTree>, body: TokenStream, out: &mut String) {
    let header: TokenStream = header.into_iter().collect();
    let head = impl_head(&header);
    out.push_str(&head);
    push_impl_items(&header, &head, body, out);
    out.push_str("}\n");
}

/// The text of each associated item of `body`, formatted on its own inside a copy of the
/// block's header.
fn push_impl_items(header: &TokenStream, head: &str, body: TokenStream, out: &mut String) {
    by_item_chunks(body, |chunk| {
        out.push_str(&impl_item(header, head, chunk.into_iter().collect()));
    });
}

/// The text that opens an `impl` block: what prettyplease prints before a known marker item.
fn impl_head(header: &TokenStream) -> String {
    let marker = "    fn marker() {}\n}\n";
    let with_marker = unparse(quote::quote! { #header { fn marker() {} } });
    match with_marker.strip_suffix(marker) {
        Some(head) => head.to_owned(),
        None => panic!("unexpected layout of an impl header:\n{with_marker}"),
    }
}

/// The text of associated items: what prettyplease prints between the `impl` block's `head`
/// and its closing brace.
fn impl_item(header: &TokenStream, head: &str, item: TokenStream) -> String {
    let text = unparse(quote::quote! { #header { #item } });
    match text.strip_prefix(head).and_then(|t| t.strip_suffix("}\n")) {
        Some(inner) => inner.to_owned(),
        None => panic!("unexpected layout of an impl item:\n{text}"),
    }
}

/// Tokens made on demand, on whichever thread formats them (tokens themselves cannot move
/// between threads).
pub type Make<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// Text written directly in prettyplease's layout, or `None` where the writer leaves the
/// layout to prettyplease.
pub type Direct<'a> = Box<dyn Fn() -> Option<String> + Send + Sync + 'a>;

/// A piece of a file, made and formatted on its own.
pub enum Part<'a> {
    /// Top-level items.
    Items(Make<'a>),
    /// Top-level items written directly, or formatted from their tokens where the text is
    /// `None`.
    DirectItems(Direct<'a>, Make<'a>),
    /// The opening of an `impl` block with this header (`impl Client`).
    ImplOpen(Arc<str>),
    /// Associated items of the `impl` block with this header.
    ImplItems(Arc<str>, Make<'a>),
    /// Associated items written directly, or formatted from their tokens where the text is
    /// `None`.
    DirectImplItems(Arc<str>, Direct<'a>, Make<'a>),
    /// The end of an `impl` block.
    ImplClose,
    /// Top-level items written as text.
    Text(Box<dyn Fn() -> String + Send + Sync + 'a>),
}

/// About how much text a part formats to, for sharing parts out between threads.
const PART_WEIGHT: usize = 2 << 10;

/// The text of a file made of `parts`: the same bytes as [`by_item`] of all their tokens in
/// order.
#[cfg(test)]
pub fn by_part(parts: Vec<Part<'_>>) -> String {
    texts_of_parts(parts, |text| text).concat()
}

/// The text of each of `parts`, in order, passed through `finish`: together the same bytes as
/// [`by_item`] of all their tokens. The parts of a large file are made, formatted and finished
/// on all cores; no more than one part's tokens and syntax tree are alive per thread.
pub fn texts_of_parts(
    parts: Vec<Part<'_>>,
    finish: impl Fn(String) -> String + Sync,
) -> Vec<String> {
    let header = |text: &str| -> TokenStream {
        match text.parse() {
            Ok(tokens) => tokens,
            Err(e) => panic!("generator emitted an invalid impl header `{text}`: {e}"),
        }
    };
    // Each block's opening once, not once per associated item.
    let heads: BTreeMap<Arc<str>, String> = parts
        .iter()
        .filter_map(|part| match part {
            Part::ImplOpen(text) => Some((text.clone(), impl_head(&header(text)))),
            _ => None,
        })
        .collect();
    let impl_items = |text: &str, make: &Make<'_>| {
        let head = match heads.get(text) {
            Some(head) => head,
            None => panic!("impl items of `{text}` come before the block opens"),
        };
        let mut out = String::new();
        push_impl_items(&header(text), head, make(), &mut out);
        out
    };
    crate::parallel::map_in_order(
        parts,
        |_| PART_WEIGHT,
        |part| {
            finish(match part {
                Part::Items(make) => by_item(make()),
                Part::DirectItems(direct, make) => checked(direct(), || by_item(make())),
                Part::ImplOpen(text) => heads[&text].clone(),
                Part::ImplItems(text, make) => impl_items(&text, &make),
                Part::DirectImplItems(text, direct, make) => {
                    checked(direct(), || impl_items(&text, &make))
                }
                Part::ImplClose => "}\n".to_owned(),
                Part::Text(make) => make(),
            })
        },
    )
}

/// The direct text where there is one, else the tokens' formatting. Debug builds (every test)
/// format the tokens too and check that the direct text is byte for byte the same.
fn checked(direct: Option<String>, formatted: impl FnOnce() -> String) -> String {
    let Some(text) = direct else {
        return formatted();
    };
    if cfg!(debug_assertions) {
        let reference = formatted();
        if text != reference {
            let line = text
                .lines()
                .zip(reference.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| text.lines().count().min(reference.lines().count()));
            panic!(
                "the direct text differs from the tokens' formatting at line {}:\n--- direct\n{text}\n--- formatted\n{reference}",
                line + 1
            );
        }
    }
    text
}

fn unparse(tokens: TokenStream) -> String {
    // Parsing takes the tokens; a copy for the message would cost a copy of every item.
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => panic!("generator emitted invalid Rust: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// What the whole-file formatting printed.
    fn whole(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    #[test]
    fn item_by_item_is_byte_identical_to_the_whole_file() {
        let tokens = quote! {
            #![doc = " Module docs."]
            #![allow(dead_code)]
            use a::{b, c};
            /// A client.
            #[derive(Debug)]
            pub struct Client { client: u8 }
            impl<T: Clone> Client where T: Default {
                /// New.
                pub fn new(client: u8) -> Self { Self { client } }
                const LIMIT: usize = 3;
                pub fn very_long_method_name_that_wraps(&self, first_argument: u64, second_argument: String) -> Result<Vec<u8>, Box<dyn std::error::Error>> { todo!() }
            }
            impl Client {}
            pub const ORIGIN: Point = Point { x: 1, y: 2 };
            pub static LEVEL: u8 = if cfg!(test) { 1 } else { 2 };
            pub enum E { A, B(u8) }
            mod inner { fn f() {} }
            impl std::fmt::Display for E {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) }
            }
        };
        assert_eq!(by_item(tokens.clone()), whole(tokens));
    }

    #[test]
    fn parts_give_the_text_of_their_tokens_whole() {
        let many = 2_000;
        let methods = |range: std::ops::Range<usize>| {
            let names = range.map(|i| quote::format_ident!("method_{i}"));
            quote! { #( pub fn #names(&self) -> u8 { 1 } )* }
        };
        let all = methods(0..many);
        let tokens = quote! {
            #![doc = " Module docs."]
            pub struct Client;
            impl Client { #all }
            const C: u8 = 1;
        };
        let header: Arc<str> = Arc::from("impl Client");
        let mut parts = vec![
            Part::Items(Box::new(
                || quote! { #![doc = " Module docs."] pub struct Client; },
            )),
            Part::ImplOpen(header.clone()),
        ];
        for i in 0..many {
            parts.push(Part::ImplItems(
                header.clone(),
                Box::new(move || methods(i..i + 1)),
            ));
        }
        parts.push(Part::ImplClose);
        parts.push(Part::Items(Box::new(|| quote! { const C: u8 = 1; })));
        assert_eq!(by_part(parts), by_item(tokens));
    }

    #[test]
    fn an_impl_is_split_into_its_items() {
        let mut chunks = Vec::new();
        by_item_chunks(
            quote! { struct A; impl A { fn a() {} fn b() {} } const C: u8 = 1; },
            |c| chunks.push(c.into_iter().collect::<TokenStream>().to_string()),
        );
        assert_eq!(chunks.len(), 3, "{chunks:?}");
        let mut header = quote! { impl A { fn a() {} fn b() {} } }
            .into_iter()
            .collect::<Vec<_>>();
        let body = impl_body(&mut header).expect("an impl has a body");
        assert_eq!(header.len(), 2);
        assert!(impl_body(&mut quote! { impl A {} }.into_iter().collect()).is_none());
        let mut items = 0;
        by_item_chunks(body, |_| items += 1);
        assert_eq!(items, 2);
    }
}
