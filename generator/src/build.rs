//! Builds the intermediate model of an API from a loaded definition.

use openapiv3::{
    Components, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    Response as OaResponse, StatusCode,
};

use crate::error::{Error, Result};
use crate::load::Definition;
use crate::model::{Api, Body, Method, Operation, Param, ParamLocation, Response, TypeRef};
use crate::names;
use crate::pointer::Pointer;
use crate::typespace::TypeSpace;

/// What the caller knows about an API beyond its definition (from the manifest or flags).
#[derive(Debug, Clone, Default)]
pub struct ApiSettings {
    /// Rust module name; defaults to the definition's title in snake case.
    pub module: Option<String>,
    /// The `Accept` media type; defaults to the enum of the definition's `Accept` header parameter.
    pub accept: Option<String>,
}

/// Header parameters the runtime sets on every request; they are not exposed per call.
const RUNTIME_HEADERS: &[&str] = &["authorization", "accept", "content-type"];

/// Builds the model of one API.
pub fn build(definition: &Definition, settings: &ApiSettings) -> Result<Api> {
    Builder::new(definition)?.build(settings)
}

struct Builder<'a> {
    definition: &'a Definition,
    types: TypeSpace<'a>,
    /// `Accept` values seen on operations, with where they were seen.
    accepts: Vec<(String, Pointer)>,
}

impl<'a> Builder<'a> {
    fn new(definition: &'a Definition) -> Result<Self> {
        let components = definition.document.components.as_ref();
        Ok(Builder {
            definition,
            types: TypeSpace::new(&definition.file, components)?,
            accepts: Vec::new(),
        })
    }

    fn build(mut self, settings: &ApiSettings) -> Result<Api> {
        let doc = &self.definition.document;
        let base_path = self.base_path();
        let mut operations: Vec<Operation> = Vec::new();
        for (path, item) in &doc.paths.paths {
            let at = Pointer::root().push("paths").push(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(self.error(&at, "path items by $ref are not supported"))
                }
            };
            for (method, operation) in methods(item) {
                let op = self.operation(&base_path, (path, item, &at), method, operation)?;
                if let Some(other) = operations.iter().find(|o| o.fn_name == op.fn_name) {
                    let at = at.push(method.as_str().to_lowercase()).push("operationId");
                    let message = format!(
                        "operations `{}` and `{}` both map to `{}`",
                        other.id, op.id, op.fn_name
                    );
                    return Err(self.error(&at, &message));
                }
                operations.push(op);
            }
        }
        let title = doc.info.title.clone();
        let module = settings
            .module
            .clone()
            .unwrap_or_else(|| names::snake(&title));
        if names::snake(&module) != module {
            let message = format!("`{module}` is not a snake_case module name");
            return Err(self.error(&Pointer::root(), &message));
        }
        let accept = self.accept(settings)?;
        Ok(Api {
            client_name: format!("{}Client", names::upper_camel(&title)),
            title,
            description: doc.info.description.clone(),
            module,
            accept,
            operations,
            types: self.types.into_types(),
        })
    }

    /// The path part of the first server URL, e.g. `/accesscontrol`.
    fn base_path(&self) -> String {
        let Some(server) = self.definition.document.servers.first() else {
            return String::new();
        };
        let url = server.url.as_str();
        let path = match url.split_once("://") {
            Some((_, host_and_path)) => host_and_path.find('/').map_or("", |i| &host_and_path[i..]),
            None => url,
        };
        path.trim_end_matches('/').to_owned()
    }

    fn accept(&self, settings: &ApiSettings) -> Result<String> {
        let mut seen = self.accepts.iter();
        let first = seen.next();
        if let Some((first_value, _)) = first {
            if let Some((value, at)) = seen.find(|(v, _)| v != first_value) {
                let message = format!(
                    "operations disagree on the Accept media type: `{first_value}` and `{value}`"
                );
                return Err(self.error(at, &message));
            }
        }
        match (&settings.accept, first) {
            (Some(given), Some((value, at))) if given != value => Err(self.error(
                at,
                &format!("the definition's Accept media type `{value}` differs from the configured `{given}`"),
            )),
            (Some(given), _) => Ok(given.clone()),
            (None, Some((value, _))) => Ok(value.clone()),
            (None, None) => Err(self.error(
                &Pointer::root(),
                "no Accept media type: configure one, or give the Accept header parameter an enum",
            )),
        }
    }

    fn operation(
        &mut self,
        base_path: &str,
        (path, item, path_at): (&str, &PathItem, &Pointer),
        method: Method,
        op: &openapiv3::Operation,
    ) -> Result<Operation> {
        let at = &path_at.push(method.as_str().to_lowercase());
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| fallback_id(method, path));
        let builder_name = names::upper_camel(&id);
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
        for (parameter, param_at) in inherited.chain(own) {
            let Some(param) = self.param(parameter, &builder_name, &param_at)? else {
                continue;
            };
            params.retain(|p| !(p.name == param.name && p.location == param.location));
            if params.iter().any(|p| p.rust_name == param.rust_name) {
                let message = format!("two parameters map to the argument `{}`", param.rust_name);
                return Err(self.error(&param_at, &message));
            }
            params.push(param);
        }
        check_path_params(path, &params).map_err(|m| self.error(at, &m))?;
        let body = match &op.request_body {
            Some(body) => Some(self.body(body, &builder_name, &at.push("requestBody"))?),
            None => None,
        };
        let response = self.response(op, &builder_name, &at.push("responses"))?;
        Ok(Operation {
            fn_name: names::snake(&id),
            builder_name,
            id,
            method,
            path: format!("{base_path}{path}"),
            summary: op.summary.clone(),
            description: op.description.clone(),
            params,
            body,
            response,
        })
    }

    fn param(
        &mut self,
        parameter: &ReferenceOr<Parameter>,
        owner: &str,
        at: &Pointer,
    ) -> Result<Option<Param>> {
        let (parameter, at) = self.resolve(parameter, "parameters", at)?;
        let (data, location) = match parameter {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            Parameter::Cookie { .. } => {
                return Err(self.error(&at, "cookie parameters are not supported"))
            }
        };
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return Err(self.error(
                &at,
                "parameters with `content` are not supported; use `schema`",
            ));
        };
        if location == ParamLocation::Header
            && RUNTIME_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
        {
            if data.name.eq_ignore_ascii_case("accept") {
                self.note_accept(schema, &at.push("schema"));
            }
            return Ok(None);
        }
        let hint = format!("{owner}{}", names::upper_camel(&data.name));
        let ty = self.types.type_of(schema, &hint, &at.push("schema"))?;
        Ok(Some(Param {
            rust_name: names::snake(&data.name),
            name: data.name.clone(),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            description: data.description.clone(),
        }))
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

    fn body(&mut self, body: &ReferenceOr<RequestBody>, owner: &str, at: &Pointer) -> Result<Body> {
        let (body, at) = self.resolve(body, "requestBodies", at)?;
        let Some((content_type, media)) = body.content.iter().find(|(ct, _)| is_json(ct)) else {
            return Err(self.error(
                &at.push("content"),
                "only JSON request bodies are supported",
            ));
        };
        let schema_at = at.push("content").push(content_type).push("schema");
        let ty = match &media.schema {
            Some(schema) => self
                .types
                .type_of(schema, &format!("{owner}Body"), &schema_at)?,
            None => TypeRef::Json,
        };
        Ok(Body {
            ty,
            content_type: content_type.clone(),
            required: body.required,
            description: body.description.clone(),
        })
    }

    fn response(
        &mut self,
        op: &openapiv3::Operation,
        owner: &str,
        at: &Pointer,
    ) -> Result<Response> {
        let mut success: Option<(Response, Pointer)> = None;
        for (status, response) in &op.responses.responses {
            let status_at = at.push(status);
            let (response, response_at) = self.resolve(response, "responses", &status_at)?;
            let is_success = match status {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            };
            if !is_success {
                continue;
            }
            let this = self.response_body(response, owner, &response_at)?;
            match &success {
                None => success = Some((this, response_at)),
                Some((first, _)) if *first == this || this == Response::Empty => {}
                Some((Response::Empty, _)) => success = Some((this, response_at)),
                Some(_) => {
                    return Err(self.error(
                        &status_at,
                        "success responses with different bodies are not supported yet",
                    ));
                }
            }
        }
        success
            .map(|(response, _)| response)
            .ok_or_else(|| self.error(at, "the operation documents no success (2xx) response"))
    }

    fn response_body(
        &mut self,
        response: &OaResponse,
        owner: &str,
        at: &Pointer,
    ) -> Result<Response> {
        let Some((content_type, media)) = response.content.iter().find(|(ct, _)| is_json(ct))
        else {
            return match response.content.keys().next() {
                None => Ok(Response::Empty),
                Some(other) => Err(self.error(
                    &at.push("content").push(other),
                    &format!("responses of type `{other}` are not supported yet"),
                )),
            };
        };
        let ty = match &media.schema {
            Some(schema) => {
                let schema_at = at.push("content").push(content_type).push("schema");
                self.types
                    .type_of(schema, &format!("{owner}Response"), &schema_at)?
            }
            None => TypeRef::Json,
        };
        Ok(Response::Json(ty))
    }

    /// Follows a `$ref` to `#/components/<section>/<name>`.
    fn resolve<'d, T: Lookup>(
        &self,
        node: &'d ReferenceOr<T>,
        section: &str,
        at: &Pointer,
    ) -> Result<(&'d T, Pointer)>
    where
        'a: 'd,
    {
        let reference = match node {
            ReferenceOr::Item(item) => return Ok((item, at.clone())),
            ReferenceOr::Reference { reference } => reference,
        };
        let prefix = format!("#/components/{section}/");
        let key = reference.strip_prefix(&prefix).ok_or_else(|| {
            self.error(
                at,
                &format!("$ref `{reference}` should point into #/components/{section}"),
            )
        })?;
        let components = self.definition.document.components.as_ref();
        match components.and_then(|c| T::lookup(c, key)) {
            Some(ReferenceOr::Item(item)) => {
                let target = Pointer::from_ref(reference).unwrap_or_default();
                Ok((item, target))
            }
            Some(ReferenceOr::Reference { .. }) => Err(self.error(
                at,
                &format!("$ref `{reference}` points to another $ref, which is not supported"),
            )),
            None => Err(self.error(at, &format!("$ref `{reference}` points to nothing"))),
        }
    }

    fn error(&self, at: &Pointer, message: &str) -> Error {
        Error::new(&self.definition.file, at.as_str(), message)
    }
}

/// Component sections that operations refer to.
trait Lookup: Sized {
    fn lookup<'c>(components: &'c Components, key: &str) -> Option<&'c ReferenceOr<Self>>;
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
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
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

/// Every `{name}` in the path has a path parameter, and every path parameter is in the path.
fn check_path_params(path: &str, params: &[Param]) -> Result<(), String> {
    let placeholders: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .collect();
    for name in &placeholders {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.name == *name)
        {
            return Err(format!(
                "the path has `{{{name}}}` but no path parameter `{name}`"
            ));
        }
    }
    if let Some(p) = params
        .iter()
        .find(|p| p.location == ParamLocation::Path && !placeholders.contains(&p.name.as_str()))
    {
        return Err(format!(
            "the path parameter `{}` does not appear in the path",
            p.name
        ));
    }
    Ok(())
}
