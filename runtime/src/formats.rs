//! The types of formatted strings (`date-time`, `date`, `uuid`), and their wire form where
//! `Display` is not it.
//!
//! Instants are `chrono::DateTime<Utc>`: the platform sends them in UTC, and chrono is what most
//! Rust code that handles time already uses. The crate re-exports `chrono` and `uuid` so that
//! callers use the same versions.

use chrono::{SecondsFormat, Utc};

/// `format: date-time`: an instant, kept in UTC.
pub type DateTime = chrono::DateTime<Utc>;

/// `format: date`: a calendar date without a time zone.
pub type Date = chrono::NaiveDate;

/// `format: uuid`.
pub use uuid::Uuid;

/// An instant as RFC 3339 (`2024-01-31T12:00:00Z`), for query and header parameters.
pub fn rfc3339(instant: &DateTime) -> String {
    instant.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
