//! Models: a struct per object schema, an open enum per string enum, an alias otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{api_name, doc_or, inner_doc};
use super::facts::{
    argument, field_fallback_doc, is_three_state, one_of_variant_doc, serde_field,
    undescribed_type, uses_camel_case, CLIPPY_MAX_ARGUMENTS,
};
use super::syntax::{format_imports, ident, rust_type, tokens};
use super::unparse::Part;
use crate::model::{Api, Field, OneOfVariant, TypeDef, TypeKind, TypeRef, Variant};

/// The `models.rs` of an API.
pub fn models(api: &Api) -> Vec<Part<'_>> {
    let structs = Arc::new(struct_names(&api.types));
    let mut parts = vec![Part::Items(Box::new(move || models_prelude(api)))];
    for def in &api.types {
        let structs = structs.clone();
        parts.push(Part::DirectItems(
            Box::new({
                let structs = structs.clone();
                move || super::direct::models::type_def(def, &structs)
            }),
            Box::new(move || type_def(def, &structs)),
        ));
    }
    for page in &api.pages {
        parts.push(Part::Text(Box::new(move || super::paging::page_impl(page))));
    }
    parts
}

/// The models module's docs and `use`s.
fn models_prelude(api: &Api) -> TokenStream {
    let module_doc = inner_doc(&[Some(&format!("Types of the {}.", api_name(&api.title)))]);
    // Aliases need no derives, and the open enums' macro implements serde's traits itself.
    let needs_serde = api
        .types
        .iter()
        .any(|t| !matches!(t.kind, TypeKind::Alias(_) | TypeKind::Enum(_)));
    let imports = needs_serde.then(|| quote! { use serde::{Deserialize, Serialize}; });
    let fields = api.types.iter().flat_map(|t| t.kind.uses());
    let formats = format_imports(fields, &quote! { crate::runtime });
    quote! {
        #module_doc
        #imports
        #formats
    }
}

fn type_def(def: &TypeDef, structs: &BTreeSet<&str>) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_or(def.description.as_deref(), &undescribed_type(def));
    match &def.kind {
        TypeKind::Struct(fields) => structure(&name, docs, fields),
        TypeKind::Enum(variants) => open_enum(&name, docs, variants),
        TypeKind::OneOf { variants, tag } => one_of(&name, docs, variants, tag.as_deref(), structs),
        TypeKind::Alias(target) => {
            let target = rust_type(target, &TokenStream::new());
            quote! { #docs pub type #name = #target; }
        }
    }
}

/// The names of the types that are structs, directly or through aliases.
fn struct_names(types: &[TypeDef]) -> BTreeSet<&str> {
    let kinds: BTreeMap<&str, &TypeKind> =
        types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
    types
        .iter()
        .filter(|t| {
            let mut kind = &t.kind;
            // An alias chain is as long as the types at most (a cycle of aliases ends there).
            for _ in 0..types.len() {
                match kind {
                    TypeKind::Alias(TypeRef::Named(target)) => match kinds.get(target.as_str()) {
                        Some(next) => kind = next,
                        None => return false,
                    },
                    _ => break,
                }
            }
            matches!(kind, TypeKind::Struct(_))
        })
        .map(|t| t.name.as_str())
        .collect()
}

/// An enum of the alternatives of a `oneOf`/`anyOf`: internally tagged when the schema names
/// a discriminator (a tag this version does not know decodes as `Other`), otherwise told apart
/// by shape in order, with `Other` keeping any value that fits none.
///
/// A variant that holds a struct holds it in a `Box`. Structs of definitions run to hundreds of
/// bytes while the other alternatives (strings, numbers, lists, open enums) are a few words, and
/// an enum is as big as its biggest variant: clippy's `large_enum_variant` asks for the box.
/// Boxing every struct rather than only those past clippy's threshold keeps each variant's type
/// the same when a schema gains fields, and does not depend on guessing the compiler's layout.
fn one_of(
    name: &Ident,
    docs: TokenStream,
    variants: &[OneOfVariant],
    tag: Option<&str>,
    structs: &BTreeSet<&str>,
) -> TokenStream {
    let members = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = rust_type(&v.ty, &TokenStream::new());
        let ty = match &v.ty {
            TypeRef::Named(target) if structs.contains(target.as_str()) => quote! { Box<#ty> },
            _ => ty,
        };
        let rename = v
            .tag_value
            .as_ref()
            .filter(|value| **value != v.rust_name)
            .map(|value| quote! { #[serde(rename = #value)] });
        let doc = one_of_variant_doc(v, tag);
        quote! { #[doc = #doc] #rename #variant(#ty), }
    });
    match tag {
        Some(tag) => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(tag = #tag)]
            #[non_exhaustive]
            pub enum #name {
                #(#members)*
                /// A kind this version of the crate does not know.
                #[serde(other)]
                Other,
            }
        },
        None => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#members)*
                /// A value that fits none of the alternatives.
                Other(serde_json::Value),
            }
        },
    }
}

fn structure(name: &Ident, docs: TokenStream, fields: &[Field]) -> TokenStream {
    let use_camel_case = uses_camel_case(fields);
    let container_attr = use_camel_case.then(|| quote! { #[serde(rename_all = "camelCase")] });
    let members = fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let field_docs = doc_or(field.description.as_deref(), &field_fallback_doc(field));
        if field.flatten {
            let ty = rust_type(&field.ty, &TokenStream::new());
            return quote! {
                #field_docs
                #[serde(flatten)]
                pub #field_name: #ty,
            };
        }
        let serde = serde_field(field, use_camel_case);
        let rename = serde.rename.map(|json_name| quote! { rename = #json_name });
        let skip = serde
            .skip_none
            .then(|| quote! { skip_serializing_if = "Option::is_none" });
        let three_state = serde.three_state.then(|| {
            quote! { default, with = "crate::runtime::__private::double_option" }
        });
        let serde_args: Vec<TokenStream> =
            rename.into_iter().chain(three_state).chain(skip).collect();
        let attr = (!serde_args.is_empty()).then(|| quote! { #[serde(#(#serde_args),*)] });
        let ty = field_type(field);
        quote! {
            #field_docs
            #attr
            pub #field_name: #ty,
        }
    });
    let required: Vec<&Field> = fields.iter().filter(|f| f.required && !f.flatten).collect();
    let (derive_default, constructor) = if required.is_empty() {
        (quote! { Default, }, TokenStream::new())
    } else {
        (TokenStream::new(), constructor(name, fields, &required))
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default Serialize, Deserialize)]
        #container_attr
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
        }
        #constructor
    }
}

/// `new` takes the required fields; optional ones start as `None` and are set as public fields.
fn constructor(name: &Ident, fields: &[Field], required: &[&Field]) -> TokenStream {
    let params = required.iter().map(|f| {
        let arg = ident(&f.rust_name);
        let ty = if f.nullable || f.boxed {
            field_type(f)
        } else {
            tokens(&argument(&f.ty, &f.rust_name, "").0)
        };
        quote! { #arg: #ty }
    });
    let inits = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        match (f.required, f.nullable, &f.ty) {
            _ if f.flatten => quote! { #field: Default::default() },
            (false, _, _) => quote! { #field: None },
            (true, false, TypeRef::String) if !f.boxed => quote! { #field: #field.into() },
            (true, _, _) => quote! { #field },
        }
    });
    let allow = (required.len() > CLIPPY_MAX_ARGUMENTS)
        .then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        impl #name {
            /// Builds a value from its required fields; optional fields start as `None`.
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

fn field_type(field: &Field) -> TokenStream {
    let ty = rust_type(&field.ty, &TokenStream::new());
    let ty = if field.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    };
    if is_three_state(field) {
        quote! { Option<Option<#ty>> }
    } else if field.required && !field.nullable {
        ty
    } else {
        quote! { Option<#ty> }
    }
}

/// An enum that keeps values it does not know in `Unknown`, so that new service values decode:
/// the variants and their wire values; the runtime's macro writes the conversions, which are
/// the same for every such enum.
fn open_enum(name: &Ident, docs: TokenStream, variants: &[Variant]) -> TokenStream {
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values = variants.iter().map(|v| v.value.as_str());
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.value));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #names, )*
            /// A value this version of the crate does not know.
            Unknown(String),
        }

        impl crate::runtime::__private::OpenEnum for #name {
            const VALUES: &'static [(Self, &'static str)] = &[#( (Self::#names, #values) ),*];
        }

        crate::runtime::__private::open_enum!(#name);
    }
}

#[cfg(test)]
mod direct_text_tests {
    use super::super::direct::models as direct;
    use super::super::unparse::by_item;
    use super::{struct_names, type_def};

    /// Enums and structs whose names, values and fields put the lines the writer measures on
    /// either side of the margin.
    fn definition() -> String {
        let mut schemas = Vec::new();
        for n in 0..64 {
            let long = "x".repeat(n);
            let values: Vec<String> = (0..n % 7 + 1)
                .map(|i| format!(r#""value{i}{}""#, "v".repeat(n)))
                .collect();
            schemas.push(format!(
                r#""Choice{long}": {{"type": "string", "enum": [{}]}}"#,
                values.join(", ")
            ));
            schemas.push(format!(
                r##""Either{long}": {{"oneOf": [{{"$ref": "#/components/schemas/Thing{long}"}}, {{"type": "string"}}, {{"type": "array", "items": {{"$ref": "#/components/schemas/Choice{long}"}}}}]}},
                "Tagged{long}": {{"oneOf": [{{"$ref": "#/components/schemas/Thing{long}"}}], "discriminator": {{"propertyName": "kind{long}", "mapping": {{"a{long}": "#/components/schemas/Thing{long}"}}}}}},
                "List{long}": {{"type": "array", "items": {{"$ref": "#/components/schemas/Thing{long}"}}}}"##
            ));
            let required = match n % 4 {
                0 => "[]".to_owned(),
                1 => format!(r#"["name{long}"]"#),
                2 => format!(r#"["name{long}", "items{long}", "choice"]"#),
                _ => format!(r#"["name{long}", "maybe{long}"]"#),
            };
            schemas.push(format!(
                r##""Thing{long}": {{"type": "object", "description": "A thing.", "required": {required}, "properties": {{
                    "name{long}": {{"type": "string", "description": "Its name."}},
                    "snake_{long}": {{"type": "integer"}},
                    "maybe{long}": {{"type": "string", "nullable": true}},
                    "items{long}": {{"type": "array", "items": {{"$ref": "#/components/schemas/Choice{long}"}}}},
                    "choice": {{"$ref": "#/components/schemas/Choice{long}"}},
                    "extra": {{"type": "object", "additionalProperties": {{"type": "array", "items": {{"$ref": "#/components/schemas/Thing{long}"}}}}}}
                }}}}"##
            ));
        }
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "Widths", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{{}}}}}}}"#,
            schemas.join(", ")
        )
    }

    #[test]
    fn the_written_text_is_prettypleases_layout_at_every_width() {
        let definition =
            crate::load::parse(std::path::Path::new("widths.json"), &definition()).unwrap();
        let api = crate::build::build(&definition, &Default::default(), false).unwrap();
        let structs = struct_names(&api.types);
        let mut written = 0;
        for def in &api.types {
            if let Some(text) = direct::type_def(def, &structs) {
                let formatted = by_item(type_def(def, &structs));
                assert_eq!(text, formatted, "{}", def.name);
                written += 1;
            }
        }
        // Only names far longer than real ones leave the layout to prettyplease.
        assert!(
            written * 100 >= api.types.len() * 85,
            "{written} of {}",
            api.types.len()
        );
    }
}
