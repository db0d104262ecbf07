//! A crate of its own for one definition: named and described after the definition's `info`,
//! served by default where its first server says, offering the credentials its security
//! schemes declare. An iTwin Platform definition keeps the platform's defaults instead
//! (environments, a bearer token or IMS client credentials).

use super::docs::api_name;
use super::file::{file, header};
use super::layout::expr::{Expr, Link};
use super::layout::items::{push_const, push_fn, push_statement, push_use, Param};
use super::layout::literal;
use super::layout::{push_doc, push_inner_doc};
use crate::model::{Api, SecurityScheme as Scheme};
use crate::names;

/// Crate names Cargo refuses or that would name a crate the generated one depends on.
const TAKEN_CRATE_NAMES: &[&str] = &[
    "itwin-platform",
    "itwin-platform-runtime",
    "serde",
    "serde-json",
    "std",
    "core",
    "alloc",
    "proc-macro",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
];

/// crates.io's limit on a crate name's length.
const MAX_CRATE_NAME: usize = 64;

/// The name a definition's crate gets unless one is given: its title in kebab case,
/// `Swagger Petstore` → `swagger-petstore`; an iTwin Platform API's has the prefix `itwin-`
/// (`Access Control` → `itwin-access-control`) unless its title starts with the word.
pub fn crate_name(api: &Api) -> String {
    let mut name = names::snake(&api.title).replace('_', "-");
    name = name.trim_matches('-').to_owned();
    if name.is_empty() || name == "value" {
        name = "api".to_owned();
    }
    if api.identity.itwin_platform && !name.starts_with("itwin") {
        name = format!("itwin-{name}");
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("api-{name}");
    }
    if TAKEN_CRATE_NAMES.contains(&name.as_str()) || is_keyword(&name) {
        name.push_str("-client");
    }
    if name.len() > MAX_CRATE_NAME {
        let cut = name[..MAX_CRATE_NAME].rfind('-').unwrap_or(MAX_CRATE_NAME);
        name.truncate(cut);
    }
    name
}

/// `None` if `name` can name the crate, else why not.
pub fn check_crate_name(name: &str) -> Option<String> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= MAX_CRATE_NAME;
    if !valid {
        return Some(format!(
            "`{name}` is not a valid crate name: use at most {MAX_CRATE_NAME} letters, digits, `-` and `_`, starting with a letter"
        ));
    }
    let normalized = name.replace('_', "-");
    if TAKEN_CRATE_NAMES.contains(&normalized.as_str()) || is_keyword(name) {
        return Some(format!(
            "`{name}` cannot name the crate: Cargo reserves it or the crate depends on a crate of that name"
        ));
    }
    None
}

fn is_keyword(name: &str) -> bool {
    names::is_keyword(name)
}

/// What the generated crate says about itself.
struct Identity<'a> {
    title: &'a str,
    /// The definition's `info.version`, the version of the API.
    api_version: &'a str,
    /// The crate's version: the API's version when it is a semantic version, else 0.1.0.
    crate_version: String,
    /// One line for Cargo.toml.
    summary: String,
    itwin: bool,
}

impl<'a> Identity<'a> {
    fn of(api: &'a Api) -> Self {
        let api_version = api.identity.version.as_str();
        let crate_version = if is_semver(api_version) {
            api_version.to_owned()
        } else {
            "0.1.0".to_owned()
        };
        let itwin = api.identity.itwin_platform;
        let mut summary = format!("Client for the {}", api_name(&api.title));
        if itwin {
            summary.push_str(" of the iTwin Platform");
        }
        if !api_version.is_empty() {
            summary.push_str(&format!(" (version {api_version})"));
        }
        summary.push('.');
        if let Some(sentence) = api.description.as_deref().and_then(first_sentence) {
            summary.push(' ');
            summary.push_str(&sentence);
        }
        Identity {
            title: &api.title,
            api_version,
            crate_version,
            summary,
            itwin,
        }
    }
}

/// `MAJOR.MINOR.PATCH`, with an optional pre-release or build suffix.
fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
}

/// The first sentence of a description's first paragraph, as plain text of at most 200
/// characters: Markdown links keep their text, HTML tags go.
fn first_sentence(description: &str) -> Option<String> {
    const MAX: usize = 200;
    let paragraph = description.trim().split("\n\n").next().unwrap_or_default();
    let mut text = String::with_capacity(paragraph.len());
    let mut in_tag = false;
    for c in paragraph.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '[' | ']' | '*' | '`' | '#' => {}
            _ => text.push(c),
        }
    }
    // `](url)` leaves `(url)` after the link text: drop parentheses holding a URL.
    let mut plain = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("(http") {
        plain.push_str(&rest[..start]);
        rest = rest[start..]
            .find(')')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    plain.push_str(rest);
    let words: Vec<&str> = plain.split_whitespace().collect();
    let mut sentence = String::new();
    for word in words {
        if sentence.chars().count() + word.chars().count() + 1 > MAX {
            sentence.push('…');
            break;
        }
        if !sentence.is_empty() {
            sentence.push(' ');
        }
        sentence.push_str(word);
        if word.ends_with(['.', '!', '?']) && word.chars().count() > 2 {
            break;
        }
    }
    (!sentence.is_empty()).then_some(sentence)
}

/// The crate's `Cargo.toml` and `src/lib.rs`.
pub fn crate_files(
    api: &Api,
    crate_name: &str,
    runtime_path: &std::path::Path,
    source: &str,
) -> (String, String) {
    let identity = Identity::of(api);
    let lib = if identity.itwin {
        itwin_lib(&identity, api, source)
    } else {
        other_lib(
            &identity,
            api,
            source,
            api.identity.origin.as_deref(),
            &api.security.schemes,
            api.security.required,
        )
    };
    let manifest = manifest(crate_name, &identity, runtime_path);
    (manifest, lib)
}

fn manifest(crate_name: &str, identity: &Identity, runtime_path: &std::path::Path) -> String {
    let runtime = runtime_path.display().to_string().replace('\\', "/");
    let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
    format!(
        "# @generated by `cargo xtask generate`. Do not edit by hand.\n\
         [package]\n\
         name = {name}\n\
         version = {version}\n\
         edition = \"2021\"\n\
         description = {description}\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         itwin-platform-runtime = {{ path = {runtime} }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n",
        name = quoted(crate_name),
        version = quoted(&identity.crate_version),
        description = quoted(&identity.summary),
        runtime = quoted(&runtime),
    )
}

/// The crate docs: what API, which version, from which file, and the definition's summary.
fn push_crate_doc(out: &mut String, identity: &Identity, source: &str) {
    let mut intro = format!("Client for the {}", api_name(identity.title));
    if !identity.api_version.is_empty() {
        intro.push_str(&format!(" (version {})", identity.api_version));
    }
    intro.push_str(&format!(", generated from `{source}`."));
    let summary = identity
        .summary
        .split_once(". ")
        .map(|(_, rest)| rest.to_owned());
    let lines = [Some(intro), summary];
    for (i, line) in lines.iter().flatten().enumerate() {
        if i > 0 {
            push_inner_doc(out, 0, "");
        }
        push_inner_doc(out, 0, &format!(" {line}"));
    }
}

/// The crate's docs, the runtime and the items of it the crate's users need, the API's module,
/// and its client type where it has one.
fn push_lib_head(out: &mut String, identity: &Identity, api: &Api, source: &str) {
    push_crate_doc(out, identity, source);
    out.push_str("pub use itwin_platform_runtime as runtime;\n");
    let mut names = vec!["ApiError", "ApiResponse", "Client", "ClientBuilder"];
    if identity.itwin {
        names.extend(["ClientCredentials", "Environment"]);
    }
    names.push("Error");
    push_use(out, 0, "pub use itwin_platform_runtime::", &names);
    out.push_str(&format!("pub mod {};\n", api.module));
    if super::module::has_client(api) {
        out.push_str(&format!("pub use {}::{};\n", api.module, api.client_name));
    }
}

fn itwin_lib(identity: &Identity, api: &Api, source: &str) -> String {
    let mut out = String::new();
    push_lib_head(&mut out, identity, api, source);
    out.push_str(
        "/// A [`ClientBuilder`] for the iTwin Platform: production unless
/// [`environment`](ClientBuilder::environment) or [`base_url`](ClientBuilder::base_url)
/// says otherwise. Give it a token with [`access_token`](ClientBuilder::access_token), or
/// a service application's [`ClientCredentials`] with
/// [`token_provider`](ClientBuilder::token_provider).
pub fn client() -> ClientBuilder {
    Client::builder()
}
",
    );
    file(&header(source), &out)
}

fn other_lib(
    identity: &Identity,
    api: &Api,
    source: &str,
    base_url: Option<&str>,
    schemes: &[Scheme],
    credentials_required: bool,
) -> String {
    let mut out = String::new();
    push_lib_head(&mut out, identity, api, source);
    if let Some(url) = base_url {
        push_doc(
            &mut out,
            0,
            &format!(" Where the API is served: the definition's first server, `{url}`."),
        );
        push_const(
            &mut out,
            0,
            "pub const BASE_URL: &str = ",
            &Expr::word(literal(url)),
        );
    }
    let method = |name: &'static str, arguments: Vec<Expr<'static>>| {
        Link::Method(name.into(), None, arguments)
    };
    let mut calls = vec![method("without_environment", Vec::new())];
    let base_doc = match base_url {
        Some(_) => {
            calls.push(method("base_url", vec![Expr::word("BASE_URL")]));
            "Requests go to [`BASE_URL`] unless [`base_url`](ClientBuilder::base_url) gives another."
        }
        None => "The definition names no absolute server: give the API's URL with [`base_url`](ClientBuilder::base_url), or [`build`](ClientBuilder::build) fails with [`BuildError::MissingBaseUrl`](runtime::BuildError::MissingBaseUrl).",
    };
    if !credentials_required {
        calls.push(method("credentials_optional", Vec::new()));
    }
    let functions = credential_functions(schemes);
    let mut credential_lines: Vec<String> = schemes
        .iter()
        .zip(&functions)
        .map(|(scheme, function)| credential_line(scheme, function.as_ref().map(|f| &f.0)))
        .collect();
    let requirement = match (schemes.is_empty(), credentials_required) {
        (true, false) => "The definition declares no credentials: requests go without any, unless you set some.".to_owned(),
        (true, true) => "The definition requires credentials but declares none this generator knows: set them with the builder's methods.".to_owned(),
        (false, true) => "One of these credentials (the definition requires them):".to_owned(),
        (false, false) => "One of these credentials (optional: without any, requests go anonymous):".to_owned(),
    };
    credential_lines.insert(0, requirement);
    let builder_doc = [
        format!("A [`ClientBuilder`] for the {}.", api_name(identity.title)),
        String::new(),
        base_doc.to_owned(),
        String::new(),
    ]
    .into_iter()
    .chain(credential_lines)
    .map(|l| format!(" {l}").trim_end().to_owned());
    for line in builder_doc {
        push_doc(&mut out, 0, &line);
    }
    out.push_str("pub fn client() -> ClientBuilder {\n");
    let builder = Expr::chain(Expr::call("Client::builder", Vec::new()), calls);
    push_statement(&mut out, 4, &builder, false);
    out.push_str("}\n");
    if functions.iter().any(Option::is_some) {
        out.push_str(
            "/// Credentials of the definition's security schemes, ready for the [`ClientBuilder`].\npub mod credentials {\n",
        );
        let uses_key = schemes.iter().any(|s| matches!(s, Scheme::ApiKey { .. }));
        let uses_oauth = schemes
            .iter()
            .any(|s| matches!(s, Scheme::ClientCredentials { .. }));
        let imports: Vec<&str> = [
            uses_key.then_some("ApiKey"),
            uses_oauth.then_some("ClientCredentials"),
        ]
        .into_iter()
        .flatten()
        .collect();
        push_use(&mut out, 4, "use itwin_platform_runtime::", &imports);
        for (_, text) in functions.iter().flatten() {
            out.push_str(text);
        }
        out.push_str("}\n");
    }
    file(&header(source), &out)
}

/// For each scheme, the function of the `credentials` module that makes its credentials (API
/// keys and client credentials have one), by name, with its text.
fn credential_functions(schemes: &[Scheme]) -> Vec<Option<(String, String)>> {
    let mut taken: Vec<String> = Vec::new();
    schemes
        .iter()
        .map(|scheme| {
            let key = match scheme {
                Scheme::ApiKey { key, .. } | Scheme::ClientCredentials { key, .. } => key,
                Scheme::Bearer { .. } | Scheme::Basic { .. } => return None,
            };
            let name = names::numbered_snake(&names::snake(key), |n| taken.iter().any(|t| t == n));
            taken.push(name.clone());
            let mut text = String::new();
            let head = format!("pub fn {name}");
            match scheme {
                Scheme::ApiKey {
                    name: param, query, ..
                } => {
                    let (place, constructor) = if *query {
                        ("query parameter", "ApiKey::query")
                    } else {
                        ("header", "ApiKey::header")
                    };
                    push_doc(
                        &mut text,
                        4,
                        &format!(
                            " The `{key}` scheme: `key` as the `{param}` {place} of every request."
                        ),
                    );
                    let params = [Param {
                        name: "key",
                        ty: Some("impl Into<String>"),
                    }];
                    let call = Expr::call(
                        constructor,
                        vec![Expr::word(literal(param)), Expr::word("key")],
                    );
                    push_fn(&mut text, 4, &head, &params, "ApiKey", &call);
                }
                Scheme::ClientCredentials {
                    token_url, scopes, ..
                } => {
                    let scope = scopes.join(" ");
                    let scope_doc = if scopes.is_empty() {
                        "no scope".to_owned()
                    } else {
                        format!("the scopes `{scope}`")
                    };
                    push_doc(
                        &mut text,
                        4,
                        &format!(
                            " The `{key}` scheme: a service application's tokens from `{token_url}` (OAuth 2.0 client credentials) for {scope_doc}; change them with [`scope`](ClientCredentials::scope)."
                        ),
                    );
                    let params = [
                        Param {
                            name: "client_id",
                            ty: Some("impl Into<String>"),
                        },
                        Param {
                            name: "client_secret",
                            ty: Some("impl Into<String>"),
                        },
                    ];
                    let new = Expr::call(
                        "ClientCredentials::new",
                        vec![Expr::word("client_id"), Expr::word("client_secret")],
                    );
                    let credentials = Expr::chain(
                        new,
                        vec![
                            Link::Method(
                                "token_url".into(),
                                None,
                                vec![Expr::word(literal(token_url))],
                            ),
                            Link::Method("scope".into(), None, vec![Expr::word(literal(&scope))]),
                        ],
                    );
                    let output = "ClientCredentials";
                    push_fn(&mut text, 4, &head, &params, output, &credentials);
                }
                Scheme::Bearer { .. } | Scheme::Basic { .. } => unreachable!("returned above"),
            }
            Some((name, text))
        })
        .collect()
}

/// One line of the builder's docs for a scheme: what it is and the call that sets it.
fn credential_line(scheme: &Scheme, function: Option<&String>) -> String {
    let function = function.map_or_else(String::new, |f| f.clone());
    match scheme {
        Scheme::Bearer { key, what } => format!(
            "- `{key}`: {what}, with [`access_token`](ClientBuilder::access_token) or [`token_provider`](ClientBuilder::token_provider)."
        ),
        Scheme::ClientCredentials { key, .. } => format!(
            "- `{key}`: OAuth 2.0, with [`access_token`](ClientBuilder::access_token), or `.token_provider(credentials::{function}(client_id, client_secret))` for a service application."
        ),
        Scheme::ApiKey { key, name, query } => format!(
            "- `{key}`: an API key in the `{name}` {}, with `.api_key(credentials::{function}(key))`.",
            if *query { "query parameter" } else { "header" }
        ),
        Scheme::Basic { key } => format!(
            "- `{key}`: HTTP basic, with [`basic_auth`](ClientBuilder::basic_auth)."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: &str) -> Api {
        let definition = crate::load::parse(std::path::Path::new("a.json"), json).unwrap();
        crate::build::build(&definition, &Default::default(), false).unwrap()
    }

    #[test]
    fn crate_names_come_from_the_title() {
        let named = |title: &str, server: &str| {
            crate_name(&model(&format!(
                r#"{{"openapi": "3.0.3", "info": {{"title": "{title}", "version": "1"}}, "servers": [{{"url": "{server}"}}], "paths": {{}}}}"#
            )))
        };
        let other = "https://api.example.com";
        assert_eq!(named("Swagger Petstore", other), "swagger-petstore");
        assert_eq!(
            named("StorageManagementClient", other),
            "storage-management-client"
        );
        assert_eq!(
            named("Access Control", "https://api.bentley.com/accesscontrol"),
            "itwin-access-control"
        );
        assert_eq!(named("iTwins", "https://api.bentley.com/itwins"), "itwins");
        assert_eq!(named("1Password Connect", other), "api-1password-connect");
        assert_eq!(named("serde", other), "serde-client");
        assert_eq!(named("Test", other), "test-client");
        assert_eq!(named("💥", other), "api");
        for title in [
            "Swagger Petstore",
            "1Password",
            "serde",
            "Test",
            "💥",
            "a very long title indeed that goes on and on and on past what crates io allows",
        ] {
            let name = named(title, other);
            assert_eq!(check_crate_name(&name), None, "{title} → {name}");
        }
        assert!(check_crate_name("has space").is_some());
        assert!(check_crate_name("itwin_platform").is_some());
        assert!(check_crate_name("self").is_some());
    }

    #[test]
    fn summaries_take_the_first_sentence_as_plain_text() {
        assert_eq!(
            first_sentence("The [Storage](https://x.y/z) API lets you *manage* accounts. More here.\n\nAnd here.").as_deref(),
            Some("The Storage API lets you manage accounts.")
        );
        assert_eq!(
            first_sentence("<p>Line one\nstill one</p>").as_deref(),
            Some("Line one still one")
        );
        assert_eq!(first_sentence("  \n "), None);
        assert!(first_sentence(&"word ".repeat(100)).unwrap().ends_with('…'));
    }

    #[test]
    fn a_relative_server_leaves_the_base_url_to_the_user() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "Museum", "version": "3"},
            "servers": [{"url": "/api/v3"}],
            "paths": {"/items": {"get": {"operationId": "list", "responses": {"204": {"description": "none"}}}}}}"#;
        let definition = crate::load::parse(std::path::Path::new("museum.json"), text).unwrap();
        let settings = crate::settings::ApiSettings {
            accept: Some("application/json".to_owned()),
            ..Default::default()
        };
        let api = crate::build::build(&definition, &settings, false).unwrap();
        assert!(api.warnings.is_empty());
        let (manifest, lib) = crate_files(
            &api,
            "museum",
            std::path::Path::new("../runtime"),
            "museum.json",
        );
        assert!(manifest.contains("version = \"0.1.0\""), "{manifest}");
        assert!(!lib.contains("BASE_URL"), "{lib}");
        assert!(lib.contains("BuildError::MissingBaseUrl"), "{lib}");
        // No security declared: requests may go without credentials.
        assert!(
            lib.contains("Client::builder().without_environment().credentials_optional()"),
            "{lib}"
        );
        assert_eq!(api.operations[0].path, "/api/v3/items");
    }

    #[test]
    fn crate_versions_are_semantic_versions() {
        assert!(is_semver("1.0.0"));
        assert!(is_semver("2.1.3-beta.1"));
        assert!(!is_semver("2021-04-01"));
        assert!(!is_semver("v1"));
        assert!(!is_semver("1.0"));
        assert!(!is_semver("01.0.0"));
    }
}
