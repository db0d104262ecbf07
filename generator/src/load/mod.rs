//! The first stage: a definition file read into an OpenAPI 3.0 document, whatever it is written
//! in. A Swagger 2.0 file (`swagger`) or an OpenAPI 3.1 file (`openapi31`) is converted to 3.0;
//! nodes the document model cannot hold are mended (`mend`); a node that does not read is located
//! by JSON pointer (`locate`); the path items of a 3.0 JSON file are left as text until the build
//! reads them (`openapi3_json`). [`Definition`] is what the build takes.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde_json::Value;

use crate::diagnostics::{Error, Problem, Result};
use crate::pointer::Pointer;

mod deep_targets;
mod locate;
mod mend;
mod openapi31;
mod openapi3_json;
mod swagger;
mod type_lists;

pub(crate) use deep_targets::Targets;
pub(crate) use swagger::TSV_EXTENSION;

/// A parsed OpenAPI 3.0 definition together with where it came from.
#[derive(Debug, Clone)]
pub struct Definition {
    /// The file it was read from; every error names it.
    pub file: PathBuf,
    /// The definition as OpenAPI 3.0. The path items of an OpenAPI 3.0 JSON file are left as
    /// text, and its `paths` has none: read them with [`Definition::for_each_path_item`].
    pub document: OpenAPI,
    /// The version the file is written in; a Swagger 2.0 or OpenAPI 3.1 file is converted to
    /// 3.0 on reading.
    pub format: Format,
    /// What the conversion to 3.0 could not carry over, and nodes the reading mended
    /// (`mend`), each with its fallback (pointers into the file as written); the build
    /// reports them with its own warnings, or refuses the definition when strict.
    pub conversion_warnings: Vec<Problem>,
    /// Nodes the conversion moved: `(pointer in the converted document, pointer in the file)`.
    moved: Vec<(String, String)>,
    /// What `$ref`s below the components' own entries lead to, as written (see
    /// [`deep_targets::deep_targets`]): the document model drops keywords it does not know.
    pub(crate) deep_targets: Targets,
    /// The path items of an OpenAPI 3.0 JSON file, left as text until the build reads them
    /// (see [`Definition::for_each_path_item`]); `document.paths` then has none.
    pub(crate) unread_paths: Option<UnreadPaths>,
}

/// Path items as text: a path item read takes several kilobytes (room for every method's
/// operation) and its operations many more, so the path items of a large definition, held at
/// once, were most of the memory generating it took (Microsoft Graph beta: 410 of 580 MB).
#[derive(Clone)]
pub(crate) struct UnreadPaths {
    /// The file's text.
    pub text: Arc<str>,
    /// Each path item's key and where its text is.
    pub items: Vec<(String, Range<usize>)>,
}

impl std::fmt::Debug for UnreadPaths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UnreadPaths({} path items)", self.items.len())
    }
}

/// A path item left as text does not read as one; [`Definition::read_whole`] reads the file
/// the general way, which says where and why (or mends it).
#[derive(Debug)]
pub struct Unreadable;

/// How much text of path items is read at a time: enough to share out between cores, and
/// small, since a batch read is several times its text and the reading stays a batch or two
/// ahead of the build (Microsoft Graph beta: 5.5 s and 436 MiB with 1 MB batches, 5.7 s and
/// up to 473 MiB with 4 MB).
const PATH_ITEM_BATCH: usize = 1 << 20;

/// The version of the OpenAPI Specification a definition file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenAPI 3.0.x, read as it is.
    OpenApi3,
    /// OpenAPI 3.1.x, converted to 3.0 on reading.
    OpenApi31,
    /// Swagger 2.0, converted to 3.0 on reading.
    Swagger2,
}

impl Definition {
    /// Calls `each` with every path item and its key, in order: read already, or, for path
    /// items left as text, read now, a batch at a time on all cores, so that they are never all
    /// held at once.
    pub fn for_each_path_item(
        &self,
        mut each: impl FnMut(&str, &ReferenceOr<PathItem>),
    ) -> std::result::Result<(), Unreadable> {
        let Some(unread) = &self.unread_paths else {
            self.document
                .paths
                .paths
                .iter()
                .for_each(|(key, item)| each(key, item));
            return Ok(());
        };
        let mut complete = true;
        crate::parallel::for_each_in_order(
            unread.items.iter().collect(),
            PATH_ITEM_BATCH,
            |(_, range)| range.len(),
            |(key, range)| {
                let item =
                    serde_json::from_str::<ReferenceOr<PathItem>>(&unread.text[range.clone()]);
                (key, item.ok())
            },
            |(key, item)| match item {
                Some(item) if complete => each(key, &item),
                _ => complete = false,
            },
        );
        if complete {
            Ok(())
        } else {
            Err(Unreadable)
        }
    }

    /// The definition read whole the general way, for one whose path items were left as text.
    pub fn read_whole(&self) -> Result<Definition> {
        match &self.unread_paths {
            Some(unread) => parse_general(&self.file, &unread.text),
            None => Ok(self.clone()),
        }
    }

    /// `error` with the pointers of its problems into the file as written.
    pub fn locate(&self, mut error: Error) -> Error {
        for problem in error.problems_mut() {
            problem.pointer = self.source_pointer(&problem.pointer);
        }
        error
    }

    /// Where a pointer into the document read (for a Swagger 2.0 or OpenAPI 3.1 file, the
    /// converted document) points in the file as written.
    pub fn source_pointer(&self, pointer: &str) -> String {
        match self.format {
            Format::Swagger2 => swagger::source_pointer(pointer),
            Format::OpenApi31 => openapi31::source_pointer(&self.moved, pointer),
            Format::OpenApi3 => pointer.to_owned(),
        }
    }
}

/// Reads a definition (JSON or YAML) from disk.
pub fn load(file: &Path) -> Result<Definition> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::new(file, "", format!("cannot read the file: {e}")))?;
    parse(file, &text)
}

/// Parses definition text; `file` names the source in errors and picks JSON or YAML.
pub fn parse(file: &Path, text: &str) -> Result<Definition> {
    if let Some(definition) = openapi3_json::read(file, text) {
        return Ok(definition);
    }
    parse_general(file, text)
}

/// Parses definition text through its JSON tree, which every version and format can take, and
/// which locates any node that does not read.
fn parse_general(file: &Path, text: &str) -> Result<Definition> {
    let tree = parse_tree(file, text)?;
    let format = check_version(file, &tree)?;
    let (mut conversion_warnings, mut moved) = (Vec::new(), Vec::new());
    let mut value = match format {
        Format::OpenApi3 => tree,
        Format::Swagger2 => {
            let (document, warnings) =
                swagger::to_openapi3(tree).map_err(|p| Error::from(p.in_file(file)))?;
            conversion_warnings = warnings.into_iter().map(|p| p.in_file(file)).collect();
            document
        }
        Format::OpenApi31 => {
            let converted = openapi31::to_openapi30(&tree);
            let in_file = converted.warnings.into_iter().map(|p| p.in_file(file));
            (conversion_warnings, moved) = (in_file.collect(), converted.moved);
            converted.document
        }
    };
    explicit_form_explode(&mut value);
    let definition = Definition {
        file: file.to_path_buf(),
        // Replaced below; `locate` needs the format to map pointers.
        document: OpenAPI::default(),
        format,
        conversion_warnings,
        moved,
        deep_targets: deep_targets::deep_targets(&value),
        unread_paths: None,
    };
    mend::inline_callback_references(&mut value);
    let mut mended = Vec::new();
    let document = loop {
        let error = match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
            Ok(document) => break Ok(document),
            Err(e) => e,
        };
        let outer = pointer_of(error.path());
        // A deeper node found by walking the tree beats the path serde could track.
        let pointer = locate::failing_node(&value)
            .map(String::from)
            .filter(|p| p.len() > outer.len())
            .unwrap_or(outer);
        // Each mend removes a node, so this ends.
        match mend::drop_pattern_of_wrong_type(&mut value, &pointer) {
            Some(warning) => mended.push(warning),
            None => break Err((error, pointer)),
        }
    };
    let mut definition = definition;
    for warning in mended {
        let pointer = definition.source_pointer(&warning.pointer);
        definition.conversion_warnings.push(Problem {
            pointer,
            ..warning.in_file(file)
        });
    }
    let document = document.map_err(|(e, pointer)| {
        let what = match format {
            Format::OpenApi3 => "OpenAPI 3.0",
            Format::OpenApi31 => "OpenAPI 3.1",
            Format::Swagger2 => "Swagger 2.0",
        };
        definition.locate(Error::new(
            file,
            pointer,
            format!("not a valid {what} node: {}", e.inner()),
        ))
    })?;
    Ok(Definition {
        document,
        ..definition
    })
}

/// Writes `explode: true` into each `form` (or unstyled) `encoding` of a request body that does
/// not say: `form` explodes by default, but openapiv3 reads an absent `explode` as false.
fn explicit_form_explode(document: &mut Value) {
    let in_paths = document
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation.get_mut("requestBody"));
    in_paths.for_each(explicit_in_body);
    let in_components = document
        .pointer_mut("/components/requestBodies")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|bodies| bodies.values_mut());
    in_components.for_each(explicit_in_body);
}

fn explicit_in_body(body: &mut Value) {
    let encodings = body
        .get_mut("content")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|content| content.values_mut())
        .filter_map(|media| media.get_mut("encoding").and_then(Value::as_object_mut))
        .flat_map(|encoding| encoding.values_mut())
        .filter_map(Value::as_object_mut);
    for encoding in encodings {
        let form = matches!(
            encoding.get("style").and_then(Value::as_str),
            None | Some("form")
        );
        if form && !encoding.contains_key("explode") {
            encoding.insert("explode".into(), Value::Bool(true));
        }
    }
}

pub(crate) fn is_json(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn parse_tree(file: &Path, text: &str) -> Result<Value> {
    if is_json(file) {
        serde_json::from_str(text).map_err(|e| {
            Error::new(
                file,
                "",
                format!(
                    "invalid JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            )
        })
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
                .unwrap_or_default();
            Error::new(file, "", format!("invalid YAML{at}: {e}"))
        })
    }
}

/// OpenAPI 3.0.x, 3.1.x and Swagger 2.0 are read; anything else is named in the error rather than
/// misread.
fn check_version(file: &Path, value: &Value) -> Result<Format> {
    let Some(object) = value.as_object() else {
        return Err(Error::new(
            file,
            "",
            "a definition must be a JSON or YAML object",
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        return match swagger {
            Value::String(v) if v == "2.0" => Ok(Format::Swagger2),
            other => Err(Error::new(
                file,
                "/swagger",
                format!(
                    "Swagger version {} is not supported; this generator reads Swagger 2.0 and OpenAPI 3.0.x and 3.1.x",
                    display(other)
                ),
            )),
        };
    }
    match object.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(Format::OpenApi3),
        Some(Value::String(v)) if v.starts_with("3.1.") => Ok(Format::OpenApi31),
        Some(v) => Err(Error::new(
            file,
            "/openapi",
            format!(
                "OpenAPI version {} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x, and Swagger 2.0",
                display(v)
            ),
        )),
        None => Err(Error::new(file, "", "missing the `openapi` version field")),
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// serde_path_to_error's path (`paths./x.get`) as a JSON pointer (`/paths/~1x/get`).
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.push(index),
            Segment::Map { key } => pointer.push(key),
            Segment::Enum { variant } => pointer.push(variant),
            Segment::Unknown => pointer.push("?"),
        };
    }
    pointer.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(file: &str, text: &str) -> Error {
        parse(Path::new(file), text).expect_err("definition should be rejected")
    }

    #[test]
    fn swagger_versions_other_than_2_are_named_in_the_error() {
        let e = err("a.json", r#"{"swagger": "3.0", "info": {}}"#);
        assert_eq!(e.pointer, "/swagger");
        assert!(e.message.contains("Swagger version 3.0"), "{e}");
    }

    #[test]
    fn a_bad_swagger_2_node_is_named_as_such() {
        let e = err("a.json", r#"{"swagger": "2.0", "info": {}, "paths": {}}"#);
        assert_eq!(e.pointer, "/info");
        assert!(e.message.contains("not a valid Swagger 2.0 node"), "{e}");
    }

    #[test]
    fn openapi_versions_other_than_3_0_and_3_1_are_named_in_the_error() {
        for version in ["3.2.0", "4.0.0", "3"] {
            let text = format!("openapi: {version}\ninfo: {{title: t, version: v}}\npaths: {{}}\n");
            let e = err("a.yaml", &text);
            assert_eq!(e.pointer, "/openapi");
            let expected =
                format!("a.yaml: at /openapi: OpenAPI version {version} is not supported");
            assert!(e.to_string().starts_with(&expected), "{e}");
        }
    }

    #[test]
    fn openapi_3_1_is_read_as_3_0_with_its_warnings() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: v}\nwebhooks: {a: {}}\n";
        let definition = parse(Path::new("a.yaml"), text).unwrap();
        assert_eq!(definition.format, Format::OpenApi31);
        assert!(definition.document.paths.paths.is_empty());
        assert_eq!(definition.conversion_warnings.len(), 1);
        assert_eq!(definition.conversion_warnings[0].pointer, "/webhooks");
        assert_eq!(definition.conversion_warnings[0].file, Path::new("a.yaml"));
        let e = crate::build::build(&definition, &Default::default(), true).unwrap_err();
        assert_eq!(e.pointer, "/webhooks");
    }

    #[test]
    fn a_bad_node_of_a_3_1_file_is_located_where_it_is_written() {
        // The `$ref` with a sibling is wrapped in `allOf` by the conversion; the error about
        // it points at the node as written.
        let text = "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing', description: d}\n";
        let definition = parse(Path::new("a.yaml"), text).unwrap();
        let e = crate::build::build(&definition, &Default::default(), false).unwrap_err();
        assert_eq!(e.pointer, "/components/schemas/A/properties/b", "{e}");
    }

    #[test]
    fn warnings_of_a_swagger_2_file_point_into_it() {
        let text = "swagger: '2.0'\ninfo: {title: t, version: v}\npaths: {}\ndefinitions:\n  Thing:\n    type: object\n    properties:\n      x: {allOf: []}\n";
        let definition = parse(Path::new("a.yaml"), text).unwrap();
        let api = crate::build::build(&definition, &Default::default(), false).unwrap();
        let pointers: Vec<&str> = api.warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["/definitions/Thing/properties/x"]);
    }

    #[test]
    fn a_bad_node_is_located_by_json_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses:\n        '200': 5\n";
        let e = err("a.yaml", text);
        assert!(e.pointer.starts_with("/paths/~1a/get/responses"), "{e}");
    }

    #[test]
    fn syntax_errors_give_the_line() {
        let e = err("a.json", "{\n  \"openapi\": \"3.0.3\",\n  oops\n}");
        assert!(e.message.contains("line 3"), "{e}");
    }
}
