//! JSON pointers (RFC 6901) that say where in a definition a node is.

use std::fmt;

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
        let escaped = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, escaped))
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
}
