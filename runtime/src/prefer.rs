//! The two answer shapes that a `Prefer: return=...` header selects.
//!
//! Builders of operations that answer either way take one of these as a type parameter, so
//! that `send` returns the type that matches the header it sent.

/// An answer shape and the `Prefer` value that asks for it.
pub trait ResponseShape {
    /// The header's value, such as `return=minimal`.
    const PREFER: &'static str;
}

/// The minimal answer: ids and the most used fields. The services send it by default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Minimal;

/// The full answer: every field the service has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Representation;

impl ResponseShape for Minimal {
    const PREFER: &'static str = "return=minimal";
}

impl ResponseShape for Representation {
    const PREFER: &'static str = "return=representation";
}
