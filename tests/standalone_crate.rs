//! `cargo xtask generate` writes a crate for one definition that builds on its own against the
//! runtime: how a user gets a client for an API before it joins the manifest.

use std::path::Path;
use std::process::Command;

use generator::ApiSettings;
use xtask::workspace_root;

#[test]
fn a_standalone_crate_for_one_definition_builds() {
    let root = workspace_root();
    let out = root.join("target/standalone-test/itwins-client");
    let _ = std::fs::remove_dir_all(&out);
    let settings = ApiSettings {
        module: None,
        accept: None,
        ..Default::default()
    };
    let (files, warnings) = generator::layout::standalone_crate(
        &root.join("spec/itwins.json"),
        &settings,
        "itwins-client",
        &root.join("generated-client"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
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
    xtask::drift::write_all(&out, &files).unwrap();
    // The workspace's lock file pins the same dependency versions, so no new resolution is needed.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    std::fs::write(out.join("src/main.rs"), USE_IT).unwrap();

    let status = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/standalone-test/target"),
        )
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the generated crate in {} does not build",
        out.display()
    );
    assert!(Path::new(&out.join("src/lib.rs")).exists());
}

/// A user's program against the standalone crate: the generated API and the runtime together.
const USE_IT: &str = r#"
fn main() {
    let client = itwins_client::Client::builder().access_token("t").build().unwrap();
    let api = itwins_client::ITwinsClient::new(client);
    let _request = api.delete_itwin_image("id");
    assert_eq!(itwins_client::itwins::ACCEPT, "application/vnd.bentley.itwin-platform.v1+json");
}
"#;
