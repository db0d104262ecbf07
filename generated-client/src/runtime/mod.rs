//! The hand-written part of the crate that every generated operation runs through.
//!
//! Generated request builders describe a [`Request`]; the [`Client`] renders its URL, adds the
//! `Authorization` and `Accept` headers, sends it and turns the answer into a typed body or an
//! [`Error`].

mod auth;
mod client;
pub mod double_option;
mod error;
mod execute;
mod formats;
mod prefer;
mod request;
mod response;
mod retry_after;

pub use auth::{AccessToken, AuthError, StaticToken, TokenProvider};
pub use client::{BuildError, Client, ClientBuilder, Environment};
pub use error::{ApiError, DecodeError, Error, ServiceError, ServiceErrorDetail};
pub use execute::Answer;
pub use formats::{rfc3339, Date, DateTime, Uuid};
pub use prefer::{Minimal, Representation, ResponseShape};
pub use request::{HttpMethod, Request};
pub use response::ApiResponse;

pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
