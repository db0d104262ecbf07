//! What can go wrong while a person signs in, each case its own variant.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use crate::AuthError;

/// A sign-in that did not complete, or a token store that could not be used. Every message
/// reads as a sentence and holds no token; when a sign-in fails, its loopback listener is
/// already closed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignInError {
    /// The redirect URI is not one a loopback listener can serve: it must be
    /// `http://localhost:PORT/path` or `http://127.0.0.1:PORT/path`, as registered for the
    /// application.
    RedirectUri {
        /// The URI as given.
        uri: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The identity service's address is no URL.
    Authority {
        /// The address as given.
        url: String,
    },
    /// Another program listens on the redirect URI's port; close it, or register the
    /// application with another redirect URI.
    PortInUse {
        /// The port of the redirect URI.
        port: u16,
        /// What the system said.
        source: io::Error,
    },
    /// The loopback listener could not start, for another reason than a port in use.
    Listen {
        /// The port of the redirect URI.
        port: u16,
        /// What the system said.
        source: io::Error,
    },
    /// The browser could not be shown the sign-in page (an opener of the caller's failed).
    Browser(io::Error),
    /// No answer came to the redirect URI in time: the person did not finish signing in.
    TimedOut {
        /// How long the listener waited.
        after: Duration,
    },
    /// The answer at the redirect URI carried another `state` than this sign-in sent: it is not
    /// the answer to this sign-in (a stale page, or a forged redirect), and its code is not used.
    StateMismatch,
    /// The person declined (or a policy refused) to let the application act for them: the
    /// identity service answered `error=access_denied`.
    Denied {
        /// The identity service's explanation, if it gave one.
        description: Option<String>,
    },
    /// The identity service answered with another OAuth error (RFC 6749 §4.1.2.1).
    Refused {
        /// The OAuth error code, e.g. `invalid_scope`.
        error: String,
        /// The identity service's explanation, if it gave one.
        description: Option<String>,
    },
    /// The answer at the redirect URI had neither a code nor an error.
    NoCode,
    /// The token endpoint gave no tokens for the authorization code.
    Token(AuthError),
    /// The token store could not be read or written.
    Store {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The token file can be read by other users than its owner, so it is not used: remove it,
    /// or make it private (`chmod 600`).
    StoreNotPrivate {
        /// The file.
        path: PathBuf,
    },
    /// No directory for the token store: the system names no configuration directory of the
    /// user (no home directory).
    NoStoreDir,
}

/// `text` without control characters: what the identity service's redirect says is shown on a
/// terminal, and must not move its cursor or change its colours.
pub(super) fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

impl fmt::Display for SignInError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInError::RedirectUri { uri, problem } => {
                write!(f, "the redirect URI `{uri}` {problem}")
            }
            SignInError::Authority { url } => {
                write!(f, "the identity service's address `{url}` is no URL")
            }
            SignInError::PortInUse { port, .. } => write!(
                f,
                "port {port} of the redirect URI is in use by another program: close it, or \
                 sign in with another redirect URI registered for the application"
            ),
            SignInError::Listen { port, source } => {
                write!(
                    f,
                    "cannot listen on 127.0.0.1:{port} for the redirect: {source}"
                )
            }
            SignInError::Browser(source) => {
                write!(f, "cannot show the sign-in page in a browser: {source}")
            }
            SignInError::TimedOut { after } => write!(
                f,
                "no answer from the browser within {} seconds: the sign-in was not finished",
                after.as_secs()
            ),
            SignInError::StateMismatch => f.write_str(
                "the browser came back with a state that this sign-in did not send: the answer \
                 was not for this sign-in, and it was not used; sign in again",
            ),
            SignInError::Denied { description } => {
                f.write_str("the sign-in was declined (access_denied)")?;
                match description {
                    Some(description) => write!(f, ": {description}"),
                    None => Ok(()),
                }
            }
            SignInError::Refused { error, description } => {
                write!(f, "the identity service refused the sign-in: {error}")?;
                match description {
                    Some(description) => write!(f, ": {description}"),
                    None => Ok(()),
                }
            }
            SignInError::NoCode => f.write_str(
                "the browser came back to the redirect URI with neither a code nor an error",
            ),
            SignInError::Token(error) => write!(f, "no tokens for the sign-in: {error}"),
            SignInError::Store { path, source } => {
                write!(f, "the token store {}: {source}", path.display())
            }
            SignInError::StoreNotPrivate { path } => write!(
                f,
                "the token file {} can be read by other users, so it is not used: remove it, or \
                 make it private (chmod 600)",
                path.display()
            ),
            SignInError::NoStoreDir => f.write_str(
                "no configuration directory for the token store: the system names none for this \
                 user; give the store a directory",
            ),
        }
    }
}

impl std::error::Error for SignInError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignInError::PortInUse { source, .. }
            | SignInError::Listen { source, .. }
            | SignInError::Store { source, .. }
            | SignInError::Browser(source) => Some(source),
            SignInError::Token(error) => Some(error),
            _ => None,
        }
    }
}
