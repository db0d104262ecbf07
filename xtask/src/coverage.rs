//! `cargo xtask coverage`: per API, the operations its facts catalogue lists, those its
//! definition has, those the committed client offers, and how many examples the definition gives.
//!
//! Operations are matched by method and path (parameter names aside), so that a catalogue and a
//! definition may spell an operation id differently.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use generator::manifest::Manifest;
use generator::model::{Api, Direction};
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

/// Coverage of every API of the manifest; catalogues are read from `reference_dir`.
pub fn measure(root: &Path, reference_dir: &Path) -> Result<Vec<Coverage>, String> {
    let spec = crate::spec_dir(root);
    let manifest = Manifest::load(&spec.join("manifest.toml")).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for entry in &manifest.apis {
        let definition = generator::load(&spec.join(&entry.file)).map_err(|e| e.to_string())?;
        let api = generator::build(&definition, &entry.settings()).map_err(|e| e.to_string())?;
        let catalogued = match &entry.catalogue {
            Some(file) => {
                let path = reference_dir.join(file);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                catalogue_operations(&text)
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

/// `../shared/reference` beside the workspace, or `$ITWIN_REFERENCE_DIR`.
pub fn reference_dir(root: &Path) -> PathBuf {
    std::env::var_os("ITWIN_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.parent().unwrap_or(root).join("shared/reference"))
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

/// Operations in a catalogue: table rows whose method-and-path cell reads `GET /path`, and
/// headings' bold lines of the form **`GET /path`**. Only sections before "Shared component
/// schemas" count, so that briefly listed neighbouring APIs are left out.
pub fn catalogue_operations(text: &str) -> Vec<String> {
    const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    let mut found = Vec::new();
    for line in text.lines() {
        if line.starts_with("## ") && line.contains("Shared component schemas") {
            break;
        }
        let candidates: Vec<&str> = if line.starts_with('|') {
            line.split('|').map(str::trim).collect()
        } else if let Some(bold) = line.strip_prefix("- **`") {
            vec![bold.trim_end_matches("`**")]
        } else {
            continue;
        };
        for cell in candidates {
            let mut words = cell.split_whitespace();
            let (Some(method), Some(path)) = (words.next(), words.next()) else {
                continue;
            };
            if METHODS.contains(&method) && path.starts_with('/') {
                let path = path.trim_end_matches(['`', '*']);
                let op = key(method, path);
                if !found.contains(&op) {
                    found.push(op);
                }
            }
        }
    }
    found
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
    fn catalogue_rows_and_headings_become_operations() {
        let text = "\
| Roles | Get iTwin role | get-itwin-role | GET /accesscontrol/itwins/{id}/roles/{roleId} | confirm |
| Image | Upload iTwin image | upload-itwin-image | PUT /itwins/{id}/image (binary body) | confirm |
- **`DELETE /insights/reporting/datasources/imodels/{imodelId}/mappings/{mappingId}`**
- Purpose: GET /not/an/operation in prose
## 5. Shared component schemas
| x | GET /after/the/end | y |
";
        assert_eq!(
            catalogue_operations(text),
            [
                "GET /accesscontrol/itwins/{}/roles/{}",
                "PUT /itwins/{}/image",
                "DELETE /insights/reporting/datasources/imodels/{}/mappings/{}",
            ]
        );
    }
}
