//! The hand-written part of the crate that every generated operation runs through.
//!
//! Generated request builders describe a [`Request`]; the [`Client`] renders its URL, adds the
//! `Authorization` and `Accept` headers, sends it and turns the answer into a typed body or an
//! [`Error`].

mod auth;
mod call_options;
mod client;
mod credentials;
pub mod double_option;
mod download;
mod env;
mod error;
mod execute;
mod formats;
mod intercept;
#[cfg(feature = "test-util")]
pub mod mock;
mod oauth;
mod paging;
mod prefer;
mod redirect;
mod request;
mod response;
mod retry;
mod retry_after;
mod upload;
mod waiter;

pub use auth::{AccessToken, AuthError, StaticToken, TokenFn, TokenProvider};
pub use call_options::CallOptions;
pub use env::EnvError;
pub use intercept::{AttemptOutcome, AttemptRequest, Interceptor, InterceptorError};
pub use oauth::{ClientCredentials, IMS_TOKEN_URL, ITWIN_PLATFORM_SCOPE};
pub use paging::{Page, PagingError};
pub use redirect::{RedirectError, RedirectPolicy};
pub use retry::RetryPolicy;

pub use client::{BuildError, Client, ClientBuilder, Environment};
pub use credentials::{ApiKey, BasicAuth, KeyPlacement};
pub use download::ByteStream;
pub use error::{
    ApiError, DecodeError, Error, ServiceError, ServiceErrorDetail, WaitError, WaitErrorKind,
};
pub use execute::{decode_json, Answer};
pub use formats::{rfc3339, Date, DateTime, Uuid};
pub use futures_util::stream::{BoxStream, Stream};
pub use prefer::{Minimal, Representation, ResponseShape};
pub use request::{HttpMethod, Request};
pub use response::{ApiResponse, RawResponse};
pub use upload::{BoxError, UploadBody};
pub use waiter::{Polled, WaitSpec, Waiter};

pub use bytes::Bytes;

pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
