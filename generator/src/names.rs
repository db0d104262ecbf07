//! Rust identifiers from the names found in definitions.
//!
//! The platform writes its product names with a lower-case `i` (`iTwin`, `iModel`), which
//! general-purpose case converters split into `i_twin`. Those words are folded into one word
//! before conversion so that `iTwinId` becomes `itwin_id` and `iModel` becomes `IModel`.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Product names kept as one word: (how heck spells the folded word, how a type name spells it).
const PLATFORM_WORDS: &[(&str, &str)] = &[
    ("Itwins", "ITwins"),
    ("Itwin", "ITwin"),
    ("Imodels", "IModels"),
    ("Imodel", "IModel"),
];

/// Rust keywords that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// What every generated module sees without importing it: the standard prelude (2021
/// edition), whose names a generated type must not shadow.
const PRELUDE: &[&str] = &[
    "Box",
    "String",
    "Vec",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "ToString",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Self",
];

/// Names a generated `models.rs` imports besides the prelude: serde's derives and the
/// runtime's formatted strings. Everything else it uses is written as a path
/// (`serde_json::Value`, `std::collections::BTreeMap`, `crate::runtime::Page`).
pub const MODELS_IMPORTS: &[&str] = &["Serialize", "Deserialize", "DateTime", "Date", "Uuid"];

/// Names a generated API `mod.rs` imports from the runtime, or declares (the `Shape` type
/// parameter of builders whose answer has two shapes); models are referred to as `models::X`.
pub const MODULE_IMPORTS: &[&str] = &[
    "ApiResponse",
    "Client",
    "Error",
    "HttpMethod",
    "Request",
    "Answer",
    "Minimal",
    "Representation",
    "ResponseShape",
    "BoxStream",
    "DateTime",
    "Date",
    "Uuid",
    "Shape",
    "WaitSpec",
    "Waiter",
];

/// Names of a request builder's own fields and methods, which a parameter's field and setter
/// must not take.
const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "body",
    "content_type",
    "shape",
    "send",
    "send_with_response",
    "request",
    "representation",
    "into_stream",
    "into_pages",
    "with_options",
    "wait",
];

/// Names an API module cannot have: the crate's own modules and the crates generated code
/// names by path, which a module of the same name would hide.
const TAKEN_MODULES: &[&str] = &[
    "runtime",
    "models",
    "apis",
    "itwin_platform",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "chrono",
    "uuid",
];

/// Whether `name` is a Rust keyword (strict, reserved or edition-dependent).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether a type named `name` in a generated `models.rs` would shadow a name the file uses.
pub fn is_reserved_model_name(name: &str) -> bool {
    // Asked for every type name.
    static RESERVED: LazyLock<HashSet<&str>> =
        LazyLock::new(|| PRELUDE.iter().chain(MODELS_IMPORTS).copied().collect());
    RESERVED.contains(name)
}

/// Whether a type named `name` in a generated API `mod.rs` (a request builder, the status
/// enum of an answer, the content types of a body) would shadow a name the file uses.
pub fn is_reserved_module_item(name: &str) -> bool {
    // Asked six times per operation (a builder and the names of its family).
    static RESERVED: LazyLock<HashSet<&str>> =
        LazyLock::new(|| PRELUDE.iter().chain(MODULE_IMPORTS).copied().collect());
    RESERVED.contains(name)
}

/// Whether a request builder already has a member named like this parameter.
pub fn is_builder_member(name: &str) -> bool {
    BUILDER_MEMBERS.contains(&name)
}

/// Whether an API module named `name` would hide a module or crate the generated code uses.
pub fn is_taken_module(name: &str) -> bool {
    TAKEN_MODULES.contains(&name)
}

/// `name`, or `name` followed by `suffix` when `reserved` says it cannot be used as it is:
/// `String` → `StringModel`. The caller still numbers the result if another item has it.
pub fn unreserved(name: String, reserved: impl Fn(&str) -> bool, suffix: &str) -> String {
    if reserved(&name) {
        format!("{name}{suffix}")
    } else {
        name
    }
}

/// The name to derive an operation's method and builder names from: its `id` with word
/// boundaries added where its `summary`, spelling the same letters (case, spaces and
/// punctuation aside), starts a word: after a space or where a lowercase letter meets a
/// capital. `create-aggregationproperty` and "Create AggregationProperty" give
/// `create-aggregation_property`; capitals in a row (`OData`) and the platform's words
/// (`iModel`) stay one word. Without such a summary, the id as it is.
pub fn operation_name_source(id: &str, summary: Option<&str>) -> String {
    let letters = |text: &str| {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
    };
    let Some(summary) = summary.filter(|s| s.is_ascii() && letters(s) == letters(id)) else {
        return id.to_owned();
    };
    // Which letters (by their index among the letters) start a word of the summary.
    let folded = fold_platform_words(summary);
    let mut starts = Vec::new();
    let mut previous: Option<char> = None;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            let hump = previous.is_some_and(|p| p.is_ascii_lowercase() && c.is_ascii_uppercase());
            let after_gap = previous.is_some_and(|p| !p.is_ascii_alphanumeric());
            starts.push(hump || after_gap);
        }
        previous = Some(c);
    }
    let mut name = String::with_capacity(id.len() + 4);
    let mut index = 0;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if starts.get(index).copied().unwrap_or(false)
                && name.ends_with(|p: char| p.is_ascii_alphanumeric())
            {
                name.push('_');
            }
            index += 1;
        }
        name.push(c);
    }
    name
}

/// A snake_case name for a field, parameter, function or module: `iTwinId` → `itwin_id`.
pub fn snake(name: &str) -> String {
    remembered(&SNAKE, name, |name| {
        avoid_keyword(fold_platform_words(&strip_sigils(&spell_sign(name))).to_snake_case())
    })
}

thread_local! {
    /// Names already converted, by case: a large definition converts the same property and
    /// value names thousands of times (Microsoft Graph's in every `$select` of its 20,000
    /// operations), and a conversion costs a few microseconds.
    static SNAKE: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static UPPER_CAMEL: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// At most this many names are remembered per case and thread; then the memory starts over.
const REMEMBERED: usize = 1 << 18;

/// `convert(name)`, remembered in `memory`.
fn remembered(
    memory: &'static std::thread::LocalKey<RefCell<HashMap<String, String>>>,
    name: &str,
    convert: impl FnOnce(&str) -> String,
) -> String {
    memory.with(|memory| {
        if let Some(known) = memory.borrow().get(name) {
            return known.clone();
        }
        let converted = convert(name);
        let mut memory = memory.borrow_mut();
        if memory.len() >= REMEMBERED {
            memory.clear();
        }
        memory.insert(name.to_owned(), converted.clone());
        converted
    })
}

/// A leading sign of a number spelt out (`+1` → `plus_1`, `-1` → `minus_1`): dropping it would
/// give `+1` and `-1` (GitHub's reaction counts) the same name.
fn spell_sign(name: &str) -> std::borrow::Cow<'_, str> {
    let signed = |sign: char, word: &str| {
        let rest = name.strip_prefix(sign)?;
        rest.starts_with(|c: char| c.is_ascii_digit())
            .then(|| format!("{word}_{rest}"))
    };
    match signed('+', "plus").or_else(|| signed('-', "minus")) {
        Some(spelt) => spelt.into(),
        None => name.into(),
    }
}

/// An UpperCamelCase name for a type or variant: `iTwin-share` → `ITwinShare`.
pub fn upper_camel(name: &str) -> String {
    remembered(&UPPER_CAMEL, name, upper_camel_of)
}

fn upper_camel_of(name: &str) -> String {
    let camel = fold_platform_words(&strip_sigils(name)).to_upper_camel_case();
    let camel = ascii_identifier(restore_platform_words(&camel));
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if camel.is_empty() {
        "Value".to_owned()
    } else {
        avoid_keyword(camel)
    }
}

/// `base`, or `base` with the first number from 2 that makes it free, when `taken` says a name
/// is in use: `Thing`, `Thing2`, `Thing3`… for types and variants.
///
/// # Panics
///
/// If `taken` holds for every number, which no finite set of names does.
pub fn numbered(base: &str, taken: impl Fn(&str) -> bool) -> String {
    numbered_by(|n| with_number(base, "", n), |name| taken(name))
}

/// As [`numbered`] for snake-case names, which take the number after `_`: `thing`, `thing_2`…
pub fn numbered_snake(base: &str, taken: impl Fn(&str) -> bool) -> String {
    numbered_by(|n| with_number(base, "_", n), |name| taken(name))
}

/// The first of `name(None)`, `name(Some(2))`, `name(Some(3))`… that is not `taken`: the one
/// way clashing names are told apart. [`numbered`] and [`numbered_snake`] number one name;
/// this numbers names that go together (an operation's method and builder) with one number.
///
/// # Panics
///
/// If `taken` holds for every number, which no finite set of names does.
pub fn numbered_by<T>(name: impl Fn(Option<usize>) -> T, taken: impl Fn(&T) -> bool) -> T {
    std::iter::once(None)
        .chain((2..).map(Some))
        .map(name)
        .find(|candidate| !taken(candidate))
        .expect("some number is free")
}

/// `base` with `separator` and the number `n`, if any: `with_number("thing", "_", Some(2))` is
/// `thing_2`.
pub fn with_number(base: &str, separator: &str, n: Option<usize>) -> String {
    match n {
        Some(n) => format!("{base}{separator}{n}"),
        None => base.to_owned(),
    }
}

/// `$top` and `@odata.count` name the same thing as `top` and `odata.count`.
fn strip_sigils(name: &str) -> String {
    name.trim_start_matches(['$', '@', '_']).to_owned()
}

/// Keeps ASCII letters, digits and `_`, so that any name from a definition is a valid identifier.
fn ascii_identifier(name: String) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn avoid_keyword(name: String) -> String {
    let name = ascii_identifier(name);
    // `_` alone is a pattern, not a name.
    if name.chars().all(|c| c == '_') {
        "value".to_owned()
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if name.chars().all(|c| c.is_ascii_digit() || c == '_') {
        // `_1` is a name clippy rejects (`just_underscores_and_digits`).
        format!("n{name}")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// Rewrites `iTwin`, `ITwin`, `iModel` and `IModel` at a word start as `Itwin` / `Imodel`,
/// which every heck conversion keeps as one word.
fn fold_platform_words(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        let at_word_start = i == 0 || !chars[i - 1].is_alphabetic() || chars[i - 1].is_lowercase();
        if at_word_start && matches!(chars[i], 'i' | 'I') {
            if let Some(word) = ["Twin", "Model"]
                .iter()
                .find(|w| starts_with_at(&chars, i + 1, w))
            {
                let end = i + 1 + word.len();
                // `ITwinX` is fine, `ITwinning` is not a platform word.
                if chars
                    .get(end)
                    .is_none_or(|c| !c.is_lowercase() || *c == 's')
                {
                    out.push('I');
                    out.push_str(&word.to_lowercase());
                    i = end;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    let word: Vec<char> = word.chars().collect();
    chars.len() >= at + word.len() && chars[at..at + word.len()] == word[..]
}

/// heck spells a folded word `Itwin`; type names spell it `ITwin`.
fn restore_platform_words(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 2);
    let mut rest = camel;
    'scan: while !rest.is_empty() {
        for (heck_form, type_form) in PLATFORM_WORDS {
            if let Some(after) = rest.strip_prefix(heck_form) {
                if after.chars().next().is_none_or(|c| !c.is_lowercase()) {
                    out.push_str(type_form);
                    rest = after;
                    continue 'scan;
                }
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
        // Only a word start can begin a platform word: skip the rest of this word.
        while let Some(next) = rest.chars().next().filter(|c| !c.is_uppercase()) {
            out.push(next);
            rest = &rest[next.len_utf8()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_take_the_word_boundaries_of_a_summary_with_the_same_letters() {
        let source = |id, summary| operation_name_source(id, Some(summary));
        assert_eq!(
            source("create-aggregationproperty", "Create AggregationProperty"),
            "create-aggregation_property"
        );
        assert_eq!(
            snake(&source("getuserbyname", "Get user by name")),
            "get_user_by_name"
        );
        // Capitals in a row and the platform's words stay whole.
        assert_eq!(
            snake(&source("odata-entity", "OData Entity")),
            "odata_entity"
        );
        assert_eq!(snake(&source("get-imodel", "Get iModel")), "get_imodel");
        assert_eq!(
            upper_camel(&source("get-itwins", "Get iTwins")),
            "GetITwins"
        );
        // Other letters, or no summary: the id as it is.
        assert_eq!(source("get-things", "List every thing"), "get-things");
        assert_eq!(operation_name_source("getthings", None), "getthings");
    }

    #[test]
    fn clashing_names_are_numbered_from_2_in_their_case() {
        let taken = |name: &str| ["Thing", "Thing2", "thing"].contains(&name);
        assert_eq!(numbered("Other", taken), "Other");
        assert_eq!(numbered("Thing", taken), "Thing3");
        assert_eq!(numbered_snake("thing", taken), "thing_2");
        // Names that go together take one number: the first free for both.
        let pair = numbered_by(
            |n| (with_number("thing", "_", n), with_number("Thing", "", n)),
            |(snake, camel)| taken(snake) || taken(camel),
        );
        assert_eq!(pair, ("thing_3".to_owned(), "Thing3".to_owned()));
    }

    /// Every reserved name as a schema and as an operationId: no generated type takes one,
    /// and every name the generated files import is one the reservation knows.
    #[test]
    fn no_generated_name_shadows_what_the_generated_code_uses() {
        let reserved: Vec<&str> = PRELUDE
            .iter()
            .chain(MODELS_IMPORTS)
            .chain(MODULE_IMPORTS)
            .copied()
            .collect();
        let schemas: Vec<String> = reserved
            .iter()
            .map(|n| {
                format!(
                    r#"{n:?}: {{"type": "object", "properties": {{"x": {{"type": "string", "format": "date-time"}}}}}}"#
                )
            })
            .collect();
        let operations: Vec<String> = reserved
            .iter()
            .enumerate()
            .map(|(i, n)| {
                format!(
                    r##""/p{i}": {{"get": {{"operationId": {n:?}, "parameters": [{{"name": "d", "in": "query", "schema": {{"type": "string", "format": "date"}}}}], "responses": {{"200": {{"description": "a", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/{n}"}}}}}}}}, "201": {{"description": "b"}}}}}}}}"##
                )
            })
            .collect();
        let text = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "Client", "version": "1"}}, "paths": {{{}}}, "components": {{"schemas": {{{}}}}}}}"#,
            operations.join(", "),
            schemas.join(", ")
        );
        let settings = crate::settings::ApiSettings {
            accept: Some("application/json".to_owned()),
            ..Default::default()
        };
        let definition = crate::load::parse(std::path::Path::new("reserved.json"), &text).unwrap();
        let api = crate::build::build(&definition, &settings, false).unwrap();
        assert_eq!(api.operations.len(), reserved.len());
        for ty in &api.types {
            assert!(!is_reserved_model_name(&ty.name), "type {}", ty.name);
        }
        assert!(!is_reserved_module_item(&api.client_name));
        for op in &api.operations {
            for suffix in ["", "Response"] {
                let name = format!("{}{suffix}", op.builder_name);
                assert!(!is_reserved_module_item(&name), "{name}");
                assert_ne!(name, api.client_name);
            }
            assert_ne!(op.fn_name, "new");
        }
        let (module, models) = crate::emit::api_files(&api, "reserved.json");
        for (file, reserved) in [
            (&module, is_reserved_module_item as fn(&str) -> bool),
            (&models, is_reserved_model_name),
        ] {
            let parsed = syn::parse_file(file).unwrap();
            let mut imported = Vec::new();
            for item in &parsed.items {
                if let syn::Item::Use(item) = item {
                    leaves(&item.tree, &mut imported);
                }
            }
            assert!(imported.len() >= 3, "{imported:?}");
            for name in imported {
                assert!(reserved(&name), "`{name}` is imported but not reserved");
            }
        }
    }

    fn leaves(tree: &syn::UseTree, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => leaves(&path.tree, out),
            syn::UseTree::Name(name) => out.push(name.ident.to_string()),
            syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
            syn::UseTree::Group(group) => group.items.iter().for_each(|t| leaves(t, out)),
            syn::UseTree::Glob(_) => out.push("*".to_owned()),
        }
    }

    #[test]
    fn platform_words_stay_whole_in_snake_case() {
        assert_eq!(snake("iTwinId"), "itwin_id");
        assert_eq!(snake("iModelId"), "imodel_id");
        assert_eq!(snake("imodelId"), "imodel_id");
        assert_eq!(snake("parentiTwinId"), "parent_itwin_id");
        assert_eq!(snake("ITwinAccountId"), "itwin_account_id");
        assert_eq!(snake("get-itwin-roles"), "get_itwin_roles");
        assert_eq!(snake("groupId"), "group_id");
        assert_eq!(snake("shareId"), "share_id");
    }

    #[test]
    fn platform_words_are_capitalised_in_type_names() {
        assert_eq!(upper_camel("iTwin"), "ITwin");
        assert_eq!(upper_camel("iModel"), "IModel");
        assert_eq!(upper_camel("iTwins"), "ITwins");
        assert_eq!(upper_camel("get-itwin-roles"), "GetITwinRoles");
        assert_eq!(upper_camel("delete-imodel"), "DeleteIModel");
        assert_eq!(upper_camel("iTwinShare"), "ITwinShare");
        assert_eq!(upper_camel("ITwinGroupMember"), "ITwinGroupMember");
    }

    #[test]
    fn ordinary_words_are_not_mistaken_for_platform_words() {
        assert_eq!(snake("identity"), "identity");
        assert_eq!(upper_camel("image"), "Image");
        assert_eq!(upper_camel("iTwinning"), "ITwinning");
        assert_eq!(upper_camel("italic"), "Italic");
        assert_eq!(upper_camel("Itwinkle"), "Itwinkle");
        assert_eq!(snake("modelId"), "model_id");
    }

    #[test]
    fn sigils_and_keywords_become_valid_identifiers() {
        assert_eq!(snake("$top"), "top");
        assert_eq!(snake("$continuationToken"), "continuation_token");
        assert_eq!(snake("_links"), "links");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("+1"), "plus_1");
        assert_eq!(snake("-1"), "minus_1");
        assert_eq!(snake("1"), "n1");
        assert_eq!(snake("self"), "self_");
        assert_eq!(upper_camel("self"), "Self_");
        assert_eq!(upper_camel("2d"), "V2d");
        for odd in ["größe", "a-b.c d", "ünïcode", "1st", "名前"] {
            assert!(
                syn::parse_str::<syn::Ident>(&snake(odd)).is_ok(),
                "{odd} → {}",
                snake(odd)
            );
            assert!(
                syn::parse_str::<syn::Ident>(&upper_camel(odd)).is_ok(),
                "{odd} → {}",
                upper_camel(odd)
            );
        }
        assert_eq!(snake("💥"), "value");
        assert_eq!(upper_camel("💥"), "Value");
        assert_eq!(snake("@odata.count"), "odata_count");
    }
}
