//! `cargo xtask generate` writes a crate for one definition that builds on its own against the
//! runtime, without the iTwin Platform's API modules: how a user gets a client for any API, or
//! for an iTwin Platform API before it joins the manifest. The crate is named, described and
//! served after its definition, and offers the credentials its security schemes declare.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::{ApiSettings, Files, Input, Output, Settings};
use xtask::workspace_root;

use crate::support::DirectoryLock;

/// Writes `files` and a `src/main.rs` to `target/standalone-test/<name>`, then runs `cargo
/// <args>` on it with the tests' shared target directory; returns its standard output.
fn cargo_on(name: &str, files: &Files, main: &str, args: &[&str]) -> String {
    let root = workspace_root();
    let out = root.join("target/standalone-test").join(name);
    // The crate and its build stay between runs; another process of this test waits.
    let _lock = DirectoryLock::acquire(&format!("standalone-test-{name}"));
    let _ = std::fs::remove_dir_all(&out);
    xtask::drift::write_all(&out, files).unwrap();
    // The workspace's lock file pins the same dependency versions, so no new resolution is needed.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    std::fs::write(out.join("src/main.rs"), main).unwrap();
    let output = Command::new(env!("CARGO"))
        .arg(args[0])
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .args(&args[1..])
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/standalone-test/target"),
        )
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "`cargo {}` fails on the generated crate in {}:\n{}",
        args.join(" "),
        out.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The crates of the workspace the generated crate depends on: the runtime alone, never the
/// iTwin Platform SDK with its API modules.
fn workspace_dependencies(name: &str, files: &Files) -> Vec<String> {
    let tree = cargo_on(
        name,
        files,
        "fn main() {}",
        &[
            "tree",
            "--quiet",
            "--prefix",
            "none",
            "--offline",
            "--depth",
            "1",
        ],
    );
    tree.lines()
        .filter(|l| l.starts_with("itwin-platform"))
        .map(|l| l.split(' ').next().unwrap_or_default().to_owned())
        .collect()
}

/// The crate of `definition`, named `name` or by default, with the pointers of its warnings.
fn generate(
    definition: &Path,
    name: Option<&str>,
    accept: Option<&str>,
) -> (String, Files, Vec<String>) {
    let api = ApiSettings {
        accept: accept.map(str::to_owned),
        ..Default::default()
    };
    let runtime = workspace_root().join("runtime");
    let generated = generator::generate(&Settings {
        input: Input::Definition {
            file: definition,
            text: None,
            api,
        },
        output: Output::Standalone {
            crate_name: name,
            runtime: &runtime,
        },
        strict: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let warnings = generated
        .warnings
        .iter()
        .map(|w| w.pointer.clone())
        .collect();
    let name = generated.crate_name.expect("a crate has a name");
    (name, generated.files, warnings)
}

fn file<'f>(files: &'f Files, path: &str) -> &'f str {
    &files[&PathBuf::from(path)]
}

#[test]
fn an_itwin_platform_definition_keeps_the_platform_defaults() {
    let definition = workspace_root().join("spec/itwins.json");
    let (name, files, warnings) = generate(&definition, None, None);
    assert_eq!(name, "itwins");
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "Cargo.toml",
            "src/itwins/mod.rs",
            "src/itwins/models.rs",
            "src/lib.rs"
        ]
    );
    let manifest = file(&files, "Cargo.toml");
    assert!(manifest.contains("name = \"itwins\""), "{manifest}");
    assert!(
        manifest.contains("description = \"Client for the iTwins API of the iTwin Platform (version v1). Manages iTwins and the resources attached to them, such as their images.\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("itwin-platform-runtime = { path = "),
        "{manifest}"
    );
    assert!(file(&files, "src/lib.rs").contains("Environment"));
    assert_eq!(
        workspace_dependencies(&name, &files),
        ["itwin-platform-runtime"]
    );
    cargo_on(&name, &files, USE_ITWINS, &["check", "--quiet"]);
}

/// A user's program against the iTwins crate: the platform's environments and bearer token.
const USE_ITWINS: &str = r#"
fn main() {
    let client = itwins::client().environment(itwins::Environment::Qa).access_token("t").build().unwrap();
    assert_eq!(client.base_url(), "https://qa-api.bentley.com");
    let api = itwins::ITwinsClient::new(client);
    let _request = api.delete_itwin_image("id");
    assert_eq!(itwins::itwins::ACCEPT, "application/vnd.bentley.itwin-platform.v1+json");
}
"#;

#[test]
fn any_other_definition_gets_a_crate_of_its_own() {
    let definition = workspace_root().join("tests/fixtures/standalone/secured_pets.yaml");
    let (name, files, warnings) = generate(&definition, None, Some("application/json"));
    assert_eq!(name, "secured-pets");
    assert_eq!(warnings, ["/components/securitySchemes/cookie_key"]);
    let manifest = file(&files, "Cargo.toml");
    for line in [
        "name = \"secured-pets\"",
        "version = \"2.1.0\"",
        "description = \"Client for the Secured Pets API (version 2.1.0). Lists the pets of a shop.\"",
        "itwin-platform-runtime = { path = ",
    ] {
        assert!(manifest.contains(line), "no `{line}` in\n{manifest}");
    }
    let lib = file(&files, "src/lib.rs");
    for item in [
        // The server's variables take their defaults; its path goes on each operation's path.
        "pub const BASE_URL: &str = \"https://demo.pets.example.com:8443\";",
        "Client::builder().without_environment().base_url(BASE_URL)",
        "ApiKey::header(\"X-API-Key\", key)",
        "ApiKey::query(\"key\", key)",
        ".token_url(\"https://auth.example.com/token\")",
        ".scope(\"pets:read pets:write\")",
        "`bearer`: a bearer token",
        "`openid`: an OpenID Connect access token",
        "`basic`: HTTP basic",
    ] {
        assert!(lib.contains(item), "no `{item}` in\n{lib}");
    }
    // The definition requires credentials: the builder does not make them optional.
    assert!(!lib.contains("credentials_optional"), "{lib}");
    assert!(file(&files, "src/secured_pets/mod.rs").contains("\"/v2/pets\""));
    assert!(
        !lib.contains("Environment") && !lib.contains("iTwin"),
        "{lib}"
    );

    // `--name` names the crate.
    let (_, renamed, _) = generate(&definition, Some("pets-sdk"), Some("application/json"));
    assert!(file(&renamed, "Cargo.toml").contains("name = \"pets-sdk\""));

    assert_eq!(
        workspace_dependencies(&name, &files),
        ["itwin-platform-runtime"]
    );
    cargo_on(
        &name,
        &files,
        USE_SECURED_PETS,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
}

/// A user's program against the Secured Pets crate: every kind of credentials it declares.
const USE_SECURED_PETS: &str = r#"
fn main() {
    let client = secured_pets::client()
        .api_key(secured_pets::credentials::api_key("k"))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), secured_pets::BASE_URL);
    let _in_query = secured_pets::client().api_key(secured_pets::credentials::query_key("k"));
    let _basic = secured_pets::client().basic_auth("user", "password");
    let _service = secured_pets::client()
        .token_provider(secured_pets::credentials::oauth("client-id", "client-secret"));
    assert!(secured_pets::client().build().is_err(), "credentials are required");
    let api = secured_pets::SecuredPetsClient::new(client);
    let _request = api.list_pets().limit(2);
}
"#;

/// A definition without operations (as `googleapis.com/youtubeAnalytics` of the public corpus)
/// gets a crate of its types and no client type, which would have nothing to call: the crate
/// passes clippy with warnings denied.
#[test]
fn a_definition_without_operations_gets_its_types_and_no_client_type() {
    let definition = workspace_root().join("tests/fixtures/no_operations.yaml");
    let (name, files, warnings) = generate(&definition, None, None);
    assert_eq!(name, "report-formats");
    assert!(warnings.is_empty(), "{warnings:?}");
    let module = file(&files, "src/report_formats/mod.rs");
    for absent in ["struct ReportFormatsClient", "use crate::runtime", "ACCEPT"] {
        assert!(!module.contains(absent), "`{absent}` in\n{module}");
    }
    assert!(module.contains("pub mod models;"), "{module}");
    let lib = file(&files, "src/lib.rs");
    assert!(!lib.contains("ReportFormatsClient"), "{lib}");
    cargo_on(
        &name,
        &files,
        USE_REPORT_FORMATS,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
}

/// A user's program against the Report Formats crate: its types and the builder of the runtime's
/// client.
const USE_REPORT_FORMATS: &str = r#"
fn main() {
    let report = report_formats::report_formats::models::Report::new("r1");
    assert_eq!(report.id, "r1");
    let client = report_formats::client().build().unwrap();
    assert_eq!(client.base_url(), report_formats::BASE_URL);
}
"#;
