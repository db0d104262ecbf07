//! Independent conformance: every operation of the generated client called against Prism, an
//! OpenAPI mock server run on each definition with request validation on (`--errors`). Prism
//! refuses a request that does not match its definition (path, parameters, headers, body) and
//! answers from the definition's examples, which the client must decode.
//!
//! Runs when `ITWIN_PRISM=1` (as `cargo xtask conformance` and CI do); Prism is installed from
//! `conformance/package-lock.json` by `npm ci` on first use.

// Generated and formatted by the generator (prettyplease); rustfmt would fight it.
#[rustfmt::skip]
#[path = "../generated/calls.rs"]
mod calls;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use itwin_platform::{Client, RetryPolicy};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use crate::support::DirectoryLock;

/// The value every path parameter gets.
const PLACEHOLDER_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// What a call needs besides the client: the request body, as JSON.
pub struct CallInput {
    body: Option<Value>,
}

impl CallInput {
    pub fn id(&self) -> String {
        PLACEHOLDER_ID.to_owned()
    }

    // Called by the generated calls for a UUID or date-time path parameter; spec/ has none
    // today, and in one test binary `pub` no longer keeps an unused method from the lint.
    #[allow(dead_code)]
    pub fn uuid(&self) -> itwin_platform::runtime::Uuid {
        PLACEHOLDER_ID.parse().expect("a UUID")
    }

    // Called by the generated calls for a UUID or date-time path parameter; spec/ has none
    // today, and in one test binary `pub` no longer keeps an unused method from the lint.
    #[allow(dead_code)]
    pub fn date_time(&self) -> itwin_platform::runtime::DateTime {
        "2024-01-31T12:00:00Z".parse().expect("an instant")
    }

    /// The body for the operation, decoded into its generated type.
    pub fn body<T: DeserializeOwned>(&self) -> T {
        let body = self.body.clone().expect("the operation has a body");
        serde_json::from_value(body.clone())
            .unwrap_or_else(|e| panic!("the body {body} does not decode: {e}"))
    }

    /// A 1×1 PNG.
    pub fn bytes(&self) -> Vec<u8> {
        const PNG: &[u8] = &[
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
            0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
            0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
            0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
            0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
        ];
        PNG.to_vec()
    }
}

/// A Prism process, stopped when dropped.
struct Prism {
    child: Child,
    port: u16,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    xtask::workspace_root()
}

/// `conformance/node_modules/.bin/prism`, installed from the lock file when missing.
fn prism_binary() -> PathBuf {
    let dir = root().join("conformance");
    let binary = dir.join("node_modules/.bin/prism");
    if !binary.exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm runs (Node.js is needed for the conformance run)");
        assert!(status.success(), "npm ci in {} failed", dir.display());
    }
    binary
}

/// The definition as Prism should serve it: paths under the server's base path, served from
/// `/`; and each JSON response also under the API's versioned media type, which is what the
/// client accepts (the platform answers such requests with application/json, which Prism
/// cannot know). Prism does not read `Prefer: return=...`, so for calls that ask for the full
/// shape, `full_shape` serves the second alternative of each two-shape body with its
/// `representation` example (or none, and Prism builds one from the schema).
fn prism_definition(definition: &Value, accept: &str, full_shape: bool) -> Value {
    let mut served = definition.clone();
    let server = definition["servers"][0]["url"].as_str().expect("a server");
    let base_path = url::Url::parse(server)
        .expect("a URL")
        .path()
        .trim_end_matches('/')
        .to_owned();
    let paths: Map<String, Value> = definition["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| (format!("{base_path}{path}"), item.clone()))
        .collect();
    served["paths"] = Value::Object(paths);
    served["servers"] = json!([{"url": "/"}]);
    add_accept(&mut served, accept);
    add_accept_to_binary_answers(&mut served, accept);
    if full_shape {
        serve_full_shape(&mut served);
    }
    served
}

fn serve_full_shape(node: &mut Value) {
    match node {
        Value::Object(map) => {
            let full = map.get("schema").and_then(|schema| {
                let shapes = schema
                    .get("anyOf")
                    .or_else(|| schema.get("oneOf"))?
                    .as_array()?;
                (shapes.len() == 2).then(|| shapes[1].clone())
            });
            if let Some(full) = full {
                map.insert("schema".to_owned(), full);
                let representation = map
                    .get("examples")
                    .and_then(|e| e.get("representation"))
                    .cloned();
                map.remove("examples");
                if let Some(example) = representation {
                    map.insert("examples".to_owned(), json!({ "representation": example }));
                }
            }
            for value in map.values_mut() {
                serve_full_shape(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(serve_full_shape),
        _ => {}
    }
}

fn add_accept(node: &mut Value, accept: &str) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(content)) = map.get_mut("content") {
                if let Some(json) = content.get("application/json").cloned() {
                    content.entry(accept.to_owned()).or_insert(json);
                }
            }
            for value in map.values_mut() {
                add_accept(value, accept);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| add_accept(v, accept)),
        _ => {}
    }
}

/// A download (an image, say) answers with its own media type even when the request accepts
/// the API's versioned JSON type, as the platform's clients send it; Prism negotiates strictly,
/// so each answer without JSON is also served under `accept`.
fn add_accept_to_binary_answers(definition: &mut Value, accept: &str) {
    let Some(paths) = definition["paths"].as_object_mut() else {
        return;
    };
    let operations = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut());
    for operation in operations {
        let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for content in responses
            .values_mut()
            .filter_map(|r| r.get_mut("content").and_then(Value::as_object_mut))
        {
            let has_json = content.keys().any(|media| media.contains("json"));
            if let (false, Some(first)) = (has_json, content.values().next().cloned()) {
                content.entry(accept.to_owned()).or_insert(first);
            }
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn start_prism(binary: &Path, definition: &Path) -> Prism {
    let port = free_port();
    let log = std::fs::File::create(definition.with_extension("log")).expect("a log file");
    let child = Command::new(binary)
        .args([
            "mock",
            "--errors",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .arg(definition)
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("prism starts");
    Prism { child, port }
}

/// Waits until `prism` listens. The port was free when it was chosen, but another process may
/// have taken it since: then this Prism exits, and whatever answers there is not it.
fn wait_for(prism: &mut Prism, definition: &Path) {
    let port = prism.port;
    let log = definition.with_extension("log");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = prism.child.try_wait().expect("prism's state can be read") {
            panic!(
                "prism for port {port} exited ({status}); see {}",
                log.display()
            );
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "prism did not listen on {port} within 60 s; see {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A JSON value that `schema` accepts: the required properties, first enum values, minimal
/// lengths. Used for request bodies the definition gives no example of.
fn sample(definition: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = definition
            .pointer(reference.trim_start_matches('#'))
            .expect("$ref resolves");
        return sample(definition, target);
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        // `allOf: [$ref]` on a property only adds a description or `nullable` to a type that
        // may be no object at all (an enum), so a lone part is sampled as it is.
        if let [only] = parts.as_slice() {
            return sample(definition, only);
        }
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = sample(definition, part) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None if schema.get("properties").is_some() => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields = schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(name, _)| required.contains(&name.as_str()))
                .map(|(name, property)| (name.clone(), sample(definition, property)))
                .collect();
            Value::Object(fields)
        }
        Some("array") => {
            let count = schema
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1);
            let item = sample(definition, &schema["items"]);
            Value::Array(vec![item; count as usize])
        }
        Some("integer") => json!(schema
            .get("minimum")
            .and_then(Value::as_i64)
            .unwrap_or(1)
            .max(1)),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-01-31T12:00:00Z"),
            Some("date") => json!("2024-01-31"),
            Some("uuid") => json!(PLACEHOLDER_ID),
            _ => json!("sample"),
        },
        _ => json!({}),
    }
}

/// The request body of an operation: the definition's example, else a sample of its schema.
fn request_body(definition: &Value, operation_id: &str) -> Option<Value> {
    let operation = definition["paths"]
        .as_object()?
        .values()
        .flat_map(|item| item.as_object().into_iter().flatten().map(|(_, op)| op))
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(operation_id))?;
    let media = operation.pointer("/requestBody/content/application~1json")?;
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    if let Some(example) = media
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|e| e.values().next())
    {
        return example.get("value").cloned();
    }
    Some(sample(definition, &media["schema"]))
}

/// The file name of a definition as Prism serves it for one answer shape.
fn served_name(file: &str, representation: bool) -> String {
    if representation {
        format!("representation-{file}")
    } else {
        file.to_owned()
    }
}

/// A client of the Prism instance, without retries: a refused request is a finding.
fn client_for(prism: &Prism) -> Client {
    Client::builder()
        .base_url(format!("http://127.0.0.1:{}", prism.port))
        .access_token("conformance-token")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid settings")
}

#[derive(Default)]
struct Tally {
    called: usize,
    passed: usize,
    failures: Vec<String>,
}

#[tokio::test]
async fn every_operation_passes_prism_request_validation_and_decodes_its_answer() {
    if std::env::var_os("ITWIN_PRISM").is_none_or(|v| v != "1") {
        eprintln!("skipped: set ITWIN_PRISM=1, or run `cargo xtask conformance`");
        return;
    }
    // Another run of this test (another process) would install Prism and write the served
    // definitions at the same places: it waits.
    let _lock = DirectoryLock::acquire("prism");
    let binary = prism_binary();
    let work = root().join("target/prism");
    std::fs::create_dir_all(&work).unwrap();
    let manifest =
        generator::Manifest::load(&xtask::spec_dir(&root()).join("manifest.toml")).unwrap();
    // One Prism per definition and answer shape; Prism takes seconds to start, so all start
    // before the first is waited for.
    let mut definitions: BTreeMap<String, Value> = BTreeMap::new();
    let mut servers: BTreeMap<(String, bool), Prism> = BTreeMap::new();
    for entry in &manifest.apis {
        let file = entry.file.display().to_string();
        let text = std::fs::read_to_string(xtask::spec_dir(&root()).join(&entry.file)).unwrap();
        let definition: Value = serde_json::from_str(&text).unwrap();
        let full_shape_calls = calls::CALLS
            .iter()
            .any(|c| c.file == file && c.operation.ends_with("#representation"));
        for representation in [false, true].into_iter().filter(|r| !r || full_shape_calls) {
            let served_definition = prism_definition(&definition, &entry.accept, representation);
            let served = work.join(served_name(&file, representation));
            std::fs::write(
                &served,
                serde_json::to_string_pretty(&served_definition).unwrap(),
            )
            .unwrap();
            servers.insert(
                (file.clone(), representation),
                start_prism(&binary, &served),
            );
        }
        definitions.insert(file, definition);
    }

    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for ((file, representation), prism) in &mut servers {
        wait_for(prism, &work.join(served_name(file, *representation)));
    }
    for call in calls::CALLS {
        let representation = call.operation.ends_with("#representation");
        let prism = &servers[&(call.file.to_owned(), representation)];
        let definition = &definitions[call.file];
        let client = client_for(prism);
        let operation_id = call.operation.split('#').next().unwrap();
        let input = CallInput {
            body: request_body(definition, operation_id),
        };
        let tally = tallies.entry(call.file).or_default();
        tally.called += 1;
        match (call.run)(client, input).await {
            // A redirect reaches here only as the answer of an operation that documents it.
            Ok(status) if (200..400).contains(&status) => tally.passed += 1,
            Ok(status) => tally
                .failures
                .push(format!("{} {}: status {status}", call.file, call.operation)),
            Err(error) => {
                let violations = error
                    .api()
                    .map(|api| String::from_utf8_lossy(api.body()).into_owned())
                    .unwrap_or_default();
                tally.failures.push(format!(
                    "{} {}: {error} {violations}",
                    call.file, call.operation
                ));
            }
        }
    }

    // Prism's validation is on: a body that does not match its schema is refused.
    let client = client_for(&servers[&("access-control.json".to_owned(), false)]);
    let invalid = itwin_platform::runtime::Request::new(
        "create-itwin-role",
        itwin_platform::runtime::HttpMethod::Post,
        "/accesscontrol/itwins/{id}/roles",
        itwin_platform::access_control::ACCEPT,
    )
    .path_param("id", &PLACEHOLDER_ID)
    .json_body("application/json", Some(&json!({"displayName": 7})));
    let refused = client
        .execute_empty(invalid)
        .await
        .expect_err("Prism refuses the body");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(422), "{refused}");

    let mut table = String::from("definition | operations called | passed | failed\n");
    let mut failures = Vec::new();
    for (file, tally) in &tallies {
        writeln!(
            table,
            "{file} | {} | {} | {}",
            tally.called,
            tally.passed,
            tally.failures.len()
        )
        .unwrap();
        failures.extend(tally.failures.iter().cloned());
    }
    let called: usize = tallies.values().map(|t| t.called).sum();
    let passed: usize = tallies.values().map(|t| t.passed).sum();
    println!("{table}");
    println!("prism: {passed} passed, {} failed", called - passed);
    assert!(
        failures.is_empty(),
        "{} call(s) failed against Prism:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(called, calls::CALLS.len());
}
