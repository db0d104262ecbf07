//! Every fixture's generated code compiles without warnings, clippy's included, against the
//! runtime: the snapshots pin the text, this proves the text is a working client (for constructs
//! that no API in spec/ uses yet too).

use std::path::Path;
use std::process::Command;

use generator::ApiSettings;
use xtask::workspace_root;

use crate::support::DirectoryLock;

#[test]
fn generated_code_of_every_fixture_compiles() {
    let root = workspace_root();
    let fixtures = root.join("tests/fixtures");
    let out = root.join("target/fixtures-compile");
    // The crate and its build stay between runs; another process of this test waits.
    let _lock = DirectoryLock::acquire("fixtures-compile");
    let _ = std::fs::remove_dir_all(&out);
    let mut modules = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    entries.sort();
    for path in &entries {
        let module = format!(
            "fixture_{}",
            path.file_stem()
                .unwrap()
                .to_string_lossy()
                .replace('-', "_")
        );
        let text = std::fs::read_to_string(path).unwrap();
        let settings = ApiSettings {
            module: Some(module.clone()),
            accept: None,
            ..Default::default()
        };
        // The whole path: `$ref`s to files beside a fixture are read from there.
        let (module_rs, models_rs) = crate::support::module_of(path, &text, &settings, false)
            .unwrap_or_else(|e| panic!("{e}"));
        let dir = out.join("src").join(&module);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("mod.rs"), module_rs).unwrap();
        if module_rs_has_models(&dir) {
            std::fs::write(dir.join("models.rs"), models_rs).unwrap();
        }
        modules.push(module);
    }
    assert!(modules.len() >= 10, "fixtures found: {modules:?}");
    let lib: String = modules.iter().map(|m| format!("pub mod {m};\n")).collect();
    std::fs::write(
        out.join("src/lib.rs"),
        format!("#![deny(warnings)]\npub use itwin_platform_runtime as runtime;\n{lib}"),
    )
    .unwrap();
    let runtime = root.join("runtime").display().to_string();
    std::fs::write(
        out.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fixtures-compile\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\nitwin-platform-runtime = {{ path = \"{runtime}\" }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/standalone-test/target"),
        )
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the fixtures' generated code does not compile without warnings:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Whether the generated `mod.rs` declares `pub mod models;`.
fn module_rs_has_models(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("mod.rs"))
        .unwrap()
        .contains("pub mod models;")
}
