//! An API of a manifest, built from its listing: the definition is checked against what the
//! manifest says of it before the build (its server, the schemas the runtime replaces), and the
//! manifest's waiters are resolved against the model after. Errors point into the manifest.

use crate::diagnostics::{Error, Result};
use crate::load::Definition;
use crate::model::Api;
use crate::settings::Listing;

use super::{build, waiters};

/// The model of the API `listing` describes, waiters included.
pub(crate) fn build_listed(
    definition: &Definition,
    listing: &Listing,
    strict: bool,
) -> Result<Api> {
    check_server(definition, listing)?;
    check_replaced_schemas(definition, listing)?;
    let mut api = build(definition, &listing.settings, strict)?;
    let at = format!("/api/{}/waiter", listing.index);
    api.waiters = waiters::resolve(&api, &listing.waiters, &listing.manifest, &at)?;
    Ok(api)
}

/// An error unless the definition's first server is the one the manifest gives.
fn check_server(definition: &Definition, listing: &Listing) -> Result<()> {
    let server = definition.document.servers.first().map(|s| s.url.as_str());
    if server == Some(listing.server.as_str()) {
        return Ok(());
    }
    let message = format!(
        "the manifest gives the server `{}` but {} has {}",
        listing.server,
        listing.file.display(),
        server.map_or("none".to_owned(), |s| format!("`{s}`"))
    );
    let at = format!("/api/{}/server", listing.index);
    Err(Error::new(&listing.manifest, at, message))
}

/// Every replaced schema is a schema of the definition: a replacement that finds nothing to
/// replace is a mistake in the manifest.
fn check_replaced_schemas(definition: &Definition, listing: &Listing) -> Result<()> {
    let schemas = definition.document.components.as_ref().map(|c| &c.schemas);
    for (i, schema) in listing.replaced.iter().enumerate() {
        if !schemas.is_some_and(|s| s.contains_key(schema)) {
            return Err(Error::new(
                &listing.manifest,
                format!("/replace/{i}/schema"),
                format!(
                    "{} ({}) has no schema `{schema}` to replace",
                    listing.file.display(),
                    listing.name,
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::manifest::Manifest;

    const MANIFEST: &str = r#"
        [[replace]]
        schema = "Error"
        with = "ServiceError"
        [[replace]]
        schema = "Missing"
        with = "Other"

        [[api]]
        name = "Things"
        file = "things.json"
        server = "https://example.com/things"
        accept = "application/json"
        module = "things"
        source = "https://example.com"
    "#;

    fn listing() -> Listing {
        let path = Path::new("manifest.toml");
        Manifest::parse(path, MANIFEST).unwrap().listing(path, 0)
    }

    fn definition(server: &str) -> Definition {
        let text = format!(
            r#"{{"openapi": "3.0.0", "info": {{"title": "T", "version": "1"}}, "paths": {{}},
                "servers": [{{"url": "{server}"}}],
                "components": {{"schemas": {{"Error": {{"type": "object"}}}}}}}}"#
        );
        crate::load::parse(Path::new("things.json"), &text).unwrap()
    }

    #[test]
    fn a_replaced_schema_the_definition_lacks_is_located_in_the_manifest() {
        let error =
            build_listed(&definition("https://example.com/things"), &listing(), false).unwrap_err();
        assert_eq!(error.file, Path::new("manifest.toml"));
        assert_eq!(error.pointer, "/replace/1/schema");
        assert!(error.message.contains("no schema `Missing`"), "{error}");
    }

    #[test]
    fn another_server_than_the_manifest_gives_is_located_in_the_manifest() {
        let error =
            build_listed(&definition("https://example.com/other"), &listing(), false).unwrap_err();
        assert_eq!(error.file, Path::new("manifest.toml"));
        assert_eq!(error.pointer, "/api/0/server");
        assert!(
            error.message.contains("`https://example.com/other`"),
            "{error}"
        );
    }
}
