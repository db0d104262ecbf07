//! Rust client for the [Bentley iTwin Platform](https://developer.bentley.com) REST APIs.
//!
//! One module per API ([`access_control`], [`itwins`], [`insights`], [`imodels`], [`storage`],
//! [`synchronization`], [`mesh_export`], [`changed_elements`], [`users`], [`webhooks`]),
//! generated from the APIs' OpenAPI definitions, over a small hand-written [`runtime`] (the
//! `itwin-platform-runtime` crate): a [`Client`] configured once with the environment and
//! credentials, typed [`Error`]s, and percent-encoded paths.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use itwin_platform::Client;
//!
//! let client = Client::builder().access_token("eyJ0eXAi...").build()?;
//! let roles = client.access_control().get_itwin_roles("ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e").send().await?;
//! for role in roles.roles {
//!     println!("{} {:?}", role.id, role.display_name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The user guide, in the repository's `docs/` folder, walks through configuration and
//! credentials, calling operations, request and answer bodies, transfers through pre-signed
//! URLs ([`transfers`]), paging, waiting for jobs, webhook signatures, errors and testing with
//! the mock server (feature `test-util`); every example in it is compiled by `cargo test`.

/// The runtime every generated operation runs through (the `itwin-platform-runtime` crate).
pub use itwin_platform_runtime as runtime;

mod client;
#[cfg(feature = "synchronization")]
pub mod jobs;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod transfers;
#[cfg(feature = "webhooks")]
pub mod webhook_signature;

// Generated code is formatted by the generator (prettyplease); rustfmt would fight it.
#[rustfmt::skip]
mod apis;

#[allow(unused_imports, reason = "empty without API features")]
pub use apis::*;
pub use client::{Client, ClientBuilder};
pub use runtime::{chrono, uuid};
pub use runtime::{
    AccessToken, ApiError, ApiKey, ApiResponse, AuthError, BasicAuth, ClientCredentials,
    DecodeError, Environment, Error, RetryPolicy, ServiceError, ServiceErrorDetail, StaticToken,
    TokenProvider,
};
#[cfg(feature = "interactive-auth")]
pub use runtime::{InteractiveSignIn, OpenBrowser, SignInError, SignedIn, TokenStore};

/// The README's examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

#[cfg(doctest)]
mod guide;
