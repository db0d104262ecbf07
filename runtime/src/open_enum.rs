//! The open enums of the generated models: a variant per value a definition lists, and
//! `Unknown` for any other, so that a value the service adds later still decodes.
//!
//! Every such enum converts to and from its wire value the same way: a model declares its
//! variants and their values ([`OpenEnum::VALUES`]), and [`open_enum!`](crate::__open_enum)
//! writes the conversions once for all of them.

/// An enum whose variants stand for wire values, with `Unknown(String)` for the others.
pub trait OpenEnum: Sized + Clone + PartialEq + 'static {
    /// Each known variant with its wire value.
    const VALUES: &'static [(Self, &'static str)];
}

/// The wire value of a known variant (`""` for `Unknown`, which has its own).
pub fn wire_value<E: OpenEnum>(known: &E) -> &'static str {
    E::VALUES
        .iter()
        .find(|(variant, _)| variant == known)
        .map_or("", |(_, value)| value)
}

/// The known variant of a wire value, if it is one.
pub fn known_variant<E: OpenEnum>(value: &str) -> Option<E> {
    E::VALUES
        .iter()
        .find(|(_, wire)| *wire == value)
        .map(|(variant, _)| variant.clone())
}

/// Implements for an [`OpenEnum`] `as_str`, `Display`, `FromStr`, `From<String>`,
/// `From<Enum> for String`, and `Serialize` and `Deserialize` as the string.
///
/// ```
/// use itwin_platform_runtime::__private::{open_enum, OpenEnum};
///
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// pub enum JobState {
///     Queued,
///     Done,
///     Unknown(String),
/// }
///
/// impl OpenEnum for JobState {
///     const VALUES: &'static [(Self, &'static str)] = &[(Self::Queued, "queued"), (Self::Done, "done")];
/// }
///
/// open_enum!(JobState);
///
/// assert_eq!(JobState::Done.as_str(), "done");
/// assert_eq!("queued".parse::<JobState>(), Ok(JobState::Queued));
/// assert_eq!(JobState::from("paused".to_owned()), JobState::Unknown("paused".to_owned()));
/// assert_eq!(String::from(JobState::Unknown("paused".to_owned())), "paused");
/// assert_eq!(serde_json::to_string(&JobState::Done).unwrap(), r#""done""#);
/// let read: JobState = serde_json::from_str(r#""paused""#).unwrap();
/// assert_eq!(read.to_string(), "paused");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unknown(value) => value,
                    known => $crate::__private::wire_value(known),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $crate::__private::known_variant(&value).unwrap_or(Self::Unknown(value))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                match value {
                    $name::Unknown(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            // Not `Self::Err`: an enum may have a variant `Err`.
            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value.to_owned()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                <String as $crate::__private::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}
