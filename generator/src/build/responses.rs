//! What an operation answers: its success bodies (one type, one per status, or one per
//! `Prefer: return=...`), the headers it documents, and where its examples are.

use openapiv3::{ReferenceOr, Response as OaResponse, Schema, SchemaKind, StatusCode};

use super::{is_json, Builder};
use crate::diagnostics::Result;
use crate::model::{Direction, ExampleSite, PreferShapes, Response, StatusVariant, TypeRef};
use crate::names;
use crate::pointer::Pointer;

/// The values of a `Prefer` header parameter that select the answer's shape, in the order
/// of its enum; the i-th alternative of a `oneOf` or `anyOf` success body answers the i-th value.
pub(super) const PREFER_VALUES: [&str; 2] = ["return=minimal", "return=representation"];

/// What a status answers, before statuses are merged into one [`Response`].
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Empty,
    Bytes,
    /// Only `text/plain`.
    Text,
    /// One type, or the alternatives of a `oneOf`.
    Json(Vec<TypeRef>),
}

/// The success side of an operation.
pub(super) struct Answers {
    pub response: Response,
    pub prefer: Option<PreferShapes>,
    pub headers: Vec<String>,
    /// The media types of the success answers that are not JSON, in the order first seen.
    pub other_media_types: Vec<String>,
    /// The lowest success status, and the example of its JSON body.
    pub status: u16,
    pub example: Option<String>,
    /// Whether a redirect (`3xx`) is documented: it is an answer, not followed.
    pub redirects: bool,
}

struct Success {
    status: u16,
    example: Option<String>,
    answer: Answer,
    description: String,
    at: Pointer,
}

impl Builder<'_> {
    /// Reads every response of `op`: success bodies become the operation's [`Answers`], and
    /// every JSON body (errors too) becomes an [`ExampleSite`].
    ///
    /// `prefer` is the wire name of the operation's `Prefer` parameter, if it selects shapes.
    pub(super) fn answers(
        &mut self,
        op: &openapiv3::Operation,
        owner: &str,
        prefer: Option<&str>,
        at: &Pointer,
    ) -> Result<Answers> {
        let mut successes: Vec<Success> = Vec::new();
        let mut headers: Vec<String> = Vec::new();
        let mut other_media_types: Vec<String> = Vec::new();
        let redirects = op.responses.responses.keys().any(|status| {
            matches!(status, StatusCode::Code(code) if (300..400).contains(code))
                || *status == StatusCode::Range(3)
        });
        for (status, response) in &op.responses.responses {
            let status_at = at.push(status);
            let (response, response_at) = self.resolve(response, "responses", &status_at)?;
            let code = match status {
                StatusCode::Code(code) => *code,
                // A range has no one status to match: its body is taken as the 200 answer's.
                StatusCode::Range(2) => {
                    self.unsupported(&status_at, "a 2XX range is read as 200");
                    200
                }
                StatusCode::Range(_) => continue,
            };
            let hint = format!("{owner}{}", status_word(code));
            let answer = self.answer(&response, &hint, prefer.is_some(), &response_at)?;
            if (200..300).contains(&code) {
                for content_type in response.content.keys() {
                    if is_json(content_type) {
                        self.note_answer_type(content_type);
                    } else if !other_media_types.contains(content_type) {
                        other_media_types.push(content_type.clone());
                    }
                }
            }
            // A 2XX read as 200 beside a 200 of its own adds nothing.
            if (300..400).contains(&code) {
                // A redirect answers with its headers (`Location`), which the caller reads.
                for name in response.headers.keys() {
                    if !headers.iter().any(|h| h.eq_ignore_ascii_case(name)) {
                        headers.push(name.clone());
                    }
                }
            }
            let known = successes.iter().any(|s| s.status == code);
            if (200..300).contains(&code) && !known {
                for name in response.headers.keys() {
                    if !headers.iter().any(|h| h.eq_ignore_ascii_case(name)) {
                        headers.push(name.clone());
                    }
                }
                successes.push(Success {
                    status: code,
                    example: json_example(&response),
                    answer,
                    description: response.description.clone(),
                    at: status_at,
                });
            }
        }
        if successes.is_empty() {
            // Only `default` (read as the error, like every non-2xx answer), 1XX or nothing: no
            // body type to promise. Only redirects: they are the answer, with their headers.
            if !redirects {
                self.unsupported(
                    at,
                    "the operation documents no success (2xx) answer; it returns the raw answer (status, headers, bytes)",
                );
            }
            return Ok(Answers {
                response: Response::Raw,
                prefer: None,
                headers,
                other_media_types,
                status: 200,
                example: None,
                redirects,
            });
        }
        let alternatives = successes.iter().find_map(|s| match &s.answer {
            Answer::Json(types) if types.len() > 1 => Some((types.len(), &s.at)),
            _ => None,
        });
        let (response, prefer) = match (alternatives, prefer) {
            (None, _) => (merge(&successes, owner, 0), None),
            (Some((2, _)), Some(header)) => {
                let shapes = PreferShapes {
                    header: header.to_owned(),
                    representation: merge(&successes, &format!("{owner}Representation"), 1),
                };
                (merge(&successes, owner, 0), Some(shapes))
            }
            (Some((_, at)), _) => {
                return Err(self.error(
                    at,
                    "a `oneOf` or `anyOf` success body is supported only as the two shapes of a `Prefer` header whose enum is [return=minimal, return=representation]",
                ))
            }
        };
        let first = successes.iter().min_by_key(|s| s.status);
        Ok(Answers {
            response,
            prefer,
            headers,
            other_media_types,
            status: first.map_or(200, |s| s.status),
            example: first.and_then(|s| s.example.clone()),
            redirects,
        })
    }

    /// `shapes`: whether a `oneOf`/`anyOf` body is two shapes chosen by `Prefer` (else it is
    /// one enum type).
    fn answer(
        &mut self,
        response: &OaResponse,
        hint: &str,
        shapes: bool,
        at: &Pointer,
    ) -> Result<Answer> {
        let Some((content_type, media)) = response.content.iter().find(|(ct, _)| is_json(ct))
        else {
            return Ok(if response.content.is_empty() {
                Answer::Empty
            } else if response.content.keys().all(|ct| is_text(ct)) {
                Answer::Text
            } else {
                Answer::Bytes
            });
        };
        let media_at = at.push("content").push(content_type);
        let types = match &media.schema {
            None => vec![TypeRef::Json],
            Some(schema) if shapes => self.alternatives(schema, hint, &media_at.push("schema"))?,
            Some(schema) => vec![self.types.type_of(schema, hint, &media_at.push("schema"))?],
        };
        self.examples.push(ExampleSite {
            pointer: media_at.as_str().to_owned(),
            direction: Direction::Response,
            types: types.clone(),
        });
        Ok(Answer::Json(types))
    }

    /// The types of a body schema: one, or each alternative of an inline `oneOf` or `anyOf`
    /// (`anyOf` where the shapes overlap, as a minimal shape does with the full one).
    fn alternatives(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &Pointer,
    ) -> Result<Vec<TypeRef>> {
        let (keyword, alternatives) = match schema {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::OneOf { one_of },
                ..
            }) => ("oneOf", one_of),
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::AnyOf { any_of },
                ..
            }) => ("anyOf", any_of),
            _ => return Ok(vec![self.types.type_of(schema, hint, at)?]),
        };
        if alternatives.is_empty() {
            return Ok(vec![self.types.type_of(schema, hint, at)?]);
        }
        alternatives
            .iter()
            .enumerate()
            .map(|(i, alternative)| {
                let hint = format!("{hint}{}", i + 1);
                self.types
                    .type_of(alternative, &hint, &at.push(keyword).push(i))
            })
            .collect()
    }
}

/// Whether a media type is plain text (`text/plain`, with or without parameters).
fn is_text(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/plain")
}

/// The example of a response's JSON body: the media type's `example`, else the first of its
/// `examples` given inline (a `$ref` to a shared example is not followed).
fn json_example(response: &OaResponse) -> Option<String> {
    let (_, media) = response.content.iter().find(|(ct, _)| is_json(ct))?;
    let value = media.example.as_ref().or_else(|| {
        media.examples.values().find_map(|example| match example {
            ReferenceOr::Item(example) => example.value.as_ref(),
            ReferenceOr::Reference { .. } => None,
        })
    })?;
    Some(value.to_string())
}

/// One [`Response`] for all success statuses, taking alternative `pick` of `oneOf` bodies.
fn merge(successes: &[Success], owner: &str, pick: usize) -> Response {
    let bodies: Vec<Response> = successes
        .iter()
        .map(|s| match &s.answer {
            Answer::Empty => Response::Empty,
            Answer::Bytes => Response::Bytes,
            Answer::Text => Response::Text,
            Answer::Json(types) => Response::Json(types[pick.min(types.len() - 1)].clone()),
        })
        .collect();
    if bodies.iter().all(|b| *b == bodies[0]) {
        return bodies[0].clone();
    }
    let variants = successes
        .iter()
        .zip(bodies)
        .map(|(success, body)| StatusVariant {
            status: success.status,
            rust_name: status_word(success.status),
            body,
            description: Some(success.description.clone()).filter(|d| !d.trim().is_empty()),
        })
        .collect();
    Response::ByStatus {
        name: format!("{owner}Response"),
        variants,
    }
}

/// A name for a status: its reason phrase in UpperCamelCase (`201` → `Created`).
fn status_word(status: u16) -> String {
    let reason = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{status}"),
    };
    names::upper_camel(reason)
}
