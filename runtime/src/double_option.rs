//! Serde support for fields that may be absent, `null` or a value, as `Option<Option<T>>`:
//! `None` is left out of the JSON, `Some(None)` is `null`, `Some(Some(v))` is the value.
//!
//! Generated models use it for optional nullable fields: the three states differ on the wire,
//! and an update operation reads `null` as "clear the field".
//!
//! ```
//! # use itwin_platform_runtime::__private::double_option;
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Update {
//!     #[serde(default, with = "double_option", skip_serializing_if = "Option::is_none")]
//!     options: Option<Option<String>>,
//! }
//! let clear = Update { options: Some(None) };
//! assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{"options":null}"#);
//! let keep = Update { options: None };
//! assert_eq!(serde_json::to_string(&keep).unwrap(), "{}");
//! let read: Update = serde_json::from_str(r#"{"options":null}"#).unwrap();
//! assert_eq!(read.options, Some(None));
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(None)` as `null` and `Some(Some(value))` as the value (`None` is skipped by the field's `skip_serializing_if`).
#[inline]
pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Called only when the field is present: `null` becomes `Some(None)`. Inlined, so that a
/// nullable field decodes as fast as a plain `Option` (it runs once per field of every item).
#[inline]
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
