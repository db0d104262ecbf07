//! The table of example sites that the conformance test walks: for every JSON body a definition
//! documents, where it is and which generated type its examples must round-trip through.

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{format_imports, ident, rust_type};
use crate::model::{Api, Direction};

/// `tests/generated/examples.rs`: `SITES`, one entry per example site of every API, given with
/// the definition file it comes from.
pub fn table(apis: &[(String, &Api)]) -> TokenStream {
    let mut all_types = Vec::new();
    let sites = apis.iter().flat_map(|(file, api)| {
        let module = ident(&api.module);
        let models = quote! { itwin_platform::#module::models:: };
        api.example_sites.iter().map(move |site| {
            let pointer = &site.pointer;
            let direction = match site.direction {
                Direction::Request => quote! { Direction::Request },
                Direction::Response => quote! { Direction::Response },
            };
            let round_trips = site.types.iter().map(|ty| {
                let ty = rust_type(ty, &models);
                quote! { round_trip::<#ty> }
            });
            quote! {
                Site {
                    file: #file,
                    pointer: #pointer,
                    direction: #direction,
                    round_trips: &[#(#round_trips),*],
                },
            }
        })
    });
    let sites: Vec<TokenStream> = sites.collect();
    for (_, api) in apis {
        all_types.extend(api.example_sites.iter().flat_map(|s| s.types.iter()));
    }
    let formats = format_imports(all_types, &quote! { itwin_platform::runtime });
    quote! {
        //! Every JSON body of every definition that may carry examples, with the generated
        //! types its examples must decode into and re-encode from.

        use super::{round_trip, Direction, Site};
        #formats

        pub const SITES: &[Site] = &[
            #(#sites)*
        ];
    }
}
