//! `multipart/form-data` bodies: the parts of a form kept as data, and encoded (with a fresh
//! boundary) for each attempt, since reqwest's `Form` can be sent only once.
//!
//! Default part content types follow OpenAPI 3.0 (Encoding Object): a primitive value is
//! `text/plain`, a file `application/octet-stream`, an object or an array of objects
//! `application/json`; an array of primitives or of files is one part per item, under the same
//! name. The definition's `encoding` object may give a part another content type and headers.

use std::fmt::{self, Debug, Display};
use std::path::Path;

use bytes::Bytes;
use futures_util::stream::Stream;
use reqwest::header::HeaderMap;

use super::header::header_pair;
use super::upload::{AttemptBody, BoxError, UploadBody};

/// What a primitive part is sent as when the definition says nothing else.
const TEXT: &str = "text/plain; charset=utf-8";
/// What a file part is sent as when neither the caller nor the definition says otherwise.
const OCTET_STREAM: &str = "application/octet-stream";
/// What an object part (or an array of objects) is sent as.
const JSON: &str = "application/json";

/// The contents of a file field of a `multipart/form-data` body, with its file name and media
/// type.
///
/// Made from bytes (`Vec<u8>`, [`Bytes`], `&'static [u8]`, with `From`), from a file
/// ([`open`](Self::open), [`from_file`](Self::from_file)), from a stream of chunks
/// ([`stream`](Self::stream)) or from any [`UploadBody`]:
///
/// ```no_run
/// # async fn example() -> std::io::Result<()> {
/// use itwin_platform_runtime::{FilePart, UploadBody};
///
/// let logo = FilePart::from(b"\x89PNG...".to_vec())
///     .file_name("logo.png")
///     .content_type("image/png");
/// let report = FilePart::open("report.pdf").await?; // file name `report.pdf`
/// let photo = FilePart::from(UploadBody::path("photo.jpg")).file_name("photo.jpg");
/// # Ok(()) }
/// ```
///
/// The contents follow the rules of [`UploadBody`], which holds them: bytes and a file named
/// by its path (opened again by each attempt) can be sent again when the call is retried. An
/// open file or a stream is read as it is sent, and only once: a call that would need another
/// attempt after it was sent fails with
/// [`Error::BodyNotReplayable`](super::Error::BodyNotReplayable) instead. Clones share the one
/// stream: whichever is sent first reads it.
#[derive(Clone)]
pub struct FilePart {
    contents: UploadBody,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// Contents from a stream of chunks, read as the request is sent; `length` is the total in
    /// bytes when known (the body then has a `Content-Length`; without it, it is sent chunked).
    /// One-shot, as [`UploadBody::stream`].
    pub fn stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        UploadBody::stream(stream, length).into()
    }

    /// Contents from an open file, read from its current position as the request is sent.
    /// One-shot, as [`UploadBody::file`].
    pub async fn from_file(file: tokio::fs::File) -> std::io::Result<Self> {
        Ok(UploadBody::file(file).await?.into())
    }

    /// The file at `path`, named after its last component. It is opened now, so that a file
    /// that cannot be read fails here, and again by each attempt (as [`UploadBody::path`]), so
    /// that the call can be retried.
    pub async fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        tokio::fs::File::open(path).await?;
        let part = FilePart::from(UploadBody::path(path));
        Ok(match path.file_name() {
            Some(name) => part.file_name(name.to_string_lossy()),
            None => part,
        })
    }

    /// The `filename` of the part's `Content-Disposition`. Many servers take a part for a file
    /// only when it has one.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's media type, such as `image/png`. Without one, the part has the content type
    /// the definition gives it, else `application/octet-stream`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Whether the part can be sent more than once (bytes and paths), so that a failed call
    /// can be retried: see [`UploadBody::is_replayable`].
    pub fn is_replayable(&self) -> bool {
        self.contents.is_replayable()
    }
}

/// Contents without a file name or media type yet.
impl From<UploadBody> for FilePart {
    fn from(contents: UploadBody) -> Self {
        FilePart {
            contents,
            file_name: None,
            content_type: None,
        }
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        UploadBody::from(bytes).into()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        UploadBody::from(bytes).into()
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        UploadBody::from(bytes).into()
    }
}

/// Says what the part holds, never the contents.
impl Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("contents", &self.contents)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// A `multipart/form-data` body as generated builders describe it: its parts in order, each
/// with its name, contents, media type and headers.
///
/// Generated code fills it from an operation's typed parts (`...Form`); you can too, to send
/// a form to an operation this crate does not have, with
/// [`Request::multipart_body`](super::Request::multipart_body).
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<Part>,
    /// The parts the last call added, which [`content_type`](Self::content_type) and
    /// [`part_header`](Self::part_header) apply to.
    last: std::ops::Range<usize>,
    /// Why a value could not be encoded; the request is refused when sent.
    invalid: Option<String>,
}

#[derive(Debug, Clone)]
struct Part {
    name: &'static str,
    value: Value,
    content_type: Option<String>,
    headers: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Json(Vec<u8>),
    File(FilePart),
}

/// Why a form cannot be encoded for an attempt.
#[derive(Debug)]
pub(super) enum FormError {
    /// A part read from a stream or an open file was sent by an earlier attempt.
    Consumed,
    /// A file part named by its path could not be opened.
    Io(std::io::Error),
    Invalid(String),
}

impl MultipartForm {
    /// A form with no parts.
    pub fn new() -> Self {
        Self::default()
    }

    fn add(mut self, values: impl IntoIterator<Item = (&'static str, Value)>) -> Self {
        let start = self.parts.len();
        self.parts
            .extend(values.into_iter().map(|(name, value)| Part {
                name,
                value,
                content_type: None,
                headers: Vec::new(),
            }));
        self.last = start..self.parts.len();
        self
    }

    /// A text part (`text/plain`) holding `value`, when it is `Some`.
    pub fn text(self, name: &'static str, value: Option<&impl Display>) -> Self {
        self.text_each(name, value)
    }

    /// One text part per item, all named `name`.
    pub fn text_each<T: Display>(
        self,
        name: &'static str,
        values: impl IntoIterator<Item = T>,
    ) -> Self {
        self.add(
            values
                .into_iter()
                .map(|value| (name, Value::Text(value.to_string()))),
        )
    }

    /// A part holding `value` as JSON (`application/json`), when it is `Some`.
    pub fn json(mut self, name: &'static str, value: Option<&impl serde::Serialize>) -> Self {
        let encoded = value.map(serde_json::to_vec).transpose();
        match encoded {
            Ok(value) => self.add(value.map(|bytes| (name, Value::Json(bytes)))),
            Err(error) => {
                self.invalid
                    .get_or_insert_with(|| format!("the part `{name}` is not valid JSON: {error}"));
                self.add(None)
            }
        }
    }

    /// A file part, when `file` is `Some`.
    pub fn file(self, name: &'static str, file: Option<&FilePart>) -> Self {
        self.files(name, file)
    }

    /// One file part per item, all named `name`.
    pub fn files<'f>(
        self,
        name: &'static str,
        files: impl IntoIterator<Item = &'f FilePart>,
    ) -> Self {
        self.add(
            files
                .into_iter()
                .map(|file| (name, Value::File(file.clone()))),
        )
    }

    /// The media type of the parts the previous call added, where the definition's `encoding`
    /// gives one; a file's own [`FilePart::content_type`] comes first.
    pub fn content_type(mut self, content_type: &str) -> Self {
        for part in &mut self.parts[self.last.clone()] {
            part.content_type = Some(content_type.to_owned());
        }
        self
    }

    /// A header of the parts the previous call added (from the definition's `encoding`), when
    /// `value` is `Some`.
    pub fn part_header(mut self, name: &'static str, value: Option<&impl Display>) -> Self {
        if let Some(value) = value {
            let value = value.to_string();
            for part in &mut self.parts[self.last.clone()] {
                part.headers.push((name, value.clone()));
            }
        }
        self
    }

    /// Whether every part can be sent more than once: see [`FilePart::is_replayable`].
    pub fn is_replayable(&self) -> bool {
        self.parts.iter().all(|part| match &part.value {
            Value::File(file) => file.is_replayable(),
            Value::Text(_) | Value::Json(_) => true,
        })
    }

    /// The form for one attempt: files named by a path are opened, a part read from a stream
    /// is taken, so that a second call fails.
    pub(super) async fn encode(&self) -> Result<reqwest::multipart::Form, FormError> {
        if let Some(reason) = &self.invalid {
            return Err(FormError::Invalid(reason.clone()));
        }
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            form = form.part(part.name, part.encode().await?);
        }
        Ok(form)
    }
}

impl Part {
    async fn encode(&self) -> Result<reqwest::multipart::Part, FormError> {
        let invalid = |reason: String| FormError::Invalid(reason);
        let (part, content_type) = match &self.value {
            Value::Text(text) => (
                reqwest::multipart::Part::text(text.clone()),
                self.content_type.as_deref().unwrap_or(TEXT),
            ),
            Value::Json(bytes) => (
                reqwest::multipart::Part::bytes(bytes.clone()),
                self.content_type.as_deref().unwrap_or(JSON),
            ),
            Value::File(file) => {
                let AttemptBody { body, length } = file
                    .contents
                    .for_attempt()
                    .await
                    .map_err(FormError::Io)?
                    .ok_or(FormError::Consumed)?;
                let part = match length {
                    Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
                    None => reqwest::multipart::Part::stream(body),
                };
                let part = match &file.file_name {
                    Some(name) => part.file_name(name.clone()),
                    None => part,
                };
                let content_type = file
                    .content_type
                    .as_deref()
                    .or(self.content_type.as_deref())
                    .unwrap_or(OCTET_STREAM);
                (part, content_type)
            }
        };
        let part = part.mime_str(content_type).map_err(|_| {
            invalid(format!(
                "the content type `{content_type}` of the part `{}` is not a media type",
                self.name
            ))
        })?;
        if self.headers.is_empty() {
            return Ok(part);
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let (name, value) = header_pair(name, value)
                .map_err(|reason| invalid(format!("in the part `{}`: {reason}", self.name)))?;
            headers.append(name, value);
        }
        Ok(part.headers(headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_apply_to_the_parts_the_previous_call_added() {
        let form = MultipartForm::new()
            .text_each("tag", ["a", "b"])
            .part_header("X-Tag", Some(&1))
            .text("note", None::<&String>)
            .content_type("text/markdown");
        assert_eq!(form.parts.len(), 2);
        assert!(form
            .parts
            .iter()
            .all(|p| p.headers == [("X-Tag", "1".into())]));
        assert!(form.parts.iter().all(|p| p.content_type.is_none()));
    }

    #[tokio::test]
    async fn a_streamed_part_is_encoded_once_and_bytes_every_time() {
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("x"))]);
        let file = FilePart::stream(chunks, Some(1));
        let form = MultipartForm::new().file("file", Some(&file));
        assert!(!form.is_replayable());
        assert!(form.encode().await.is_ok());
        assert!(matches!(form.encode().await, Err(FormError::Consumed)));
        let bytes = MultipartForm::new().file("file", Some(&FilePart::from(&b"x"[..])));
        assert!(bytes.is_replayable());
        assert!(bytes.encode().await.is_ok() && bytes.encode().await.is_ok());
    }

    #[tokio::test]
    async fn a_part_from_a_path_is_opened_by_each_encoding() {
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        let file = FilePart::open(manifest).await.unwrap();
        assert_eq!(file.file_name.as_deref(), Some("Cargo.toml"));
        let form = MultipartForm::new().file("file", Some(&file));
        assert!(form.is_replayable());
        assert!(form.encode().await.is_ok() && form.encode().await.is_ok());

        let missing = FilePart::from(UploadBody::path("/no/such/dir/report.pdf"));
        let form = MultipartForm::new().file("file", Some(&missing));
        let error = form.encode().await.err();
        assert!(
            matches!(&error, Some(FormError::Io(e)) if e.to_string().contains("report.pdf")),
            "{error:?}"
        );
    }

    #[test]
    fn debug_shows_no_contents() {
        let file = FilePart::from(b"secret".to_vec()).file_name("a.txt");
        let shown = format!("{file:?}");
        assert!(
            !shown.contains("secret") && shown.contains("a.txt"),
            "{shown}"
        );
    }
}
