//! Helpers shared by the test modules: the seed pages' examples, and a client for a mock server.

#![allow(dead_code)] // not every helper is called by a test today

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

/// `tests/data/seed-examples.json`: the example payloads of the five reference pages the project
/// started from, each under the heading it stands below on its page.
fn seed_pages() -> Value {
    let path = xtask::workspace_root().join("tests/data/seed-examples.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every example payload of the seed page `seed` (e.g. "004"), in page order.
pub fn seed_examples(seed: &str) -> Vec<SeedExample> {
    let pages = seed_pages();
    let page = pages["pages"]
        .as_array()
        .expect("a list of pages")
        .iter()
        .find(|p| p["seed"] == seed)
        .unwrap_or_else(|| panic!("no seed page {seed}"));
    page["examples"]
        .as_array()
        .expect("a list of examples")
        .iter()
        .map(|example| {
            let place = example["place"].as_str().expect("a place");
            SeedExample {
                place: parse_place(place),
                json: example["body"].clone(),
            }
        })
        .collect()
}

/// "request" or "response 404".
fn parse_place(place: &str) -> Place {
    match place.strip_prefix("response ") {
        Some(status) => Place::Response(status.parse().expect("a status code")),
        None if place == "request" => Place::RequestBody,
        None => panic!("unknown place {place:?}"),
    }
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

/// A directory of the calling test's own, removed when dropped: several processes of this test
/// binary may run at once, and a file of a fixed name under the target's temporary directory
/// would be written by one while another reads it.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("it-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("the target's temporary directory is writable")
}

/// Held while a test writes and builds in a directory of a fixed name under `target/` (a crate
/// whose build is kept between runs, a Python environment): another process of this test
/// binary that wants the same directory waits until it is dropped.
pub struct DirectoryLock(std::fs::File);

impl DirectoryLock {
    /// Waits for, then takes, the lock of `target/<name>`.
    pub fn acquire(name: &str) -> DirectoryLock {
        let locks = xtask::workspace_root().join("target/test-locks");
        std::fs::create_dir_all(&locks).expect("target/ is writable");
        let file = std::fs::File::create(locks.join(format!("{name}.lock")))
            .expect("a lock file can be created");
        file.lock().expect("the lock file can be locked");
        DirectoryLock(file)
    }
}

impl Drop for DirectoryLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// What the generator makes of one definition given as text, as `output`.
pub fn generate(
    file: &std::path::Path,
    text: &str,
    api: &generator::ApiSettings,
    output: generator::Output,
    strict: bool,
) -> generator::Result<generator::Generated> {
    generator::generate(&generator::Settings {
        input: generator::Input::Definition {
            file,
            text: Some(text),
            api: api.clone(),
        },
        output,
        strict,
    })
}

/// The `mod.rs` and `models.rs` of one definition given as text.
pub fn module_of(
    file: &std::path::Path,
    text: &str,
    api: &generator::ApiSettings,
    strict: bool,
) -> generator::Result<(String, String)> {
    let generated = generate(file, text, api, generator::Output::Modules, strict)?;
    Ok(module_files(generated))
}

/// The `mod.rs` and `models.rs` of the one API of `generated` (`Output::Modules`).
pub fn module_files(generated: generator::Generated) -> (String, String) {
    let mut files = generated.files.into_iter();
    let mut next = |name: &str| {
        let (path, text) = files.next().expect("a module has two files");
        assert_eq!(path.file_name().unwrap(), name);
        text
    };
    (next("mod.rs"), next("models.rs"))
}

/// The model of one definition given as text, with its warnings.
pub fn model_of(
    file: &std::path::Path,
    text: &str,
    api: &generator::ApiSettings,
) -> generator::Result<(generator::model::Api, Vec<generator::Problem>)> {
    let mut generated = generate(file, text, api, generator::Output::Models, false)?;
    Ok((generated.apis.remove(0), generated.warnings))
}
