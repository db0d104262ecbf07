//! The intermediate model: what the emitter needs to know about an API, with every `$ref`
//! resolved and every name already chosen. Nothing here refers back to the raw definition.

use crate::diagnostics::Problem;

/// One API: its operations and the types they use.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Human name of the API, e.g. "Access Control".
    pub title: String,
    pub description: Option<String>,
    /// Rust module name, e.g. `access_control`.
    pub module: String,
    /// The API's client type, e.g. `AccessControlClient`.
    pub client_name: String,
    /// The media type(s) sent as `Accept` on every request: the versioned one of an `Accept`
    /// parameter, else the JSON media types of the answers, else `*/*`.
    pub accept: String,
    pub operations: Vec<Operation>,
    /// Sorted by name, so that reordering a definition does not reorder the output.
    pub types: Vec<TypeDef>,
    /// Where the definition gives examples of JSON bodies, and the types they must fit.
    pub example_sites: Vec<ExampleSite>,
    /// The types that are pages of a list, sorted by name.
    pub pages: Vec<PageType>,
    /// Constructs the generator does not support, and the fallback each got.
    pub warnings: Vec<Problem>,
    /// Jobs whose start answer gets a method that polls until they end (from the manifest).
    pub waiters: Vec<Waiter>,
}

/// A method on a start operation's answer that polls another operation until a job ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The method's name, e.g. `wait`.
    pub method: String,
    /// The model type the start operation answers with, which gets the method.
    pub start_type: String,
    /// The start operation's method on the API client, for the docs.
    pub start_fn: String,
    /// The poll operation's id and method on the API client.
    pub poll_operation: String,
    pub poll_fn: String,
    /// The type of the poll's answer.
    pub poll_type: TypeRef,
    /// The poll's required arguments in the order its method takes them, each with the JSON
    /// pointer of its value in the start answer.
    pub arguments: Vec<(String, String)>,
    /// JSON pointer of the state in the poll answer, and the states that end the wait.
    pub state: String,
    pub success: Vec<String>,
    pub failure: Vec<String>,
}

impl Api {
    /// The page type `ty` is, if it is one.
    pub fn page(&self, ty: &TypeRef) -> Option<&PageType> {
        match ty {
            TypeRef::Named(name) => self.pages.iter().find(|p| p.type_name == *name),
            _ => None,
        }
    }
}

/// A struct that is a page of a list: one array of items, and `_links.next.href` pointing to
/// the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageType {
    pub type_name: String,
    /// The array field and the type of its items.
    pub items: Field,
    pub item: TypeRef,
    /// `_links` of the page, `next` of the links, `href` of the link.
    pub links: Field,
    pub next: Field,
    pub href: Field,
}

/// A media type object of a request body or response that may carry examples.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleSite {
    /// JSON pointer of the media type object, e.g.
    /// `/paths/~1itwins~1{id}~1roles/get/responses/200/content/application~1json`.
    pub pointer: String,
    pub direction: Direction,
    /// The types an example may be; more than one where a response is a `oneOf`.
    pub types: Vec<TypeRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
}

impl Method {
    /// The runtime's `HttpMethod` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
            Method::Head => "Head",
            Method::Options => "Options",
            Method::Trace => "Trace",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The definition's operationId, e.g. `get-itwin-roles`.
    pub id: String,
    /// Method name on the API client, e.g. `get_itwin_roles`.
    pub fn_name: String,
    /// Request builder type, e.g. `GetITwinRoles`.
    pub builder_name: String,
    pub method: Method,
    /// Path template from the host root, e.g. `/accesscontrol/itwins/{id}/roles`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    /// Set when the answer's shape depends on the `Prefer: return=...` header the caller sends.
    pub prefer: Option<PreferShapes>,
    /// Response headers the definition documents for success statuses, such as `Location`.
    pub response_headers: Vec<String>,
    /// The `Accept` of this operation where it differs from the API's: its own `Accept`
    /// parameter's, or the media types of an answer that is not JSON (`application/xml`).
    pub accept: Option<String>,
    pub deprecated: bool,
    /// The lowest documented success status, such as `201`: what a mock answers by default.
    pub success_status: u16,
    /// The definition's example of that status's JSON body, as compact JSON, if it gives one.
    pub success_example: Option<String>,
}

/// Bodies chosen with `Prefer: return=minimal` and `Prefer: return=representation`.
///
/// [`Operation::response`] holds the minimal one, which the service sends by default.
#[derive(Debug, Clone, PartialEq)]
pub struct PreferShapes {
    /// The wire name of the header parameter, e.g. `Prefer`.
    pub header: String,
    pub representation: Response,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire, e.g. `$top` or `iTwinId`.
    pub name: String,
    /// Rust name, e.g. `top` or `itwin_id`.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    /// How the value is written (the definition's `style` and `explode`).
    pub style: Style,
}

/// How a parameter or form property is written: an OpenAPI `style` with its `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Query and form bodies: `name=a&name=b` exploded, `name=a,b` not.
    Form {
        explode: bool,
    },
    SpaceDelimited,
    PipeDelimited,
    /// Swagger 2.0's `collectionFormat: tsv`, which OpenAPI 3 has no style for.
    TabDelimited,
    DeepObject,
    /// Path and header: `a,b`; an object as `k=v,k2=v2` exploded, `k,v,k2,v2` not.
    Simple {
        explode: bool,
    },
    Label {
        explode: bool,
    },
    Matrix {
        explode: bool,
    },
}

impl Style {
    /// The style a parameter has when the definition gives none.
    pub fn default_for(location: ParamLocation) -> Style {
        match location {
            ParamLocation::Query => Style::Form { explode: true },
            ParamLocation::Path | ParamLocation::Header => Style::Simple { explode: false },
        }
    }
}

/// A property of a form body written in another style than `form`, exploded (the `encoding`
/// object of the definition).
#[derive(Debug, Clone, PartialEq)]
pub struct FormEncoding {
    /// The property's name in the form.
    pub property: String,
    pub style: Style,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub kind: BodyKind,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// A JSON value of this type, sent with this content type.
    Json { ty: TypeRef, content_type: String },
    /// A value of this type sent as `application/x-www-form-urlencoded`, with the properties
    /// whose style is not the default.
    Form {
        ty: TypeRef,
        encodings: Vec<FormEncoding>,
    },
    /// Raw bytes in one of these media types (such as `image/png`); the caller picks one from
    /// the enum named `enum_name`.
    Binary {
        content_types: Vec<ContentType>,
        enum_name: String,
    },
    /// A `String` sent with this media type (`text/plain`).
    Text { content_type: String },
    /// `multipart/form-data`: typed parts, or (for a schema that is not an object with
    /// properties) the parts the caller gives as the runtime's `MultipartForm`.
    Multipart(Option<MultipartForm>),
}

/// The parts of a multipart body: a struct named `type_name` beside the builder, one field per
/// property of the body's object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartForm {
    pub type_name: String,
    pub description: Option<String>,
    pub parts: Vec<FormPart>,
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// The part's name on the wire.
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    pub description: Option<String>,
    pub kind: PartKind,
    /// The encoding's `contentType`, where it names one.
    pub content_type: Option<String>,
    /// The encoding's headers, each a field of its own.
    pub headers: Vec<PartHeader>,
}

/// How a property is sent, by its schema (OpenAPI 3.0, Encoding Object).
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A primitive (or string enum) as `text/plain`.
    Text(TypeRef),
    /// An array of primitives: one text part per item.
    TextEach(TypeRef),
    /// An object, an array of objects or any other value, as `application/json`.
    Json(TypeRef),
    /// `format: binary`: a file.
    File,
    /// An array of files: one part per file.
    Files,
}

/// A header of a part, from the encoding object.
#[derive(Debug, Clone, PartialEq)]
pub struct PartHeader {
    pub name: String,
    /// The field of the parts struct that holds its value.
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

impl MultipartForm {
    /// The types its fields use.
    pub fn types(&self) -> impl Iterator<Item = &TypeRef> {
        self.parts.iter().flat_map(|part| {
            let own = match &part.kind {
                PartKind::Text(ty) | PartKind::TextEach(ty) | PartKind::Json(ty) => Some(ty),
                PartKind::File | PartKind::Files => None,
            };
            own.into_iter().chain(part.headers.iter().map(|h| &h.ty))
        })
    }
}

/// A media type a binary body may have, with its variant name (`image/png` → `ImagePng`).
#[derive(Debug, Clone, PartialEq)]
pub struct ContentType {
    pub value: String,
    pub rust_name: String,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A JSON body decoded into this type.
    Json(TypeRef),
    /// Raw bytes, such as an image; also readable as a stream.
    Bytes,
    /// Text (`text/plain`), as a `String`.
    Text,
    /// No body (204, or a success without content).
    Empty,
    /// The definition documents no success answer (only `default`, 1XX/3XX, or nothing): the
    /// status, headers and bytes of whatever 2xx answer comes.
    Raw,
    /// Success statuses with different bodies: an enum named `name`, one variant per status.
    ByStatus {
        name: String,
        variants: Vec<StatusVariant>,
    },
}

/// One success status of a [`Response::ByStatus`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub status: u16,
    /// `Ok`, `Created`, `Accepted`, ...
    pub rust_name: String,
    /// Never itself `ByStatus`.
    pub body: Response,
    pub description: Option<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Boolean,
    I32,
    I64,
    F32,
    F64,
    /// `format: date-time`: an instant, `chrono::DateTime<Utc>`.
    DateTime,
    /// `format: date`: a calendar date, `chrono::NaiveDate`.
    Date,
    /// `format: uuid`: `uuid::Uuid`.
    Uuid,
    /// Any JSON value.
    Json,
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// A type defined in the API's models, by Rust name.
    Named(String),
    /// A type of the runtime, by name there (`ServiceError`): a schema the manifest replaces.
    Runtime(String),
}

impl TypeRef {
    /// The type inside arrays and maps: `Vec<BTreeMap<String, Role>>` → `Role`.
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.innermost(),
            other => other,
        }
    }
}

impl TypeKind {
    /// The types this one refers to.
    pub fn uses(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::Enum(_) => Vec::new(),
            TypeKind::OneOf { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        }
    }
}

impl Response {
    /// The types this answer decodes into.
    pub fn types(&self) -> Vec<&TypeRef> {
        match self {
            Response::Json(ty) => vec![ty],
            Response::ByStatus { variants, .. } => {
                variants.iter().flat_map(|v| v.body.types()).collect()
            }
            Response::Bytes | Response::Text | Response::Empty | Response::Raw => Vec::new(),
        }
    }
}

impl Operation {
    /// Every type the operation's parameters, body and answers use.
    pub fn types(&self) -> Vec<&TypeRef> {
        let mut types: Vec<&TypeRef> = self.params.iter().map(|p| &p.ty).collect();
        if let Some(Body {
            kind: BodyKind::Json { ty, .. } | BodyKind::Form { ty, .. },
            ..
        }) = &self.body
        {
            types.push(ty);
        }
        if let Some(Body {
            kind: BodyKind::Multipart(Some(form)),
            ..
        }) = &self.body
        {
            types.extend(form.types());
        }
        types.extend(self.response.types());
        if let Some(prefer) = &self.prefer {
            types.extend(prefer.representation.types());
        }
        types
    }
}

/// A type the API defines.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub description: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enum; open, so that values added later by the service still decode.
    Enum(Vec<Variant>),
    /// Another name for a type, e.g. a schema that is just an array.
    Alias(TypeRef),
    /// One of several types (`oneOf`/`anyOf`): tagged by a property when the schema has a
    /// discriminator, else told apart by shape, with `Other` keeping what fits none.
    OneOf {
        variants: Vec<OneOfVariant>,
        /// The discriminator property.
        tag: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// The discriminator value that selects this variant.
    pub tag_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub json_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub description: Option<String>,
    /// Holds the object's other properties (`additionalProperties`), flattened into it.
    pub flatten: bool,
    /// Boxed, because the field's type contains the struct itself.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub value: String,
    pub rust_name: String,
}
