//! The hand-written part of the crate that every generated operation runs through.
//!
//! Generated request builders describe a [`Request`]; the [`Client`] renders its URL, adds the
//! `Authorization` and `Accept` headers, sends it and turns the answer into a typed body or an
//! [`Error`].

mod auth;
mod call_options;
mod client;
mod credentials;
mod double_option;
mod download;
mod env;
mod error;
mod execute;
mod formats;
mod intercept;
mod message_error;
#[cfg(feature = "test-util")]
pub mod mock;
mod multipart;
mod oauth;
mod open_enum;
mod paging;
mod prefer;
mod redirect;
mod request;
mod response;
mod retry;
mod retry_after;
mod style;
mod upload;
mod waiter;

pub use auth::{AccessToken, AuthError, StaticToken, TokenFn, TokenProvider};
pub use call_options::CallOptions;
pub use env::EnvError;
pub use intercept::{AttemptOutcome, AttemptRequest, Interceptor, InterceptorError};
pub use oauth::{ClientCredentials, IMS_TOKEN_URL, ITWIN_PLATFORM_SCOPE};
pub use paging::PagingError;
pub use redirect::{RedirectError, RedirectPolicy};
pub use retry::RetryPolicy;
pub use style::{PathStyle, QueryStyle};

/// Chunks of a [`FilePart::stream`].
pub use bytes::Bytes;
pub use client::{BuildError, Client, ClientBuilder, Environment};
pub use credentials::{ApiKey, BasicAuth, KeyPlacement};
pub use download::ByteStream;
pub use error::{
    ApiError, DecodeError, Error, ServiceError, ServiceErrorDetail, ServiceErrorResponse,
    WaitError, WaitErrorKind,
};
pub use execute::Answer;
pub use formats::{Date, DateTime, Uuid};
pub use futures_util::stream::{BoxStream, Stream};
pub use multipart::{FilePart, MultipartForm};
pub use prefer::{Minimal, Representation, ResponseShape};
pub use request::{HttpMethod, Request};
pub use response::{ApiResponse, RawResponse};
pub use upload::{BoxError, UploadBody};
pub use waiter::{Polled, WaitSpec, Waiter};

/// What only generated code uses: not part of the crate's API, and free to change in any
/// release (the pattern of serde's own `__private`). Generated code reaches it as
/// `crate::runtime::__private`, in this crate and in standalone crates (which re-export the
/// runtime) alike.
#[doc(hidden)]
pub mod __private {
    /// Serde's `with` for `Option<Option<T>>` fields (see the runtime's `double_option`).
    pub mod double_option {
        pub use super::super::double_option::{deserialize, serialize};
    }
    pub use super::execute::decode_json;
    pub use super::formats::rfc3339;
    pub use super::open_enum::{known_variant, wire_value, OpenEnum};
    pub use super::paging::Page;
    pub use crate::__open_enum as open_enum;
    pub use serde;
}

pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
