//! The typed parts of a `multipart/form-data` body: a struct beside its builder, and how it
//! fills the runtime's `MultipartForm`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::syntax::{display_value, ident, models_path, rust_type};
use crate::model::{FormPart, MultipartForm, PartHeader, PartKind, TypeRef};

/// The struct of a form's parts, and its `to_form`.
pub fn form_type(form: &MultipartForm, builder: &str) -> TokenStream {
    let name = ident(&form.type_name);
    let default_doc = format!("The parts of the `multipart/form-data` body of [`{builder}`].");
    let docs = doc(&[Some(form.description.as_deref().unwrap_or(&default_doc))]);
    let fields = form.parts.iter().map(|part| {
        let own = field(
            &part.rust_name,
            &part_type(part),
            part.required,
            &part_doc(part),
        );
        let headers = part.headers.iter().map(|header| {
            let line = format!("The `{}` header of the `{}` part.", header.name, part.name);
            let ty = rust_type(&header.ty, &models_path());
            field(
                &header.rust_name,
                &ty,
                header_required(part, header),
                &[Some(line), header.description.clone()],
            )
        });
        quote! { #own #(#headers)* }
    });
    let all_optional = form
        .parts
        .iter()
        .all(|p| !p.required && p.headers.iter().all(|h| !header_required(p, h)));
    let derives = if all_optional {
        quote! { #[derive(Debug, Clone, Default)] }
    } else {
        quote! { #[derive(Debug, Clone)] }
    };
    let calls = form.parts.iter().map(part_calls);
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            fn to_form(&self) -> MultipartForm {
                MultipartForm::new() #(#calls)*
            }
        }
    }
}

/// Whether any operation's form has a file field, so that the module imports `FilePart`.
pub fn has_files<'a>(mut forms: impl Iterator<Item = &'a MultipartForm>) -> bool {
    forms.any(|form| {
        form.parts
            .iter()
            .any(|p| matches!(p.kind, PartKind::File | PartKind::Files))
    })
}

/// A header is required only where its part is: an optional part left out sends no header.
fn header_required(part: &FormPart, header: &PartHeader) -> bool {
    part.required && header.required
}

fn field(name: &str, ty: &TokenStream, required: bool, lines: &[Option<String>]) -> TokenStream {
    let name = ident(name);
    let lines: Vec<Option<&str>> = lines.iter().map(Option::as_deref).collect();
    let docs = doc(&lines);
    if required {
        quote! { #docs pub #name: #ty, }
    } else {
        quote! { #docs pub #name: Option<#ty>, }
    }
}

fn part_type(part: &FormPart) -> TokenStream {
    let models = models_path();
    match &part.kind {
        PartKind::Text(ty) | PartKind::Json(ty) => rust_type(ty, &models),
        PartKind::TextEach(ty) => {
            let ty = rust_type(ty, &models);
            quote! { Vec<#ty> }
        }
        PartKind::File => quote! { FilePart },
        PartKind::Files => quote! { Vec<FilePart> },
    }
}

/// The property's description, and the media type the definition sends it as, if it names one.
fn part_doc(part: &FormPart) -> [Option<String>; 2] {
    let sent_as = part.content_type.as_ref().map(|ct| match part.kind {
        PartKind::File | PartKind::Files => {
            format!("Sent as `{ct}` unless the file part gives its own content type.")
        }
        _ => format!("Sent as `{ct}`."),
    });
    [part.description.clone(), sent_as]
}

/// The `MultipartForm` calls that add a part, its content type and its headers.
fn part_calls(part: &FormPart) -> TokenStream {
    let name = &part.name;
    let field = ident(&part.rust_name);
    let this = quote! { self.#field };
    let each = if part.required {
        quote! { #this.iter() }
    } else {
        quote! { #this.iter().flatten() }
    };
    let one = if part.required {
        quote! { Some(&#this) }
    } else {
        quote! { #this.as_ref() }
    };
    let add = match &part.kind {
        PartKind::Text(ty) => {
            let value = display_value(&this, ty, part.required);
            quote! { .text(#name, #value) }
        }
        PartKind::TextEach(TypeRef::DateTime) => {
            quote! { .text_each(#name, #each.map(crate::runtime::__private::rfc3339)) }
        }
        PartKind::TextEach(_) => quote! { .text_each(#name, #each) },
        PartKind::Json(_) => quote! { .json(#name, #one) },
        PartKind::File => quote! { .file(#name, #one) },
        PartKind::Files => quote! { .files(#name, #each) },
    };
    let content_type = part
        .content_type
        .as_ref()
        .map(|ct| quote! { .content_type(#ct) });
    let headers = part.headers.iter().map(|header| {
        let header_name = &header.name;
        let field = ident(&header.rust_name);
        let value = display_value(
            &quote! { self.#field },
            &header.ty,
            header_required(part, header),
        );
        quote! { .part_header(#header_name, #value) }
    });
    quote! { #add #content_type #(#headers)* }
}
