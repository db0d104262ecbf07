//! The public API of the generated modules, read from the generated files with syn: the
//! items a user of the crate can name, their signatures, fields and variants, the traits they
//! implement, and what they send over the wire ([`wire`](super::wire)).
//!
//! Only the files of the API modules are read (`<module>/mod.rs`, `<module>/models.rs`) and
//! the top `mod.rs` for the feature each module is behind; `<module>/mock.rs` (feature
//! `test-util`) mirrors the operations one to one and is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::{Fields, FnArg, GenericParam, Generics, ImplItem, Item as SynItem, ReturnType, Type};

use super::text::{self, derives, doc, has, nested, render, value_of};
use super::wire::{self, Request};

/// Generated files by their path under the directory of the API modules (`things/mod.rs`).
pub type Files = BTreeMap<PathBuf, String>;

/// The public API of every generated module.
#[derive(Debug, Default)]
pub struct Surface {
    pub modules: BTreeMap<String, Module>,
}

#[derive(Debug, Default)]
pub struct Module {
    /// The module's own doc comment (`//!`).
    pub doc: Option<String>,
    /// The cargo feature the module is behind, as the top `mod.rs` says (`None` without it).
    pub feature: Option<String>,
    /// The API's client, the struct whose `new` takes the runtime's `Client`: its methods are
    /// the operations, named `module::method` as users reach them through `Client::module()`.
    pub client: Option<String>,
    /// The public items by their path in the module: `ThingsClient`, `models::Thing`.
    pub items: BTreeMap<String, Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub doc: Option<String>,
    pub deprecated: bool,
    pub shape: Shape,
    /// Derived traits and other trait impls, by the trait's last path segment.
    pub traits: BTreeSet<String>,
    /// Public inherent methods and associated functions, by their path suffix: `::send`, or
    /// `<Representation>::send` for an impl of the type with other than its default
    /// arguments.
    pub methods: BTreeMap<String, Function>,
    /// What the item sends when it is a request builder.
    pub request: Option<Request>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Struct(Struct),
    Enum(Enum),
    Alias(String),
    Const { ty: String, value: String },
    Fn(Function),
}

impl Shape {
    /// What kind of item it is, with an article: "a struct".
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct(_) => "a struct",
            Shape::Enum(_) => "an enum",
            Shape::Alias(_) => "a type alias",
            Shape::Const { .. } => "a constant",
            Shape::Fn(_) => "a function",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub generics: Vec<Generic>,
    pub non_exhaustive: bool,
    /// The public fields, in order.
    pub fields: Vec<Field>,
    /// Whether it has private fields too: then users cannot build it with a literal.
    pub private_fields: bool,
    /// Container attributes of serde other than `rename_all`, e.g. `transparent`.
    pub serde: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub generics: Vec<Generic>,
    pub non_exhaustive: bool,
    pub variants: Vec<Variant>,
    /// Container attributes of serde other than `rename_all`: `tag = "kind"`, `untagged`.
    pub serde: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Generic {
    /// `Shape: ResponseShape = Minimal`.
    pub text: String,
    /// `Minimal`, for a type parameter with a default.
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    pub doc: Option<String>,
    /// The name serde reads and writes, when the struct derives `Serialize` or `Deserialize`.
    pub wire: Option<String>,
    /// The field's other serde attributes (`flatten`, `skip_serializing_if = ..`).
    pub serde: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    /// What it holds: empty, `(Box<models::Thing>)` or `{ a: i32 }`.
    pub holds: String,
    pub doc: Option<String>,
    /// The strings it stands for on the wire: serde's name of it, or what the enum's impls
    /// map it to (an open enum's table, a media type, a status code).
    pub wire: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub doc: Option<String>,
    pub deprecated: bool,
    pub is_async: bool,
    pub generics: String,
    /// `self`, `&self` or `&mut self`; `None` for an associated function.
    pub receiver: Option<String>,
    /// The arguments after the receiver, as (name, type).
    pub args: Vec<(String, String)>,
    /// The return type; `()` when it has none.
    pub output: String,
}

impl Function {
    /// The signature as users call it: `skip(self, skip: i32) -> Self`.
    pub fn signature(&self, name: &str) -> String {
        let mut args: Vec<String> = self.receiver.iter().cloned().collect();
        args.extend(self.args.iter().map(|(n, ty)| format!("{n}: {ty}")));
        let prefix = if self.is_async { "async " } else { "" };
        let output = if self.output == "()" {
            String::new()
        } else {
            format!(" -> {}", self.output)
        };
        format!(
            "{prefix}{name}{}({}){output}",
            self.generics,
            args.join(", ")
        )
    }
}

/// Reads the public API of the generated files; an error names a file that does not parse.
pub fn read(files: &Files) -> Result<Surface, String> {
    let mut parsed: BTreeMap<String, Vec<(String, syn::File)>> = BTreeMap::new();
    let mut features = BTreeMap::new();
    for (path, code) in files {
        let parse = || {
            syn::parse_file(code)
                .map_err(|e| format!("cannot read the generated {}: {e}", path.display()))
        };
        let parts: Vec<String> = path
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        match parts.as_slice() {
            [top] if top == "mod.rs" => features = module_features(&parse()?),
            [module, name] => {
                let stem = Path::new(name).file_stem().and_then(|s| s.to_str());
                let prefix = match stem {
                    None | Some("mock") => continue,
                    Some("mod") => String::new(),
                    Some(stem) => format!("{stem}::"),
                };
                parsed
                    .entry(module.clone())
                    .or_default()
                    .push((prefix, parse()?));
            }
            _ => {}
        }
    }
    let mut surface = Surface::default();
    for (name, files) in parsed {
        let mut module = read_module(&files);
        module.feature = features.get(&name).cloned();
        surface.modules.insert(name, module);
    }
    Ok(surface)
}

/// The feature named by `#[cfg(feature = "x")]` on each `pub mod` of the top `mod.rs`.
fn module_features(file: &syn::File) -> BTreeMap<String, String> {
    let mut features = BTreeMap::new();
    for item in &file.items {
        if let SynItem::Mod(module) = item {
            if let Some(feature) = value_of(&nested(&module.attrs, "cfg"), "feature") {
                features.insert(module.ident.to_string(), feature);
            }
        }
    }
    features
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// One module from its files, each with the path prefix of its items (`models::`).
fn read_module(files: &[(String, syn::File)]) -> Module {
    let mut module = Module::default();
    // The types of the fields of every struct, public or not: a builder's request may be
    // assembled by a private struct it holds.
    let mut field_types: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (prefix, file) in files {
        if prefix.is_empty() {
            module.doc = doc(&file.attrs);
        }
        for item in &file.items {
            if let SynItem::Struct(s) = item {
                let types = s.fields.iter().map(|f| last_segment(&f.ty)).collect();
                field_types.insert(s.ident.to_string(), types);
            }
            if let Some((name, read)) = read_item(item) {
                names.insert(name.clone(), format!("{prefix}{name}"));
                module.items.insert(format!("{prefix}{name}"), read);
            }
        }
    }
    let mut requests: BTreeMap<String, Request> = BTreeMap::new();
    let mut strings: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (_, file) in files {
        for item in &file.items {
            let SynItem::Impl(block) = item else { continue };
            let self_name = last_segment(&block.self_ty);
            if let Some(request) = wire::request_of(block) {
                requests
                    .entry(self_name.clone())
                    .or_default()
                    .merge(&request);
            }
            wire::variant_strings(block, strings.entry(self_name.clone()).or_default());
            let Some(target) = names.get(&self_name).and_then(|p| module.items.get_mut(p)) else {
                continue;
            };
            match &block.trait_ {
                Some((path, _)) => {
                    let private = path.segments.iter().any(|s| s.ident == "__private");
                    if let (false, Some(last)) = (private, path.segments.last()) {
                        target.traits.insert(render(last));
                    }
                }
                None => add_methods(target, block),
            }
        }
    }
    for (name, path) in &names {
        let item = module.items.get_mut(path).expect("named item");
        match &mut item.shape {
            Shape::Struct(_) => {
                let mut request = requests.get(name).cloned();
                for held in field_types.get(name).into_iter().flatten() {
                    if let (Some(part), false) = (requests.get(held), names.contains_key(held)) {
                        request.get_or_insert_with(Request::default).merge(part);
                    }
                }
                item.request = request;
            }
            Shape::Enum(e) => {
                if let Some(strings) = strings.get(name) {
                    for variant in &mut e.variants {
                        for value in strings.get(&variant.name).into_iter().flatten() {
                            if !variant.wire.contains(value) {
                                variant.wire.push(value.clone());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    module.client = module
        .items
        .iter()
        .find(|(path, item)| {
            !path.contains("::")
                && item.methods.get("::new").is_some_and(|new| {
                    new.receiver.is_none()
                        && matches!(new.args.as_slice(), [(_, ty)] if ty == "Client" || ty.ends_with("::Client"))
                })
        })
        .map(|(path, _)| path.clone());
    module
}

/// The last segment's name of a path type: `GetThingParameters` for `GetThingParameters`,
/// `Thing` for `models::Thing<X>`.
fn last_segment(ty: &Type) -> String {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(String::new, |s| s.ident.to_string()),
        other => render(other),
    }
}

fn read_item(item: &SynItem) -> Option<(String, Item)> {
    let (name, attrs, shape) = match item {
        SynItem::Struct(s) if is_pub(&s.vis) => {
            let serde = nested(&s.attrs, "serde");
            let wire_rule = serializes(&s.attrs).then(|| value_of(&serde, "rename_all"));
            let mut fields = Vec::new();
            let mut private_fields = false;
            for (i, field) in s.fields.iter().enumerate() {
                if !is_pub(&field.vis) {
                    private_fields = true;
                    continue;
                }
                let name = field
                    .ident
                    .as_ref()
                    .map_or_else(|| i.to_string(), ToString::to_string);
                let serde = nested(&field.attrs, "serde");
                let wire = wire_rule.as_ref().map(|rule| {
                    value_of(&serde, "rename").unwrap_or_else(|| match rule {
                        Some(rule) => text::rename(rule, &name, false),
                        None => name.trim_start_matches("r#").to_owned(),
                    })
                });
                fields.push(Field {
                    ty: render(&field.ty),
                    doc: doc(&field.attrs),
                    wire,
                    serde: other_entries(&serde, "rename"),
                    name,
                });
            }
            let shape = Shape::Struct(Struct {
                generics: generics(&s.generics),
                non_exhaustive: has(&s.attrs, "non_exhaustive"),
                fields,
                private_fields,
                serde: other_entries(&serde, "rename_all"),
            });
            (s.ident.to_string(), &s.attrs, shape)
        }
        SynItem::Enum(e) if is_pub(&e.vis) => {
            let serde = nested(&e.attrs, "serde");
            let wire_rule = serializes(&e.attrs).then(|| value_of(&serde, "rename_all"));
            let variants = e
                .variants
                .iter()
                .map(|v| {
                    let name = v.ident.to_string();
                    let serde = nested(&v.attrs, "serde");
                    let wire = match (&wire_rule, value_of(&serde, "rename")) {
                        (Some(_), Some(renamed)) => vec![renamed],
                        (Some(Some(rule)), None) => vec![text::rename(rule, &name, true)],
                        (Some(None), None) => vec![name.clone()],
                        (None, _) => Vec::new(),
                    };
                    Variant {
                        holds: match &v.fields {
                            Fields::Unit => String::new(),
                            fields => render(fields),
                        },
                        doc: doc(&v.attrs),
                        wire,
                        name,
                    }
                })
                .collect();
            let shape = Shape::Enum(Enum {
                generics: generics(&e.generics),
                non_exhaustive: has(&e.attrs, "non_exhaustive"),
                variants,
                serde: other_entries(&serde, "rename_all"),
            });
            (e.ident.to_string(), &e.attrs, shape)
        }
        SynItem::Type(t) if is_pub(&t.vis) => {
            (t.ident.to_string(), &t.attrs, Shape::Alias(render(&t.ty)))
        }
        SynItem::Const(c) if is_pub(&c.vis) => (
            c.ident.to_string(),
            &c.attrs,
            Shape::Const {
                ty: render(&c.ty),
                value: text::string(&c.expr).unwrap_or_else(|| render(&c.expr)),
            },
        ),
        SynItem::Fn(f) if is_pub(&f.vis) => (
            f.sig.ident.to_string(),
            &f.attrs,
            Shape::Fn(function(&f.attrs, &f.sig)),
        ),
        _ => return None,
    };
    Some((
        name,
        Item {
            doc: doc(attrs),
            deprecated: has(attrs, "deprecated"),
            traits: derives(attrs),
            shape,
            methods: BTreeMap::new(),
            request: None,
        },
    ))
}

/// Whether serde reads or writes the type: then its field and variant names are wire names.
fn serializes(attrs: &[syn::Attribute]) -> bool {
    let derived = derives(attrs);
    derived.contains("Serialize") || derived.contains("Deserialize")
}

/// Serde's entries other than `except`, as written.
fn other_entries(entries: &[syn::Meta], except: &str) -> Vec<String> {
    entries
        .iter()
        .filter(|m| !m.path().is_ident(except))
        .map(render)
        .collect()
}

fn generics(generics: &Generics) -> Vec<Generic> {
    generics
        .params
        .iter()
        .map(|param| Generic {
            text: render(param),
            default: match param {
                GenericParam::Type(t) => t.default.as_ref().map(|(_, ty)| render(ty)),
                _ => None,
            },
        })
        .collect()
}

fn function(attrs: &[syn::Attribute], sig: &syn::Signature) -> Function {
    let mut receiver = None;
    let mut args = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(r) => {
                // `mut self` is the function's business, not its callers'.
                receiver = Some(match &r.kind {
                    syn::ReceiverKind::Reference(_, _, Some(_)) => "&mut self".to_owned(),
                    syn::ReceiverKind::Reference(..) => "&self".to_owned(),
                    syn::ReceiverKind::Typed(_, ty) => format!("self: {}", render(ty.as_ref())),
                    _ => "self".to_owned(),
                });
            }
            FnArg::Typed(arg) => args.push((render(&arg.pat), render(&arg.ty))),
        }
    }
    Function {
        doc: doc(attrs),
        deprecated: has(attrs, "deprecated"),
        is_async: sig.asyncness.is_some(),
        generics: if sig.generics.params.is_empty() {
            String::new()
        } else {
            render(&sig.generics)
        },
        receiver,
        args,
        output: match &sig.output {
            ReturnType::Default => "()".to_owned(),
            ReturnType::Type(_, ty) => render(ty.as_ref()),
        },
    }
}

/// Adds the public functions of an inherent impl to the item's methods. An impl for the type
/// with its default arguments (`impl GetThing<Minimal>` of `GetThing<Shape = Minimal>`) adds
/// to the methods users see on the plain type.
fn add_methods(target: &mut Item, block: &syn::ItemImpl) {
    let own_params: Vec<String> = block
        .generics
        .params
        .iter()
        .map(|p| match p {
            GenericParam::Type(t) => t.ident.to_string(),
            GenericParam::Lifetime(l) => l.lifetime.to_string(),
            GenericParam::Const(c) => c.ident.to_string(),
        })
        .collect();
    let args: Vec<String> = match block.self_ty.as_ref() {
        Type::Path(path) => match path.path.segments.last().map(|s| &s.arguments) {
            Some(syn::PathArguments::AngleBracketed(args)) => {
                args.args.iter().map(render).collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let defaults: Vec<String> = match &target.shape {
        Shape::Struct(Struct { generics, .. }) | Shape::Enum(Enum { generics, .. }) => generics
            .iter()
            .map(|g| g.default.clone().unwrap_or_default())
            .collect(),
        _ => Vec::new(),
    };
    let suffix = if args.is_empty() || args == own_params || args == defaults {
        String::new()
    } else {
        format!("<{}>", args.join(", "))
    };
    for item in &block.items {
        if let ImplItem::Fn(f) = item {
            if is_pub(&f.vis) {
                let key = format!("{suffix}::{}", f.sig.ident);
                target.methods.insert(key, function(&f.attrs, &f.sig));
            }
        }
    }
}
