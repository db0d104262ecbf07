//! `spec/manifest.toml`: which definitions make up the crate, and what each is called there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Error, Result};
use crate::settings::{ApiSettings, Listing, WaiterDecl};

/// The list of APIs the generated crate holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The APIs, one `[[api]]` table each, in the order the crate lists them.
    #[serde(rename = "api")]
    pub apis: Vec<ManifestApi>,
    /// Schemas every API defines alike that the runtime has a type for.
    #[serde(default, rename = "replace")]
    pub replacements: Vec<Replacement>,
}

/// A schema that generated code refers to as a type of the runtime instead of generating it
/// into each API's models (the platform's error envelope, which the runtime decodes itself):
///
/// ```toml
/// [[replace]]
/// schema = "ErrorResponse"        # the key under `#/components/schemas` of every API
/// with = "ServiceErrorResponse"   # the runtime type (`itwin_platform::runtime::...`)
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// The key of the schema under `#/components/schemas`.
    pub schema: String,
    /// The name of the runtime type used instead.
    pub with: String,
}

/// One API of the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestApi {
    /// Human name, e.g. "Access Control".
    pub name: String,
    /// The definition file, relative to the manifest.
    pub file: PathBuf,
    /// The server URL of the production environment.
    pub server: String,
    /// The versioned media type sent as `Accept`.
    pub accept: String,
    /// Rust module name in the generated crate.
    pub module: String,
    /// Where on the developer portal the definition comes from.
    pub source: String,
    /// The API's reference index (a TOML list of operations and their portal pages), relative
    /// to the manifest, which `cargo xtask coverage` compares the definition with.
    #[serde(default)]
    pub catalogue: Option<String>,
    /// Jobs of the API that a generated `wait` method polls until they end.
    #[serde(default, rename = "waiter")]
    pub waiters: Vec<WaiterDecl>,
    /// The manifest's replacements (schema key → runtime type), which hold for every API.
    #[serde(skip)]
    pub replacements: BTreeMap<String, String>,
}

impl ManifestApi {
    /// The generator's settings for this API.
    pub fn settings(&self) -> ApiSettings {
        ApiSettings {
            module: Some(self.module.clone()),
            accept: Some(self.accept.clone()),
            replacements: self.replacements.clone(),
        }
    }
}

impl Manifest {
    /// Reads and checks a manifest.
    pub fn load(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(path, "", format!("cannot read the manifest: {e}")))?;
        Manifest::parse(path, &text)
    }

    /// Reads and checks a manifest given as text (e.g. as committed at some revision); `path`
    /// names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest> {
        let mut manifest: Manifest =
            toml::from_str(text).map_err(|e| Error::new(path, "", e.to_string()))?;
        let replacements = manifest.checked_replacements(path)?;
        for api in &mut manifest.apis {
            api.replacements = replacements.clone();
        }
        for (i, api) in manifest.apis.iter().enumerate() {
            let at = format!("/api/{i}");
            let valid_module = !api.module.is_empty()
                && api
                    .module
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !api.module.starts_with(|c: char| c.is_ascii_digit());
            if !valid_module {
                return Err(Error::new(
                    path,
                    format!("{at}/module"),
                    format!("`{}` is not a snake_case module name", api.module),
                ));
            }
            if manifest.apis[..i]
                .iter()
                .any(|other| other.module == api.module)
            {
                return Err(Error::new(
                    path,
                    format!("{at}/module"),
                    format!("module `{}` is listed twice", api.module),
                ));
            }
        }
        Ok(manifest)
    }

    /// The replacements as a map, each runtime type a Rust identifier and each schema listed
    /// once.
    fn checked_replacements(&self, path: &Path) -> Result<BTreeMap<String, String>> {
        let mut map = BTreeMap::new();
        for (i, replacement) in self.replacements.iter().enumerate() {
            let is_type_name = replacement
                .with
                .starts_with(|c: char| c.is_ascii_uppercase())
                && replacement.with.chars().all(|c| c.is_ascii_alphanumeric());
            if !is_type_name {
                return Err(Error::new(
                    path,
                    format!("/replace/{i}/with"),
                    format!("`{}` is not the name of a runtime type", replacement.with),
                ));
            }
            if map
                .insert(replacement.schema.clone(), replacement.with.clone())
                .is_some()
            {
                return Err(Error::new(
                    path,
                    format!("/replace/{i}/schema"),
                    format!("the schema `{}` is replaced twice", replacement.schema),
                ));
            }
        }
        Ok(map)
    }

    /// The API at `index` as listed here, the manifest being at `path`: its settings, with
    /// what the build checks against its definition.
    pub(crate) fn listing(&self, path: &Path, index: usize) -> Listing {
        let api = &self.apis[index];
        Listing {
            manifest: path.to_path_buf(),
            index,
            name: api.name.clone(),
            file: api.file.clone(),
            settings: api.settings(),
            server: api.server.clone(),
            replaced: self.replacements.iter().map(|r| r.schema.clone()).collect(),
            waiters: api.waiters.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = r#"
        [[api]]
        name = "Things"
        file = "things.json"
        server = "https://example.com/things"
        accept = "application/json"
        module = "things"
        source = "https://example.com"
    "#;

    fn parse(replacements: &str) -> Result<Manifest> {
        Manifest::parse(
            Path::new("manifest.toml"),
            &format!("{replacements}\n{API}"),
        )
    }

    #[test]
    fn replacements_hold_for_every_api() {
        let manifest = parse("[[replace]]\nschema = \"Error\"\nwith = \"ServiceError\"").unwrap();
        let settings = manifest.apis[0].settings();
        assert_eq!(settings.replacements["Error"], "ServiceError");
    }

    #[test]
    fn a_replacement_must_name_a_type_once() {
        let error =
            parse("[[replace]]\nschema = \"Error\"\nwith = \"runtime::Error\"").unwrap_err();
        assert_eq!(error.pointer, "/replace/0/with");
        let twice =
            "[[replace]]\nschema = \"E\"\nwith = \"A\"\n[[replace]]\nschema = \"E\"\nwith = \"B\"";
        assert_eq!(parse(twice).unwrap_err().pointer, "/replace/1/schema");
    }
}
