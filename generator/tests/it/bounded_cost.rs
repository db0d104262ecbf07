//! The cost of generating stays linear in the size of the definition, for the shapes that made
//! it exponential: schemas that refer to each other in cycles through `allOf: [$ref,
//! {description}]` (as the AWS definitions of the APIs.guru corpus write every property), and
//! merged `allOf` parts whose inline schemas lead back to the merging schema. Each schema is
//! built once per JSON pointer, so the number of types is proportional to the number of schemas.

use std::fmt::Write;
use std::path::Path;

use generator::Output;

use crate::{generate, module_files};

/// `n` schemas `S<i>` whose two properties each refer, with a description, to the next ones,
/// and `n` schemas `M<i>` that merge `S<i>` with an inline part referring to `M<i+1>`.
fn cyclic_definition(n: usize) -> String {
    let mut schemas = String::new();
    for i in 0..n {
        let (next, after) = ((i + 1) % n, (i + 2) % n);
        write!(
            schemas,
            r##""S{i}": {{"type": "object", "required": ["a"], "properties": {{
                "a": {{"allOf": [{{"$ref": "#/components/schemas/S{next}"}}, {{"description": "The next one."}}]}},
                "b": {{"allOf": [{{"$ref": "#/components/schemas/S{after}"}}, {{"description": "The one after."}}]}},
                "kind": {{"type": "string", "enum": ["x", "y"]}}}}}},
            "M{i}": {{"allOf": [{{"$ref": "#/components/schemas/S{i}"}}, {{"type": "object", "properties": {{
                "next": {{"allOf": [{{"$ref": "#/components/schemas/M{next}"}}, {{"description": "Merged."}}]}},
                "inline": {{"type": "object", "properties": {{"back": {{"$ref": "#/components/schemas/M{next}"}}}}}}}}}}]}},"##
        )
        .unwrap();
    }
    let schemas = schemas.trim_end_matches(',');
    format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "Cycles", "version": "1"}},
        "paths": {{"/s": {{"get": {{"responses": {{"200": {{"description": "OK",
            "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/M0"}}}}}}}}}}}}}}}},
        "components": {{"schemas": {{{schemas}}}}}}}"##
    )
}

fn type_names(n: usize) -> Vec<String> {
    let text = cyclic_definition(n);
    let generated = generate(
        Path::new("cycles.json"),
        Some(&text),
        Default::default(),
        Output::Modules,
        false,
    )
    .expect("generates");
    assert_eq!(generated.warnings, [], "nothing is read leniently here");
    let (module, models) = module_files(&generated);
    assert!(module.contains("CyclesClient") && models.contains("pub struct M0"));
    let api = generated.apis.into_iter().next().expect("one API");
    api.types.into_iter().map(|t| t.name).collect()
}

#[test]
fn schemas_in_cycles_through_all_of_are_built_once_each() {
    let names = type_names(24);
    // S<i>, its enum, M<i> and the inline part of M<i>: four types per pair, whatever the cycles.
    assert_eq!(names.len(), 4 * 24, "{names:?}");
    for expected in ["S0", "S0Kind", "M0", "M0Inline", "S23", "M23Inline"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    // The merged struct reuses the enum its part defines instead of a copy of its own.
    assert!(!names.iter().any(|n| n == "M0Kind"), "{names:?}");
}

#[test]
fn the_number_of_types_grows_linearly() {
    assert_eq!(type_names(60).len(), 2 * type_names(30).len());
}
