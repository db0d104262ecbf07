//! The `wait` methods of start answers: each builds a runtime `Waiter` from a constant
//! `WaitSpec` and a closure that calls the poll operation; the loop itself is in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::syntax::{ident, rust_type};
use crate::model::{Api, Waiter};

/// `impl models::Start { pub fn wait(...) }` for every waiter of `api`.
pub fn impls(api: &Api) -> TokenStream {
    let impls = api.waiters.iter().map(|waiter| wait_method(api, waiter));
    quote! { #(#impls)* }
}

/// The runtime items the waiters use, if there are any.
pub fn imports(api: &Api) -> Option<TokenStream> {
    (!api.waiters.is_empty()).then(|| quote! { use crate::runtime::{WaitSpec, Waiter}; })
}

fn wait_method(api: &Api, waiter: &Waiter) -> TokenStream {
    let start = ident(&waiter.start_type);
    let method = ident(&waiter.method);
    let client = ident(&api.client_name);
    let poll = ident(&waiter.poll_fn);
    let output = rust_type(&waiter.poll_type, &quote! { models:: });
    let operation = &waiter.poll_operation;
    let count = proc_macro2::Literal::usize_unsuffixed(waiter.arguments.len());
    let pointers = waiter.arguments.iter().map(|(_, pointer)| pointer);
    let names: Vec<_> = waiter
        .arguments
        .iter()
        .map(|(name, _)| ident(name))
        .collect();
    let state = &waiter.state;
    let (success, failure) = (&waiter.success, &waiter.failure);
    let quoted = |states: &[String]| {
        states
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let summary = format!(
        "Waits for the job this answer of [`{client}::{start_fn}`] started to end, polling \
         [`{client}::{poll_fn}`].",
        client = api.client_name,
        start_fn = waiter.start_fn,
        poll_fn = waiter.poll_fn,
    );
    let mut ends = format!(
        "The state at `{state}` of its answer ends the wait when it is {}: the waiter then \
         gives that answer.",
        quoted(success)
    );
    if !failure.is_empty() {
        ends.push_str(&format!(
            " When it is {}, the waiter fails with [`Error::Wait`].",
            quoted(failure)
        ));
    }
    let limits = "See [`Waiter`] for the intervals between polls and the longest wait.";
    let docs = doc(&[Some(&summary), Some(&ends), Some(limits)]);
    quote! {
        impl models::#start {
            #docs
            pub fn #method(&self, client: &Client) -> Waiter<#output> {
                const SPEC: WaitSpec<#count> = WaitSpec {
                    operation: #operation,
                    arguments: [#(#pointers),*],
                    state: #state,
                    success: &[#(#success),*],
                    failure: &[#(#failure),*],
                };
                let api = #client::new(client.clone());
                Waiter::new(self, &SPEC, move |[#(#names),*]| api.#poll(#(#names),*).send_with_response())
            }
        }
    }
}
