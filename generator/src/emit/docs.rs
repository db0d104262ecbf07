//! Doc comments from the descriptions in a definition.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer `///` docs: the given paragraphs, blank-line separated; empty ones are skipped.
pub fn doc(paragraphs: &[Option<&str>]) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// Inner `//!` docs for a module.
pub fn inner_doc(paragraphs: &[Option<&str>]) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

fn lines(paragraphs: &[Option<&str>]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for text in paragraphs
        .iter()
        .flatten()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.lines().map(|l| match l.trim_end() {
            "" => String::new(),
            l => format!(" {l}"),
        }));
    }
    lines
}
