//! Cargo features: one per API (the crate's feature list matches the manifest, and the crate
//! builds with any one API alone), `test-util`, the only way wiremock enters the build, and
//! `interactive-auth`, the only way the browser sign-in does.

use std::process::Command;

use generator::{feature_name, Manifest};
use xtask::{spec_dir, workspace_root};

fn api_features() -> Vec<String> {
    let manifest = Manifest::load(&spec_dir(&workspace_root()).join("manifest.toml")).unwrap();
    manifest
        .apis
        .iter()
        .map(|api| feature_name(&api.module))
        .collect()
}

#[test]
fn every_api_has_a_feature_and_all_are_on_by_default() {
    let text =
        std::fs::read_to_string(workspace_root().join("generated-client/Cargo.toml")).unwrap();
    let cargo: toml::Table = toml::from_str(&text).unwrap();
    let features = cargo["features"].as_table().expect("a [features] table");
    let mut declared: Vec<&str> = features
        .keys()
        .map(String::as_str)
        .filter(|f| !matches!(*f, "default" | "test-util" | "interactive-auth"))
        .collect();
    let mut wanted = api_features();
    declared.sort();
    wanted.sort();
    assert_eq!(
        declared, wanted,
        "generated-client/Cargo.toml [features] must list one feature per API"
    );
    let default: Vec<&str> = features["default"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for feature in &wanted {
        assert!(
            default.contains(&feature.as_str()),
            "{feature} is not on by default"
        );
    }
}

#[test]
fn the_crate_builds_with_one_api_alone() {
    let root = workspace_root();
    for feature in api_features() {
        let output = Command::new(env!("CARGO"))
            .args([
                "check",
                "--quiet",
                "--locked",
                "-p",
                "itwin-platform",
                "--no-default-features",
                "--features",
                &feature,
            ])
            .env("CARGO_TARGET_DIR", root.join("target/features-check"))
            .env("RUSTFLAGS", "-Dwarnings")
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "itwin-platform with only `{feature}` does not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The mock server is for tests only: wiremock is in the crate's normal dependencies only
/// when `test-util` is asked for.
#[test]
fn wiremock_comes_only_with_the_test_util_feature() {
    let tree = |features: &[&str]| {
        let output = Command::new(env!("CARGO"))
            .args(["tree", "--locked", "-e", "normal", "-p", "itwin-platform"])
            .args(features)
            .current_dir(workspace_root())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(!tree(&[]).contains("wiremock"));
    assert!(tree(&["--features", "test-util"]).contains("wiremock"));
}

/// A service compiles no browser sign-in: its loopback server, browser launcher and token
/// store come only with the `interactive-auth` feature.
#[test]
fn the_browser_sign_in_comes_only_with_the_interactive_auth_feature() {
    let tree = |features: &[&str]| {
        let output = Command::new(env!("CARGO"))
            .args([
                "tree",
                "--locked",
                "-e",
                "normal,features",
                "-p",
                "itwin-platform",
            ])
            .args(features)
            .current_dir(workspace_root())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let service = tree(&[]);
    for absent in ["webbrowser", "dirs v", "hyper feature \"server\""] {
        assert!(
            !service.contains(absent),
            "{absent} is in a service's build"
        );
    }
    let desktop = tree(&["--features", "interactive-auth"]);
    for present in ["webbrowser", "dirs v", "hyper feature \"server\""] {
        assert!(
            desktop.contains(present),
            "{present} is not in the sign-in's build"
        );
    }
}
