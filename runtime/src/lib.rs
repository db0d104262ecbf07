//! The runtime of the clients the `itwin-platform` generator writes: the iTwin Platform SDK
//! (`itwin-platform`) and any crate generated from another definition (`cargo xtask
//! generate`) depend on it, and re-export it as their `runtime` module.
//!
//! Generated request builders describe a [`Request`]; the [`Client`] renders its URL, adds the
//! `Authorization` and `Accept` headers, sends it (with retries, redirects and interceptors)
//! and turns the answer into a typed body or an [`Error`]. Nothing here knows a generated API:
//! what the mock server knows of them, generated code gives it.
//!
//! Links that the APIs hand out to hosts outside the platform (pre-signed blob-storage URLs)
//! are followed by the transfers of [`Client::upload_presigned`] and
//! [`Client::download_presigned`], which never send the client's credentials.

mod auth;
mod base_url;
mod call_options;
mod client;
mod credentials;
mod double_option;
mod download;
mod engine;
mod env;
mod environment;
mod error;
mod formats;
mod header;
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
#[cfg(feature = "interactive-auth")]
mod signin;
mod single_flight;
mod style;
mod token_endpoint;
mod transfer;
mod upload;
mod waiter;

pub use auth::{AccessToken, AuthError, StaticToken, TokenFn, TokenProvider};
pub use call_options::CallOptions;
pub use env::EnvError;
pub use intercept::{AttemptOutcome, AttemptRequest, Interceptor};
pub use oauth::{ClientCredentials, IMS_TOKEN_URL, ITWIN_PLATFORM_SCOPE};
pub use redirect::{RedirectError, RedirectPolicy};
pub use retry::RetryPolicy;
#[cfg(feature = "interactive-auth")]
pub use signin::{InteractiveSignIn, OpenBrowser, SignInError, SignedIn, TokenStore};
pub use style::{PathStyle, QueryStyle};
pub use transfer::{
    BlobItem, Downloaded, PresignedDownload, PresignedUpload, PresignedUrl, TransferProgress,
    Uploaded,
};

/// Chunks of a [`FilePart::stream`].
pub use bytes::Bytes;
pub use client::{BuildError, Client, ClientBuilder};
pub use credentials::{ApiKey, BasicAuth, KeyPlacement};
pub use download::ByteStream;
pub use engine::Answer;
pub use environment::Environment;
pub use error::{
    ApiError, DecodeError, Error, InterceptorError, PagingError, ServiceError, ServiceErrorDetail,
    ServiceErrorResponse, TransferError, TransferErrorKind, WaitError, WaitErrorKind,
};
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
/// `crate::runtime::__private`: every generated crate re-exports this crate as its `runtime`.
#[doc(hidden)]
pub mod __private {
    /// Serde's `with` for `Option<Option<T>>` fields (see the runtime's `double_option`).
    pub mod double_option {
        pub use super::super::double_option::{deserialize, serialize};
    }
    pub use super::engine::decode_json;
    pub use super::formats::rfc3339;
    pub use super::open_enum::{known_variant, wire_value, OpenEnum};
    pub use super::paging::Page;
    pub use crate::__open_enum as open_enum;
    pub use serde;
}

/// Dates and instants of the generated models ([`DateTime`], [`Date`]).
pub use chrono;
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
/// Ids of `format: uuid` ([`Uuid`]).
pub use uuid;
