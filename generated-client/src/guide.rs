//! The user guide's chapters (`docs/`), one doc-test item each, so that `cargo test` compiles
//! every `rust` example in them and they stay true. The generator's chapter is an item of the
//! generator crate, whose API it uses.

/// `docs/configuration.md`
#[doc = include_str!("../../docs/configuration.md")]
pub struct Configuration;

/// `docs/signin.md`
#[doc = include_str!("../../docs/signin.md")]
pub struct SignIn;

/// `docs/operations.md`
#[doc = include_str!("../../docs/operations.md")]
pub struct Operations;

/// `docs/bodies.md`
#[doc = include_str!("../../docs/bodies.md")]
pub struct Bodies;

/// `docs/transfers.md`
#[doc = include_str!("../../docs/transfers.md")]
pub struct Transfers;

/// `docs/paging.md`
#[doc = include_str!("../../docs/paging.md")]
pub struct Paging;

/// `docs/waiting.md`
#[doc = include_str!("../../docs/waiting.md")]
pub struct Waiting;

/// `docs/webhooks.md`
#[doc = include_str!("../../docs/webhooks.md")]
pub struct Webhooks;

/// `docs/errors.md`
#[doc = include_str!("../../docs/errors.md")]
pub struct Errors;

/// `docs/testing.md`
#[doc = include_str!("../../docs/testing.md")]
pub struct Testing;

/// `docs/definitions.md`
#[doc = include_str!("../../docs/definitions.md")]
pub struct Definitions;

/// `docs/performance.md`
#[doc = include_str!("../../docs/performance.md")]
pub struct Performance;
