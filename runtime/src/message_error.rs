//! Error types made of a message and an optional cause, for the places where a caller's own code
//! (a token provider, an interceptor) reports a failure to the client.

/// Defines a public error type holding a message and an optional boxed cause, with `new`,
/// `with_source`, `Display` (the message) and `Error::source`. The types stay distinct so that
/// [`Error`](super::Error) can say which hook failed.
macro_rules! message_error {
    ($(#[$meta:meta])* $name:ident, $new_doc:literal) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            message: String,
            source: Option<Box<dyn std::error::Error + Send + Sync>>,
        }

        impl $name {
            #[doc = $new_doc]
            pub fn new(message: impl Into<String>) -> Self {
                $name {
                    message: message.into(),
                    source: None,
                }
            }

            /// An error caused by another one.
            pub fn with_source(
                message: impl Into<String>,
                source: impl std::error::Error + Send + Sync + 'static,
            ) -> Self {
                $name {
                    message: message.into(),
                    source: Some(Box::new(source)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.message)
            }
        }

        impl std::error::Error for $name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                self.source.as_deref().map(|e| e as _)
            }
        }
    };
}

pub(super) use message_error;
