//! The intermediate model: what the emitter needs to know about an API, with every `$ref`
//! resolved and every name already chosen. Nothing here refers back to the raw definition.

use crate::diagnostics::Problem;

/// One API: its operations and the types they use.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Human name of the API, e.g. "Access Control".
    pub title: String,
    /// The API's description in the definition, for the module docs.
    pub description: Option<String>,
    /// Rust module name, e.g. `access_control`.
    pub module: String,
    /// The API's client type, e.g. `AccessControlClient`.
    pub client_name: String,
    /// The media type(s) sent as `Accept` on every request: the versioned one of an `Accept`
    /// parameter, else the JSON media types of the answers, else `*/*`.
    pub accept: String,
    /// The operations, in the order of the definition.
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
    /// What the definition says of the API beyond its operations: its version and where it is
    /// served.
    pub identity: ApiIdentity,
    /// The credentials the API's security schemes declare.
    pub security: Security,
}

/// What a definition's `info` and servers say of its API, for a crate of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiIdentity {
    /// The definition's `info.version`, trimmed: the version of the API.
    pub version: String,
    /// Whether the API is served by the iTwin Platform (its first server is on one of the
    /// platform's hosts), whose environments and credentials the runtime knows.
    pub itwin_platform: bool,
    /// Scheme, host and port of the first server, when that is an absolute `http`/`https`
    /// URL: what the operations' paths (which carry the server's path) are appended to.
    pub origin: Option<String>,
}

/// The credentials a client of the API can offer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Security {
    /// The schemes of `components.securitySchemes` a client can offer, in the definition's
    /// order; none for an iTwin Platform API, whose client offers the platform's credentials.
    pub schemes: Vec<SecurityScheme>,
    /// Every request needs credentials: the definition's top-level `security` names at least
    /// one scheme and offers no anonymous alternative (`{}`).
    pub required: bool,
}

/// A security scheme, as a client offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    /// A bearer token: `http` `bearer`, `openIdConnect`, or an OAuth 2.0 flow other than
    /// client credentials.
    Bearer {
        /// The scheme's key in the definition.
        key: String,
        /// What the token is, e.g. "an OAuth 2.0 access token".
        what: String,
    },
    /// An OAuth 2.0 client-credentials flow: tokens from `token_url` for `scopes`.
    ClientCredentials {
        /// The scheme's key in the definition.
        key: String,
        /// Where tokens are asked for.
        token_url: String,
        /// The flow's scopes.
        scopes: Vec<String>,
    },
    /// An API key sent in a header or in the query.
    ApiKey {
        /// The scheme's key in the definition.
        key: String,
        /// The header's or query parameter's name.
        name: String,
        /// In the query rather than in a header.
        query: bool,
    },
    /// HTTP basic authentication.
    Basic {
        /// The scheme's key in the definition.
        key: String,
    },
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
    /// The poll operation's id.
    pub poll_operation: String,
    /// The poll operation's method on the API client.
    pub poll_fn: String,
    /// The type of the poll's answer.
    pub poll_type: TypeRef,
    /// The poll's required arguments in the order its method takes them, each with the JSON
    /// pointer of its value in the start answer.
    pub arguments: Vec<(String, String)>,
    /// JSON pointer of the state in the poll answer.
    pub state: String,
    /// The states that end the wait successfully.
    pub success: Vec<String>,
    /// The states that end it with an error.
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
    /// The name of the page struct.
    pub type_name: String,
    /// The array field.
    pub items: Field,
    /// The type of the items.
    pub item: TypeRef,
    /// The `_links` field of the page.
    pub links: Field,
    /// The `next` field of the links.
    pub next: Field,
    /// The `href` field of the `next` link.
    pub href: Field,
}

/// A media type object of a request body or response that may carry examples.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleSite {
    /// JSON pointer of the media type object, e.g.
    /// `/paths/~1itwins~1{id}~1roles/get/responses/200/content/application~1json`.
    pub pointer: String,
    /// Whether the body is sent or received.
    pub direction: Direction,
    /// The types an example may be; more than one where a response is a `oneOf`.
    pub types: Vec<TypeRef>,
}

/// Whether a body is sent or received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A request body: what the client sends.
    Request,
    /// A response body: what the client receives.
    Response,
}

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `TRACE`
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

    /// The method as written on the wire, e.g. `GET`.
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

/// One operation of an API: a method of its client and a request builder.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The definition's operationId, e.g. `get-itwin-roles`.
    pub id: String,
    /// Method name on the API client, e.g. `get_itwin_roles`.
    pub fn_name: String,
    /// Request builder type, e.g. `GetITwinRoles`.
    pub builder_name: String,
    /// The HTTP method.
    pub method: Method,
    /// Path template from the host root, e.g. `/accesscontrol/itwins/{id}/roles`.
    pub path: String,
    /// The definition's summary, the first line of the method's docs.
    pub summary: Option<String>,
    /// The definition's description, the rest of the method's docs.
    pub description: Option<String>,
    /// Path, query and header parameters, in the order of the definition.
    pub params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// What a successful call returns.
    pub response: Response,
    /// Set when the answer's shape depends on the `Prefer: return=...` header the caller sends.
    pub prefer: Option<PreferShapes>,
    /// Response headers the definition documents for success statuses, such as `Location`.
    pub response_headers: Vec<String>,
    /// The `Accept` of this operation where it differs from the API's: its own `Accept`
    /// parameter's, or the media types of an answer that is not JSON (`application/xml`).
    pub accept: Option<String>,
    /// Marked `deprecated` in the definition: the method is `#[deprecated]`.
    pub deprecated: bool,
    /// The lowest documented success status, such as `201`: what a mock answers by default.
    pub success_status: u16,
    /// Whether the definition documents a redirect (`3xx`) as an answer: the client returns it,
    /// with its `Location`, instead of following it.
    pub redirects_as_answers: bool,
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
    /// The answer's body with `Prefer: return=representation`.
    pub representation: Response,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template, e.g. `{id}`.
    Path,
    /// In the query string.
    Query,
    /// As a request header.
    Header,
}

/// A path, query or header parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire, e.g. `$top` or `iTwinId`.
    pub name: String,
    /// Rust name, e.g. `top` or `itwin_id`.
    pub rust_name: String,
    /// Where it is sent.
    pub location: ParamLocation,
    /// A required parameter is an argument of the method; an optional one a setter of the request.
    pub required: bool,
    /// The parameter's type.
    pub ty: TypeRef,
    /// The definition's description: the docs of its argument or setter.
    pub description: Option<String>,
    /// How the value is written (the definition's `style` and `explode`).
    pub style: Style,
}

/// How a parameter or form property is written: an OpenAPI `style` with its `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Query and form bodies: `name=a&name=b` exploded, `name=a,b` not.
    Form {
        /// Whether each item (or property) is a pair of its own.
        explode: bool,
    },
    /// Query: an array as `a%20b`.
    SpaceDelimited,
    /// Query: an array as `a|b`.
    PipeDelimited,
    /// Swagger 2.0's `collectionFormat: tsv`, which OpenAPI 3 has no style for.
    TabDelimited,
    /// Query and form bodies: an object as `name[key]=value`.
    DeepObject,
    /// Path and header: `a,b`; an object as `k=v,k2=v2` exploded, `k,v,k2,v2` not.
    Simple {
        /// Whether an object's properties are written as `k=v`.
        explode: bool,
    },
    /// Path: `.a.b` exploded, `.a,b` not.
    Label {
        /// Whether each item (or property) is prefixed by its own `.`.
        explode: bool,
    },
    /// Path: `;name=a;name=b` exploded, `;name=a,b` not.
    Matrix {
        /// Whether each item (or property) is a `;name=` pair of its own.
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
/// A property of a URL-encoded form body whose `encoding` gives it a style of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct FormEncoding {
    /// The property's name in the form.
    pub property: String,
    /// Its style and explode.
    pub style: Style,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// How it is encoded, and its type.
    pub kind: BodyKind,
    /// A required body is an argument of the method; an optional one a setter of the request.
    pub required: bool,
    /// The definition's description.
    pub description: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// A JSON value of this type, sent with this content type.
    Json {
        /// The body's type.
        ty: TypeRef,
        /// The media type sent as `Content-Type`, e.g. `application/json`.
        content_type: String,
    },
    /// A value of this type sent as `application/x-www-form-urlencoded`, with the properties
    /// whose style is not the default.
    Form {
        /// The body's type.
        ty: TypeRef,
        /// The properties whose style is not the default.
        encodings: Vec<FormEncoding>,
    },
    /// Raw bytes in one of these media types (such as `image/png`); the caller picks one from
    /// the enum named `enum_name`.
    Binary {
        /// The media types the definition lists.
        content_types: Vec<ContentType>,
        /// The name of the enum of those media types.
        enum_name: String,
    },
    /// A `String` sent with this media type (`text/plain`).
    Text {
        /// The media type sent as `Content-Type`.
        content_type: String,
    },
    /// `multipart/form-data`: typed parts, or (for a schema that is not an object with
    /// properties) the parts the caller gives as the runtime's `MultipartForm`.
    Multipart(Option<MultipartForm>),
}

/// The parts of a multipart body: a struct named `type_name` beside the builder, one field per
/// property of the body's object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartForm {
    /// The name of the parts struct.
    pub type_name: String,
    /// The body schema's description.
    pub description: Option<String>,
    /// One per property of the schema, in its order.
    pub parts: Vec<FormPart>,
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// The part's name on the wire.
    pub name: String,
    /// The field of the parts struct that holds it.
    pub rust_name: String,
    /// Whether the schema requires it (a plain field) or not (an `Option`).
    pub required: bool,
    /// The property's description.
    pub description: Option<String>,
    /// How it is sent.
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
    /// The header's name.
    pub name: String,
    /// The field of the parts struct that holds its value.
    pub rust_name: String,
    /// The type of its value.
    pub ty: TypeRef,
    /// Whether the encoding requires it.
    pub required: bool,
    /// The header's description.
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
    /// The media type, e.g. `image/png`.
    pub value: String,
    /// Its variant name, e.g. `ImagePng`.
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
        /// The enum's name.
        name: String,
        /// One variant per success status.
        variants: Vec<StatusVariant>,
    },
}

/// One success status of a [`Response::ByStatus`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The status code, e.g. `201`.
    pub status: u16,
    /// `Ok`, `Created`, `Accepted`, ...
    pub rust_name: String,
    /// Never itself `ByStatus`.
    pub body: Response,
    /// The definition's description of the answer.
    pub description: Option<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Boolean,
    /// `i32` (`format: int32`).
    I32,
    /// `i64`: an `integer` of any other format.
    I64,
    /// `f32` (`format: float`).
    F32,
    /// `f64`: a `number` of any other format.
    F64,
    /// `format: date-time`: an instant, `chrono::DateTime<Utc>`.
    DateTime,
    /// `format: date`: a calendar date, `chrono::NaiveDate`.
    Date,
    /// `format: uuid`: `uuid::Uuid`.
    Uuid,
    /// Any JSON value.
    Json,
    /// A JSON array: a `Vec` of this type.
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
    /// The Rust name, e.g. `Role`.
    pub name: String,
    /// The schema's description: the type's docs.
    pub description: Option<String>,
    /// What kind of Rust type it is.
    pub kind: TypeKind,
}

/// The kind of Rust type a schema becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with these fields.
    Struct(Vec<Field>),
    /// A string enum; open, so that values added later by the service still decode.
    Enum(Vec<Variant>),
    /// Another name for a type, e.g. a schema that is just an array.
    Alias(TypeRef),
    /// One of several types (`oneOf`/`anyOf`): tagged by a property when the schema has a
    /// discriminator, else told apart by shape, with `Other` keeping what fits none.
    OneOf {
        /// The alternatives, a variant each.
        variants: Vec<OneOfVariant>,
        /// The discriminator property.
        tag: Option<String>,
    },
}

/// One alternative of a [`TypeKind::OneOf`].
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    /// The variant's name.
    pub rust_name: String,
    /// The type it holds.
    pub ty: TypeRef,
    /// The discriminator value that selects this variant.
    pub tag_value: Option<String>,
}

/// A property of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property's name in JSON, e.g. `iTwinId`.
    pub json_name: String,
    /// The field's name, e.g. `itwin_id`.
    pub rust_name: String,
    /// The field's type, without the `Option` of an optional field.
    pub ty: TypeRef,
    /// Listed in the schema's `required`: the field is no `Option`.
    pub required: bool,
    /// May be `null`: an optional nullable field tells absent from `null`.
    pub nullable: bool,
    /// The property's description: the field's docs.
    pub description: Option<String>,
    /// Holds the object's other properties (`additionalProperties`), flattened into it.
    pub flatten: bool,
    /// Boxed, because the field's type contains the struct itself.
    pub boxed: bool,
}

/// A value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The value on the wire.
    pub value: String,
    /// The variant's name.
    pub rust_name: String,
}
