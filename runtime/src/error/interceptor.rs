//! The error an interceptor gives to refuse a call.

crate::message_error::message_error!(
    /// An [`Interceptor`](crate::Interceptor) refused a call.
    InterceptorError,
    "An error with a message."
);
