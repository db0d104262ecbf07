//! `type` written as a list of names. OpenAPI 3.1 writes a nullable string as
//! `type: [string, "null"]`; Swagger 2.0 does not allow a list, but files of the public
//! collection write one anyway (`type: [string, 'null']`, `type: [array, string]`). Both
//! readers take a list the same way: `null` makes the value nullable, one other name is the
//! type, and several other names have no single Rust form: the value is kept as
//! `serde_json::Value`, with a warning.

use serde_json::{json, Value};

/// What a `type` says: the type name left, if one is, and whether `null` is allowed.
pub(super) struct TypeList {
    /// The single type, or `None` for any value (several types, or `null` alone).
    pub kind: Option<Value>,
    pub nullable: bool,
    /// Why the value is kept as `serde_json::Value`, when it names several types.
    pub warning: Option<String>,
}

/// Reads a `type`, a name or a list of names; anything else is left for the 3.0 reader to
/// refuse.
pub(super) fn read(kind: &Value) -> TypeList {
    let names: Vec<&str> = match kind {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
        other => {
            return TypeList {
                kind: Some(other.clone()),
                nullable: false,
                warning: None,
            }
        }
    };
    let nullable = names.contains(&"null");
    let mut others: Vec<&str> = names.into_iter().filter(|n| *n != "null").collect();
    others.dedup();
    // Every integer is a number.
    if others.len() == 2 && others.contains(&"integer") && others.contains(&"number") {
        others = vec!["number"];
    }
    let (kind, warning) = match others.as_slice() {
        [] => (None, None),
        [one] => (Some(json!(one)), None),
        several => (
            None,
            Some(format!(
                "a value of several types ({}) has no single Rust form; it is kept as serde_json::Value",
                several.join(", ")
            )),
        ),
    };
    TypeList {
        kind,
        nullable,
        warning,
    }
}
