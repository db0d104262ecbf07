//! `cargo xtask coverage`: per API, the operations of its catalogue (the portal's reference
//! index, written down in `spec/catalogues/`), those its definition has, those the committed
//! client offers, and how many examples the definition gives.
//!
//! Operations are matched by method and path (parameter names aside), so that a catalogue and a
//! definition may spell an operation id differently.

use std::fmt::Write as _;
use std::path::Path;

use generator::model::{Api, Direction};
use generator::Manifest;
use serde::Deserialize;
use serde_json::Value;

/// One API's coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub name: String,
    /// `METHOD /path` of each catalogued operation; empty when the API has no catalogue.
    pub catalogued: Vec<String>,
    pub defined: Vec<String>,
    /// Operations of the definition whose method the committed client has.
    pub generated: Vec<String>,
    pub request_examples: usize,
    pub response_examples: usize,
}

impl Coverage {
    /// Catalogued operations the definition lacks.
    pub fn missing(&self) -> Vec<&String> {
        self.catalogued
            .iter()
            .filter(|op| !self.defined.contains(op))
            .collect()
    }

    /// Operations of the definition the catalogue does not list.
    pub fn extra(&self) -> Vec<&String> {
        self.defined
            .iter()
            .filter(|op| !self.catalogued.contains(op))
            .collect()
    }
}

/// Coverage of every API of the manifest; catalogues are read from paths relative to `spec/`.
pub fn measure(root: &Path) -> Result<Vec<Coverage>, String> {
    let spec = crate::spec_dir(root);
    let manifest_path = spec.join("manifest.toml");
    let manifest = Manifest::load(&manifest_path).map_err(|e| e.to_string())?;
    let models = generator::generate(&generator::Settings {
        input: generator::Input::Manifest(&manifest_path),
        output: generator::Output::Models,
        strict: false,
    })
    .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (entry, api) in manifest.apis.iter().zip(models.apis) {
        let catalogued = match &entry.catalogue {
            Some(file) => {
                let path = spec.join(file);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                catalogue_operations(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => Vec::new(),
        };
        let module_rs = crate::apis_dir(root).join(&api.module).join("mod.rs");
        let generated_text = std::fs::read_to_string(&module_rs)
            .map_err(|e| format!("cannot read {}: {e}", module_rs.display()))?;
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(spec.join(&entry.file)).map_err(|e| e.to_string())?,
        )
        .map_err(|e| format!("{}: {e}", entry.file.display()))?;
        let (request_examples, response_examples) = count_examples(&api, &json);
        out.push(Coverage {
            name: entry.name.clone(),
            catalogued,
            defined: api
                .operations
                .iter()
                .map(|op| key(op.method.as_str(), &op.path))
                .collect(),
            generated: api
                .operations
                .iter()
                .filter(|op| generated_text.contains(&format!("pub fn {}(", op.fn_name)))
                .map(|op| key(op.method.as_str(), &op.path))
                .collect(),
            request_examples,
            response_examples,
        });
    }
    Ok(out)
}

/// The table `cargo xtask coverage` prints.
pub fn report(coverage: &[Coverage]) -> String {
    let mut out = String::from(
        "API | catalogued | defined | generated | request examples | response examples\n",
    );
    for c in coverage {
        writeln!(
            out,
            "{} | {} | {} | {} | {} | {}",
            c.name,
            c.catalogued.len(),
            c.defined.len(),
            c.generated.len(),
            c.request_examples,
            c.response_examples
        )
        .expect("writing to a String cannot fail");
    }
    for c in coverage {
        for op in c.missing() {
            writeln!(out, "{}: catalogued but not defined: {op}", c.name).unwrap();
        }
        for op in c.extra() {
            writeln!(out, "{}: defined, not in the catalogue: {op}", c.name).unwrap();
        }
        for op in c.defined.iter().filter(|op| !c.generated.contains(op)) {
            writeln!(
                out,
                "{}: defined but not in the generated client: {op}",
                c.name
            )
            .unwrap();
        }
    }
    out
}

/// `GET /itwins/{}/roles`: method and path with parameter names and a trailing `/` left out
/// (catalogues write `GET /itwins` for what the portal serves as `GET /itwins/`).
fn key(method: &str, path: &str) -> String {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    let mut normalized = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                normalized.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => normalized.push(c),
            _ => {}
        }
    }
    format!("{} {normalized}", method.to_ascii_uppercase())
}

/// A catalogue file: the operations of an API's reference index.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    operation: Vec<CatalogueOperation>,
}

/// One operation of a reference index, with the page it is documented on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // name, slug and page are for the reader of the file; only method and path are compared
struct CatalogueOperation {
    name: String,
    slug: String,
    method: String,
    path: String,
    page: String,
}

/// The operations of a catalogue as `METHOD /path` keys, in file order, each once.
pub fn catalogue_operations(text: &str) -> Result<Vec<String>, String> {
    let catalogue: Catalogue = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for op in &catalogue.operation {
        let key = key(&op.method, &op.path);
        if !found.contains(&key) {
            found.push(key);
        }
    }
    Ok(found)
}

/// Examples of request bodies and responses at the API's example sites, as the conformance
/// test counts them.
fn count_examples(api: &Api, definition: &Value) -> (usize, usize) {
    let (mut requests, mut responses) = (0, 0);
    for site in &api.example_sites {
        let Some(media) = definition.pointer(&site.pointer) else {
            continue;
        };
        let n = usize::from(media.get("example").is_some())
            + media
                .get("examples")
                .and_then(Value::as_object)
                .map_or(0, |e| e.len());
        match site.direction {
            Direction::Request => requests += n,
            Direction::Response => responses += n,
        }
    }
    (requests, responses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_operations_are_keyed_by_method_and_path() {
        let text = r#"
[[operation]]
name = "Get iTwin role"
slug = "get-itwin-role"
method = "GET"
path = "/accesscontrol/itwins/{id}/roles/{roleId}"
page = "https://developer.bentley.com/apis/access-control-v2/operations/get-itwin-role/"

[[operation]]
name = "Get my iTwins"
slug = "get-my-itwins"
method = "GET"
path = "/itwins/"
page = "https://developer.bentley.com/apis/itwins/operations/get-my-itwins/"
"#;
        assert_eq!(
            catalogue_operations(text).unwrap(),
            ["GET /accesscontrol/itwins/{}/roles/{}", "GET /itwins"]
        );
    }

    #[test]
    fn a_catalogue_entry_without_a_page_is_refused() {
        let text = "[[operation]]\nname = \"x\"\nslug = \"x\"\nmethod = \"GET\"\npath = \"/x\"\n";
        assert!(catalogue_operations(text).unwrap_err().contains("page"));
    }
}
