//! `impl Page` for the page types of an API, and the stream methods of list operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{ident, rust_type};
use crate::model::{Field, PageType};

/// `impl crate::runtime::__private::Page for ...` for one page type, in `models.rs`.
pub fn page_impl(page: &PageType) -> TokenStream {
    let name = ident(&page.type_name);
    let item = rust_type(&page.item, &TokenStream::new());
    let links = access(quote! { self }, &page.links);
    let next = access(quote! { links }, &page.next);
    let href_field = ident(&page.href.rust_name);
    let href = match (page.href.required, page.href.nullable) {
        (true, false) => quote! { Some(next.#href_field.as_str()) },
        (false, true) => quote! { next.#href_field.as_ref()?.as_deref() },
        _ => quote! { next.#href_field.as_deref() },
    };
    let items_field = ident(&page.items.rust_name);
    let items = match (page.items.required, page.items.nullable) {
        (true, false) => quote! { self.#items_field },
        (false, true) => quote! { self.#items_field.flatten().unwrap_or_default() },
        _ => quote! { self.#items_field.unwrap_or_default() },
    };
    let count = match (page.items.required, page.items.nullable) {
        (true, false) => quote! { self.#items_field.len() },
        (false, true) => {
            quote! { self.#items_field.as_ref().and_then(Option::as_ref).map_or(0, Vec::len) }
        }
        _ => quote! { self.#items_field.as_ref().map_or(0, Vec::len) },
    };
    quote! {
        impl crate::runtime::__private::Page for #name {
            type Item = #item;

            fn next_link(&self) -> Option<&str> {
                let links = #links;
                let next = #next;
                #href
            }

            fn item_count(&self) -> usize {
                #count
            }

            fn into_items(self) -> Vec<#item> {
                #items
            }
        }
    }
}

/// A reference to `owner.field`, leaving `next_link` with `None` where it is absent or null.
fn access(owner: TokenStream, field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    match (field.required, field.nullable) {
        (true, false) => quote! { &#owner.#name },
        (false, true) => quote! { #owner.#name.as_ref()?.as_ref()? },
        _ => quote! { #owner.#name.as_ref()? },
    }
}

/// `into_stream` and `into_pages` of a list operation whose answer is `page`.
pub fn stream_methods(page: &PageType) -> TokenStream {
    let models = quote! { models:: };
    let page_type = ident(&page.type_name);
    let item = rust_type(&page.item, &models);
    quote! {
        /// Every item of every page, following `_links.next`; pages are fetched as the stream is
        /// read, with the client's retries. Set the page size on this request first, if it
        /// has one (`top`).
        pub fn into_stream(self) -> BoxStream<'static, Result<#item, Error>> {
            self.client.items::<models::#page_type>(self.request())
        }

        /// Every page with its status and headers, following `_links.next`.
        pub fn into_pages(self) -> BoxStream<'static, Result<ApiResponse<models::#page_type>, Error>> {
            self.client.pages(self.request())
        }
    }
}
