//! The manifest's job waiters, checked against the model of their API: both operations exist,
//! every argument of the poll has a value in the start answer, the state is where it is said to
//! be, and the terminal states are values the state can take.

use std::path::Path;

use crate::diagnostics::{Error, Result};
use crate::model::{Api, Operation, ParamLocation, Response, TypeKind, TypeRef, Waiter};
use crate::pointer::unescaped;
use crate::settings::WaiterDecl;

/// The waiters of `api` that `decls` declare; errors point into the manifest at `at` (e.g.
/// `/api/2/waiter`).
pub(crate) fn resolve(
    api: &Api,
    decls: &[WaiterDecl],
    manifest: &Path,
    at: &str,
) -> Result<Vec<Waiter>> {
    decls
        .iter()
        .enumerate()
        .map(|(i, decl)| {
            let at = format!("{at}/{i}");
            resolve_one(api, decl)
                .map_err(|(field, message)| Error::new(manifest, format!("{at}/{field}"), message))
        })
        .collect()
}

/// A problem with one field of a declaration: the field and what is wrong.
type FieldProblem = (&'static str, String);

fn resolve_one(api: &Api, decl: &WaiterDecl) -> Result<Waiter, FieldProblem> {
    let start = operation(api, &decl.start).map_err(|m| ("start", m))?;
    let poll = operation(api, &decl.poll).map_err(|m| ("poll", m))?;
    let start_type = match &start.response {
        Response::Json(TypeRef::Named(name)) => name.clone(),
        _ => {
            return Err((
                "start",
                format!("`{}` does not answer with a JSON object", decl.start),
            ))
        }
    };
    let Response::Json(poll_type) = &poll.response else {
        return Err(("poll", format!("`{}` does not answer with JSON", decl.poll)));
    };
    if poll.body.as_ref().is_some_and(|b| b.required) {
        return Err(("poll", format!("`{}` needs a request body", decl.poll)));
    }

    let start_ref = TypeRef::Named(start_type.clone());
    let mut arguments = Vec::new();
    for param in poll.params.iter().filter(|p| p.required) {
        let Some(pointer) = decl.arguments.get(&param.name) else {
            return Err((
                "arguments",
                format!(
                    "no value for `{}`, a required parameter of `{}`",
                    param.name, decl.poll
                ),
            ));
        };
        if param.location == ParamLocation::Header || param.ty != TypeRef::String {
            return Err((
                "arguments",
                format!("`{}` is not a string path or query parameter", param.name),
            ));
        }
        let found = walk(api, &start_ref, pointer).map_err(|m| ("arguments", m))?;
        if !is_text(api, found) {
            return Err((
                "arguments",
                format!("`{pointer}` of `{start_type}` is not a string"),
            ));
        }
        arguments.push((param.rust_name.clone(), pointer.clone()));
    }
    if let Some(extra) = decl
        .arguments
        .keys()
        .find(|name| !poll.params.iter().any(|p| p.required && &p.name == *name))
    {
        return Err((
            "arguments",
            format!("`{extra}` is not a required parameter of `{}`", decl.poll),
        ));
    }

    let state = walk(api, poll_type, &decl.state).map_err(|m| ("state", m))?;
    let values = enum_values(api, state);
    for (field, states) in [("success", &decl.success), ("failure", &decl.failure)] {
        if states.is_empty() && field == "success" {
            return Err((field, "at least one state must end the wait".to_owned()));
        }
        if let Some(values) = &values {
            if let Some(unknown) = states.iter().find(|s| !values.contains(s)) {
                return Err((
                    field,
                    format!(
                        "`{unknown}` is not a value of the state at `{}`",
                        decl.state
                    ),
                ));
            }
        }
    }
    if !is_text(api, state) {
        return Err(("state", format!("`{}` is not a string", decl.state)));
    }

    Ok(Waiter {
        method: decl.method.clone(),
        start_type,
        start_fn: start.fn_name.clone(),
        poll_operation: poll.id.clone(),
        poll_fn: poll.fn_name.clone(),
        poll_type: poll_type.clone(),
        arguments,
        state: decl.state.clone(),
        success: decl.success.clone(),
        failure: decl.failure.clone(),
    })
}

fn operation<'a>(api: &'a Api, id: &str) -> Result<&'a Operation, String> {
    api.operations
        .iter()
        .find(|op| op.id == id)
        .ok_or_else(|| format!("`{id}` is not an operation of {}", api.title))
}

/// The type at `pointer` (JSON property names, e.g. `/status/state`) inside `ty`.
fn walk<'a>(api: &'a Api, ty: &'a TypeRef, pointer: &str) -> Result<&'a TypeRef, String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("`{pointer}` is not a JSON pointer"));
    };
    let mut current = ty;
    for segment in rest.split('/') {
        let segment = unescaped(segment);
        let fields = match resolved_kind(api, current) {
            Some(TypeKind::Struct(fields)) => fields,
            _ => return Err(format!("`{pointer}`: `{segment}` is not inside an object")),
        };
        current = &fields
            .iter()
            .find(|f| f.json_name == segment)
            .ok_or_else(|| format!("`{pointer}`: there is no property `{segment}`"))?
            .ty;
    }
    Ok(current)
}

/// The definition of a named type, through aliases.
fn resolved_kind<'a>(api: &'a Api, ty: &'a TypeRef) -> Option<&'a TypeKind> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    let def = api.types.iter().find(|t| &t.name == name)?;
    match &def.kind {
        TypeKind::Alias(target) => resolved_kind(api, target),
        kind => Some(kind),
    }
}

fn is_text(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Uuid)
        || matches!(resolved_kind(api, ty), Some(TypeKind::Enum(_)))
}

/// The values of a string enum, if `ty` is one.
fn enum_values(api: &Api, ty: &TypeRef) -> Option<Vec<String>> {
    match resolved_kind(api, ty) {
        Some(TypeKind::Enum(variants)) => Some(variants.iter().map(|v| v.value.clone()).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::build;
    use crate::settings::ApiSettings;

    const DEFINITION: &str = r#"
openapi: 3.0.3
info: {title: Jobs, version: "1"}
servers: [{url: "https://example.com/jobs"}]
paths:
  /jobs:
    post:
      operationId: start-job
      responses:
        "201":
          description: started
          content:
            application/json:
              schema:
                type: object
                required: [job]
                properties:
                  job: {type: object, required: [id], properties: {id: {type: string}, size: {type: integer}}}
  /jobs/{jobId}:
    get:
      operationId: get-job
      parameters:
        - {name: jobId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the job
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [Queued, Done, Failed]}
"#;

    fn api() -> Api {
        let definition = crate::load::parse(Path::new("jobs.yaml"), DEFINITION).unwrap();
        let settings = ApiSettings {
            accept: Some("application/json".into()),
            ..ApiSettings::default()
        };
        build(&definition, &settings, false).unwrap()
    }

    fn decl(arguments: &[(&str, &str)], state: &str, success: &[&str]) -> WaiterDecl {
        WaiterDecl {
            start: "start-job".into(),
            poll: "get-job".into(),
            arguments: arguments
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            state: state.into(),
            success: success.iter().map(|s| s.to_string()).collect(),
            failure: vec!["Failed".into()],
            method: "wait".into(),
        }
    }

    fn problem(decl: WaiterDecl) -> String {
        let error =
            resolve(&api(), &[decl], Path::new("manifest.toml"), "/api/0/waiter").unwrap_err();
        format!("{}: {}", error.pointer, error.message)
    }

    #[test]
    fn a_declared_waiter_resolves_to_the_poll_arguments_in_method_order() {
        let waiters = resolve(
            &api(),
            &[decl(&[("jobId", "/job/id")], "/state", &["Done"])],
            Path::new("manifest.toml"),
            "/api/0/waiter",
        )
        .unwrap();
        assert_eq!(waiters.len(), 1);
        let waiter = &waiters[0];
        assert_eq!(waiter.poll_fn, "get_job");
        assert_eq!(waiter.start_fn, "start_job");
        assert_eq!(
            waiter.arguments,
            [("job_id".to_owned(), "/job/id".to_owned())]
        );
    }

    #[test]
    fn mistakes_in_a_declaration_are_located_in_the_manifest() {
        let cases = [
            (
                decl(&[("jobId", "/job/nope")], "/state", &["Done"]),
                "/api/0/waiter/0/arguments: `/job/nope`: there is no property `nope`",
            ),
            (
                decl(&[("jobId", "/job/size")], "/state", &["Done"]),
                "/api/0/waiter/0/arguments: `/job/size` of `StartJobCreated` is not a string",
            ),
            (
                decl(&[], "/state", &["Done"]),
                "/api/0/waiter/0/arguments: no value for `jobId`, a required parameter of `get-job`",
            ),
            (
                decl(&[("jobId", "/job/id"), ("other", "/job/id")], "/state", &["Done"]),
                "/api/0/waiter/0/arguments: `other` is not a required parameter of `get-job`",
            ),
            (
                decl(&[("jobId", "/job/id")], "/state", &["Finished"]),
                "/api/0/waiter/0/success: `Finished` is not a value of the state at `/state`",
            ),
            (
                decl(&[("jobId", "/job/id")], "state", &["Done"]),
                "/api/0/waiter/0/state: `state` is not a JSON pointer",
            ),
        ];
        for (decl, expected) in cases {
            assert_eq!(problem(decl), expected);
        }
        let mut unknown = decl(&[("jobId", "/job/id")], "/state", &["Done"]);
        unknown.poll = "get-jobs".into();
        assert_eq!(
            problem(unknown),
            "/api/0/waiter/0/poll: `get-jobs` is not an operation of Jobs"
        );
    }
}
