//! Nodes of real definitions that openapiv3's model cannot read, mended in the JSON tree before
//! it is: a reference to a callback (valid OpenAPI the model has no place for), and a schema
//! keyword the generator never uses written with the wrong type.

use serde_json::Value;

use crate::diagnostics::Problem;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Replaces each `callbacks` entry of an operation that is a Reference Object
/// (`{$ref: '#/components/callbacks/x'}`, which OpenAPI 3.0 allows) by the callback it names.
/// openapiv3 reads an operation's callbacks only written out, so the reference would fail the
/// whole definition; the generator makes nothing of callbacks, but the operation it is on
/// matters. A reference that leads nowhere is left as it is, for the model's error to name.
pub fn inline_callback_references(tree: &mut Value) {
    let Some(paths) = tree.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut inlined = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(callbacks) = item
                .get(method)
                .and_then(|op| op.get("callbacks"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (name, callback) in callbacks {
                let target = callback
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .and_then(|pointer| tree.pointer(pointer))
                    .filter(|target| target.get("$ref").is_none());
                if let Some(target) = target {
                    inlined.push((path.clone(), method, name.clone(), target.clone()));
                }
            }
        }
    }
    for (path, method, name, target) in inlined {
        tree["paths"][&path][method]["callbacks"][&name] = target;
    }
}

/// Drops the `pattern` of the schema at `pointer` when it is not a string (`pattern: 0`):
/// the generator does not use patterns, so the schema is read without it, with a warning.
/// `None` when that is not what is wrong with the node.
pub fn drop_pattern_of_wrong_type(tree: &mut Value, pointer: &str) -> Option<Problem> {
    let schema = tree.pointer_mut(pointer)?.as_object_mut()?;
    if schema.get("pattern").is_none_or(Value::is_string) {
        return None;
    }
    let pattern = schema.remove("pattern")?;
    // The caller knows the file.
    Some(Problem::warning(
        "",
        format!("{pointer}/pattern"),
        format!("`pattern` must be a string (a regular expression), not {pattern}; it is ignored"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reference_to_a_callback_is_replaced_by_the_callback() {
        let callback = json!({"{$request.body#/url}": {"post": {"responses": {"200": {"description": "OK"}}}}});
        let mut tree = json!({
            "paths": {"/a": {"get": {"callbacks": {
                "onEvent": {"$ref": "#/components/callbacks/event"},
                "missing": {"$ref": "#/components/callbacks/none"}
            }}}},
            "components": {"callbacks": {"event": callback}}
        });
        inline_callback_references(&mut tree);
        let callbacks = &tree["paths"]["/a"]["get"]["callbacks"];
        assert_eq!(callbacks["onEvent"], callback);
        assert_eq!(
            callbacks["missing"],
            json!({"$ref": "#/components/callbacks/none"})
        );
    }

    #[test]
    fn a_pattern_that_is_not_a_string_is_dropped_with_a_warning() {
        let mut tree = json!({"s": {"type": "string", "pattern": 0}, "t": {"pattern": "^a$"}});
        let warning = drop_pattern_of_wrong_type(&mut tree, "/s").unwrap();
        assert_eq!(warning.pointer, "/s/pattern");
        assert!(warning.message.contains("not 0"), "{}", warning.message);
        assert_eq!(tree["s"], json!({"type": "string"}));
        assert_eq!(drop_pattern_of_wrong_type(&mut tree, "/t"), None);
        assert_eq!(drop_pattern_of_wrong_type(&mut tree, "/nowhere"), None);
    }
}
