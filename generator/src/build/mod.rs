//! Builds the intermediate model of an API from a loaded definition.

mod error_codes;
mod listing;
mod multipart;
mod paging;
mod responses;
mod security;
mod styles;
mod typespace;
mod waiters;

pub(crate) use listing::build_listed;

use openapiv3::{
    Components, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    Response as OaResponse,
};

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diagnostics::{Diagnostics, Error, Result};
use crate::load::Definition;
use crate::model::{
    Api, Body, BodyKind, ContentType, Direction, ExampleSite, Method, Operation, Param,
    ParamLocation, Response, Style, TypeDef, TypeKind, TypeRef,
};
use crate::names;
use crate::pointer::Pointer;
use crate::refs::Resolver;
use crate::settings::ApiSettings;
use responses::PREFER_VALUES;
use typespace::TypeSpace;

/// The media type of HTML form bodies.
const FORM: &str = "application/x-www-form-urlencoded";

/// The media type of multipart bodies (file uploads).
const MULTIPART: &str = "multipart/form-data";

/// The media type of plain text bodies.
const TEXT: &str = "text/plain";

/// Header parameters the runtime sets on every request; they are not exposed per call.
const RUNTIME_HEADERS: &[&str] = &["authorization", "accept", "content-type"];

/// Builds the model of one API; its warnings are what the build and the conversion to 3.0
/// read leniently. With `strict`, those are errors, reported together.
pub(crate) fn build(definition: &Definition, settings: &ApiSettings, strict: bool) -> Result<Api> {
    let refs = Resolver::new(definition);
    let sink = RefCell::new(Diagnostics::new(strict));
    let built = Builder::new(definition, &refs, &sink, settings)
        .and_then(|builder| builder.build(settings));
    let built = match built {
        Ok(Some(api)) => Ok(api),
        // Only a definition whose path items were left as text gives `None`, and read whole
        // it has none left so.
        Ok(None) => return build(&definition.read_whole()?, settings, strict),
        Err(e) => Err(e),
    };
    let mut diagnostics = sink.into_inner();
    // The build's pointers are into the document read; problems name the file as written.
    diagnostics.relocate(|pointer| definition.source_pointer(pointer));
    // What converting an OpenAPI 3.1 file to 3.0 left out, among the build's own warnings.
    for warning in &definition.conversion_warnings {
        diagnostics.report(warning.clone());
    }
    match built {
        Ok(mut api) => {
            api.warnings = diagnostics.finish()?;
            Ok(api)
        }
        Err(error) => Err(diagnostics.fail(definition.locate(error))),
    }
}

struct Builder<'a> {
    definition: &'a Definition,
    types: TypeSpace<'a>,
    refs: &'a Resolver<'a>,
    /// `Accept` values seen on operations, with where they were seen.
    accepts: Vec<(String, Pointer)>,
    /// JSON media types of the answers, in the order first seen, with how often each is used.
    answer_types: Vec<(String, usize)>,
    /// For each operation built so far, the media types of its answer if that is not JSON.
    media_accepts: Vec<Option<String>>,
    examples: Vec<ExampleSite>,
    /// The build's sink, shared with the type space: constructs read leniently.
    diagnostics: &'a RefCell<Diagnostics>,
}

impl<'a> Builder<'a> {
    fn new(
        definition: &'a Definition,
        refs: &'a Resolver<'a>,
        diagnostics: &'a RefCell<Diagnostics>,
        settings: &'a ApiSettings,
    ) -> Result<Self> {
        let components = definition.document.components.as_ref();
        Ok(Builder {
            definition,
            types: TypeSpace::new(
                &definition.file,
                components,
                refs,
                diagnostics,
                &settings.replacements,
            )?,
            refs,
            diagnostics,
            accepts: Vec::new(),
            answer_types: Vec::new(),
            media_accepts: Vec::new(),
            examples: Vec::new(),
        })
    }

    /// The API; `None` when a path item left as text does not read (the caller reads the
    /// whole file the general way and builds again).
    fn build(mut self, settings: &ApiSettings) -> Result<Option<Api>> {
        let definition = self.definition;
        let doc = &definition.document;
        let base_path = self.base_path();
        let title = doc.info.title.clone();
        // `StorageManagementClient` is the client type already, not `...ClientClient`.
        let client_name = match names::upper_camel(&title) {
            camel if camel.ends_with("Client") && camel != "Client" => camel,
            camel => format!("{camel}Client"),
        };
        let mut operations: Vec<Operation> = Vec::new();
        let mut module_items = ModuleItems::new(&client_name);
        let mut codes = error_codes::Collector::new(self.refs);
        let mut failed = None;
        let read = definition.for_each_path_item(|path, item| {
            if failed.is_none() {
                codes.add(item);
                let built = self.path_item(&base_path, path, item, &mut module_items);
                match built {
                    Ok(built) => operations.extend(built),
                    Err(e) => failed = Some(e),
                }
            }
        });
        if read.is_err() {
            return Ok(None);
        }
        if let Some(error) = failed {
            return Err(error);
        }
        let module = match &settings.module {
            Some(given) if names::is_taken_module(given) => {
                let message = format!("`{given}` cannot name an API module: the generated code uses a module or crate of that name");
                return Err(self.error(&Pointer::root(), &message));
            }
            Some(given) => given.clone(),
            None => names::unreserved(module_name(&title), names::is_taken_module, "_api"),
        };
        if names::snake(&module) != module {
            let message = format!("`{module}` is not a snake_case module name");
            return Err(self.error(&Pointer::root(), &message));
        }
        let accept = self.accept(settings)?;
        // The API's Accept (its `Accept` parameter's, or the configured one) holds for every
        // operation unless the operation says otherwise: by its own `Accept` parameter, which
        // is kept, or, without one, by answering only media types that are not JSON (XML, text,
        // an image), which are asked for instead of a JSON type the service cannot answer with.
        let media_accepts = std::mem::take(&mut self.media_accepts);
        for (op, media_types) in operations.iter_mut().zip(media_accepts) {
            if op.accept.is_none() {
                op.accept = media_types;
            }
            if op.accept.as_deref() == Some(accept.as_str()) {
                op.accept = None;
            }
        }
        let mut example_sites = std::mem::take(&mut self.examples);
        example_sites.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        example_sites.dedup_by(|a, b| a.pointer == b.pointer);
        let roots = operations.iter().flat_map(Operation::types);
        let mut types = self
            .types
            .into_types(roots.chain(example_sites.iter().flat_map(|s| &s.types)));
        box_recursive_fields(&mut types);
        if let Some(codes) = codes.into_type(&types) {
            let at = types.partition_point(|t| t.name < codes.name);
            types.insert(at, codes);
        }
        let identity = security::identity(doc);
        let diagnostics = self.diagnostics;
        let security = security::security(doc, &identity, |at, message| {
            diagnostics
                .borrow_mut()
                .warn(&definition.file, at.as_str(), message)
        });
        Ok(Some(Api {
            client_name,
            title,
            description: doc.info.description.clone(),
            module,
            accept,
            operations,
            pages: paging::page_types(&types),
            types,
            example_sites,
            // The caller's: `build` gives the warnings of the whole run.
            warnings: Vec::new(),
            // The caller's, from the manifest (see `build_listed`).
            waiters: Vec::new(),
            identity,
            security,
        }))
    }

    /// The operations of one path item.
    fn path_item(
        &mut self,
        base_path: &str,
        path: &str,
        item: &ReferenceOr<PathItem>,
        module_items: &mut ModuleItems,
    ) -> Result<Vec<Operation>> {
        let at = Pointer::root().push("paths").push(path);
        let (item, at) = self.resolve(item, "pathItems", &at)?;
        let mut operations = Vec::new();
        for (method, operation) in methods(&item) {
            let id = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| fallback_id(method, path));
            let names = module_items.operation_names(id, operation.summary.as_deref());
            operations.push(self.operation(
                base_path,
                (path, &item, &at),
                method,
                operation,
                names,
            )?);
        }
        Ok(operations)
    }

    /// The path part of the first server URL, e.g. `/accesscontrol`, with its variables at
    /// their defaults; a relative URL is a path; no server, no base path.
    fn base_path(&self) -> String {
        // Server variables (`https://{host}/{basePath}`) take their defaults.
        let Some(url) = crate::servers::first_url(&self.definition.document) else {
            return String::new();
        };
        let path = match url.split_once("://") {
            Some((_, host_and_path)) => host_and_path.find('/').map_or("", |i| &host_and_path[i..]),
            // `//host/path`, a URL without its scheme.
            None if url.starts_with("//") => url[2..].find('/').map_or("", |i| &url[2 + i..]),
            None => url.as_str(),
        };
        // The base path is a prefix of every operation's path: it starts with `/` and ends without.
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path.trim_start_matches('.').trim_matches('/');
        if path.is_empty() {
            String::new()
        } else {
            format!("/{path}")
        }
    }

    /// The API's Accept: the configured one, else the first `Accept` parameter's (operations
    /// whose parameter differs send their own), else the answers'.
    fn accept(&self, settings: &ApiSettings) -> Result<String> {
        let first = self.accepts.first();
        match (&settings.accept, first) {
            (Some(given), Some((value, at))) if given != value => Err(self.error(
                at,
                &format!("the definition's Accept media type `{value}` differs from the configured `{given}`"),
            )),
            (Some(given), _) => Ok(given.clone()),
            (None, Some((value, _))) => Ok(value.clone()),
            (None, None) => Ok(self.answers_accept()),
        }
    }

    /// Without an `Accept` parameter: the JSON media types the answers use, most used first
    /// (`application/json`, a vendor `+json` type, or both); `*/*` for an API that answers no
    /// JSON, as a client that sets no Accept header would send.
    fn answers_accept(&self) -> String {
        let mut types = self.answer_types.clone();
        // Stable: equally used types keep the order they were first seen in.
        types.sort_by_key(|t| std::cmp::Reverse(t.1));
        if types.is_empty() {
            return "*/*".to_owned();
        }
        types
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Notes the JSON media type of an answer, for [`answers_accept`](Self::answers_accept).
    fn note_answer_type(&mut self, content_type: &str) {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match self.answer_types.iter_mut().find(|(t, _)| *t == essence) {
            Some((_, count)) => *count += 1,
            None => self.answer_types.push((essence, 1)),
        }
    }

    fn operation(
        &mut self,
        base_path: &str,
        (path, item, path_at): (&str, &PathItem, &Pointer),
        method: Method,
        op: &openapiv3::Operation,
        OperationNames {
            id,
            fn_name,
            builder_name,
        }: OperationNames,
    ) -> Result<Operation> {
        let at = &path_at.push(method.as_str().to_lowercase());
        let mut params: Vec<Param> = Vec::new();
        let inherited = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, path_at.push("parameters").push(i)));
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, at.push("parameters").push(i)));
        let mut prefer: Option<String> = None;
        let accepts_before = self.accepts.len();
        for (parameter, param_at) in inherited.chain(own) {
            let Some((param, selects_shape)) = self.param(parameter, &builder_name, &param_at)?
            else {
                continue;
            };
            if selects_shape {
                prefer = Some(param.name.clone());
            }
            params.retain(|p| !(p.name == param.name && p.location == param.location));
            // `id` in the path and `Id` in a header would share an argument name, and a
            // parameter named like a member of the builder (`client`, `body`, `send`) would
            // take that member's name.
            let mut param = param;
            let base =
                names::unreserved(param.rust_name.clone(), names::is_builder_member, "_param");
            param.rust_name =
                names::numbered_snake(&base, |n| params.iter().any(|p| p.rust_name == n));
            params.push(param);
        }
        self.check_path_params(path, &mut params, &builder_name, at)?;
        let body = match &op.request_body {
            Some(body) => self.body(body, &builder_name, &at.push("requestBody"))?,
            None => None,
        };
        let answers = self.answers(op, &builder_name, prefer.as_deref(), &at.push("responses"))?;
        let accept = self.accepts[accepts_before..]
            .last()
            .map(|(v, _)| v.clone());
        // Settled against the API's Accept in `build`.
        let not_json = matches!(answers.response, Response::Bytes | Response::Text);
        self.media_accepts
            .push(not_json.then(|| answers.other_media_types.join(", ")));
        if let Some(shapes) = &answers.prefer {
            // The builder's type chooses the shape and sends the header.
            params.retain(|p| !(p.location == ParamLocation::Header && p.name == shapes.header));
        }
        Ok(Operation {
            fn_name,
            builder_name,
            id,
            method,
            path: format!("{base_path}{path}"),
            summary: op.summary.clone(),
            description: op.description.clone(),
            params,
            body,
            response: answers.response,
            prefer: answers.prefer,
            response_headers: answers.headers,
            deprecated: op.deprecated,
            accept,
            success_status: answers.status,
            success_example: answers.example,
            redirects_as_answers: answers.redirects,
        })
    }

    fn param(
        &mut self,
        parameter: &ReferenceOr<Parameter>,
        owner: &str,
        at: &Pointer,
    ) -> Result<Option<(Param, bool)>> {
        let (parameter, at) = self.resolve(parameter, "parameters", at)?;
        let (data, location) = match &*parameter {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            Parameter::Cookie { .. } => {
                self.unsupported(&at, "a cookie parameter is not supported; it is left out");
                return Ok(None);
            }
        };
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            self.unsupported(
                &at,
                "a parameter with `content` is not supported; it is left out",
            );
            return Ok(None);
        };
        if location == ParamLocation::Header
            && RUNTIME_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
        {
            if data.name.eq_ignore_ascii_case("accept") {
                self.note_accept(schema, &at.push("schema"));
            }
            return Ok(None);
        }
        // A shared parameter's inline enum is one type, named after the component.
        let hint = match at.as_str().strip_prefix("/components/parameters/") {
            Some(component) => names::upper_camel(component),
            None => format!("{owner}{}", names::upper_camel(&data.name)),
        };
        let ty = self.types.type_of(schema, &hint, &at.push("schema"))?;
        let selects_shape = location == ParamLocation::Header
            && data.name.eq_ignore_ascii_case("prefer")
            && string_enum(schema) == PREFER_VALUES;
        let param = Param {
            rust_name: names::snake(&data.name),
            name: data.name.clone(),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            description: data.description.clone(),
            style: styles::parameter_style(&parameter),
        };
        Ok(Some((param, selects_shape)))
    }

    fn note_accept(&mut self, schema: &ReferenceOr<openapiv3::Schema>, at: &Pointer) {
        if let ReferenceOr::Item(schema) = schema {
            if let openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) = &schema.schema_kind {
                if let Some(Some(value)) = s.enumeration.first() {
                    self.accepts.push((value.clone(), at.clone()));
                }
            }
        }
    }

    /// The request body; `None` for one without content, which says nothing to send.
    fn body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        owner: &str,
        at: &Pointer,
    ) -> Result<Option<Body>> {
        let (body, at) = self.resolve(body, "requestBodies", at)?;
        let body = &*body;
        // A body offered as JSON and as a multipart form with files is an upload: JSON has no
        // file type, so the form is what carries them.
        let uploads_files = body
            .content
            .get(MULTIPART)
            .is_some_and(|media| self.has_file_parts(media, &at));
        let json = body
            .content
            .iter()
            .find(|(ct, _)| is_json(ct))
            .filter(|_| !uploads_files);
        let kind = match json {
            Some((content_type, media)) => {
                let media_at = at.push("content").push(content_type);
                let ty = match &media.schema {
                    Some(schema) => self.types.type_of(
                        schema,
                        &format!("{owner}Body"),
                        &media_at.push("schema"),
                    )?,
                    None => TypeRef::Json,
                };
                self.examples.push(ExampleSite {
                    pointer: media_at.as_str().to_owned(),
                    direction: Direction::Request,
                    types: vec![ty.clone()],
                });
                BodyKind::Json {
                    ty,
                    content_type: content_type.clone(),
                }
            }
            None if body.content.is_empty() => {
                let message = "the request body has no content; the operation sends none";
                self.unsupported(&at.push("content"), message);
                return Ok(None);
            }
            None if body.content.contains_key(FORM) => {
                let schema_at = at.push("content").push(FORM).push("schema");
                let ty = match &body.content[FORM].schema {
                    Some(schema) => {
                        self.types
                            .type_of(schema, &format!("{owner}Form"), &schema_at)?
                    }
                    None => TypeRef::Map(Box::new(TypeRef::String)),
                };
                BodyKind::Form {
                    ty,
                    encodings: styles::form_encodings(&body.content[FORM]),
                }
            }
            None if body.content.contains_key(MULTIPART) => {
                let media_at = at.push("content").push(MULTIPART);
                let form =
                    self.multipart(&body.content[MULTIPART], &format!("{owner}Form"), &media_at)?;
                BodyKind::Multipart(form)
            }
            None if body.content.len() == 1 && body.content.contains_key(TEXT) => BodyKind::Text {
                content_type: TEXT.to_owned(),
            },
            None => BodyKind::Binary {
                content_types: body
                    .content
                    .keys()
                    .map(|value| ContentType {
                        value: value.clone(),
                        rust_name: names::upper_camel(value),
                    })
                    .collect(),
                enum_name: format!("{owner}ContentType"),
            },
        };
        Ok(Some(Body {
            kind,
            required: body.required,
            description: body.description.clone(),
        }))
    }

    /// Follows a `$ref`: to `#/components/<section>/<name>` directly, anywhere else (another
    /// place in the definition, a reference to a reference, a file beside it) through the
    /// [`Resolver`].
    fn resolve<'d, T: Lookup + Clone + serde::de::DeserializeOwned>(
        &self,
        node: &'d ReferenceOr<T>,
        section: &str,
        at: &Pointer,
    ) -> Result<(Cow<'d, T>, Pointer)>
    where
        'a: 'd,
    {
        let reference = match node {
            ReferenceOr::Item(item) => return Ok((Cow::Borrowed(item), at.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let key = reference.strip_prefix(&format!("#/components/{section}/"));
        let components = self.definition.document.components.as_ref();
        if let Some(ReferenceOr::Item(item)) =
            key.and_then(|key| components.and_then(|c| T::lookup(c, key)))
        {
            let target = Pointer::from_ref(reference).unwrap_or_default();
            return Ok((Cow::Borrowed(item), target));
        }
        let (item, target) = self.refs.resolve::<T>(reference, at)?;
        Ok((Cow::Owned(item), target))
    }

    /// Every `{name}` in the path has a path parameter, and every path parameter is in the
    /// path: a placeholder the definition declares no parameter for is a required string, and a
    /// path parameter the path does not have is left out, each with a warning.
    fn check_path_params(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        owner: &str,
        at: &Pointer,
    ) -> Result<()> {
        let placeholders: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .collect();
        for name in &placeholders {
            if params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == *name)
            {
                continue;
            }
            let message = format!(
                "the path has `{{{name}}}` but no path parameter `{name}`; it is taken as a required string"
            );
            self.unsupported(at, &message);
            let base = match names::snake(name) {
                n if n.is_empty() || n == "_" => format!("{}_path", names::snake(owner)),
                n => n,
            };
            let rust_name =
                names::numbered_snake(&base, |n| params.iter().any(|p| p.rust_name == n));
            params.push(Param {
                name: (*name).to_owned(),
                rust_name,
                location: ParamLocation::Path,
                required: true,
                ty: TypeRef::String,
                description: None,
                style: Style::default_for(ParamLocation::Path),
            });
        }
        let unused: Vec<String> = params
            .iter()
            .filter(|p| {
                p.location == ParamLocation::Path && !placeholders.contains(&p.name.as_str())
            })
            .map(|p| p.name.clone())
            .collect();
        for name in unused {
            let message =
                format!("the path parameter `{name}` does not appear in the path; it is left out");
            self.unsupported(at, &message);
            params.retain(|p| !(p.location == ParamLocation::Path && p.name == name));
        }
        Ok(())
    }

    /// A warning for a construct that is left out (the message says so).
    fn unsupported(&mut self, at: &Pointer, message: &str) {
        self.diagnostics
            .borrow_mut()
            .warn(&self.definition.file, at.as_str(), message);
    }

    fn error(&self, at: &Pointer, message: &str) -> Error {
        Error::new(&self.definition.file, at.as_str(), message)
    }
}

/// The names an operation is known by: its id, its method on the API client and its builder.
struct OperationNames {
    id: String,
    fn_name: String,
    builder_name: String,
}

/// The names already given in an API's `mod.rs`, so that each operation gets names of its own.
struct ModuleItems {
    client: String,
    /// Types of the module: builders and the types named after them.
    types: HashSet<String>,
    /// Methods of the API client.
    methods: HashSet<String>,
}

/// The types each builder `B` may define beside itself, named after it: its status enums
/// (`BResponse`, and `BRepresentationResponse` when the answer has two shapes), the media
/// types of its body (`BContentType`), the parts of its multipart body (`BForm`) and, when the
/// answer has two shapes, the parameters both share (`BParameters`).
const BUILDER_FAMILY: [&str; 6] = [
    "",
    "Response",
    "RepresentationResponse",
    "ContentType",
    "Parameters",
    "Form",
];

impl ModuleItems {
    fn new(client: &str) -> Self {
        ModuleItems {
            client: client.to_owned(),
            types: HashSet::new(),
            // The client's constructor.
            methods: HashSet::from(["new".to_owned()]),
        }
    }

    /// Names for the operation `id`. A builder whose name (or a name of its family) the module
    /// uses for something else, such as `Client` or `Error` from the runtime or the API's own
    /// client type, gets the suffix `Request`; a method named `new` gets `_` like a keyword;
    /// ids such as `get-thing` and `get_thing` (or none, on `/a` and `/a/`) would share
    /// names: later ones get a number.
    fn operation_names(&mut self, id: String, summary: Option<&str>) -> OperationNames {
        let family_reserved = |builder: &str| {
            BUILDER_FAMILY.iter().any(|suffix| {
                let name = format!("{builder}{suffix}");
                names::is_reserved_module_item(&name) || name == self.client
            })
        };
        let source = names::operation_name_source(&id, summary);
        let builder_base =
            names::unreserved(names::upper_camel(&source), family_reserved, "Request");
        let fn_base = names::unreserved(names::snake(&source), |f| f == "new", "_");
        let (fn_name, builder_name) = names::numbered_by(
            |n| {
                let fn_name = names::with_number(&fn_base, "_", n);
                (fn_name, names::with_number(&builder_base, "", n))
            },
            |(fn_name, builder_name)| {
                self.methods.contains(fn_name)
                    || BUILDER_FAMILY
                        .iter()
                        .any(|suffix| self.types.contains(&format!("{builder_name}{suffix}")))
                    || family_reserved(builder_name)
            },
        );
        self.methods.insert(fn_name.clone());
        self.types.extend(
            BUILDER_FAMILY
                .iter()
                .map(|suffix| format!("{builder_name}{suffix}")),
        );
        OperationNames {
            id,
            fn_name,
            builder_name,
        }
    }
}

/// Component sections that operations refer to.
trait Lookup: Sized {
    fn lookup<'c>(components: &'c Components, key: &str) -> Option<&'c ReferenceOr<Self>>;
}

/// OpenAPI 3.0 has no `pathItems` section: a path item's `$ref` always goes through the resolver.
impl Lookup for PathItem {
    fn lookup<'c>(_: &'c Components, _: &str) -> Option<&'c ReferenceOr<Self>> {
        None
    }
}

impl Lookup for Parameter {
    fn lookup<'c>(components: &'c Components, key: &str) -> Option<&'c ReferenceOr<Self>> {
        components.parameters.get(key)
    }
}

impl Lookup for RequestBody {
    fn lookup<'c>(components: &'c Components, key: &str) -> Option<&'c ReferenceOr<Self>> {
        components.request_bodies.get(key)
    }
}

impl Lookup for openapiv3::Header {
    fn lookup<'c>(components: &'c Components, key: &str) -> Option<&'c ReferenceOr<Self>> {
        components.headers.get(key)
    }
}

impl Lookup for OaResponse {
    fn lookup<'c>(components: &'c Components, key: &str) -> Option<&'c ReferenceOr<Self>> {
        components.responses.get(key)
    }
}

fn methods(item: &PathItem) -> impl Iterator<Item = (Method, &openapiv3::Operation)> {
    [
        (Method::Get, &item.get),
        (Method::Post, &item.post),
        (Method::Put, &item.put),
        (Method::Patch, &item.patch),
        (Method::Delete, &item.delete),
        (Method::Head, &item.head),
        (Method::Options, &item.options),
        (Method::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
}

/// Boxes struct fields whose type holds the struct itself (without a `Vec` or map between,
/// which are on the heap already), so that recursive schemas have a size.
fn box_recursive_fields(types: &mut [TypeDef]) {
    // Which types each type holds directly, computed once.
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    };
    let mut holds: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|t| {
            let direct = match &t.kind {
                TypeKind::Struct(fields) => fields.iter().filter_map(|f| named(&f.ty)).collect(),
                TypeKind::Alias(target) => named(target).into_iter().collect(),
                TypeKind::OneOf { variants, .. } => {
                    variants.iter().filter_map(|v| named(&v.ty)).collect()
                }
                TypeKind::Enum(_) => Vec::new(),
            };
            (t.name.clone(), direct)
        })
        .collect();
    let reaches = |holds: &BTreeMap<String, Vec<String>>, from: &str, to: &str| -> bool {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut pending: Vec<&str> = vec![from];
        while let Some(name) = pending.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name) {
                pending.extend(holds.get(name).into_iter().flatten().map(String::as_str));
            }
        }
        false
    };
    for def in types.iter_mut() {
        let owner = def.name.clone();
        let TypeKind::Struct(fields) = &mut def.kind else {
            continue;
        };
        for field in fields.iter_mut() {
            let Some(target) = named(&field.ty) else {
                continue;
            };
            if reaches(&holds, &target, &owner) {
                field.boxed = true;
                // A boxed field breaks the cycle: other fields on it need no box of their own.
                if let Some(direct) = holds.get_mut(&owner) {
                    if let Some(i) = direct.iter().position(|n| *n == target) {
                        direct.remove(i);
                    }
                }
            }
        }
    }
}

/// The values of an inline string enum schema.
fn string_enum(schema: &ReferenceOr<openapiv3::Schema>) -> Vec<&str> {
    match schema {
        ReferenceOr::Item(openapiv3::Schema {
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(s)),
            ..
        }) => s.enumeration.iter().flatten().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The module of an API named after its title; `api` where the title gives no name (a title
/// in another script), `api_...` where it starts with a digit.
fn module_name(title: &str) -> String {
    if !title.chars().any(|c| c.is_ascii_alphanumeric()) {
        return "api".to_owned();
    }
    let snake = names::snake(title);
    if names::snake(&snake) == snake && !snake.starts_with('_') {
        return snake;
    }
    let name = match snake.trim_matches('_') {
        "" => "api".to_owned(),
        name if name.starts_with(|c: char| c.is_ascii_digit()) => format!("api_{name}"),
        name => name.to_owned(),
    };
    if names::snake(&name) == name {
        name
    } else {
        "api".to_owned()
    }
}

/// A name for an operation that has no operationId: `GET /itwins/{id}` → `get-itwins-id`.
fn fallback_id(method: Method, path: &str) -> String {
    let words = path
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    std::iter::once(method.as_str().to_lowercase())
        .chain(words.map(str::to_owned))
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::{build, module_name, ApiSettings};
    use crate::model::{TypeKind, TypeRef};

    /// A JSON file's path items are read by the build; one that does not read sends the build
    /// back to the file read whole, which locates the fault, and mends what it can.
    #[test]
    fn a_path_item_that_does_not_read_is_located_or_mended() {
        let parse = |text: &str| crate::load::parse(std::path::Path::new("a.json"), text).unwrap();
        let broken = parse(
            r#"{"openapi": "3.0.3", "info": {"title": "A", "version": "1"},
                "paths": {"/a": {"get": {"responses": 7}}}}"#,
        );
        let error = build(&broken, &ApiSettings::default(), false).unwrap_err();
        assert_eq!(error.problems()[0].pointer, "/paths/~1a/get");
        let mendable = parse(
            r#"{"openapi": "3.0.3", "info": {"title": "A", "version": "1"},
                "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"type": "integer", "pattern": 5}}}}}}}}}"#,
        );
        let api = build(&mendable, &ApiSettings::default(), false).unwrap();
        assert_eq!(api.operations.len(), 1);
        assert!(
            api.warnings.iter().any(|w| w.message.contains("pattern")),
            "{:?}",
            api.warnings
        );
    }

    #[test]
    fn a_replaced_schema_is_the_runtime_type_wherever_it_is_used() {
        let definition = crate::load::parse(
            std::path::Path::new("jobs.json"),
            r##"{"openapi": "3.0.0", "info": {"title": "Jobs", "version": "1"},
                "paths": {"/jobs": {"get": {"operationId": "get-job", "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                    "404": {"description": "no", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}}}}}}},
                "components": {"schemas": {
                    "Job": {"type": "object", "properties": {"errors": {"type": "array", "items": {"$ref": "#/components/schemas/Failure"}}}},
                    "Failure": {"type": "object", "properties": {"code": {"type": "string"}}}}}}"##,
        )
        .unwrap();
        let settings = ApiSettings {
            accept: Some("application/json".to_owned()),
            replacements: [("Failure".to_owned(), "ServiceError".to_owned())].into(),
            ..ApiSettings::default()
        };
        let api = build(&definition, &settings, false).unwrap();
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Job"]);
        let TypeKind::Struct(fields) = &api.types[0].kind else {
            panic!("Job is a struct");
        };
        let runtime = TypeRef::Runtime("ServiceError".to_owned());
        assert_eq!(fields[0].ty, TypeRef::Array(Box::new(runtime)));
    }

    #[test]
    fn every_title_gives_a_module_name() {
        assert_eq!(module_name("Access Control"), "access_control");
        assert_eq!(module_name("カラーミーショップ API"), "api");
        assert_eq!(module_name("ショップ"), "api");
        assert_eq!(module_name("1Forge Finance"), "api_1forge_finance");
        assert_eq!(module_name("Type"), "type_");
    }
}
