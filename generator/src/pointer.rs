//! JSON pointers (RFC 6901) that say where in a definition a node is, and the node one names
//! in a JSON tree.

use std::fmt;

use serde_json::Value;

/// How many `$ref`s may lead to one another before the chain is taken for a cycle.
pub(crate) const MAX_HOPS: usize = 64;

/// A JSON pointer built up segment by segment while walking a definition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses a `#/a/b` reference into a pointer.
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference.strip_prefix('#').map(|p| Pointer(p.to_owned()))
    }

    /// The pointer to a child of this node.
    pub fn push(&self, segment: impl fmt::Display) -> Self {
        // Written straight into one string: a large definition makes millions of pointers.
        let segment = segment.to_string();
        let mut pointer = String::with_capacity(self.0.len() + 1 + segment.len() + 8);
        pointer.push_str(&self.0);
        pointer.push('/');
        if segment.contains(['~', '/']) {
            pointer.push_str(&escaped(&segment));
        } else {
            pointer.push_str(&segment);
        }
        Pointer(pointer)
    }

    /// The pointer to the node that holds this one; `None` for the root.
    pub fn parent(&self) -> Option<Pointer> {
        self.0.rfind('/').map(|i| Pointer(self.0[..i].to_owned()))
    }

    /// The pointer as text, e.g. `/components/schemas/Role`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> String {
        pointer.0
    }
}

/// A key as a segment of a pointer: `~` as `~0`, `/` as `~1`.
pub(crate) fn escaped(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The key a segment of a pointer names: `~1` as `/`, then `~0` as `~` (RFC 6901's order).
pub(crate) fn unescaped(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The node at an RFC 6901 pointer. A pointer that passes through a `$ref` (into a schema
/// another place refers to, written as if the reference were inlined) goes on from its
/// target, as far as [`MAX_HOPS`] references. With the node comes its own pointer, which
/// names it the same way however it was reached.
pub(crate) fn lookup<'v>(document: &'v Value, pointer: &str) -> Option<(&'v Value, String)> {
    if pointer.is_empty() {
        return Some((document, String::new()));
    }
    if let Some(node) = document.pointer(pointer) {
        return Some((node, pointer.to_owned()));
    }
    let mut node = document;
    let mut at = String::new();
    let mut hops = 0;
    for segment in pointer.split('/').skip(1) {
        let key = unescaped(segment);
        loop {
            let child = match node {
                Value::Object(map) => map.get(&key),
                Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            if let Some(child) = child {
                node = child;
                at = format!("{at}/{segment}");
                break;
            }
            let target = node
                .get("$ref")
                .and_then(Value::as_str)?
                .strip_prefix('#')?;
            hops += 1;
            if hops > MAX_HOPS {
                return None;
            }
            at = percent_decoded(target);
            node = document.pointer(&at)?;
        }
    }
    Some((node, at))
}

/// A URI fragment or path with its `%XX` escapes decoded (`%7Bid%7D` → `{id}`).
pub(crate) fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).expect("two hex digits make a byte"));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped() {
        let p = Pointer::root()
            .push("paths")
            .push("/itwins/{id}")
            .push("a~b");
        assert_eq!(p.as_str(), "/paths/~1itwins~1{id}/a~0b");
    }

    #[test]
    fn pointers_through_a_reference_go_on_from_its_target() {
        let tree = serde_json::json!({
            "a": {"$ref": "#/b"},
            "b": {"properties": {"x": {"type": "string"}}}
        });
        assert_eq!(
            lookup(&tree, "/a/properties/x"),
            Some((
                &serde_json::json!({"type": "string"}),
                "/b/properties/x".to_owned()
            ))
        );
        assert_eq!(lookup(&tree, "/a/properties/y"), None);
    }
}
