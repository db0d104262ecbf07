//! Helpers shared by the test targets: the seed pages' examples, and a client for a mock server.

#![allow(dead_code)] // each test target uses its own part

use std::path::PathBuf;

use serde_json::Value;

/// Where an example stands on a seed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    RequestBody,
    Response(u16),
}

#[derive(Debug, Clone)]
pub struct SeedExample {
    pub place: Place,
    pub json: Value,
}

/// `../shared/seeds` beside the workspace, or `$ITWIN_SEEDS_DIR`.
pub fn seeds_dir() -> PathBuf {
    std::env::var_os("ITWIN_SEEDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            xtask::workspace_root()
                .parent()
                .expect("the workspace has a parent")
                .join("shared/seeds")
        })
}

/// Every example payload of the seed page whose file name starts with `prefix` (e.g. "004"),
/// in page order. Schema listings (`{"type": "object", ...}`) are not examples and are skipped.
pub fn seed_examples(prefix: &str) -> Vec<SeedExample> {
    let dir = seeds_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the seed pages in {}: {e}", dir.display()));
    let file = entries
        .map(|e| e.expect("directory entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no seed page {prefix}_* in {}", dir.display()));
    let text = std::fs::read_to_string(&file).expect("seed page is text");
    parse_examples(&text)
}

fn parse_examples(text: &str) -> Vec<SeedExample> {
    let mut examples = Vec::new();
    let mut place = None;
    let mut offset = 0;
    while offset < text.len() {
        let line_end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let line = text[offset..line_end].trim();
        if let Some(status) = line
            .strip_prefix("Response ")
            .and_then(|r| r.get(..3))
            .and_then(|s| s.parse().ok())
        {
            place = Some(Place::Response(status));
        } else if line == "Request body" {
            place = Some(Place::RequestBody);
        } else if line.starts_with('{') {
            let mut values =
                serde_json::Deserializer::from_str(&text[offset..]).into_iter::<Value>();
            if let Some(Ok(json)) = values.next() {
                let consumed = values.byte_offset();
                let is_schema = json.get("type").is_some() && json.get("properties").is_some();
                if !is_schema {
                    let place =
                        place.expect("an example comes after a Request body or Response heading");
                    examples.push(SeedExample { place, json });
                }
                offset += consumed;
                continue;
            }
        }
        offset = line_end;
    }
    examples
}

/// The example at `place` on a seed page.
pub fn seed_example(prefix: &str, place: Place) -> Value {
    seed_examples(prefix)
        .into_iter()
        .find(|e| e.place == place)
        .unwrap_or_else(|| panic!("seed {prefix} has no example at {place:?}"))
        .json
}

/// The documented error responses of a seed page: status and body.
pub fn seed_errors(prefix: &str) -> Vec<(u16, Value)> {
    seed_examples(prefix)
        .into_iter()
        .filter_map(|e| match e.place {
            Place::Response(status) if status >= 400 => Some((status, e.json)),
            _ => None,
        })
        .collect()
}

/// A value of a definition in spec/, by JSON pointer (an example, say).
pub fn spec_value(file: &str, pointer: &str) -> Value {
    let path = xtask::spec_dir(&xtask::workspace_root()).join(file);
    let text = std::fs::read_to_string(&path).expect("definition exists");
    let definition: Value = serde_json::from_str(&text).expect("definition is JSON");
    definition
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{file} has nothing at {pointer}"))
        .clone()
}
